"""Render benchmark: what a visitor waits for on every page, in headless Chromium, against an empty app.

Two servers run side by side on loopback: the site (serve.py) and the empty baseline app
(benchmarks/empty_app.py), with the same settings. Samples of the two alternate, so drift in the
machine's load hits both alike. Every sample is one page view, read with four clocks, all in
milliseconds since the navigation started (``performance.now()`` inside the page):

* **attached**: the page's last element is in the DOM and the app says its script is not
  running (``.st-key-site_footer`` / ``.st-key-empty_footer`` and
  ``[data-testid="stApp"][data-test-script-state="notRunning"]``). The older, narrower figure.
* **settled** ("last change on screen"): the time of the last DOM mutation or finished request,
  read once the page has been attached, no request has been in flight and nothing in the DOM has
  changed for 300 ms. Plotly's bundle loading and drawing, text that grows after it is placed and
  late images all count; the WebSocket does not.
* **heading**: the first moment the page's first ``h1`` is laid out inside the viewport.
* **CLS**: the sum of ``layout-shift`` entries (PerformanceObserver, buffered) without recent
  input, up to the settled moment. The sum is at least the Core Web Vitals session-window value,
  so a page under 0.1 here is under it there too.

Each configuration is a page at a reading level (patient, trainee), a viewport (desktop 1280x900;
phone 390x844 with touch and a mobile user agent) and a visit kind: **cold** (a fresh browser
context per sample: no HTTP cache, a first visit from a shared link) or **warm** (one context per
app and viewport, kept: a returning visitor with a warm cache). Every page is opened once first,
not timed, so server-side caches are warm.

Targets, printed as PASS/FAIL and never asserted: settled ≤ 1.3× the empty app's, heading ≤ 1.2×
the empty app's, CLS ≤ 0.1, each against the empty-app samples of the same viewport and visit kind
taken next to that configuration.

Full run (10 pages x 2 levels x 2 viewports x cold and warm x 5 rounds, both apps, about 35 minutes
on a quiet machine): `.venv/bin/python benchmarks/render.py`
Smoke run: `.venv/bin/python benchmarks/render.py --rounds 1 --pages home,compare --levels patient --viewports desktop`
Before and after a change: `--before REV` also serves that git revision (from a temporary worktree,
same Python) and samples each configuration there in the same rounds:
`.venv/bin/python benchmarks/render.py --pages compare --before d98a668`
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.load import load_average, machine_noise, machine_snapshot
from explainer.site import AUDIENCES, PAGES, PAGES_BY_ID
from scripts.local_site import CHROMIUM, CHROMIUM_ARGS, ROOT, start_server, stop_server

SITE_MARKER = ".st-key-site_footer"
EMPTY_MARKER = ".st-key-empty_footer"
TARGETS = {"settled": 1.3, "heading": 1.2}
CLS_TARGET = 0.1
QUIET_MS = 300
ERROR_SELECTOR = '[data-testid="stException"], [data-testid="stAlertContentError"]'
PHONE_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
        "user_agent": PHONE_AGENT,
    },
}
VISITS = ("cold", "warm")

# Installed in every page before its own scripts run. window.__bench collects the four clocks.
WATCH_SCRIPT = """
(() => {
  const marker = %s;
  const bench = window.__bench = {attached: null, heading: null, lastChange: 0, cls: 0, shifts: [], frozen: false};
  const attached = () =>
    document.querySelector(marker) &&
    document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]');
  const headingShown = () => {
    const heading = document.querySelector('[data-testid="stMain"] h1');
    if (!heading) return false;
    const box = heading.getBoundingClientRect();
    return box.height > 0 && box.width > 0 && box.bottom > 0 && box.top < window.innerHeight &&
      getComputedStyle(heading).visibility !== 'hidden';
  };
  const look = () => {
    const now = performance.now();
    if (bench.heading === null && headingShown()) bench.heading = now;
    if (bench.attached === null && attached()) bench.attached = now;
  };
  new MutationObserver(() => { if (!bench.frozen) bench.lastChange = performance.now(); look(); })
    .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  // A heading can come into view without a mutation (a stylesheet arriving): look every frame too.
  const frame = () => { look(); if (bench.heading === null) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput || bench.frozen) continue;
      bench.cls += entry.value;
      const name = (node) => !node || !node.tagName ? String(node && node.nodeName) :
        node.tagName.toLowerCase() + (node.dataset && node.dataset.testid ? `[${node.dataset.testid}]` : '') +
        ([...(node.classList || [])].filter((c) => c.startsWith('st-key-')).map((c) => '.' + c).join(''));
      bench.shifts.push({at: Math.round(entry.startTime), value: entry.value,
        nodes: (entry.sources || []).map((source) => name(source.node) + ' <- ' + name(source.node && source.node.parentElement))});
    }
  }).observe({type: 'layout-shift', buffered: true});
})();
"""

# Called while polling: (done, figures). Done once attached, nothing in flight and quiet for QUIET_MS.
SETTLED_SCRIPT = """
(inFlight) => {
  const QUIET_MS = __QUIET__;
  const bench = window.__bench;
  const requests = performance.getEntriesByType('resource').map((entry) => entry.responseEnd);
  const last = Math.max(bench.lastChange, ...requests, 0);
  const now = performance.now();
  const done = bench.attached !== null && inFlight === 0 && now - last >= QUIET_MS;
  if (done) bench.frozen = true;
  return {done, attached: bench.attached, heading: bench.heading, settled: last, cls: bench.cls, shifts: bench.shifts};
}
""".replace("__QUIET__", str(QUIET_MS))


@dataclass(frozen=True)
class Sample:
    attached: float
    settled: float
    heading: float | None
    cls: float
    shifts: tuple = ()  # (ms, value, source nodes) of each layout shift, for --shifts


@dataclass(frozen=True)
class Config:
    page: str
    level: str
    viewport: str
    visit: str

    def query(self) -> str:
        return "" if self.level == "patient" else f"?audience={self.level}"


def new_context(browser, viewport: str, marker: str):
    context = browser.new_context(**VIEWPORTS[viewport])
    context.add_init_script(WATCH_SCRIPT % repr(marker))
    return context


def measure(browser, url: str, marker: str, viewport: str, context=None, timeout_s: float = 60) -> Sample | str:
    """Open url and return its four clocks, or an error string."""
    own_context = context is None
    if own_context:
        context = new_context(browser, viewport, marker)
    page = context.new_page()
    in_flight: set = set()
    page.on("request", lambda request: in_flight.add(request))
    page.on("requestfinished", lambda request: in_flight.discard(request))
    page.on("requestfailed", lambda request: in_flight.discard(request))
    try:
        page.goto(url, wait_until="commit")
        deadline = time.monotonic() + timeout_s
        while True:
            if page.query_selector(ERROR_SELECTOR) is not None:
                return "error drawn on the page"
            figures = page.evaluate(SETTLED_SCRIPT, len(in_flight))
            if figures["done"]:
                return Sample(figures["attached"], figures["settled"], figures["heading"], figures["cls"], tuple(figures["shifts"]))
            if time.monotonic() > deadline:
                return f"not settled after {timeout_s:.0f} s (attached: {figures['attached']}, requests in flight: {len(in_flight)})"
            page.wait_for_timeout(50)
    except Exception as error:  # a crashed page counts as an error sample
        return f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        page.close()
        if own_context:
            context.close()


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def report(configs: list[Config], site: dict, empty: dict, errors: list[str]) -> int:
    """Print the table; return the number of configurations that miss a target."""
    print()
    print("Medians in ms since navigation start; 'empty' = the empty app's samples of the same viewport and visit taken next to it.")
    print(
        f"{'page':<11}{'level':<8}{'view':<8}{'visit':<6}{'n':>3}{'attached':>9}{'settled':>8}{'empty':>7}{'ratio':>6}"
        f"{'heading':>8}{'empty':>7}{'ratio':>6}{'CLS':>7}  result"
    )
    failures = 0
    for config in configs:
        samples, base = site[config], empty[config]
        if not samples or not base:
            print(f"{config.page:<11}{config.level:<8}{config.viewport:<8}{config.visit:<6}  no successful samples  FAIL")
            failures += 1
            continue
        settled, base_settled = median([s.settled for s in samples]), median([s.settled for s in base])
        headings = [s.heading for s in samples if s.heading is not None]
        base_headings = [s.heading for s in base if s.heading is not None]
        heading, base_heading = median(headings), median(base_headings)
        cls = max(s.cls for s in samples)
        ratios = {"settled": settled / base_settled, "heading": heading / base_heading if headings and base_headings else float("nan")}
        missed = [name for name, limit in TARGETS.items() if not ratios[name] <= limit]  # nan misses too
        if len(headings) < len(samples):
            missed.append("heading not shown")
        if cls > CLS_TARGET:
            missed.append("CLS")
        failures += bool(missed)
        print(
            f"{config.page:<11}{config.level:<8}{config.viewport:<8}{config.visit:<6}{len(samples):>3}"
            f"{median([s.attached for s in samples]):>9.0f}{settled:>8.0f}{base_settled:>7.0f}{ratios['settled']:>6.2f}"
            f"{heading:>8.0f}{base_heading:>7.0f}{ratios['heading']:>6.2f}{cls:>7.3f}  "
            f"{'PASS' if not missed else 'FAIL: ' + ', '.join(missed)}"
        )
    all_base = [s for values in empty.values() for s in values]
    if all_base:
        print(
            f"empty app over all samples: settled median {median([s.settled for s in all_base]):.0f} ms, "
            f"CLS max {max(s.cls for s in all_base):.3f} (n={len(all_base)})"
        )
    print(
        f"targets: settled <= {TARGETS['settled']}x, heading <= {TARGETS['heading']}x the empty app, CLS (max of the samples) <= {CLS_TARGET}: "
        f"{'PASS on every configuration' if failures == 0 else f'FAIL on {failures} of {len(configs)}'}"
    )
    for error in errors:
        print(f"error: {error}")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed samples per configuration (and as many of the empty app), default 5")
    parser.add_argument("--pages", default=",".join(p.id for p in PAGES), help="comma-separated page ids (default: every page)")
    parser.add_argument("--levels", default=",".join(AUDIENCES), help="reading levels: patient,trainee (default both)")
    parser.add_argument("--viewports", default=",".join(VIEWPORTS), help="desktop,phone (default both)")
    parser.add_argument("--visits", default=",".join(VISITS), help="cold,warm (default both)")
    parser.add_argument("--shifts", action="store_true", help="also print each layout shift of the site's worst sample per configuration")
    parser.add_argument("--before", default="", help="a git revision to measure alongside, configuration by configuration")
    args = parser.parse_args()

    def chosen(text: str, allowed) -> list[str]:
        values = [value.strip() for value in text.split(",") if value.strip()]
        unknown = [value for value in values if value not in allowed]
        if unknown:
            parser.error(f"unknown value(s) {', '.join(unknown)}; choose from {', '.join(allowed)}")
        return values

    pages = chosen(args.pages, PAGES_BY_ID)
    levels, viewports, visits = chosen(args.levels, AUDIENCES), chosen(args.viewports, VIEWPORTS), chosen(args.visits, VISITS)
    configs = [Config(*values) for values in itertools.product(pages, levels, viewports, visits)]
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: the render benchmark needs Debian's Chromium")
        return

    from playwright.sync_api import sync_playwright

    print(f"Render benchmark: {len(configs)} configurations x {args.rounds} rounds, site and empty app alternating")
    print(f"machine: {os.cpu_count()} cores, load average at start {load_average()}")
    servers = {
        "site": start_server(log_dir=ROOT / "artifacts"),
        "empty": start_server(script="benchmarks/empty_app.py", log_dir=ROOT / "artifacts"),
    }
    before_dir = None
    if args.before:
        before_dir = Path(tempfile.mkdtemp(prefix="render-before-")) / "site"
        subprocess.run(["git", "worktree", "add", "--detach", str(before_dir), args.before], cwd=ROOT, check=True, capture_output=True)
        servers["before"] = start_server(cwd=before_dir)
        print(f"before: revision {args.before} served from {before_dir}")
    results: dict[str, dict[Config, list[Sample]]] = {app: {config: [] for config in configs} for app in servers}
    errors: list[str] = []
    started, machine_start = time.monotonic(), machine_snapshot()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            warm = {}  # (app, viewport) -> a kept context: the returning visitor

            def sample(app: str, config: Config) -> Sample | str:
                marker = EMPTY_MARKER if app == "empty" else SITE_MARKER
                path = "" if app == "empty" else PAGES_BY_ID[config.page].url_path
                context = None
                if config.visit == "warm":
                    if (app, config.viewport) not in warm:
                        warm[app, config.viewport] = new_context(browser, config.viewport, marker)
                    context = warm[app, config.viewport]
                return measure(browser, f"{servers[app][1]}/{path}{config.query()}", marker, config.viewport, context)

            # Warm-up, not timed: every page once per app (server caches), and each warm context once.
            for app in servers:
                for page_id in pages:
                    sample(app, Config(page_id, levels[0], viewports[0], "cold"))
                for viewport in viewports:
                    if "warm" in visits:
                        sample(app, Config(pages[0], levels[0], viewport, "warm"))

            for round_number in range(args.rounds):
                for config in configs:
                    order = list(servers) if round_number % 2 == 0 else list(reversed(servers))  # neither always first
                    for app in order:
                        value = sample(app, config)
                        if isinstance(value, str):
                            errors.append(f"{app} {config} round {round_number + 1}: {value}")
                        else:
                            results[app][config].append(value)
                print(f"... round {round_number + 1}/{args.rounds} done ({time.monotonic() - started:.0f} s)", flush=True)
            browser.close()
    finally:
        for process, _url in servers.values():
            stop_server(process)
        if before_dir:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_dir)], cwd=ROOT, check=False, capture_output=True)

    machine_busy, pressure = machine_noise(machine_start, machine_snapshot(), 0.0)
    report(configs, results["site"], results["empty"], errors)
    if args.shifts:
        print("\nLayout shifts of each configuration's worst sample (ms, score, what moved <- its parent):")
        for config in configs:
            if results["site"][config]:
                worst = max(results["site"][config], key=lambda s: s.cls)
                print(f"  {config.page} {config.level} {config.viewport} {config.visit}: CLS {worst.cls:.3f}")
                for shift in sorted(worst.shifts, key=lambda shift: -shift["value"])[:6]:
                    print(f"    {shift['at']:>6} ms  {shift['value']:.3f}  {'; '.join(shift['nodes'][:3])}")
    if "before" in servers:
        print(f"\nbefore ({args.before}) and after (this checkout), same rounds, settled ms (median) and CLS (max):")
        for config in configs:
            then, now = results["before"][config], results["site"][config]
            if then and now:
                a, b = median([s.settled for s in then]), median([s.settled for s in now])
                print(
                    f"  {config.page:<11}{config.level:<8}{config.viewport:<8}{config.visit:<6} before {a:>6.0f} after {b:>6.0f} "
                    f"after/before {b / a:.2f}   CLS before {max(s.cls for s in then):.3f} after {max(s.cls for s in now):.3f}"
                )
    print(f"{len(errors)} error sample(s); took {time.monotonic() - started:.0f} s; load average at end {load_average()}")
    print(
        f"machine CPU busy {machine_busy:.0f}% of {100 * (os.cpu_count() or 1)}% (this benchmark, its servers and Chromium included); "
        f"some task waited for a CPU {pressure:.0f}% of the time (/proc/pressure/cpu)"
    )


if __name__ == "__main__":
    main()
