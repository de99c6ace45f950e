"""Line charts drawn as HTML and SVG: the volume-knob model and the patient stories' schematic curves.

A sibling of ``explainer.chart_html`` (Compare's charts), built the same way: plain values in, a
string out in which every piece of data text is escaped, no script to draw it. The plot area's
lines (grid, bands, reference lines, the series) are one SVG picture whose coordinates are
percentages of its box (``viewBox 0 0 100 100``, stretched to the box), so they follow the box's
width on any screen and keep their width and dashes (``vector-effect: non-scaling-stroke``).
``st.html`` passes HTML only (its sanitizer removes inline ``<svg>``), so the picture is an
``<img>`` with a ``data:`` address; it holds no text. Everything that must not stretch is HTML
placed by the same percentages: the marks (so a circle stays round, and each can carry a
tooltip), the tick labels, the labels of bands and reference lines, the legend and the axis
titles, so text keeps its size on a phone and stays text.

Each chart is one ``role="img"`` region named by its label, like Compare's; the page draws the
text summary and the data table under it. Colour is never the only cue: every line has its own
dash and mark, the legend shows both, and bands and reference lines carry their words.

Like Compare's charts they sit on a white panel with dark ink in both palettes, so their colours
and text keep their contrast whatever the page around them (the dark palette's text colour is
never used on the panel). The chart carries its own CSS (:data:`CSS`), so a page draws it with
one call.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from explainer.chart_html import _style  # the same inline-style rule as Compare's charts

CSS = """
<style>
.xl { background: #fff; color: #0b0d10; border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem;
  padding: 0.75rem 1rem 0.5rem; margin-bottom: 1rem; font-size: 0.875rem; line-height: 1.35; }
.xl p { margin: 0; }
.xl-title { font-weight: 600; margin-bottom: 0.4rem !important; }
.xl-legend { list-style: none; margin: 0 0 0.6rem !important; padding: 0 !important; display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; }
.xl-legend li { margin: 0 !important; padding: 0 !important; display: flex; align-items: center; gap: 0.45rem; max-width: 100%; }
.xl-key { position: relative; display: inline-block; width: 2.25rem; height: 0.9rem; flex: none; }
.xl-key img { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
.xl-key .xl-mark { left: 50%; top: 50%; }
.xl-key .xl-swatch { position: absolute; inset: 0.1rem 0; background: var(--c); opacity: 0.25; border: 1px solid var(--c); }
/* The first row is the plot's height, which the y ticks share; a long y title wraps onto a second line. */
.xl-frame { display: grid; grid-template-columns: auto auto 1fr; grid-template-rows: 16rem auto auto; }
.xl-ytitle { grid-row: 1; grid-column: 1; writing-mode: vertical-rl; transform: rotate(180deg); text-align: center; color: #4a4f57; padding-left: 0.3rem; max-height: 100%; line-height: 1.2; }
.xl-yticks { grid-row: 1; grid-column: 2; position: relative; min-width: 2.2rem; color: #4a4f57; }
.xl-yticks span { position: absolute; right: 0.35rem; transform: translateY(-50%); white-space: nowrap; }
.xl-plot { grid-row: 1; grid-column: 3; position: relative; border-left: 1px solid #8c8c8c; border-bottom: 1px solid #8c8c8c; }
.xl-plot > img { position: absolute; inset: 0; width: 100%; height: 100%; }
.xl-xticks { grid-row: 2; grid-column: 3; position: relative; height: 1.4rem; color: #4a4f57; }
.xl-xticks span { position: absolute; top: 0.15rem; transform: translateX(-50%); white-space: nowrap; }
.xl-xtitle { grid-row: 3; grid-column: 3; text-align: center; color: #4a4f57; }
.xl-mark { position: absolute; width: 10px; height: 10px; margin: -5px 0 0 -5px; background: var(--c); box-shadow: 0 0 0 1px #fff; }
.xl-circle { border-radius: 50%; }
.xl-diamond { transform: rotate(45deg) scale(0.85); }
.xl-triangle { width: 12px; height: 12px; margin: -6px 0 0 -6px; box-shadow: none;
  clip-path: polygon(50% 0, 100% 100%, 0 100%); }
.xl-cross { box-shadow: none; background: none; width: 12px; height: 12px; margin: -6px 0 0 -6px; }
.xl-cross::before, .xl-cross::after { content: ""; position: absolute; left: 5px; top: -1px; width: 2px; height: 14px; background: var(--c); }
.xl-cross::before { transform: rotate(45deg); }
.xl-cross::after { transform: rotate(-45deg); }
.xl-label { position: absolute; font-size: 0.75rem; line-height: 1.1; white-space: nowrap; color: #0b0d10;
  background: rgba(255, 255, 255, 0.85); padding: 0 0.2rem; }
.xl-label.xl-end { transform: translate(-100%, 0); }
.xl-label.xl-above { transform: translateY(-100%); }
.xl-label.xl-end.xl-above { transform: translate(-100%, -100%); }
@media (max-width: 640px) { .xl { padding: 0.5rem 0.5rem 0.4rem; } .xl-frame { grid-template-rows: 13rem auto auto; } .xl-label { font-size: 0.7rem; } }
</style>
"""

DASHES = {"solid": "", "dash": "6 4", "dot": "2 3", "longdash": "12 5"}
MARKS = ("circle", "square", "diamond", "triangle", "cross")


@dataclass(frozen=True)
class LineAxis:
    """A linear axis: its ends, the values to label (value -> text) and its title."""

    low: float
    high: float
    ticks: dict[float, str]
    title: str

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise ValueError(f"an axis needs finite ends with low < high (got {self.low}, {self.high})")

    def share(self, value: float) -> float:
        """Where ``value`` falls on the axis, in percent from its low end (0-100, clamped)."""
        return round(min(max((value - self.low) / (self.high - self.low), 0.0), 1.0) * 100, 2)


def nice_ticks(low: float, high: float, count: int = 5) -> dict[float, str]:
    """About ``count`` round tick values from ``low`` to ``high`` (steps of 1, 2 or 5 times a power of ten)."""
    if not high > low:
        raise ValueError(f"nice_ticks needs low < high (got {low}, {high})")
    raw = (high - low) / max(count, 1) / 1.5  # up to about 1.5 times ``count`` rather than fewer
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks = {}
    value = first
    while value <= high + step * 1e-9:
        value = round(value, 10)
        ticks[value] = f"{value:g}"
        value += step
    return ticks


@dataclass(frozen=True)
class Series:
    """One line (or a row of marks with ``line=False``): its legend text, colour, dash and mark.

    ``notes``: one tooltip per point ('' for none), as Plotly's hover text was.
    """

    label: str
    points: tuple[tuple[float, float], ...]
    colour: str
    dash: str = "solid"  # a key of DASHES
    mark: str | None = "circle"  # one of MARKS, or None for a plain line
    line: bool = True
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.dash not in DASHES:
            raise ValueError(f"dash must be one of {', '.join(DASHES)} (got {self.dash!r})")
        if self.mark is not None and self.mark not in MARKS:
            raise ValueError(f"mark must be one of {', '.join(MARKS)} (got {self.mark!r})")
        if not self.line and self.mark is None:
            raise ValueError(f"series {self.label!r} draws neither a line nor marks")


@dataclass(frozen=True)
class Band:
    """A span of the x axis shaded from ``low`` to ``high``, with its words at the top."""

    low: float
    high: float
    label: str
    colour: str


@dataclass(frozen=True)
class Rule:
    """A reference line across the plot at ``value`` (axis 'x': vertical, 'y': horizontal), with its words."""

    axis: str
    value: float
    label: str
    colour: str
    dash: str = "dot"
    place: str = "start"  # 'start' or 'end': which end of the line the words sit at


def _title(text: str) -> str:
    return f' title="{escape(text, quote=True)}"' if text else ""


def _stroke(colour: str, dash: str, width: float) -> str:
    dashes = f' stroke-dasharray="{DASHES[dash]}"' if DASHES[dash] else ""
    return f'stroke="{escape(colour, quote=True)}" stroke-width="{width:g}"{dashes} fill="none"'


def _mark(shape: str, colour: str, left: float | None = None, top: float | None = None, note: str = "") -> str:
    place = {} if left is None else {"left": left, "top": top}
    return f'<span class="xl-mark xl-{shape}" style="{_style(**place, colour=colour)}"{_title(note)}></span>'


def _picture(view_box: str, shapes: str, stretch: bool = False) -> str:
    """SVG shapes (no text) as an ``<img>`` with a data: address; empty alternative text: the chart's label names it."""
    fit = ' preserveAspectRatio="none"' if stretch else ""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}"{fit}>'
        f"<style>*{{vector-effect:non-scaling-stroke}}</style>{shapes}</svg>"
    )
    return f'<img alt="" src="data:image/svg+xml,{escape(quote(svg, safe=" =:/,."), quote=True)}">'


def _key(series: Series) -> str:
    """The legend's sample of a series: its line (with its dash) and its mark."""
    line = f'<line x1="0" y1="7" x2="36" y2="7" {_stroke(series.colour, series.dash, 2.5)}/>' if series.line else ""
    svg = _picture("0 0 36 14", line) if line else ""
    mark = _mark(series.mark, series.colour) if series.mark else ""
    return f'<span class="xl-key">{svg}{mark}</span>'


def line_chart_html(
    label: str,
    title: str,
    series: Sequence[Series],
    x_axis: LineAxis,
    y_axis: LineAxis,
    bands: Sequence[Band] = (),
    rules: Sequence[Rule] = (),
) -> str:
    """A line chart with its legend, ticks and titles: the chart's CSS followed by one ``role="img"`` block.

    Points outside an axis are drawn at its edge. Bands are shaded spans of the x axis from their
    low to their high end; rules are straight reference lines. Every text is escaped.
    """

    def x(value: float) -> float:
        return x_axis.share(value)

    def y(value: float) -> float:
        return round(100 - y_axis.share(value), 2)  # SVG and CSS count from the top

    legend = [f"<li>{_key(s)}{escape(s.label)}</li>" for s in series]
    legend += [
        f'<li><span class="xl-key"><span class="xl-swatch" style="{_style(colour=b.colour)}"></span></span>{escape(b.label)}</li>'
        for b in bands
    ]
    shapes, overlay = [], []
    for value in y_axis.ticks:
        shapes.append(f'<line class="xl-grid" x1="0" y1="{y(value)}" x2="100" y2="{y(value)}" stroke="#e3e3e3" stroke-width="1"/>')
    for value in x_axis.ticks:
        shapes.append(f'<line class="xl-grid" x1="{x(value)}" y1="0" x2="{x(value)}" y2="100" stroke="#e3e3e3" stroke-width="1"/>')
    for band in bands:
        left, right = x(band.low), x(max(band.high, band.low))
        shapes.append(
            f'<rect class="xl-band" x="{left}" y="0" width="{round(right - left, 2)}" height="100" '
            f'fill="{escape(band.colour, quote=True)}" fill-opacity="0.14"/>'
        )
        overlay.append(f'<span class="xl-label" style="{_style(left=left, top=1)}">{escape(band.label)}</span>')
    for rule in rules:
        end = rule.place == "end"
        if rule.axis == "y":
            at = y(rule.value)
            shapes.append(f'<line class="xl-rule" x1="0" y1="{at}" x2="100" y2="{at}" {_stroke(rule.colour, rule.dash, 2)}/>')
            classes = "xl-label xl-above" + (" xl-end" if end else "")
            overlay.append(f'<span class="{classes}" style="{_style(left=99 if end else 1, top=at)}">{escape(rule.label)}</span>')
        elif rule.axis == "x":
            at = x(rule.value)
            shapes.append(f'<line class="xl-rule" x1="{at}" y1="0" x2="{at}" y2="100" {_stroke(rule.colour, rule.dash, 2)}/>')
            overlay.append(f'<span class="xl-label" style="{_style(left=at, top=88)}">{escape(rule.label)}</span>')
        else:
            raise ValueError(f"a rule's axis is 'x' or 'y' (got {rule.axis!r})")
    for line in series:
        if line.line and len(line.points) > 1:
            path = " ".join(f"{x(px)},{y(py)}" for px, py in line.points)
            shapes.append(f'<polyline class="xl-line" points="{path}" {_stroke(line.colour, line.dash, 2.5)}/>')
        if line.mark:
            notes = line.notes or ("",) * len(line.points)
            for (px, py), note in zip(line.points, notes, strict=True):
                overlay.append(_mark(line.mark, line.colour, x(px), y(py), note))
    y_ticks = "".join(f'<span style="{_style(top=y(v))}">{escape(t)}</span>' for v, t in y_axis.ticks.items())
    x_ticks = "".join(f'<span style="{_style(left=x(v))}">{escape(t)}</span>' for v, t in x_axis.ticks.items())
    svg = _picture("0 0 100 100", "".join(shapes), stretch=True)
    body = (
        (f'<p class="xl-title">{escape(title)}</p>' if title else "")
        + f'<ul class="xl-legend">{"".join(legend)}</ul>'
        + '<div class="xl-frame">'
        + f'<p class="xl-ytitle">{escape(y_axis.title)}</p><div class="xl-yticks">{y_ticks}</div>'
        + f'<div class="xl-plot">{svg}{"".join(overlay)}</div>'
        + f'<div class="xl-xticks">{x_ticks}</div><p class="xl-xtitle">{escape(x_axis.title)}</p></div>'
    )
    return f'{CSS}<div class="xl" role="img" aria-label="{escape(label, quote=True)}">{body}</div>'
