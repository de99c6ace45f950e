"""Mechanisms library: the diagram highlights what the data says, the model behaves, input is checked."""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
from html import escape
from pathlib import Path

import pytest

from explainer import evidence
from explainer import mechanisms as mech
from tests.conftest import ROOT, replace_in

DATA = ROOT / "data"


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(DATA)


@pytest.fixture(scope="module")
def mechanisms(dataset):
    return mech.load_mechanisms(DATA, dataset)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def _buttons(view) -> dict[str, str]:
    """Each site's button in the diagram's HTML, by site id (the id of the card it opens)."""
    found = re.findall(
        r'(<button type="button" class="xp-site[^"]*"[^>]*popovertarget="pathway-site-([a-z_]+)">.*?</button>)', view.diagram
    )
    return {site_id: button for button, site_id in found}


def _card(view, site_id: str) -> str:
    return view.diagram.split(f'id="pathway-site-{site_id}" popover')[1].split("</div>")[0]


def test_page_covers_the_six_classes_in_the_issue(dataset, mechanisms):
    ids = mech.selectable_options(dataset, mechanisms)
    families = {dataset.option(option_id)["family"] for option_id in ids}
    assert families == set(mech.FAMILY_LABELS)
    assert ids[0] == "ketamine_iv"


@pytest.mark.parametrize(
    "option_id", ["ketamine_iv", "strong_opioids", "tramadol", "nsaids", "gabapentin", "pregabalin", "sodium_channel", "snri", "tca"]
)
def test_highlighted_sites_come_from_the_data(dataset, mechanisms, option_id):
    row = mechanisms[mechanisms["option_id"] == option_id].iloc[0]
    view = mech.pathway_view(dataset, mechanisms, option_id)
    assert set(view.highlighted) == set(row["sites"])
    # and they agree with the plain-words site column of options.csv
    assert mech.option_nodes(dataset.option(option_id)["site"]) <= set(view.highlighted)
    buttons = _buttons(view)
    assert list(buttons) == list(mech.SITE_IDS)  # every site, in pathway order, each opening its own card
    for site_id, button in buttons.items():
        lit = site_id in row["sites"]
        assert ("xp-star" in button) == lit  # shape, not only colour, marks a site
        assert ("acts here" in button) == lit
        assert (". Target:" in _card(view, site_id)) == lit
    assert dataset.option(option_id)["plain_name"] in view.summary


def test_changing_the_data_changes_the_diagram(dataset, mechanisms):
    edited = mechanisms.copy()
    index = edited.index[edited["option_id"] == "nsaids"][0]
    edited.at[index, "sites"] = ("brain",)
    view = mech.pathway_view(dataset, edited, "nsaids")
    assert view.highlighted == ("brain",)
    assert "the brain" in view.summary


def test_no_option_highlights_nothing_and_asks_for_a_choice(dataset, mechanisms):
    view = mech.pathway_view(dataset, mechanisms, None)
    assert view.highlighted == ()
    assert not any("xp-star" in button or "acts here" in button for button in _buttons(view).values())
    assert len(_buttons(view)) == len(mech.SITES)
    assert "Choose a medicine" in view.summary
    assert set(view.table["Chosen medicine acts here"]) == {"no medicine chosen"}


def test_site_cards_give_the_target_and_site_details_at_each_level(dataset, mechanisms):
    patient = mech.pathway_view(dataset, mechanisms, "gabapentin", "patient")
    trainee = mech.pathway_view(dataset, mechanisms, "gabapentin", "trainee")
    assert "calcium gates" in _card(patient, "dorsal_horn") and "Alpha2delta" in _card(trainee, "dorsal_horn")
    assert "Alpha2delta" in trainee.summary
    for view, audience in ((patient, "patient"), (trainee, "trainee")):
        for site_id in mech.SITE_IDS:
            assert escape(mech.site_details(dataset, mechanisms, site_id, audience)) in _card(view, site_id)


def test_diagram_escapes_the_data_and_keeps_no_inline_svg(dataset, mechanisms):
    """st.html's sanitizer strips inline <svg>; every piece of data text is escaped."""
    edited = mechanisms.copy()
    index = edited.index[edited["option_id"] == "nsaids"][0]
    edited.at[index, "target_patient"] = "<b>COX</b> & co"
    view = mech.pathway_view(dataset, edited, "nsaids")
    assert "<b>COX</b>" not in view.diagram and "&lt;b&gt;COX&lt;/b&gt; &amp; co" in _card(view, "tissue")
    assert "<svg" not in view.diagram and "<script" not in view.diagram
    assert view.diagram.count(" popover ") == len(mech.SITES)


def test_every_source_used_is_a_reference(dataset, mechanisms):
    known = set(dataset.reference_ids)
    for option_id in [None, *mech.selectable_options(dataset, mechanisms)]:
        assert set(mech.pathway_view(dataset, mechanisms, option_id).sources) <= known
    for card in mech.mechanism_cards(dataset, mechanisms, "trainee"):
        assert set(card.sources) <= known
    assert set(mech.MODEL_SOURCES) <= known


def test_sites_that_disagree_with_options_csv_are_rejected(data_copy, dataset):
    replace_in(data_copy / "mechanisms.csv", "nsaids,tissue,", "nsaids,brain,")
    with pytest.raises(evidence.DataError) as caught:
        mech.load_mechanisms(data_copy, dataset)
    error = caught.value
    assert error.path.name == "mechanisms.csv" and error.column == "sites" and error.row == 5
    assert "options.csv" in error.rule


def test_unknown_site_and_unknown_source_are_rejected(data_copy, dataset):
    replace_in(data_copy / "mechanisms.csv", "nsaids,tissue,", "nsaids,skin,")
    with pytest.raises(evidence.DataError, match="unknown site 'skin'"):
        mech.load_mechanisms(data_copy, dataset)
    shutil.copy(DATA / "mechanisms.csv", data_copy / "mechanisms.csv")
    replace_in(data_copy / "mechanisms.csv", ",esafe_nsaid,", ",made_up_ref,")
    with pytest.raises(evidence.DataError, match="unknown source id 'made_up_ref'"):
        mech.load_mechanisms(data_copy, dataset)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ketamine_iv", "ketamine_iv"), ("ketamine", "ketamine_iv"), ("Opioids", "strong_opioids"), (" snri ", "snri"), ("nsaid", "nsaids")],
)
def test_option_links_accept_ids_and_family_names(dataset, mechanisms, raw, expected):
    assert mech.parse_option(raw, mech.selectable_options(dataset, mechanisms)) == (expected, None)


@pytest.mark.parametrize("raw", ["aspirin", "capsaicin_8", "<script>alert(1)</script>", "x" * 500, "../etc"])
def test_unknown_option_falls_back_to_none_with_a_notice_that_does_not_echo_it(dataset, mechanisms, raw):
    chosen, notice = mech.parse_option(raw, mech.selectable_options(dataset, mechanisms))
    assert chosen is None
    assert notice and "does not cover" in notice
    assert raw.strip() not in notice


def test_missing_option_is_silent(dataset, mechanisms):
    ids = mech.selectable_options(dataset, mechanisms)
    assert mech.parse_option(None, ids) == (None, None)
    assert mech.parse_option("", ids) == (None, None)


# --- volume-knob model ---------------------------------------------------------------------


@pytest.mark.parametrize("strength", [1, 5, 10])
@pytest.mark.parametrize("stimuli", [2, 5, 20])
def test_nmda_blockade_lowers_amplification(stimuli, strength):
    frame = mech.windup_model(stimuli, strength)
    without = mech.amplification(frame, "Response without blockade")
    blocked = mech.amplification(frame, "Response with NMDA blockade")
    assert without > blocked >= 1
    # blockade leaves the first response alone and never raises any response
    assert frame["Response without blockade"].iloc[0] == frame["Response with NMDA blockade"].iloc[0] == strength
    assert (frame["Response with NMDA blockade"] <= frame["Response without blockade"]).all()


def test_response_grows_with_repeats_and_levels_off():
    frame = mech.windup_model(20, 5, 0.0)
    responses = frame["Response without blockade"].tolist()
    assert responses == sorted(responses)
    assert responses[-1] <= 5 * (1 + mech.MAX_EXTRA_GAIN)


def test_more_blockade_means_less_amplification():
    values = [mech.windup_response(10, 5, block) for block in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert values == sorted(values, reverse=True)
    assert math.isclose(values[-1], 5)


@pytest.mark.parametrize(
    ("stimuli", "strength", "block"),
    [
        (0, 5, 0.8),
        (21, 5, 0.8),
        (5, 0, 0.8),
        (5, 11, 0.8),
        (5, 5, -0.1),
        (5, 5, 1.1),
        (5, float("nan"), 0.8),
        (2.5, 5, 0.8),
        (True, 5, 0.8),
        ("5", 5, 0.8),
    ],
)
def test_model_inputs_are_bounded(stimuli, strength, block):
    with pytest.raises(ValueError, match="must be"):
        mech.windup_model(stimuli, strength, block)


def test_model_view_labels_itself_and_shows_blockade_only_when_asked():
    frame = mech.windup_model(8, 5)
    chart, summary = mech.windup_view(frame, show_blockade=True)
    assert summary.startswith("Illustrative model")
    assert "damped" in summary
    assert 'role="img" aria-label="Illustrative volume-knob model' in chart
    assert [label for label in ("No blocker", "With NMDA blocker", "Size of each input") if f"{label}</li>" in chart] == [
        "No blocker",
        "With NMDA blocker",
        "Size of each input",
    ]
    # the two response lines differ by dash and mark, not only colour
    assert chart.count("xl-mark xl-circle") == 8 + 1 and chart.count("xl-mark xl-square") == 8 + 1  # 8 points and the legend's
    assert "Spinal cord response (made-up units)" in chart and "Repeated painful input (number)" in chart
    chart, summary = mech.windup_view(frame, show_blockade=False)
    assert "With NMDA blocker" not in chart and "xl-square" not in chart
    assert "damped" not in summary


def test_model_chart_has_one_tick_per_input_until_ten_then_every_other():
    assert [f">{n}</span>" in mech.windup_view(mech.windup_model(8, 5), True)[0] for n in range(1, 9)] == [True] * 8
    many = mech.windup_view(mech.windup_model(15, 5), True)[0]
    x_ticks = many.split('class="xl-xticks">')[1].split("</div>")[0]
    assert [t.split(">")[-1] for t in x_ticks.split("</span>") if t] == [str(n) for n in range(1, 16, 2)]


def test_pathway_diagram_is_a_labelled_illustrative_group(dataset, mechanisms):
    view = mech.pathway_view(dataset, mechanisms, "ketamine_iv")
    assert '<div class="xp" role="group" aria-label="Illustrative diagram of the pain pathway, not an anatomical drawing.' in view.diagram
    assert "Pain signal travels up" in view.diagram and "Brakes travel down (dashed line)" in view.diagram


# --- mechanism cards ---------------------------------------------------------------------------


def test_cards_follow_the_audience(dataset, mechanisms):
    patient = {card.option_id: card for card in mech.mechanism_cards(dataset, mechanisms, "patient")}
    trainee = {card.option_id: card for card in mech.mechanism_cards(dataset, mechanisms, "trainee")}
    assert list(patient) == mech.selectable_options(dataset, mechanisms)
    assert "Non-competitive NMDA" in trainee["ketamine_iv"].action
    assert "NMDA" in patient["ketamine_iv"].action and "Non-competitive" not in patient["ketamine_iv"].action
    assert trainee["strong_opioids"].tolerance.startswith("Yes")
    assert patient["strong_opioids"].tolerance_source == "chang2007"
    table = mech.cards_table(list(trainee.values()))
    assert len(table) == len(trainee) and table["Sources"].str.len().gt(0).all()


def test_cards_html_escapes_every_field_and_cites_each_card(dataset, mechanisms):
    cards = mech.mechanism_cards(dataset, mechanisms, "patient")
    hostile = dataclasses.replace(cards[0], name="<b>Ket</b>", effects='Nausea & "<img src=x>"', effects_source="x")
    asked = []

    def sources(ids):
        asked.append(tuple(ids))
        return [(f"<i>{ref}</i>", f"sources?a=1&b=2#ref-{ref}") for ref in ids]

    html = mech.cards_html([hostile, *cards[1:]], sources)
    assert html.startswith('<div id="mechanism-cards"><div><h3>&lt;b&gt;Ket&lt;/b&gt;</h3>') and html.endswith("</div></div>")
    assert "<b>" not in html and "<img" not in html and "<i>" not in html
    assert "<strong>Main side effects:</strong> Nausea &amp; &quot;&lt;img src=x&gt;&quot;" in html
    assert "<strong>Does the body get used to it?</strong> " in html  # no colon after a question
    assert html.count("<h3>") == len(cards) and len(asked) == len(cards)
    assert asked[0] == hostile.sources and 'href="sources?a=1&amp;b=2#ref-x"' in html
    assert html.count("<small>Sources: ") + html.count("<small>Source: ") == len(cards)
    assert mech.cards_html([], sources) == '<div id="mechanism-cards"></div>'


def test_cards_show_onset_only_when_established(dataset, mechanisms):
    cards = {card.option_id: card for card in mech.mechanism_cards(dataset, mechanisms, "trainee")}
    assert "day 3" in cards["ketamine_iv"].onset and cards["ketamine_iv"].onset_source == "goldberg2010"
    assert "headache" in cards["nsaids"].onset  # one dose, in short-term pain: it says so
    assert cards["tca"].onset == "Not established in our sources."
    assert "30-60" not in " ".join(card.onset for card in cards.values())


def test_cards_say_what_is_unknown_once(dataset, mechanisms):
    cards = mech.mechanism_cards(dataset, mechanisms, "patient")
    html = mech.cards_html(cards, lambda ids: [(i, f"#{i}") for i in ids])
    assert "Not known" not in html  # no line-by-line "Not known" any more
    by_id = {card.option_id: card for card in cards}
    assert by_id["tca"].unknown == ("onset", "tolerance")
    assert html.count("<strong>Not in our sources:</strong>") == sum(1 for card in cards if card.unknown)
    assert "how fast it starts; whether the body gets used to it." in html
    assert "CRPS" in by_id["ketamine_iv"].onset  # the onset names the pain it was measured in
