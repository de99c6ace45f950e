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
@pytest.mark.parametrize("show_other", [False, True])
def test_timeline_draws_every_known_range(dataset, pain_type, show_other):
    chart = charts.timeline(dataset, OPTIONS, pain_type, show_other)
    drawing = _Drawing(chart.html)
    assert [row["name"].split(" ▲")[0] for row in drawing.rows] == _names(dataset, OPTIONS)  # one row per option, in order
    colours = {colour: measure for measure, (_, colour, _) in charts.MEASURES.items()}
    drawn = set()
    for option_id, row in zip(OPTIONS, drawing.rows, strict=True):
        for mark in row["marks"]:
            right = round(_percent(mark["left"]) + _percent(mark["width"]), 1)
            drawn.add((option_id, colours[mark["--c"]], right, "xc-other" not in mark["classes"], "xc-upto" in mark["classes"]))
    rows = compare.timecourse_rows(dataset, OPTIONS, pain_type, show_other)
    expected = set()
    for row in rows[rows["state"].isin(["known", "other"])].to_dict("records"):
        high = charts.TIME_AXIS.position(max(row["high_minutes"], charts.AXIS_MIN_MINUTES))
        expected.add((row["option_id"], row["measure"], round(high, 1), row["state"] == "known", row["bound"] == "up_to"))
    assert sorted(drawn, key=str) == sorted(expected, key=str)
    # Each measure keeps its own shape, so colour is not the only cue; ranges from other pain types are dotted.
    for row in drawing.rows:
        for mark in row["marks"]:
            assert f"xc-{charts.MEASURES[colours[mark['--c']]][2]}" in mark["classes"]
    assert any("xc-other" in mark["classes"] for row in drawing.rows for mark in row["marks"]) == show_other


def test_an_up_to_range_is_an_arrow_from_its_first_point_never_from_the_axis_edge(dataset):
    drawing = _Drawing(charts.timeline(dataset, ["ketamine_iv", "capsaicin_8"], "crps", show_other=True).html)
    edge = charts.TIME_AXIS.position(charts.AXIS_MIN_MINUTES)
    for row in drawing.rows:
        for mark in row["marks"]:
            assert _percent(mark["left"]) > edge + 5, (row["name"], mark)
    ketamine = drawing.rows[0]["marks"]
    after = next(m for m in ketamine if "xc-upto" in m["classes"] and "xc-other" not in m["classes"])  # CRPS: from 1 week up to 12 weeks
    assert _percent(after["left"]) == charts.TIME_AXIS.position(10080) and "xc-open" not in after["classes"]
    capsaicin = next(m for m in drawing.rows[1]["marks"] if "xc-upto" in m["classes"])  # up to 12 weeks, start unknown
    assert "xc-open" in capsaicin["classes"]


def test_every_mark_and_sentence_names_the_pain_it_was_measured_in(dataset):
    chart = charts.timeline(dataset, ["ketamine_iv"], "neuropathic", show_other=True)
    assert chart.html.count('class="xc-tag"') == len(_Drawing(chart.html).rows[0]["marks"])
    assert ">CRPS</span>" in chart.html and ">nerve pain</span>" in chart.html
    assert "measured in CRPS, not nerve pain" in chart.summary
    assert set(chart.table["Measured in"]) >= {"CRPS", "nerve pain"}
    hidden = charts.timeline(dataset, ["ketamine_iv"], "neuropathic")
    assert "CRPS" not in hidden.html and "CRPS" not in hidden.summary and "CRPS" not in set(hidden.table["Measured in"])


def test_timeline_marks_tolerance_and_missing_data(dataset):
    chart = charts.timeline(dataset, OPTIONS, "neuropathic")
    names = [row["name"] for row in _Drawing(chart.html).rows]
    assert any("tolerance" in name for name in names if "Strong" in name)
    assert not any("tolerance" in name for name in names if "Ketamine" in name)
    assert chart.html.count("No timing figures for this pain in our sources") == 2  # NSAIDs, amitriptyline
    assert 'title="Pregabalin: time to first relief 4–5 days, measured in nerve pain"' in chart.html  # each bar's figures, as a tooltip
    crps = charts.timeline(dataset, ["gabapentin"], "crps")
    assert "Not studied for this pain in our sources" in crps.html and "not studied for this pain" in crps.summary


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
    assert "Helped</b>: 28 in 100 (23–33), at least 50% pain relief" in chart.html
    assert "Amitriptyline: helped 28 more in 100 (23–33) (at least 50% pain relief)" in chart.summary


def test_icon_arrays_say_when_there_is_no_number(dataset):
    chart = charts.icon_arrays(dataset, ["ketamine_iv"], "neuropathic")
    assert "no number in our sources" in chart.summary
    assert "xc-cells" not in chart.html  # nothing drawn that could be read as a number
    assert chart.html.count("no number in our sources") == 2
    crps = charts.icon_arrays(dataset, ["gabapentin"], "crps")
    assert crps.html.count("not studied for this pain in our sources") == 2


def test_certainty_is_never_a_default(dataset):
    rows = charts.benefit_harm_rows(dataset, ["ketamine_iv", "tca"], "neuropathic").set_index(["option_id", "outcome"])
    assert rows.loc[("ketamine_iv", "nnt"), "certainty"] is None  # no NNT row: no certainty shown for one
    assert rows.loc[("tca", "nnt"), "certainty"] == "moderate"
    assert "certainty" not in charts.icon_arrays(dataset, ["ketamine_iv"], "neuropathic").summary


def test_forest_points_and_intervals_match_the_data(dataset):
    chart = charts.forest(dataset, OPTIONS, "neuropathic")
    drawing = _Drawing(chart.html)
    nnt_points = [
        _percent(mark["left"])
        for row in drawing.rows
        for mark in row["marks"]
        if "xc-mark" in mark["classes"] and "xc-circle" in mark["classes"]
    ]
    expected = [
        charts.RATIO_AXIS.position(v) for v in (4.3, 6.3, 7.7, 6.4, 3.6)
    ]  # opioids, gabapentin (IR, as its NNH), pregabalin, SNRI, TCA
    assert nnt_points == expected
    tca = next(row for row in drawing.rows if row["name"] == "Amitriptyline")
    interval = next(mark for mark in tca["marks"] if "xc-ci" in mark["classes"])  # NNT 3.6 (3 to 4.4)
    assert _percent(interval["left"]) == charts.RATIO_AXIS.position(3)
    assert math.isclose(_percent(interval["left"]) + _percent(interval["width"]), charts.RATIO_AXIS.position(4.4), abs_tol=0.02)
    assert "not reported" in chart.html


@pytest.mark.parametrize("audience", ["patient", "trainee"])
def test_harms_are_grouped_by_severity_with_a_frequency_band(dataset, audience):
    chart = charts.harms(dataset, OPTIONS, "neuropathic", audience=audience)
    for name in _names(dataset, OPTIONS):
        assert html.escape(name) in chart.html and name in chart.summary
    # Most severe first within each option; every chip names its band, so colour is a second cue.
    strong = chart.html.split(html.escape("Strong opioids"))[1].split("</details>")[0]
    assert strong.index("Can be life-threatening") < strong.index("Serious") < strong.index("Bothersome")
    assert "How often: not reported" in chart.html and "Very common" in chart.html
    gabapentin = chart.table[(chart.table["Option"] == "Gabapentin") & (chart.table["Side effect"] == "Sleepiness")].iloc[0]
    assert (gabapentin["How often"], gabapentin["With treatment"], gabapentin["With placebo"]) == ("Very common", "22%", "6%")
    if audience == "trainee":
        assert "Very common (22%; placebo 6%)" in chart.html
    assert "Get help if:" in chart.html  # the breathing warning's signs to act on
    assert "sigtermans2009" not in set(chart.table["source_id"])  # a CRPS figure is not shown for nerve pain


def test_harms_from_other_pain_types_are_marked(dataset):
    chart = charts.harms(dataset, ["ketamine_iv"], "neuropathic", show_other=True)
    assert "measured in CRPS, not your kind of pain" in chart.html
    assert "(measured in CRPS, not nerve pain)" in chart.summary
    assert "no" in set(chart.table["Matches your kind of pain"])


def test_harms_text_is_escaped():
    drawing = charts.chart_html.harms_html(
        "x", {"serious": "Serious"}, {}, [("<b>A</b>", [charts.chart_html.Harm("<i>x</i>", "serious", "common", "Common", "a & b")])]
    )
    assert "<b>A</b>" not in drawing and "&lt;i&gt;x&lt;/i&gt;" in drawing and "a &amp; b" in drawing


def test_values_chart_orders_by_score_and_names_what_it_rests_on():
    import pandas as pd

    ranking = pd.DataFrame(
        {
            "rank": [1, 2, None],
            "option_id": ["a", "b", "c"],
            "option": ["A", "B", "C"],
            "score": [0.9, 0.4, None],
            "based_on": ["5 of 5", "3 of 5", "2 of 5"],
            "arithmetic": ["", "", ""],
            "unscored": ["", "", ""],
        }
    )
    chart = charts.values_chart(ranking)
    assert chart.html.index(">A<") < chart.html.index(">B<") < chart.html.index(">C<")
    assert "A 0.90 (based on 5 of 5 criteria), B 0.40 (based on 3 of 5 criteria), C can't be scored" in chart.summary
    assert "can&#x27;t be scored" in chart.html or "can't be scored" in chart.html
    empty = charts.values_chart(ranking.iloc[0:0])
    assert "nothing to line up" in empty.summary


@pytest.mark.parametrize("builder", ["timeline", "icon_arrays", "forest", "harms"])
def test_tried_options_are_marked_in_every_chart(dataset, builder):
    chart = getattr(charts, builder)(dataset, OPTIONS, "neuropathic", tried=frozenset({"gabapentin"}))
    assert "Gabapentin ✓ tried" in chart.html and "Gabapentin ✓ tried" in chart.summary
    assert "Pregabalin ✓ tried" not in chart.html
