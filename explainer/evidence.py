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
PAIN_TYPES = ("neuropathic", "musculoskeletal", "mixed")
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
SEVERITIES = ("common_bothersome", "serious_rare")
OUTCOMES = ("nnt_50", "nnh_dropout", "nnh_effect", "md_pain", "rr_adverse")
TIMECOURSE_MEASURES = ("first_relief", "trial_length", "on_treatment", "after_stopping")
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


def _timecourse_check(record: dict) -> tuple[str, str] | None:
    if record["status"] == "established":
        for name in ("low", "high"):
            if record[name] is None:
                return name, f"an established time needs '{name}'"
        if not record["unit"]:
            return "unit", f"an established time needs a unit, one of {', '.join(TIME_UNITS)}"
        if record["low"] < 0:
            return "low", "a time cannot be negative"
        if record["low"] > record["high"]:
            return "low", f"onset/duration min ({record['low']:g}) is greater than max ({record['high']:g})"
    else:
        for name in ("low", "high", "unit"):
            if record[name] not in (None, ""):
                return name, "a not_established row must leave low, high and unit empty"
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
        "recommendation": text,
        "recommendation_source": slug,
        "certainty": one_of(*CERTAINTY),
        "certainty_source": slug,
        "mechanism_source": slug,
    },
    key=("id",),
    source_columns=("tolerance_source", "logistics_source", "recommendation_source", "certainty_source", "mechanism_source"),
)

TIMECOURSE = TableSpec(
    "timecourse.csv",
    {
        "option_id": slug,
        "measure": one_of(*TIMECOURSE_MEASURES),
        "status": one_of("established", "not_established"),
        "low": optional_number,
        "high": optional_number,
        "unit": optional_one_of(*TIME_UNITS),
        "pain_type": one_of(*PAIN_TYPES, "any"),
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
        "pain_type": one_of(*PAIN_TYPES),
        "condition": text,
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
    row_checks=(_ci_check,),
)

EFFECTS = TableSpec(
    "effects.csv",
    {
        "option_id": slug,
        "effect": text,
        "group": one_of(*EFFECT_GROUPS),
        "freq_low": optional_percent,
        "freq_high": optional_percent,
        "placebo_low": optional_percent,
        "placebo_high": optional_percent,
        "severity": one_of(*SEVERITIES),
        "note_patient": text,
        "source_id": slug,
    },
    key=("option_id", "effect"),
    source_columns=("source_id",),
    option_column="option_id",
    row_checks=(_effect_check,),
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

DATASET_TABLES = (OPTIONS, TIMECOURSE, EFFICACY, EFFECTS, MONITORING)


def load_references(data_dir: Path) -> pd.DataFrame:
    """Load and check ``references.csv``. Indexed by nothing; ``id`` is unique."""
    return load_table(data_dir / REFERENCES.filename, REFERENCES)


@dataclass(frozen=True)
class Dataset:
    """Every validated table the site shows, as DataFrames (``_row`` keeps the CSV row)."""

    references: pd.DataFrame
    options: pd.DataFrame
    timecourse: pd.DataFrame
    efficacy: pd.DataFrame
    effects: pd.DataFrame
    monitoring: pd.DataFrame

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
    reference_ids = set(references["id"])
    frames = {}
    for spec in DATASET_TABLES:
        frames[spec.filename] = load_table(data_dir / spec.filename, spec)
    option_ids = set(frames[OPTIONS.filename]["id"])
    for spec in DATASET_TABLES:
        check_links(data_dir / spec.filename, frames[spec.filename], spec, reference_ids, option_ids)
    timecourse = frames[TIMECOURSE.filename]
    for option_id in frames[OPTIONS.filename]["id"]:
        for measure in TIMECOURSE_MEASURES:
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
    """A short in-text label: first author 'et al.' and year, or the title when authors are unknown."""
    year = "" if ref["year"] == "n.d." else f" {ref['year']}"
    authors = ref["authors"]
    if authors.lower().startswith("authors not shown"):
        title = ref["title"] if len(ref["title"]) <= 60 else ref["title"][:57].rstrip() + "…"
        return f"{title}{year}"
    first = authors.split(",")[0].strip()
    more = "," in authors or authors.endswith("et al.")
    first = first.removesuffix(" et al.")
    return f"{first}{' et al.' if more else ''}{year}"
