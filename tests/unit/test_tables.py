"""Data tables as HTML: headers, row headers, value formatting, escaping, links."""

from __future__ import annotations

import pandas as pd

from explainer import tables


def test_values_are_shown_plainly():
    assert tables.cell_text(None) == tables.cell_text(float("nan")) == tables.cell_text(pd.NA) == "—"
    assert tables.cell_text("  ") == "—"
    assert tables.cell_text(1440.0) == "1440"
    assert tables.cell_text(0.8167) == "0.817"
    assert tables.cell_text(9.38) == "9.38"
    assert tables.cell_text(True) == "yes" and tables.cell_text(False) == "no"
    assert tables.cell_text(7) == "7"
    assert tables.cell_text("1–3 days") == "1–3 days"


def test_a_table_has_headers_row_headers_and_a_labelled_region():
    frame = pd.DataFrame({"Option": ["Ketamine drip", "NSAIDs"], "From minutes": [1440.0, float("nan")]})
    html = tables.table_html(frame, "Onset: data table")
    assert html == (
        '<div id="table-onset-data-table" role="region" aria-label="Onset: data table" tabindex="0"><table>'
        '<thead><tr><th scope="col">Option</th><th scope="col">From minutes</th></tr></thead><tbody>'
        '<tr><th scope="row">Ketamine drip</th><td>1440</td></tr>'
        '<tr><th scope="row">NSAIDs</th><td>—</td></tr>'
        "</tbody></table></div>"
    )
    plain = tables.table_html(frame, "x", row_headers=False)
    assert 'scope="row"' not in plain and "<td>Ketamine drip</td>" in plain


def test_everything_is_escaped_and_links_only_where_asked():
    frame = pd.DataFrame({'<b>"Name"</b>': ["<script>x</script>"], "Source": ["finnerup2015"], "Note": ["see https://x.org"]})
    html = tables.table_html(frame, 'Label "quoted" <i>', links={"Source": lambda ref: f"sources?a=1&b=2#ref-{ref}"})
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;b&gt;&quot;Name&quot;&lt;/b&gt;" in html
    assert 'aria-label="Label &quot;quoted&quot; &lt;i&gt;"' in html
    assert '<td><a href="sources?a=1&amp;b=2#ref-finnerup2015">finnerup2015</a></td>' in html
    assert html.count("<a ") == 1  # the note's address stays text


def test_a_cell_naming_several_sources_links_each():
    frame = pd.DataFrame({"Option": ["A"], "Source": ["cohen2018; finnerup2015"]})
    html = tables.table_html(frame, "t", links={"Source": lambda ref: f"sources#ref-{ref}"})
    assert '<td><a href="sources#ref-cohen2018">cohen2018</a>; <a href="sources#ref-finnerup2015">finnerup2015</a></td>' in html


def test_a_missing_linked_value_is_not_linked_and_region_ids_are_slugs():
    frame = pd.DataFrame({"Option": ["A"], "Source": [None]})
    assert "<a " not in tables.table_html(frame, "t", links={"Source": str})
    assert tables.region_id("Trade-offs as a table: Try a ketamine drip") == "table-trade-offs-as-a-table-try-a-ketamine-drip"
    assert tables.region_id("???") == "table-data"


def test_listed_items_each_start_a_line():
    frame = pd.DataFrame({"Option": ["A", "B"], "Checks": ["Checked: pulse • Take care: <liver>", "Nothing listed"]})
    html = tables.table_html(frame, "t", line_breaks={"Checks": " • "})
    assert "<td>• Checked: pulse<br>• Take care: &lt;liver&gt;</td>" in html
    assert "<td>Nothing listed</td>" in html  # a single item keeps its plain text
