"""Values shown back from a link or a visitor: short, one line, and inside a code span no renderer links."""

from __future__ import annotations

import pytest

from explainer import content
from explainer.quoting import BLANK, ELLIPSIS, SHOWN_CHARACTERS, quoted, quoted_list, shortened
from tests.links import exposed_in_html, exposed_in_markdown

ADDRESSES = [
    "https://login.example.com/reset",
    "http://login.example.com",
    "www.login.example.com",
    "help@login.example.com",
    "mailto:help@login.example.com",
    "<https://login.example.com>",
    "[reset](https://login.example.com)",
]


@pytest.mark.parametrize("value", ADDRESSES)
def test_an_address_is_shown_as_code_and_never_as_a_link(value):
    markdown = f"Some options in the link were not recognised: {quoted(value)}."
    assert exposed_in_markdown(markdown, "login.example.com") == []
    # The site's own renderer (markdown-it-py, for ui.text) puts it in <code>, whole.
    html = content.render_text(markdown)
    assert exposed_in_html(html, "login.example.com") == []
    assert "<code>" in html and "<a " not in html
    # The stand-in itself notices an address left bare.
    assert exposed_in_markdown(f"Left out: {value}.", "login.example.com")


def test_a_long_value_is_cut_with_an_ellipsis():
    shown = shortened("https://login.example.com/" + "a" * 100_000)
    assert len(shown) == SHOWN_CHARACTERS and shown.endswith(ELLIPSIS)
    assert shown.startswith("https://login.example.com/")
    assert quoted("x" * 500) == f"`{'x' * (SHOWN_CHARACTERS - 1)}{ELLIPSIS}`"
    assert shortened("a" * 30, limit=10) == "a" * 9 + ELLIPSIS
    assert shortened("short") == "short"


def test_the_work_does_not_grow_with_the_value():
    """A value of millions of invisible characters is read only as far as its start."""
    hidden = "\u200b" * 5_000_000 + "visible"
    assert shortened(hidden) == ELLIPSIS  # cut: there was more than was read


def test_invisible_and_control_characters_are_dropped_and_lines_joined():
    assert shortened("evil\u202etxt.exe") == "eviltxt.exe"
    assert shortened("a\u0000b\ufeffc\u200bd") == "abcd"
    assert shortened("one\n\ntwo\tthree   four") == "one two three four"
    assert quoted(" \u200b\n") == BLANK


@pytest.mark.parametrize("value", ["a`b", "`start", "end`", "``double``", "`"])
def test_backticks_in_the_value_cannot_close_the_code_span(value):
    html = content.render_text(f"Shown: {quoted(value)}")
    assert html.count("<code>") == 1
    inside = html.split("<code>", 1)[1].split("</code>", 1)[0]
    assert inside == value


def test_markup_in_a_value_stays_text():
    html = content.render_text(quoted("<img src=x onerror=alert(1)> **bold** :red[x]"))
    assert "<img" not in html and "<strong>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_list_names_the_first_few_and_counts_the_rest():
    assert quoted_list(["a", "b"]) == "`a`, `b`"
    assert quoted_list([str(n) for n in range(8)], most=3) == "`0`, `1`, `2` and 5 more"
