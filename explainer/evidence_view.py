"""Tables for the Evidence page: the validated data set as readable, filterable views.

Each view keeps one row per value with its source id, so the page can link every number to its
reference and offer a CSV of exactly what is shown.
"""

from __future__ import annotations

import pandas as pd

from explainer.compare import time_text as established_time  # the one wording for times, shared with Compare
from explainer.evidence import PAIN_TYPE_LABELS, RESPONDER_LABELS, Dataset

VIEWS = {
    "efficacy": "Benefit and harm numbers (NNT, NNH, mean differences)",
    "timecourse": "Onset and durability",
    "effects": "Named side effects with frequencies",
    "monitoring": "Monitoring and cautions",
    "recommendations": "What guidelines recommend, by kind of pain",
    "options": "Options: mechanism and setting",
}
PAIN_WORDS = {**PAIN_TYPE_LABELS, "any": "Any use (not specific to one kind of pain)"}
OUTCOME_LABELS = {
    "nnt": "NNT",
    "nnh_dropout": "NNH: stopped because of side effects",
    "nnh_effect": "NNH for a named side effect",
    "md_pain": "Mean difference in pain score",
    "rr_adverse": "Risk ratio for adverse events",
}


def certainty_words(value: str) -> str:
    """A certainty grade as words; 'not_established' (the source gave no grade) reads 'not graded'."""
    return "not graded" if value == "not_established" else value.replace("_", " ")


def _fmt(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def estimate_text(point, low, high) -> str:
    """'3.6 (95% CI 3.0 to 4.4)', or 'not established' when there is no number."""
    if point is None or pd.isna(point):
        return "not established"
    if low is None or pd.isna(low):
        return f"{_fmt(point)} (no CI reported)"
    return f"{_fmt(point)} (95% CI {_fmt(low)} to {_fmt(high)})"


def time_text(row: dict) -> str:
    """A time-course row's time in words ('1–3 days', 'up to 12 weeks'), or 'not established'."""
    if row["status"] != "established":
        return "not established"
    return established_time({**row, "low": None if pd.isna(row["low"]) else row["low"]})


def frequency_text(low, high) -> str:
    if low is None or pd.isna(low):
        return "not established"
    return f"{_fmt(low)}%" if low == high else f"{_fmt(low)}–{_fmt(high)}%"


def table_view(dataset: Dataset, view: str, option_ids: list[str] | None = None, audience: str = "patient") -> pd.DataFrame:
    """A readable copy of one table, filtered to ``option_ids`` (all when None or empty)."""
    if view not in VIEWS:
        raise KeyError(view)
    names = dict(zip(dataset.options["id"], dataset.options["plain_name"], strict=True))
    frame = getattr(dataset, view)
    key = "id" if view == "options" else "option_id"
    if view == "recommendations":
        frame = dataset.recommendations
    if option_ids:
        frame = frame[frame[key].isin(option_ids)]
    rows = []
    for row in frame.to_dict("records"):
        option = names.get(row[key], row[key])
        if view == "efficacy":
            rows.append(
                {
                    "Option": option,
                    "Measure": OUTCOME_LABELS[row["outcome"]]
                    + (f" for {RESPONDER_LABELS[row['responder']]}" if row["outcome"] == "nnt" and row["responder"] else ""),
                    "Estimate": estimate_text(row["point"], row["ci_low"], row["ci_high"]),
                    "Pain type": PAIN_WORDS[row["pain_type"]],
                    "Condition": row["condition"],
                    "Formulation": row["formulation"],
                    "Certainty": certainty_words(row["certainty"]),
                    "Studies": _fmt(row["studies"]),
                    "Participants": _fmt(row["participants"]),
                    "Note": row["note"],
                    "source_id": row["source_id"],
                }
            )
        elif view == "timecourse":
            rows.append(
                {
                    "Option": option,
                    "Measure": row["measure"].replace("_", " "),
                    "Time": time_text(row),
                    "Pain type": PAIN_WORDS[row["pain_type"]],
                    "Note": row["note_trainee" if audience == "trainee" else "note_patient"],
                    "source_id": row["source_id"],
                }
            )
        elif view == "effects":
            rows.append(
                {
                    "Option": option,
                    "Side effect": row["effect"],
                    "Pain type": PAIN_WORDS[row["pain_type"]],
                    "With treatment": frequency_text(row["freq_low"], row["freq_high"]),
                    "With placebo": frequency_text(row["placebo_low"], row["placebo_high"]) if not pd.isna(row["freq_low"]) else "",
                    "What the figure counts": row["freq_note"],
                    "Severity": row["severity"].replace("_", "-"),
                    "Note": row["note_trainee"] if audience == "trainee" and row["note_trainee"] else row["note_patient"],
                    "source_id": row["source_id"],
                }
            )
        elif view == "monitoring":
            rows.append(
                {
                    "Option": option,
                    "Kind": row["kind"],
                    "What": row["item_trainee" if audience == "trainee" else "item_patient"],
                    "source_id": row["source_id"],
                }
            )
        elif view == "recommendations":
            ranges = []
            if not pd.isna(row["nnt_range_low"]):
                ranges.append(f"NNT {_fmt(row['nnt_range_low'])}–{_fmt(row['nnt_range_high'])}")
            if not pd.isna(row["nnh_range_low"]):
                ranges.append(f"NNH {_fmt(row['nnh_range_low'])}–{_fmt(row['nnh_range_high'])}")
            rows.append(
                {
                    "Option": option,
                    "Pain type": PAIN_WORDS[row["pain_type"]],
                    "Line": row["line"].replace("_", " "),
                    "Strength": row["strength"].replace("_", " ") if isinstance(row["strength"], str) else "",
                    "Class ranges": "; ".join(ranges),
                    "What it says": row["text_trainee" if audience == "trainee" else "text_patient"],
                    "source_id": row["source_id"],
                }
            )
        else:
            rows.append(
                {
                    "Option": row["plain_name"],
                    "Technical name": row["technical_name"],
                    "Target": row["target"],
                    "Where it acts": row["site"],
                    "Setting": row["setting"],
                    "Certainty (overall)": certainty_words(row["certainty"]),
                    "source_id": row["mechanism_source"],
                }
            )
    columns = rows[0].keys() if rows else ["Option", "source_id"]
    return pd.DataFrame(rows, columns=list(columns))
