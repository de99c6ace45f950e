"""Charts drawn as plain HTML and CSS: the Compare page's timeline, 'out of 100' grids and forest plot.

Plotly draws a chart in the browser from a 4.7 MB script that a first visit has to fetch and
compile; these charts are a few kilobytes of HTML that the browser lays out itself, and they
reflow on a phone without shrinking their text. Every function here takes plain values and
returns a string in which every piece of data text is escaped; positions are percentages of the
chart's width, so no script is needed to draw them.

Each chart is one ``role="img"`` region named by its label: a screen reader hears the name and
moves on to the text summary and the data table that the page draws under every chart, which
give the same figures in words. Colour is never the only cue: every mark has a shape, every
range from another kind of pain is dotted, and the legend and labels say which is which. The
charts sit on a white panel in both palettes, like the Plotly charts, so their colours keep
their contrast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

CSS = """
<style>
.xc { background: #fff; color: #0b0d10; border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem;
  padding: 0.75rem 1rem; margin-bottom: 1rem; font-size: 0.875rem; line-height: 1.4; }
.xc p { margin: 0; }
.xc-legend { list-style: none; margin: 0 0 0.75rem; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.xc-legend li { margin: 0; padding: 0; display: flex; align-items: center; gap: 0.5rem; }
.xc-row { margin: 0.5rem 0 0.75rem; }
.xc-name { font-weight: 600; }
.xc-note { color: #4a4f57; font-weight: 400; }
.xc-track, .xc-axis { position: relative; margin: 0 1.5rem; }
.xc-track { height: 3.25rem; }
.xc-track.xc-lanes-5 { height: 5rem; }
.xc-track.xc-lanes-6 { height: 6rem; }
.xc-track.xc-short { height: 1.5rem; }
.xc-axis { height: 1.25rem; color: #4a4f57; }
.xc-axis span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.xc-axis-title { text-align: center; color: #4a4f57; }
.xc-tick { position: absolute; top: 0; bottom: 0; width: 1px; background: #d9d9d9; }
.xc-none { position: absolute; top: 0.15rem; left: 0; color: #4a4f57; }
.xc-bar { position: absolute; height: 6px; margin-top: -3px; background: var(--c); }
.xc-bar.xc-other { height: 4px; margin-top: -2px; background: repeating-linear-gradient(90deg, var(--c) 0 5px, transparent 5px 9px); }
/* Known only as "up to N": an arrow from the first point seen (or an open start) that fades towards N. */
.xc-bar.xc-upto { background: linear-gradient(90deg, var(--c), color-mix(in srgb, var(--c) 25%, transparent)); }
.xc-bar.xc-upto.xc-other { background: repeating-linear-gradient(90deg, color-mix(in srgb, var(--c) 70%, transparent) 0 5px, transparent 5px 9px); }
.xc-bar.xc-upto::after { right: -7px; top: -5px; width: 0; height: 0; background: none; box-shadow: none; border-radius: 0; transform: none;
  clip-path: none; border-top: 8px solid transparent; border-bottom: 8px solid transparent; border-left: 10px solid color-mix(in srgb, var(--c) 55%, transparent); }
.xc-bar.xc-open::before { display: none; }
.xc-tag { position: absolute; font-size: 0.72rem; line-height: 1; color: #33373d; white-space: nowrap; margin-top: 6px; }
.xc-legend .xc-bar { position: relative; display: inline-block; width: 2rem; margin: 0 0.4rem; top: 0; }
.xc-bar::before, .xc-bar::after, .xc-mark { content: ""; position: absolute; top: -3px; width: 12px; height: 12px;
  background: var(--c); box-shadow: 0 0 0 1px #fff; }
.xc-bar.xc-other::before, .xc-bar.xc-other::after { top: -4px; }
.xc-bar::before { left: -6px; }
.xc-bar::after { right: -6px; }
.xc-circle::before, .xc-circle::after, .xc-mark.xc-circle { border-radius: 50%; }
.xc-diamond::before, .xc-diamond::after, .xc-mark.xc-diamond { transform: rotate(45deg) scale(0.85); }
.xc-triangle::before, .xc-triangle::after, .xc-mark.xc-triangle { clip-path: polygon(50% 0, 100% 100%, 0 100%); box-shadow: none; }
.xc-mark { top: 50%; margin: -6px 0 0 -6px; }
.xc-legend .xc-mark { position: relative; display: inline-block; top: 0; margin: 0; }
.xc-ci { position: absolute; top: 50%; height: 2px; margin-top: -1px; background: var(--c); }
.xc-ci::before, .xc-ci::after { content: ""; position: absolute; top: -5px; width: 2px; height: 12px; background: var(--c); }
.xc-ci::before { left: -1px; }
.xc-ci::after { right: -1px; }
.xc-forest-cols { display: grid; gap: 0 1rem; }
.xc-forest-cols > p { text-align: center; font-weight: 600; }
.xc-icon-options { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem 1.5rem; }
.xc-pair { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin-top: 0.25rem; }
.xc-array { width: 7.5rem; }
.xc-cells { display: grid; grid-template-columns: repeat(10, 0.6rem); gap: 0.15rem; margin-top: 0.25rem; }
.xc-cells i, .xc-legend i { display: block; width: 0.6rem; height: 0.6rem; border-radius: 50%; box-sizing: border-box;
  border: 1px solid #8c8c8c; }
.xc-legend i { display: inline-block; }
.xc-cells i.xc-helped, .xc-legend i.xc-helped { border: none; background: #0072B2; }
.xc-cells i.xc-stopped, .xc-legend i.xc-stopped { border: none; border-radius: 0;
  background: linear-gradient(45deg, transparent 38%, #D55E00 38% 62%, transparent 62%),
    linear-gradient(-45deg, transparent 38%, #D55E00 38% 62%, transparent 62%); }
</style>
"""


def log_position(value: float, low: float, high: float) -> float:
    """Where ``value`` falls between ``low`` and ``high`` on a log scale, in percent (0-100, clamped)."""
    if value <= 0 or low <= 0 or high <= low:
        raise ValueError(f"log_position needs positive values and low < high (got {value}, {low}, {high})")
    share = (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
    return round(min(max(share, 0.0), 1.0) * 100, 2)


def _style(**values: float | str) -> str:
    """An inline style from numbers (percent) and colours: ``left: 12.5%; --c: #0072B2``."""
    parts = []
    for name, value in values.items():
        prop = "--c" if name == "colour" else name
        parts.append(f"{prop}: {value}%" if isinstance(value, int | float) else f"{prop}: {escape(value, quote=True)}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Axis:
    """A log axis: its ends and the ticks to label (value -> text)."""

    low: float
    high: float
    ticks: dict[float, str]

    def position(self, value: float) -> float:
        return log_position(value, self.low, self.high)

    def labels(self) -> str:
        spans = "".join(f'<span style="{_style(left=self.position(v))}">{escape(t)}</span>' for v, t in self.ticks.items())
        return f'<div class="xc-axis">{spans}</div>'

    def gridlines(self) -> str:
        return "".join(f'<span class="xc-tick" style="{_style(left=self.position(v))}"></span>' for v in self.ticks)


@dataclass(frozen=True)
class Measure:
    """One kind of range on the timeline: its legend text, colour and mark shape."""

    label: str
    colour: str
    shape: str


@dataclass(frozen=True)
class Range:
    """One range to draw: which measure, its ends (in the axis's unit) and whether it comes from the chosen pain type.

    ``open_ended``: only the far end is known ("up to N"): drawn as an arrow fading towards
    ``high``, starting at ``low`` when that is the first point the effect was seen, and with an
    open start otherwise (``open_start``), never as a bar from the axis edge.
    """

    measure: str
    low: float
    high: float
    direct: bool = True
    text: str = ""  # shown as the bar's tooltip, as Plotly's hover text was ('' for none)
    open_ended: bool = False
    open_start: bool = False
    tag: str = ""  # a short label by the mark: the pain it was measured in


@dataclass(frozen=True)
class TimelineRow:
    name: str
    note: str  # shown after the name, such as '▲ tolerance can develop'; '' for none
    ranges: tuple[Range, ...]
    empty: str = ""  # what to say when there is nothing to draw (default: no timing figures)


def _region(label: str, classes: str, body: str) -> str:
    return f'<div class="xc {classes}" role="img" aria-label="{escape(label, quote=True)}">{body}</div>'


def _title(text: str) -> str:
    return f' title="{escape(text, quote=True)}"' if text else ""


def _bar(
    measure: Measure,
    direct: bool,
    position: dict[str, float] | None = None,
    text: str = "",
    open_ended: bool = False,
    open_start: bool = False,
) -> str:
    """A measure's bar: placed on a track by ``position`` (top, left, width in %), or a legend sample without it."""
    classes = (
        f"xc-bar xc-{measure.shape}"
        + ("" if direct else " xc-other")
        + (" xc-upto" if open_ended else "")
        + (" xc-open" if open_start else "")
    )
    return f'<span class="{classes}" style="{_style(**(position or {}), colour=measure.colour)}"{_title(text)}></span>'


def timeline_html(label: str, measures: dict[str, Measure], rows: Sequence[TimelineRow], axis: Axis, axis_title: str) -> str:
    """One block per option: its name, then one lane per measure with each range as a bar on a log axis.

    A range from studies of another kind of pain is dotted. An option without any range says so.
    """
    legend = "".join(f"<li>{_bar(m, True)}{escape(m.label)}</li>" for m in measures.values())
    first = next(iter(measures.values()))
    legend += f"<li>{_bar(first, True, open_ended=True)}fading arrow: known only as “up to”</li>"
    legend += f"<li>{_bar(first, False)}dotted: from studies of another kind of pain</li>"
    blocks = []
    for row in rows:
        note = f' <span class="xc-note">{escape(row.note)}</span>' if row.note else ""
        used = [m for m in measures if any(span.measure == m for span in row.ranges)]
        lanes = {measure: index for index, measure in enumerate(used)}
        lane_height = 100 / max(len(lanes), 1)
        marks = []
        for span in row.ranges:
            measure = measures[span.measure]
            left, right = axis.position(span.low), axis.position(max(span.high, span.low))
            top = round((lanes[span.measure] + 0.5) * lane_height, 2)
            marks.append(
                _bar(
                    measure,
                    span.direct,
                    {"top": top, "left": left, "width": round(right - left, 2)},
                    span.text,
                    span.open_ended,
                    span.open_start,
                )
            )
            if span.tag:
                marks.append(f'<span class="xc-tag" style="{_style(top=top, left=min(right + 1.5, 88))}">{escape(span.tag)}</span>')
        if not marks:
            marks.append(f'<span class="xc-none">{escape(row.empty or "No timing figures in our sources")}</span>')
        size = f" xc-lanes-{len(lanes)}" if len(lanes) >= 5 else ""
        blocks.append(
            f'<div class="xc-row"><p class="xc-name">{escape(row.name)}{note}</p>'
            f'<div class="xc-track{size}">{axis.gridlines()}{"".join(marks)}</div></div>'
        )
    body = (
        f'<ul class="xc-legend">{legend}</ul>{axis.labels()}{"".join(blocks)}{axis.labels()}'
        f'<p class="xc-axis-title">{escape(axis_title)}</p>'
    )
    return _region(label, "xc-timeline", body)


@dataclass(frozen=True)
class IconArray:
    """One 'out of 100' grid: its title, how many of the 100 are marked (None: no number) and the range text."""

    title: str
    kind: str  # 'helped' or 'stopped': the mark used
    filled: int | None
    text: str


def icon_arrays_html(label: str, legend: dict[str, str], options: Iterable[tuple[str, Sequence[IconArray]]]) -> str:
    """For each option its name and its grids of 100 people, the extra people marked.

    ``legend`` maps 'helped', 'stopped' and 'rest' to their words. A grid whose number the sources
    do not give is not drawn at all (nothing that could be read as a number), only its text.
    """
    keys = "".join(f'<li><i class="xc-{kind}"></i>{escape(words)}</li>' for kind, words in legend.items() if kind != "rest")
    keys += f"<li><i></i>{escape(legend.get('rest', ''))}</li>"
    cards = []
    for name, arrays in options:
        grids = []
        for array in arrays:
            cells = ""
            if array.filled is not None:
                filled = min(max(array.filled, 0), 100)
                cells = '<div class="xc-cells">' + f'<i class="xc-{array.kind}"></i>' * filled + "<i></i>" * (100 - filled) + "</div>"
            grids.append(f'<div class="xc-array"><p><b>{escape(array.title)}</b>: {escape(array.text)}</p>{cells}</div>')
        cards.append(f'<div><p class="xc-name">{escape(name)}</p><div class="xc-pair">{"".join(grids)}</div></div>')
    return _region(label, "xc-icons", f'<ul class="xc-legend">{keys}</ul><div class="xc-icon-options">{"".join(cards)}</div>')


@dataclass(frozen=True)
class Estimate:
    """A point with its 95% interval (None where not given); all None: not reported."""

    point: float | None
    low: float | None = None
    high: float | None = None
    text: str = ""  # the point's tooltip


@dataclass(frozen=True)
class Panel:
    title: str
    colour: str
    shape: str


def _estimate(panel: Panel, estimate: Estimate, axis: Axis, missing: str) -> str:
    if estimate.point is None:
        return f'<div class="xc-track xc-short">{axis.gridlines()}<span class="xc-none">{escape(missing)}</span></div>'
    marks = ""
    if estimate.low is not None and estimate.high is not None:
        left, right = axis.position(estimate.low), axis.position(estimate.high)
        marks += f'<span class="xc-ci" style="{_style(left=left, width=round(right - left, 2), colour=panel.colour)}"></span>'
    marks += f'<span class="xc-mark xc-{panel.shape}" style="{_style(left=axis.position(estimate.point), colour=panel.colour)}"{_title(estimate.text)}></span>'
    return f'<div class="xc-track xc-short">{axis.gridlines()}{marks}</div>'


def forest_html(
    label: str, panels: Sequence[Panel], rows: Iterable[tuple[str, Sequence[Estimate]]], axis: Axis, caption: str, missing: str
) -> str:
    """Side-by-side panels (NNT, NNH) with each option's point and 95% interval on a shared log axis."""
    grid = f' style="grid-template-columns: repeat({len(panels)}, 1fr)"'
    head = "".join(f"<p>{escape(p.title)}</p>" for p in panels)
    axes = "".join(axis.labels() for _ in panels)
    blocks = []
    for name, estimates in rows:
        cells = "".join(_estimate(panel, estimate, axis, missing) for panel, estimate in zip(panels, estimates, strict=True))
        blocks.append(f'<div class="xc-row"><p class="xc-name">{escape(name)}</p><div class="xc-forest-cols"{grid}>{cells}</div></div>')
    body = (
        f'<div class="xc-forest-cols"{grid}>{head}</div><div class="xc-forest-cols"{grid}>{axes}</div>'
        f'{"".join(blocks)}<div class="xc-forest-cols"{grid}>{axes}</div><p class="xc-axis-title">{escape(caption)}</p>'
    )
    return _region(label, "xc-forest", body)


# --- side effects by frequency band ------------------------------------------------------------

# Frequency bands, darkest for the most common; the band's name is printed in every chip, so
# colour is a second cue. "Not reported" has no fill, a dashed border and its own words.
BAND_STYLES = {
    "very_common": ("#08306b", "#ffffff"),
    "common": ("#2171b5", "#ffffff"),
    "uncommon": ("#6baed6", "#0b0d10"),
    "rare": ("#c6dbef", "#0b0d10"),
    "very_rare": ("#eff3ff", "#0b0d10"),
}

HARM_CSS = """
<style>
.xh-options { display: grid; grid-template-columns: 1fr; gap: 0.5rem; }
.xh-option { border-top: 1px solid #d9d9d9; padding-top: 0.4rem; }
.xh-option > summary { cursor: pointer; padding: 0.2rem 0; }
.xh-option[open] > summary { margin-bottom: 0.3rem; }
.xh-sev { margin: 0.4rem 0 0.2rem; font-weight: 600; }
.xh-list { list-style: none; margin: 0; padding: 0; }
.xh-list li { margin: 0 0 0.45rem; padding: 0 0 0 0.6rem; border-left: 4px solid #9e9e9e; }
.xh-list li.xh-life_threatening { border-left: 6px double #D55E00; }
.xh-list li.xh-serious { border-left: 4px solid #E69F00; }
.xh-list li.xh-other { border-left-style: dashed; }
.xh-chip { display: inline-block; padding: 0 0.4rem; border-radius: 0.25rem; font-size: 0.78rem; font-weight: 600; margin-right: 0.35rem; }
.xh-chip.xh-not_reported { background: #fff; color: #0b0d10; border: 1px dashed #595959; font-weight: 400; }
.xh-help { display: block; margin-top: 0.15rem; font-weight: 600; }
.xh-bands { display: flex; flex-wrap: wrap; gap: 0.35rem 0.75rem; margin: 0 0 0.75rem; padding: 0; list-style: none; }
.xv-row { display: grid; grid-template-columns: minmax(5rem, 12rem) minmax(3rem, 1fr) minmax(5rem, 11rem); gap: 0.5rem; align-items: center; margin: 0.35rem 0; }
.xv-bar { position: relative; height: 1.4rem; background: #f0f0f0; border-radius: 0.2rem; }
.xv-fill { position: absolute; left: 0; top: 0; bottom: 0; background: #0072B2; border-radius: 0.2rem; }
.xv-val { font-weight: 600; }
.xv-none { color: #33373d; font-style: italic; }
</style>
"""


@dataclass(frozen=True)
class Harm:
    """One side effect as drawn: its name, severity, band, the words on its chip, and its notes."""

    name: str
    severity: str  # 'bothersome', 'serious' or 'life_threatening'
    band: str  # a key of BAND_STYLES, or 'not_reported'
    chip: str  # 'Very common', 'Common to very common (8–19%; placebo 1–4%)', 'How often: not reported'
    note: str = ""
    get_help: str = ""
    other: str = ""  # the pain type it was measured in, when not the chosen one ('' otherwise)


def harms_html(
    label: str, severities: dict[str, str], bands: dict[str, tuple[str, str]], options: Iterable[tuple[str, Sequence[Harm]]]
) -> str:
    """Each option's side effects grouped by severity (most severe first), each with a chip coloured by how often it happens.

    ``severities`` maps severity keys to their headings; ``bands`` maps band keys to (label, meaning)
    for the key at the top. Severity is shown by the heading and the line's border (double for
    life-threatening), frequency by the chip's words and its colour; a harm from another pain type
    has a dashed line and says where it was measured.
    """
    key = "".join(
        f'<li><span class="xh-chip xh-{escape(band)}" style="{_chip_style(band)}">{escape(words)}</span>{escape(meaning)}</li>'
        for band, (words, meaning) in bands.items()
    )
    cards = []
    for index, (name, harms) in enumerate(options):
        sections = []
        for severity, heading in severities.items():
            mine = [h for h in harms if h.severity == severity]
            if not mine:
                continue
            items = []
            for harm in mine:
                chip = f'<span class="xh-chip xh-{escape(harm.band)}" style="{_chip_style(harm.band)}">{escape(harm.chip)}</span>'
                other = f" <em>(measured in {escape(harm.other)}, not your kind of pain)</em>" if harm.other else ""
                note = f"<br>{escape(harm.note)}" if harm.note else ""
                helper = f'<span class="xh-help">Get help if: {escape(harm.get_help)}</span>' if harm.get_help else ""
                classes = f"xh-{harm.severity}" + (" xh-other" if harm.other else "")
                items.append(f'<li class="{classes}">{chip}<strong>{escape(harm.name)}</strong>{other}{note}{helper}</li>')
            sections.append(f'<p class="xh-sev">{escape(heading)}</p><ul class="xh-list">{"".join(items)}</ul>')
        body = "".join(sections) or '<p class="xc-none" style="position: static">No side effects listed for this pain in our sources</p>'
        serious = sum(1 for h in harms if h.severity != "bothersome")
        count = f"{len(harms)} listed, {serious} serious or worse" if harms else "none listed"
        # Each option folds away (the first one open), so the section stays short on a phone.
        cards.append(
            f'<details class="xh-option"{" open" if index == 0 else ""}><summary><span class="xc-name">{escape(name)}</span> '
            f'<span class="xc-note">({escape(count)})</span></summary>{body}</details>'
        )
    # Not role="img": the folds are controls a keyboard and a screen reader must reach.
    return (
        f'<div class="xc xc-harms" role="group" aria-label="{escape(label, quote=True)}">'
        f'<ul class="xh-bands">{key}</ul><div class="xh-options">{"".join(cards)}</div></div>'
    )


def _chip_style(band: str) -> str:
    fill, ink = BAND_STYLES.get(band, ("#ffffff", "#0b0d10"))
    return f"background: {fill}; color: {ink}"


# --- the values exercise's bars ------------------------------------------------------------------


def values_html(label: str, rows: Iterable[tuple[str, float | None, str]]) -> str:
    """One bar per option (score 0-1, printed on the bar), or its words where it cannot be scored."""
    blocks = []
    for name, score, words in rows:
        if score is None:
            bar = f'<div class="xv-bar"></div><span class="xv-none">{escape(words)}</span>'
        else:
            width = round(max(0.0, min(score, 1.0)) * 100, 2)
            bar = (
                f'<div class="xv-bar"><span class="xv-fill" style="{_style(width=width)}"></span></div>'
                f'<span class="xv-val">{score:.2f} <small>({escape(words)})</small></span>'
            )
        blocks.append(f'<div class="xv-row"><span class="xc-name">{escape(name)}</span>{bar}</div>')
    return _region(label, "xc-values", "".join(blocks))
