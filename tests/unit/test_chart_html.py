"""Charts drawn as HTML: positions on a log axis, escaping, and what a screen reader is told."""

from __future__ import annotations

import pytest

from explainer import chart_html as ch

AXIS = ch.Axis(1, 100, {1: "1", 10: "10", 100: "100"})
MEASURES = {"first": ch.Measure("First <relief>", "#0072B2", "circle"), "later": ch.Measure("Later", "#E69F00", "diamond")}


@pytest.mark.parametrize(("value", "expected"), [(1, 0.0), (10, 50.0), (100, 100.0), (0.5, 0.0), (1000, 100.0), (3, 23.86)])
def test_log_position_is_a_clamped_percentage(value, expected):
    assert ch.log_position(value, 1, 100) == expected


@pytest.mark.parametrize(("value", "low", "high"), [(0, 1, 10), (5, 0, 10), (5, 10, 10), (-1, 1, 10)])
def test_log_position_refuses_values_a_log_scale_cannot_place(value, low, high):
    with pytest.raises(ValueError, match="positive"):
        ch.log_position(value, low, high)


def test_timeline_escapes_every_text_and_names_its_region():
    rows = [
        ch.TimelineRow("<b>Drug</b>", "▲ <i>note</i>", (ch.Range("first", 1, 10), ch.Range("later", 10, 100, direct=False))),
        ch.TimelineRow("Other & co", "", ()),
    ]
    out = ch.timeline_html('Chart "one" <x>', MEASURES, rows, AXIS, "Time <log>")
    assert "<b>Drug</b>" not in out and "&lt;b&gt;Drug&lt;/b&gt;" in out
    assert "&lt;i&gt;note&lt;/i&gt;" in out and "Other &amp; co" in out
    assert "First &lt;relief&gt;" in out and "Time &lt;log&gt;" in out
    assert out.startswith('<div class="xc xc-timeline" role="img" aria-label="Chart &quot;one&quot; &lt;x&gt;">')
    # The first range spans the first half of the axis, the second the rest, dotted (another pain type).
    assert 'class="xc-bar xc-circle" style="top: 25.0%; left: 0.0%; width: 50.0%; --c: #0072B2"' in out
    assert 'class="xc-bar xc-diamond xc-other" style="top: 75.0%; left: 50.0%; width: 50.0%; --c: #E69F00"' in out
    assert out.count("No timing figures in our sources") == 1  # the row without ranges says so


def test_a_range_of_one_point_is_drawn_with_no_width():
    out = ch.timeline_html("t", MEASURES, [ch.TimelineRow("A", "", (ch.Range("first", 10, 10),))], AXIS, "")
    assert "left: 50.0%; width: 0.0%" in out


def test_icon_arrays_fill_the_extra_people_and_draw_nothing_without_a_number():
    legend = {"helped": "helped <b>", "stopped": "stopped", "rest": "everyone else"}
    options = [
        ("A", [ch.IconArray("Helped", "helped", 28, "28 in 100 (23–33)"), ch.IconArray("Stopped", "stopped", None, "no number")]),
        ("B", [ch.IconArray("Helped", "helped", 140, "all"), ch.IconArray("Stopped", "stopped", -3, "none")]),
    ]
    out = ch.icon_arrays_html("Grids", legend, options)
    assert "helped &lt;b&gt;" in out
    assert out.count('<div class="xc-cells">') == 3  # A's 'stopped' grid has no number, so no grid
    assert out.count('<i class="xc-helped"></i>') == 28 + 100 + 1  # A, B (clamped to 100) and the legend
    assert out.count('<i class="xc-stopped"></i>') == 1  # only the legend: B's -3 is clamped to none
    assert out.count("<i></i>") == 72 + 0 + 100 + 1  # the rest of each grid and the legend


def test_forest_draws_points_intervals_and_what_is_missing():
    panels = (ch.Panel("NNT", "#0072B2", "circle"), ch.Panel("NNH", "#D55E00", "square"))
    rows = [("A", [ch.Estimate(10, 3, 30), ch.Estimate(None)]), ("B", [ch.Estimate(100), ch.Estimate(1, None, 3)])]
    out = ch.forest_html("Forest", panels, rows, AXIS, "Log scale", "not reported")
    assert 'class="xc-ci" style="left: 23.86%; width: 50.0%; --c: #0072B2"' in out  # 3 to 30
    assert 'class="xc-mark xc-circle" style="left: 50.0%; --c: #0072B2"' in out
    assert 'class="xc-mark xc-circle" style="left: 100.0%; --c: #0072B2"' in out  # no interval given: the point alone
    assert 'class="xc-mark xc-square" style="left: 0.0%; --c: #D55E00"' in out
    assert out.count('class="xc-ci"') == 1 and out.count("not reported") == 1


def test_marks_carry_their_figures_as_an_escaped_tooltip():
    row = ch.TimelineRow("A", "", (ch.Range("first", 1, 10, text='A: "first" <b>1–10</b>'),))
    out = ch.timeline_html("t", MEASURES, [row], AXIS, "")
    assert 'title="A: &quot;first&quot; &lt;b&gt;1–10&lt;/b&gt;"' in out
    panels = (ch.Panel("NNT", "#0072B2", "circle"),)
    out = ch.forest_html("f", panels, [("A", [ch.Estimate(4, 3, 5, text="A: 4 (3 to 5)")])], AXIS, "", "not reported")
    assert 'title="A: 4 (3 to 5)"' in out
