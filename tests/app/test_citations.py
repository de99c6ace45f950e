"""Citations open in place on the content pages, in both reading levels (explainer/citations.py)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from explainer import DATA_DIR, evidence
from tests.app.conftest import PAGE_FILES, assert_clean, html_blocks, open_page


class _Citations(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.targets: list[str] = []
        self.cards: list[str] = []
        self.entry_links: list[str] = []
        self.number_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "button" and attributes.get("class") == "citation":
            self.targets.append(attributes["popovertarget"])
        if "citation-card" in (attributes.get("class") or "").split():
            self.cards.append(attributes["id"])
        if tag == "a" and attributes.get("class") == "citation-card-entry":
            self.entry_links.append(attributes["href"])
        if tag == "a" and attributes.get("class") == "citation":
            self.number_links.append(attributes["href"])


def citations_of(at) -> _Citations:
    parser = _Citations()
    for block in html_blocks(at):
        parser.feed(block)
    return parser


@pytest.mark.parametrize("page_file", ["pages/home.py", "pages/evidence.py", "pages/mechanisms.py"])
def test_every_number_opens_a_card_on_the_same_page(page_file, audience):
    at = open_page(page_file, audience)
    assert_clean(at)
    found = citations_of(at)
    assert found.targets, "the page cites nothing"
    assert not found.number_links, "a number still leaves the page"
    assert len(found.ids) == len(set(found.ids)), "an id is used twice on the page"
    assert set(found.targets) == set(found.cards), "a number without its card, or a card without a number"
    known = set(evidence.load_references(DATA_DIR)["id"])
    query = "?audience=trainee" if audience == "trainee" else ""
    assert len(found.entry_links) == len(found.cards)
    for link in found.entry_links:  # each card links to its Sources entry, in the same reading level
        path, _, anchor = link.partition("#")
        assert path == f"sources{query}" and anchor.removeprefix("ref-") in known


def test_a_reference_cited_in_two_sections_gets_a_card_in_each():
    at = open_page("pages/evidence.py", "trainee")
    found = citations_of(at)
    by_ref: dict[str, list[str]] = {}
    for card in found.cards:
        by_ref.setdefault(card.rsplit("-", 1)[-1], []).append(card)
    assert any(len(cards) > 1 for cards in by_ref.values()), "the test needs a source cited in two sections"
    assert len(found.cards) == len(set(found.cards))


@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_no_citation_reaches_the_page_any_other_way(page_file, audience):
    """Every [@id] is drawn by the content renderer (st.html): none is left as text, and no Markdown that
    Streamlit draws itself (st.markdown, captions, help) carries a citation or a bare [n] link to Sources."""
    at = open_page(page_file, audience)
    assert_clean(at)
    streamlit_markdown = [element.value for element in [*at.markdown, *at.caption, *at.info, *at.warning]]
    for text in streamlit_markdown:
        assert "[@" not in text and not re.search(r"\[\d+\]\(sources", text), text
    for block in html_blocks(at):
        assert "[@" not in block, block[:200]
