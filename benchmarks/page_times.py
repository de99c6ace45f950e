"""Print each page's median warm script-run time (20 reruns) under Streamlit's AppTest.

Two figures per page: the time inside Streamlit's script runner (the page script and everything
Streamlit does to turn its calls into messages, which is what a visitor's rerun costs the server),
and the whole AppTest round trip, which adds AppTest's own polling and element-tree parsing.
Target (read from the printout, never asserted): every page ≤ 50 ms warm.
Run with `make bench`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from streamlit.runtime.scriptrunner import script_runner

from explainer.site import PAGES
from tests.app.conftest import open_page

RUNS = 20
TARGET_MS = 50
_script_ms: list[float] = []
_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return _run_script(self, *args, **kwargs)
    finally:
        _script_ms.append((time.perf_counter() - started) * 1000)


def main() -> None:
    script_runner.ScriptRunner._run_script = _timed_run_script
    print(f"{'page':<14}{'audience':<10}{'first run ms':>14}{'script ms':>11}{'AppTest ms':>12}{'max ms':>9}")
    for page in PAGES:
        for audience in ("patient", "trainee"):
            started = time.perf_counter()
            at = open_page(page.file, audience)
            first = (time.perf_counter() - started) * 1000
            samples = []
            _script_ms.clear()
            for _ in range(RUNS):
                started = time.perf_counter()
                at.run()
                samples.append((time.perf_counter() - started) * 1000)
            script = statistics.median(_script_ms)
            whole = statistics.median(samples)
            flag = "" if whole <= TARGET_MS else f"  <- over {TARGET_MS} ms target"
            print(f"{page.id:<14}{audience:<10}{first:>14.1f}{script:>11.1f}{whole:>12.1f}{max(samples):>9.1f}{flag}")
    print(
        "\nMedians of 20 warm reruns. 'script ms' is the time in Streamlit's script runner; 'AppTest ms' adds "
        "AppTest's own overhead and is the figure held to the target, so the target is checked on an upper bound."
    )


if __name__ == "__main__":
    main()
