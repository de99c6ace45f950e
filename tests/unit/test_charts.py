"""Chart builders: what is drawn matches the data, and every summary names every option."""

from __future__ import annotations

import math

import pytest

from explainer import charts, compare, evidence
from tests.conftest import ROOT

OPTIONS = ["ketamine_iv", "strong_opioids", "nsaids", "gabapentin", "pregabalin", "snri", "tca"]


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(ROOT / "data")


def _names(dataset, option_ids):
    return [dataset.option(o)["plain_name"] for o in option_ids]


@pytest.mark.parametrize("pain_type", compare.PAIN_TYPES)
def test_timeline_draws_every_established_range(dataset, pain_type):
    chart = charts.timeline(dataset, OPTIONS, pain_type)
    rows = compare.timecourse_rows(dataset, OPTIONS, pain_type)
    drawn = set()
    for trace in chart.figure.data:
        xs, ys = list(trace.x), list(trace.y)
        for start in range(0, len(xs), 3):  # segments are [low, high, None]
            drawn.add((round(ys[start], 2), xs[start], xs[start + 1]))
    expected = set()
    positions = {o: -i for i, o in enumerate(OPTIONS)}
    for row in rows[rows["status"] == "established"].to_dict("records"):
        y = round(positions[row["option_id"]] + charts.MEASURE_OFFSETS[row["measure"]], 2)
        low = max(row["low_minutes"], charts.AXIS_MIN_MINUTES)
        expected.add((y, low, max(row["high_minutes"], charts.AXIS_MIN_MINUTES)))
    assert drawn == expected
    assert len(chart.figure.layout.yaxis.tickvals) == len(OPTIONS)  # one row per option


def test_timeline_marks_tolerance_and_missing_data(dataset):
    chart = charts.timeline(dataset, OPTIONS, "neuropathic")
    labels = list(chart.figure.layout.yaxis.ticktext)
    assert any("tolerance" in label for label in labels if "Strong" in label)
    assert not any("tolerance" in label for label in labels if "Ketamine" in label)
    notes = [a.text for a in chart.figure.layout.annotations]
    assert notes.count("No timing figures in our sources") == 3  # opioids, gabapentin, amitriptyline


@pytest.mark.parametrize("builder", ["timeline", "icon_arrays", "forest"])
def test_every_summary_names_every_option(dataset, builder):
    chart = getattr(charts, builder)(dataset, OPTIONS, "neuropathic")
    for name in _names(dataset, OPTIONS):
        assert name in chart.summary, (builder, name)
    assert chart.sources and all(s in dataset.reference_ids for s in chart.sources)
    assert not chart.table.empty


def test_icon_arrays_add_up_to_one_hundred(dataset):
    chart = charts.icon_arrays(dataset, OPTIONS, "neuropathic")
    by_axis: dict[tuple[str, str], int] = {}
    for trace in chart.figure.data:
        key = (trace.xaxis, trace.yaxis)
        by_axis[key] = by_axis.get(key, 0) + len(trace.x)
    assert by_axis and set(by_axis.values()) == {100}
    # amitriptyline: NNT 3.6 -> 28 filled marks in its 'helped' grid
    tca_row = OPTIONS.index("tca")
    axis_number = 2 * tca_row + 1
    filled = [t for t in chart.figure.data if t.xaxis == f"x{axis_number}" and t.marker.symbol == "circle"]
    assert len(filled[0].x) == 28
    assert "About 28 more had their pain cut by half" in chart.summary
    assert "from 23 to 33" in chart.summary


def test_icon_arrays_say_when_there_is_no_number(dataset):
    chart = charts.icon_arrays(dataset, ["ketamine_iv"], "neuropathic")
    assert "Our sources give no number" in chart.summary
    assert not chart.figure.data  # nothing drawn that could be read as a number


def test_forest_points_and_intervals_match_the_data(dataset):
    chart = charts.forest(dataset, OPTIONS, "neuropathic")
    nnt = chart.figure.data[0]
    assert list(nnt.x) == [4.3, 7.2, 7.7, 6.4, 3.6]  # opioids, gabapentin, pregabalin, SNRI, TCA
    tca = list(nnt.x).index(3.6)
    assert math.isclose(nnt.error_x.array[tca], 0.8) and math.isclose(nnt.error_x.arrayminus[tca], 0.6)
    assert "not reported" in [a.text for a in chart.figure.layout.annotations]


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
