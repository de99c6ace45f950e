"""Embedding in a clinic's page, across two loopback origins.

The site runs on http://127.0.0.1:A with a clinic profile that allows http://localhost:B. Two tiny
"clinic" web servers serve a host page with an <iframe> of the site: one on localhost:B (allowed)
and one on localhost:C (not allowed). localhost and 127.0.0.1 are different sites to the browser,
so the allowed case is a real cross-site frame, where the SameSite=Lax XSRF cookie is not sent.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from tests.browser.conftest import ARTIFACTS, run_axe, start_server, stop_server, wait_for_app
from tests.browser.hosts import host_pages
from tests.conftest import ROOT

CLINIC_NAME = "Riverside <b>Pain</b> Clinic"


@pytest.fixture(scope="module")
def clinic_hosts() -> Iterator[tuple[str, str]]:
    """Two host-page servers; returns (allowed origin, other origin) as http://localhost:PORT."""
    with host_pages(2) as (allowed, other):
        yield allowed, other


@pytest.fixture(scope="module")
def clinic_site(clinic_hosts, tmp_path_factory) -> Iterator[str]:
    """The site with a clinic profile that allows only the first host origin."""
    allowed, _ = clinic_hosts
    profile = tmp_path_factory.mktemp("clinic") / "clinic.toml"
    profile.write_text(
        f"""
name = "{CLINIC_NAME}"
phone = "+1 555 0100"
booking_url = "https://www.example.org/book"
accent_color = "#0f6e5a"
logo = "{ROOT / "static" / "clinic-logo-example.png"}"
allowed_origins = ["{allowed}"]
""",
        encoding="utf-8",
    )
    ARTIFACTS.mkdir(exist_ok=True)
    process, url = start_server({"EXPLAINER_CLINIC": str(profile)})
    yield url
    stop_server(process)


def host_url(host: str, src: str, width: int = 800, height: int = 600) -> str:
    return f"{host}/?" + urllib.parse.urlencode({"src": src, "w": width, "h": height})


def open_embedded(browser, host: str, src: str, width: int = 800, height: int = 600):
    """Open the host page at a viewport that fits the frame; return (page, frame, context)."""
    context = browser.new_context(viewport={"width": width + 40, "height": height + 80}, accept_downloads=True)
    page = context.new_page()
    page.goto(host_url(host, src, width, height))
    frame = page.wait_for_selector("iframe").content_frame()
    return page, frame, context


def headers_of(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return {name.lower(): value for name, value in response.headers.items()}


def test_every_response_carries_the_clinic_framing_policy(clinic_site, clinic_hosts):
    allowed, _ = clinic_hosts
    for path in ("/", "/compare", "/_stcore/health", "/_stcore/host-config"):
        headers = headers_of(clinic_site + path)
        assert headers["content-security-policy"] == f"frame-ancestors 'self' {allowed}", path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


def test_the_server_trusts_no_parent_origin(server):
    with urllib.request.urlopen(server + "/_stcore/host-config", timeout=10) as response:
        host_config = json.load(response)
    assert host_config["allowedOrigins"] == []


def test_without_a_profile_any_site_may_frame(server):
    headers = headers_of(server + "/")
    assert "content-security-policy" not in headers
    assert headers["x-content-type-options"] == "nosniff"


def test_allowed_origin_renders_and_is_usable(browser, clinic_site, clinic_hosts):
    allowed, _ = clinic_hosts
    page, frame, context = open_embedded(browser, allowed, f"{clinic_site}/?embed=true")
    try:
        wait_for_app(frame)
        frame.locator("h1", has_text="Ketamine").wait_for()
        assert frame.locator('[data-testid="stException"]').count() == 0
        sidebar = frame.locator('[data-testid="stSidebar"]')
        assert CLINIC_NAME in sidebar.inner_text(), "the clinic name with markup should show as text"
        assert sidebar.locator("b", has_text="Pain").count() == 0
        assert "not medical advice" in frame.locator("body").inner_text()
        assert not run_axe(frame), "the branded, framed page should pass axe"
        page.screenshot(path=str(ARTIFACTS / "embed-800x600.png"))

        # Navigate inside the frame, then change the audience there.
        frame.locator(".st-key-site_nav a", has_text="About").click()
        wait_for_app(frame)
        frame.locator("h1", has_text="About").wait_for()
        frame.locator(".st-key-site_nav a", has_text="Home").click()
        wait_for_app(frame)
        assert "non-competitive NMDA" not in frame.locator("body").inner_text()
        sidebar.get_by_text("Trainee", exact=True).click()
        wait_for_app(frame)
        frame.get_by_text("non-competitive NMDA").first.wait_for()
        assert "audience=trainee" in frame.url
        assert frame.locator('[data-testid="stException"]').count() == 0

        # A CSV download works from inside the cross-site frame (no cookie is needed for it).
        frame.locator(".st-key-site_nav a", has_text="Evidence").click()
        wait_for_app(frame)
        with page.expect_download() as download:
            frame.locator('[data-testid="stDownloadButton"] button').first.click()
        assert download.value.suggested_filename.endswith(".csv")
    finally:
        context.close()


def test_narrow_embed_without_sidebar_fits(browser, clinic_site, clinic_hosts):
    allowed, _ = clinic_hosts
    page, frame, context = open_embedded(browser, allowed, f"{clinic_site}/compare?embed=true&sidebar=hidden", 390, 700)
    try:
        wait_for_app(frame)
        frame.locator("h1").first.wait_for()
        # On a narrow screen Streamlit folds the top menu into a drawer; the reading level stays on the page.
        assert frame.locator('[data-testid="stSidebar"] input[type="radio"]').count() == 0
        frame.locator(".st-key-audience_bar").get_by_text("Trainee", exact=True).wait_for()
        overflow = frame.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the 390px frame"
        page.screenshot(path=str(ARTIFACTS / "embed-390.png"))
    finally:
        context.close()


def test_other_origin_is_refused_by_the_browser(browser, clinic_site, clinic_hosts):
    _, other = clinic_hosts
    context = browser.new_context(viewport={"width": 840, "height": 680})
    page = context.new_page()
    try:
        with page.expect_console_message(lambda message: "frame-ancestors" in message.text) as refused:
            page.goto(host_url(other, f"{clinic_site}/?embed=true"))
        assert "Refused" in refused.value.text or "violates" in refused.value.text
        frame = page.wait_for_selector("iframe").content_frame()
        assert frame is None or frame.url.startswith("chrome-error://") or frame.url == "about:blank", frame and frame.url
        page.screenshot(path=str(ARTIFACTS / "embed-refused.png"))
    finally:
        context.close()


def test_clinics_page_preview_frames_the_site_itself(browser, clinic_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{clinic_site}/clinics")
        wait_for_app(page)
        assert "frame-ancestors 'self'" in page.inner_text("body")
        violations = run_axe(page)
        assert not violations, violations
        # The preview (a second visit to the whole site) loads only when asked for.
        assert page.locator("iframe[title='Preview of the embedded site']").count() == 0
        page.get_by_text("Show the live preview").click()
        preview = page.wait_for_selector("iframe[title='Preview of the embedded site']").content_frame()
        wait_for_app(preview)
        assert preview.locator("h1").first.inner_text().strip()
    finally:
        context.close()
