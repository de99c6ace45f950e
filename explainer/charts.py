"""Chart builders for the Compare page: data in, (drawing, text summary, table) out.

Each builder is a plain function of validated data, so the page only draws and the tests can
check what is drawn. The timeline, the 'out of 100' grids and the forest plot are drawn as HTML
and CSS (explainer.chart_html), so a first visit to Compare loads no Plotly; the side-effect grid
is a coloured table; only the values exercise's bars, drawn on demand, are a Plotly figure. Colours come from the Okabe-Ito palette, which stays distinct for the
common kinds of colour blindness, and every colour is paired with a marker shape, a line style
or a text label so that colour is never the only cue.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import plotly.graph_objects as go

from explainer import chart_html, compare, tables
from explainer.evidence import Dataset
from explainer.evidence_view import estimate_text, frequency_text, time_text
from explainer.figures import SharedFigure

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
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "size": 14, "color": "#0b0d10"}

MEASURES = {
    "first_relief": ("Time to first relief", OKABE_ITO["blue"], "circle"),
    "trial_length": ("Time to judge a trial", OKABE_ITO["orange"], "diamond"),
    "on_treatment": ("Benefit shown while on it", OKABE_ITO["green"], "square"),
    "after_stopping": ("Benefit after stopping", OKABE_ITO["purple"], "triangle-up"),
}
TIME_TICKS = {1: "1 min", 60: "1 hr", 1440: "1 day", 10080: "1 wk", 131490: "3 mo", 525960: "1 yr"}
AXIS_MIN_MINUTES, AXIS_MAX_MINUTES = 1, 1_051_920  # 1 minute to 2 years
TIME_AXIS = chart_html.Axis(AXIS_MIN_MINUTES, AXIS_MAX_MINUTES, TIME_TICKS)
SHAPE_OF = {"circle": "circle", "diamond": "diamond", "square": "square", "triangle-up": "triangle"}  # Plotly name -> chart_html
RATIO_AXIS = chart_html.Axis(1, 100, {1: "1", 3: "3", 10: "10", 30: "30", 100: "100"})  # NNT and NNH

EFFECT_GROUP_LABELS = {
    "dissociation_psych": "Mind (dissociation)",
    "heart_bp": "Heart, blood pressure",
    "stomach_kidney_bleeding": "Stomach, kidney, bleeding",
    "sedation_dizziness": "Sleepy, dizzy",
    "dependence_misuse": "Dependence, misuse",
    "breathing": "Breathing",
    "liver_bladder": "Liver, bladder",
    "local_skin": "Skin where applied",
    "other": "Other common effects",
}
# Frequency bands for the side-effect matrix: (label, fill colour, text colour).
BANDS = {
    0: ("none listed in our sources", "#ffffff", "#0b0d10"),
    1: ("reported, number not given", "#deebf7", "#0b0d10"),
    2: ("fewer than 10 in 100", "#9ecae1", "#0b0d10"),
    3: ("10 or more in 100", "#08519c", "#ffffff"),
}


@dataclass(frozen=True)
class Chart:
    """A figure with the words and numbers behind it."""

    figure: go.Figure | None  # a Plotly figure, or None for a chart drawn as HTML (html, or grid and colours)
    summary: str
    table: pd.DataFrame
    sources: list[str]
    grid: pd.DataFrame | None = None  # for charts drawn as a coloured table: the cell text
    colours: pd.DataFrame | None = None  # ... and the CSS for each cell
    html: str | None = None  # for charts drawn as HTML and CSS (explainer.chart_html)

    @cached_property
    def csv(self) -> bytes:
        """The table as UTF-8 CSV, made once per chart (charts are cached and shared)."""
        return self.table.to_csv(index=False).encode("utf-8")


def short_label(name: str, width: int = 18) -> str:
    """Wrap a long option name over lines so axis labels fit on a phone."""
    return "<br>".join(textwrap.wrap(name, width)) or name


def _layout(figure: go.Figure, height: int, **extra) -> go.Figure:
    extra.setdefault("margin", {"l": 10, "r": 10, "t": 40, "b": 10})
    figure.update_xaxes(tickfont={"color": FONT["color"], "size": 13}, title_font={"color": FONT["color"]})
    figure.update_yaxes(tickfont={"color": FONT["color"], "size": 13})
    figure.update_layout(
        height=height,
        font=FONT,
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font_size": 14},
        **extra,
    )
    return figure


def time_range_text(row: dict) -> str:
    """The Evidence table's wording, except that a range starting at 0 reads 'up to ...'."""
    if row["status"] == "established" and row["low"] == 0 and row["high"] != 0:
        return f"up to {row['high']:g} {row['unit']}"
    return time_text(row)


# --- onset and durability ---------------------------------------------------------------------


def timeline(dataset: Dataset, option_ids: list[str], pain_type: str) -> Chart:
    """One block per option on a log time axis; each measure a range, dotted when from another pain type."""
    rows = compare.timecourse_rows(dataset, option_ids, pain_type)
    names = {o: dataset.option(o)["plain_name"] for o in option_ids}
    tolerance = {o: dataset.option(o)["tolerance"] == "yes" for o in option_ids}
    ranges: dict[str, list[chart_html.Range]] = {o: [] for o in option_ids}
    for row in rows[rows["status"] == "established"].to_dict("records"):
        low = min(max(row["low_minutes"], AXIS_MIN_MINUTES), AXIS_MAX_MINUTES)
        high = min(max(row["high_minutes"], AXIS_MIN_MINUTES), AXIS_MAX_MINUTES)
        text = f"{names[row['option_id']]}: {MEASURES[row['measure']][0].lower()} {time_range_text(row)}"
        if not row["direct"]:
            text += f" (from {row['pain_type']} pain studies)"
        ranges[row["option_id"]].append(chart_html.Range(row["measure"], low, high, bool(row["direct"]), text))
    drawing = chart_html.timeline_html(
        "Chart of how fast relief starts and how long it lasts for each option; the text under it gives the same figures.",
        {measure: chart_html.Measure(label, colour, SHAPE_OF[symbol]) for measure, (label, colour, symbol) in MEASURES.items()},
        [chart_html.TimelineRow(names[o], "▲ tolerance can develop" if tolerance[o] else "", tuple(ranges[o])) for o in option_ids],
        TIME_AXIS,
        "Time (log scale)",
    )

    table = pd.DataFrame(
        {
            "Option": [names[o] for o in rows["option_id"]],
            "Measure": [MEASURES[m][0] for m in rows["measure"]],
            "Time": [time_range_text(r) for r in rows.to_dict("records")],
            "From minutes": rows["low_minutes"],
            "To minutes": rows["high_minutes"],
            "Evidence from": [r["pain_type"] if r["status"] == "established" else "" for r in rows.to_dict("records")],
            "Matches chosen pain type": ["yes" if d else "no" for d in rows["direct"]],
            "source_id": rows["source_id"],
        }
    )
    return Chart(None, timeline_summary(rows, names, tolerance, pain_type), table, sorted(set(rows["source_id"])), html=drawing)


def timeline_summary(rows: pd.DataFrame, names: dict[str, str], tolerance: dict[str, bool], pain_type: str) -> str:
    sentences = []
    for option_id, name in names.items():
        mine = rows[rows["option_id"] == option_id]
        known = [
            f"{MEASURES[r['measure']][0].lower()} {time_range_text(r)}" + ("" if r["direct"] else f" (from {r['pain_type']} pain studies)")
            for r in mine.to_dict("records")
            if r["status"] == "established"
        ]
        sentence = f"{name}: " + "; ".join(known) + "." if known else f"{name}: our sources give no timing figures."
        if tolerance.get(option_id):
            sentence += " Tolerance can develop with repeated use."
        sentences.append(sentence)
    return (
        f"Times for {compare.PAIN_LABELS[pain_type].lower()} where the sources give them, as ranges. "
        + " ".join(sentences)
        + " Anything not listed is not established in the sources we use."
    )


# --- benefit and harm -----------------------------------------------------------------------


def benefit_harm_rows(dataset: Dataset, option_ids: list[str], pain_type: str) -> pd.DataFrame:
    """NNT and NNH (stopping because of side effects) per option, with their 'out of 100' forms."""
    records = []
    for option_id in option_ids:
        name = dataset.option(option_id)["plain_name"]
        for outcome in ("nnt_50", "nnh_dropout"):
            row = compare.pooled_estimate(dataset, option_id, outcome, pain_type)
            point = row["point"] if row else None
            point = None if point is None or (isinstance(point, float) and math.isnan(point)) else point
            low = row["ci_low"] if row and point is not None else None
            high = row["ci_high"] if row and point is not None else None
            low = None if low is None or (isinstance(low, float) and math.isnan(low)) else low
            high = None if high is None or (isinstance(high, float) and math.isnan(high)) else high
            hundred = compare.per_hundred(point)
            spread = compare.per_hundred_range(low, high)
            records.append(
                {
                    "option_id": option_id,
                    "option": name,
                    "outcome": outcome,
                    "point": point,
                    "ci_low": low,
                    "ci_high": high,
                    "per_100": hundred,
                    "per_100_low": spread[0] if spread else None,
                    "per_100_high": spread[1] if spread else None,
                    "certainty": row["certainty"].replace("_", " ") if row else "not established",
                    "condition": row["condition"] if row else "",
                    "pain_type": row["pain_type"] if row else "",
                    "direct": row["direct"] if row else False,
                    "note": row["note"] if row else "",
                    "source_id": row["source_id"] if row else "",
                }
            )
    return pd.DataFrame(records, dtype=object)


def _per_100_phrase(row: dict, what: str) -> str:
    if row["per_100"] is None:
        return f"Our sources give no number for how many {what}."
    spread = ""
    if row["per_100_low"] is not None and (row["per_100_low"], row["per_100_high"]) != (row["per_100"], row["per_100"]):
        spread = f" The true number could be from {row['per_100_low']} to {row['per_100_high']}."
    return f"About {row['per_100']} more {what}.{spread}"


def benefit_sentence(benefit: dict, harm: dict) -> str:
    """The plain 'out of 100' sentences for one option."""
    helped = _per_100_phrase(benefit, "had their pain cut by half or more than with a dummy pill")
    stopped = _per_100_phrase(harm, "stopped because of side effects")
    return f"{benefit['option']}, out of 100 people: {helped} {stopped} How sure the studies are: {benefit['certainty']}."


ICON_LEGEND = {
    "helped": "extra people with at least half their pain relieved",
    "stopped": "extra people who stopped because of side effects",
    "rest": "everyone else (same as with placebo)",
}


def icon_arrays(dataset: Dataset, option_ids: list[str], pain_type: str) -> Chart:
    """For each option, two grids of 100 people: extra people helped, and extra people who stopped."""
    rows = benefit_harm_rows(dataset, option_ids, pain_type)
    by_key = {(r["option_id"], r["outcome"]): r for r in rows.to_dict("records")}
    options = []
    for option_id in option_ids:
        arrays = []
        for outcome, title, kind in (("nnt_50", "Helped", "helped"), ("nnh_dropout", "Stopped", "stopped")):
            record = by_key[(option_id, outcome)]
            text = "no number in our sources" if record["per_100"] is None else _out_of_100(record)
            arrays.append(chart_html.IconArray(title, kind, record["per_100"], text))
        options.append((dataset.option(option_id)["plain_name"], arrays))
    drawing = chart_html.icon_arrays_html(
        "Grids of 100 people for each option: extra people helped and extra people who stopped; the text under them gives the same figures.",
        ICON_LEGEND,
        options,
    )
    sentences = [benefit_sentence(by_key[(o, "nnt_50")], by_key[(o, "nnh_dropout")]) for o in option_ids]
    summary = " ".join(sentences) + " Each grid is 100 people; filled marks are the extra people compared with placebo."
    return Chart(None, summary, _benefit_table(rows), sorted({s for s in rows["source_id"] if s}), html=drawing)


def _benefit_table(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Option": rows["option"],
            "Measure": [
                "NNT: at least half the pain relieved" if o == "nnt_50" else "NNH: stopped because of side effects" for o in rows["outcome"]
            ],
            "Estimate (95% CI)": [
                estimate_text(p, lo, hi) for p, lo, hi in zip(rows["point"], rows["ci_low"], rows["ci_high"], strict=True)
            ],
            "Out of 100": [_out_of_100(r) for r in rows.to_dict("records")],
            "Certainty": rows["certainty"],
            "Condition": rows["condition"],
            "Note": rows["note"],
            "source_id": rows["source_id"],
        }
    )


def _out_of_100(row: dict) -> str:
    if row["per_100"] is None:
        return "not established"
    if row["per_100_low"] is None:
        return f"{row['per_100']} in 100"
    return f"{row['per_100']} in 100 ({row['per_100_low']}–{row['per_100_high']})"


FOREST_PANELS = (
    chart_html.Panel("NNT: ≥50% relief", OKABE_ITO["blue"], "circle"),
    chart_html.Panel("NNH: dropouts", OKABE_ITO["vermillion"], "square"),
)


def _estimate(row: dict) -> chart_html.Estimate:
    """A benefit_harm_rows row as a point and interval (that function has already turned NaN into None)."""
    text = f"{row['option']}: {estimate_text(row['point'], row['ci_low'], row['ci_high'])}" if row["point"] is not None else ""
    return chart_html.Estimate(row["point"], row["ci_low"], row["ci_high"], text)


def forest(dataset: Dataset, option_ids: list[str], pain_type: str) -> Chart:
    """NNT and NNH with 95% CIs side by side on log axes (smaller NNT = more benefit)."""
    rows = benefit_harm_rows(dataset, option_ids, pain_type)
    names = {o: dataset.option(o)["plain_name"] for o in option_ids}
    by_key = {(r["option_id"], r["outcome"]): r for r in rows.to_dict("records")}
    drawing = chart_html.forest_html(
        "Forest plot of NNT and NNH with 95% confidence intervals for each option; the text under it gives the same figures.",
        FOREST_PANELS,
        [(names[o], [_estimate(by_key[(o, "nnt_50")]), _estimate(by_key[(o, "nnh_dropout")])]) for o in option_ids],
        RATIO_AXIS,
        "Log scale, 1 to 100. A smaller NNT means more benefit; a smaller NNH means more harm.",
        "not reported",
    )
    sentences = []
    for option_id in option_ids:
        nnt = rows[(rows["option_id"] == option_id) & (rows["outcome"] == "nnt_50")].iloc[0]
        nnh = rows[(rows["option_id"] == option_id) & (rows["outcome"] == "nnh_dropout")].iloc[0]
        sentences.append(
            f"{names[option_id]}: NNT {estimate_text(nnt['point'], nnt['ci_low'], nnt['ci_high'])}, "
            f"NNH {estimate_text(nnh['point'], nnh['ci_low'], nnh['ci_high'])}; certainty {nnt['certainty']}."
        )
    summary = (
        "Pooled numbers needed to treat and to harm, with 95% confidence intervals (a smaller NNT means more benefit; a smaller NNH means more harm). "
        + " ".join(sentences)
    )
    return Chart(None, summary, _benefit_table(rows), sorted({s for s in rows["source_id"] if s}), html=drawing)


# --- side effects ------------------------------------------------------------------------------


def effect_cells(dataset: Dataset, option_ids: list[str]) -> pd.DataFrame:
    """One cell per option and side-effect group: frequency band, text and whether any is serious."""
    effects = dataset.effects
    records = []
    for option_id in option_ids:
        name = dataset.option(option_id)["plain_name"]
        for group, label in EFFECT_GROUP_LABELS.items():
            hits = effects[(effects["option_id"] == option_id) & (effects["group"] == group)]
            serious = bool((hits["severity"] == "serious_rare").any())
            numbered = hits[hits["freq_high"].notna()]
            if hits.empty:
                band, text = 0, "—"
            elif numbered.empty:
                band, text = 1, "listed"
            else:
                top = numbered.sort_values("freq_high", ascending=False).iloc[0]
                low, high = top["freq_low"], top["freq_high"]
                band = 3 if high >= 10 else 2
                text = f"{low:g}%" if low == high else f"{low:g}–{high:g}%"
            records.append(
                {
                    "option_id": option_id,
                    "option": name,
                    "group": group,
                    "group_label": label,
                    "band": band,
                    "band_label": BANDS[band][0],
                    "text": text + (" ⚠" if serious else ""),
                    "serious": serious,
                    "effects": "; ".join(hits["effect"]),
                    "source_ids": sorted(set(hits["source_id"])),
                }
            )
    return pd.DataFrame.from_records(records)


def _named_effects(dataset: Dataset, option_id: str, group: str) -> str:
    """'Sleepiness 22% (placebo 6%), ...' for one option and group; numbers only where given."""
    hits = dataset.effects[(dataset.effects["option_id"] == option_id) & (dataset.effects["group"] == group)]
    parts = []
    for row in hits.to_dict("records"):
        text = row["effect"]
        if not pd.isna(row["freq_low"]):
            text += f" {frequency_text(row['freq_low'], row['freq_high'])}"
            if not pd.isna(row["placebo_low"]):
                text += f" (placebo {frequency_text(row['placebo_low'], row['placebo_high'])})"
        parts.append(text)
    return ", ".join(parts)


def side_effect_matrix(dataset: Dataset, option_ids: list[str]) -> Chart:
    """Options × side-effect groups as a coloured table (text in every cell, so colour is a second cue).

    A table rather than a plot so that it reflows on a phone: the grid scrolls inside its frame and
    the page never does.
    """
    cells = effect_cells(dataset, option_ids)
    groups = [g for g in EFFECT_GROUP_LABELS if (cells.loc[cells["group"] == g, "band"] > 0).any()] or list(EFFECT_GROUP_LABELS)
    cells = cells[cells["group"].isin(groups)]
    names = [dataset.option(o)["plain_name"] for o in option_ids]
    grid = pd.DataFrame(index=names, columns=[EFFECT_GROUP_LABELS[g] for g in groups], dtype=object)
    colours = pd.DataFrame(index=names, columns=grid.columns, dtype=object)
    for cell in cells.to_dict("records"):
        _, fill, ink = BANDS[cell["band"]]
        grid.loc[cell["option"], cell["group_label"]] = cell["text"]
        colours.loc[cell["option"], cell["group_label"]] = f"background-color: {fill}; color: {ink}"
    grid.index.name = "Option"
    colours.index.name = "Option"
    sentences = []
    for option_id, name in zip(option_ids, names, strict=True):
        mine = cells[(cells["option_id"] == option_id) & (cells["band"] > 0)]
        if mine.empty:
            sentences.append(f"{name}: no side effects listed in our sources.")
            continue
        parts = [
            f"{c['group_label'].lower()}{' (serious)' if c['serious'] else ''}: {_named_effects(dataset, option_id, c['group'])}"
            for c in mine.to_dict("records")
        ]
        sentences.append(f"{name}: " + "; ".join(parts) + ".")
    summary = (
        "Side effects by group. Percentages are the share of people in the studies who had them; "
        "'listed' means a source names the harm without a number; ⚠ marks a serious harm. " + " ".join(sentences)
    )
    table = pd.DataFrame(
        {
            "Option": cells["option"],
            "Side-effect group": cells["group_label"],
            "Frequency": [
                t.replace(" ⚠", "").replace("—", "none listed").replace("listed", "number not given") if t != "—" else "none listed"
                for t in cells["text"]
            ],
            "Band": cells["band_label"],
            "Serious": ["yes" if s else "no" for s in cells["serious"]],
            "Named effects": cells["effects"],
            "source_id": ["; ".join(s) for s in cells["source_ids"]],
        }
    )
    sources = sorted({s for ids in cells["source_ids"] for s in ids})
    return Chart(None, summary, table, sources, grid=grid, colours=colours)


def grid_html(chart: Chart, label: str) -> str:
    """A chart drawn as a coloured table (:func:`side_effect_matrix`) as one block of HTML.

    A real ``<table>`` (:func:`explainer.tables.table_html`): the options are row headers and the
    groups column headers, so a screen reader names both for every cell. Each cell carries its
    band's colours inline (from :data:`BANDS`) and its text, so colour is never the only cue. The
    region (``#side-effect-grid``) scrolls sideways by itself on a narrow screen.
    """
    grid, colours = chart.grid, chart.colours
    if grid is None or colours is None:
        raise ValueError("grid_html needs a chart drawn as a coloured table (grid and colours)")
    styles = colours.reset_index(drop=True)
    styles.insert(0, grid.index.name or "", None)
    return tables.table_html(grid.reset_index(), label, styles=styles, region="side-effect-grid")


# --- values -------------------------------------------------------------------------------------


def values_chart(ranking: pd.DataFrame) -> Chart:
    """Horizontal bars of the weighted scores, best first, with the score printed on each bar."""
    figure = SharedFigure(
        go.Bar(
            x=ranking["score"],
            y=[short_label(n) for n in ranking["option"]],
            orientation="h",
            marker={"color": OKABE_ITO["blue"], "pattern": {"shape": ""}},
            text=[f"{s:.2f}" for s in ranking["score"]],
            textposition="outside",
            hoverinfo="skip",
        )
    )
    figure.update_xaxes(range=[0, 1.15], title_text="How well it matches your priorities (0 to 1)", fixedrange=True, gridcolor="#d9d9d9")
    figure.update_yaxes(autorange="reversed", fixedrange=True)
    _layout(figure, height=100 + 45 * max(len(ranking), 1), showlegend=False)
    if ranking.empty:
        summary = "All priorities are set to zero, so there is nothing to line up."
    else:
        order = ", ".join(f"{r['option']} {r['score']:.2f}" for r in ranking.to_dict("records"))
        summary = f"With your priorities, the options line up as: {order}. This is arithmetic on the data, not a recommendation."
    return Chart(figure, summary, ranking, [])
