"""Browser-test harness: the real server on a free loopback port, driven by Debian's Chromium.

Playwright cannot download browsers here, so it drives /usr/bin/chromium. When that binary is
missing (and `make test` could not install it because we are not root) every browser test is
skipped with a message that says so.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from explainer.site import PAGES
from scripts import local_site
from scripts.local_site import CHROMIUM, CHROMIUM_ARGS, stop_server, wait_for_app  # noqa: F401 - re-exported for tests
from tests.conftest import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
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


def start_server(
    env_extra: dict[str, str] | None = None, script: str = "serve.py", extra_args: list[str] | None = None, port: int | None = None
):
    """Start the site on a free port, or ``port`` (its log goes to artifacts/ when that folder exists)."""
    return local_site.start_server(env_extra, script, extra_args, log_dir=ARTIFACTS, port=port)


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


# When an address is not one of the site's pages (/no-such-page), Streamlit's front end probes for
# the server's base path and requests /no-such-page/_stcore/host-config and .../_stcore/health
# first; the 404s it logs for those probes are expected and are the only console errors we allow.
# A page's own address (/compare) tells Streamlit its base (explainer/shell.py), so a probe there
# is an error.
BASE_PATH_PROBES = ("/_stcore/host-config", "/_stcore/health")
PAGE_PROBES = tuple(f"/{page.url_path}{probe}" for page in PAGES if page.url_path for probe in BASE_PATH_PROBES)


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
        if "404" in message.text and url.endswith(BASE_PATH_PROBES) and not url.endswith(PAGE_PROBES):
            return
        self.errors.append(f"{message.text} ({url})")


@pytest.fixture
def watched(browser) -> Iterator[PageWatch]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    watch = PageWatch(context.new_page())
    yield watch
    context.close()


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


# --- HTTP responses: one of every kind, and the headers each must carry -------------------------


def fetch(url: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def assert_site_headers(headers: dict[str, str], what: str, frame_policy: str | None = None) -> None:
    assert headers.get("x-content-type-options") == "nosniff", what
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin", what
    assert headers.get("content-security-policy") == frame_policy, what


def response_kinds(page, base: str) -> dict[str, tuple[str, str]]:
    """One address of every kind the site answers, found from ``page`` (the Consult page, drawn): name -> (method, url).

    Clicking the text download makes a private download address (explainer/downloads.py).
    """
    script = page.evaluate("() => [...document.querySelectorAll('script[src]')].map(s => s.src)[0]")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as text").click()
    summary = info.value.url
    return {
        "page HTML": ("GET", f"{base}/consult"),
        "home HTML": ("GET", f"{base}/"),
        "unknown path (HTML)": ("GET", f"{base}/no-such-page"),
        "Streamlit script": ("GET", script),
        "static file": ("GET", f"{base}/app/static/icon.png"),
        "health": ("GET", f"{base}/_stcore/health"),
        "private download (media)": ("GET", summary),
        "missing media (404)": ("GET", f"{base}/media/{'0' * 32}.txt"),
        "missing static file (404)": ("GET", f"{base}/app/static/nothing.png"),
        "wrong method (405)": ("POST", f"{base}/"),
    }
