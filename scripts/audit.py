"""Lighthouse audit of every page: python scripts/audit.py (or make audit).

Starts the site on a free local port, runs Lighthouse (npm, installed under audit/) with Debian's
Chromium on each page, and prints the accessibility and best-practices scores against the targets
(accessibility >= 95, best practices >= 90), and the performance score (Lighthouse's desktop preset)
next to the empty baseline app's (benchmarks/empty_app.py, served alongside), target no more than
5 points below it. Exits non-zero when a page misses a target, and names the failing audits (for
performance: its largest costs, layout shift and blocking time first) so they can be fixed.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer.site import PAGES  # noqa: E402
from scripts.local_site import CHROMIUM, CHROMIUM_ARGS, start_server, stop_server  # noqa: E402

LIGHTHOUSE = ROOT / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = " ".join(CHROMIUM_ARGS)
TARGETS = {"accessibility": 95, "best-practices": 90}
PERFORMANCE_MARGIN = 5  # points below the empty app's performance score, at most
PERFORMANCE_DETAILS = ("cumulative-layout-shift", "total-blocking-time", "largest-contentful-paint", "speed-index")


def audit(url: str, out: Path, categories: str = "accessibility,best-practices,performance") -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--only-categories={categories}",
            "--preset=desktop",
            "--output=json",
            f"--output-path={out}",
            "--quiet",
            "--max-wait-for-load=60000",
        ],
        check=True,
        timeout=300,
    )
    return json.loads(out.read_text())


def failing_audits(report: dict, category: str) -> list[str]:
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    return [
        f"{ref['id']}: {audits[ref['id']]['title']}" for ref in refs if ref["weight"] and audits[ref["id"]].get("score") not in (None, 1)
    ]


def performance_details(report: dict) -> str:
    audits = report["audits"]
    return ", ".join(f"{name} {audits[name]['displayValue']}" for name in PERFORMANCE_DETAILS if audits.get(name, {}).get("displayValue"))


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `make audit` (it installs audit/node_modules with npm ci).")
        return 2
    server, base = start_server({"EXPLAINER_CLINIC": ""})
    empty_server, empty_base = start_server(script="benchmarks/empty_app.py")
    ok = True
    try:
        with tempfile.TemporaryDirectory() as tmp:
            empty_report = audit(f"{empty_base}/", Path(tmp) / "empty.json", "performance")
            empty_score = round(100 * (empty_report["categories"]["performance"]["score"] or 0))
            print(f"empty app: performance {empty_score} ({performance_details(empty_report)})")
            print(f"{'page':<12} {'accessibility':>14} {'best practices':>15} {'performance':>12}")
            for spec in PAGES:
                report = audit(f"{base}/{spec.url_path}", Path(tmp) / f"{spec.id}.json")
                scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in TARGETS}
                marks = {name: "" if scores[name] >= TARGETS[name] else " ✗" for name in TARGETS}
                speed = round(100 * (report["categories"]["performance"]["score"] or 0))
                fast_enough = speed >= empty_score - PERFORMANCE_MARGIN
                ok = ok and fast_enough
                print(
                    f"{spec.id:<12} {scores['accessibility']:>12}{marks['accessibility']:2} {scores['best-practices']:>13}{marks['best-practices']:2}"
                    f" {speed:>10}{'' if fast_enough else ' ✗'}"
                )
                if not fast_enough:
                    print(f"    performance: {performance_details(report)}")
                for name in TARGETS:
                    if scores[name] < TARGETS[name]:
                        ok = False
                    for line in failing_audits(report, name):
                        print(f"    {name}: {line}")
    finally:
        stop_server(server)
        stop_server(empty_server)
    print(
        f"targets: accessibility >= {TARGETS['accessibility']}, best practices >= {TARGETS['best-practices']}, "
        f"performance >= the empty app's {empty_score} - {PERFORMANCE_MARGIN}: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
