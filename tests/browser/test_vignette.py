"""Patient story in Chromium: walk a story by clicking, charts draw, the URL follows, axe passes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from urllib.parse import urlencode

import pytest

from explainer import evidence, vignette
from tests.browser.conftest import run_axe, wait_for_app
from tests.browser.hosts import host_pages
from tests.conftest import ROOT

DATASET = evidence.load_dataset(ROOT / "data")
STORIES = vignette.load_stories(ROOT / "data" / "stories", DATASET.reference_ids, DATASET.option_ids)


def click_button(page, label: str) -> None:
    page.locator('[data-testid="stMainBlockContainer"] button', has_text=re.compile(rf"^\W*\w*\s*{re.escape(label)}$")).first.click()
    wait_for_app(page)


def click_card(page, choice: vignette.Choice) -> None:
    """Press "See what happens" on one choice's card at the decision."""
    page.locator(f".st-key-vcard_{choice.id} button", has_text="See what happens").click()
    wait_for_app(page)


def show_step(page, step: vignette.Step) -> None:
    page.locator("h2", has_text=step.title).first.wait_for()


def chart_drawn(page) -> str:
    """The step's chart, drawn as HTML and SVG (explainer/line_charts.py): its text. No Plotly on the page."""
    chart = page.locator('[data-testid="stHtml"] > .xl[role="img"]').first
    chart.wait_for()
    assert chart.bounding_box()["height"] > 250
    assert page.locator('[data-testid="stPlotlyChart"]').count() == 0
    return chart.inner_text()


def test_walk_a_story_by_clicking(server, watched):
    page = watched.page
    story = STORIES["ketamine-neuropathic"]
    page.goto(f"{server}/vignette?story={story.id}")
    wait_for_app(page)
    step = story.start
    axe_checked = set()
    while step.kind != "decision":
        show_step(page, step)
        assert f"step={step.number}" in page.url
        if step.kind == "candidacy":
            for count, check in enumerate(step.checks, start=1):
                page.get_by_text(check.question, exact=True).click()
                expected = "Result for Ana" if count == len(step.checks) else f"You have looked at {count} of {len(step.checks)}"
                page.get_by_text(expected).first.wait_for()
                wait_for_app(page)
        if step.chart:
            assert vignette.ILLUSTRATIVE in chart_drawn(page)
            if step.chart not in axe_checked:
                violations = run_axe(page)
                assert not violations, violations
                axe_checked.add(step.chart)
        click_button(page, "Next")
        step = story.following(step)
    assert axe_checked == {"pain", "session"}

    decision = step
    show_step(page, decision)
    for choice in decision.choices[:2]:
        page.get_by_text(choice.summary).first.wait_for()
        click_card(page, choice)
        outcome = story.step(choice.next)
        show_step(page, outcome)
        assert f"step={outcome.number}" in page.url
        assert "What to ask your team" in page.inner_text("body")
        click_button(page, "Try another choice")
        show_step(page, decision)

    page.get_by_text(decision.choices[2].summary).first.wait_for()
    violations = run_axe(page)
    assert not violations, violations
    click_card(page, decision.choices[2])
    click_button(page, "Next")
    show_step(page, story.end)
    click_button(page, "Back")
    show_step(page, story.step(decision.choices[2].next))
    click_button(page, "Restart")
    show_step(page, story.start)
    assert "step=1" in page.url
    assert not watched.errors, watched.errors


def test_shared_link_opens_the_step_for_trainees(server, watched):
    page = watched.page
    story = STORIES["crps-rehab"]
    page.goto(f"{server}/vignette?story=crps-rehab&step=4&audience=trainee")
    wait_for_app(page)
    show_step(page, story.at(4))
    text = chart_drawn(page)
    assert "+40 mmHg" in text and "+25 mmHg" in text
    assert "Check yourself" in page.inner_text("body")
    question = story.at(4).question
    page.get_by_text(question.options[question.answer], exact=True).click()
    page.get_by_text("Correct.").first.wait_for()
    assert not watched.errors, watched.errors


def test_bad_step_in_link_starts_over_with_notice(server, watched):
    page = watched.page
    page.goto(f"{server}/vignette?story=opioid-taper&step=77")
    wait_for_app(page)
    show_step(page, STORIES["opioid-taper"].start)
    assert "starts from the beginning" in page.inner_text("body")
    page.wait_for_url(re.compile(r"step=1"))


# --- keeping the reader's place: the step heading at the top, with focus -------------------

# The step heading, where it is in its window, whether it has focus; and the scrolling area it sits in.
HEADING = """() => {
    const heading = document.getElementById('story-step');
    return {text: heading.textContent, top: heading.getBoundingClientRect().top, focused: document.activeElement === heading,
            tabindex: heading.getAttribute('tabindex')};
}"""
SCROLL_DOWN = """(fraction) => {
    let area = document.getElementById('story-step').parentElement;
    while (area && !['auto', 'scroll'].includes(getComputedStyle(area).overflowY)) area = area.parentElement;
    area.scrollTop = (area.scrollHeight - area.clientHeight) * fraction;
    return area.scrollTop;
}"""


def press_at_scrolled_position(page, locator, step: vignette.Step) -> dict:
    """Scroll down, press the control, wait for ``step`` and for the page to settle; return the heading's state."""
    locator.scroll_into_view_if_needed()
    scrolled = page.evaluate(SCROLL_DOWN, 1)
    assert scrolled > 300, f"the page should be scrolled well down before the press ({scrolled})"
    locator.scroll_into_view_if_needed()
    locator.click()
    page.wait_for_function("title => document.getElementById('story-step')?.textContent.includes(title)", arg=step.title)
    wait_for_app(page)
    page.wait_for_timeout(1000)  # the script adjusts for up to 0.8 s while late content draws
    return page.evaluate(HEADING)


def assert_heading_on_top(state: dict, step: vignette.Step) -> None:
    assert step.title in state["text"]
    assert 0 <= state["top"] <= 100, f"the heading of {step.id!r} should be at the top of the view, not at {state['top']:.0f} px"
    assert state["focused"], f"focus should move to the heading of {step.id!r}"
    assert state["tabindex"] == "-1"


def main_button(page, label: str):
    return page.locator('[data-testid="stMainBlockContainer"] button', has_text=re.compile(rf"^\W*\w*\s*{re.escape(label)}$")).first


def test_every_step_change_puts_the_heading_on_top_and_focuses_it(server, watched):
    page = watched.page
    story = STORIES["ketamine-neuropathic"]
    decision = story.decision
    page.goto(f"{server}/vignette?story={story.id}&step=4")
    wait_for_app(page)
    opened = page.evaluate(HEADING)
    assert not opened["focused"], "opening a link leaves focus where the browser put it"

    assert_heading_on_top(press_at_scrolled_position(page, main_button(page, "Next"), story.at(5)), story.at(5))
    assert_heading_on_top(press_at_scrolled_position(page, main_button(page, "Next"), decision), decision)
    choice = decision.choices[3]
    outcome = story.step(choice.next)
    card_button = page.locator(f".st-key-vcard_{choice.id} button", has_text="See what happens")
    assert_heading_on_top(press_at_scrolled_position(page, card_button, outcome), outcome)
    assert_heading_on_top(press_at_scrolled_position(page, main_button(page, "Try another choice"), decision), decision)
    assert_heading_on_top(press_at_scrolled_position(page, card_button, outcome), outcome)
    assert_heading_on_top(press_at_scrolled_position(page, main_button(page, "Back"), decision), decision)
    state = press_at_scrolled_position(page, main_button(page, "Restart"), story.start)
    assert state["focused"] and state["tabindex"] == "-1" and 0 <= state["top"] <= 900 - 100
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") != "story-step", "Tab moves on from the heading"
    assert not watched.errors, watched.errors


@pytest.fixture(scope="module")
def tall_host() -> Iterator[str]:
    with host_pages() as (host,):
        yield host


def test_inside_a_clinic_frame_the_heading_moves_but_the_clinic_page_stays(server, browser, tall_host):
    story = STORIES["ketamine-neuropathic"]
    context = browser.new_context(viewport={"width": 840, "height": 700})
    try:
        page = context.new_page()
        src = f"{server}/vignette?story={story.id}&step=4&embed=true"
        page.goto(f"{tall_host}/?" + urlencode({"src": src, "above": 100, "below": 2000}))
        frame = page.wait_for_selector("iframe").content_frame()
        wait_for_app(frame)
        page.evaluate("() => window.scrollTo(0, 60)")
        host_before = page.evaluate("() => window.scrollY")
        assert host_before == 60
        state = press_at_scrolled_position(frame, main_button(frame, "Next"), story.at(5))
        assert_heading_on_top(state, story.at(5))
        assert page.evaluate("() => window.scrollY") == host_before, "the clinic's own page must not scroll"
    finally:
        context.close()


# --- the decision: every choice side by side, tried ones kept -------------------------------


def card_boxes(page, story: vignette.Story) -> list[dict]:
    boxes = []
    for choice in story.decision.choices:
        card = page.locator(f".st-key-vcard_{choice.id}")
        card.wait_for()
        boxes.append(card.bounding_box())
    return boxes


def test_choices_side_by_side_on_a_desktop_and_tried_ones_stay_marked(server, watched):
    page = watched.page
    story = STORIES["ketamine-neuropathic"]
    decision = story.decision
    page.goto(f"{server}/vignette?story={story.id}&step={decision.number}")
    wait_for_app(page)
    boxes = card_boxes(page, story)
    first_row = boxes[:3]
    assert len({round(box["y"]) for box in first_row}) == 1, "the first three cards share a row"
    assert first_row[0]["x"] < first_row[1]["x"] < first_row[2]["x"]
    assert all(box["width"] > 250 for box in boxes)
    assert boxes[3]["y"] > first_row[0]["y"] and round(boxes[3]["y"]) == round(boxes[4]["y"])
    for choice in decision.choices:
        card = page.locator(f".st-key-vcard_{choice.id}")
        assert choice.summary in card.inner_text()
        assert card.locator("button", has_text="See what happens").is_visible()

    tried = decision.choices[0]
    click_card(page, tried)
    show_step(page, story.step(tried.next))
    click_button(page, "Try another choice")
    show_step(page, decision)
    page.get_by_text("You have tried 1 of 5 choices").first.wait_for()
    assert "You tried this choice" in page.locator(f".st-key-vcard_{tried.id}").inner_text()
    assert "You tried this choice" not in page.locator(f".st-key-vcard_{decision.choices[1].id}").inner_text()
    violations = run_axe(page)
    assert not violations, violations
    assert not watched.errors, watched.errors


def test_choices_stack_as_cards_on_a_phone(server, browser):
    story = STORIES["crps-rehab"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{server}/vignette?story={story.id}&step={story.decision.number}")
        wait_for_app(page)
        boxes = card_boxes(page, story)
        assert len({round(box["x"]) for box in boxes}) == 1, "one card under another"
        assert all(a["y"] + a["height"] <= b["y"] for a, b in pairwise(boxes))
        assert all(box["width"] > 300 and box["x"] + box["width"] <= 390 for box in boxes)
    finally:
        context.close()


def test_takeaways_add_questions_and_lead_on_to_the_visit_list(server, watched):
    page = watched.page
    story = STORIES["opioid-taper"]
    page.goto(f"{server}/vignette?story={story.id}&step={story.end.number}&audience=trainee")
    wait_for_app(page)
    show_step(page, story.end)
    click_button(page, "Add these questions to my visit list")
    page.get_by_text(f"Added {len(story.end.ask)} questions to your visit list").wait_for()
    click_button(page, "Add these questions to my visit list")
    page.get_by_text("These questions are already on your visit list").wait_for()
    violations = run_axe(page)
    assert not violations, violations
    page.get_by_role("link", name="Go on to Prepare for your visit").click()
    page.wait_for_url(re.compile(r"/consult\?.*audience=trainee"))
    wait_for_app(page)
    # The questions reach the visit list as their own group, each once.
    main = page.locator('[data-testid="stMainBlockContainer"]')
    main.get_by_text("From the patient story").first.wait_for()
    for question in story.end.ask:
        assert main.get_by_text(question, exact=True).filter(visible=True).count() >= 1, question
    assert not watched.errors, watched.errors
