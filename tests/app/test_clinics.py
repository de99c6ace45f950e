"""The "For clinics" page, the clinic profile in the running app, and the ?embed options."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from explainer.settings import ENV_VAR
from tests.app.conftest import assert_clean, html_blocks, html_text, open_page
from tests.conftest import ROOT

LOGO = ROOT / "static" / "clinic-logo-example.png"


@pytest.fixture
def profile(tmp_path, monkeypatch):
    """Write a clinic profile and point EXPLAINER_CLINIC at it (a fresh path per test)."""

    def write(text: str) -> Path:
        path = tmp_path / "clinic.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(ENV_VAR, str(path))
        return path

    return write


@pytest.fixture(autouse=True)
def neutral(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def snippet_src(at: AppTest) -> str:
    code = [c.value for c in at.code if "<iframe" in c.value]
    assert len(code) == 1, [c.value for c in at.code]

    class Reader(HTMLParser):
        src = ""

        def handle_starttag(self, tag, attrs):
            if tag == "iframe":
                Reader.src = dict(attrs)["src"]

    Reader().feed(code[0])
    return Reader.src


def texts(at: AppTest) -> str:
    shown = [m.value for m in [*at.markdown, *at.info, *at.warning, *at.caption]] + [html_text(b) for b in html_blocks(at)]
    return " ".join(shown)


def test_clinics_page_builds_a_snippet(audience):
    at = open_page("pages/clinics.py", audience)
    assert_clean(at)
    assert at.title[0].value == "For clinics"
    assert "any website" in texts(at)
    src = urlsplit(snippet_src(at))
    query = parse_qs(src.query)
    assert query["embed"] == ["true"] and query["sidebar"] == ["hidden"]
    assert query["audience"] == ["patient"]


def test_choices_change_the_snippet():
    at = open_page("pages/clinics.py")
    at.selectbox(key="embed_start").set_value("compare")
    at.radio(key="embed_audience").set_value("trainee")
    at.checkbox(key="embed_hide_sidebar").uncheck()
    at.slider(key="embed_height").set_value(900)
    at.run()
    assert_clean(at)
    src = urlsplit(snippet_src(at))
    query = parse_qs(src.query)
    assert src.path.endswith("/compare")
    assert query["audience"] == ["trainee"]
    assert "sidebar" not in query and "embed_options" not in query
    assert 'height="900"' in next(c.value for c in at.code if "<iframe" in c.value)


def test_theme_choice_follows_the_palettes_the_site_defines():
    shipped = config.get_option("theme.dark.backgroundColor")
    try:
        # With a dark palette (as shipped) the clinic picks light, dark or the visitor's device.
        config.set_option("theme.dark.backgroundColor", "#0e1117")
        at = open_page("pages/clinics.py")
        assert at.radio(key="embed_theme").value == "site"
        assert "embed_options" not in parse_qs(urlsplit(snippet_src(at)).query)
        at.radio(key="embed_theme").set_value("dark").run()
        assert_clean(at)
        assert parse_qs(urlsplit(snippet_src(at)).query)["embed_options"] == ["dark_theme"]
        # A deployment that removes the dark palette gets no choice, and a sentence saying why.
        config.set_option("theme.dark.backgroundColor", None)
        at = open_page("pages/clinics.py")
        assert not [r for r in at.radio if r.key == "embed_theme"]
        assert any("dark palette" in c.value for c in at.caption)
    finally:
        config.set_option("theme.dark.backgroundColor", shipped)


def test_bad_site_address_falls_back_with_a_message():
    at = open_page("pages/clinics.py")
    at.text_input(key="embed_address").set_value('http://evil.example/"><script>').run()
    assert_clean(at)
    assert any("https://" in w.value for w in at.warning)
    assert "evil" not in snippet_src(at)


def test_profile_branding_is_text_and_problems_are_a_notice(profile):
    profile(
        f"""
name = "Riverside <b>Pain</b> Clinic"
phone = "+1 555 0100"
booking_url = "https://book.example.org"
logo = "{LOGO}"
accent_color = "yellow"
colour = "red"
allowed_origins = ["https://www.example.org"]
"""
    )
    at = open_page("pages/clinics.py")
    assert_clean(at)
    sidebar = " ".join(html_blocks(at.sidebar))
    assert "Riverside" in sidebar and "<b>" not in sidebar and "&lt;b&gt;" in sidebar  # escaped, so shown as text
    notices = " ".join(i.value for i in at.info)
    assert "clinic settings have a problem" in notices
    details = " ".join(html_text(b) for b in html_blocks(at.expander[0])) if at.expander else ""
    assert "accent_color" in details and "colour" in details
    assert "frame-ancestors 'self' https://www.example.org" in " ".join(c.value for c in at.code)
    assert "any website" not in texts(at)


def test_profile_default_audience_and_page_subset(profile):
    profile('default_audience = "trainee"\npages = ["home", "compare"]\n')
    at = open_page("pages/home.py", audience="patient")  # audience=patient is not put in the URL
    assert_clean(at)
    assert at.sidebar.radio(key="audience").value == "trainee"
    at = open_page("pages/clinics.py")
    assert at.multiselect(key="embed_pages").options == ["Home", "Compare", "Sources"]


def test_clinic_note_is_plain_text(profile):
    profile('name = "Clinic"\nvisit_note = "Bring <script>alert(1)</script> your *list*"\n')

    def consult_block():
        from explainer import ui

        ui.clinic_note()

    at = AppTest.from_function(consult_block).run()
    assert_clean(at)
    shown = " ".join(html_blocks(at))
    assert "A note from" in html_text(shown)
    assert "<script>" not in shown and "&lt;script&gt;" in shown and "*list*" in html_text(shown)  # text, not markup


def test_hidden_sidebar_moves_the_audience_to_the_page():
    at = open_page("pages/home.py", sidebar="hidden")
    assert_clean(at)
    assert not at.sidebar.radio
    assert at.radio(key="audience").value == "patient"
    assert at.query_params["sidebar"] in ("hidden", ["hidden"])


def test_page_option_opens_that_page():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["page"] = "about"
    at.run()
    assert_clean(at)
    assert at.title[0].value.startswith("About")


@pytest.mark.parametrize("params", [{"sidebar": "sometimes"}, {"page": "nowhere"}, {"pages": "secret"}])
def test_unknown_embed_options_fall_back_with_a_notice(params):
    at = open_page("pages/home.py", **params)
    assert_clean(at)
    assert at.sidebar.radio(key="audience")  # the sidebar is still there
    assert any("link" in i.value for i in at.info)
