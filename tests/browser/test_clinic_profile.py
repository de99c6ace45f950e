"""Every clinic profile key has a visible effect: the site started with a profile that sets each one.

One check per key, found in Chromium on the page that key belongs to. The test fails when a key is
added to explainer/settings.py without a check here, so no setting can again do nothing unnoticed
(``visit_note`` was validated, documented and never drawn).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from explainer import settings
from explainer.site import PAGES_BY_ID
from tests.browser.conftest import ARTIFACTS, assert_site_headers, fetch, response_kinds, start_server, stop_server, wait_for_app
from tests.conftest import ROOT

ACCENT = "#8a2d0a"
ORIGIN = "https://www.harbour.example"
PROFILE = {
    "name": "Harbour <b>Pain</b> Clinic",
    "phone": "+1 555 0199",
    "website": "https://www.harbour.example/",
    "booking_url": "https://www.harbour.example/book",
    "accent_color": ACCENT,
    "logo": str(ROOT / "static" / "clinic-logo-example.png"),
    "pages": ["home", "compare", "consult", "glossary"],
    "default_audience": "trainee",
    "visit_note": "Bring your pill bottles.\nPark on Quay Street.",
    "allowed_origins": [ORIGIN],
}
FRAME_POLICY = f"frame-ancestors 'self' {ORIGIN}"


def _toml(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture(scope="module")
def clinic(tmp_path_factory) -> Iterator[str]:
    profile = tmp_path_factory.mktemp("profile") / "clinic.toml"
    profile.write_text("".join(f"{key} = {_toml(value)}\n" for key, value in PROFILE.items()), encoding="utf-8")
    assert settings.load_settings(profile).warnings == (), "the test profile itself must be valid"
    ARTIFACTS.mkdir(exist_ok=True)
    process, url = start_server({"EXPLAINER_CLINIC": str(profile)})
    yield url
    stop_server(process)


def _sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def check_name(page, base):
    page.goto(f"{base}/")
    wait_for_app(page)
    assert "Shared by Harbour <b>Pain</b> Clinic" in _sidebar(page).inner_text()  # as text, angle brackets and all


def check_phone(page, base):  # noqa: ARG001 - the home page is already open
    assert "Phone: +1 555 0199" in _sidebar(page).inner_text()


def check_website(page, base):  # noqa: ARG001
    assert _sidebar(page).get_by_role("link", name="Clinic website").get_attribute("href") == PROFILE["website"]


def check_booking_url(page, base):  # noqa: ARG001
    assert _sidebar(page).get_by_role("link", name="Book a visit").get_attribute("href") == PROFILE["booking_url"]


def check_accent_color(page, base):  # noqa: ARG001
    red, green, blue = (int(ACCENT[i : i + 2], 16) for i in (1, 3, 5))
    # The chosen reading level's mark is drawn in the primary colour, which the accent replaces (serve.py).
    chosen = _sidebar(page).locator("label", has=page.locator("input[type=radio]:checked"))
    colours = chosen.evaluate("e => [e, ...e.querySelectorAll('*')].map(x => getComputedStyle(x).backgroundColor)")
    assert f"rgb({red}, {green}, {blue})" in colours


def check_logo(page, base):  # noqa: ARG001
    logo = page.locator('[data-testid="stSidebarLogo"]')
    assert "/media/" in logo.get_attribute("src")
    assert logo.evaluate("img => img.complete && img.naturalWidth") > 0
    status, headers, _ = fetch(logo.evaluate("img => img.src"))
    assert status == 200 and headers["content-type"] == "image/png"
    assert_site_headers(headers, "logo (media)", FRAME_POLICY)


def check_pages(page, base):  # noqa: ARG001
    shown = page.locator(".st-key-site_nav a").all_inner_texts()
    wanted = [PAGES_BY_ID[page_id].title for page_id in (*PROFILE["pages"], "sources")]
    assert sorted(label.strip().splitlines()[-1] for label in shown) == sorted(wanted)  # each after its icon


def check_default_audience(page, base):  # noqa: ARG001 - a first visit, with no ?audience=
    checked = _sidebar(page).locator("input[type=radio]:checked")
    assert checked.evaluate("input => input.closest('label').innerText").strip() == "Trainee"
    assert "non-competitive NMDA" in page.inner_text("body")


def check_visit_note(page, base):
    page.goto(f"{base}/consult")
    wait_for_app(page)
    note = page.locator(".st-key-clinic_note")
    assert "A note from Harbour <b>Pain</b> Clinic" in note.inner_text()
    assert "Bring your pill bottles." in note.inner_text() and "Park on Quay Street." in note.inner_text()


def check_allowed_origins(page, base):  # the Consult page is open: one response of every kind
    for name, (method, url) in response_kinds(page, base).items():
        _, headers, _ = fetch(url, method)
        assert_site_headers(headers, name, FRAME_POLICY)


# In the order they run: the home page's checks, then the Consult page's.
CHECKS: dict[str, Callable] = {
    "name": check_name,
    "phone": check_phone,
    "website": check_website,
    "booking_url": check_booking_url,
    "accent_color": check_accent_color,
    "logo": check_logo,
    "pages": check_pages,
    "default_audience": check_default_audience,
    "visit_note": check_visit_note,
    "allowed_origins": check_allowed_origins,
}


def test_every_profile_key_is_checked_here():
    assert set(CHECKS) == set(settings.KNOWN_KEYS) == set(PROFILE)


def test_every_profile_key_shows_on_its_page(clinic, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    try:
        for key, check in CHECKS.items():
            try:
                check(page, clinic)
            except AssertionError as error:
                raise AssertionError(f"clinic profile key {key!r} has no visible effect: {error}") from error
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Clinic settings problems" not in page.inner_text("body")
    finally:
        context.close()
