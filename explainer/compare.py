"""Compare page logic: what is selected, which evidence applies, and the values arithmetic.

Everything here is a plain function of the validated :class:`~explainer.evidence.Dataset` and
the user's choices, so the page only renders and the tests can check every rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from explainer.evidence import MINUTES_PER_UNIT, Dataset
from explainer.quoting import quoted_list

DEFAULT_OPTIONS = ("ketamine_iv", "strong_opioids", "nsaids", "gabapentin", "pregabalin", "snri", "tca")
PAIN_TYPES = ("neuropathic", "musculoskeletal", "mixed")
PAIN_LABELS = {
    "neuropathic": "Nerve pain (neuropathic)",
    "musculoskeletal": "Muscle, joint or back pain",
    "mixed": "Mixed or other chronic pain",
}
DEFAULT_PAIN = "neuropathic"

# The values-clarification criteria, in the order they appear in the URL (?weights=5,5,5,5,5).
CRITERIA = {
    "speed": "Fast relief",
    "lasting": "Relief that lasts",
    "side_effects": "Fewer serious side effects",
    "clinic_time": "Less time in a clinic",
    "evidence": "Stronger evidence",
}
DEFAULT_WEIGHT = 5
MAX_WEIGHT = 10
_WEIGHT = re.compile(r"[0-9]{1,3}")  # ASCII digits only: int() refuses '²' and numbers of thousands of digits
UNKNOWN_SCORE = 0.0  # what the sources do not show is not credited, and is flagged

CERTAINTY_SCORE = {"high": 1.0, "moderate": 0.75, "low": 0.5, "low to very low": 0.375, "very low": 0.25}
# First keyword found in the option's 'setting' wins: a hospital or infusion stay costs the most time.
SETTING_SCORE = (("hospital", 0.0), ("infusion", 0.0), ("clinic", 0.5), ("therapist", 0.5), ("home", 1.0))
# Time scores sit on log scales that fit chronic pain: relief within an hour scores 1 for speed and
# three months or more scores 0; benefit lasting a day or less scores 0 and a year or more scores 1.
SPEED_RANGE = (60.0, 129_600.0)
LASTING_RANGE = (1_440.0, 525_960.0)


@dataclass(frozen=True)
class Selection:
    options: tuple[str, ...] = DEFAULT_OPTIONS
    pain_type: str = DEFAULT_PAIN
    include_non_drug: bool = False
    weights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CRITERIA, DEFAULT_WEIGHT))

    def option_ids(self, dataset: Dataset) -> list[str]:
        """The options to draw: the chosen drugs, plus every non-drug option when asked for."""
        chosen = list(self.options)
        if self.include_non_drug:
            non_drug = dataset.options.loc[dataset.options["kind"] == "non-drug", "id"].tolist()
            chosen += [o for o in non_drug if o not in chosen]
        return chosen


def _first(value) -> str | None:
    if isinstance(value, list | tuple):
        return value[-1] if value else None
    return value


def parse_selection(params: Mapping[str, object], option_ids: list[str]) -> tuple[Selection, list[str]]:
    """Read ?options=&pain=&nondrug=&weights= into a Selection; each bad part falls back with a notice."""
    notices: list[str] = []
    options = DEFAULT_OPTIONS
    raw = _first(params.get("options"))
    if raw is not None:
        wanted = [part.strip() for part in str(raw).split(",") if part.strip()]
        known = [o for o in dict.fromkeys(wanted) if o in option_ids]
        unknown = [o for o in wanted if o not in option_ids]
        if unknown:
            notices.append(f"Some options in the link were not recognised and were left out: {quoted_list(unknown)}.")
        if known:
            options = tuple(known)
        elif wanted or raw == "":
            notices.append("The link did not name any option we know, so the usual set is shown.")
    pain = DEFAULT_PAIN
    raw = _first(params.get("pain"))
    if raw is not None:
        if raw in PAIN_TYPES:
            pain = str(raw)
        else:
            notices.append(f"The pain type in the link was not recognised; showing {PAIN_LABELS[DEFAULT_PAIN].lower()}.")
    include = False
    raw = _first(params.get("nondrug"))
    if raw is not None:
        if raw in ("1", "true", "yes"):
            include = True
        elif raw not in ("0", "false", "no"):
            notices.append("The 'non-drug options' setting in the link was not recognised, so they are left out.")
    weights = dict.fromkeys(CRITERIA, DEFAULT_WEIGHT)
    raw = _first(params.get("weights"))
    if raw is not None:
        parts = str(raw).split(",")
        if len(parts) == len(CRITERIA) and all(_WEIGHT.fullmatch(p.strip()) and int(p) <= MAX_WEIGHT for p in parts):
            weights = {name: int(p) for name, p in zip(CRITERIA, parts, strict=True)}
        else:
            notices.append(f"The priorities in the link were not {len(CRITERIA)} whole numbers from 0 to {MAX_WEIGHT}, so they were reset.")
    return Selection(options, pain, include, weights), notices


def to_params(selection: Selection) -> dict[str, str]:
    """The query parameters that reproduce a selection (defaults are left out to keep links short)."""
    params: dict[str, str] = {}
    if tuple(selection.options) != DEFAULT_OPTIONS:
        params["options"] = ",".join(selection.options)
    if selection.pain_type != DEFAULT_PAIN:
        params["pain"] = selection.pain_type
    if selection.include_non_drug:
        params["nondrug"] = "1"
    if any(w != DEFAULT_WEIGHT for w in selection.weights.values()):
        params["weights"] = ",".join(str(selection.weights[name]) for name in CRITERIA)
    return params


# --- which evidence applies -----------------------------------------------------------------


def applies(row_pain_type: str, pain_type: str) -> bool:
    """Does a row's evidence come from the chosen kind of pain (or from any pain)?"""
    return row_pain_type in (pain_type, "any")


def timecourse_rows(dataset: Dataset, option_ids: list[str], pain_type: str) -> pd.DataFrame:
    """One row per option and measure: the best-matching evidence, flagged if from another pain type.

    A row from the chosen pain type (or 'any') wins; otherwise an established row from another pain
    type is shown with ``direct`` False; otherwise the 'not established' row.
    """
    frame = dataset.timecourse
    rows = []
    for option_id in option_ids:
        for measure in ("first_relief", "trial_length", "on_treatment", "after_stopping"):
            hits = frame[(frame["option_id"] == option_id) & (frame["measure"] == measure)].to_dict("records")
            direct = [r for r in hits if applies(r["pain_type"], pain_type)]
            established_direct = [r for r in direct if r["status"] == "established"]
            other = [r for r in hits if not applies(r["pain_type"], pain_type) and r["status"] == "established"]
            if established_direct:
                row, is_direct = established_direct[0], True
            elif other:
                row, is_direct = other[0], False
            else:
                row, is_direct = (direct or hits)[0], True
            row = dict(row)
            row["direct"] = is_direct
            if row["status"] == "established":
                row["low_minutes"] = row["low"] * MINUTES_PER_UNIT[row["unit"]]
                row["high_minutes"] = row["high"] * MINUTES_PER_UNIT[row["unit"]]
            else:
                row["low_minutes"] = row["high_minutes"] = None
            rows.append(row)
    return pd.DataFrame(rows)


def pooled_estimate(dataset: Dataset, option_id: str, outcome: str, pain_type: str) -> dict | None:
    """The first efficacy row for an option and outcome, preferring the chosen pain type.

    Rows are listed in the CSV with the pooled (broadest) estimate first, so 'first' is the summary
    figure; condition-specific rows follow it.
    """
    frame = dataset.efficacy
    hits = frame[(frame["option_id"] == option_id) & (frame["outcome"] == outcome)].to_dict("records")
    if not hits:
        return None
    direct = [r for r in hits if r["pain_type"] == pain_type]
    row = dict((direct or hits)[0])
    row["direct"] = bool(direct)
    return row


# --- out of 100 -----------------------------------------------------------------------------


def per_hundred(number_needed: float | None) -> int | None:
    """'1 in N' as a whole number out of 100 people (NNT 3.6 -> 28)."""
    if number_needed is None or (isinstance(number_needed, float) and math.isnan(number_needed)) or number_needed <= 0:
        return None
    return min(100, round(100 / number_needed))


def per_hundred_range(ci_low: float | None, ci_high: float | None) -> tuple[int, int] | None:
    """The CI of an NNT as a range out of 100 (a larger NNT means fewer people, so the ends swap)."""
    low, high = per_hundred(ci_high), per_hundred(ci_low)
    if low is None or high is None:
        return None
    return low, high


# --- values clarification -------------------------------------------------------------------


def _log_score(minutes: float, bounds: tuple[float, float], reverse: bool) -> float:
    """Place a time between two bounds on a 0-1 log scale (reverse: shorter is better)."""
    low, high = bounds
    clamped = min(max(minutes, low), high)
    position = math.log(clamped / low) / math.log(high / low)
    return round(1 - position if reverse else position, 3)


def criterion_scores(dataset: Dataset, option_ids: list[str], pain_type: str) -> pd.DataFrame:
    """Score each option 0-1 on each criterion from the data; None where the sources are silent.

    - speed: the slower end of the time to first relief (log scale, 1 hour = 1 to 3 months = 0);
    - lasting: the longest established benefit, on treatment or after stopping (1 day = 0 to 1 year = 1);
    - side_effects: 1 minus a quarter for each group of serious harms listed (floor 0);
    - clinic_time: in hospital or an infusion clinic 0, other clinic visits 0.5, at home 1 ('setting');
    - evidence: the certainty of evidence (high 1 ... very low 0.25).
    """
    times = timecourse_rows(dataset, option_ids, pain_type)
    records = []
    for option_id in option_ids:
        option = dataset.option(option_id)
        mine = times[times["option_id"] == option_id]
        onset = mine[(mine["measure"] == "first_relief") & mine["high_minutes"].notna()]
        lasting = mine[mine["measure"].isin(["on_treatment", "after_stopping"]) & mine["high_minutes"].notna()]
        effects = dataset.effects[dataset.effects["option_id"] == option_id]
        serious_groups = effects.loc[effects["severity"] == "serious_rare", "group"].nunique()
        setting = option["setting"].lower()
        clinic = next((score for word, score in SETTING_SCORE if word in setting), None)
        records.append(
            {
                "option_id": option_id,
                "option": option["plain_name"],
                "speed": _log_score(float(onset["high_minutes"].max()), SPEED_RANGE, reverse=True) if not onset.empty else None,
                "lasting": _log_score(float(lasting["high_minutes"].max()), LASTING_RANGE, reverse=False) if not lasting.empty else None,
                "side_effects": max(0.0, 1 - 0.25 * serious_groups) if not effects.empty else None,
                "clinic_time": clinic,
                "evidence": CERTAINTY_SCORE.get(option["certainty"]),
            }
        )
    return pd.DataFrame.from_records(records, columns=["option_id", "option", *CRITERIA])


def weighted_ranking(scores: pd.DataFrame, weights: Mapping[str, int]) -> pd.DataFrame:
    """Weighted average of the criterion scores, shown with its arithmetic.

    total = sum(weight x score) / sum(weights), with unknown scores counted as UNKNOWN_SCORE and
    listed in 'unknown'. All-zero weights give no ranking (an empty frame). Ties share a rank.
    """
    total_weight = sum(weights.get(name, 0) for name in CRITERIA)
    columns = ["rank", "option_id", "option", "score", "arithmetic", "unknown"]
    if total_weight <= 0:
        return pd.DataFrame(columns=columns)
    rows = []
    for record in scores.to_dict("records"):
        parts, unknown, total = [], [], 0.0
        for name in CRITERIA:
            weight = weights.get(name, 0)
            value = record[name]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                unknown.append(CRITERIA[name])
                value = UNKNOWN_SCORE
            total += weight * value
            if weight:
                parts.append(f"{weight}×{value:.2f}")
        score = round(total / total_weight, 3)
        rows.append(
            {
                "option_id": record["option_id"],
                "option": record["option"],
                "score": score,
                "arithmetic": f"({' + '.join(parts)}) ÷ {total_weight} = {score:.2f}",
                "unknown": ", ".join(unknown),
            }
        )
    frame = pd.DataFrame(rows).sort_values(["score", "option"], ascending=[False, True], kind="stable")
    frame.insert(0, "rank", frame["score"].rank(method="min", ascending=False).astype(int))
    return frame[columns].reset_index(drop=True)


def values_summary(ranking: pd.DataFrame, weights: Mapping[str, int]) -> dict:
    """What the visit summary keeps: the weights and the ordered options with their scores."""
    return {
        "weights": {CRITERIA[name]: int(weights.get(name, 0)) for name in CRITERIA},
        "ranking": [[row["option"], float(row["score"])] for row in ranking.to_dict("records")],
        "note": "A conversation aid built from your priorities, not a recommendation.",
    }


# --- logistics ----------------------------------------------------------------------------------

MONITORING_KINDS = {"monitor": "Checked", "caution": "Take care", "contraindication": "Not for"}


# The logistics table's last column lists several checks in one cell, joined by this separator
# (the page shows each on its own line).
CHECKS_COLUMN = "What is checked and who should take care"
CHECK_SEPARATOR = " • "


def logistics_table(dataset: Dataset, option_ids: list[str], audience: str) -> pd.DataFrame:
    """Where each option happens, how often, and what is checked, with every source id."""
    item = "item_trainee" if audience == "trainee" else "item_patient"
    records = []
    for option_id in option_ids:
        option = dataset.option(option_id)
        checks = dataset.monitoring[dataset.monitoring["option_id"] == option_id]
        lines = [f"{MONITORING_KINDS[row['kind']]}: {row[item]}" for row in checks.to_dict("records")]
        sources = [option["logistics_source"], *checks["source_id"]]
        records.append(
            {
                "Option": option["plain_name"],
                "Where": option["setting"],
                "How often": option["visits"],
                CHECKS_COLUMN: CHECK_SEPARATOR.join(lines) if lines else "Nothing specific listed in our sources",
                "source_id": "; ".join(dict.fromkeys(sources)),
            }
        )
    return pd.DataFrame.from_records(records)
