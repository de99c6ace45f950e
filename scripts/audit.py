"""Lighthouse audit of every page: python scripts/audit.py (or make audit).

Starts the site on a free local port, runs Lighthouse (npm, installed under audit/) with Debian's
Chromium on each page, and prints the accessibility and best-practices scores against the targets
(accessibility >= 95, best practices >= 90). Exits non-zero when a page misses a target, and names
the failing audits so they can be fixed.
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


def audit(url: str, out: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            f"--chrome-path={CHROMIUM}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=accessibility,best-practices",
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


def main() -> int:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is missing: run `make audit` (it installs audit/node_modules with npm ci).")
        return 2
    server, base = start_server({"EXPLAINER_CLINIC": ""})
    ok = True
    try:
        print(f"{'page':<12} {'accessibility':>14} {'best practices':>15}")
        with tempfile.TemporaryDirectory() as tmp:
            for spec in PAGES:
                report = audit(f"{base}/{spec.url_path}", Path(tmp) / f"{spec.id}.json")
                scores = {name: round(100 * (report["categories"][name]["score"] or 0)) for name in TARGETS}
                marks = {name: "" if scores[name] >= TARGETS[name] else " ✗" for name in TARGETS}
                print(
                    f"{spec.id:<12} {scores['accessibility']:>12}{marks['accessibility']:2} {scores['best-practices']:>13}{marks['best-practices']:2}"
                )
                for name in TARGETS:
                    if scores[name] < TARGETS[name]:
                        ok = False
                    for line in failing_audits(report, name):
                        print(f"    {name}: {line}")
    finally:
        stop_server(server)
    print(
        f"targets: accessibility >= {TARGETS['accessibility']}, best practices >= {TARGETS['best-practices']}: {'met' if ok else 'NOT met'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
