"""The site's map for moving through it: reading paths, tab titles, and the pages an embed's menu shows."""

from __future__ import annotations

import pytest

from explainer import embed, settings
from explainer.site import PAGE_IDS, PAGES, READING_PATHS, SITE_TITLE, document_title, path_neighbours


def test_reading_paths_name_real_pages_once_each():
    for path in READING_PATHS.values():
        assert set(path) <= set(PAGE_IDS)
        assert len(set(path)) == len(path)
    assert READING_PATHS["patient"] == ("home", "mechanisms", "compare", "vignette", "consult")
    assert READING_PATHS["trainee"] == ("home", "mechanisms", "compare", "evidence", "vignette", "consult", "glossary")


@pytest.mark.parametrize(
    ("page_id", "audience", "expected"),
    [
        ("home", "patient", (None, "mechanisms")),
        ("compare", "patient", ("mechanisms", "vignette")),
        ("vignette", "patient", ("compare", "consult")),
        ("consult", "patient", ("vignette", None)),
        ("compare", "trainee", ("mechanisms", "evidence")),
        ("evidence", "trainee", ("compare", "vignette")),
        ("consult", "trainee", ("vignette", "glossary")),
        ("glossary", "trainee", ("consult", None)),
    ],
)
def test_neighbours_along_each_path(page_id, audience, expected):
    assert path_neighbours(page_id, audience, PAGE_IDS) == expected


@pytest.mark.parametrize("page_id", ["sources", "about", "clinics"])
def test_pages_off_the_path_have_no_neighbours(page_id):
    assert path_neighbours(page_id, "trainee", PAGE_IDS) == (None, None)


def test_pages_off_one_level_s_path_have_none_there():
    assert path_neighbours("evidence", "patient", PAGE_IDS) == (None, None)
    assert path_neighbours("glossary", "patient", PAGE_IDS) == (None, None)


def test_pages_the_menu_hides_are_skipped():
    shown = ("home", "compare", "consult", "sources")
    assert path_neighbours("home", "patient", shown) == (None, "compare")
    assert path_neighbours("compare", "patient", shown) == ("home", "consult")
    assert path_neighbours("consult", "trainee", shown) == ("compare", None)


def test_a_hidden_page_reached_by_a_link_still_leads_on():
    assert path_neighbours("vignette", "patient", ("home", "consult", "sources")) == ("home", "consult")


def test_an_unknown_audience_walks_the_default_path():
    assert path_neighbours("compare", "wizard", PAGE_IDS) == ("mechanisms", "vignette")


def test_each_page_s_title_names_it_before_the_site():
    assert document_title("compare") == f"Compare options · {SITE_TITLE}"
    assert document_title("consult") == f"Prepare for your visit · {SITE_TITLE}"
    assert document_title("home") == SITE_TITLE
    assert document_title(None) == SITE_TITLE
    assert document_title("nowhere") == SITE_TITLE
    assert len({document_title(page.id) for page in PAGES}) == len(PAGES)


# --- which pages an embed's menu shows ----------------------------------------------------------


def test_an_embed_leaves_for_clinics_out_unless_the_profile_listed_its_pages():
    assert "clinics" not in embed.visitor_pages(PAGE_IDS, False, None, embedded=True)
    assert embed.visitor_pages(PAGE_IDS, False, None, embedded=False) == PAGE_IDS
    listed = ("home", "clinics", "sources")
    assert embed.visitor_pages(listed, True, None, embedded=True) == listed


def test_an_embed_s_pages_parameter_decides():
    assert embed.visitor_pages(PAGE_IDS, False, ("home", "clinics", "sources"), embedded=True) == ("home", "clinics", "sources")
    assert embed.visitor_pages(PAGE_IDS, False, ("home", "sources"), embedded=False) == ("home", "sources")


def test_the_profile_says_whether_it_listed_its_pages():
    assert not settings.validate({}).pages_listed
    assert settings.validate({"pages": list(PAGE_IDS)}).pages_listed
    assert settings.validate({"pages": ["home", "clinics"]}).pages == ("home", "clinics", "sources")
    assert not settings.validate({"pages": ["nowhere"]}).pages_listed  # fell back to every page, with a warning
