"""Compare page in Chromium: charts and the side-effect table draw at desktop and phone width, the CSV download works."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import run_axe, wait_for_app

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_charts_render_without_sideways_scrolling(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{server}/compare")
        wait_for_app(page)
        # Every chart is HTML (explainer.chart_html): no Plotly on Compare, even with the exercise open.
        drawings = page.locator('[data-testid="stHtml"] > .xc[role="img"]')
        assert drawings.count() == 2
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
        for index in range(drawings.count()):
            drawing = drawings.nth(index)
            drawing.scroll_into_view_if_needed()
            box = drawing.bounding_box()
            assert box and box["width"] <= width and box["height"] > 150
            assert drawing.evaluate("e => e.scrollWidth <= e.clientWidth"), "a chart is cut off at the side"
            assert drawing.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14  # text is not shrunk on a phone
            assert "Amitriptyline" in drawing.inner_text()
        assert "No timing figures for this pain in our sources" in drawings.first.inner_text()
        exercise = page.locator(".st-key-cmp_values_open summary")
        exercise.scroll_into_view_if_needed()
        exercise.click()
        page.get_by_role("slider", name="Fast relief").wait_for()
        wait_for_app(page)
        bars = page.locator('[data-testid="stHtml"] > .xc-values')
        bars.scroll_into_view_if_needed()
        assert bars.evaluate("e => e.scrollWidth <= e.clientWidth")
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
        assert not page.evaluate("performance.getEntriesByType('resource').some(e => e.name.includes('/PlotlyChart.'))")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


def test_the_grid_scrolls_sideways_on_a_phone_with_its_questions_in_view(server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/compare")
        wait_for_app(page)
        grid = page.get_by_role("region", name="The options side by side for nerve pain (neuropathic)")
        grid.scroll_into_view_if_needed()
        assert grid.get_by_role("rowheader").count() == 8  # the questions
        assert grid.get_by_role("columnheader").count() == 7  # the options
        assert page.get_by_text("Scroll sideways to see every option →").is_visible()  # the cue shows on a phone
        assert grid.evaluate("e => e.scrollWidth > e.clientWidth")  # it does scroll ...
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # ... inside itself, not the page
        question = grid.get_by_role("rowheader").first
        before = question.bounding_box()["x"]
        grid.evaluate("e => { e.scrollLeft = 600; }")
        page.wait_for_timeout(100)
        assert abs(question.bounding_box()["x"] - before) < 1, "the question column scrolled away"
        # A not-studied answer looks different from a no-figure one, by sign and pattern, not only colour.
        page.get_by_text("CRPS (complex regional pain syndrome)").click()
        wait_for_app(page)
        crps = page.get_by_role("region", name="The options side by side for CRPS (complex regional pain syndrome)")
        crps.scroll_into_view_if_needed()
        cell = crps.locator("td.og-not_studied").first
        assert "⊘" in cell.inner_text() and "Not studied for this pain" in cell.inner_text()
        assert "repeating-linear-gradient" in cell.evaluate("e => getComputedStyle(e).backgroundImage")
    finally:
        context.close()


def test_the_grid_prints_on_a4_without_scrolling(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server}/compare")
        wait_for_app(page)
        page.emulate_media(media="print")
        grid = page.locator(".og-scroll")
        assert grid.evaluate("e => getComputedStyle(e).overflowX") == "visible"
        assert grid.evaluate("e => getComputedStyle(e.querySelector('th[scope=row]')).position") == "static"
        assert page.pdf(format="A4")[:4] == b"%PDF"
    finally:
        context.close()


def test_up_to_times_are_open_ended_arrows_and_marks_name_their_pain(server, watched):
    page = watched.page
    page.goto(f"{server}/compare?pain=crps&options=ketamine_iv&other=1")
    wait_for_app(page)
    timeline = page.locator(".xc-timeline")
    timeline.scroll_into_view_if_needed()
    arrows = timeline.locator(".xc-bar.xc-upto")
    assert arrows.count() >= 2  # CRPS (known) and other pain types (dotted)
    edge = timeline.locator(".xc-track").first.bounding_box()["x"]
    for index in range(arrows.count()):
        assert arrows.nth(index).bounding_box()["x"] > edge + 20, "an 'up to' range starts at the axis edge"
    assert "up to 12 weeks (measured from 1 week)" in (arrows.first.get_attribute("title") or "") or any(
        "up to 12 weeks" in (arrows.nth(i).get_attribute("title") or "") for i in range(arrows.count())
    )
    tags = timeline.locator(".xc-tag").all_inner_texts()
    assert "CRPS" in tags and "nerve pain" in tags
    assert timeline.locator(".xc-bar.xc-other").count() >= 1
    assert not watched.errors, watched.errors


def test_side_effects_show_bands_and_severity(server, watched):
    page = watched.page
    page.goto(f"{server}/compare?options=gabapentin,strong_opioids&audience=trainee")
    wait_for_app(page)
    harms = page.get_by_role(
        "group",
        name="Side effects of each option grouped by how serious they are, with how often they happen; the text under it says the same.",
    )
    harms.scroll_into_view_if_needed()
    first = harms.locator("details").first  # gabapentin, open
    assert first.evaluate("e => e.open")
    assert "Very common (22%; placebo 6%)" in first.inner_text()
    chip = first.locator(".xh-chip.xh-very_common").first
    assert chip.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(8, 48, 107)"
    second = harms.locator("details").nth(1)  # strong opioids, folded
    assert not second.evaluate("e => e.open")
    second.locator("summary").click()
    assert second.evaluate("e => e.open")
    text = second.inner_text()
    assert text.index("Can be life-threatening") < text.index("Serious") and "Addiction (opioid use disorder)" in text
    assert second.locator(".xh-chip.xh-not_reported").count() >= 1  # no rate: its own dashed state
    assert not run_axe(page)
    assert not watched.errors, watched.errors


def test_the_exercise_shows_cant_be_scored(server, watched):
    page = watched.page
    page.goto(f"{server}/compare?pain=crps&weights=5,5,5,5,4")  # priorities in a link open the exercise
    wait_for_app(page)
    bars = page.locator(".xc-values")
    bars.wait_for()
    bars.scroll_into_view_if_needed()
    text = bars.inner_text()
    assert "Ketamine drip" in text and "can't be scored on your priorities" in text
    assert "based on 5 of 5 criteria" in text  # ketamine: every criterion has CRPS evidence
    assert not watched.errors, watched.errors


def test_csv_download_has_what_is_drawn(server, watched):
    page = watched.page
    page.goto(f"{server}/compare?options=tca,pregabalin")
    wait_for_app(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the data (CSV)").first.click()
    download = info.value
    assert download.suggested_filename == "ketamine-explainer-onset-durability.csv"
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    assert {row["Option"] for row in rows} == {"Amitriptyline", "Pregabalin"}
    onset = next(r for r in rows if r["Option"] == "Pregabalin" and r["Measure"] == "Time to first relief")
    assert onset["Time"] == "4–5 days" and onset["source_id"] == "freeman2008" and onset["Measured in"] == "nerve pain"


def test_changing_a_control_updates_the_link_and_the_chart(server, watched):
    page = watched.page
    page.goto(f"{server}/compare")
    wait_for_app(page)
    page.get_by_text("Add non-drug options").click()
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('nondrug=1')")
    assert "Talking therapies" in page.locator(".xc-timeline").inner_text()
    assert not run_axe(page)
    assert not watched.errors, watched.errors
