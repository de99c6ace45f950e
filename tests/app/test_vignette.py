"""Patient story page: every story and every branch walked in both audiences; URL restore; bad files."""

from __future__ import annotations

import shutil

import pytest

from explainer import evidence, vignette
from tests.app.conftest import assert_clean, html_blocks, html_tables, open_page, texts
from tests.conftest import ROOT

PAGE = "pages/vignette.py"
DATASET = evidence.load_dataset(ROOT / "data")
STORIES = vignette.load_stories(ROOT / "data" / "stories", DATASET.reference_ids, DATASET.option_ids)


def param(at, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def heading(at) -> str:
    return at.header[0].value


def page_text(at) -> str:
    return " ".join(texts(at)) + " " + " ".join(c.value for c in at.caption)


def check_step(at, story: vignette.Story, step: vignette.Step, audience: str) -> None:
    """The page shows this step, in this audience, with its URL, sources and level-specific help."""
    assert_clean(at)
    assert heading(at) == step.title
    assert param(at, "story") == story.id and param(at, "step") == str(step.number)
    here, total = story.position(step)
    assert f"Step {here} of {total}" in at.get("progress")[0].proto.text
    captions = " ".join([*(c.value for c in at.caption), *texts(at)])
    assert "Source" in captions
    headers = [s.value for s in at.subheader]
    if step.kind == "takeaways":
        assert "Questions for your visit" in headers and "What to ask your team" not in headers
        assert step.ask[0] in page_text(at)
        assert at.button(key=f"vquestions_{story.id}").label == "Add these questions to my visit list"
    if audience == "trainee":
        assert "Check yourself" in headers and "What to ask your team" not in headers
        quiz = at.radio(key=f"vquiz_{story.id}_{step.id}")
        wrong = next(i for i in range(len(step.question.options)) if i != step.question.answer)
        quiz.set_value(step.question.options[wrong]).run()
        assert any("Not quite" in w.value for w in at.warning)
        at.radio(key=f"vquiz_{story.id}_{step.id}").set_value(step.question.options[step.question.answer]).run()
        assert any("Correct" in s.value for s in at.success)
        assert step.text("trainee").split()[0] in page_text(at)
    elif step.kind != "takeaways":
        assert "What to ask your team" in headers and "Check yourself" not in headers
        assert step.ask[0] in page_text(at)
    if step.chart:
        assert not at.get("plotly_chart")  # drawn as HTML and SVG (explainer/line_charts.py)
        charts = [block for block in html_blocks(at) if 'class="xl"' in block]
        assert len(charts) == 1 and vignette.ILLUSTRATIVE in charts[0]
        assert vignette.ILLUSTRATIVE in page_text(at)
        assert any(b.label.startswith("Download the chart data") for b in at.get("download_button"))
    if step.kind == "candidacy":
        for check in step.checks:
            at.checkbox(key=f"vcheck_{story.id}_{check.id}").check()
        at.run()
        assert_clean(at)
        assert f"Result for {story.person.split(',')[0]}" in page_text(at)


def click(at, key: str):
    at.button(key=key).click().run()
    return at


@pytest.mark.parametrize("story_id", list(STORIES))
def test_walk_every_branch_of_every_story(story_id, audience):
    story = STORIES[story_id]
    at = open_page(PAGE, audience)
    if story_id != next(iter(STORIES)):
        at.selectbox(key="vignette_story_pick").set_value(story_id).run()
    step = story.start
    while step.kind != "decision":
        check_step(at, story, step, audience)
        click(at, "vignette_next")
        step = story.following(step)
    decision = step
    for done, choice in enumerate(decision.choices):
        check_step(at, story, decision, audience)
        assert "vignette_next" not in [b.key for b in at.button], "no Next at the decision: the reader must choose"
        text = page_text(at)
        assert all(other.summary in text for other in decision.choices), "every choice's trade-offs at once"
        assert text.count("You tried this choice") == done, "the choices tried before stay marked"
        click(at, f"vgo_{story.id}_{choice.id}")
        outcome = story.step(choice.next)
        check_step(at, story, outcome, audience)
        assert "What the team would watch next" in [s.value for s in at.subheader]
        assert outcome.watch[0] in page_text(at)
        click(at, "vignette_next")
        check_step(at, story, story.end, audience)
        click(at, "vignette_back")
        assert heading(at) == outcome.title, "Back from the takeaways returns to the chosen branch"
        click(at, "vignette_other_choice")
        assert heading(at) == decision.title
    click(at, "vignette_restart")
    assert heading(at) == story.start.title
    assert param(at, "step") == "1"


def test_decision_shows_every_choice_side_by_side_from_the_data_set(audience):
    story = STORIES["ketamine-neuropathic"]
    decision = story.decision
    at = open_page(PAGE, audience, story=story.id, step=str(decision.number))
    assert_clean(at)
    assert heading(at) == "The decision: continue, pause or pivot?"
    text = page_text(at)
    for choice in decision.choices:  # every card at once, each with its own way on
        assert choice.label in text and choice.summary in text
        assert at.button(key=f"vgo_{story.id}_{choice.id}").label == "See what happens"
    assert len(at.columns) >= len(decision.choices) + 3, "the cards sit in columns (plus Back / Next / Restart)"
    table = vignette.decision_tradeoffs(DATASET, decision.choices, audience, "neuropathic")
    assert "Onset:" in text and "Logistics:" in text and "How long it lasts:" in text
    for cell in table["Logistics"]:
        assert cell.split(".")[0] in text
    if audience == "patient":
        assert "4–5 days" in text
    assert any(b.label == "Download the trade-offs (CSV)" for b in at.get("download_button"))
    (rows,) = [rows for label, rows in html_tables(at).items() if label.startswith("Trade-offs as a table: ")]
    assert [row["Option"] for row in rows] == list(table["Option"])
    assert {row["Choice"] for row in rows} == {choice.label for choice in decision.choices if choice.options}
    assert rows[0]["source_ids"] == table["source_ids"].iloc[0]


def test_trying_another_choice_keeps_the_earlier_ones(audience):
    story = STORIES["opioid-taper"]
    decision = story.decision
    first, second = decision.choices[:2]
    at = open_page(PAGE, audience, story=story.id, step=str(decision.number))
    assert "You tried this choice" not in page_text(at)
    click(at, f"vgo_{story.id}_{first.id}")
    assert heading(at) == story.step(first.next).title
    click(at, "vignette_other_choice")
    assert heading(at) == decision.title
    text = page_text(at)
    assert text.count("You tried this choice") == 1 and f"You have tried 1 of {len(decision.choices)} choices" in text
    assert all(choice.summary in text for choice in decision.choices), "the earlier pick is still in view beside the others"
    click(at, f"vgo_{story.id}_{second.id}")
    click(at, "vignette_other_choice")
    assert page_text(at).count("You tried this choice") == 2
    assert at.session_state["vignette_tried"][story.id] == [first.id, second.id]
    click(at, "vignette_restart")
    assert heading(at) == story.start.title
    assert story.id not in at.session_state["vignette_tried"], "Restart starts the story afresh"


def test_takeaways_add_the_story_questions_to_the_visit_list(audience):
    story = STORIES["ketamine-neuropathic"]
    outcome = story.step("medicine-outcome")
    at = open_page(PAGE, audience, story=story.id, step=str(outcome.number))
    at.session_state["story_questions"] = [story.end.ask[0].upper()]  # already on the list (another case)
    click(at, "vignette_next")
    assert_clean(at)
    assert heading(at) == story.end.title
    expected = vignette.story_questions(story, ["medicine"])
    assert expected == (*story.end.ask, *outcome.ask)
    text = page_text(at)
    assert all(question in text for question in expected)
    links = [link.proto for link in at.get("page_link") if link.proto.label == "Go on to Prepare for your visit"]
    assert links and links[0].page.endswith("consult"), [link.proto for link in at.get("page_link")]
    click(at, f"vquestions_{story.id}")
    assert_clean(at)
    assert at.session_state["story_questions"] == [story.end.ask[0].upper(), *expected[1:]]
    assert any(f"Added {len(expected) - 1} questions to your visit list" in s.value for s in at.success)
    click(at, f"vquestions_{story.id}")
    assert any("already on your visit list" in s.value for s in at.success)
    assert len(at.session_state["story_questions"]) == len(expected)


def test_url_restores_story_and_step(audience):
    at = open_page(PAGE, audience, story="crps-rehab", step="5")
    assert_clean(at)
    story = STORIES["crps-rehab"]
    assert heading(at) == story.at(5).title
    assert at.selectbox(key="vignette_story_pick").value == "crps-rehab"
    assert not at.info


def test_url_restores_an_outcome_and_back_goes_to_its_decision():
    story = STORIES["opioid-taper"]
    outcome = story.step("medicine-outcome")
    at = open_page(PAGE, story="opioid-taper", step=str(outcome.number))
    assert heading(at) == outcome.title
    click(at, "vignette_back")
    assert heading(at) == story.decision.title


@pytest.mark.parametrize("step", ["0", "42", "abc", "-3"])
def test_out_of_range_step_starts_over_with_a_notice(step):
    at = open_page(PAGE, story="opioid-taper", step=step)
    assert_clean(at)
    assert heading(at) == STORIES["opioid-taper"].start.title
    assert any("starts from the beginning" in i.value for i in at.info)
    assert param(at, "step") == "1"


def test_unknown_story_falls_back_to_the_first_with_a_notice():
    at = open_page(PAGE, story="nope", step="3")
    assert_clean(at)
    assert heading(at) == STORIES["ketamine-neuropathic"].start.title
    assert any("story we do not have" in i.value for i in at.info)
    assert param(at, "story") == "ketamine-neuropathic"


def test_switching_story_resets_to_its_first_step():
    at = open_page(PAGE, story="ketamine-neuropathic", step="4")
    at.selectbox(key="vignette_story_pick").set_value("crps-rehab").run()
    assert_clean(at)
    assert heading(at) == "Meet Priya"
    assert param(at, "story") == "crps-rehab" and param(at, "step") == "1"


def test_audience_switch_keeps_the_step():
    at = open_page(PAGE, story="crps-rehab", step="4")
    patient = page_text(at)
    at.sidebar.radio(key="audience").set_value("trainee").run()
    assert_clean(at)
    assert heading(at) == STORIES["crps-rehab"].at(4).title
    assert "CADSS" in page_text(at) and "CADSS" not in patient


def test_broken_story_file_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "stories" / "opioid-taper.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('next = "goals"', 'next = "gaols"', 1), encoding="utf-8")
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    at = open_page(PAGE)
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # the page escapes Markdown characters
    assert "opioid-taper.toml" in message and "step 'candidacy'" in message and "gaols" in message
    assert "not medical advice" in " ".join(c.value for c in at.caption)
