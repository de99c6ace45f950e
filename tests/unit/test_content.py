"""Content pipeline: front matter, citations, rendering, and the error for each fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import content
from explainer.content import ContentError
from tests.conftest import ROOT

KNOWN = ["finnerup2015", "cohen2018"]
GOOD = '+++\ntitle = "T"\naudience = "patient"\nreviewed = 2026-11-25\nsources = ["finnerup2015"]\n+++\nBody [@finnerup2015].\n'


def parse(text: str) -> content.Section:
    return content.parse_section(Path("content/x.md"), text, KNOWN)


def test_good_file_parses():
    section = parse(GOOD)
    assert section.title == "T" and section.audience == "patient"
    assert section.reviewed.isoformat() == "2026-11-25"
    assert section.sources == ("finnerup2015",)
    assert section.body_start_line == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no front matter\n", "x.md, line 1: the file must start with a '+++' line"),
        ('+++\ntitle = "T"\n', "x.md, line 1: the front matter opened on line 1 is never closed"),
        ('+++\ntitle = "T\n+++\n', "x.md, line 2: the front matter is not valid TOML"),
        ('+++\ntitle = "T"\naudience = "patient"\nreviewed = 2026-11-25\n+++\n', "x.md, line 1: the front matter is missing 'sources'"),
        (GOOD.replace('"patient"', '"doctor"'), "x.md, line 3: 'audience' must be one of patient, trainee, all (got 'doctor')"),
        (GOOD.replace("2026-11-25", '"last week"'), "x.md, line 4: 'reviewed' must be a date like 2026-11-25"),
        (GOOD.replace('["finnerup2015"]', '["nobody2000"]'), "x.md, line 5: unknown reference id 'nobody2000' in 'sources'"),
        (GOOD.replace("Body [@finnerup2015]", "Body\n\nMore [@finerup2015]"), "x.md, line 9: unknown citation id 'finerup2015'"),
        (GOOD.replace("+++\nBody", 'colour = "red"\n+++\nBody'), "x.md, line 6: unknown front-matter field 'colour'"),
        (GOOD.replace("Body [@finnerup2015]", "Body [@Bad Id]"), "x.md, line 7: malformed citation '[@Bad Id]'"),
    ],
)
def test_each_fault_names_file_and_line(text, expected):
    with pytest.raises(ContentError) as caught:
        parse(text)
    assert expected in str(caught.value)


def test_citations_number_in_order_of_first_use():
    rendered = content.render_markdown("A [@cohen2018]. B [@finnerup2015; @cohen2018].", lambda i: f"sources#ref-{i}")
    assert rendered.citations == ["cohen2018", "finnerup2015"]
    assert rendered.html.count('href="sources#ref-cohen2018"') == 2
    assert ">1</a>" in rendered.html and ">2</a>" in rendered.html


def test_raw_html_in_content_is_escaped():
    rendered = content.render_markdown("<script>alert(1)</script> hi", lambda i: i)
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html


def test_tables_and_footnotes_render():
    rendered = content.render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1]\n\n[^1]: Note.", lambda i: i)
    assert "<table>" in rendered.html
    assert "footnote" in rendered.html


def test_citation_title_is_escaped():
    rendered = content.render_markdown("X [@cohen2018]", lambda i: i, {"cohen2018": 'A "quoted" <b>title</b>'})
    assert "<b>" not in rendered.html
    assert "&quot;quoted&quot;" in rendered.html


def test_load_content_keys_by_section_and_audience(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "intro.patient.md").write_text(GOOD)
    (tmp_path / "home" / "intro.trainee.md").write_text(GOOD.replace('"patient"', '"trainee"'))
    (tmp_path / "home" / "levels.md").write_text(GOOD.replace('"patient"', '"all"'))
    loaded = content.load_content(tmp_path, KNOWN)
    assert set(loaded) == {("home/intro", "patient"), ("home/intro", "trainee"), ("home/levels", "all")}
    assert content.pick(loaded, "home/levels", "trainee").audience == "all"
    assert content.pick(loaded, "home/intro", "trainee").audience == "trainee"
    with pytest.raises(KeyError):
        content.pick(loaded, "home/missing", "patient")


def test_duplicate_section_for_same_audience_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text(GOOD)
    (tmp_path / "a.patient.md").write_text(GOOD)
    with pytest.raises(ContentError, match="a second file for section 'a'"):
        content.load_content(tmp_path, KNOWN)


def test_plain_text_drops_markup_and_citations():
    text = content.plain_text("## Head\n\nSome **bold** words [@cohen2018] here\n\n- item one")
    assert "**" not in text and "cohen2018" not in text
    assert "Some bold words" in text and "item one" in text


def test_real_content_loads():
    from explainer import CONTENT_DIR, DATA_DIR, evidence

    refs = evidence.load_references(DATA_DIR)
    loaded = content.load_content(CONTENT_DIR, refs["id"])
    assert ("home/intro", "patient") in loaded


@pytest.mark.parametrize(
    ("href", "query", "expected"),
    [
        ("glossary#term-crps", "?audience=trainee", "glossary?audience=trainee#term-crps"),
        ("compare?options=tca", "?audience=trainee", "compare?options=tca&audience=trainee"),
        ("https://doi.org/10.1/x", "?audience=trainee", "https://doi.org/10.1/x"),
        ("mailto:a@b.c", "?audience=trainee", "mailto:a@b.c"),
        ("#local", "?audience=trainee", "#local"),
        ("glossary", "", "glossary"),
        ("glossary?audience=trainee#x", "?audience=trainee", "glossary?audience=trainee#x"),
    ],
)
def test_internal_links_keep_the_view(href, query, expected):
    assert content.with_query(href, query) == expected


def test_rendered_internal_links_open_in_the_same_tab():
    out = content.render_markdown(
        "See [CRPS](glossary#term-crps) and [a site](https://example.org).", lambda i: i, link_query="?audience=trainee"
    )
    assert 'href="glossary?audience=trainee#term-crps" target="_self"' in out.html
    # Links to other sites open in a new tab: the page is drawn with st.html, which keeps only that target.
    assert 'href="https://example.org" target="_blank" rel="noopener"' in out.html


def test_render_text_escapes_html_and_refuses_script_links():
    out = content.render_text("Hi <img src=x onerror=alert(1)> **bold** [bad](javascript:alert(1)) [ok](glossary#term-x)")
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "<strong>bold</strong>" in out
    assert 'href="javascript:' not in out and "[bad](javascript:alert(1))" in out  # left as text
    assert '<a href="glossary#term-x">ok</a>' in out  # same-site links keep this tab


def test_render_text_opens_other_sites_in_a_new_tab_and_anchors_headings():
    out = content.render_text("## The data, behind it\n\nSee [NICE](https://www.nice.org.uk).\n\n- one\n- two")
    assert '<h2 id="the-data-behind-it">The data, behind it</h2>' in out
    assert '<a href="https://www.nice.org.uk" target="_blank" rel="noopener">NICE</a>' in out
    assert "<ul>\n<li>one</li>" in out


def test_no_text_on_the_site_calls_crps_nerve_pain():
    """CRPS is its own pain type (NeuPSIG 2025 excludes it): no content, story, glossary or quiz text may call it nerve pain."""
    import re

    pattern = re.compile(r"nerve[- ]pain condition (called|\(CRPS\))|CRPS\)? is (a )?(kind of )?nerve pain|nerve pain such as CRPS", re.I)
    files = [*ROOT.glob("content/**/*.md"), *ROOT.glob("data/**/*.toml"), ROOT / "data" / "glossary.csv", ROOT / "data" / "quiz.csv"]
    offenders = [str(path.relative_to(ROOT)) for path in files if pattern.search(" ".join(path.read_text(encoding="utf-8").split()))]
    assert not offenders, offenders


def test_page_words_pick_the_level_and_name_a_missing_key(tmp_path):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "page.toml").write_text(
        'heading = "Glossary"\nlead_patient = "Plain words."\nlead_trainee = "Terms."\nitems = ["a", "b"]\n', encoding="utf-8"
    )
    (tmp_path / "glossary" / "intro.md").write_text("not page words", encoding="utf-8")
    words = content.load_page_words(tmp_path)
    assert list(words) == ["glossary"]
    glossary = words["glossary"]
    assert glossary.get("heading", "trainee") == "Glossary"
    assert glossary.get("lead", "patient") == "Plain words."
    assert glossary.get("lead", "trainee") == "Terms."
    assert glossary.get("items", "patient") == ["a", "b"]
    with pytest.raises(content.ContentError, match=r"glossary/page.toml.*no text 'caption'"):
        glossary.get("caption", "patient")


def test_broken_page_words_name_the_file_and_line(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "page.toml").write_text('heading = "Home"\nlead = \n', encoding="utf-8")
    with pytest.raises(content.ContentError, match=r"home/page.toml, line 2"):
        content.load_page_words(tmp_path)
