"""Start the real server, open every page once in Chromium, then print the server's idle RSS.

Target (read from the printout, never asserted): idle RSS ≤ 150 MB.
Run with `make bench`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explainer.site import PAGES
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    process, url = start_server()
    try:
        time.sleep(2)
        print(f"idle RSS after start:            {rss_mb(process.pid):7.1f} MB")
        if CHROMIUM.exists():
            from playwright.sync_api import sync_playwright

            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page()
                for spec in PAGES:
                    page.goto(f"{url}/{spec.url_path}")
                    wait_for_app(page)
                browser.close()
            time.sleep(3)
            print(f"idle RSS after one visit to all: {rss_mb(process.pid):7.1f} MB  (target <= 150 MB)")
        else:
            print(f"{CHROMIUM} missing: page visits skipped")
    finally:
        stop_server(process)


if __name__ == "__main__":
    main()
