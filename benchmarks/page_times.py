"""Print each page's median warm script-run time (20 reruns) under Streamlit's AppTest.

Target (read from the printout, never asserted): every page ≤ 50 ms warm.
Run with `make bench`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.site import PAGES
from tests.app.conftest import open_page

RUNS = 20


def main() -> None:
    print(f"{'page':<14}{'audience':<10}{'first run ms':>14}{'median warm ms':>16}{'max warm ms':>13}")
    for page in PAGES:
        for audience in ("patient", "trainee"):
            started = time.perf_counter()
            at = open_page(page.file, audience)
            first = (time.perf_counter() - started) * 1000
            samples = []
            for _ in range(RUNS):
                started = time.perf_counter()
                at.run()
                samples.append((time.perf_counter() - started) * 1000)
            flag = "" if statistics.median(samples) <= 50 else "  <- over 50 ms target"
            print(f"{page.id:<14}{audience:<10}{first:>14.1f}{statistics.median(samples):>16.1f}{max(samples):>13.1f}{flag}")
    print("\nAppTest adds its own overhead, so these are upper bounds on the script's own run time.")


if __name__ == "__main__":
    main()
