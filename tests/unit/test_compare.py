"""Compare page library: URL selection, which evidence applies, out-of-100 and the values arithmetic."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from explainer import compare, evidence
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def ids(dataset):
    return dataset.option_ids


def test_no_parameters_give_the_defaults(ids):
    selection, notices = compare.parse_selection({}, ids)
    assert selection == compare.Selection()
    assert notices == []
    assert compare.to_params(selection) == {}


def test_round_trip_through_the_url(ids):
    chosen = compare.Selection(
        ("tca", "ketamine_iv"),
        "crps",
        True,
        {"speed": 0, "lasting": 10, "side_effects": 3, "clinic_time": 5, "evidence": 7},
        ("gabapentinoids", "antidepressants"),
        True,
    )
    params = compare.to_params(chosen)
    assert params == {
        "options": "tca,ketamine_iv",
        "pain": "crps",
        "nondrug": "1",
        "other": "1",
        "tried": "gabapentinoids,antidepressants",
        "weights": "0,10,3,5,7",
    }
    again, notices = compare.parse_selection(params, ids)
    assert again == chosen and notices == []


@pytest.mark.parametrize(
    ("params", "expected_notice"),
    [
        ({"options": "tca,<script>"}, "not recognised"),
        ({"other": "perhaps"}, "other kinds of pain"),
        ({"tried": "magic"}, "tried"),
        ({"options": "nothing,here"}, "did not name any option"),
        ({"options": ""}, "did not name any option"),
        ({"pain": "elbow"}, "pain type"),
        ({"nondrug": "maybe"}, "non-drug"),
        ({"weights": "1,2,3"}, "priorities"),
        ({"weights": "11,5,5,5,5"}, "priorities"),
        ({"weights": "a,b,c,d,e"}, "priorities"),
        ({"weights": "-1,5,5,5,5"}, "priorities"),
        ({"weights": "²,5,5,5,5"}, "priorities"),  # a digit to str.isdigit(), not to int()
        ({"weights": ",".join(["9" * 5000] * 5)}, "priorities"),  # more digits than int() reads
    ],
)
def test_bad_parts_fall_back_with_a_notice(ids, params, expected_notice):
    selection, notices = compare.parse_selection(params, ids)
    assert any(expected_notice in n for n in notices), notices
    for key in params:
        default = compare.Selection()
        if key == "options" and params[key] == "tca,<script>":
            assert selection.options == ("tca",)
            assert "<script>" not in notices[0]  # a notice never repeats what the URL said
        elif key == "options":
            assert selection.options == default.options
        elif key == "pain":
            assert selection.pain_type == default.pain_type
        elif key == "nondrug":
            assert selection.include_non_drug is False
        elif key == "other":
            assert selection.show_other is False
        elif key == "tried":
            assert selection.tried == ()
        else:
            assert selection.weights == default.weights


def test_repeated_keys_use_the_last_value(ids):
    selection, _ = compare.parse_selection({"pain": ["mixed", "musculoskeletal"]}, ids)
    assert selection.pain_type == "musculoskeletal"


def test_non_drug_options_are_added_only_when_asked(dataset):
    without = compare.Selection(("tca",), include_non_drug=False).option_ids(dataset)
    with_them = compare.Selection(("tca",), include_non_drug=True).option_ids(dataset)
    assert without == ["tca"]
    assert compare.Selection(("tca", "ketamine_iv")).option_ids(dataset)[0] == "ketamine_iv"  # ketamine first when chosen
    assert set(with_them) == {"tca", "psychological", "exercise", "interventional"}


def test_evidence_from_another_pain_type_never_crosses_silently(dataset):
    # Ketamine's fast relief and its benefit after a course were measured in CRPS.
    crps = compare.timecourse_rows(dataset, ["ketamine_iv"], "crps")
    first = crps[crps["measure"] == "first_relief"].iloc[0]
    assert (first["state"], first["scope"], first["source_id"]) == ("known", "direct", "goldberg2010")
    nerve = compare.timecourse_rows(dataset, ["ketamine_iv"], "neuropathic")
    assert "goldberg2010" not in set(nerve["source_id"]) and "sigtermans2009" not in set(nerve["source_id"])
    assert nerve[nerve["measure"] == "first_relief"].iloc[0]["state"] == "no_figure"
    # Asked for, the CRPS rows come back, marked as another pain type.
    shown = compare.timecourse_rows(dataset, ["ketamine_iv"], "neuropathic", show_other=True)
    other = shown[shown["state"] == "other"]
    assert {"goldberg2010", "sigtermans2009"} <= set(other["source_id"]) and set(other["scope"]) == {"other"}


def test_not_studied_differs_from_no_figure(dataset):
    rows = compare.timecourse_rows(dataset, ["gabapentin"], "crps")
    assert set(rows["state"]) == {"not_studied"}
    rows = compare.timecourse_rows(dataset, ["tca"], "neuropathic")
    assert set(rows["state"]) == {"no_figure"}


def test_up_to_times_keep_their_bound(dataset):
    rows = compare.timecourse_rows(dataset, ["capsaicin_8"], "neuropathic")
    after = rows[rows["measure"] == "after_course"].iloc[0]
    assert after["bound"] == "up_to" and pd.isna(after["low"])
    assert compare.time_text(after) == "up to 12 weeks"
    single = compare.timecourse_rows(dataset, ["nsaids"], "neuropathic", show_other=True)
    dose = single[single["measure"] == "dose_duration"].iloc[0]
    assert (dose["state"], dose["pain_type"]) == ("other", "acute")  # one dose in short-term pain: not a course


def test_benefit_pairs_the_nnh_with_an_nnt_of_the_same_formulation(dataset):
    found = compare.benefit(dataset, "gabapentin", "neuropathic")
    assert found.nnh["formulation"] == found.nnt["formulation"] == "immediate-release gabapentin"
    assert (found.nnt["point"], found.nnh["point"]) == (6.3, 25.6)
    assert found.formulation_note == ""


def test_benefit_names_the_responder_threshold(dataset):
    found = compare.benefit(dataset, "strong_opioids", "neuropathic")
    assert found.nnt["responder"] == "50"  # the 50% NNT is the headline, not the 30% one
    oxycodone = dataset.efficacy[(dataset.efficacy["source_id"] == "gaskell2016")].iloc[0]
    assert oxycodone["responder"] == "30"


def test_certainty_comes_from_the_data_never_a_default(dataset):
    assert compare.certainty(dataset, "ketamine_iv", "mixed")[:2] == ("very low", "ferraro2025")
    assert compare.certainty(dataset, "ketamine_iv", "neuropathic")[:2] == ("low", "pereira2022")
    assert compare.certainty(dataset, "ketamine_iv", "crps")[:2] == ("moderate evidence (guideline)", "cohen2018")
    assert compare.certainty(dataset, "gabapentin", "crps") == (None, None, None)


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (76, 76, "Very common"),
        (8, 19, "Common to very common"),
        (3, 6, "Common"),
        (0.3, 0.3, "Uncommon"),
        (None, None, "How often: not reported"),
    ],
)
def test_frequency_bands(low, high, words):
    assert compare.band_words(low, high) == words


def test_harms_apply_to_the_chosen_pain_and_name_serious_ones(dataset):
    nerve = compare.harm_rows(dataset, ["ketamine_iv"], "neuropathic")
    assert "sigtermans2009" not in set(nerve["source_id"])  # the 76% was measured in CRPS
    assert "Psychedelic effects" in set(nerve["effect"])
    opioids = compare.harm_rows(dataset, ["strong_opioids", "tramadol"], "neuropathic")
    for option in ("strong_opioids", "tramadol"):
        mine = opioids[opioids["option_id"] == option]
        assert {"Addiction (opioid use disorder)", "Overdose and death from overdose", "Harm from stopping suddenly"} <= set(mine["effect"])
    addiction = opioids[(opioids["option_id"] == "strong_opioids") & (opioids["effect"] == "Addiction (opioid use disorder)")].iloc[0]
    assert (addiction["percent"], addiction["band_words"]) == ("3–6%", "Common")
    tca = compare.harm_rows(dataset, ["tca"], "neuropathic")
    assert "life_threatening" in set(tca["severity"])


def test_tried_groups_match_the_visit_page():
    from explainer import consult

    assert set(compare.TRIED_GROUPS) == set(consult.TRIED)
    assert compare.tried_option_ids(["gabapentinoids", "antidepressants", "nonsense"]) == {"gabapentin", "pregabalin", "snri", "tca"}


def test_times_are_converted_to_minutes(dataset):
    rows = compare.timecourse_rows(dataset, ["pregabalin"], "neuropathic")
    onset = rows[rows["measure"] == "first_relief"].iloc[0]
    assert (onset["low_minutes"], onset["high_minutes"]) == (4 * 1440, 5 * 1440)


@pytest.mark.parametrize(("nnt", "expected"), [(3.6, 28), (1, 100), (0.5, 100), (200, 0), (None, None), (float("nan"), None), (0, None)])
def test_per_hundred(nnt, expected):
    assert compare.per_hundred(nnt) == expected


def test_per_hundred_range_swaps_the_ends():
    assert compare.per_hundred_range(3.0, 4.4) == (23, 33)
    assert compare.per_hundred_range(None, 4.4) is None


def _scores(**columns) -> pd.DataFrame:
    frame = pd.DataFrame({"option_id": ["a", "b"], "option": ["A", "B"]})
    for name in compare.CRITERIA:
        frame[name] = columns.get(name, [0.5, 0.5])
    return frame


def test_ranking_is_monotone_in_each_weight():
    for name in compare.CRITERIA:
        scores = _scores(**{name: [0.9, 0.1]})  # A is better than B on this criterion only
        gaps = []
        for weight in range(0, 11):
            weights = dict.fromkeys(compare.CRITERIA, 5)
            weights[name] = weight
            ranking = compare.weighted_ranking(scores, weights).set_index("option_id")
            gaps.append(ranking.loc["a", "score"] - ranking.loc["b", "score"])
        assert all(later >= earlier for earlier, later in itertools.pairwise(gaps)), name
        assert gaps[0] == 0 and gaps[-1] > 0


def test_ties_share_a_rank_and_all_zero_weights_give_no_ranking():
    tied = compare.weighted_ranking(_scores(), dict.fromkeys(compare.CRITERIA, 5))
    assert tied["rank"].tolist() == [1, 1]
    assert tied["option"].tolist() == ["A", "B"]
    assert compare.weighted_ranking(_scores(), dict.fromkeys(compare.CRITERIA, 0)).empty


def test_missing_evidence_can_neither_win_nor_lose_a_criterion():
    # A scores 0.2 on speed and has no side-effect score; B scores 0.2 on speed and 1.0 on side effects.
    scores = _scores(speed=[0.2, 0.2], side_effects=[None, 1.0])
    weights = {"speed": 5, "lasting": 0, "side_effects": 5, "clinic_time": 0, "evidence": 0}
    ranking = compare.weighted_ranking(scores, weights).set_index("option_id")
    assert ranking.loc["a", "score"] == 0.2  # neither 0 nor full marks: left out of the average
    assert ranking.loc["a", "based_on"] == "1 of 2" and ranking.loc["b", "based_on"] == "2 of 2"
    assert ranking.loc["a", "unscored"] == "Fewer serious side effects"
    assert ranking.loc["b", "arithmetic"] == "(5×0.20 + 5×1.00) ÷ 10 = 0.60"


def test_an_option_with_no_benefit_evidence_is_not_ranked():
    scores = _scores(speed=[None, 0.5], lasting=[None, 0.5], evidence=[None, 0.5], side_effects=[1.0, 0.0], clinic_time=[1.0, 0.0])
    ranking = compare.weighted_ranking(scores, dict.fromkeys(compare.CRITERIA, 5)).set_index("option_id")
    assert pd.isna(ranking.loc["a", "score"]) and "not ranked" in ranking.loc["a", "arithmetic"]
    assert ranking.loc["b", "rank"] == 1
    assert list(compare.weighted_ranking(scores, dict.fromkeys(compare.CRITERIA, 5))["option_id"]) == ["b", "a"]


def test_criterion_scores_come_from_the_data_for_the_chosen_pain(dataset):
    scores = compare.criterion_scores(dataset, ["ketamine_iv", "pregabalin", "tca"], "neuropathic").set_index("option_id")
    assert scores.loc["ketamine_iv", "clinic_time"] == 0.0  # hospital or infusion clinic: 'hospital' is listed first
    assert scores.loc["pregabalin", "clinic_time"] == 1.0
    assert pd.isna(scores.loc["tca", "speed"])  # not established: can't be scored
    assert pd.isna(scores.loc["ketamine_iv", "speed"])  # its fast relief was measured in CRPS, not nerve pain
    assert scores.loc["pregabalin", "evidence"] == 1.0
    crps = compare.criterion_scores(dataset, ["ketamine_iv", "pregabalin"], "crps").set_index("option_id")
    assert crps.loc["ketamine_iv", "speed"] > 0  # days 1-3, in CRPS
    assert pd.isna(crps.loc["pregabalin", "speed"]) and pd.isna(crps.loc["pregabalin", "evidence"])


def test_ketamine_does_not_win_nerve_pain_on_crps_evidence(dataset):
    # The audit's error: weighting fast and lasting relief ranked ketamine first for nerve pain.
    weights = {"speed": 10, "lasting": 10, "side_effects": 0, "clinic_time": 0, "evidence": 0}
    ranking = compare.weighted_ranking(compare.criterion_scores(dataset, list(compare.DEFAULT_OPTIONS), "neuropathic"), weights)
    assert ranking.iloc[0]["option_id"] != "ketamine_iv"


def test_values_summary_keeps_order_and_weights(dataset):
    scores = compare.criterion_scores(dataset, ["ketamine_iv", "tca"], "neuropathic")
    ranking = compare.weighted_ranking(scores, dict.fromkeys(compare.CRITERIA, 5))
    summary = compare.values_summary(ranking, dict.fromkeys(compare.CRITERIA, 5))
    assert [name for name, _ in summary["ranking"]] == ranking["option"].tolist()
    assert summary["weights"]["Fast relief"] == 5
    assert "not a recommendation" in summary["note"]


def test_logistics_table_uses_the_audience(dataset):
    patient = compare.logistics_table(dataset, ["ketamine_iv"], "patient")
    trainee = compare.logistics_table(dataset, ["ketamine_iv"], "trainee")
    assert "Blood pressure and pulse are checked" in patient.iloc[0]["What is checked and who should take care"]
    assert "frequently elevated" in trainee.iloc[0]["What is checked and who should take care"]
    assert "cohen2018" in patient.iloc[0]["source_id"]


@pytest.mark.parametrize("raw", ["https://login.example.com/reset", "www.example.com", "someone@example.com", "x" * 100_000])
def test_notices_never_repeat_url_text(ids, raw):
    for key in ("options", "tried", "pain", "weights", "other", "nondrug"):
        _, notices = compare.parse_selection({key: raw}, ids)
        assert notices and all("example" not in n and "xxxx" not in n and len(n) < 200 for n in notices), (key, notices)
