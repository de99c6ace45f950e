"""Evidence page: every table view, filters, download, in both audiences."""

from __future__ import annotations

from explainer import evidence_view
from tests.app.conftest import assert_clean, html_blocks, html_table_links, html_tables, open_page, page_text


def test_every_table_view_renders(audience):
    at = open_page("pages/evidence.py", audience)
    assert_clean(at)
    for view in evidence_view.VIEWS:
        at.selectbox(key="evidence_view").set_value(view).run()
        assert_clean(at)
        ((label, rows),) = html_tables(at).items()
        assert label == f"Data table: {evidence_view.VIEWS[view]}"
        assert len(rows) > 0
        links = html_table_links(at)[label]
        assert len(links) == len(rows) and all(link.split("#")[0].startswith("sources") for link in links)
        assert [link.split("#ref-")[1] for link in links] == [row["Source"] for row in rows]


def test_option_filter_narrows_the_table():
    at = open_page("pages/evidence.py")
    at.selectbox(key="evidence_view").set_value("timecourse").run()
    (everything,) = html_tables(at).values()
    at.multiselect(key="evidence_options").set_value(["ketamine_iv"]).run()
    assert_clean(at)
    (narrowed,) = html_tables(at).values()
    assert 0 < len(narrowed) < len(everything)
    assert {row["Option"] for row in narrowed} == {"Ketamine drip"}


def test_trainee_sees_confidence_intervals_patient_sees_out_of_100():
    trainee = page_text(open_page("pages/evidence.py", "trainee"))
    patient = page_text(open_page("pages/evidence.py", "patient"))
    assert "95% CI" in trainee
    assert "out of 100" in patient


def test_the_table_sources_line_reads_as_a_plural():
    at = open_page("pages/evidence.py")
    lines = [block for block in html_blocks(at) if block.startswith("<p><small>")]
    assert any(line.startswith("<p><small>Table sources: ") for line in lines), lines
    assert not any("tables:" in line for line in lines)


def test_both_levels_explain_the_2025_update_and_ketamines_status(audience):
    at = open_page("pages/evidence.py", audience)
    assert_clean(at)
    text = " ".join(page_text(at).split())
    assert "313" in text and "48,789" in text  # the size of NeuPSIG 2025
    assert "CRPS" in text and ("excluded" in text or "did not count CRPS as nerve pain" in text)
    assert "tramadol" in text.lower() and "2015" in text  # what moved, and which numbers are still 2015's
    assert "off-label" in text.lower() and "Schedule III" in text
    assert "2023" in text and "FDA" in text  # the warning about compounded and at-home ketamine
    assert "nerve pain condition called CRPS" not in text
