"""The glossary: valid file, every anchor linked anywhere on the site exists, search works."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import evidence
from explainer import glossary as glossary_lib
from tests.conftest import ROOT

REQUIRED_TERMS = (
    "NMDA receptor",
    "Central sensitization",
    "Glutamate",
    "Opioid-induced hyperalgesia",
    "Tolerance",
    "Dissociation",
    "NNT",
    "NNH",
    "Confidence interval",
    "Placebo",
    "CRPS",
    "Neuropathic pain",
)


@pytest.fixture(scope="module")
def terms():
    refs = evidence.load_references(ROOT / "data")
    return glossary_lib.load_glossary(ROOT / "data", refs["id"])


def test_the_issue_terms_are_all_defined(terms):
    assert set(REQUIRED_TERMS) <= set(terms["term"])
    assert len(terms) >= 40


def test_every_glossary_anchor_used_on_the_site_exists(terms):
    files = glossary_lib.site_files(ROOT)
    assert any(p.name == "consult.py" for p in files) and any(p.suffix == ".md" for p in files)
    missing = glossary_lib.missing_anchors(terms["slug"], files)
    assert not missing, "Links to glossary terms that do not exist (add them to data/glossary.csv): " + "; ".join(
        f"term-{slug} in {', '.join(sorted(where))}" for slug, where in sorted(missing.items())
    )


def test_the_anchor_scan_finds_links_and_ignores_ordinary_words(tmp_path: Path):
    page = tmp_path / "page.py"
    page.write_text(
        'ui.page_href("glossary", anchor="term-nmda-receptor")\n'
        "text = 'long-term relief, short-term harm'\n"
        "[NNT](glossary?audience=trainee#term-nnt)\n",
        encoding="utf-8",
    )
    assert glossary_lib.anchors_used([page]) == {"nmda-receptor": {str(page)}, "nnt": {str(page)}}
    assert glossary_lib.missing_anchors(["nnt"], [page]) == {"nmda-receptor": {str(page)}}


def test_slugs_follow_the_terms(terms):
    for row in terms.itertuples():
        assert row.slug == glossary_lib.make_slug(row.term)
    assert glossary_lib.make_slug("NMDA receptor") == "nmda-receptor"
    assert glossary_lib.make_slug("Opioid-induced hyperalgesia") == "opioid-induced-hyperalgesia"
    assert glossary_lib.anchor("crps") == "term-crps"


def test_terms_are_sorted_and_every_source_is_a_reference(terms):
    assert list(terms["term"].str.lower()) == sorted(terms["term"].str.lower())
    refs = set(evidence.load_references(ROOT / "data")["id"])
    cited = {source for sources in terms["source_ids"] for source in sources}
    assert cited <= refs and len(cited) > 20
    assert next(r.source_ids for r in terms.itertuples() if r.slug == "cbt") == ("williams2020", "cca318")


def test_search_matches_names_aliases_and_definitions(terms):
    assert glossary_lib.search(terms, "")["term"].tolist() == terms["term"].tolist()
    assert glossary_lib.search(terms, "number needed to treat")["term"].tolist()[0] == "NNT"
    assert glossary_lib.search(terms, "  nmda  ")["term"].tolist()[0] == "NMDA receptor"  # name hits first
    assert "Tolerance" in glossary_lib.search(terms, "works less well")["term"].tolist()
    assert glossary_lib.search(terms, "zzzz-no-such-word").empty


def test_trainee_search_also_looks_in_the_notes(terms):
    assert "TRPV1" not in " ".join(terms["definition_patient"])
    assert glossary_lib.search(terms, "trpv1", "patient").empty
    assert glossary_lib.search(terms, "trpv1", "trainee")["term"].tolist() == ["Capsaicin"]


def _write(folder: Path, rows: str) -> Path:
    (folder / "glossary.csv").write_text("slug,term,aliases,definition_patient,note_trainee,source_ids\n" + rows, encoding="utf-8")
    return folder


def test_a_slug_that_does_not_match_its_term_is_reported(tmp_path: Path):
    _write(tmp_path, "nmda,NMDA receptor,,A switch.,Note.,\n")
    with pytest.raises(evidence.DataError) as error:
        glossary_lib.load_glossary(tmp_path, [])
    assert error.value.row == 2 and error.value.column == "slug"
    assert "'nmda-receptor'" in str(error.value)


def test_an_unknown_source_is_reported(tmp_path: Path):
    _write(tmp_path, "nnt,NNT,,How many.,Note.,finnerup2015; nosuchref\n")
    with pytest.raises(evidence.DataError) as error:
        glossary_lib.load_glossary(tmp_path, ["finnerup2015"])
    assert error.value.column == "source_ids" and "nosuchref" in str(error.value)


def test_a_missing_definition_is_reported(tmp_path: Path):
    _write(tmp_path, "nnt,NNT,,,Note.,\n")
    with pytest.raises(evidence.DataError) as error:
        glossary_lib.load_glossary(tmp_path, [])
    assert error.value.column == "definition_patient"


def test_cards_hold_names_definition_note_and_sources_for_their_audience():
    row = {
        "slug": "wind-up",
        "term": "Wind-up",
        "aliases": "temporal summation; <b>wind up</b>",
        "definition_patient": "Pain signals <script>build</script> on each other & more.",
        "note_trainee": "NMDA-dependent.",
        "source_ids": ("woolf2011", "cohen2018"),
    }
    asked = []

    def sources(ids):
        asked.append(ids)
        return [(f'Label "{ref}"', f"sources?a=1&b=2#ref-{ref}") for ref in ids]

    patient = glossary_lib.cards_html([row], False, sources)
    assert patient == (
        '<div id="term-wind-up"><h3>Wind-up</h3>'
        "<p><small><em>Also called:</em> temporal summation, &lt;b&gt;wind up&lt;/b&gt;</small></p>"
        "<p>Pain signals &lt;script&gt;build&lt;/script&gt; on each other &amp; more.</p>"
        '<p><small>Sources: <a href="sources?a=1&amp;b=2#ref-woolf2011">Label &quot;woolf2011&quot;</a>; '
        '<a href="sources?a=1&amp;b=2#ref-cohen2018">Label &quot;cohen2018&quot;</a></small></p></div>'
    )
    assert asked == [("woolf2011", "cohen2018")]
    assert "For trainees" not in patient

    plain = {**row, "slug": "nnt", "term": "NNT", "aliases": "", "source_ids": ("woolf2011",)}
    both = glossary_lib.cards_html([plain, {**row, "source_ids": ()}], True, sources)
    first, second = both.split("\n")
    assert first.startswith('<div id="term-nnt"><h3>NNT</h3><p>Pain signals')
    assert "<p><strong>For trainees:</strong> NMDA-dependent.</p>" in first
    assert "<small>Source: <a " in first  # one source: singular
    assert "Also called" not in first
    assert "Source" not in second  # no sources, no sources line
    assert glossary_lib.cards_html([], True, sources) == ""


def test_the_library_caps_a_search_by_itself():
    words = glossary_lib.search_words(" ".join(f"word{n}" for n in range(200_000)))
    assert len(words) == glossary_lib.MAX_QUERY_WORDS
    assert glossary_lib.search_words("NMDA nmda  Tolerance") == ["nmda", "tolerance"]
    assert len("".join(glossary_lib.search_words("x" * 1_000_000))) == glossary_lib.MAX_QUERY_CHARS
