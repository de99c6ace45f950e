"""Every chart's and table's text reads against its own panel, in the light and the dark palette.

The text is measured as drawn (tests/browser/contrast.py): the HTML charts' labels, ticks and
legends, the pathway diagram's labels (explainer.pathway_diagram, .xp) and its cards when open, against the
panel behind each one. axe-core
runs too, in the dark palette, on the steps that draw a chart.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PageWatch, run_axe, wait_for_app
from tests.browser.contrast import chart_text_contrast, low_contrast

# The charts drawn as HTML (explainer.chart_html: .xc, explainer.line_charts: .xl,
# explainer.pathway_diagram: .xp), any Plotly chart, and the site's HTML tables (explainer.tables).
CHARTS = '.xc, .xl, .xp, .js-plotly-plot, [data-testid="stHtml"] table'
SCHEMES = ("light", "dark")

# path, what must be drawn there (the knob and the story charts as they were drawn before too,
# in Plotly, so the test measures rather than only failing to find them), the least number of
# texts expected in the charts and tables
KNOB = ":is(.xl, .st-key-mech_knob .js-plotly-plot .main-svg)"
STORY_CHART = ':is(.xl, [data-testid="stPlotlyChart"] .main-svg)'
PATHWAY = ".xp"
PAGES = [
    ("mechanisms?option=ketamine_iv", (PATHWAY, KNOB), 20),
    ("mechanisms?option=nsaids&audience=trainee", (PATHWAY, KNOB), 20),
    ("vignette?story=ketamine-neuropathic&step=4", (STORY_CHART,), 20),
    ("vignette?story=crps-rehab&step=5&audience=trainee", (STORY_CHART,), 20),
    ("compare", (".xc-timeline", '.xc[role="img"]'), 40),
]


@pytest.fixture(params=SCHEMES)
def scheme_watched(request, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme=request.param)
    yield request.param, PageWatch(context.new_page())
    context.close()


def _open(page, path: str, drawn: tuple[str, ...]) -> None:
    page.goto(path)
    wait_for_app(page)
    for selector in drawn:
        page.locator(selector).first.wait_for(state="visible")
    page.wait_for_timeout(300)  # Plotly lays out its legend and ticks just after its first paint
    # Open every fold, so the tables in them (and a fold's chart text) are measured too.
    for summary in page.locator('[data-testid="stExpander"] summary').all():
        summary.click()
    wait_for_app(page)
    page.wait_for_timeout(500)


@pytest.mark.parametrize(("path", "drawn", "least"), PAGES, ids=[p[0].split("?")[0] + "-" + str(i) for i, p in enumerate(PAGES)])
def test_chart_and_table_text_reads_on_its_panel(server, scheme_watched, path, drawn, least):
    scheme, watch = scheme_watched
    page = watch.page
    _open(page, f"{server}/{path}", drawn)
    if scheme == "dark":
        assert page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(14, 17, 23)"
    results = chart_text_contrast(page, CHARTS)
    assert not low_contrast(results), low_contrast(results)
    assert len(results) >= least, results
    if "mechanisms" in path:
        measured = {result["text"] for result in results}
        assert {"Pain signal travels up", "Brakes travel down (dashed line)"} <= measured, "the pathway diagram's text was measured"
        assert any("acts here" in text for text in measured), "the chosen medicine's 'acts here' labels were measured"
    assert not watch.errors, watch.errors


@pytest.mark.parametrize("path", [p[0] for p in PAGES if p[0] != "compare"])
def test_chart_pages_pass_axe_in_the_dark_palette(server, browser, path):
    context = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    try:
        watch = PageWatch(context.new_page())
        drawn = next(p[1] for p in PAGES if p[0] == path)
        _open(watch.page, f"{server}/{path}", drawn)
        violations = run_axe(watch.page)
        assert not violations, violations
        assert not watch.errors, watch.errors
    finally:
        context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_open_pathway_card_reads_in_both_palettes(server, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{server}/mechanisms?option=snri&audience=trainee")
        wait_for_app(page)
        page.locator(".xp button.xp-site").nth(2).click()
        page.locator(".xp-card:popover-open").wait_for(state="visible")
        results = chart_text_contrast(page, ".xp-card:popover-open")
        assert len(results) >= 3, results  # its title, its lines and its Close button
        assert not low_contrast(results), low_contrast(results)
        expected = "rgb(27, 34, 48)" if scheme == "dark" else "rgb(255, 255, 255)"
        assert {result["background"] for result in results} == {expected}
    finally:
        context.close()


def test_the_contrast_helper_sees_light_text_on_a_white_panel(browser):
    """The helper itself: near-white text (HTML and SVG) on a white panel fails; dark text passes."""
    page = browser.new_page(color_scheme="dark")
    try:
        page.set_content(
            '<div class="xl" style="background:#fff"><p style="color:#f2f4f7">pale</p><p style="color:#0b0d10">dark</p>'
            '<p style="color:#0b0d10;opacity:0.2">faded</p></div>'
            '<div class="js-plotly-plot"><div class="svg-container"><svg class="main-svg" style="background:#fff"></svg>'
            '<svg class="main-svg"><text x="5" y="20" style="fill:rgb(250,250,250)">legend</text></svg></div></div>'
            '<div style="background:#0e1117"><div class="xc"><span style="color:#f2f4f7">on dark</span></div></div>'
        )
        results = {r["text"]: r for r in chart_text_contrast(page, ".xl, .xc, .js-plotly-plot")}
        assert set(results) == {"pale", "dark", "faded", "legend", "on dark"}
        assert {text for text, r in results.items() if r["ratio"] < 4.5} == {"pale", "faded", "legend"}
        assert results["legend"]["background"] == "rgb(255, 255, 255)"  # the paper of Plotly's first layer
        assert results["on dark"]["background"] == "rgb(14, 17, 23)"
    finally:
        page.close()
