"""Patient story in Chromium: walk a story by clicking, charts draw, the URL follows, axe passes."""

from __future__ import annotations

import re

from explainer import evidence, vignette
from tests.browser.conftest import run_axe, wait_for_app
from tests.conftest import ROOT

DATASET = evidence.load_dataset(ROOT / "data")
STORIES = vignette.load_stories(ROOT / "data" / "stories", DATASET.reference_ids, DATASET.option_ids)


def click_button(page, label: str) -> None:
    page.locator('[data-testid="stMainBlockContainer"] button', has_text=re.compile(rf"^\W*\w*\s*{re.escape(label)}$")).first.click()
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
        page.get_by_text(choice.label, exact=True).click()
        page.get_by_text(choice.summary).first.wait_for()
        wait_for_app(page)
        click_button(page, "See what happens")
        outcome = story.step(choice.next)
        show_step(page, outcome)
        assert f"step={outcome.number}" in page.url
        assert "What to ask your team" in page.inner_text("body")
        click_button(page, "Try another choice")
        show_step(page, decision)

    page.get_by_text(decision.choices[2].label, exact=True).click()
    page.get_by_text(decision.choices[2].summary).first.wait_for()
    wait_for_app(page)
    violations = run_axe(page)
    assert not violations, violations
    click_button(page, "See what happens")
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
