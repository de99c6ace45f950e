"""Render benchmark: time from navigation to a finished render of every page in headless Chromium.

Two servers run side by side on loopback: the site (serve.py) and the empty baseline app
(benchmarks/empty_app.py), with the same settings. Each sample opens the page in a fresh
browser context (no HTTP cache, a new Streamlit session: a first visit from a shared link), and
the two apps alternate sample by sample, so drift in the machine's load hits both alike.

"Finished" is read inside the page, not by polling from Python: an init script watches the DOM
and records ``performance.now()`` (milliseconds since the navigation started) the first moment
the page's last element is attached and the app reports that its script is not running:

* site: ``.st-key-site_footer`` attached and ``[data-testid="stApp"][data-test-script-state="notRunning"]``
* empty app: ``.st-key-empty_footer`` and the same script state.

A page that draws an exception or an st.error instead is counted as an error and left out of the
medians. Before measuring, every page is opened once (not timed) so server-side caches are warm.

Target (printed as PASS/FAIL, never asserted): median ≤ 1.3× the empty app's on every page.

Full run (10 pages × 5 rounds, both apps): `.venv/bin/python benchmarks/render.py`
Smoke run: `.venv/bin/python benchmarks/render.py --rounds 1 --pages home,compare`
Before and after a change: `--before REV` also serves that git revision (from a temporary worktree,
same Python) and samples each page there in the same rounds, printing its median and the change:
`.venv/bin/python benchmarks/render.py --pages compare --before d98a668`
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import load_average, machine_noise, machine_snapshot
from explainer.site import PAGES, PAGES_BY_ID
from scripts.local_site import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server, stop_server

SITE_MARKER = ".st-key-site_footer"
EMPTY_MARKER = ".st-key-empty_footer"
TARGET_RATIO = 1.3
ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'

# Records window.__renderDone (ms since navigation start) the first time the page is finished.
WATCH_SCRIPT = """
(() => {
  const marker = %s;
  const finished = () =>
    document.querySelector(marker) &&
    document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]');
  const observer = new MutationObserver(() => {
    if (window.__renderDone === undefined && finished()) {
      window.__renderDone = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ["data-test-script-state", "class"]});
})();
"""


def measure(browser, url: str, marker: str, context=None, timeout_ms: float = 60_000) -> float | str:
    """Open url and return ms from navigation start to finished render, or an error string."""
    own_context = context is None
    if own_context:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WATCH_SCRIPT % repr(marker))
    page = context.new_page()
    try:
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            f"() => window.__renderDone !== undefined || !!document.querySelector({ERROR_SELECTOR!r})",
            timeout=timeout_ms,
            polling=100,
        )
        if page.query_selector(ERROR_SELECTOR) is not None:
            return "error drawn on the page"
        return float(page.evaluate("window.__renderDone"))
    except Exception as error:  # a timeout or a crashed page counts as an error sample
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        page.close()
        if own_context:
            context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed samples per page (and as many of the empty app), default 5")
    parser.add_argument("--pages", default=",".join(p.id for p in PAGES), help="comma-separated page ids (default: every page)")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="reuse one browser context per app (HTTP cache kept: a returning visitor) instead of a fresh one",
    )
    parser.add_argument("--before", default="", help="a git revision to measure alongside, page by page (before and after a change)")
    args = parser.parse_args()
    pages = [PAGES_BY_ID[page_id.strip()] for page_id in args.pages.split(",") if page_id.strip()]
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: the render benchmark needs Debian's Chromium")
        return

    from playwright.sync_api import sync_playwright

    print(f"Render benchmark: {len(pages)} pages x {args.rounds} rounds, {'warm' if args.warm else 'fresh'} browser context per sample")
    print(f"machine: {os.cpu_count()} cores, load average at start {load_average()}")
    site_process, site_url = start_server(log_dir=ROOT / "artifacts")
    empty_process, empty_url = start_server(script="benchmarks/empty_app.py", log_dir=ROOT / "artifacts")
    before_process = before_dir = None
    if args.before:
        before_dir = Path(tempfile.mkdtemp(prefix="render-before-")) / "site"
        subprocess.run(["git", "worktree", "add", "--detach", str(before_dir), args.before], cwd=ROOT, check=True, capture_output=True)
        before_process, before_url = start_server(cwd=before_dir)
        print(f"before: revision {args.before} served from {before_dir}")
    before: dict[str, list[float]] = {page.id: [] for page in pages}
    site: dict[str, list[float]] = {page.id: [] for page in pages}
    paired_empty: dict[str, list[float]] = {page.id: [] for page in pages}
    errors: list[str] = []
    started, machine_start = time.monotonic(), machine_snapshot()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            contexts = {}
            if args.warm:
                for name, marker in (("site", SITE_MARKER), ("empty", EMPTY_MARKER)):
                    contexts[name] = browser.new_context(viewport={"width": 1280, "height": 900})
                    contexts[name].add_init_script(WATCH_SCRIPT % repr(marker))

            def sample_site(page) -> float | str:
                return measure(browser, f"{site_url}/{page.url_path}", SITE_MARKER, contexts.get("site"))

            def sample_empty() -> float | str:
                return measure(browser, f"{empty_url}/", EMPTY_MARKER, contexts.get("empty"))

            def sample_before(page) -> float | str:
                return measure(browser, f"{before_url}/{page.url_path}", SITE_MARKER, contexts.get("before"))

            # Warm-up, not timed: the first run of each page fills the server's caches.
            sample_empty()
            for page in PAGES:
                sample_site(page)
                if before_process:
                    sample_before(page)

            for round_number in range(args.rounds):
                for page in pages:
                    # Alternate which app goes first, so neither always follows the other.
                    order = ("empty", "site", "before") if round_number % 2 == 0 else ("before", "site", "empty")
                    for app in order:
                        if app == "before" and not before_process:
                            continue
                        value = sample_empty() if app == "empty" else sample_before(page) if app == "before" else sample_site(page)
                        if isinstance(value, str):
                            errors.append(f"{app} {page.id} round {round_number + 1}: {value}")
                        else:
                            {"empty": paired_empty, "site": site, "before": before}[app][page.id].append(value)
                print(f"... round {round_number + 1}/{args.rounds} done", flush=True)
            browser.close()
    finally:
        stop_server(site_process)
        stop_server(empty_process)
        if before_process:
            stop_server(before_process)
        if before_dir:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_dir)], cwd=ROOT, check=False, capture_output=True)

    machine_busy, pressure = machine_noise(machine_start, machine_snapshot(), 0.0)
    all_empty = [value for values in paired_empty.values() for value in values]
    print()
    print("ms from navigation start to finished render (median of the samples; empty = the samples taken next to that page's)")
    print(f"{'page':<12}{'url':<13}{'n':>3}{'site ms':>9}{'min':>7}{'max':>7}{'empty ms':>10}{'ratio':>7}  target <= {TARGET_RATIO}x")
    failures = 0
    for page in pages:
        samples, base = site[page.id], paired_empty[page.id]
        if not samples or not base:
            print(f"{page.id:<12}{'/' + page.url_path:<13}{len(samples):>3}  no successful samples")
            failures += 1
            continue
        page_median, base_median = statistics.median(samples), statistics.median(base)
        page_ratio = page_median / base_median
        ok = page_ratio <= TARGET_RATIO
        failures += not ok
        print(
            f"{page.id:<12}{'/' + page.url_path:<13}{len(samples):>3}{page_median:>9.0f}{min(samples):>7.0f}{max(samples):>7.0f}"
            f"{base_median:>10.0f}{page_ratio:>7.2f}  {'PASS' if ok else 'FAIL'}"
        )
    if all_empty:
        print(f"empty app over all samples: median {statistics.median(all_empty):.0f} ms (n={len(all_empty)})")
    if before_process:
        print(f"before ({args.before}) and after (this checkout), same rounds, ms (median):")
        for page in pages:
            then, now = before[page.id], site[page.id]
            if then and now:
                change = statistics.median(now) / statistics.median(then)
                print(
                    f"  {page.id:<12} before {statistics.median(then):>6.0f}  after {statistics.median(now):>6.0f}  after/before {change:.2f}"
                )
    print(f"target median <= {TARGET_RATIO}x the empty app on every page: {'PASS' if failures == 0 else f'FAIL on {failures} page(s)'}")
    for error in errors:
        print(f"error: {error}")
    print(f"{len(errors)} error sample(s); took {time.monotonic() - started:.0f} s; load average at end {load_average()}")
    print(
        f"machine CPU busy {machine_busy:.0f}% of {100 * (os.cpu_count() or 1)}% (this benchmark, its two servers and Chromium included); "
        f"some task waited for a CPU {pressure:.0f}% of the time (/proc/pressure/cpu)"
    )


if __name__ == "__main__":
    main()
