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
.xc-track.xc-short { height: 1.5rem; }
.xc-axis { height: 1.25rem; color: #4a4f57; }
.xc-axis span { position: absolute; top: 0; transform: translateX(-50%); white-space: nowrap; }
.xc-axis-title { text-align: center; color: #4a4f57; }
.xc-tick { position: absolute; top: 0; bottom: 0; width: 1px; background: #d9d9d9; }
.xc-none { position: absolute; top: 0.15rem; left: 0; color: #4a4f57; }
.xc-bar { position: absolute; height: 6px; margin-top: -3px; background: var(--c); }
.xc-bar.xc-other { height: 4px; margin-top: -2px; background: repeating-linear-gradient(90deg, var(--c) 0 5px, transparent 5px 9px); }
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
    """One range to draw: which measure, its ends (in the axis's unit) and whether it comes from the chosen pain type."""

    measure: str
    low: float
    high: float
    direct: bool = True
    text: str = ""  # shown as the bar's tooltip, as Plotly's hover text was ('' for none)


@dataclass(frozen=True)
class TimelineRow:
    name: str
    note: str  # shown after the name, such as '▲ tolerance can develop'; '' for none
    ranges: tuple[Range, ...]


def _region(label: str, classes: str, body: str) -> str:
    return f'<div class="xc {classes}" role="img" aria-label="{escape(label, quote=True)}">{body}</div>'


def _title(text: str) -> str:
    return f' title="{escape(text, quote=True)}"' if text else ""


def _bar(measure: Measure, direct: bool, position: dict[str, float] | None = None, text: str = "") -> str:
    """A measure's bar: placed on a track by ``position`` (top, left, width in %), or a legend sample without it."""
    classes = f"xc-bar xc-{measure.shape}" + ("" if direct else " xc-other")
    return f'<span class="{classes}" style="{_style(**(position or {}), colour=measure.colour)}"{_title(text)}></span>'


def timeline_html(label: str, measures: dict[str, Measure], rows: Sequence[TimelineRow], axis: Axis, axis_title: str) -> str:
    """One block per option: its name, then one lane per measure with each range as a bar on a log axis.

    A range from studies of another kind of pain is dotted. An option without any range says so.
    """
    legend = "".join(f"<li>{_bar(m, True)}{escape(m.label)}</li>" for m in measures.values())
    first = next(iter(measures.values()))
    legend += f"<li>{_bar(first, False)}dotted: from studies of another kind of pain</li>"
    lanes = {measure: index for index, measure in enumerate(measures)}
    lane_height = 100 / len(lanes)
    blocks = []
    for row in rows:
        note = f' <span class="xc-note">{escape(row.note)}</span>' if row.note else ""
        marks = []
        for span in row.ranges:
            measure = measures[span.measure]
            left, right = axis.position(span.low), axis.position(max(span.high, span.low))
            top = round((lanes[span.measure] + 0.5) * lane_height, 2)
            marks.append(_bar(measure, span.direct, {"top": top, "left": left, "width": round(right - left, 2)}, span.text))
        if not marks:
            marks.append('<span class="xc-none">No timing figures in our sources</span>')
        blocks.append(
            f'<div class="xc-row"><p class="xc-name">{escape(row.name)}{note}</p>'
            f'<div class="xc-track">{axis.gridlines()}{"".join(marks)}</div></div>'
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
