"""Data pipeline: every validation rule, proved with a broken copy of the fixture data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from explainer import evidence
from explainer.evidence import DataError
from tests.conftest import replace_in


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts as a spreadsheet does (header is row 1)."""
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def load_error(data_dir: Path) -> str:
    with pytest.raises(DataError) as caught:
        evidence.load_dataset(data_dir)
    return str(caught.value)


def test_fixture_loads(fixture_data):
    dataset = evidence.load_dataset(fixture_data)
    assert dataset.option_ids == ["ketamine_iv", "tca"]
    assert dataset.reference("finnerup2015")["year"] == "2015"
    assert dataset.efficacy.iloc[0]["ci_low"] == 3.0


def test_real_data_loads():
    from explainer import DATA_DIR

    dataset = evidence.load_dataset(DATA_DIR)
    assert len(dataset.options) >= 14
    assert set(dataset.timecourse["option_id"]) == set(dataset.option_ids)


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "expected"),
    [
        ("references.csv", 2, "year", "15", "references.csv, row 2, column 'year': must be a 4-digit year"),
        (
            "references.csv",
            3,
            "id",
            "finnerup2015",
            "references.csv, row 3, column 'id': duplicate id='finnerup2015' (first defined on row 2)",
        ),
        ("references.csv", 2, "kind", "blog", "references.csv, row 2, column 'kind': must be one of"),
        ("references.csv", 2, "doi", "doi:10.1/x", "column 'doi': must be a DOI"),
        ("references.csv", 2, "title", "", "references.csv, row 2, column 'title': must not be empty"),
        ("efficacy.csv", 2, "source_id", "nobody1999", "efficacy.csv, row 2, column 'source_id': unknown source id 'nobody1999'"),
        ("efficacy.csv", 2, "ci_low", "3.9", "efficacy.csv, row 2, column 'ci_low': CI low (3.9) is greater than the point estimate (3.6)"),
        (
            "efficacy.csv",
            2,
            "ci_high",
            "3.5",
            "efficacy.csv, row 2, column 'ci_high': the point estimate (3.6) is greater than CI high (3.5)",
        ),
        ("timecourse.csv", 2, "low", "9", "timecourse.csv, row 2, column 'low': onset/duration min (9) is greater than max (7)"),
        (
            "timecourse.csv",
            2,
            "unit",
            "fortnights",
            "timecourse.csv, row 2, column 'unit': must be one of minutes, hours, days, weeks, months",
        ),
        ("effects.csv", 2, "freq_high", "176", "effects.csv, row 2, column 'freq_high': must be a percentage from 0 to 100"),
        (
            "effects.csv",
            2,
            "option_id",
            "cannabis",
            "effects.csv, row 2, column 'option_id': option 'cannabis' is referenced but not defined",
        ),
        ("monitoring.csv", 3, "item_patient", "", "monitoring.csv, row 3, column 'item_patient': must not be empty"),
        ("options.csv", 2, "family", "magic", "options.csv, row 2, column 'family': must be one of"),
        ("options.csv", 3, "mechanism_source", "", "options.csv, row 3, column 'mechanism_source': must be a lowercase id"),
    ],
)
def test_each_rule_names_file_row_column(fixture_data, file, row, column, value, expected):
    set_cell(fixture_data / file, row, column, value)
    assert expected in load_error(fixture_data)


def test_missing_column(fixture_data):
    replace_in(fixture_data / "options.csv", ",target,", ",goal,")
    assert "options.csv, row 1, column 'target': required column 'target' is missing" in load_error(fixture_data)


def test_missing_file(fixture_data):
    (fixture_data / "effects.csv").unlink()
    assert "effects.csv: the file is missing" in load_error(fixture_data)


def test_ragged_row(fixture_data):
    with (fixture_data / "monitoring.csv").open("a") as handle:
        handle.write("tca,caution,too few\n")
    assert "monitoring.csv, row 4: has 3 cells but the header has 5" in load_error(fixture_data)


def test_option_without_timecourse_row(fixture_data):
    path = fixture_data / "timecourse.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(line for line in lines if not line.startswith("tca,after_course")) + "\n")
    assert "option 'tca' has no 'after_course' row" in load_error(fixture_data)


def test_not_established_row_must_not_carry_numbers(fixture_data):
    set_cell(fixture_data / "timecourse.csv", 3, "low", "2")
    assert "timecourse.csv, row 3, column 'low': a not_established row must leave low, high, unit and bound empty" in load_error(
        fixture_data
    )


def test_established_row_needs_unit(fixture_data):
    set_cell(fixture_data / "timecourse.csv", 2, "unit", "")
    assert "row 2, column 'unit': an established time needs a unit" in load_error(fixture_data)


def test_ci_needs_both_ends(fixture_data):
    set_cell(fixture_data / "efficacy.csv", 2, "ci_high", "")
    assert "row 2, column 'ci_high': a confidence interval needs both" in load_error(fixture_data)


def test_effect_needs_both_frequency_ends(fixture_data):
    set_cell(fixture_data / "effects.csv", 2, "placebo_high", "")
    assert "give both placebo_low and placebo_high" in load_error(fixture_data)


def test_to_minutes_and_links():
    assert evidence.to_minutes(2, "hours") == 120
    assert evidence.to_minutes(1, "weeks") == 7 * 24 * 60
    ref = {"doi": "10.1/x", "pmid": "1", "url": "https://e.org"}
    assert evidence.reference_link(ref) == "https://doi.org/10.1/x"
    assert evidence.reference_link({"doi": "", "pmid": "12", "url": ""}) == "https://pubmed.ncbi.nlm.nih.gov/12/"
    assert evidence.reference_link({"doi": "", "pmid": "", "url": ""}) is None


@pytest.mark.parametrize(
    ("authors", "year", "title", "expected"),
    [
        ("Finnerup NB, Attal N, et al.", "2015", "Pharmacotherapy", "Finnerup NB et al. 2015"),
        ("Woolf CJ", "2011", "Central sensitization", "Woolf CJ 2011"),
        ("Goldberg et al.", "2010", "Five-day infusion", "Goldberg et al. 2010"),
        ("Cochrane Clinical Answers", "n.d.", "Answer", "Cochrane Clinical Answers"),
        (
            "Authors not shown in the copy we checked",
            "2003",
            "Review of the analgesic efficacy of ibuprofen",
            "Review of the analgesic efficacy of ibuprofen 2003",
        ),
    ],
)
def test_short_label(authors, year, title, expected):
    assert evidence.short_label({"authors": authors, "year": year, "title": title}) == expected


# --- pain types, responder thresholds, formulations, comparators and current guidelines (issue 21) ---


def add_reference(data_dir: Path, **cells: str) -> None:
    """Append a reference row to the fixture (unset cells empty)."""
    path = data_dir / "references.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    base = {"authors": "Someone", "year": "2016", "title": "A title", "journal": "A journal", "kind": "guideline", "used_for": "a test"}
    base.update({"last_checked": "2026-12-02", "pain_types": "any", **cells})
    rows.append([base.get(column, "") for column in header])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_a_crps_study_cannot_back_a_nerve_pain_row(fixture_data):
    # The audit's error: Sigtermans 2009 (CRPS type 1) shown as nerve-pain evidence.
    set_cell(fixture_data / "timecourse.csv", 5, "pain_type", "neuropathic")
    message = load_error(fixture_data)
    assert "timecourse.csv, row 5, column 'pain_type': pain type 'neuropathic' is not one that source 'sigtermans2009' studied" in message
    assert "(references.csv lists: crps)" in message


def test_pain_type_comes_from_the_fixed_vocabulary(fixture_data):
    set_cell(fixture_data / "effects.csv", 2, "pain_type", "nerve")
    assert "effects.csv, row 2, column 'pain_type': must be one of neuropathic, crps, musculoskeletal, mixed, acute, any" in load_error(
        fixture_data
    )


def test_a_reference_must_list_the_pain_types_it_covers(fixture_data):
    set_cell(fixture_data / "references.csv", 2, "pain_types", "")
    assert "references.csv, row 2, column 'pain_types': must list the pain types the source covers" in load_error(fixture_data)


def test_an_nnt_must_name_its_responder_threshold(fixture_data):
    # The audit's error: an NNT for at least 30% relief shown as one for at least 50%.
    set_cell(fixture_data / "efficacy.csv", 2, "responder", "")
    assert "efficacy.csv, row 2, column 'responder': an NNT row must name its responder threshold" in load_error(fixture_data)
    set_cell(fixture_data / "efficacy.csv", 2, "responder", "40")
    assert "column 'responder': must be one of 50, 30" in load_error(fixture_data)


def test_an_nnt_or_nnh_must_name_its_formulation(fixture_data):
    # The audit's error: an NNH for immediate-release gabapentin beside an NNT pooling all forms.
    set_cell(fixture_data / "efficacy.csv", 2, "formulation", "")
    assert "efficacy.csv, row 2, column 'formulation': an NNT or NNH row must name the formulation it covers" in load_error(fixture_data)


def test_a_benefit_figure_must_name_its_comparison(fixture_data):
    set_cell(fixture_data / "efficacy.csv", 2, "comparator", "")
    assert "efficacy.csv, row 2, column 'comparator': a benefit figure must say what it was compared with" in load_error(fixture_data)


def test_a_row_cannot_cite_a_superseded_guideline(fixture_data):
    add_reference(fixture_data, id="cdc2022")
    add_reference(fixture_data, id="cdc2016", superseded_by="cdc2022")
    set_cell(fixture_data / "monitoring.csv", 2, "source_id", "cdc2016")
    assert "monitoring.csv, row 2, column 'source_id': source 'cdc2016' is superseded by 'cdc2022'" in load_error(fixture_data)


def test_a_recommendation_cannot_cite_a_superseded_review(fixture_data):
    # NeuPSIG 2015 is a systematic review: its numbers stay, but its recommendations are replaced.
    add_reference(fixture_data, id="soliman2025", kind="systematic-review", pain_types="neuropathic")
    set_cell(fixture_data / "references.csv", 2, "superseded_by", "soliman2025")
    assert "recommendations.csv, row 2, column 'source_id': source 'finnerup2015' is superseded by 'soliman2025'" in load_error(
        fixture_data
    )
    set_cell(fixture_data / "recommendations.csv", 2, "source_id", "soliman2025")
    evidence.load_dataset(fixture_data)  # the NNT row may still cite the 2015 review


def test_superseded_by_and_review_due_are_checked(fixture_data):
    set_cell(fixture_data / "references.csv", 2, "superseded_by", "nobody2030")
    assert "references.csv, row 2, column 'superseded_by': unknown source id 'nobody2030'" in load_error(fixture_data)
    set_cell(fixture_data / "references.csv", 2, "superseded_by", "")
    set_cell(fixture_data / "references.csv", 2, "review_due", "2023")
    assert "references.csv, row 2, column 'review_due': only a guideline has a planned review date" in load_error(fixture_data)


def test_an_up_to_time_never_starts_at_zero(fixture_data):
    # The audit's error: "up to 12 weeks" drawn as a bar from the axis edge.
    set_cell(fixture_data / "timecourse.csv", 5, "low", "0")
    assert "timecourse.csv, row 5, column 'low': 'up_to' starts at the first point the benefit was seen" in load_error(fixture_data)


def test_the_change_log_cites_known_sources(fixture_data):
    set_cell(fixture_data / "changes.csv", 2, "source_ids", "finnerup2015; nobody1999")
    assert "changes.csv, row 2, column 'source_ids': unknown source id 'nobody1999'" in load_error(fixture_data)


def test_real_data_never_calls_crps_nerve_pain():
    from explainer import DATA_DIR

    dataset = evidence.load_dataset(DATA_DIR)
    crps_sources = {"sigtermans2009", "goldberg2010", "schwartzman2009", "noppers2011"}
    for frame in (dataset.timecourse, dataset.efficacy, dataset.effects):
        rows = frame[frame["source_id"].isin(crps_sources)]
        assert set(rows["pain_type"]) <= {"crps"}, rows[["option_id", "source_id", "pain_type"]]


def test_a_dataset_keys_library_caches_by_identity_and_knows_its_folder(fixture_data):
    import functools

    first, second = evidence.load_dataset(fixture_data), evidence.load_dataset(fixture_data)
    assert first.folder == fixture_data
    assert first != second and hash(first) != hash(second)  # two loads are two cache keys

    calls = []

    @functools.lru_cache(maxsize=8)
    def view(dataset, option_id):
        calls.append(option_id)
        return dataset.option(option_id)["id"]

    option_id = first.option_ids[0]
    assert view(first, option_id) == view(first, option_id) == option_id
    assert view(second, option_id) == option_id
    assert calls == [option_id, option_id]
