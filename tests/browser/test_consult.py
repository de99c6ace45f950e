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


# --- a visit list a person would print -----------------------------------------------------------------

THREE_PRIORITIES = ["How fast it works", "Side effects and safety", "Cost, time and travel"]
TWO_TRIED = ["Gabapentin or pregabalin", "Opioids (such as tramadol, morphine or oxycodone)"]


def _choose(page, label: str, names: list[str]) -> None:
    for name in names:
        page.get_by_label(label).click()
        page.get_by_role("option", name=name).click()
        wait_for_app(page)
        page.keyboard.press("Escape")
        wait_for_app(page)


def _fifteen_questions(page, server: str) -> None:
    page.goto(f"{server}/consult")
    wait_for_app(page)
    _choose(page, "What matters most to you?", THREE_PRIORITIES)
    _choose(page, "What have you already tried?", TWO_TRIED)
    page.get_by_text("15 questions; the first 10 are shown.").wait_for()


def _question_boxes(page) -> int:
    return page.locator("[class*='st-key-consult_item_']").count()


def test_patient_lists_offer_no_select_all_and_trainee_lists_do(server, watched):
    page = watched.page
    for audience, expected in (("patient", 0), ("trainee", 1)):
        page.goto(f"{server}/consult?audience={audience}")
        wait_for_app(page)
        page.get_by_label("What matters most to you?").click()
        page.get_by_role("option", name="How fast it works").wait_for()
        assert page.get_by_role("option", name=re.compile("Select all")).count() == expected, audience
        page.keyboard.press("Escape")
    assert not watched.errors, watched.errors


def test_ten_questions_are_shown_and_show_more_opens_the_rest(server, watched):
    page = watched.page
    _fifteen_questions(page, server)
    assert page.get_by_role("heading", name="Your top 3").is_visible()
    assert _question_boxes(page) == 10
    more = page.get_by_text("Show 5 more questions")
    more.click()
    wait_for_app(page)
    page.get_by_text("I have tried opioids.").first.wait_for()
    assert _question_boxes(page) == 15
    # A folded question moved up stays in view, with the fold still open.
    page.get_by_role("button", name="Up").last.click()
    wait_for_app(page)
    assert _question_boxes(page) == 15
    assert not run_axe(page)
    assert not watched.errors, watched.errors


def test_printing_shows_the_summary_only(server, watched):
    page = watched.page
    _fifteen_questions(page, server)
    summary = page.locator("#visit-summary-print")
    assert not summary.is_visible()  # on screen the list and its controls are what shows
    page.emulate_media(media="print")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "My top 3 questions" in text and "More questions" in text
    assert "I have tried opioids." in text  # a question behind "Show more" prints too
    for hidden in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]', ".st-key-site_footer", "h1"):
        assert not page.locator(hidden).first.is_visible(), hidden
    shown = page.evaluate(
        """() => [...document.querySelectorAll('button, input, [role="combobox"], summary')]
                 .filter(e => e.getClientRects().length).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert shown == [], shown
    # Black on white, whatever the palette.
    colours = summary.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e.querySelector('li')).color]")
    assert colours == ["rgb(0, 0, 0)", "rgb(0, 0, 0)"]
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "consult-page-print.pdf").write_bytes(pdf)
    assert 1 <= pdf_pages(pdf) <= 2  # the whole summary, not one screen of Streamlit's scroll box
    assert not watched.errors, watched.errors


def test_the_print_button_calls_window_print(server, watched):
    page = watched.page
    page.goto(f"{server}/consult")
    wait_for_app(page)
    page.evaluate("() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }")
    page.get_by_role("button", name="Print", exact=True).click()
    page.wait_for_function("() => window.__printed === 1")
    wait_for_app(page)
    page.get_by_role("button", name="Print", exact=True).press("Enter")  # the keyboard too
    page.wait_for_function("() => window.__printed === 2")
    assert not watched.errors, watched.errors
