"""Evidence page: every table view, filters, download, in both audiences."""

from __future__ import annotations

from explainer import evidence_view
from tests.app.conftest import assert_clean, open_page


def test_every_table_view_renders(audience):
    at = open_page("pages/evidence.py", audience)
    assert_clean(at)
    for view in evidence_view.VIEWS:
        at.selectbox(key="evidence_view").set_value(view).run()
        assert_clean(at)
        table = at.dataframe[0].value
        assert len(table) > 0
        assert table["Source"].str.contains("sources").all()


def test_option_filter_narrows_the_table():
    at = open_page("pages/evidence.py")
    at.selectbox(key="evidence_view").set_value("timecourse").run()
    everything = len(at.dataframe[0].value)
    at.multiselect(key="evidence_options").set_value(["ketamine_iv"]).run()
    assert_clean(at)
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < everything
    assert set(narrowed["Option"]) == {narrowed["Option"].iloc[0]}


def test_trainee_sees_confidence_intervals_patient_sees_out_of_100():
    trainee = " ".join(m.value for m in open_page("pages/evidence.py", "trainee").markdown)
    patient = " ".join(m.value for m in open_page("pages/evidence.py", "patient").markdown)
    assert "95% CI" in trainee
    assert "out of 100" in patient
