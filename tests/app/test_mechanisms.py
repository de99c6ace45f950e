"""How they work page: every option in both audiences, deep links, bad links, the model, glossary links."""

from __future__ import annotations

import html
import shutil

import pytest

from explainer import evidence
from explainer import mechanisms as mech
from tests.app.conftest import assert_clean, html_blocks, html_tables, open_page, page_text, texts
from tests.conftest import ROOT, replace_in

PAGE = "pages/mechanisms.py"
DATASET = evidence.load_dataset(ROOT / "data")
OPTION_IDS = mech.selectable_options(DATASET, mech.load_mechanisms(ROOT / "data", DATASET))


def _url_option(at):
    if "option" not in at.query_params:
        return None
    value = at.query_params["option"]
    return value[0] if isinstance(value, list) else value


def _text(at) -> str:
    return page_text(at)


def test_each_option_can_be_selected(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    assert at.selectbox(key="mech_option").value is None
    assert _url_option(at) is None
    for option_id in OPTION_IDS:
        at.selectbox(key="mech_option").set_value(option_id).run()
        assert_clean(at)
        assert at.selectbox(key="mech_option").value == option_id
        assert _url_option(at) == option_id
        name = DATASET.option(option_id)["plain_name"]
        assert any(text.startswith(name) for text in texts(at)), name


def test_trainee_sees_receptor_pharmacology_patient_sees_plain_words():
    trainee = open_page(PAGE, "trainee", option="ketamine_iv")
    patient = open_page(PAGE, "patient", option="ketamine_iv")
    assert "Non-competitive NMDA receptor antagonist" in _text(trainee)
    assert "Non-competitive" not in _text(patient)
    assert "NMDA switch" in _text(patient)


@pytest.mark.parametrize(("link", "expected"), [("ketamine_iv", "ketamine_iv"), ("ketamine", "ketamine_iv"), ("tca", "tca")])
def test_deep_link_selects_the_option(link, expected):
    at = open_page(PAGE, option=link)
    assert_clean(at)
    assert at.selectbox(key="mech_option").value == expected
    assert _url_option(at) == expected  # an alias is rewritten to the option id
    assert not at.info


def test_deep_link_works_for_trainee_and_keeps_both_params():
    at = open_page(PAGE, "trainee", option="snri")
    assert_clean(at)
    assert at.selectbox(key="mech_option").value == "snri"
    assert _url_option(at) == "snri"
    assert at.query_params["audience"] in ("trainee", ["trainee"])


@pytest.mark.parametrize("bad", ["aspirin", "<b>bold</b>", "capsaicin_8"])
def test_unknown_option_falls_back_to_none_with_a_gentle_notice(bad):
    at = open_page(PAGE, option=bad)
    assert_clean(at)
    assert at.selectbox(key="mech_option").value is None
    notices = [i.value for i in at.info]
    assert any("does not cover" in notice for notice in notices)
    assert not any(bad in notice for notice in notices)
    assert _url_option(at) is None
    # choosing an option clears the notice
    at.selectbox(key="mech_option").set_value("nsaids").run()
    assert not any("does not cover" in i.value for i in at.info)


def _pathway(at) -> str:
    (diagram,) = [block for block in html_blocks(at) if 'class="xp"' in block]
    return diagram


def test_pathway_diagram_marks_the_choice_and_carries_each_sites_details(audience):
    at = open_page(PAGE, audience, option="snri")
    assert_clean(at)
    assert not at.get("plotly_chart")
    diagram = _pathway(at)
    mechanisms = mech.load_mechanisms(ROOT / "data", DATASET)
    lit = set(mech.highlighted_sites(mechanisms, "snri"))
    assert diagram.count("xp-mark xp-star") == len(lit) and diagram.count("acts here</span>") == len(lit)
    for site_id in mech.SITE_IDS:
        assert f'popovertarget="pathway-site-{site_id}"' in diagram
        card = diagram.split(f'id="pathway-site-{site_id}"')[1].split("</div>")[0]
        assert html.escape(mech.site_details(DATASET, mechanisms, site_id, audience)) in card
    help_text = at.selectbox(key="mech_option").help
    assert "hover" not in help_text and "press Enter" in help_text
    # a new choice reruns the fragment and moves the stars
    at.selectbox(key="mech_option").set_value("nsaids").run()
    assert _pathway(at).count("xp-mark xp-star") == 1
    captions = " ".join(c.value for c in at.caption)
    assert "Illustrative diagram of the pain pathway, not an anatomical drawing" in captions


def _knob_chart(at) -> str:
    (chart,) = [block for block in html_blocks(at) if 'class="xl"' in block]
    return chart


def test_volume_knob_blockade_toggle_and_bounds(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    summary = next(text for text in texts(at) if text.startswith("Illustrative model"))
    assert "damped" in summary
    # The knob and the pathway diagram are drawn as HTML: the page draws no Plotly chart.
    assert len(at.get("plotly_chart")) == 0
    assert "With NMDA blocker</li>" in _knob_chart(at)
    at.toggle(key="mech_block").set_value(False).run()
    summary = next(text for text in texts(at) if text.startswith("Illustrative model"))
    assert "damped" not in summary
    assert "With NMDA blocker" not in _knob_chart(at)
    slider = at.slider(key="mech_stimuli")
    assert (slider.min, slider.max) == mech.STIMULI_RANGE
    slider.set_value(20).run()
    assert_clean(at)
    assert "20 equal painful inputs" in " ".join(texts(at))
    assert _knob_chart(at).count("xl-mark xl-circle") == 20 + 1  # every input, and the legend's
    captions = " ".join(c.value for c in at.caption)
    assert "Illustrative" in captions


def test_page_sections_headings_and_sources():
    at = open_page(PAGE)
    assert len(at.title) == 1
    headers = [h.value for h in at.header]
    assert headers == ["The pain pathway", "Side by side: how each medicine works"]
    assert [h.value for h in at.subheader] == ["Try the volume knob (illustrative model)"]
    cards = [block for block in html_blocks(at) if 'id="mechanism-cards"' in block]
    assert len(cards) == 1 and cards[0].count("<h3>") == len(OPTION_IDS)  # one card per medicine, in one block
    text = _text(at)
    for heading in ("Opioid tolerance and hyperalgesia", "Mood, sleep and daily life", "Central sensitization"):
        assert heading in text
    assert "not proof" in text
    assert "did not find good evidence" in text  # sleep: says plainly where evidence is lacking
    captions = " ".join(c.value for c in at.caption) + " ".join(html_blocks(at))
    assert "sources#ref-woolf2011" in captions and "sources#ref-windup2000" in captions
    assert "sources#ref-chang2007" in text and "sources#ref-tompkins2011" in text


def test_glossary_links_keep_the_audience():
    slugs = ("nmda-receptor", "central-sensitization", "tolerance", "opioid-induced-hyperalgesia")
    patient = _text(open_page(PAGE))
    trainee = _text(open_page(PAGE, "trainee"))
    for slug in slugs:
        assert f'href="glossary#term-{slug}"' in patient
        assert f'href="glossary?audience=trainee#term-{slug}"' in trainee


def test_tables_and_downloads_are_offered():
    at = open_page(PAGE, option="pregabalin")
    labels = [b.label for b in at.get("download_button")]
    assert len(labels) == 3
    tables = html_tables(at)
    assert set(tables) == {"The diagram as a table", "The model's numbers", "The mechanism cards as a table"}
    assert [row["Chosen medicine acts here"] for row in tables["The diagram as a table"]].count("yes") == 2
    assert len(tables["The mechanism cards as a table"]) == len(OPTION_IDS)
    assert tables["The model's numbers"][0]["Input number"] == "1"


def test_broken_mechanisms_file_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    replace_in(data / "mechanisms.csv", "nsaids,tissue,", "nsaids,skin,")
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    at = open_page(PAGE)
    assert not at.exception
    message = at.error[0].value
    assert "mechanisms.csv" in message and "row 5" in message and "sites" in message
    # the rest of the page (the written sections and the footer) still renders
    assert "Opioid tolerance and hyperalgesia" in _text(at)
    assert "not medical advice" in " ".join(c.value for c in at.caption)
