"""Chart builders for the Compare page: data in, (drawing, text summary, table, sources) out.

Each builder is a plain function of validated data and the visitor's choices, so the page only
draws and the tests can check what is drawn. Every chart is drawn as HTML and CSS
(explainer.chart_html), so Compare loads no Plotly at all. Colours come from the Okabe-Ito
palette, which stays distinct for the common kinds of colour blindness, and every colour is
paired with a marker shape, a line style or a text label so that colour is never the only cue.

Every chart follows the pain-type rule of :mod:`explainer.compare`: it draws only what was
measured in the chosen pain type (or is not tied to one); a result from another pain type appears
only when the visitor asks for it, dotted or dashed and labelled with the pain it was measured in,
in the drawing, its text and its table alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from explainer import chart_html, compare
from explainer.evidence import Dataset
from explainer.evidence_view import certainty_words, estimate_text

OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}

MEASURES = {
    "first_relief": ("Time to first relief", OKABE_ITO["blue"], "circle"),
    "fair_trial": ("Time to judge a trial", OKABE_ITO["orange"], "diamond"),
    "on_treatment": ("Benefit shown while on it", OKABE_ITO["green"], "square"),
    "after_course": ("Benefit after a course ends", OKABE_ITO["purple"], "triangle"),
    "dose_onset": ("One dose: time to start working", OKABE_ITO["sky"], "circle"),
    "dose_duration": ("One dose: how long it lasts (not benefit after a course)", OKABE_ITO["black"], "square"),
}
TIME_TICKS = {1: "1 min", 60: "1 hr", 1440: "1 day", 10080: "1 wk", 131490: "3 mo", 525960: "1 yr"}
AXIS_MIN_MINUTES, AXIS_MAX_MINUTES = 1, 1_051_920  # 1 minute to 2 years
TIME_AXIS = chart_html.Axis(AXIS_MIN_MINUTES, AXIS_MAX_MINUTES, TIME_TICKS)
RATIO_AXIS = chart_html.Axis(1, 100, {1: "1", 3: "3", 10: "10", 30: "30", 100: "100"})  # NNT and NNH
# Short labels by each timeline mark: the pain it was measured in.
PAIN_TAGS = {
    "neuropathic": "nerve pain",
    "crps": "CRPS",
    "musculoskeletal": "joint/back pain",
    "mixed": "mixed pain",
    "acute": "short-term pain",
    "any": "any use",
}


@dataclass(frozen=True)
class Chart:
    """A drawing with the words and numbers behind it."""

    html: str  # the drawing (explainer.chart_html)
    summary: str
    table: pd.DataFrame
    sources: list[str]

    @cached_property
    def csv(self) -> bytes:
        """The table as UTF-8 CSV, made once per chart (charts are cached and shared)."""
        return self.table.to_csv(index=False).encode("utf-8")


TRIED_MARK = " ✓ tried"  # after the name of an option the visitor says they have tried, in every chart


def _names(dataset: Dataset, option_ids: list[str], tried: frozenset[str] | set[str] = frozenset()) -> dict[str, str]:
    return {o: dataset.option(o)["plain_name"] + (TRIED_MARK if o in tried else "") for o in option_ids}


def where_measured(row: dict, pain_type: str) -> str:
    """'' for a row measured in the chosen pain type; ' (in CRPS)', ' (any use: not specific to one pain)' otherwise."""
    if row["scope"] == "direct":
        return ""
    if row["scope"] == "general":
        return " (not specific to one kind of pain)"
    return f" (measured in {compare.measured_in(row['pain_type'])}, not {compare.measured_in(pain_type)})"


# --- onset and durability ---------------------------------------------------------------------


def _range(row: dict, name: str) -> chart_html.Range:
    high = min(max(row["high_minutes"], AXIS_MIN_MINUTES), AXIS_MAX_MINUTES)
    known_low = compare.clean(row["low_minutes"])
    open_ended = row["bound"] == "up_to"
    open_start = open_ended and known_low is None
    # An "up to" with no first point seen fades in over a third of a decade before it, never from the axis edge.
    low_minutes = known_low if known_low is not None else high / 10 ** (1 / 3)
    low = min(max(low_minutes, AXIS_MIN_MINUTES), AXIS_MAX_MINUTES)
    text = f"{name}: {MEASURES[row['measure']][0].lower()} {compare.time_text(row)}, measured in {compare.measured_in(row['pain_type'])}"
    return chart_html.Range(row["measure"], low, high, row["state"] != "other", text, open_ended, open_start, PAIN_TAGS[row["pain_type"]])


def timeline(
    dataset: Dataset, option_ids: list[str], pain_type: str, show_other: bool = False, tried: frozenset[str] = frozenset()
) -> Chart:
    """One block per option on a log time axis; each measure a range, "up to" as a fading arrow, other pain types dotted."""
    rows = compare.timecourse_rows(dataset, option_ids, pain_type, show_other)
    names = _names(dataset, option_ids, tried)
    tolerance = {o: dataset.option(o)["tolerance"] == "yes" for o in option_ids}
    records = rows.to_dict("records")
    ranges: dict[str, list[chart_html.Range]] = {o: [] for o in option_ids}
    for row in records:
        if row["state"] in ("known", "other"):
            ranges[row["option_id"]].append(_range(row, names[row["option_id"]]))
    empty = {}
    for option_id in option_ids:
        states = {r["state"] for r in records if r["option_id"] == option_id}
        empty[option_id] = (
            "Not studied for this pain in our sources"
            if states <= {"not_studied", "other"}
            else "No timing figures for this pain in our sources"
        )
    drawing = chart_html.timeline_html(
        "Chart of how fast relief starts and how long it lasts for each option; the text under it gives the same figures.",
        {measure: chart_html.Measure(label, colour, shape) for measure, (label, colour, shape) in MEASURES.items()},
        [
            chart_html.TimelineRow(names[o], "▲ tolerance can develop" if tolerance[o] else "", tuple(ranges[o]), empty[o])
            for o in option_ids
        ],
        TIME_AXIS,
        "Time (log scale). Each mark names the pain it was measured in.",
    )
    table = pd.DataFrame(
        {
            "Option": [names[r["option_id"]] for r in records],
            "Measure": [MEASURES[r["measure"]][0] for r in records],
            "Time": [compare.time_text(r) if r["state"] in ("known", "other") else "" for r in records],
            "Known only as 'up to'": ["yes" if r["bound"] == "up_to" else "" for r in records],
            "State": [TIME_STATES[r["state"]] for r in records],
            "Measured in": [compare.measured_in(r["pain_type"]) if r["state"] != "not_studied" else "" for r in records],
            "From minutes": [r["low_minutes"] for r in records],
            "To minutes": [r["high_minutes"] for r in records],
            "source_id": [r["source_id"] for r in records],
        }
    )
    return Chart(
        drawing, timeline_summary(records, names, tolerance, pain_type), table, sorted({r["source_id"] for r in records if r["source_id"]})
    )


TIME_STATES = {
    "known": "known for this pain",
    "no_figure": "no figure in our sources",
    "not_studied": "not studied for this pain in our sources",
    "other": "from another kind of pain",
}


def timeline_summary(records: list[dict], names: dict[str, str], tolerance: dict[str, bool], pain_type: str) -> str:
    sentences = []
    for option_id, name in names.items():
        mine = [r for r in records if r["option_id"] == option_id]
        known = [
            f"{MEASURES[r['measure']][0].lower()} {compare.time_text(r)}{where_measured(r, pain_type)}"
            for r in mine
            if r["state"] == "known"
        ]
        other = [
            f"{MEASURES[r['measure']][0].lower()} {compare.time_text(r)}{where_measured(r, pain_type)}"
            for r in mine
            if r["state"] == "other"
        ]
        if known:
            sentence = f"{name}: " + "; ".join(known) + "."
        elif all(r["state"] in ("not_studied", "other") for r in mine):
            sentence = f"{name}: not studied for this pain in our sources."
        else:
            sentence = f"{name}: no timing figures for this pain in our sources."
        if other:
            sentence += " From other kinds of pain, not yours: " + "; ".join(other) + "."
        if tolerance.get(option_id):
            sentence += " Tolerance can develop with repeated use."
        sentences.append(sentence)
    return (
        f"Times for {compare.pain_words(pain_type)} where the sources give them, as ranges; "
        "“up to” means only the far end is known. " + " ".join(sentences)
    )


# --- benefit and harm -----------------------------------------------------------------------


def benefit_harm_rows(dataset: Dataset, option_ids: list[str], pain_type: str, tried: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The headline NNT and NNH (stopping because of side effects) per option for this pain type, with 'out of 100' forms.

    ``state`` is 'known', 'no_figure' or 'not_studied' (see :func:`compare.benefit`); certainty is
    the row's own (None where there is no row: never a default).
    """
    records = []
    names = _names(dataset, option_ids, tried)
    for option_id in option_ids:
        name = names[option_id]
        found = compare.benefit(dataset, option_id, pain_type)
        for outcome, row in (("nnt", found.nnt), ("nnh_dropout", found.nnh)):
            spread = compare.per_hundred_range(row["ci_low"], row["ci_high"]) if row else None
            records.append(
                {
                    "option_id": option_id,
                    "option": name,
                    "outcome": outcome,
                    "responder": row["responder"] if row else None,
                    "point": row["point"] if row else None,
                    "ci_low": row["ci_low"] if row else None,
                    "ci_high": row["ci_high"] if row else None,
                    "per_100": compare.per_hundred(row["point"]) if row else None,
                    "per_100_low": spread[0] if spread else None,
                    "per_100_high": spread[1] if spread else None,
                    "certainty": certainty_words(row["certainty"]) if row else None,
                    "condition": row["condition"] if row else "",
                    "formulation": row["formulation"] if row else "",
                    "pain_type": row["pain_type"] if row else pain_type,
                    "state": "known" if row else found.state if found.state != "known" else "no_figure",
                    "note": (row["note"] or "") if row else found.formulation_note,
                    "source_id": row["source_id"] if row else "",
                    "formulation_note": found.formulation_note,
                }
            )
    return pd.DataFrame(records, dtype=object)


def _missing_words(row: dict) -> str:
    return "not studied for this pain in our sources" if row["state"] == "not_studied" else "no number in our sources"


def _out_of_100(row: dict) -> str:
    if row["per_100"] is None:
        return _missing_words(row)
    if row["per_100_low"] is None:
        return f"{row['per_100']} in 100"
    return f"{row['per_100']} in 100 ({row['per_100_low']}–{row['per_100_high']})"


def _helped_words(row: dict) -> str:
    threshold = compare.RESPONDER_LABELS.get(row["responder"] or "", "")
    return f"had {threshold} than with a dummy treatment" if threshold else "were helped"


def benefit_sentence(benefit: dict, harm: dict) -> str:
    """One short 'out of 100' sentence for an option: helped, stopped, certainty."""

    def phrase(row: dict) -> str:
        if row["per_100"] is None:
            return _missing_words(row)
        spread = f" ({row['per_100_low']}–{row['per_100_high']})" if row["per_100_low"] is not None else ""
        return f"{row['per_100']} more in 100{spread}"

    threshold = f" ({compare.RESPONDER_LABELS[benefit['responder']]})" if benefit["responder"] else ""
    sure = f"; certainty {benefit['certainty']}" if benefit["certainty"] else ""
    note = f" {benefit['formulation_note']}" if benefit["formulation_note"] else ""
    return f"{benefit['option']}: helped {phrase(benefit)}{threshold}; stopped because of side effects {phrase(harm)}{sure}.{note}"


ICON_LEGEND = {
    "helped": "extra people helped (the threshold is in the text)",
    "stopped": "extra people who stopped because of side effects",
    "rest": "everyone else (same as with placebo)",
}


def icon_arrays(
    dataset: Dataset,
    option_ids: list[str],
    pain_type: str,
    show_other: bool = False,  # noqa: ARG001 - the charts share one signature
    tried: frozenset[str] = frozenset(),
) -> Chart:
    """For each option, two grids of 100 people: extra people helped, and extra people who stopped."""
    rows = benefit_harm_rows(dataset, option_ids, pain_type, tried)
    names = _names(dataset, option_ids, tried)
    by_key = {(r["option_id"], r["outcome"]): r for r in rows.to_dict("records")}
    options = []
    for option_id in option_ids:
        arrays = []
        for outcome, title, kind in (("nnt", "Helped", "helped"), ("nnh_dropout", "Stopped", "stopped")):
            record = by_key[(option_id, outcome)]
            text = _out_of_100(record)
            if outcome == "nnt" and record["per_100"] is not None:
                text += f", {compare.RESPONDER_LABELS[record['responder']]}"
            arrays.append(chart_html.IconArray(title, kind, record["per_100"], text))
        options.append((names[option_id], arrays))
    drawing = chart_html.icon_arrays_html(
        "Grids of 100 people for each option: extra people helped and extra people who stopped; the text under them gives the same figures.",
        ICON_LEGEND,
        options,
    )
    sentences = [benefit_sentence(by_key[(o, "nnt")], by_key[(o, "nnh_dropout")]) for o in option_ids]
    summary = (
        f"Out of 100 people with {compare.pain_words(pain_type)}, how many more were helped, and how many more stopped "
        "because of side effects, than with placebo (the likely range in brackets). "
        + " ".join(sentences)
        + " Where an option has no such number, the grid above gives what the studies did measure."
    )
    return Chart(drawing, summary, _benefit_table(rows), sorted({s for s in rows["source_id"] if s}))


def _benefit_table(rows: pd.DataFrame) -> pd.DataFrame:
    records = rows.to_dict("records")
    return pd.DataFrame(
        {
            "Option": [r["option"] for r in records],
            "Measure": [
                f"NNT: {compare.RESPONDER_LABELS.get(r['responder'] or '', 'pain relief')}"
                if r["outcome"] == "nnt"
                else "NNH: stopped because of side effects"
                for r in records
            ],
            "Estimate (95% CI)": [
                estimate_text(r["point"], r["ci_low"], r["ci_high"]) if r["point"] is not None else _missing_words(r) for r in records
            ],
            "Out of 100": [_out_of_100(r) for r in records],
            "Formulation": [r["formulation"] for r in records],
            "Certainty": [r["certainty"] or "no estimate" for r in records],
            "Condition": [r["condition"] for r in records],
            "Note": [r["note"] for r in records],
            "source_id": [r["source_id"] for r in records],
        }
    )


FOREST_PANELS = (
    chart_html.Panel("NNT: at least 50% relief", OKABE_ITO["blue"], "circle"),
    chart_html.Panel("NNH: dropouts", OKABE_ITO["vermillion"], "square"),
)
# When any NNT drawn counts another responder threshold, the heading says the text gives it.
MIXED_THRESHOLD_PANEL = chart_html.Panel("NNT (threshold in the text)", OKABE_ITO["blue"], "circle")


def _estimate(row: dict) -> chart_html.Estimate:
    text = f"{row['option']}: {estimate_text(row['point'], row['ci_low'], row['ci_high'])}" if row["point"] is not None else ""
    return chart_html.Estimate(row["point"], row["ci_low"], row["ci_high"], text)


def forest(
    dataset: Dataset,
    option_ids: list[str],
    pain_type: str,
    show_other: bool = False,  # noqa: ARG001 - the charts share one signature
    tried: frozenset[str] = frozenset(),
) -> Chart:
    """NNT and NNH with 95% CIs side by side on log axes (smaller NNT = more benefit), for the chosen pain type."""
    rows = benefit_harm_rows(dataset, option_ids, pain_type, tried)
    names = _names(dataset, option_ids, tried)
    by_key = {(r["option_id"], r["outcome"]): r for r in rows.to_dict("records")}
    thresholds = {r["responder"] for r in rows.to_dict("records") if r["outcome"] == "nnt" and r["point"] is not None}
    panels = FOREST_PANELS if thresholds <= {"50"} else (MIXED_THRESHOLD_PANEL, FOREST_PANELS[1])
    drawing = chart_html.forest_html(
        "Forest plot of NNT and NNH with 95% confidence intervals for each option; the text under it gives the same figures.",
        panels,
        [(names[o], [_estimate(by_key[(o, "nnt")]), _estimate(by_key[(o, "nnh_dropout")])]) for o in option_ids],
        RATIO_AXIS,
        "Log scale, 1 to 100. A smaller NNT means more benefit; a smaller NNH means more harm.",
        "not reported for this pain",
    )
    sentences = []
    for option_id in option_ids:
        nnt, nnh = by_key[(option_id, "nnt")], by_key[(option_id, "nnh_dropout")]
        threshold = f" for {compare.RESPONDER_LABELS[nnt['responder']]}" if nnt["responder"] else ""
        nnt_text = (
            f"{estimate_text(nnt['point'], nnt['ci_low'], nnt['ci_high'])}{threshold}" if nnt["point"] is not None else _missing_words(nnt)
        )
        nnh_text = estimate_text(nnh["point"], nnh["ci_low"], nnh["ci_high"]) if nnh["point"] is not None else _missing_words(nnh)
        sure = f"; certainty {nnt['certainty']}" if nnt["certainty"] else ""
        note = f" {nnt['formulation_note']}" if nnt["formulation_note"] else ""
        sentences.append(f"{names[option_id]}: NNT {nnt_text}, NNH {nnh_text}{sure}.{note}")
    summary = (
        f"Numbers needed to treat and to harm for {compare.pain_words(pain_type)}, with 95% confidence intervals "
        "(a smaller NNT means more benefit; a smaller NNH means more harm). " + " ".join(sentences)
    )
    return Chart(drawing, summary, _benefit_table(rows), sorted({s for s in rows["source_id"] if s}))


# --- side effects ------------------------------------------------------------------------------

SEVERITY_HEADINGS = {
    "life_threatening": "⚠ Can be life-threatening",
    "serious": "Serious",
    "bothersome": "Bothersome",
}


def _chip(row: dict, audience: str) -> str:
    words = row["band_words"]
    if audience == "trainee" and row["percent"]:
        placebo = f"; placebo {row['placebo']}" if row["placebo"] else ""
        words += f" ({row['percent']}{placebo})"
    return words


def harms(
    dataset: Dataset,
    option_ids: list[str],
    pain_type: str,
    show_other: bool = False,
    audience: str = "patient",
    tried: frozenset[str] = frozenset(),
) -> Chart:
    """Each option's side effects, most severe first, each with its frequency band (and the exact figure at trainee level)."""
    rows = compare.harm_rows(dataset, option_ids, pain_type, show_other)
    names = _names(dataset, option_ids, tried)
    records = rows.to_dict("records")
    options = []
    for option_id in option_ids:
        items = []
        for row in (r for r in records if r["option_id"] == option_id):
            note = row["note_trainee"] if audience == "trainee" and row["note_trainee"] else row["note_patient"]
            if row["freq_note"]:
                note = f"{note} (Figure counts {row['freq_note']}.)"
            other = compare.measured_in(row["pain_type"]) if row["scope"] == "other" else ""
            if row["by_analogy"]:
                note = f"Shown by analogy: the figure is for a related medicine. {note}"
            items.append(
                chart_html.Harm(
                    row["effect"],
                    row["severity"],
                    row["band_high"] if row["band"] != compare.NOT_REPORTED else compare.NOT_REPORTED,
                    _chip(row, audience),
                    note,
                    row["get_help_patient"],
                    other,
                )
            )
        options.append((names[option_id], items))
    bands = {key: (compare.BAND_LABELS[key], compare.BAND_MEANINGS[key]) for key, *_ in compare.BANDS if key != "very_rare"}
    bands[compare.NOT_REPORTED] = (compare.BAND_LABELS[compare.NOT_REPORTED], compare.BAND_MEANINGS[compare.NOT_REPORTED])
    drawing = chart_html.harms_html(
        "Side effects of each option grouped by how serious they are, with how often they happen; the text under it says the same.",
        SEVERITY_HEADINGS,
        bands,
        options,
    )
    sentences = []
    for option_id, name in names.items():
        mine = [r for r in records if r["option_id"] == option_id]
        if not mine:
            sentences.append(f"{name}: no side effects listed for this pain in our sources.")
            continue
        parts = [
            f"{r['effect']} ({compare.SEVERITY_LABELS[r['severity']].lower()}; {_chip(r, audience).lower()}){where_measured(r, pain_type)}"
            for r in mine
        ]
        sentences.append(f"{name}: " + "; ".join(parts) + ".")
    summary = (
        "Side effects by how serious they are and how often they happen (very common: more than 1 in 10 people; common: up to 1 in 10; "
        "uncommon: up to 1 in 100; rare: up to 1 in 1,000). 'Not reported' means our sources name the harm but give no rate. "
        + " ".join(sentences)
    )
    table = pd.DataFrame(
        {
            "Option": [names[r["option_id"]] for r in records],
            "Side effect": [r["effect"] for r in records],
            "Severity": [compare.SEVERITY_LABELS[r["severity"]] for r in records],
            "How often": [r["band_words"] for r in records],
            "With treatment": [r["percent"] for r in records],
            "With placebo": [r["placebo"] for r in records],
            "What the figure counts": [r["freq_note"] for r in records],
            "Measured in": [compare.measured_in(r["pain_type"]) for r in records],
            "Matches your kind of pain": [
                "not specific" if r["scope"] == "general" else "yes" if r["scope"] == "direct" else "no" for r in records
            ],
            "What this means": [r["note_patient"] for r in records],
            "Get help if": [r["get_help_patient"] for r in records],
            "source_id": [r["source_id"] for r in records],
        }
    )
    return Chart(drawing, summary, table, sorted({r["source_id"] for r in records}))


# --- values -------------------------------------------------------------------------------------


def values_chart(ranking: pd.DataFrame) -> Chart:
    """Bars of the weighted scores, best first, each saying how many criteria it rests on."""
    records = ranking.to_dict("records")
    rows = []
    for r in records:
        if r["score"] is None or pd.isna(r["score"]):
            rows.append((r["option"], None, "can't be scored on your priorities"))
        else:
            rows.append((r["option"], float(r["score"]), f"based on {r['based_on']} criteria"))
    drawing = chart_html.values_html("Bars of how well each option matches your priorities; the text under it gives the same scores.", rows)
    if ranking.empty:
        summary = "All priorities are set to zero, so there is nothing to line up."
    else:
        order = ", ".join(
            f"{r['option']} {r['score']:.2f} (based on {r['based_on']} criteria)"
            if r["score"] is not None and not pd.isna(r["score"])
            else f"{r['option']} can't be scored"
            for r in records
        )
        summary = (
            f"With your priorities, the options line up as: {order}. Each score uses only the criteria the evidence for your kind of pain can answer. "
            "This is arithmetic on the data, not a recommendation."
        )
    return Chart(drawing, summary, ranking, [])
