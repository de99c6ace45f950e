"""Chart builders: what is drawn matches the data, and every summary names every option."""

from __future__ import annotations

import html
import math
from html.parser import HTMLParser

import pytest

from explainer import charts, compare, evidence
from tests.conftest import ROOT

OPTIONS = ["ketamine_iv", "strong_opioids", "nsaids", "gabapentin", "pregabalin", "snri", "tca"]


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(ROOT / "data")


def _names(dataset, option_ids):
    return [dataset.option(o)["plain_name"] for o in option_ids]


class _Drawing(HTMLParser):
    """Read a chart drawn by explainer.chart_html: each row's name and the marks in its tracks."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: list[dict] = []
        self.region: dict[str, str] = {}
        self._in_name = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        classes = (attributes.get("class") or "").split()
        if attributes.get("role") == "img":
            self.region = attributes
        if "xc-row" in classes:
            self.rows.append({"name": "", "marks": [], "cells": []})
        elif "xc-name" in classes:
            if not self.rows or self.rows[-1]["name"]:
                self.rows.append({"name": "", "marks": [], "cells": []})
            self._in_name = True
        elif self.rows and tag == "span" and ("xc-bar" in classes or "xc-mark" in classes or "xc-ci" in classes):
            style = dict(part.split(": ", 1) for part in (attributes.get("style") or "").split("; ") if part)
            self.rows[-1]["marks"].append({"classes": classes, **style})
        elif self.rows and "xc-cells" in classes:
            self.rows[-1]["cells"].append([])
        elif self.rows and tag == "i" and self.rows[-1]["cells"]:
            self.rows[-1]["cells"][-1].append(attributes.get("class") or "")

    def handle_endtag(self, tag):
        if tag == "p":
            self._in_name = False

    def handle_data(self, data):
        if self._in_name:
            self.rows[-1]["name"] += data


def _percent(value: str) -> float:
    assert value.endswith("%"), value
    return float(value[:-1])


@pytest.mark.parametrize("pain_type", compare.PAIN_TYPES)
def test_timeline_draws_every_established_range(dataset, pain_type):
    chart = charts.timeline(dataset, OPTIONS, pain_type)
    assert chart.figure is None and chart.html
    drawing = _Drawing(chart.html)
    assert [row["name"].split(" ▲")[0] for row in drawing.rows] == _names(dataset, OPTIONS)  # one row per option, in order
    colours = {colour: measure for measure, (_, colour, _) in charts.MEASURES.items()}
    drawn = set()
    for option_id, row in zip(OPTIONS, drawing.rows, strict=True):
        for mark in row["marks"]:
            left = _percent(mark["left"])
            drawn.add((option_id, colours[mark["--c"]], left, round(left + _percent(mark["width"]), 1), "xc-other" not in mark["classes"]))
    rows = compare.timecourse_rows(dataset, OPTIONS, pain_type)
    expected = set()
    for row in rows[rows["status"] == "established"].to_dict("records"):
        low = charts.TIME_AXIS.position(max(row["low_minutes"], charts.AXIS_MIN_MINUTES))
        high = charts.TIME_AXIS.position(max(row["high_minutes"], charts.AXIS_MIN_MINUTES))
        expected.add((row["option_id"], row["measure"], low, round(high, 1), bool(row["direct"])))
    assert len(drawn) == len(expected) > 0
    assert sorted(drawn, key=str) == sorted(expected, key=str)
    # Each measure keeps its own shape, so colour is not the only cue; ranges from other pain types are dotted.
    for row in drawing.rows:
        for mark in row["marks"]:
            measure = colours[mark["--c"]]
            assert f"xc-{charts.SHAPE_OF[charts.MEASURES[measure][2]]}" in mark["classes"]
    if pain_type != "neuropathic":
        assert any("xc-other" in mark["classes"] for row in drawing.rows for mark in row["marks"])


def test_timeline_marks_tolerance_and_missing_data(dataset):
    chart = charts.timeline(dataset, OPTIONS, "neuropathic")
    names = [row["name"] for row in _Drawing(chart.html).rows]
    assert any("tolerance" in name for name in names if "Strong" in name)
    assert not any("tolerance" in name for name in names if "Ketamine" in name)
    assert chart.html.count("No timing figures in our sources") == 3  # opioids, gabapentin, amitriptyline
    assert 'title="Pregabalin: time to first relief 4–5 days"' in chart.html  # each bar's figures, as a tooltip
    assert "How fast" not in chart.html and "how long it lasts" in _Drawing(chart.html).region["aria-label"]


@pytest.mark.parametrize("builder", ["timeline", "icon_arrays", "forest"])
def test_every_summary_names_every_option(dataset, builder):
    chart = getattr(charts, builder)(dataset, OPTIONS, "neuropathic")
    for name in _names(dataset, OPTIONS):
        assert name in chart.summary, (builder, name)
        assert html.escape(name) in chart.html, (builder, name)
    assert chart.sources and all(s in dataset.reference_ids for s in chart.sources)
    assert not chart.table.empty


def test_icon_arrays_add_up_to_one_hundred(dataset):
    chart = charts.icon_arrays(dataset, OPTIONS, "neuropathic")
    drawing = _Drawing(chart.html)
    grids = [cells for row in drawing.rows for cells in row["cells"]]
    assert grids and {len(cells) for cells in grids} == {100}
    # amitriptyline: NNT 3.6 -> 28 filled marks in its 'helped' grid, then the 72 others
    tca = next(row for row in drawing.rows if row["name"] == "Amitriptyline")
    helped = tca["cells"][0]
    assert helped.count("xc-helped") == 28 and helped[:28] == ["xc-helped"] * 28 and set(helped[28:]) == {""}
    assert "Helped</b>: 28 in 100 (23–33)" in chart.html
    assert "About 28 more had their pain cut by half" in chart.summary
    assert "from 23 to 33" in chart.summary


def test_icon_arrays_say_when_there_is_no_number(dataset):
    chart = charts.icon_arrays(dataset, ["ketamine_iv"], "neuropathic")
    assert "Our sources give no number" in chart.summary
    assert "xc-cells" not in chart.html  # nothing drawn that could be read as a number
    assert chart.html.count("no number in our sources") == 2


def test_forest_points_and_intervals_match_the_data(dataset):
    chart = charts.forest(dataset, OPTIONS, "neuropathic")
    drawing = _Drawing(chart.html)
    nnt_points = [
        _percent(mark["left"])
        for row in drawing.rows
        for mark in row["marks"]
        if "xc-mark" in mark["classes"] and "xc-circle" in mark["classes"]
    ]
    expected = [charts.RATIO_AXIS.position(v) for v in (4.3, 7.2, 7.7, 6.4, 3.6)]  # opioids, gabapentin, pregabalin, SNRI, TCA
    assert nnt_points == expected
    tca = next(row for row in drawing.rows if row["name"] == "Amitriptyline")
    interval = next(mark for mark in tca["marks"] if "xc-ci" in mark["classes"])  # NNT 3.6 (3 to 4.4)
    assert _percent(interval["left"]) == charts.RATIO_AXIS.position(3)
    assert math.isclose(_percent(interval["left"]) + _percent(interval["width"]), charts.RATIO_AXIS.position(4.4), abs_tol=0.02)
    assert "not reported" in chart.html


def test_side_effect_table_has_text_in_every_cell(dataset):
    chart = charts.side_effect_matrix(dataset, OPTIONS)
    assert chart.grid.shape[0] == len(OPTIONS)
    assert chart.grid.shape == chart.colours.shape
    assert chart.grid.notna().all().all()
    assert chart.grid.loc["Gabapentin", "Sleepy, dizzy"] == "26%"  # the most frequent named effect
    assert chart.grid.loc["Ketamine drip", "Liver, bladder"] == "listed ⚠"
    for name in _names(dataset, OPTIONS):
        assert name in chart.summary
    assert "22% (placebo 6%)" in chart.summary


def test_side_effect_grid_html_is_a_labelled_escaped_table(dataset):
    chart = charts.side_effect_matrix(dataset, OPTIONS)
    html = charts.grid_html(chart, 'Side effects "by" option')
    assert html.startswith('<div id="side-effect-grid" role="region" aria-label="Side effects &quot;by&quot; option" tabindex="0"><table>')
    assert html.count('<th scope="row">') == len(OPTIONS)
    assert html.count('<th scope="col">') == chart.grid.shape[1] + 1  # the options column, then one per group
    assert html.count("<td") == chart.grid.size
    # the band's colours and the number travel together, so colour is not the only cue
    fill, ink = charts.BANDS[3][1:]
    assert f'<td style="background-color: {fill}; color: {ink}">26%</td>' in html
    # data text is escaped; a missing cell shows a dash without colour
    grid = chart.grid.copy()
    grid.iloc[0, 0] = "<b>12%</b> & more"
    grid.iloc[0, 1] = None
    colours = chart.colours.copy()
    colours.iloc[0, 1] = None
    hostile = charts.Chart(None, "", chart.table, [], grid=grid, colours=colours)
    escaped = charts.grid_html(hostile, "x")
    assert "&lt;b&gt;12%&lt;/b&gt; &amp; more</td>" in escaped and "<b>" not in escaped
    assert "<td>—</td>" in escaped
    with pytest.raises(ValueError, match="coloured table"):
        charts.grid_html(charts.Chart(None, "", chart.table, []), "x")


def test_values_chart_orders_by_score():
    import pandas as pd

    ranking = pd.DataFrame(
        {"rank": [1, 2], "option_id": ["a", "b"], "option": ["A", "B"], "score": [0.9, 0.4], "arithmetic": ["", ""], "unknown": ["", ""]}
    )
    chart = charts.values_chart(ranking)
    assert list(chart.figure.data[0].x) == [0.9, 0.4]
    assert "A 0.90, B 0.40" in chart.summary
    empty = charts.values_chart(ranking.iloc[0:0])
    assert "nothing to line up" in empty.summary


def test_short_label_wraps_long_names():
    assert charts.short_label("Anti-inflammatory painkillers (NSAIDs)").count("<br>") >= 1
    assert charts.short_label("Gabapentin") == "Gabapentin"
