"""Compare page in Chromium: charts and the side-effect table draw at desktop and phone width, the CSV download works."""

from __future__ import annotations

import csv
import io

import pytest

from tests.browser.conftest import run_axe, wait_for_app


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (390, 844)], ids=["desktop", "phone"])
def test_charts_render_without_sideways_scrolling(server, browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(f"{server}/compare")
        wait_for_app(page)
        # The timeline and the 'out of 100' grids are HTML (explainer.chart_html): no Plotly until the exercise opens.
        drawings = page.locator('[data-testid="stHtml"] > .xc[role="img"]')
        assert drawings.count() == 2
        figures = page.locator('[data-testid="stPlotlyChart"]')
        assert figures.count() == 0
        assert not page.evaluate("performance.getEntriesByType('resource').some(e => e.name.includes('/PlotlyChart.'))")
        for index in range(drawings.count()):
            drawing = drawings.nth(index)
            drawing.scroll_into_view_if_needed()
            box = drawing.bounding_box()
            assert box and box["width"] <= width and box["height"] > 150
            assert drawing.evaluate("e => e.scrollWidth <= e.clientWidth"), "a chart is cut off at the side"
            assert drawing.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 14  # text is not shrunk on a phone
            assert "Amitriptyline" in drawing.inner_text()
        assert "No timing figures in our sources" in drawings.first.inner_text()
        exercise = page.locator(".st-key-cmp_values_open summary")
        exercise.scroll_into_view_if_needed()
        exercise.click()
        page.get_by_role("slider", name="Fast relief").wait_for()
        wait_for_app(page)
        assert figures.count() == 1  # the values bars
        figures.first.scroll_into_view_if_needed()
        figures.first.locator(".main-svg").first.wait_for(state="attached")
        box = figures.first.bounding_box()
        assert box and box["width"] <= width and box["height"] > 150
        # The side-effect grid is a real table (a row header per option) that scrolls inside its own frame.
        grid = page.get_by_role("region", name="Side effects by option and group")
        grid.scroll_into_view_if_needed()
        assert grid.get_by_role("rowheader").count() == 7
        assert grid.get_by_role("cell", name="26%").count() == 2  # gabapentin and pregabalin
        assert grid.evaluate("e => e.getBoundingClientRect().right") <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()


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
    assert onset["Time"] == "4–5 days" and onset["source_id"] == "freeman2008"


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
