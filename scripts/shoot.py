"""Take screenshots of pages of a running site: python scripts/shoot.py BASE_URL OUTDIR path[?query] ...

Each path is shot at desktop (1280 px) and phone (390 px) width, and in an 800x600 iframe with
?embed=true. Used while developing to look at what we build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.local_site import CHROMIUM, CHROMIUM_ARGS


def wait(page):
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)
    page.wait_for_timeout(800)


def main() -> None:
    base, outdir, *paths = sys.argv[1:]
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in paths:
            path = path.lstrip("/")  # "/" and "compare" or "/compare" alike: the base URL has no trailing slash
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("&", "_").replace("=", "-") or "home"
            for label, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(f"{base}/{path}")
                wait(page)
                page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
                page.close()
            page = browser.new_page(viewport={"width": 900, "height": 700})
            sep = "&" if "?" in path else "?"
            page.set_content(f'<iframe src="{base}/{path}{sep}embed=true" width="800" height="600" title="embed"></iframe>')
            frame = page.frame_locator("iframe")
            frame.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=60_000)
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / f"{name}-embed.png"))
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
