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
        '<div id="table-onset-data-table" role="region" aria-label="Onset: data table" tabindex="0"><table role="table">'
        '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Option</th>'
        '<th scope="col" role="columnheader">From minutes</th></tr></thead><tbody role="rowgroup">'
        '<tr role="row"><th scope="row" role="rowheader" data-label="Option">Ketamine drip</th>'
        '<td role="cell" data-label="From minutes">1440</td></tr>'
        '<tr role="row"><th scope="row" role="rowheader" data-label="Option">NSAIDs</th>'
        '<td role="cell" data-label="From minutes"><span class="tb-dash" aria-hidden="true">—</span>'
        '<span class="tb-missing">not given</span></td></tr>'
        "</tbody></table></div>"
    )
    plain = tables.table_html(frame, "x", row_headers=False)
    assert 'scope="row"' not in plain and '<td role="cell" data-label="Option">Ketamine drip</td>' in plain


def test_a_wide_table_becomes_cards_on_a_phone_and_a_narrow_one_stays_a_table():
    wide = pd.DataFrame({"Option": ["Ketamine drip"], "Where": ["Hospital"], "How often": ["Weekly"]})
    assert '<div id="table-t" class="tb-cards" role="region"' in tables.table_html(wide, "t")
    assert 'class="tb-cards"' not in tables.table_html(wide, "t", cards=False)
    narrow = wide[["Option", "Where"]]
    assert 'class="tb-cards"' not in tables.table_html(narrow, "t")
    assert 'class="tb-cards"' in tables.table_html(narrow, "t", cards=True)


def test_every_cell_names_its_column_and_the_first_cell_heads_the_row():
    frame = pd.DataFrame({"Option": ["A", "B"], "Where": ["Home", None], "How often": ["Daily", "  "]})
    html = tables.table_html(frame, "t")
    body = html.split("<tbody")[1]
    assert body.count('<th scope="row" role="rowheader" data-label="Option">') == 2  # each card's heading
    assert body.count('data-label="Where"') == body.count('data-label="How often"') == 2
    assert body.count("<td ") == body.count("data-label=") - 2 == 4  # every value cell is labelled
    assert body.count(f'<span class="tb-missing">{tables.MISSING_WORDS}</span>') == 2  # a blank cell says so in words
    assert html.count('role="columnheader"') == 3 and html.count('role="row"') == 3 and html.count('role="cell"') == 4


def test_a_value_that_names_its_column_is_not_labelled_twice():
    frame = pd.DataFrame({"Option": ["A", "B"], "How often": ["How often: not reported", "Daily"], "c": ["x", "y"]})
    html = tables.table_html(frame, "t")
    assert html.count('data-label="How often" class="tb-said"') == 1
    assert "td.tb-said::before { content: none; }" in tables.CSS


def test_column_names_are_escaped_in_their_labels():
    frame = pd.DataFrame({'<b>"Name"</b>': ["x"], "a & b": ["y"], "c": ["z"]})
    html = tables.table_html(frame, "t")
    assert 'data-label="&lt;b&gt;&quot;Name&quot;&lt;/b&gt;"' in html and 'data-label="a &amp; b"' in html
    assert "<b>" not in html


def test_the_phone_css_lays_out_cards_and_keeps_the_labels_from_screen_readers():
    css = tables.CSS
    assert "@container (max-width: 640px)" in css and "div.tb-cards" in css and "container-type: inline-size" in css
    assert 'content: attr(data-label) ": " / "";' in css  # the shown name has empty alternative text
    assert "<script" not in css.lower()


def test_everything_is_escaped_and_links_only_where_asked():
    frame = pd.DataFrame({'<b>"Name"</b>': ["<script>x</script>"], "Source": ["finnerup2015"], "Note": ["see https://x.org"]})
    html = tables.table_html(frame, 'Label "quoted" <i>', links={"Source": lambda ref: f"sources?a=1&b=2#ref-{ref}"})
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;b&gt;&quot;Name&quot;&lt;/b&gt;" in html
    assert 'aria-label="Label &quot;quoted&quot; &lt;i&gt;"' in html
    assert '<td role="cell" data-label="Source"><a href="sources?a=1&amp;b=2#ref-finnerup2015">finnerup2015</a></td>' in html
    assert html.count("<a ") == 1  # the note's address stays text


def test_a_cell_naming_several_sources_links_each():
    frame = pd.DataFrame({"Option": ["A"], "Source": ["cohen2018; finnerup2015"]})
    html = tables.table_html(frame, "t", links={"Source": lambda ref: f"sources#ref-{ref}"})
    assert '<a href="sources#ref-cohen2018">cohen2018</a>; <a href="sources#ref-finnerup2015">finnerup2015</a></td>' in html


def test_a_missing_linked_value_is_not_linked_and_region_ids_are_slugs():
    frame = pd.DataFrame({"Option": ["A"], "Source": [None]})
    assert "<a " not in tables.table_html(frame, "t", links={"Source": str})
    assert tables.region_id("Trade-offs as a table: Try a ketamine drip") == "table-trade-offs-as-a-table-try-a-ketamine-drip"
    assert tables.region_id("???") == "table-data"


def test_listed_items_each_start_a_line():
    frame = pd.DataFrame({"Option": ["A", "B"], "Checks": ["Checked: pulse • Take care: <liver>", "Nothing listed"]})
    html = tables.table_html(frame, "t", line_breaks={"Checks": " • "})
    assert '<td role="cell" data-label="Checks">• Checked: pulse<br>• Take care: &lt;liver&gt;</td>' in html
    assert '<td role="cell" data-label="Checks">Nothing listed</td>' in html  # a single item keeps its plain text
