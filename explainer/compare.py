"""Compare page logic: what is selected, which evidence applies to the chosen pain, and the values arithmetic.

Everything here is a plain function of the validated :class:`~explainer.evidence.Dataset` and the
visitor's choices, so the page only draws and the tests can check every rule.

The one rule that runs through the module: a result holds for the people it was measured in.
Every row of evidence gets a *scope* against the chosen pain type:

- ``direct``: measured in that pain type;
- ``general``: a source not tied to one pain type (a drug label, a safety notice), shown for every
  pain type and labelled as such;
- ``other``: measured in another pain type. Such a row is never drawn, summarised or scored as if
  it applied; it appears only when the visitor asks to see other pain types, marked as such, and
  the values exercise ignores it.

Where nothing applies, the module says which of two things is true: the sources looked and found
no figure (``no_figure``), or the option was not studied for this pain at all (``not_studied``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from explainer.evidence import (
    ANY_PAIN,
    CHRONIC_PAIN_TYPES,
    COURSE_MEASURES,
    MINUTES_PER_UNIT,
    PAIN_TYPE_LABELS,
    PAIN_TYPE_PHRASES,
    RESPONDER_LABELS,
    Dataset,
)

DEFAULT_OPTIONS = ("ketamine_iv", "strong_opioids", "nsaids", "gabapentin", "pregabalin", "snri", "tca")
PAIN_TYPES = CHRONIC_PAIN_TYPES
PAIN_LABELS = {pain: PAIN_TYPE_LABELS[pain] for pain in PAIN_TYPES}
DEFAULT_PAIN = "neuropathic"


def pain_words(pain_type: str) -> str:
    """A pain type's label inside a sentence: 'nerve pain (neuropathic)', but 'CRPS (...)' keeps its capitals."""
    label = PAIN_TYPE_LABELS[pain_type]
    return label if label.startswith("CRPS") else label[:1].lower() + label[1:]


# What a visitor may say they have already tried (shared with Prepare for your visit, whose
# question list uses the same groups: explainer.consult.TRIED), and the options in each group.
TRIED_GROUPS: dict[str, tuple[str, ...]] = {
    "opioids": ("strong_opioids", "tramadol"),
    "nsaids": ("nsaids",),
    "gabapentinoids": ("gabapentin", "pregabalin"),
    "antidepressants": ("snri", "tca"),
    "patches": ("capsaicin_8", "lidocaine_5"),
    "talking": ("psychological",),
    "exercise": ("exercise",),
    "procedures": ("interventional",),
    "ketamine": ("ketamine_iv",),
}

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

CERTAINTY_SCORE = {"high": 1.0, "moderate": 0.75, "low": 0.5, "low to very low": 0.375, "very low": 0.25}
# A guideline's own grading of the evidence, used when no graded estimate exists for the pain type.
GUIDELINE_EVIDENCE_SCORE = {"moderate_evidence": 0.75, "weak_or_no_evidence": 0.25}
GUIDELINE_EVIDENCE_WORDS = {"moderate_evidence": "moderate evidence (guideline)", "weak_or_no_evidence": "weak or no evidence (guideline)"}
# First keyword found in the option's 'setting' wins: a hospital or infusion stay costs the most time.
SETTING_SCORE = (("hospital", 0.0), ("infusion", 0.0), ("clinic", 0.5), ("therapist", 0.5), ("home", 1.0))
# Time scores sit on log scales that fit chronic pain: relief within an hour scores 1 for speed and
# three months or more scores 0; benefit lasting a day or less scores 0 and a year or more scores 1.
SPEED_RANGE = (60.0, 129_600.0)
LASTING_RANGE = (1_440.0, 525_960.0)
SERIOUS = ("serious", "life_threatening")


# --- the visitor's choices ------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    options: tuple[str, ...] = DEFAULT_OPTIONS
    pain_type: str = DEFAULT_PAIN
    include_non_drug: bool = False
    weights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CRITERIA, DEFAULT_WEIGHT))
    tried: tuple[str, ...] = ()  # keys of TRIED_GROUPS
    show_other: bool = False  # also show results from other pain types, marked as such

    def option_ids(self, dataset: Dataset) -> list[str]:
        """The options to draw: the chosen drugs, plus every non-drug option when asked for; ketamine first."""
        chosen = list(self.options)
        if self.include_non_drug:
            non_drug = dataset.options.loc[dataset.options["kind"] == "non-drug", "id"].tolist()
            chosen += [o for o in non_drug if o not in chosen]
        if "ketamine_iv" in chosen:
            chosen.remove("ketamine_iv")
            chosen.insert(0, "ketamine_iv")
        return chosen

    def tried_options(self) -> set[str]:
        return tried_option_ids(self.tried)


def tried_option_ids(tried: Iterable[str]) -> set[str]:
    """The option ids covered by what the visitor has tried (unknown groups are ignored)."""
    return {option for group in tried for option in TRIED_GROUPS.get(group, ())}


def _last(value) -> str | None:
    if isinstance(value, list | tuple):
        return value[-1] if value else None
    return value


def _flag(raw, name: str, notices: list[str]) -> bool:
    if raw is None:
        return False
    if raw in ("1", "true", "yes"):
        return True
    if raw not in ("0", "false", "no"):
        notices.append(f"The '{name}' setting in the link was not recognised, so it is off.")
    return False


def parse_selection(params: Mapping[str, object], option_ids: list[str]) -> tuple[Selection, list[str]]:
    """Read ?options=&pain=&nondrug=&other=&tried=&weights= into a Selection; each bad part falls back with a notice.

    A notice never repeats what the link said: the value came from a URL, and words from a URL
    shown back on the page could be made to look like the site's own (or become a link).
    """
    notices: list[str] = []
    options = DEFAULT_OPTIONS
    raw = _last(params.get("options"))
    if raw is not None:
        wanted = [part.strip() for part in str(raw).split(",") if part.strip()]
        known = [o for o in dict.fromkeys(wanted) if o in option_ids]
        unknown = [o for o in wanted if o not in option_ids]
        if unknown:
            count = len(unknown)
            notices.append(
                f"{count} option{'s' if count != 1 else ''} in the link {'were' if count != 1 else 'was'} not recognised and left out."
            )
        if known:
            options = tuple(known)
        elif wanted or raw == "":
            notices.append("The link did not name any option we know, so the usual set is shown.")
    pain = DEFAULT_PAIN
    raw = _last(params.get("pain"))
    if raw is not None:
        if raw in PAIN_TYPES:
            pain = str(raw)
        else:
            notices.append(f"The pain type in the link was not recognised; showing {pain_words(DEFAULT_PAIN)}.")
    include = _flag(_last(params.get("nondrug")), "non-drug options", notices)
    other = _flag(_last(params.get("other")), "other kinds of pain", notices)
    tried: tuple[str, ...] = ()
    raw = _last(params.get("tried"))
    if raw is not None:
        wanted = [part.strip() for part in str(raw).split(",") if part.strip()]
        tried = tuple(t for t in TRIED_GROUPS if t in wanted)
        if len(tried) != len(set(wanted)):
            notices.append("Some of what the link says you have tried was not recognised and was left out.")
    weights = dict.fromkeys(CRITERIA, DEFAULT_WEIGHT)
    raw = _last(params.get("weights"))
    if raw is not None:
        parts = str(raw).split(",")
        if len(parts) == len(CRITERIA) and all(_WEIGHT.fullmatch(p.strip()) and int(p) <= MAX_WEIGHT for p in parts):
            weights = {name: int(p) for name, p in zip(CRITERIA, parts, strict=True)}
        else:
            notices.append(f"The priorities in the link were not {len(CRITERIA)} whole numbers from 0 to {MAX_WEIGHT}, so they were reset.")
    return Selection(options, pain, include, weights, tried, other), notices


def to_params(selection: Selection) -> dict[str, str]:
    """The query parameters that reproduce a selection (defaults are left out to keep links short)."""
    params: dict[str, str] = {}
    if tuple(selection.options) != DEFAULT_OPTIONS:
        params["options"] = ",".join(selection.options)
    if selection.pain_type != DEFAULT_PAIN:
        params["pain"] = selection.pain_type
    if selection.include_non_drug:
        params["nondrug"] = "1"
    if selection.show_other:
        params["other"] = "1"
    if selection.tried:
        params["tried"] = ",".join(selection.tried)
    if any(w != DEFAULT_WEIGHT for w in selection.weights.values()):
        params["weights"] = ",".join(str(selection.weights[name]) for name in CRITERIA)
    return params


# --- which evidence applies -----------------------------------------------------------------


def scope(row_pain_type: str, pain_type: str) -> str:
    """'direct' (measured in this pain type), 'general' (not tied to one) or 'other' (another pain type)."""
    if row_pain_type == pain_type:
        return "direct"
    if row_pain_type == ANY_PAIN:
        return "general"
    return "other"


def applies(row_pain_type: str, pain_type: str) -> bool:
    """Does a row's evidence hold for the chosen pain type (measured in it, or not tied to one)?"""
    return scope(row_pain_type, pain_type) != "other"


def measured_in(row_pain_type: str) -> str:
    """'nerve pain', 'CRPS', 'any use' ...: the population a row was measured in, as words."""
    return PAIN_TYPE_PHRASES[row_pain_type]


def _isnan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def clean(value):
    """None for a missing value (None or NaN: pandas turns None into NaN in number columns), else the value."""
    return None if _isnan(value) else value


def _minutes(row: dict, end: str) -> float | None:
    value = clean(row[end])
    return None if value is None else float(value) * MINUTES_PER_UNIT[row["unit"]]


TIME_COLUMNS = (
    "option_id",
    "measure",
    "state",
    "scope",
    "pain_type",
    "bound",
    "low",
    "high",
    "unit",
    "low_minutes",
    "high_minutes",
    "note_patient",
    "note_trainee",
    "source_id",
)


def timecourse_rows(dataset: Dataset, option_ids: list[str], pain_type: str, show_other: bool = False) -> pd.DataFrame:
    """The time-course evidence for the chosen pain type, one row per finding, in option and measure order.

    For each course measure (first relief, a fair trial, benefit while on it, benefit after a
    course) an option gets its established rows that apply (state 'known'); else the 'not
    established' row that applies (state 'no_figure'); else a row with state 'not_studied'.
    One-dose measures appear only where known. With ``show_other``, established rows from other
    pain types follow with state 'other'.
    """
    frame = dataset.timecourse
    out = []
    for option_id in option_ids:
        mine = frame[frame["option_id"] == option_id].to_dict("records")
        for measure in ("first_relief", "fair_trial", "on_treatment", "after_course", "dose_onset", "dose_duration"):
            hits = [r for r in mine if r["measure"] == measure]
            known = [r for r in hits if r["status"] == "established" and applies(r["pain_type"], pain_type)]
            unknown = [r for r in hits if r["status"] != "established" and applies(r["pain_type"], pain_type)]
            chosen: list[tuple[dict, str]] = [(r, "known") for r in known]
            if not chosen and measure in COURSE_MEASURES:
                if unknown:
                    chosen = [(unknown[0], "no_figure")]
                else:
                    chosen = [({"option_id": option_id, "measure": measure, "pain_type": pain_type, "source_id": ""}, "not_studied")]
            if show_other:
                chosen += [(r, "other") for r in hits if r["status"] == "established" and not applies(r["pain_type"], pain_type)]
            for row, state in chosen:
                established = state in ("known", "other")
                out.append(
                    {
                        "option_id": option_id,
                        "measure": measure,
                        "state": state,
                        "scope": scope(row["pain_type"], pain_type),
                        "pain_type": row["pain_type"],
                        "bound": row.get("bound") if established else None,
                        "low": clean(row.get("low")) if established else None,
                        "high": clean(row.get("high")) if established else None,
                        "unit": row.get("unit") if established else None,
                        "low_minutes": _minutes(row, "low") if established else None,
                        "high_minutes": _minutes(row, "high") if established else None,
                        "note_patient": row.get("note_patient", ""),
                        "note_trainee": row.get("note_trainee", ""),
                        "source_id": row["source_id"],
                    }
                )
    return pd.DataFrame(out, columns=list(TIME_COLUMNS))


def time_text(row: Mapping) -> str:
    """'1-3 days', 'up to 12 weeks', 'from 1 week, up to 12 weeks', '48.5 minutes' (an established row)."""

    def number(value: float) -> str:
        return f"{value:g}"

    low, high, unit = clean(row["low"]), row["high"], row["unit"]
    if row["bound"] == "up_to":
        if low is None:
            return f"up to {number(high)} {unit if high != 1 else unit.removesuffix('s')}"
        return f"up to {number(high)} {unit} (measured from {number(low)} {unit if low != 1 else unit.removesuffix('s')})"
    if low == high:
        return f"{number(low)} {unit if low != 1 else unit.removesuffix('s')}"
    return f"{number(low)}–{number(high)} {unit}"


# --- benefit ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Benefit:
    """The headline benefit and harm numbers for one option and pain type (None: nothing of that kind)."""

    option_id: str
    state: str  # 'known' (a number), 'no_figure' (rows, no number) or 'not_studied' (no rows for this pain)
    nnt: dict | None = None
    nnh: dict | None = None
    mean_differences: tuple[dict, ...] = ()
    formulation_note: str = ""
    other: tuple[dict, ...] = ()  # rows from other pain types (only when asked for)


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{key: clean(value) for key, value in row.items()} for row in frame.to_dict("records")]


def benefit(dataset: Dataset, option_id: str, pain_type: str, show_other: bool = False) -> Benefit:
    """The NNT, NNH and mean differences measured in the chosen pain type.

    The NNH shown is the first 'stopped because of side effects' row; the NNT beside it is one for
    at least 50% relief with the same formulation where the data has one, so a form-specific
    NNH never sits beside a pooled NNT without a note saying so (``formulation_note``).
    """
    frame = dataset.efficacy
    mine = _records(frame[frame["option_id"] == option_id])
    direct = [r for r in mine if r["pain_type"] == pain_type]
    other = tuple(r for r in mine if r["pain_type"] != pain_type and r["point"] is not None) if show_other else ()
    if not direct:
        return Benefit(option_id, "not_studied", other=other)
    nnhs = [r for r in direct if r["outcome"] == "nnh_dropout" and r["point"] is not None]
    nnh = nnhs[0] if nnhs else None
    nnts = [r for r in direct if r["outcome"] == "nnt" and r["point"] is not None]
    nnts.sort(key=lambda r: (r["responder"] != "50", nnh is not None and r["formulation"] != nnh["formulation"]))
    nnt = nnts[0] if nnts else None
    note = ""
    if nnt and nnh and nnt["formulation"] != nnh["formulation"]:
        note = f"The NNT is for {nnt['formulation']}; the NNH is for {nnh['formulation']}."
    mds = tuple(r for r in direct if r["outcome"] == "md_pain" and r["point"] is not None)
    state = "known" if (nnt or nnh or mds) else "no_figure"
    return Benefit(option_id, state, nnt, nnh, mds, note, other)


def per_hundred(number_needed: float | None) -> int | None:
    """'1 in N' as a whole number out of 100 people (NNT 3.6 -> 28)."""
    if _isnan(number_needed) or number_needed <= 0:
        return None
    return min(100, round(100 / number_needed))


def per_hundred_range(ci_low: float | None, ci_high: float | None) -> tuple[int, int] | None:
    """The CI of an NNT as a range out of 100 (a larger NNT means fewer people, so the ends swap)."""
    low, high = per_hundred(ci_high), per_hundred(ci_low)
    if low is None or high is None:
        return None
    return low, high


def responder_words(row: Mapping) -> str:
    return RESPONDER_LABELS.get(row.get("responder") or "", "")


# --- side effects in frequency bands -------------------------------------------------------------

# Bands like those on NHS medicine pages, by the share of people affected.
BANDS = (
    ("very_common", "Very common", "more than 1 in 10 people", 10.0),
    ("common", "Common", "up to 1 in 10 people", 1.0),
    ("uncommon", "Uncommon", "up to 1 in 100 people", 0.1),
    ("rare", "Rare", "up to 1 in 1,000 people", 0.01),
    ("very_rare", "Very rare", "up to 1 in 10,000 people", 0.0),
)
BAND_LABELS = {key: label for key, label, _, _ in BANDS}
BAND_MEANINGS = {key: meaning for key, _, meaning, _ in BANDS}
NOT_REPORTED = "not_reported"
BAND_LABELS[NOT_REPORTED] = "How often: not reported"
BAND_MEANINGS[NOT_REPORTED] = "our sources name this harm but give no rate for it"
SEVERITY_LABELS = {"bothersome": "Bothersome", "serious": "Serious", "life_threatening": "Can be life-threatening"}


def band_of(percent: float) -> str:
    """The band of a share of people (percent): more than 10 is very common, 1 to 10 common, and so on."""
    for key, _, _, floor in BANDS:
        if percent > floor or (floor == 0.0):
            return key
    return BANDS[-1][0]


def frequency_band(low: float | None, high: float | None) -> tuple[str, str]:
    """(band of the low end, band of the high end); both NOT_REPORTED without a figure."""
    if _isnan(low) or _isnan(high):
        return NOT_REPORTED, NOT_REPORTED
    return band_of(float(low)), band_of(float(high))


def band_words(low: float | None, high: float | None) -> str:
    """'Very common', 'Common to very common' or 'How often: not reported'."""
    first, last = frequency_band(low, high)
    if first == last:
        return BAND_LABELS[first]
    return f"{BAND_LABELS[first]} to {BAND_LABELS[last].lower()}"


def percent_text(low: float | None, high: float | None) -> str:
    if _isnan(low):
        return ""
    return f"{low:g}%" if low == high else f"{low:g}–{high:g}%"


HARM_COLUMNS = (
    "option_id",
    "effect",
    "group",
    "severity",
    "band",
    "band_high",
    "band_words",
    "percent",
    "placebo",
    "freq_note",
    "by_analogy",
    "scope",
    "pain_type",
    "note_patient",
    "get_help_patient",
    "note_trainee",
    "source_id",
)


SCOPE_RANK = {"direct": 0, "general": 1, "other": 2}


def harm_rows(dataset: Dataset, option_ids: list[str], pain_type: str, show_other: bool = False) -> pd.DataFrame:
    """Every side effect that applies to the chosen pain type (and, when asked, from other pain types).

    Ordered per option: rows measured in this pain type first, then rows not tied to one, then
    (when asked for) other pain types; within those by severity (life-threatening first), then
    frequency (most common first), then rows without a rate. ``band`` is the band of the low end of the rate, ``band_high`` of the
    high end; a harm without a rate has band 'not_reported'.
    """
    severity_rank = {"life_threatening": 0, "serious": 1, "bothersome": 2}
    band_rank = {key: index for index, (key, *_rest) in enumerate(BANDS)} | {NOT_REPORTED: len(BANDS)}
    frame = dataset.effects
    out = []
    for option_id in option_ids:
        rows = _records(frame[frame["option_id"] == option_id])
        rows = [r for r in rows if show_other or applies(r["pain_type"], pain_type)]
        for row in rows:
            low_band, high_band = frequency_band(row["freq_low"], row["freq_high"])
            out.append(
                {
                    "option_id": option_id,
                    "effect": row["effect"],
                    "group": row["group"],
                    "severity": row["severity"],
                    "band": low_band,
                    "band_high": high_band,
                    "band_words": band_words(row["freq_low"], row["freq_high"]),
                    "percent": percent_text(row["freq_low"], row["freq_high"]),
                    "placebo": percent_text(row["placebo_low"], row["placebo_high"]),
                    "freq_note": row["freq_note"] or "",
                    "by_analogy": row["by_analogy"] == "yes",
                    "scope": scope(row["pain_type"], pain_type),
                    "pain_type": row["pain_type"],
                    "note_patient": row["note_patient"],
                    "get_help_patient": row["get_help_patient"] or "",
                    "note_trainee": row["note_trainee"] or "",
                    "source_id": row["source_id"],
                    "_order": (
                        option_ids.index(option_id),
                        SCOPE_RANK[scope(row["pain_type"], pain_type)],
                        severity_rank[row["severity"]],
                        row["by_analogy"] == "yes",
                        band_rank[high_band],
                    ),
                }
            )
    frame = pd.DataFrame(out, columns=[*HARM_COLUMNS, "_order"])
    if not frame.empty:
        frame = frame.sort_values("_order", kind="stable")
    return frame.drop(columns="_order").reset_index(drop=True)


# --- certainty and guidelines ---------------------------------------------------------------------


def recommendations(dataset: Dataset, option_id: str, pain_type: str) -> list[dict]:
    """What current guidelines say about an option for this pain type (rows of recommendations.csv)."""
    frame = dataset.recommendations
    return _records(frame[(frame["option_id"] == option_id) & (frame["pain_type"] == pain_type)])


def certainty(dataset: Dataset, option_id: str, pain_type: str) -> tuple[str | None, str | None, float | None]:
    """(words, source id, score) for how sure the studies are, for this option and pain type, from the data.

    The certainty of the headline estimate measured in this pain type; else a guideline's own
    grading of the evidence for it; else (None, None, None): nothing in the data grades it, and the
    page says so rather than showing a default.
    """
    found = benefit(dataset, option_id, pain_type)
    for row in (found.nnt, *found.mean_differences, found.nnh):
        if row and row["certainty"] in CERTAINTY_SCORE:
            return row["certainty"], row["source_id"], CERTAINTY_SCORE[row["certainty"]]
    for row in recommendations(dataset, option_id, pain_type):
        if row["strength"] in GUIDELINE_EVIDENCE_SCORE:
            return GUIDELINE_EVIDENCE_WORDS[row["strength"]], row["source_id"], GUIDELINE_EVIDENCE_SCORE[row["strength"]]
    return None, None, None


# --- values clarification -------------------------------------------------------------------


def _log_score(minutes: float, bounds: tuple[float, float], reverse: bool) -> float:
    """Place a time between two bounds on a 0-1 log scale (reverse: shorter is better)."""
    low, high = bounds
    clamped = min(max(minutes, low), high)
    position = math.log(clamped / low) / math.log(high / low)
    return round(1 - position if reverse else position, 3)


def criterion_scores(dataset: Dataset, option_ids: list[str], pain_type: str) -> pd.DataFrame:
    """Score each option 0-1 on each criterion from evidence that applies to the chosen pain type.

    None means the option *can't be scored on this*: the data holds nothing that applies. It is
    neither 0 nor full marks, and the ranking leaves it out (see :func:`weighted_ranking`). Rows
    from other pain types are never used.

    - speed: the slower end of the time to first relief of a course (1 hour = 1 ... 3 months = 0, log);
    - lasting: the longest benefit shown, while on it or after a course (1 day = 0 ... 1 year = 1, log);
    - side_effects: 1, minus 0.5 if any harm can be life-threatening, minus 0.25 for each other group of
      serious harms (floor 0); can't be scored when no side effect applies;
    - clinic_time: in hospital or an infusion clinic 0, other clinic visits 0.5, at home 1 ('setting');
    - evidence: certainty of the estimate for this pain type (high 1 ... very low 0.25), or a
      guideline's grading (moderate 0.75, weak or none 0.25).
    """
    times = timecourse_rows(dataset, option_ids, pain_type)
    known = times[times["state"] == "known"]
    harms = harm_rows(dataset, option_ids, pain_type)
    records = []
    for option_id in option_ids:
        option = dataset.option(option_id)
        mine = known[known["option_id"] == option_id]
        onset = mine[mine["measure"] == "first_relief"]
        lasting = mine[mine["measure"].isin(["on_treatment", "after_course"])]
        my_harms = harms[harms["option_id"] == option_id]
        if my_harms.empty:
            side = None
        else:
            serious = my_harms[my_harms["severity"].isin(SERIOUS)]
            deadly = bool((serious["severity"] == "life_threatening").any())
            other_groups = serious.loc[serious["severity"] == "serious", "group"].nunique()
            side = max(0.0, 1 - (0.5 if deadly else 0.0) - 0.25 * other_groups)
        setting = option["setting"].lower()
        records.append(
            {
                "option_id": option_id,
                "option": option["plain_name"],
                "speed": _log_score(float(onset["high_minutes"].max()), SPEED_RANGE, reverse=True) if not onset.empty else None,
                "lasting": _log_score(float(lasting["high_minutes"].max()), LASTING_RANGE, reverse=False) if not lasting.empty else None,
                "side_effects": side,
                "clinic_time": next((score for word, score in SETTING_SCORE if word in setting), None),
                "evidence": certainty(dataset, option_id, pain_type)[2],
            }
        )
    return pd.DataFrame.from_records(records, columns=["option_id", "option", *CRITERIA])


CANT_SCORE = "can't be scored"
# The criteria about benefit. When any of them is weighted, an option is ranked only if at least
# one of them can be scored for the chosen pain: otherwise an option never studied for this pain
# could rise to the top on side effects and convenience alone.
BENEFIT_CRITERIA = ("speed", "lasting", "evidence")


def weighted_ranking(scores: pd.DataFrame, weights: Mapping[str, int]) -> pd.DataFrame:
    """Weighted average over the criteria each option can be scored on, shown with its arithmetic.

    total = sum(weight x score) / sum(weights), both over the criteria with a score; the rest are
    named in 'unscored' and counted in 'based_on' ("3 of 5"). An option gets no score (and ranks
    last, unranked) when no weighted criterion can be scored, or when benefit is weighted but none
    of the benefit criteria can be scored for it (:data:`BENEFIT_CRITERIA`). All-zero weights give
    no ranking (an empty frame). Ties share a rank.
    """
    weighted = [name for name in CRITERIA if weights.get(name, 0) > 0]
    benefit_weighted = [name for name in BENEFIT_CRITERIA if name in weighted]
    columns = ["rank", "option_id", "option", "score", "based_on", "arithmetic", "unscored"]
    if not weighted:
        return pd.DataFrame(columns=columns)
    rows = []
    for record in scores.to_dict("records"):
        parts, unscored, total, used = [], [], 0.0, 0
        for name in weighted:
            value = record[name]
            if _isnan(value):
                unscored.append(CRITERIA[name])
                continue
            total += weights[name] * value
            used += weights[name]
            parts.append(f"{weights[name]}×{value:.2f}")
        no_benefit = bool(benefit_weighted) and all(CRITERIA[name] in unscored for name in benefit_weighted)
        score = round(total / used, 3) if used and not no_benefit else None
        if score is not None:
            arithmetic = f"({' + '.join(parts)}) ÷ {used} = {score:.2f}"
        elif no_benefit:
            arithmetic = "not ranked: no benefit criterion can be scored for this pain"
        else:
            arithmetic = "not ranked: no criterion can be scored"
        rows.append(
            {
                "option_id": record["option_id"],
                "option": record["option"],
                "score": score,
                "based_on": f"{len(weighted) - len(unscored)} of {len(weighted)}",
                "arithmetic": arithmetic,
                "unscored": ", ".join(unscored),
            }
        )
    frame = pd.DataFrame(rows)
    frame["_missing"] = frame["score"].isna()
    frame = frame.sort_values(["_missing", "score", "option"], ascending=[True, False, True], kind="stable").drop(columns="_missing")
    ranks = frame["score"].rank(method="min", ascending=False)
    frame.insert(0, "rank", [int(r) if not _isnan(r) else None for r in ranks])
    return frame[columns].reset_index(drop=True)


def values_summary(ranking: pd.DataFrame, weights: Mapping[str, int]) -> dict:
    """What the visit summary keeps: the weights and the ordered options with their scores."""
    return {
        "weights": {CRITERIA[name]: int(weights.get(name, 0)) for name in CRITERIA},
        "ranking": [[row["option"], None if _isnan(row["score"]) else float(row["score"])] for row in ranking.to_dict("records")],
        "note": "A conversation aid built from your priorities, not a recommendation. Options are scored only on evidence for your kind of pain.",
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
