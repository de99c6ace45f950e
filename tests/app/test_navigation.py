"""Back and Next along the reading path under each page, in both reading levels."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from explainer import compare
from explainer.site import PAGES_BY_ID, READING_PATHS, path_neighbours
from tests.app.conftest import assert_clean, html_blocks, open_page


def path_links(at) -> dict[str, tuple[str, dict[str, list[str]]]]:
    """The reading path's links: "Back"/"Next" -> (target url path, its query)."""
    links = {}
    for element in at.get("page_link"):
        word, _, _ = element.proto.label.partition(": ")
        if word in ("Back", "Next"):
            links[word] = (element.proto.page, parse_qs(element.proto.query_string))
    return links


@pytest.mark.parametrize("page_id", ["home", "mechanisms", "compare", "evidence", "vignette", "consult", "glossary"])
def test_each_page_on_the_path_links_back_and_on(page_id, audience):
    at = open_page(PAGES_BY_ID[page_id].file, audience)
    assert_clean(at)
    links = path_links(at)
    back, after = path_neighbours(page_id, audience, PAGES_BY_ID)
    expected = {word: target for word, target in (("Back", back), ("Next", after)) if target}
    assert {word: page for word, (page, _) in links.items()} == {word: PAGES_BY_ID[t].url_path for word, t in expected.items()}
    labels = [element.proto.label for element in at.get("page_link") if element.proto.label.split(":")[0] in ("Back", "Next")]
    assert labels == [f"{word}: {PAGES_BY_ID[target].title}" for word, target in expected.items()]
    if expected:
        assert any("Keep reading" in block for block in html_blocks(at))
    for _, query in links.values():
        assert query.get("audience") == (["trainee"] if audience == "trainee" else None)  # patient is the default


@pytest.mark.parametrize("page_id", ["sources", "about", "clinics"])
def test_pages_off_the_path_show_no_back_or_next(page_id, audience):
    at = open_page(PAGES_BY_ID[page_id].file, audience)
    assert_clean(at)
    assert path_links(at) == {}
    assert not any("Keep reading" in block for block in html_blocks(at))


def test_the_paths_differ_by_reading_level():
    assert path_links(open_page("pages/compare.py", "patient"))["Next"][0] == "vignette"
    assert path_links(open_page("pages/compare.py", "trainee"))["Next"][0] == "evidence"
    assert READING_PATHS["patient"] != READING_PATHS["trainee"]


def test_links_to_compare_carry_the_visitors_choices(audience):
    at = open_page("pages/compare.py", audience)
    at.radio(key="cmp_pain").set_value("crps").run()
    assert_clean(at)
    wanted = compare.to_params(at.session_state["cmp_selection"])
    assert wanted == {"pain": "crps"}
    following = "evidence" if audience == "trainee" else "vignette"
    at.switch_page(PAGES_BY_ID[following].file)
    at.run()
    assert_clean(at)
    page, query = path_links(at)["Back"]
    assert page == "compare" and query["pain"] == ["crps"]
    # A link to another page stays short: Compare's choices are only for Compare.
    if "Next" in path_links(at):
        assert "pain" not in path_links(at)["Next"][1]


def test_the_embed_builder_leaves_for_clinics_out_unless_chosen():
    from urllib.parse import urlsplit

    from tests.app.test_clinics import snippet_src

    at = open_page("pages/clinics.py")
    assert_clean(at)
    pages = at.multiselect(key="embed_pages")
    assert "For clinics" in pages.options and "clinics" not in pages.value
    assert "pages" not in parse_qs(urlsplit(snippet_src(at)).query)  # the embed's own menu: every visitor page
    pages.select("clinics").run()
    assert_clean(at)
    assert "clinics" in parse_qs(urlsplit(snippet_src(at)).query)["pages"][0].split(",")
