"""The embed options in a visitor's URL and the iframe snippet a clinic copies."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from explainer import embed
from explainer.embed import EmbedChoice, EmbedView, iframe_snippet, parse_view
from explainer.site import PAGE_IDS

# --- the visitor's URL -----------------------------------------------------------------------


def test_no_options_is_the_plain_site():
    assert parse_view({}) == EmbedView()


def test_hidden_sidebar_and_page_subset():
    view = parse_view({"sidebar": "hidden", "pages": "compare,home", "page": "home"})
    assert view == EmbedView(hide_sidebar=True, pages=("compare", "home", "sources"), start_page="home")


def test_list_values_from_streamlit_are_read():
    assert parse_view({"sidebar": ["hidden"], "page": ["compare"]}).start_page == "compare"


@pytest.mark.parametrize(
    ("params", "field", "fallback"),
    [
        ({"sidebar": "sometimes"}, "hide_sidebar", False),
        ({"pages": "nowhere"}, "pages", None),
        ({"page": "secret"}, "start_page", None),
        ({"page": "<script>"}, "start_page", None),
    ],
)
def test_unknown_values_fall_back_with_a_notice(params, field, fallback):
    view = parse_view(params)
    assert getattr(view, field) == fallback
    assert len(view.notices) == 1


def test_url_cannot_add_pages_the_clinic_left_out():
    view = parse_view({"pages": "home,clinics", "page": "clinics"}, profile_pages=("home", "compare", "sources"))
    assert view.pages == ("home", "sources")
    assert view.start_page is None
    assert len(view.notices) == 2


def test_start_page_must_be_in_the_menu():
    assert parse_view({"pages": "compare", "page": "glossary"}).start_page is None


# --- the snippet -------------------------------------------------------------------------------


class IframeReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse_snippet(snippet: str) -> dict[str, str]:
    reader = IframeReader()
    reader.feed(snippet)
    assert [tag for tag, _ in reader.tags] == ["iframe", "a"], reader.tags
    return reader.tags[0][1]


def test_snippet_carries_every_choice():
    choice = EmbedChoice(
        base_url="https://explainer.example.org/",
        start_page="compare",
        pages=("home", "compare"),
        audience="trainee",
        height=640,
        theme="dark",
        hide_sidebar=True,
    )
    attrs = parse_snippet(iframe_snippet(choice))
    url = urlsplit(attrs["src"])
    assert (url.scheme, url.netloc, url.path) == ("https", "explainer.example.org", "/compare")
    assert parse_qs(url.query) == {
        "embed": ["true"],
        "embed_options": ["dark_theme"],
        "audience": ["trainee"],
        "sidebar": ["hidden"],
        "pages": ["home,compare,sources"],
    }
    assert attrs["height"] == "640" and attrs["width"] == "100%"
    assert attrs["title"] == embed.SITE_TITLE
    assert "border: 0" in attrs["style"]


def test_defaults_give_a_short_url_at_home():
    src = parse_snippet(iframe_snippet(EmbedChoice(base_url="https://e.example.org")))["src"]
    assert src == "https://e.example.org/?embed=true&audience=patient"


def test_snippet_escapes_quotes_and_markup():
    hostile = 'https://e.example.org/"><script>alert(1)</script>'
    snippet = iframe_snippet(EmbedChoice(base_url=hostile), title='Clinic "A" <b>')
    assert "<script>" not in snippet and '"><' not in snippet
    attrs = parse_snippet(snippet)
    assert attrs["src"].startswith(hostile)  # the parser un-escapes: the value survived intact
    assert attrs["title"] == 'Clinic "A" <b>'
    assert html.escape('"A"', quote=True) in snippet


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("height", 10, embed.HEIGHT_MIN),
        ("height", 99999, embed.HEIGHT_MAX),
        ("theme", "neon", "site"),
        ("audience", "wizard", "patient"),
        ("start_page", "nowhere", "home"),
    ],
)
def test_out_of_range_choices_are_clamped(field, value, expected):
    choice = embed.normalise_choice(EmbedChoice(base_url="https://e.example.org", **{field: value}))
    assert getattr(choice, field) == expected


def test_start_page_outside_the_chosen_pages_moves_to_the_first():
    choice = embed.normalise_choice(EmbedChoice(base_url="https://e.example.org", pages=("glossary", "about"), start_page="compare"))
    assert choice.start_page == "glossary"


def test_choosing_every_visitor_page_adds_no_pages_parameter():
    assert "pages=" not in embed.embed_path(EmbedChoice(base_url="https://e.example.org", pages=embed.EMBED_DEFAULT_PAGES))


def test_choosing_for_clinics_too_spells_out_the_pages():
    """An embed's own menu leaves "For clinics" out, so a clinic that wants it there needs ?pages=."""
    path = embed.embed_path(EmbedChoice(base_url="https://e.example.org", pages=PAGE_IDS))
    assert "pages=" + "%2C".join(PAGE_IDS) in path


def test_the_embed_menu_of_a_profile_that_lists_its_pages_is_its_own():
    listed = ("home", "compare", "clinics", "sources")
    same = EmbedChoice(base_url="https://e.example.org", pages=listed, menu_pages=listed)
    assert "pages=" not in embed.embed_path(same)
    fewer = EmbedChoice(base_url="https://e.example.org", pages=("home", "compare"), menu_pages=listed)
    assert "pages=home%2Ccompare%2Csources" in embed.embed_path(fewer)


@pytest.mark.parametrize(
    ("address", "ok"),
    [
        ("https://explainer.example.org", True),
        ("https://explainer.example.org/sub/path", True),
        ("http://localhost:8501", True),
        ("http://127.0.0.1:8501", True),
        ("http://explainer.example.org", False),
        ("https://explainer.example.org/?x=1", False),
        ("explainer.example.org", False),
        ('https://e.example.org/"', False),
    ],
)
def test_site_address_check(address, ok):
    assert (embed.check_base_url(address) is None) is ok


@pytest.mark.parametrize(
    ("page_url", "base"),
    [
        ("http://127.0.0.1:8501/clinics", "http://127.0.0.1:8501"),
        ("https://e.example.org/app/clinics?audience=trainee", "https://e.example.org/app"),
        ("https://e.example.org/", "https://e.example.org"),
        (None, None),
        ("about:blank", None),
    ],
)
def test_site_base_from_the_browser_address(page_url, base):
    assert embed.site_base_from_page_url(page_url) == base


def test_an_address_longer_than_any_real_one_gives_no_base():
    assert embed.site_base_from_page_url("https://clinic.example/clinics") == "https://clinic.example"
    assert embed.site_base_from_page_url("https://clinic.example/" + "a" * 100_000 + "/clinics") is None
