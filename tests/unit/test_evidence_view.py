"""Evidence-page tables: readable values, filters, and 'not established' instead of blanks."""

from __future__ import annotations

import pytest

from explainer import evidence, evidence_view


@pytest.fixture
def dataset(fixture_data):
    return evidence.load_dataset(fixture_data)


def test_efficacy_view_formats_estimate_with_ci(dataset):
    table = evidence_view.table_view(dataset, "efficacy")
    assert table.iloc[0]["Estimate"] == "3.6 (95% CI 3 to 4.4)"
    assert table.iloc[0]["source_id"] == "finnerup2015"


def test_timecourse_view_says_not_established(dataset):
    table = evidence_view.table_view(dataset, "timecourse", ["tca"])
    assert set(table["Time"]) == {"not established"}
    ketamine = evidence_view.table_view(dataset, "timecourse", ["ketamine_iv"])
    assert "3–7 days" in set(ketamine["Time"])
    assert "up to 12 weeks (measured from 1 week)" in set(ketamine["Time"])
    assert set(ketamine["Pain type"]) == {"CRPS (complex regional pain syndrome)"}


def test_efficacy_view_names_the_responder_threshold_and_formulation(dataset):
    row = evidence_view.table_view(dataset, "efficacy").iloc[0]
    assert row["Measure"] == "NNT for at least 50% pain relief"
    assert row["Formulation"] == "all forms"


def test_recommendations_view(dataset):
    table = evidence_view.table_view(dataset, "recommendations", audience="trainee")
    assert list(table["What it says"]) == ["First line, strong."]
    assert list(table["Line"]) == ["first"]


def test_filter_by_option_and_audience_notes(dataset):
    patient = evidence_view.table_view(dataset, "monitoring", ["ketamine_iv"], "patient")
    trainee = evidence_view.table_view(dataset, "monitoring", ["ketamine_iv"], "trainee")
    assert list(patient["What"]) == ["Checks for strange feelings."]
    assert list(trainee["What"]) == ["Dissociation screen."]


def test_every_view_keeps_source_ids(dataset):
    for view in evidence_view.VIEWS:
        table = evidence_view.table_view(dataset, view)
        assert "source_id" in table.columns
        assert table["source_id"].isin(dataset.reference_ids).all()


def test_unknown_view():
    with pytest.raises(KeyError):
        evidence_view.table_view(None, "nope")


@pytest.mark.parametrize(
    ("point", "low", "high", "expected"),
    [(None, None, None, "not established"), (5.0, None, None, "5 (no CI reported)"), (6.4, 5.2, 8.4, "6.4 (95% CI 5.2 to 8.4)")],
)
def test_estimate_text(point, low, high, expected):
    assert evidence_view.estimate_text(point, low, high) == expected
