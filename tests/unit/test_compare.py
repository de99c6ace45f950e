"""Compare page library: URL selection, which evidence applies, out-of-100 and the values arithmetic."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from explainer import compare, evidence
from tests.conftest import ROOT
from tests.links import exposed_in_markdown


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
        ("tca", "ketamine_iv"), "mixed", True, {"speed": 0, "lasting": 10, "side_effects": 3, "clinic_time": 5, "evidence": 7}
    )
    params = compare.to_params(chosen)
    assert params == {"options": "tca,ketamine_iv", "pain": "mixed", "nondrug": "1", "weights": "0,10,3,5,7"}
    again, notices = compare.parse_selection(params, ids)
    assert again == chosen and notices == []


@pytest.mark.parametrize(
    ("params", "expected_notice"),
    [
        ({"options": "tca,<script>"}, "not recognised"),
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
            assert notices[0].endswith("left out: `<script>`.")  # Markdown: the value from the link is inline code
        elif key == "options":
            assert selection.options == default.options
        elif key == "pain":
            assert selection.pain_type == default.pain_type
        elif key == "nondrug":
            assert selection.include_non_drug is False
        else:
            assert selection.weights == default.weights


def test_repeated_keys_use_the_last_value(ids):
    selection, _ = compare.parse_selection({"pain": ["mixed", "musculoskeletal"]}, ids)
    assert selection.pain_type == "musculoskeletal"


def test_non_drug_options_are_added_only_when_asked(dataset):
    without = compare.Selection(("tca",), include_non_drug=False).option_ids(dataset)
    with_them = compare.Selection(("tca",), include_non_drug=True).option_ids(dataset)
    assert without == ["tca"]
    assert set(with_them) == {"tca", "psychological", "exercise", "interventional"}


def test_evidence_from_another_pain_type_is_flagged(dataset):
    nerve = compare.timecourse_rows(dataset, ["ketamine_iv"], "neuropathic")
    joints = compare.timecourse_rows(dataset, ["ketamine_iv"], "musculoskeletal")
    after_nerve = nerve[nerve["measure"] == "after_stopping"].iloc[0]
    after_joints = joints[joints["measure"] == "after_stopping"].iloc[0]
    assert after_nerve["direct"] and after_nerve["high"] == 12
    assert not after_joints["direct"]
    mixed = compare.timecourse_rows(dataset, ["ketamine_iv"], "mixed")
    assert mixed[mixed["measure"] == "after_stopping"].iloc[0]["high"] == 2  # the mixed-pain meta-analysis wins
    assert len(nerve) == 4  # one row per measure


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


def test_unknown_scores_are_not_credited_and_are_named():
    scores = _scores(speed=[None, 1.0])
    ranking = compare.weighted_ranking(scores, {"speed": 10, "lasting": 0, "side_effects": 0, "clinic_time": 0, "evidence": 0}).set_index(
        "option_id"
    )
    assert ranking.loc["a", "score"] == compare.UNKNOWN_SCORE
    assert "Fast relief" in ranking.loc["a", "unknown"]
    assert ranking.loc["b", "arithmetic"] == "(10×1.00) ÷ 10 = 1.00"


def test_criterion_scores_come_from_the_data(dataset):
    scores = compare.criterion_scores(dataset, ["ketamine_iv", "pregabalin", "tca"], "neuropathic").set_index("option_id")
    assert scores.loc["ketamine_iv", "clinic_time"] == 0.0  # hospital or infusion clinic: 'hospital' is listed first
    assert scores.loc["pregabalin", "clinic_time"] == 1.0
    assert scores.loc["tca", "speed"] is None or pd.isna(scores.loc["tca", "speed"])  # not established
    assert scores.loc["ketamine_iv", "speed"] > scores.loc["pregabalin", "speed"]  # days 1-3 beat days 4-5
    assert scores.loc["pregabalin", "evidence"] == 1.0
    assert 0 <= scores.loc["ketamine_iv", "side_effects"] < scores.loc["tca", "side_effects"]


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


def test_an_address_in_the_link_is_named_as_code_and_cut_short(ids):
    """A crafted share link cannot put a clickable address, or a 100 KB value, into the notice."""
    _, notices = compare.parse_selection({"options": "https://login.example.com/reset,www.example.net," + "x" * 100_000}, ids)
    assert exposed_in_markdown(notices[0], "login.example.com") == []
    assert exposed_in_markdown(notices[0], "www.example.net") == []
    assert "`https://login.example.com/reset`" in notices[0]
    assert len(notices[0]) < 250 and "…" in notices[0]
