"""Browser-test harness: the real server on a free loopback port, driven by Debian's Chromium.

Playwright cannot download browsers here, so it drives /usr/bin/chromium. When that binary is
missing (and `make test` could not install it because we are not root) every browser test is
skipped with a message that says so.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "artifacts"


def pytest_collection_modifyitems(config, items):  # noqa: ARG001 - pytest hook signature
    reason = None
    if not CHROMIUM.exists():
        reason = f"browser tests skipped: {CHROMIUM} is not installed (run `make test` as root, or `sudo apt-get install -y chromium`)"
    elif not AXE.exists():
        reason = "browser tests skipped: node_modules/axe-core is missing (run `npm ci`)"
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env_extra: dict[str, str] | None = None, script: str = "serve.py", extra_args: list[str] | None = None):
    """Start `streamlit run` on a free port and wait for its health check. Returns (process, url)."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env_extra or {})}
    log = (ARTIFACTS / f"server-{port}.log").open("w") if ARTIFACTS.is_dir() else subprocess.DEVNULL
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        *(extra_args or []),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("streamlit did not become healthy within 90 s")


def stop_server(process) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    process, url = start_server()
    yield url
    stop_server(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# When a page is opened at a sub-path (/compare), Streamlit's front end probes for the server's
# base path and requests /compare/_stcore/host-config and /compare/_stcore/health first; the
# 404s it logs for those probes are expected and are the only console errors we allow.
BASE_PATH_PROBES = ("/_stcore/host-config", "/_stcore/health")


class PageWatch:
    """A Playwright page plus the console errors and page errors it has seen."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if "404" in message.text and url.endswith(BASE_PATH_PROBES):
            return
        self.errors.append(f"{message.text} ({url})")


@pytest.fixture
def watched(browser) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = PageWatch(context.new_page())
    yield watch
    context.close()


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit has run the script to the end (the footer is drawn last) and idles.

    A short pause first: right after a click or key press the app can still report the previous
    run as finished for a moment, before the new run starts.
    """
    page.wait_for_timeout(120)
    page.wait_for_selector(".st-key-site_footer, [data-testid='stAlertContentError']", state="attached", timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]') && ![...document.querySelectorAll('[data-stale=\"true\"]')].length",
        timeout=timeout,
    )


def run_axe(page) -> list[dict]:
    """Run axe-core on the page; return violations of impact serious or critical."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160)}))}));
        }"""
    )
    return [violation for violation in result if violation["impact"] in ("serious", "critical")]
