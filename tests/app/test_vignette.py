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
    if audience == "trainee":
        assert "Check yourself" in headers and "What to ask your team" not in headers
        quiz = at.radio(key=f"vquiz_{story.id}_{step.id}")
        wrong = next(i for i in range(len(step.question.options)) if i != step.question.answer)
        quiz.set_value(step.question.options[wrong]).run()
        assert any("Not quite" in w.value for w in at.warning)
        at.radio(key=f"vquiz_{story.id}_{step.id}").set_value(step.question.options[step.question.answer]).run()
        assert any("Correct" in s.value for s in at.success)
        assert step.text("trainee").split()[0] in page_text(at)
    else:
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
    for choice in decision.choices:
        check_step(at, story, decision, audience)
        assert "vignette_next" not in [b.key for b in at.button], "no Next at the decision: the reader must choose"
        at.radio(key=f"vchoice_{story.id}").set_value(choice.id).run()
        assert_clean(at)
        assert choice.summary in page_text(at)
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


def test_decision_shows_tradeoffs_from_the_data_set():
    at = open_page(PAGE, story="ketamine-neuropathic", step="6")
    assert heading(at) == "The decision: continue, pause or pivot?"
    assert not at.get("download_button")
    at.radio(key="vchoice_ketamine-neuropathic").set_value("medicine").run()
    assert_clean(at)
    text = page_text(at)
    table = vignette.tradeoffs(DATASET, ["pregabalin", "tca"], "patient", "neuropathic")
    assert "Onset:" in text and "Logistics:" in text
    for cell in table["Logistics"]:
        assert cell.split(".")[0] in text
    assert "4–5 days" in text
    assert any(b.label == "Download the trade-offs (CSV)" for b in at.get("download_button"))
    (rows,) = [rows for label, rows in html_tables(at).items() if label.startswith("Trade-offs as a table: ")]
    assert [row["Option"] for row in rows] == list(table["Option"])
    assert rows[0]["source_ids"] == table["source_ids"].iloc[0]


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
