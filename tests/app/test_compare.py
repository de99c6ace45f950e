"""Compare page in AppTest: every control, both audiences, the URL round trip and bad URLs."""

from __future__ import annotations

import pytest

from explainer import tables as tables_lib
from tests.app.conftest import assert_clean, html_blocks, html_table_links, html_tables, open_page, texts
from tests.links import markup_in_markdown

PAGE = "pages/compare.py"


def _param(at, name):
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def _text(at) -> str:
    return "\n".join(texts(at))


def _drawings(at) -> list[str]:
    """The charts drawn as HTML (explainer.chart_html): each one block, a region named for screen readers."""
    return [block for block in html_blocks(at) if block.startswith('<div class="xc ') and 'role="img" aria-label="' in block]


EXERCISE = "Weigh the options by what matters to you"


def _open_exercise(at):
    """Open the priorities exercise: AppTest cannot click an expander, so set the state its key holds (the browser test clicks it)."""
    assert [e.label for e in at.expander if e.label == EXERCISE], "the exercise's expander is missing"
    at.session_state["cmp_values_open"] = True
    return at.run()


def test_the_priorities_exercise_opens_on_demand(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    # Closed on a first visit: its heading and expander show, its controls are not drawn.
    assert "What matters most to you" in _text(at)
    assert not at.slider and not at.get("plotly_chart")
    assert "Weighted ranking" not in html_tables(at)
    _open_exercise(at)
    assert_clean(at)
    assert [s.key for s in at.slider] == [f"cmp_w_{n}" for n in ("speed", "lasting", "side_effects", "clinic_time", "evidence")]
    assert not at.get("plotly_chart")  # the values bars are HTML too: Compare loads no Plotly
    assert "xc xc-values" in [d.split('"')[1] for d in _drawings(at)]
    # It stays open as the visitor changes the comparison.
    at.radio(key="cmp_pain").set_value("mixed").run()
    assert at.slider and at.session_state["cmp_values_open"] is True


def test_both_audiences_show_every_view(audience):
    at = _open_exercise(open_page(PAGE, audience))
    assert_clean(at)
    benefit_chart = "xc-forest" if audience == "trainee" else "xc-icons"
    assert [drawing.split('"')[1] for drawing in _drawings(at)] == ["xc xc-timeline", f"xc {benefit_chart}", "xc xc-values"]
    blocks = html_blocks(at)
    assert any('class="og-cards"' in b for b in blocks) and any('class="og-wrap"' in b for b in blocks)
    assert any('class="xc xc-harms" role="group"' in b for b in blocks)
    text = _text(at)
    assert "Ketamine drip" in text and "Amitriptyline" in text
    if audience == "trainee":
        assert "Numbers needed to treat and to harm for nerve pain" in text
    else:
        assert "Out of 100 people with nerve pain" in text
    assert len(at.get("download_button")) >= 6  # grid, timeline, benefit, side effects, logistics, scores
    benefit = "NNT and NNH" if audience == "trainee" else "Out of 100 people"
    tables = html_tables(at)
    charts_with_sources = (
        "How fast and how long: data table",
        f"{benefit}: data table",
        "Side effects by how serious and how common: data table",
    )
    assert set(tables) == {
        "The grid as a table",
        *charts_with_sources,
        "Where it happens and what is checked",
        "Score for each question",
        "Weighted ranking",
    }
    assert {row["Option"] for row in tables["How fast and how long: data table"]} >= {"Ketamine drip", "Amitriptyline"}
    # each chart table names its sources, linked to their entries on the Sources page
    links = html_table_links(at)
    for label in (*charts_with_sources, "The grid as a table"):
        cited = {ref for row in tables[label] for ref in row["Source"].split("; ")} - {tables_lib.MISSING_WORDS, ""}
        assert links[label] and {link.split("#ref-")[1] for link in links[label]} == cited
        assert all(link.split("#")[0] == ("sources" if audience == "patient" else "sources?audience=trainee") for link in links[label])
    ranks = [row["Rank"] for row in tables["Weighted ranking"]]
    assert ranks[0] == "1" and all(row["Criteria it rests on"].endswith("of 5") for row in tables["Weighted ranking"])
    logistics = {row["Option"]: row for row in tables["Where it happens and what is checked"]}
    assert len(logistics) == 7 and "Ketamine drip" in logistics


def test_choosing_options_changes_the_charts():
    at = open_page(PAGE)
    at.button_group(key="cmp_options").set_value(["tca", "ketamine_iv"]).run()
    assert_clean(at)
    text = _text(at)
    assert "Amitriptyline" in text and "Pregabalin" not in text.split("Times for")[1].split(".")[0]
    assert _param(at, "options") == "tca,ketamine_iv"


def test_no_options_gives_a_prompt_not_an_error():
    at = open_page(PAGE)
    at.button_group(key="cmp_options").set_value([]).run()
    assert_clean(at)
    assert any("Choose at least one option" in i.value for i in at.info)
    assert not _drawings(at)


def test_crps_is_its_own_choice_and_other_pain_types_stay_hidden():
    at = open_page(PAGE)
    assert "CRPS" in at.radio(key="cmp_pain").options[1]
    nerve = _text(at)
    assert "16 people with CRPS" not in nerve  # ketamine's fast relief was measured in CRPS
    at.radio(key="cmp_pain").set_value("crps").run()
    assert_clean(at)
    assert "16 people with CRPS" in _text(at)
    assert _param(at, "pain") == "crps"
    at.radio(key="cmp_pain").set_value("neuropathic").run()
    at.toggle(key="cmp_other").set_value(True).run()
    assert_clean(at)
    assert any("Results from other kinds of pain are shown too" in i.value for i in at.info)
    assert "measured in CRPS, not nerve pain" in _text(at)
    assert _param(at, "other") == "1"


def test_tried_options_are_marked_and_shared_with_the_visit_page():
    at = open_page(PAGE)
    at.button_group(key="consult_tried").set_value(["gabapentinoids", "antidepressants"]).run()
    assert_clean(at)
    assert _param(at, "tried") == "gabapentinoids,antidepressants"
    grid = next(b for b in html_blocks(at) if 'class="og-wrap"' in b)
    assert grid.count("✓ you have tried this") == 4  # gabapentin, pregabalin, duloxetine, amitriptyline
    timeline = next(b for b in html_blocks(at) if "xc-timeline" in b)
    assert all(
        f">{name} ✓ tried" in timeline for name in ("Gabapentin", "Pregabalin", "Duloxetine", "Amitriptyline")
    )  # every view marks them
    at.switch_page("pages/consult.py").run()
    assert_clean(at)
    assert at.session_state["consult_tried"] == ["gabapentinoids", "antidepressants"]


def test_non_drug_options_can_be_added():
    at = open_page(PAGE)
    assert "Talking therapies" not in _text(at)
    at.toggle(key="cmp_nondrug").set_value(True).run()
    assert_clean(at)
    assert "Talking therapies" in _text(at)
    assert _param(at, "nondrug") == "1"


def test_priorities_change_the_ranking_and_reach_the_visit_summary():
    at = _open_exercise(open_page(PAGE))
    for name in ("lasting", "side_effects", "clinic_time", "evidence"):
        at.slider(key=f"cmp_w_{name}").set_value(0)
    at.slider(key="cmp_w_speed").set_value(10).run()
    assert_clean(at)
    assert _param(at, "weights") == "10,0,0,0,0"
    summary = next(text for text in texts(at) if text.startswith("With your priorities"))
    # For nerve pain, ketamine's fast relief (measured in CRPS) cannot be scored: it is not ranked on speed.
    assert summary.split(":")[1].strip().startswith("Pregabalin")
    assert "Ketamine drip can't be scored" in summary
    at.button(key="cmp_add_values").click().run()
    assert at.session_state["visit_values"]["weights"]["Fast relief"] == 10
    assert at.session_state["visit_values"]["ranking"][0][0] == "Pregabalin"


def test_missing_evidence_shows_as_cant_be_scored():
    at = _open_exercise(open_page(PAGE, pain="crps"))
    assert_clean(at)
    scores = {row["Option"]: row for row in html_tables(at)["Score for each question"]}
    assert scores["Gabapentin"]["Fast relief"] == "can't be scored"
    ranking = {row["Option"]: row for row in html_tables(at)["Weighted ranking"]}
    assert ranking["Gabapentin"]["Score"] == tables_lib.MISSING_WORDS and "not ranked" in ranking["Gabapentin"]["Arithmetic"]
    assert ranking["Ketamine drip"]["Rank"] == "1"


def test_all_priorities_zero_is_handled():
    at = _open_exercise(open_page(PAGE))
    for name in ("speed", "lasting", "side_effects", "clinic_time", "evidence"):
        at.slider(key=f"cmp_w_{name}").set_value(0)
    at.run()
    assert_clean(at)
    assert any("nothing to line up" in i.value for i in at.info)


def test_a_shared_link_restores_the_selection(audience):
    at = open_page(PAGE, audience, options="tca,ketamine_iv", pain="crps", nondrug="1", other="1", tried="ketamine", weights="1,2,3,4,5")
    assert_clean(at)
    assert at.button_group(key="cmp_options").value == ["tca", "ketamine_iv"]
    assert at.radio(key="cmp_pain").value == "crps"
    assert at.toggle(key="cmp_nondrug").value is True
    assert at.toggle(key="cmp_other").value is True
    assert at.button_group(key="consult_tried").value == ["ketamine"]
    assert [at.slider(key=f"cmp_w_{n}").value for n in ("speed", "lasting", "side_effects", "clinic_time", "evidence")] == [1, 2, 3, 4, 5]
    assert not at.info or all("not recognised" not in i.value for i in at.info)


@pytest.mark.parametrize(
    "params",
    [
        {"options": "<script>alert(1)</script>"},
        {"options": "[x](javascript:alert(1))"},
        {"options": "https://login.example.com/reset"},
        {"pain": "🙂" * 50},
        {"weights": "9" * 500},
        {"nondrug": "<b>yes</b>"},
        {"tried": "www.example.com"},
    ],
)
def test_bad_links_fall_back_with_a_notice(params):
    at = open_page(PAGE, **params)
    assert_clean(at)
    assert at.info, "no notice was shown"
    assert at.button_group(key="cmp_options").value == [
        "ketamine_iv",
        "strong_opioids",
        "nsaids",
        "gabapentin",
        "pregabalin",
        "snri",
        "tca",
    ]
    for info in at.info:
        assert "<script>" not in info.value and "](javascript" not in info.value and "example.com" not in info.value
        assert markup_in_markdown(info.value) == [], info.value  # nothing a Markdown renderer would turn into markup


def test_clearing_then_choosing_keeps_the_choice_and_the_priorities():
    at = _open_exercise(open_page(PAGE))
    at.slider(key="cmp_w_speed").set_value(9).run()
    at.button(key="cmp_clear").click().run()
    assert at.button_group(key="cmp_options").value == []
    assert not _drawings(at)  # nothing to draw, and the priority sliders are not drawn
    at.button_group(key="cmp_options").set_value(["ketamine_iv"]).run()
    assert_clean(at)
    assert _param(at, "options") == "ketamine_iv"
    assert at.slider(key="cmp_w_speed").value == 9  # Streamlit forgot it while hidden; the page refilled it
    assert at.session_state["cmp_values_open"] is True  # changed priorities reopen the exercise
