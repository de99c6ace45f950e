"""Hostile input in a real browser: crafted links, typed payloads, every kind of response, a restart.

A standing suite, bounded in count and time (one tab per group, a fixed list of cases). It checks
what the AppTest fuzz cases cannot: what Chromium draws. Streamlit's Markdown, run in the browser,
turns a bare address into a link, so the cases look for any <a> to the hostile host, for a script
that ran (each payload sets ``window.__hostile``), and for notices that repeat a long value whole.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlencode

import pytest

from explainer import consult, downloads
from explainer.quoting import shortened
from tests.browser.conftest import (
    PageWatch,
    assert_site_headers,
    fetch,
    response_kinds,
    run_axe,
    start_server,
    stop_server,
    wait_for_app,
)

PHISH = "login.example.com"
RAN = "window.__hostile = 1"
SCRIPTS = [f"<script>{RAN}</script>", f'<img src=x onerror="{RAN}">', f"[click](javascript:{RAN})"]

# (path, query parameters): every page that reads the URL, with addresses, markup and numbers int() refuses.
URL_CASES = [
    ("compare", {"options": f"https://{PHISH}/reset"}),
    ("compare", {"options": f"ketamine_iv,www.{PHISH},help@{PHISH},mailto:help@{PHISH}"}),
    ("compare", {"options": "x" * 10_000, "pain": SCRIPTS[0]}),
    ("compare", {"weights": "²,5,5,5,5", "nondrug": SCRIPTS[1]}),
    ("compare", {"weights": ",".join(["9" * 2000] * 5)}),
    ("", {"pages": f"home,https://{PHISH}", "page": f"www.{PHISH}", "sidebar": SCRIPTS[1]}),
    ("", {"audience": SCRIPTS[2]}),
    ("vignette", {"story": SCRIPTS[1], "step": "²"}),
    ("vignette", {"story": f"https://{PHISH}", "step": "1" * 5000}),
    ("mechanisms", {"option": f"https://{PHISH}/reset"}),
]


def _links_to(page, host: str) -> list[str]:
    """Links that lead to ``host`` (a web or mail address there); the page's own address may carry the value."""
    return page.evaluate(
        """host => [...document.querySelectorAll('a[href]')]
             .filter(a => a.hostname.endsWith(host) || (!a.href.startsWith(location.origin) && a.href.includes(host)))
             .map(a => a.href)""",
        host,
    )


def _assert_unharmed(page, watch: PageWatch | None = None) -> None:
    assert page.evaluate("() => window.__hostile === undefined"), "a script from the input ran"
    assert _links_to(page, PHISH) == [], "an address from the input became a link"
    assert page.locator('[data-testid="stException"]').count() == 0
    for alert in page.locator('[data-testid="stAlert"]').all():
        assert len(alert.inner_text()) < 400, "a notice repeats a long value"
    assert "not medical advice" in page.inner_text("body")
    if watch is not None:
        assert not watch.errors, watch.errors


def test_the_phishing_share_link_is_never_shown_back(server, watched):
    # Compare's notice says how many options were not recognised and never repeats them (explainer.compare).
    page = watched.page
    page.goto(f"{server}/compare?options=https://{PHISH}/reset")
    wait_for_app(page)
    notice = page.locator('[data-testid="stAlert"]', has_text="not recognised")
    notice.wait_for()
    assert PHISH not in notice.inner_text() and notice.locator("a").count() == 0
    assert page.locator(f'a[href*="{PHISH}"]').count() == 0 and PHISH not in page.locator('[data-testid="stMain"]').inner_text()
    _assert_unharmed(page, watched)


def test_crafted_links_change_nothing_but_a_short_notice(server, watched):
    page = watched.page
    for path, params in URL_CASES:
        page.goto(f"{server}/{path}?{urlencode(params, quote_via=quote)}")
        wait_for_app(page)
        _assert_unharmed(page)
    long_notice = None
    page.goto(f"{server}/compare?options={'x' * 10_000}")
    wait_for_app(page)
    long_notice = page.locator('[data-testid="stAlert"]', has_text="not recognised").inner_text()
    assert "xxxxxxxx" not in long_notice and len(long_notice) < 200
    assert not watched.errors, watched.errors


def _type(page, label: str, value: str) -> None:
    box = page.get_by_role("textbox", name=label)
    box.fill(value)
    box.press("Enter")
    wait_for_app(page)


def test_typed_payloads_are_shown_as_text(server, watched):
    page = watched.page
    page.goto(f"{server}/glossary")
    wait_for_app(page)
    for value in (f"https://{PHISH}/reset", f"www.{PHISH}", SCRIPTS[1]):
        _type(page, "Search the glossary", value)
        line = page.locator('[data-testid="stHtml"]', has_text="terms match")
        assert line.locator("code").inner_text() == shortened(value)
        _assert_unharmed(page)

    page.goto(f"{server}/sources")
    wait_for_app(page)
    for value in (SCRIPTS[0], f"help@{PHISH}"):
        _type(page, "Filter sources", value)
        _assert_unharmed(page)

    page.goto(f"{server}/consult")
    wait_for_app(page)
    question = f"Is https://{PHISH}/reset safe? {SCRIPTS[1]} A & B < C"
    page.get_by_label("Add your own question").fill(question)
    page.get_by_role("button", name="Add question").click()
    wait_for_app(page)
    assert (
        page.get_by_text(question).filter(visible=True).count() == 1
    )  # shown as typed: text, not a link or an image (the hidden printout holds a second copy)
    _assert_unharmed(page, watched)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_values_shown_back_pass_axe_in_both_palettes(server, browser, scheme):
    """Quoted values (code in a notice or a line of text) and the notices themselves keep their contrast."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 2000})
    page = context.new_page()
    try:
        page.goto(f"{server}/glossary")
        wait_for_app(page)
        _type(page, "Search the glossary", f"https://{PHISH}/reset")
        assert run_axe(page) == []
        page.goto(f"{server}/compare?options=https://{PHISH}/reset")
        wait_for_app(page)
        assert run_axe(page) == []
    finally:
        context.close()


def test_an_over_long_paste_keeps_its_first_300_characters_with_a_message(server, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(f"{server}/consult")
        wait_for_app(page)
        pasted = "Could I have the drip at home instead of in hospital? " * 10
        page.evaluate("text => navigator.clipboard.writeText(text)", pasted)
        box = page.get_by_label("Add your own question")
        box.focus()
        page.keyboard.press("Control+V")
        page.wait_for_function("n => document.activeElement.value.length === n", arg=len(pasted))  # the box took it all
        page.get_by_role("button", name="Add question").click()
        wait_for_app(page)
        assert page.get_by_text(consult.CUT_NOTE).count() == 1
        kept = consult.clean_question(pasted)
        assert len(kept) <= consult.MAX_QUESTION_LENGTH and page.get_by_text(kept, exact=False).count() >= 1
    finally:
        context.close()


# --- response headers on every kind of response ----------------------------------------------


def test_every_kind_of_response_carries_the_security_headers(server, watched):
    page = watched.page
    page.goto(f"{server}/consult")
    wait_for_app(page)
    statuses = {}
    for name, (method, url) in response_kinds(page, server).items():
        status, headers, _ = fetch(url, method)
        statuses[name] = status
        assert_site_headers(headers, name)
        if name == "private download (media)":
            assert headers["cache-control"] == "no-store" and headers["content-disposition"].startswith("attachment")
    assert statuses["private download (media)"] == 200 and statuses["page HTML"] == 200
    assert statuses["missing media (404)"] == statuses["missing static file (404)"] == 404
    assert statuses["wrong method (405)"] == 405


def test_a_public_download_is_not_held_back(server, watched):
    """Only the visit summary has a window: a CSV of public data answers as Streamlit serves it."""
    page = watched.page
    page.goto(f"{server}/compare")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the data (CSV)").first.click()
    status, headers, body = fetch(info.value.url, headers={"Accept-Encoding": "gzip"})
    assert status == 200 and b"Option" in (body if headers.get("content-encoding") != "gzip" else __import__("gzip").decompress(body))
    assert "no-store" not in headers.get("cache-control", "")
    assert_site_headers(headers, "public CSV")


# --- the privacy promise: what the page says is what the server does -----------------------------

KEPT_SECONDS = 4


@pytest.fixture(scope="module")
def short_visits():
    """The site with a short server.disconnectedSessionTTL, so the stated window can be waited out."""
    process, url = start_server(extra_args=["--server.disconnectedSessionTTL", str(KEPT_SECONDS)])
    yield url
    stop_server(process)


def test_the_page_states_the_servers_setting_and_the_download_address_keeps_to_it(short_visits, browser):
    said = downloads.plain_duration(KEPT_SECONDS)
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{short_visits}/consult")
    wait_for_app(page)
    body = page.inner_text("body")
    assert f"it is kept for {said} more" in body and f"Its web address works for {said}" in body
    page.get_by_label("Add your own question").fill("Can my sister Zelda7734 come along?")
    page.get_by_role("button", name="Add question").click()
    wait_for_app(page)
    made = time.monotonic()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download as text").click()
    url = info.value.url
    assert "Zelda7734" in info.value.path().read_text(encoding="utf-8")
    status, headers, body = fetch(url)
    assert status == 200 and b"Zelda7734" in body and headers["cache-control"] == "no-store"
    context.close()  # the visitor leaves
    time.sleep(max(0.0, made + KEPT_SECONDS + 1 - time.monotonic()))
    status, headers, body = fetch(url)
    assert status == 404 and b"Zelda7734" not in body, "the download address outlived what the page says"
    assert body == downloads.EXPIRED_MESSAGE
    assert_site_headers(headers, "expired download")
    # A gzip-accepting client, a HEAD and a range request are refused the same way.
    for method, extra in (("GET", {"Accept-Encoding": "gzip"}), ("HEAD", {}), ("GET", {"Range": "bytes=0-10"})):
        assert fetch(url, method, extra)[0] == 404, (method, extra)


# --- a restart with a visitor connected -----------------------------------------------------------


def test_a_restart_with_a_visitor_connected_reconnects_without_an_error(browser):
    process, url = start_server()
    port = int(url.rsplit(":", 1)[1])
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{url}/compare")
        wait_for_app(page)
        stop_server(process)
        page.wait_for_timeout(1000)  # the page notices the server is gone
        process, _ = start_server(port=port)
        page.wait_for_selector('[data-testid="stApp"][data-test-connection-state="CONNECTED"]', timeout=30_000)
        wait_for_app(page)
        assert page.locator("h1", has_text="Compare").count() == 1
        assert page.locator('[role="dialog"]').filter(visible=True).count() == 0, "a connection error dialog is showing"
        assert page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count() == 0
        # The page works on the new server: the first click on a Compare control counts (a session
        # made anew must not override it with its own seeded value), then the reading level changes.
        page.get_by_text("CRPS (complex regional pain syndrome)").click()
        page.wait_for_function("() => location.search.includes('pain=crps')", timeout=30_000)
        wait_for_app(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("Trainee", exact=True).click()
        page.wait_for_function("() => location.search.includes('audience=trainee')", timeout=30_000)
        wait_for_app(page)
        assert errors == [], errors
    finally:
        context.close()
        stop_server(process)
