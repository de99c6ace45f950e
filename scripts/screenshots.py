"""Refresh the README's screenshots: python scripts/screenshots.py (or make screenshots).

Starts the site on a free local port, opens the Compare page in headless Chromium at desktop and
phone width, and writes docs/screenshots/*.png. Run it after changing how Compare looks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.local_site import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server, wait_for_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = (
    # (file name, path, viewport width, viewport height)
    ("compare-desktop.png", "compare", 1280, 2300),
    ("compare-phone.png", "compare", 390, 2600),
)


def main() -> int:
    server, base = start_server({"EXPLAINER_CLINIC": ""})
    try:
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, path, width, height in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/{path}")
                wait_for_app(page, timeout=60_000)
                page.wait_for_timeout(2000)  # let Plotly finish drawing
                page.screenshot(path=str(OUT / name))
                page.close()
                print(f"wrote {OUT / name}")
            browser.close()
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
