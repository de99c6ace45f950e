"""Tables for the Evidence page: the validated data set as readable, filterable views.

Each view keeps one row per value with its source id, so the page can link every number to its
reference and offer a CSV of exactly what is shown.
"""

from __future__ import annotations

import pandas as pd

from explainer.evidence import Dataset

VIEWS = {
    "efficacy": "Benefit and harm numbers (NNT, NNH, mean differences)",
    "timecourse": "Onset and durability",
    "effects": "Named side effects with frequencies",
    "monitoring": "Monitoring and cautions",
    "options": "Options: mechanism, setting, recommendation",
}
OUTCOME_LABELS = {
    "nnt_50": "NNT for at least 50% pain relief",
    "nnh_dropout": "NNH: stopped because of side effects",
    "nnh_effect": "NNH for a named side effect",
    "md_pain": "Mean difference in pain score",
    "rr_adverse": "Risk ratio for adverse events",
}


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
    if row["status"] != "established":
        return "not established"
    if row["low"] == row["high"]:
        unit = row["unit"].removesuffix("s") if row["low"] == 1 else row["unit"]
        return f"{_fmt(row['low'])} {unit}"
    return f"{_fmt(row['low'])}–{_fmt(row['high'])} {row['unit']}"


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
    if option_ids:
        frame = frame[frame[key].isin(option_ids)]
    rows = []
    for row in frame.to_dict("records"):
        option = names.get(row[key], row[key])
        if view == "efficacy":
            rows.append(
                {
                    "Option": option,
                    "Measure": OUTCOME_LABELS[row["outcome"]],
                    "Estimate": estimate_text(row["point"], row["ci_low"], row["ci_high"]),
                    "Pain type": row["pain_type"],
                    "Condition": row["condition"],
                    "Certainty": row["certainty"].replace("_", " "),
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
                    "Pain type": row["pain_type"],
                    "Note": row["note_trainee" if audience == "trainee" else "note_patient"],
                    "source_id": row["source_id"],
                }
            )
        elif view == "effects":
            rows.append(
                {
                    "Option": option,
                    "Side effect": row["effect"],
                    "With treatment": frequency_text(row["freq_low"], row["freq_high"]),
                    "With placebo": frequency_text(row["placebo_low"], row["placebo_high"]) if row["freq_low"] is not None else "",
                    "Severity": row["severity"].replace("_", " and "),
                    "Note": row["note_patient"],
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
        else:
            rows.append(
                {
                    "Option": row["plain_name"],
                    "Technical name": row["technical_name"],
                    "Target": row["target"],
                    "Where it acts": row["site"],
                    "Setting": row["setting"],
                    "NeuPSIG recommendation": row["recommendation"],
                    "Certainty": row["certainty"].replace("_", " "),
                    "source_id": row["mechanism_source"],
                }
            )
    columns = rows[0].keys() if rows else ["Option", "source_id"]
    return pd.DataFrame(rows, columns=list(columns))
