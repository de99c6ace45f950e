"""The facts of the site: CSV tables in data/, loaded and checked in one place.

Each table has a :class:`TableSpec` listing its columns and the rule each cell must meet. A
broken cell raises :class:`DataError` naming the file, the row (as a spreadsheet shows it: the
header is row 1), the column and the rule, so whoever edits the data can fix it in one go.
Cross-table rules (every source id exists, every option id is defined) run after each table
has loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

REFERENCE_KINDS = (
    "systematic-review",
    "guideline",
    "trial",
    "pooled-analysis",
    "observational",
    "label",
    "regulatory",
    "review",
    "standard",
    "textbook",
)
KIND_LABELS = {
    "systematic-review": "Systematic reviews and meta-analyses",
    "guideline": "Guidelines and consensus statements",
    "trial": "Randomised trials",
    "pooled-analysis": "Pooled analyses of trials",
    "observational": "Observational studies and case series",
    "label": "Drug labels",
    "regulatory": "Regulatory safety notices",
    "review": "Narrative reviews",
    "standard": "Standards for patient information",
    "textbook": "Reference texts",
}
TIME_UNITS = ("minutes", "hours", "days", "weeks", "months")
MINUTES_PER_UNIT = {"minutes": 1, "hours": 60, "days": 1440, "weeks": 10080, "months": 43830}
CERTAINTY = ("high", "moderate", "low", "low to very low", "very low", "not_established")

# --- pain types -----------------------------------------------------------------------------
# A result holds for the people it was measured in. Every efficacy, time-course and side-effect
# row names the population its study had, from this fixed vocabulary, and every reference lists
# the populations it covers (references.csv 'pain_types'); the loader refuses a row whose pain
# type its source did not study. Views filter by the chosen pain type and never show or score
# another type's result as if it applied.
PAIN_TYPES = ("neuropathic", "crps", "musculoskeletal", "mixed", "acute")
PAIN_TYPE_LABELS = {
    # Nerve pain as IASP and NeuPSIG define it: pain caused by a lesion or disease of the
    # somatosensory nervous system. CRPS is not counted here (NeuPSIG 2025 excludes it).
    "neuropathic": "Nerve pain (neuropathic)",
    "crps": "CRPS (complex regional pain syndrome)",
    "musculoskeletal": "Muscle, joint or back pain",
    "mixed": "Mixed or other chronic pain",
    # Single-dose studies in short-lived pain (a headache, pain after dental surgery): how fast and
    # how long one dose works, not whether a medicine helps long-term pain.
    "acute": "Short-term pain (single-dose studies)",
}
# The pain types a visitor can choose on Compare (long-term pain); 'acute' rows appear only when
# the visitor asks to see results from other kinds of pain.
CHRONIC_PAIN_TYPES = ("neuropathic", "crps", "musculoskeletal", "mixed")
# The same populations as a phrase in a sentence ("measured in ...").
PAIN_TYPE_PHRASES = {
    "neuropathic": "nerve pain",
    "crps": "CRPS",
    "musculoskeletal": "muscle, joint or back pain",
    "mixed": "groups with mixed kinds of chronic pain",
    "acute": "short-term pain after a single dose",
    "any": "any use",
}
# 'any': a source not about one pain population (a drug label, a safety notice, a mechanism
# text). Only a source that lists 'any' among its pain types may back an 'any' row, and an 'any'
# row is shown for every pain type, labelled as not specific to it.
ANY_PAIN = "any"

EFFECT_GROUPS = (
    "dissociation_psych",
    "heart_bp",
    "stomach_kidney_bleeding",
    "sedation_dizziness",
    "dependence_misuse",
    "breathing",
    "liver_bladder",
    "local_skin",
    "other",
)
# How bad a harm is, apart from how often it happens (frequency is its own column).
SEVERITIES = ("bothersome", "serious", "life_threatening")
OUTCOMES = ("nnt", "nnh_dropout", "nnh_effect", "md_pain", "rr_adverse")
# An NNT means nothing without the responder threshold it counts: at least half the pain gone
# (the usual primary outcome) or at least 30% ('moderate benefit').
RESPONDER_THRESHOLDS = ("50", "30")
RESPONDER_LABELS = {"50": "at least 50% pain relief", "30": "at least 30% pain relief"}
TIMECOURSE_MEASURES = ("first_relief", "fair_trial", "on_treatment", "after_course", "dose_onset", "dose_duration")
# The measures of a course of treatment: every option has a row for each (status not_established
# when the evidence is lacking). The dose measures describe one dose and are optional.
COURSE_MEASURES = ("first_relief", "fair_trial", "on_treatment", "after_course")
# 'range': both ends known. 'up_to': only the far end is known ("benefit up to 12 weeks"); 'low',
# when given, is the first point at which the benefit was seen, never a start of the axis.
TIME_BOUNDS = ("range", "up_to")
GUIDELINE_LINES = ("first", "second", "third", "preferred", "after_others", "evidence_grade")
GUIDELINE_STRENGTHS = ("strong", "weak", "moderate_evidence", "weak_or_no_evidence")
FAMILIES = (
    "nmda",
    "opioid",
    "nsaid",
    "gabapentinoid",
    "sodium_channel",
    "antidepressant",
    "topical",
    "psychological",
    "exercise",
    "interventional",
)


class DataError(ValueError):
    """A data file that breaks a rule. Carries file, row, column and the rule broken."""

    def __init__(self, path: Path | str, row: int | None, column: str | None, rule: str):
        self.path = Path(path)
        self.row = row
        self.column = column
        self.rule = rule
        where = [_display(self.path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {rule}")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- cell rules -------------------------------------------------------------------------
# Each rule takes the stripped text of a cell and returns the parsed value or raises
# ValueError with a message that completes "must be ...".

Rule = Callable[[str], object]


def text(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


def optional_text(value: str) -> str:
    return value


def one_of(*allowed: str) -> Rule:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)} (got {value!r})")
        return value

    return check


def optional_one_of(*allowed: str) -> Rule:
    inner = one_of(*allowed)
    return lambda value: inner(value) if value else None


def slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_\-]*", value or ""):
        raise ValueError(f"must be a lowercase id of letters, digits, '-' or '_' (got {value!r})")
    return value


def year(value: str) -> str:
    """A 4-digit year, or ``n.d.`` when the source shows no date (labels, web guidance)."""
    if value == "n.d.":
        return value
    if not re.fullmatch(r"\d{4}", value) or not 1900 <= int(value) <= dt.date.today().year + 1:
        raise ValueError(f"must be a 4-digit year between 1900 and {dt.date.today().year + 1}, or n.d. when undated (got {value!r})")
    return value


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"must be a date like 2026-11-25 (got {value!r})") from None


def optional_number(value: str) -> float | None:
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"must be a number (got {value!r})") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"must be a finite number (got {value!r})")
    return number


def optional_percent(value: str) -> float | None:
    number = optional_number(value)
    if number is not None and not 0 <= number <= 100:
        raise ValueError(f"must be a percentage from 0 to 100 (got {value!r})")
    return number


def optional_count(value: str) -> int | None:
    if value == "":
        return None
    if not re.fullmatch(r"\d+", value):
        raise ValueError(f"must be a whole number (got {value!r})")
    return int(value)


def optional_doi(value: str) -> str:
    if value and not re.fullmatch(r"10\.\d{4,9}/\S+", value):
        raise ValueError(f"must be a DOI like 10.1000/xyz, without 'doi:' or a URL (got {value!r})")
    return value


def optional_pmid(value: str) -> str:
    if value and not re.fullmatch(r"\d{1,9}", value):
        raise ValueError(f"must be a PubMed id made of digits (got {value!r})")
    return value


def optional_url(value: str) -> str:
    if value and not re.fullmatch(r"https?://\S+", value):
        raise ValueError(f"must be a web address starting with http:// or https:// (got {value!r})")
    return value


def optional_slug(value: str) -> str:
    return slug(value) if value else ""


def optional_year(value: str) -> int | None:
    if value == "":
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(f"must be a 4-digit year or empty (got {value!r})")
    return int(value)


def pain_type(value: str) -> str:
    """One population from :data:`PAIN_TYPES`, or 'any' (see :data:`ANY_PAIN`)."""
    if value not in (*PAIN_TYPES, ANY_PAIN):
        raise ValueError(f"must be one of {', '.join((*PAIN_TYPES, ANY_PAIN))} (got {value!r}); CRPS is 'crps', never 'neuropathic'")
    return value


def pain_type_list(value: str) -> tuple[str, ...]:
    """The populations a source covers: pain types separated by ';' (for example 'neuropathic; crps')."""
    parts = tuple(part.strip() for part in value.split(";") if part.strip())
    if not parts:
        raise ValueError(f"must list the pain types the source covers, separated by ';' (from {', '.join((*PAIN_TYPES, ANY_PAIN))})")
    for part in parts:
        pain_type(part)
    if len(set(parts)) != len(parts):
        raise ValueError("lists the same pain type twice")
    return parts


@dataclass(frozen=True)
class TableSpec:
    filename: str
    columns: dict[str, Rule]
    key: tuple[str, ...] = ()  # columns whose combination must be unique
    source_columns: tuple[str, ...] = ()  # columns holding reference ids
    option_column: str | None = None  # column holding an option id
    row_checks: tuple[Callable[[dict], tuple[str, str] | None], ...] = field(default=())


def load_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """Read one CSV, check every cell against its rule, return a DataFrame of parsed values."""
    if not path.is_file():
        raise DataError(path, None, None, "the file is missing")
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataError(path, None, None, f"the file is not UTF-8 text ({error.reason})") from None
    reader = csv.reader(io.StringIO(raw))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(path, 1, None, "the file is empty; it needs a header row") from None
    missing = [c for c in spec.columns if c not in header]
    if missing:
        raise DataError(path, 1, missing[0], f"required column '{missing[0]}' is missing from the header")
    unknown = [c for c in header if c not in spec.columns]
    if unknown:
        raise DataError(path, 1, unknown[0], f"unknown column '{unknown[0]}' (expected: {', '.join(spec.columns)})")
    duplicated = [c for c in header if header.count(c) > 1]
    if duplicated:
        raise DataError(path, 1, duplicated[0], "the column appears twice in the header")

    records: list[dict] = []
    seen: dict[tuple, int] = {}
    for row_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise DataError(path, row_number, None, f"has {len(cells)} cells but the header has {len(header)} (check commas and quotes)")
        record: dict = {"_row": row_number}
        for name, cell in zip(header, cells, strict=True):
            try:
                record[name] = spec.columns[name](cell.strip())
            except ValueError as error:
                raise DataError(path, row_number, name, str(error)) from None
        for check in spec.row_checks:
            problem = check(record)
            if problem:
                raise DataError(path, row_number, problem[0], problem[1])
        if spec.key:
            key = tuple(record[c] for c in spec.key)
            if key in seen:
                shown = ", ".join(f"{c}={record[c]!r}" for c in spec.key)
                raise DataError(path, row_number, spec.key[0], f"duplicate {shown} (first defined on row {seen[key]})")
            seen[key] = row_number
        records.append(record)
    if not records:
        raise DataError(path, None, None, "the file has a header but no data rows")
    return pd.DataFrame.from_records(records, columns=["_row", *header])


# --- table specifications -----------------------------------------------------------------

REFERENCES = TableSpec(
    "references.csv",
    {
        "id": slug,
        "authors": text,
        "year": year,
        "title": text,
        "journal": text,
        "doi": optional_doi,
        "pmid": optional_pmid,
        "url": optional_url,
        "kind": one_of(*REFERENCE_KINDS),
        "used_for": text,
        "last_checked": iso_date,
        # The populations the source studied or covers; a data row may only name one of these.
        "pain_types": pain_type_list,
        # A name readers know the source by ('NeuPSIG 2015', 'CDC 2022'); shown beside its figures.
        "short_name": optional_text,
        # A newer reference that replaces this one; a superseded guideline cannot back a data row.
        "superseded_by": optional_slug,
        # The year the source said it would be reviewed (guidelines); the site says when it has passed.
        "review_due": optional_year,
    },
    key=("id",),
)


def _range_check(low: str, high: str) -> Callable[[dict], tuple[str, str] | None]:
    def check(record: dict) -> tuple[str, str] | None:
        lo, hi = record.get(low), record.get(high)
        if lo is not None and hi is not None and lo > hi:
            return low, f"{low} ({lo:g}) is greater than {high} ({hi:g})"
        return None

    return check


def _ci_check(record: dict) -> tuple[str, str] | None:
    point, low, high = record["point"], record["ci_low"], record["ci_high"]
    if (low is None) != (high is None):
        return ("ci_low" if low is None else "ci_high"), "a confidence interval needs both ci_low and ci_high"
    if point is None:
        if low is not None:
            return "point", "a confidence interval is given without a point estimate"
        if not record["note"]:
            return "note", "a row without a point estimate must say why in 'note'"
        return None
    if low is not None and low > point:
        return "ci_low", f"CI low ({low:g}) is greater than the point estimate ({point:g})"
    if high is not None and point > high:
        return "ci_high", f"the point estimate ({point:g}) is greater than CI high ({high:g})"
    if record["outcome"].startswith(("nnt", "nnh")) and point <= 0:
        return "point", f"an NNT or NNH must be positive (got {point:g})"
    return None


def _responder_check(record: dict) -> tuple[str, str] | None:
    """An NNT counts people who reached a threshold; the row must say which, and only NNT rows say one."""
    if record["outcome"] == "nnt" and not record["responder"]:
        return "responder", f"an NNT row must name its responder threshold, one of {', '.join(RESPONDER_THRESHOLDS)} (% pain relief)"
    if record["outcome"] != "nnt" and record["responder"]:
        return "responder", "only an NNT row has a responder threshold; leave it empty"
    return None


def _formulation_check(record: dict) -> tuple[str, str] | None:
    """NNT and NNH rows say which forms of the drug they pool, so a form-specific NNH is never read as pooled."""
    if record["outcome"] in ("nnt", "nnh_dropout") and not record["formulation"]:
        return "formulation", "an NNT or NNH row must name the formulation it covers ('all forms' when pooled)"
    if record["outcome"] in ("nnt", "md_pain") and record["point"] is not None and not record["comparator"]:
        return "comparator", "a benefit figure must say what it was compared with ('placebo', 'usual treatment', ...)"
    return None


def _timecourse_check(record: dict) -> tuple[str, str] | None:
    if record["status"] == "established":
        if record["high"] is None:
            return "high", "an established time needs 'high'"
        if not record["bound"]:
            return "bound", f"an established time needs a bound, one of {', '.join(TIME_BOUNDS)}"
        if record["bound"] == "range" and record["low"] is None:
            return "low", "a 'range' needs both ends; use bound 'up_to' when only the far end is known"
        if not record["unit"]:
            return "unit", f"an established time needs a unit, one of {', '.join(TIME_UNITS)}"
        if record["low"] is not None and record["low"] < 0:
            return "low", "a time cannot be negative"
        if record["bound"] == "up_to" and record["low"] == 0:
            return "low", "'up_to' starts at the first point the benefit was seen; leave 'low' empty when that is not known (never 0)"
        if record["low"] is not None and record["low"] > record["high"]:
            return "low", f"onset/duration min ({record['low']:g}) is greater than max ({record['high']:g})"
    else:
        for name in ("low", "high", "unit", "bound"):
            if record[name] not in (None, ""):
                return name, "a not_established row must leave low, high, unit and bound empty"
    return None


def _effect_check(record: dict) -> tuple[str, str] | None:
    for lo, hi in (("freq_low", "freq_high"), ("placebo_low", "placebo_high")):
        if (record[lo] is None) != (record[hi] is None):
            return (lo if record[lo] is None else hi), f"give both {lo} and {hi}, or neither"
        if record[lo] is not None and record[lo] > record[hi]:
            return lo, f"{lo} ({record[lo]:g}) is greater than {hi} ({record[hi]:g})"
    if record["freq_low"] is None and record["placebo_low"] is not None:
        return "freq_low", "a placebo frequency is given without the treatment frequency"
    return None


def _harm_check(record: dict) -> tuple[str, str] | None:
    if record["freq_note"] and record["freq_low"] is None:
        return "freq_note", "a note on what the frequency counts needs a frequency"
    return None


OPTIONS = TableSpec(
    "options.csv",
    {
        "id": slug,
        "plain_name": text,
        "technical_name": text,
        "kind": one_of("drug", "non-drug"),
        "family": one_of(*FAMILIES),
        "target": text,
        "site": text,
        "action_patient": text,
        "action_trainee": text,
        "tolerance": one_of("yes", "no", "not_established"),
        "tolerance_source": slug,
        "setting": text,
        "visits": text,
        "logistics_source": slug,
        "certainty": one_of(*CERTAINTY),
        "certainty_source": slug,
        "mechanism_source": slug,
    },
    key=("id",),
    source_columns=("tolerance_source", "logistics_source", "certainty_source", "mechanism_source"),
)

TIMECOURSE = TableSpec(
    "timecourse.csv",
    {
        "option_id": slug,
        "measure": one_of(*TIMECOURSE_MEASURES),
        "status": one_of("established", "not_established"),
        "bound": optional_one_of(*TIME_BOUNDS),
        "low": optional_number,
        "high": optional_number,
        "unit": optional_one_of(*TIME_UNITS),
        "pain_type": pain_type,
        "note_patient": text,
        "note_trainee": text,
        "source_id": slug,
    },
    key=("option_id", "measure", "pain_type"),
    source_columns=("source_id",),
    option_column="option_id",
    row_checks=(_timecourse_check,),
)

EFFICACY = TableSpec(
    "efficacy.csv",
    {
        "option_id": slug,
        "outcome": one_of(*OUTCOMES),
        "responder": optional_one_of(*RESPONDER_THRESHOLDS),
        "pain_type": one_of(*PAIN_TYPES),
        "condition": text,
        "formulation": optional_text,
        "comparator": optional_text,  # what the option was compared with ('placebo', 'usual treatment without ketamine')
        "point": optional_number,
        "ci_low": optional_number,
        "ci_high": optional_number,
        "certainty": one_of(*CERTAINTY),
        "studies": optional_count,
        "participants": optional_count,
        "source_id": slug,
        "note": optional_text,
    },
    source_columns=("source_id",),
    option_column="option_id",
    row_checks=(_ci_check, _responder_check, _formulation_check),
)

EFFECTS = TableSpec(
    "effects.csv",
    {
        "option_id": slug,
        "effect": text,
        "group": one_of(*EFFECT_GROUPS),
        "pain_type": pain_type,
        "freq_low": optional_percent,
        "freq_high": optional_percent,
        "placebo_low": optional_percent,
        "placebo_high": optional_percent,
        "freq_note": optional_text,  # what the figure counts when it is not 'people in the study who had it'
        "by_analogy": optional_one_of("yes"),  # 'yes': the figure is for a related medicine, shown by analogy only
        "severity": one_of(*SEVERITIES),
        "note_patient": text,  # what this means, in plain words
        "get_help_patient": optional_text,  # "get help if ...", where the source gives a sign to act on
        "note_trainee": optional_text,
        "source_id": slug,
    },
    key=("option_id", "effect", "pain_type"),
    source_columns=("source_id",),
    option_column="option_id",
    row_checks=(_effect_check, _harm_check),
)

RECOMMENDATIONS = TableSpec(
    "recommendations.csv",
    {
        "option_id": slug,
        "pain_type": one_of(*PAIN_TYPES),
        "line": one_of(*GUIDELINE_LINES),
        "strength": optional_one_of(*GUIDELINE_STRENGTHS),
        # The NNT and NNH ranges a guideline gives across a group of classes (not this option alone).
        "nnt_range_low": optional_number,
        "nnt_range_high": optional_number,
        "nnh_range_low": optional_number,
        "nnh_range_high": optional_number,
        "text_patient": text,
        "text_trainee": text,
        "source_id": slug,
    },
    key=("option_id", "pain_type", "source_id"),
    source_columns=("source_id",),
    option_column="option_id",
    row_checks=(_range_check("nnt_range_low", "nnt_range_high"), _range_check("nnh_range_low", "nnh_range_high")),
)

CHANGES = TableSpec(
    "changes.csv",
    {
        "date": iso_date,
        "what": text,
        "why": text,
        "source_ids": optional_text,  # reference ids separated by ';'
    },
)

MONITORING = TableSpec(
    "monitoring.csv",
    {
        "option_id": slug,
        "kind": one_of("monitor", "caution", "contraindication"),
        "item_patient": text,
        "item_trainee": text,
        "source_id": slug,
    },
    source_columns=("source_id",),
    option_column="option_id",
)

DATASET_TABLES = (OPTIONS, TIMECOURSE, EFFICACY, EFFECTS, MONITORING, RECOMMENDATIONS)
# Tables whose rows are results measured in people: each names its population (pain_type).
POPULATION_TABLES = (TIMECOURSE, EFFICACY, EFFECTS, RECOMMENDATIONS)


def load_references(data_dir: Path) -> pd.DataFrame:
    """Load and check ``references.csv``. Indexed by nothing; ``id`` is unique."""
    return load_table(data_dir / REFERENCES.filename, REFERENCES)


@dataclass(frozen=True, eq=False)
class Dataset:
    """Every validated table the site shows, as DataFrames (``_row`` keeps the CSV row).

    A dataset is compared and hashed by identity (``eq=False``), so the library's views can be
    plain ``functools.lru_cache`` functions of ``(dataset, choices...)``: one dataset is loaded per
    data folder and shared read-only, and a test that loads other files gets its own cache entries.
    ``folder`` is where it was loaded from, for views that read a file of their own there
    (mechanisms.csv, glossary.csv, the stories).
    """

    references: pd.DataFrame
    options: pd.DataFrame
    timecourse: pd.DataFrame
    efficacy: pd.DataFrame
    effects: pd.DataFrame
    monitoring: pd.DataFrame
    recommendations: pd.DataFrame
    changes: pd.DataFrame
    folder: Path | None = None

    @property
    def reference_ids(self) -> list[str]:
        return self.references["id"].tolist()

    @property
    def option_ids(self) -> list[str]:
        return self.options["id"].tolist()

    @cached_property
    def _options_by_id(self) -> dict[str, dict]:
        return {record["id"]: record for record in self.options.to_dict("records")}

    def option(self, option_id: str) -> dict:
        """One option's row as a dict (a fresh copy: callers may change it)."""
        return dict(self._options_by_id[option_id])

    def reference(self, ref_id: str) -> dict:
        match = self.references[self.references["id"] == ref_id]
        if match.empty:
            raise KeyError(ref_id)
        return match.iloc[0].to_dict()


def check_references(path: Path, references: pd.DataFrame) -> None:
    """Replacements name a known reference (not the source itself), and only guidelines carry a review date."""
    ids = set(references["id"])
    for record in references.to_dict("records"):
        replacement = record["superseded_by"]
        if replacement and replacement not in ids:
            raise DataError(path, record["_row"], "superseded_by", f"unknown source id {replacement!r} (not in references.csv)")
        if replacement == record["id"]:
            raise DataError(path, record["_row"], "superseded_by", "a reference cannot supersede itself")
        if not pd.isna(record["review_due"]) and record["kind"] != "guideline":
            raise DataError(path, record["_row"], "review_due", "only a guideline has a planned review date")


def check_populations(path: Path, frame: pd.DataFrame, references: pd.DataFrame) -> None:
    """A row's pain type must be one its source studied: a CRPS trial cannot back a nerve-pain row.

    'any' rows (drug labels, safety notices, mechanism texts) need a source that lists 'any'. A
    not-established time-course row says what its source did not report, so it names that
    source's population too.
    """
    covers = dict(zip(references["id"], references["pain_types"], strict=True))
    for record in frame.to_dict("records"):
        source = record["source_id"]
        if record["pain_type"] not in covers[source]:
            raise DataError(
                path,
                record["_row"],
                "pain_type",
                f"pain type {record['pain_type']!r} is not one that source {source!r} studied "
                f"(references.csv lists: {', '.join(covers[source])}); a result holds only for the pain it was measured in",
            )


def check_current(path: Path, frame: pd.DataFrame, spec: TableSpec, references: pd.DataFrame) -> None:
    """No row rests on a guideline that has been replaced; recommendations cite only current sources."""
    kinds = dict(zip(references["id"], references["kind"], strict=True))
    replaced = {ref: new for ref, new in zip(references["id"], references["superseded_by"], strict=True) if new}
    for record in frame.to_dict("records"):
        for column in spec.source_columns:
            source = record[column]
            if source in replaced and (kinds[source] == "guideline" or spec is RECOMMENDATIONS):
                raise DataError(
                    path,
                    record["_row"],
                    column,
                    f"source {source!r} is superseded by {replaced[source]!r} (references.csv 'superseded_by'); cite the current one",
                )


def check_changes(path: Path, changes: pd.DataFrame, reference_ids: set[str]) -> None:
    for record in changes.to_dict("records"):
        for ref in (part.strip() for part in record["source_ids"].split(";") if part.strip()):
            if ref not in reference_ids:
                raise DataError(path, record["_row"], "source_ids", f"unknown source id {ref!r} (not in references.csv)")


def check_links(path: Path, frame: pd.DataFrame, spec: TableSpec, reference_ids: set[str], option_ids: set[str]) -> None:
    """Every source id must be a reference; every option id must be an option."""
    for record in frame.to_dict("records"):
        for column in spec.source_columns:
            if record[column] not in reference_ids:
                raise DataError(path, record["_row"], column, f"unknown source id {record[column]!r} (not in references.csv)")
        if spec.option_column and record[spec.option_column] not in option_ids:
            raise DataError(
                path,
                record["_row"],
                spec.option_column,
                f"option {record[spec.option_column]!r} is referenced but not defined in options.csv",
            )


def load_dataset(data_dir: Path) -> Dataset:
    """Load all tables and run the cross-table checks. Raises DataError on the first fault."""
    references = load_references(data_dir)
    check_references(data_dir / REFERENCES.filename, references)
    reference_ids = set(references["id"])
    frames = {}
    for spec in DATASET_TABLES:
        frames[spec.filename] = load_table(data_dir / spec.filename, spec)
    option_ids = set(frames[OPTIONS.filename]["id"])
    for spec in DATASET_TABLES:
        check_links(data_dir / spec.filename, frames[spec.filename], spec, reference_ids, option_ids)
        check_current(data_dir / spec.filename, frames[spec.filename], spec, references)
    for spec in POPULATION_TABLES:
        check_populations(data_dir / spec.filename, frames[spec.filename], references)
    changes = load_table(data_dir / CHANGES.filename, CHANGES)
    check_changes(data_dir / CHANGES.filename, changes, reference_ids)
    timecourse = frames[TIMECOURSE.filename]
    for option_id in frames[OPTIONS.filename]["id"]:
        for measure in COURSE_MEASURES:
            hit = timecourse[(timecourse["option_id"] == option_id) & (timecourse["measure"] == measure)]
            if hit.empty:
                raise DataError(
                    data_dir / TIMECOURSE.filename,
                    None,
                    "measure",
                    f"option {option_id!r} has no {measure!r} row; add one (status not_established if the evidence is lacking)",
                )
    return Dataset(
        references=references,
        options=frames[OPTIONS.filename],
        timecourse=timecourse,
        efficacy=frames[EFFICACY.filename],
        effects=frames[EFFECTS.filename],
        monitoring=frames[MONITORING.filename],
        recommendations=frames[RECOMMENDATIONS.filename],
        changes=changes,
        folder=data_dir,
    )


def to_minutes(value: float, unit: str) -> float:
    """Convert a time to minutes so every option sits on one time axis."""
    return value * MINUTES_PER_UNIT[unit]


def format_reference(ref: dict) -> str:
    """A plain-text citation: Authors. Title. Journal. Year. doi/PMID."""
    parts = [f"{ref['authors']} ({ref['year']}).", f"{ref['title'].rstrip('.')}.", f"{ref['journal'].rstrip('.')}."]
    if ref.get("doi"):
        parts.append(f"doi:{ref['doi']}.")
    if ref.get("pmid"):
        parts.append(f"PMID {ref['pmid']}.")
    return " ".join(parts)


def source_line_html(links: list[tuple[str, str]], label: str = "Source") -> str:
    """'<p><small>Sources: <a href="…">label</a>; …</small></p>' for (label, href) pairs, escaped; '' for none.

    ``label`` is the lead word in the singular ('Source', 'Table source'); an 's' is added for more than one link.
    """
    if not links:
        return ""
    joined = "; ".join(f'<a href="{html.escape(href)}">{html.escape(text)}</a>' for text, href in links)
    return f"<p><small>{html.escape(label)}{'s' if len(links) > 1 else ''}: {joined}</small></p>"


def reference_link(ref: dict) -> str | None:
    """The best web address for a reference: its DOI, else PubMed, else its URL."""
    if ref.get("doi"):
        return f"https://doi.org/{ref['doi']}"
    if ref.get("pmid"):
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref['pmid']}/"
    return ref.get("url") or None


def short_label(ref: dict) -> str:
    """A short in-text label: the name readers know the source by ('NeuPSIG 2015', 'FDA 2019'), else the
    first author 'et al.' and year, or the title when authors are unknown."""
    if ref.get("short_name"):
        return ref["short_name"]
    year = "" if ref["year"] == "n.d." else f" {ref['year']}"
    authors = ref["authors"]
    if authors.lower().startswith("authors not shown"):
        title = ref["title"] if len(ref["title"]) <= 60 else ref["title"][:57].rstrip() + "…"
        return f"{title}{year}"
    first = authors.split(",")[0].strip()
    more = "," in authors or authors.endswith("et al.")
    first = first.removesuffix(" et al.")
    return f"{first}{' et al.' if more else ''}{year}"
