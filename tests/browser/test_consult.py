"""Prepare for your visit in Chromium: download the printable summary, open it, print it to A4."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from explainer import consult, evidence
from tests.browser.conftest import ARTIFACTS, run_axe, wait_for_app
from tests.conftest import ROOT

EVIL = "<script>window.__ran = 1</script> Can my partner come?"


def pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF made by Chromium (each page object has /Type /Page, the tree has /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def _print(browser, html_text: str, name: str) -> tuple[int, object]:
    context = browser.new_context()
    page = context.new_page()
    page.set_content(html_text, wait_until="load")
    ran = page.evaluate("() => window.__ran === undefined")
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    body = page.inner_text("body")
    context.close()
    assert ran, "a script in the summary ran"
    return pdf_pages(pdf), body


def test_download_the_summary_and_print_it(server, watched, browser):
    page = watched.page
    page.goto(f"{server}/consult")
    wait_for_app(page)
    assert "not saved to a file or shared with anyone" in page.inner_text("body")
    assert not run_axe(page)

    page.get_by_label("Add your own question").fill(EVIL)
    page.get_by_role("button", name="Add question").click()
    wait_for_app(page)
    page.get_by_text("Can my partner come?").first.wait_for()
    wait_for_app(page)
    assert page.evaluate("() => window.__ran === undefined")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download printable page (HTML)").click()
    download = info.value
    assert download.suggested_filename == "questions-for-my-visit.html"
    html_text = Path(download.path()).read_text(encoding="utf-8")
    assert "&lt;script&gt;" in html_text and "<script>" not in html_text

    pages, body = _print(browser, html_text, "consult-summary")
    assert 1 <= pages <= 2, f"the summary printed on {pages} A4 pages"
    assert EVIL in body  # the question is shown as text
    assert "Is my kind of pain one where ketamine has been shown to help?" in body
    assert "Content last reviewed" in body
    assert not watched.errors, watched.errors

    with page.expect_download() as info:
        page.get_by_role("button", name="Download as text").click()
    markdown = Path(info.value.path()).read_text(encoding="utf-8")
    assert "\\<script>window.\\_\\_ran = 1\\</script> Can my partner come?" in markdown  # Markdown escapes, no entities


def test_the_longest_possible_summary_still_fits_on_two_pages(browser):
    """Every priority, everything tried, the Compare values and the trainee facts: at most 2 A4 pages."""
    refs = evidence.load_references(ROOT / "data")
    reference_text = {row["id"]: evidence.format_reference(row) for row in refs.to_dict("records")}
    body = (ROOT / "content" / "consult" / "facts.trainee.md").read_text(encoding="utf-8").split("+++", 2)[2]
    everything = list(consult.PRIORITIES)
    state = consult.sync(consult.new_state(), everything, list(consult.TRIED))
    state, _ = consult.add_own(state, "x " * 140)
    values = consult.parse_values(
        {
            "weights": {label: 50 for label in consult.PRIORITIES.values()},
            "ranking": [[f"Option number {n}", 100 - n] for n in range(14)],
            "note": "Scores come from my own weights and the site's data.",
        }
    )
    summary = consult.build_summary(
        state, everything, list(consult.TRIED), consult.key_facts(body, reference_text), dt.date(2026, 11, 25), values, "trainee"
    )
    pages, _ = _print(browser, consult.render_html(summary), "consult-summary-longest")
    assert 1 <= pages <= 2, f"the longest summary printed on {pages} A4 pages"


def test_a_glossary_link_in_the_key_facts_opens_the_term(server, watched):
    page = watched.page
    page.goto(f"{server}/consult?audience=trainee")
    wait_for_app(page)
    link = page.locator("a[href*='#term-crps']").first
    # Links to other pages of the site open in the same tab (Streamlit's st.html keeps only
    # target="_blank"; no target means this tab) and keep the reading level.
    assert link.get_attribute("target") in (None, "_self")
    link.click()
    glossary = page
    glossary.wait_for_url("**/glossary?audience=trainee#term-crps")
    wait_for_app(glossary)
    glossary.locator("[id='term-crps']").wait_for()
    glossary.wait_for_function("() => document.getElementById('term-crps').getBoundingClientRect().top < window.innerHeight")
    glossary.wait_for_function("() => document.getElementById('term-crps').classList.contains('anchor-target')")
    # The term lands below Streamlit's top bar, with its highlight outline in view.
    top_bar = glossary.locator('[data-testid="stHeader"]').evaluate("e => e.getBoundingClientRect().bottom")
    assert glossary.locator("[id='term-crps']").evaluate("e => e.getBoundingClientRect().top") >= top_bar + 4
    assert "complex regional pain syndrome" in glossary.inner_text("body")
    assert not watched.errors, watched.errors


def test_glossary_search_and_self_check_feedback_are_accessible(server, watched):
    page = watched.page
    page.goto(f"{server}/glossary?audience=trainee")
    wait_for_app(page)
    search = page.get_by_label("Search the glossary")
    search.fill("tolerance")
    search.press("Enter")
    wait_for_app(page)
    page.locator("[id='term-tolerance']").wait_for()
    # The list is filtered by the rerun the search starts; wait for it rather than racing it.
    page.locator("[id='term-placebo']").wait_for(state="detached")

    quiz_radios = page.locator('[data-testid="stMain"] [data-testid="stRadio"]')
    before = quiz_radios.count()
    quiz_radios.first.locator("[data-testid=stRadioOption]").first.click()
    page.get_by_text("Your answer:").first.wait_for()
    wait_for_app(page)
    assert quiz_radios.count() == before - 1  # the answered question shows feedback instead
    page.get_by_text("Your answer:").first.scroll_into_view_if_needed()
    violations = run_axe(page)
    assert not violations, violations
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "glossary-self-check.png"))
    assert not watched.errors, watched.errors
