"""Line charts drawn as HTML and SVG: values land where they belong, ranges are ranges, text is escaped."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest

from explainer import line_charts as lc

X = lc.LineAxis(0, 10, {0: "0", 5: "5", 10: "10"}, "Days")
Y = lc.LineAxis(0, 100, {0: "0", 50: "50", 100: "100"}, "Score")


def pictures(html: str) -> list[str]:
    """The SVG behind each ``<img>`` of the chart, decoded."""
    return [unquote(unescape(src)).removeprefix("data:image/svg+xml,") for src in re.findall(r'<img alt="" src="([^"]+)"', html)]


def plot_svg(html: str) -> str:
    return next(svg for svg in pictures(html) if 'viewBox="0 0 100 100"' in svg)


def chart(**overrides) -> str:
    values = {
        "label": "A chart",
        "title": "Illustrative",
        "series": [lc.Series("Line", ((0, 0), (5, 50), (10, 100)), "#0072B2", "dash", "square")],
        "x_axis": X,
        "y_axis": Y,
    }
    values.update(overrides)
    return lc.line_chart_html(**values)


def test_the_chart_is_one_named_picture_with_its_own_css():
    html = chart()
    assert html.startswith(lc.CSS)
    assert html.count('role="img"') == 1 and 'aria-label="A chart"' in html
    assert '<p class="xl-title">Illustrative</p>' in html
    assert '<p class="xl-ytitle">Score</p>' in html and '<p class="xl-xtitle">Days</p>' in html


def test_points_land_at_their_values():
    html = chart()
    # marks are HTML placed in percent of the plot, from the left and from the top
    assert 'class="xl-mark xl-square" style="left: 0.0%; top: 100.0%' in html
    assert 'class="xl-mark xl-square" style="left: 50.0%; top: 50.0%' in html
    assert 'class="xl-mark xl-square" style="left: 100.0%; top: 0.0%' in html
    assert 'points="0.0,100.0 50.0,50.0 100.0,0.0"' in plot_svg(html)
    # ticks are text at the same places
    assert '<span style="left: 50.0%">5</span>' in html and '<span style="top: 50.0%">50</span>' in html


def test_points_outside_an_axis_are_drawn_at_its_edge():
    html = chart(series=[lc.Series("Line", ((-5, 150), (20, -1)), "#000", mark="circle")])
    assert 'style="left: 0.0%; top: 0.0%' in html and 'style="left: 100.0%; top: 100.0%' in html


def test_a_band_is_drawn_as_a_range_from_its_low_to_its_high_end():
    html = chart(bands=[lc.Band(2.5, 7.5, "Watched", "#E69F00")])
    svg = plot_svg(html)
    assert re.search(r'<rect class="xl-band" x="25.0" y="0" width="50.0" height="100"', svg), svg
    assert "Watched</li>" in html  # in the legend, with its swatch
    assert '<span class="xl-label" style="left: 25.0%; top: 1%">Watched</span>' in html


def test_rules_are_straight_lines_with_their_words():
    html = chart(rules=[lc.Rule("y", 25, "Threshold", "#D55E00", "longdash", place="end"), lc.Rule("x", 4, "Peak", "#555555")])
    svg = plot_svg(html)
    assert '<line class="xl-rule" x1="0" y1="75.0" x2="100" y2="75.0"' in svg
    assert '<line class="xl-rule" x1="40.0" y1="0" x2="40.0" y2="100"' in svg
    assert 'stroke-dasharray="12 5"' in svg and 'stroke-dasharray="2 3"' in svg
    assert ">Threshold</span>" in html and ">Peak</span>" in html
    with pytest.raises(ValueError, match="axis"):
        chart(rules=[lc.Rule("z", 1, "?", "#000")])


def test_lines_differ_by_dash_and_mark_not_only_colour():
    html = chart(
        series=[
            lc.Series("One", ((0, 10), (10, 20)), "#D55E00", "solid", "circle"),
            lc.Series("Two", ((0, 30), (10, 40)), "#0072B2", "dash", "square"),
            lc.Series("Three", ((0, 50), (10, 60)), "#4D4D4D", "dot", None),
        ]
    )
    legend = html.split('<ul class="xl-legend">')[1].split("</ul>")[0]
    assert legend.count("<li>") == 3
    assert "xl-circle" in legend and "xl-square" in legend
    keys = pictures(legend)
    assert [("stroke-dasharray" in svg, 'stroke-dasharray="2 3"' in svg) for svg in keys] == [(False, False), (True, False), (True, True)]


def test_no_text_is_inside_a_picture():
    """Text is HTML (readable, selectable, keeps its size); the pictures hold only lines and shapes."""
    html = chart(bands=[lc.Band(0, 5, "Band", "#E69F00")], rules=[lc.Rule("y", 50, "Rule", "#000")])
    assert all("<text" not in svg for svg in pictures(html))


def test_every_text_is_escaped():
    hostile = '<script>alert("x")</script>'
    html = chart(
        label=hostile,
        title=hostile,
        series=[lc.Series(hostile, ((1, 1), (2, 2)), "#000", mark="circle", notes=(hostile, ""))],
        x_axis=lc.LineAxis(0, 10, {5: hostile}, hostile),
        y_axis=lc.LineAxis(0, 10, {5: hostile}, hostile),
        bands=[lc.Band(1, 2, hostile, "#000")],
        rules=[lc.Rule("y", 5, hostile, "#000")],
    )
    assert "<script" not in html
    # the label, the title, two legend entries, the tooltip, two ticks, two axis titles, the band's and the rule's words
    assert html.count("&lt;script&gt;") == 11
    assert 'title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"' in html


def test_a_colour_cannot_break_out_of_its_attribute():
    html = chart(series=[lc.Series("Line", ((0, 0), (1, 1)), '#000" onload="x', mark="circle")])
    assert 'onload="x' not in html
    assert all('onload="x' not in svg for svg in pictures(html))


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10, [0, 2, 4, 6, 8, 10]),
        (0, 33, [0, 5, 10, 15, 20, 25, 30]),
        (40, 187, [40, 60, 80, 100, 120, 140, 160, 180]),
        (0, 1.1, [0, 0.2, 0.4, 0.6, 0.8, 1]),
    ],
)
def test_nice_ticks_are_round_numbers(low, high, expected):
    assert list(lc.nice_ticks(low, high)) == expected


def test_bad_specs_are_refused():
    with pytest.raises(ValueError, match="low < high"):
        lc.LineAxis(5, 5, {}, "")
    with pytest.raises(ValueError, match="dash"):
        lc.Series("x", (), "#000", dash="wavy")
    with pytest.raises(ValueError, match="mark"):
        lc.Series("x", (), "#000", mark="star")
    with pytest.raises(ValueError, match="neither"):
        lc.Series("x", (), "#000", mark=None, line=False)
