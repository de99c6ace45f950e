"""Patient stories: the state machine, the story-file checks, trade-offs and illustrative charts."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

import pytest

from explainer import evidence, readability, vignette
from tests.conftest import ROOT

STORIES = ROOT / "data" / "stories"
STORY_FILES = sorted(STORIES.glob("*.toml"))


@pytest.fixture(scope="module")
def dataset():
    return evidence.load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def stories(dataset):
    return vignette.load_stories(STORIES, dataset.reference_ids, dataset.option_ids)


def all_routes(story: vignette.Story) -> list[list[str]]:
    """Every route from the first step to the end, following each choice."""
    routes, stack = [], [[story.start.id]]
    while stack:
        route = stack.pop()
        targets = story.targets(story.step(route[-1]))
        if not targets:
            routes.append(route)
        for target in targets:
            assert target not in route, f"{story.id}: loop through {target}"
            stack.append([*route, target])
    return routes


# --- the shipped stories ------------------------------------------------------------------


def test_the_three_stories_load_in_order(stories):
    assert list(stories) == ["ketamine-neuropathic", "opioid-taper", "crps-rehab"]


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_every_step_is_reachable_and_every_route_ends_at_the_takeaways(stories, path):
    story = stories[path.stem]
    routes = all_routes(story)
    assert {step_id for route in routes for step_id in route} == {step.id for step in story.steps}
    assert all(route[-1] == story.end.id for route in routes)
    assert len(routes) == len(story.decision.choices)


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_every_choice_leads_to_an_outcome_that_leads_on(stories, path):
    story = stories[path.stem]
    decision = story.decision
    assert {choice.kind for choice in decision.choices} == {"continue", "pause", "pivot"}
    for choice in decision.choices:
        outcome = story.following(decision, choice.id)
        assert outcome.kind == "outcome"
        assert outcome.watch, f"{outcome.id} says nothing about what the team would watch next"
        assert story.following(outcome) is story.end
        assert story.choice_leading_to(outcome) is choice


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_each_story_covers_the_whole_arc(stories, path):
    story = stories[path.stem]
    kinds = [step.kind for step in story.steps]
    for kind in ("story", "candidacy", "goals", "monitoring", "course", "decision", "outcome", "takeaways"):
        assert kind in kinds, f"{story.id} has no {kind} step"
    charts = {step.chart for step in story.steps if step.chart}
    assert charts == {"pain", "session"}
    assert all(step.sources for step in story.steps)
    assert all(step.ask and step.question for step in story.steps)


@pytest.mark.parametrize("path", STORY_FILES, ids=[p.stem for p in STORY_FILES])
def test_patient_words_in_each_step_are_grade_8_or_lower(stories, path):
    story = stories[path.stem]
    for step in story.steps:
        parts = [step.title, step.patient, *step.ask, *step.watch]
        parts += [text for check in step.checks for text in (check.question, check.finding, check.why_patient)]
        parts += [text for choice in step.choices for text in (choice.label, choice.summary)]
        text = readability.PatientText(f"{story.id}/{step.id}", tuple(parts)).text
        assert readability.grade(text) <= readability.MAX_GRADE, f"{story.id} step {step.id}: grade {readability.grade(text):.1f}"


def test_progress_counts_along_the_route(stories):
    story = stories["ketamine-neuropathic"]
    assert story.position(story.start) == (1, 8)
    assert story.position(story.step("rehab-outcome")) == (7, 8)
    assert story.position(story.end) == (8, 8)


# --- positions from the URL ---------------------------------------------------------------


def test_locate_defaults_to_the_first_story_start(stories):
    assert vignette.locate(stories, None, None) == vignette.Location("ketamine-neuropathic", 1)


def test_locate_step_without_story_uses_the_first_story(stories):
    assert vignette.locate(stories, None, "3") == vignette.Location("ketamine-neuropathic", 3)
    assert vignette.locate(stories, "", "30").notice


def test_locate_restores_a_valid_position(stories):
    assert vignette.locate(stories, "crps-rehab", "4") == vignette.Location("crps-rehab", 4)
    assert vignette.locate(stories, " CRPS-rehab ", " 11 ") == vignette.Location("crps-rehab", 11)


@pytest.mark.parametrize("step", ["0", "12", "99", "-1", "two", "4.5", "1e3", "²", "٣", "1" * 5000])
def test_locate_out_of_range_step_starts_over_with_a_notice(stories, step):
    location = vignette.locate(stories, "crps-rehab", step)
    assert (location.story_id, location.number) == ("crps-rehab", 1)
    assert "steps 1 to 11" in location.notice


def test_locate_unknown_story_starts_the_first_story_with_a_notice(stories):
    location = vignette.locate(stories, "<script>", "3")
    assert (location.story_id, location.number) == ("ketamine-neuropathic", 1)
    assert "story we do not have" in location.notice
    assert "<script>" not in location.notice


def test_back_follows_the_trail_then_the_route(stories):
    story = stories["ketamine-neuropathic"]
    decision, outcome = story.decision.number, story.step("procedure-outcome").number
    trail = vignette.forward([1, 2, 3, 4, 5, 6], decision, outcome)
    assert trail[-2:] == [decision, outcome]
    assert vignette.back_from(story, outcome, trail) == (decision, [1, 2, 3, 4, 5, 6])
    # Opened from a shared link (no trail): Back goes to the decision the outcome came from.
    assert vignette.back_from(story, outcome, []) == (decision, [1, 2, 3, 4, 5, 6])
    # The takeaways after a chosen branch go back to that branch, not to another outcome.
    end = story.end.number
    assert vignette.back_from(story, end, [*trail, end])[0] == outcome
    assert vignette.back_from(story, 1, []) == (1, [1])


# --- trade-offs from the shared data set --------------------------------------------------


def test_tradeoffs_come_from_the_data_set(dataset):
    table = vignette.tradeoffs(dataset, ["pregabalin", "tca"], "patient", "neuropathic")
    assert list(table["Option"]) == ["Pregabalin", "Amitriptyline"]
    pregabalin, tca = table.to_dict("records")
    assert "4–5 days" in pregabalin["Onset"]
    assert "26 in 100" in pregabalin["Side effects"]
    assert "freeman2008" in pregabalin["source_ids"] and "satoh2011" in pregabalin["source_ids"]
    assert tca["Onset"] == "First relief: How soon amitriptyline eases nerve pain is not in our sources."
    effects = dataset.effects[dataset.effects["option_id"] == "pregabalin"]
    assert len(pregabalin["Side effects"].split(vignette.EFFECT_SEPARATOR)) == len(effects)
    assert "Tablets at home" in tca["Logistics"]


def test_tradeoffs_speak_at_the_reader_level(dataset):
    patient = vignette.tradeoffs(dataset, ["ketamine_iv"], "patient", "crps").iloc[0]
    trainee = vignette.tradeoffs(dataset, ["ketamine_iv"], "trainee", "crps").iloc[0]
    assert patient["Option"] == "Ketamine drip"
    assert trainee["Option"].startswith("Low-dose intravenous")
    assert "76% vs 18% placebo" in trainee["Side effects"]
    assert "76%" not in patient["Side effects"]
    assert "P=0.07" in trainee["How long it lasts"]
    mixed = vignette.tradeoffs(dataset, ["ketamine_iv"], "patient", "mixed").iloc[0]
    assert "up to 14 days (measured from 2 days)" in mixed["How long it lasts"]


def test_tradeoffs_use_only_the_storys_pain_type(dataset):
    nerve = vignette.tradeoffs(dataset, ["ketamine_iv"], "trainee", "neuropathic").iloc[0]
    assert "76%" not in nerve["Side effects"] and "sigtermans2009" not in nerve["source_ids"] and "goldberg2010" not in nerve["source_ids"]
    assert "pereira2022" in nerve["source_ids"]
    crps = vignette.tradeoffs(dataset, ["gabapentin"], "patient", "crps").iloc[0]
    assert "not studied for this kind of pain" in crps["Onset"]


# --- charts -------------------------------------------------------------------------------


def test_pain_chart_is_labelled_and_follows_the_trial_shape(stories):
    story = stories["ketamine-neuropathic"]
    result = vignette.pain_chart(story)
    assert f'<p class="xl-title">{vignette.ILLUSTRATIVE}</p>' in result.html  # the picture says it is a schematic
    assert result.summary.startswith(vignette.ILLUSTRATIVE)
    table = result.table
    start = table["Pain (schematic, 0-10)"].iloc[0]
    lowest_day = table.loc[table["Pain (schematic, 0-10)"].idxmin(), "Day"]
    assert 3 <= lowest_day <= 14, "lowest pain should sit around the first week"
    assert table["Pain (schematic, 0-10)"].iloc[-1] > table["Pain (schematic, 0-10)"].min() + 1.5, "relief should fade"
    assert table["Pain (schematic, 0-10)"].max() <= start
    assert table["Infusion day"].sum() == len(story.pain_curve.infusion_days)
    assert (table["Event"] != "").sum() == len(story.pain_curve.events)
    # A nerve-pain story's curve follows nerve-pain (and mixed-pain) trials, never the CRPS ones.
    assert set(result.sources) == {"pereira2022", "orhurhu2019"}
    assert "trials in nerve pain" in result.summary and "CRPS" not in result.summary
    assert "Infusion day</li>" in result.html and "Side-effect event</li>" in result.html
    assert result.html.count("xl-mark xl-triangle") == len(story.pain_curve.infusion_days) + 1  # each drip, and the legend's
    assert result.html.count("xl-mark xl-cross") == (table["Event"] != "").sum() + 1
    for day, label in story.pain_curve.events:  # each event's words are its mark's tooltip, as Plotly's hover text was
        assert f"Day {day}: " in result.html and escape(label, quote=True) in result.html
    assert "Starting pain" in result.html


def test_session_chart_draws_only_the_label_threshold(stories):
    story = stories["opioid-taper"]
    result = vignette.session_chart(story)
    session = story.session
    # Two threshold lines, each labelled, and nothing else drawn as a threshold.
    assert result.html.count("mmHg from start</span>") == 2
    assert "Systolic +40 mmHg from start" in result.html and "Diastolic +25 mmHg from start" in result.html
    assert "Watched at least 2 h (esketamine label)" in result.html and "~40 min peak" in result.html
    peak_minute = result.table.loc[result.table["Systolic (schematic)"].idxmax(), "Minute"]
    assert peak_minute == 40
    assert result.table["Systolic (schematic)"].iloc[-1] == session.baseline_systolic
    assert "No reading reaches the threshold" in result.summary
    assert "spravato_label" in result.sources and "analogy" in result.summary


def test_session_chart_summary_reports_a_crossing():
    session = vignette.Session(120, 80, 70, 45, 10, 10, ("ketalar_label",))
    frame = vignette.session_series(session)
    assert frame["systolic_alert"].any()
    assert not frame["diastolic_alert"].any()


def test_candidacy_summary_waits_for_every_question(stories):
    step = stories["ketamine-neuropathic"].step("candidacy")
    ids = {check.id for check in step.checks}
    assert "1 of 7" in vignette.candidacy_summary("Ana, 54", step.checks, {"tried"})
    done = vignette.candidacy_summary("Ana, 54", step.checks, ids)
    assert done.startswith("Result for Ana") and "It is not CRPS" in done


# --- malformed story files are refused with the file and the step -------------------------


@pytest.fixture
def story_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "stories"
    folder.mkdir()
    shutil.copy(STORIES / "crps-rehab.toml", folder / "crps-rehab.toml")
    return folder / "crps-rehab.toml"


def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(path: Path, dataset) -> str:
    with pytest.raises(vignette.StoryError) as caught:
        vignette.load_stories(path.parent, dataset.reference_ids, dataset.option_ids)
    return str(caught.value)


def test_a_good_copy_loads(story_copy, dataset):
    assert list(vignette.load_stories(story_copy.parent, dataset.reference_ids, dataset.option_ids)) == ["crps-rehab"]


def test_unknown_step_target_names_file_and_step(story_copy, dataset):
    _break(story_copy, 'next = "candidacy"', 'next = "candidacyy"')
    message = _error(story_copy, dataset)
    assert "crps-rehab.toml" in message and "step 'who' (step 1)" in message and "unknown step 'candidacyy'" in message


def test_unknown_choice_target_names_the_decision(story_copy, dataset):
    _break(story_copy, 'next = "procedure-outcome"', 'next = "nowhere"')
    message = _error(story_copy, dataset)
    assert "step 'decision'" in message and "'nowhere'" in message


def test_missing_field_names_the_step(story_copy, dataset):
    _break(story_copy, 'title = "Goals and a time limit, agreed before starting"\n', "")
    message = _error(story_copy, dataset)
    assert "step 'goals' (step 3)" in message and "missing field 'title'" in message


def test_unknown_source_id_names_the_step(story_copy, dataset):
    _break(
        story_copy, 'sources = ["goldberg2010", "sigtermans2009", "cohen2018"]\nchart', 'sources = ["goldberg2010", "made_up2099"]\nchart'
    )
    message = _error(story_copy, dataset)
    assert "step 'weeks'" in message and "unknown source id 'made_up2099'" in message


def test_unknown_source_in_a_candidacy_check(story_copy, dataset):
    _break(story_copy, 'sources = ["soliman2025"]\n\n[[steps.checks]]', 'sources = ["soliman2026"]\n\n[[steps.checks]]')
    message = _error(story_copy, dataset)
    assert "step 'candidacy'" in message and "check 2" in message and "soliman2026" in message


def test_unknown_option_in_a_choice(story_copy, dataset):
    _break(story_copy, 'options = ["interventional"]', 'options = ["laser_therapy"]')
    message = _error(story_copy, dataset)
    assert "step 'decision'" in message and "unknown option id 'laser_therapy'" in message


def test_step_that_goes_to_itself_is_refused(story_copy, dataset):
    _break(
        story_copy,
        'next = "takeaways"\n\n[steps.question]\nprompt = "Up to how long',
        'next = "pause-outcome"\n\n[steps.question]\nprompt = "Up to how long',
    )
    message = _error(story_copy, dataset)
    assert "step 'pause-outcome'" in message and "goes to itself" in message


def test_step_that_cannot_reach_the_end_is_a_dead_end(story_copy, dataset):
    text = story_copy.read_text(encoding="utf-8")
    island = (
        '\n[[steps]]\nid = "island"\nkind = "goals"\ntitle = "Island"\ntext_patient = "x"\ntext_trainee = "x"\n'
        'ask_patient = ["x"]\nsources = ["cohen2018"]\nnext = "island2"\n[steps.question]\nprompt = "p"\n'
        'options = ["a", "b"]\nanswer = 1\nfeedback = "f"\n'
        '\n[[steps]]\nid = "island2"\nkind = "goals"\ntitle = "Island"\ntext_patient = "x"\ntext_trainee = "x"\n'
        'ask_patient = ["x"]\nsources = ["cohen2018"]\nnext = "island"\n[steps.question]\nprompt = "p"\n'
        'options = ["a", "b"]\nanswer = 1\nfeedback = "f"\n'
    )
    story_copy.write_text(text + island, encoding="utf-8")
    message = _error(story_copy, dataset)
    assert "step 'island'" in message and "cannot be reached" in message

    # Lead the pause outcome into the island: every step is now reachable, but that branch never ends.
    _break(
        story_copy,
        'next = "takeaways"\n\n[steps.question]\nprompt = "Up to how long',
        'next = "island"\n\n[steps.question]\nprompt = "Up to how long',
    )
    message = _error(story_copy, dataset)
    assert "step 'pause-outcome'" in message and "dead end" in message and "'takeaways'" in message


def test_bad_question_answer(story_copy, dataset):
    _break(story_copy, 'answer = 2\nfeedback = "CRPS: moderate', 'answer = 4\nfeedback = "CRPS: moderate')
    message = _error(story_copy, dataset)
    assert "step 'who'" in message and "'answer' must be the number (1 to 3)" in message


def test_decision_without_a_pause_choice(story_copy, dataset):
    _break(story_copy, 'kind = "pause"', 'kind = "pivot"')
    message = _error(story_copy, dataset)
    assert "step 'decision'" in message and "missing: pause" in message


def test_typo_in_a_field_name(story_copy, dataset):
    _break(story_copy, "text_patient = '''\nPriya is 34.", "text_patinet = '''\nPriya is 34.")
    message = _error(story_copy, dataset)
    assert "step 'who'" in message and "unknown field 'text_patinet'" in message


def test_broken_toml_names_the_file(story_copy, dataset):
    _break(story_copy, "order = 3", "order = = 3")
    message = _error(story_copy, dataset)
    assert "crps-rehab.toml" in message and "not valid TOML" in message and "line" in message


def test_schematic_numbers_are_range_checked(story_copy, dataset):
    _break(story_copy, "rise_systolic = 18", "rise_systolic = 180")
    message = _error(story_copy, dataset)
    assert "[session]" in message and "'rise_systolic' must be a number from 0 to 80" in message


def test_empty_folder_is_refused(tmp_path, dataset):
    with pytest.raises(vignette.StoryError, match="no story files"):
        vignette.load_stories(tmp_path, dataset.reference_ids, dataset.option_ids)
    with pytest.raises(vignette.StoryError, match="folder is missing"):
        vignette.load_stories(tmp_path / "nope", dataset.reference_ids, dataset.option_ids)


def test_a_new_story_file_is_picked_up_without_code(story_copy, dataset):
    copy = story_copy.parent / "another.toml"
    shutil.copy(story_copy, copy)
    _break(copy, "order = 3", "order = 0")
    loaded = vignette.load_stories(story_copy.parent, dataset.reference_ids, dataset.option_ids)
    assert list(loaded) == ["another", "crps-rehab"]


def test_story_glossary_links_point_at_real_terms(stories):
    from explainer import glossary as glossary_lib

    terms = glossary_lib.load_glossary(ROOT / "data", evidence.load_references(ROOT / "data")["id"])
    used = {term for story in stories.values() for step in story.steps for term in step.glossary}
    assert used, "the stories link no glossary terms"
    assert set(vignette.GLOSSARY_TERMS) <= set(terms["slug"])


# --- the reader's path: choices tried, the decision cards, the visit-list questions -------


def test_record_choice_keeps_every_earlier_choice_in_order():
    assert vignette.record_choice(None, "pause") == ("pause",)
    assert vignette.record_choice(["continue"], "pause") == ("continue", "pause")
    assert vignette.record_choice(("continue", "pause"), "continue") == ("continue", "pause"), "trying one again adds nothing"
    assert vignette.record_choice(["a", "a", 3, "b"], "c") == ("a", "b", "c"), "odd session values are cleaned"


def test_decision_cards_show_every_choice_and_mark_the_tried_ones(stories):
    story = stories["ketamine-neuropathic"]
    cards = vignette.decision_cards(story, ["pause", "medicine", "nope"])
    assert [card.choice for card in cards] == list(story.decision.choices)
    assert [card.choice.id for card in cards if card.tried] == ["pause", "medicine"]
    assert all(card.outcome.id == card.choice.next for card in cards)
    assert not any(card.tried for card in vignette.decision_cards(story))


@pytest.mark.parametrize(("count", "rows"), [(0, []), (1, [1]), (3, [3]), (4, [2, 2]), (5, [3, 2]), (6, [3, 3]), (7, [3, 2, 2])])
def test_card_rows_fill_evenly(count, rows):
    assert vignette.card_rows(count) == rows
    assert sum(rows) == count


def test_tried_note_counts_the_choices_tried():
    assert vignette.tried_note(0, 5) == ""
    assert vignette.tried_note(2, 5).startswith("You have tried 2 of 5 choices.")
    assert vignette.tried_note(5, 5).startswith("You have tried all 5 choices.")


def test_decision_tradeoffs_put_every_choice_in_one_table(stories, dataset):
    story = stories["ketamine-neuropathic"]
    table = vignette.decision_tradeoffs(dataset, story.decision.choices, "patient", story.pain_type)
    assert list(table.columns) == ["Choice", *vignette.TRADEOFF_COLUMNS]
    expected = [(choice.label, option) for choice in story.decision.choices for option in choice.options]
    names = {o: dataset.option(o)["plain_name"] for _, o in expected}
    assert list(zip(table["Choice"], table["Option"], strict=True)) == [(label, names[o]) for label, o in expected]
    assert "Pause: stop the drips and review against her goals" not in set(table["Choice"]), "no options, no row"
    empty = vignette.decision_tradeoffs(dataset, [], "patient")
    assert empty.empty and list(empty.columns) == ["Choice", *vignette.TRADEOFF_COLUMNS]


def test_story_questions_come_from_the_story_file_in_the_order_tried(stories):
    story = stories["ketamine-neuropathic"]
    assert vignette.story_questions(story) == story.end.ask
    questions = vignette.story_questions(story, ["procedure", "continue", "procedure", "nope"])
    assert questions == (*story.end.ask, *story.step("procedure-outcome").ask, *story.step("continue-outcome").ask)
    every_ask = {question for step in story.steps for question in step.ask}
    assert set(questions) <= every_ask, "no question the story file does not hold"


def test_add_questions_appends_without_duplicates():
    kept, added = vignette.add_questions(None, ["What next?", "How  long?", "what next?"])
    assert kept == ["What next?", "How long?"] and added == 2
    kept, added = vignette.add_questions(kept, ["HOW LONG?", "Who decides?"])
    assert kept == ["What next?", "How long?", "Who decides?"] and added == 1
    kept, added = vignette.add_questions(kept, ["What next?"])
    assert added == 0 and len(kept) == 3
    assert vignette.add_questions(["Mine?", 7, None, " "], ["Yours?"]) == (["Mine?", "Yours?"], 1)
    assert vignette.add_questions("not a list", ["A?"]) == (["A?"], 1)


def test_added_message_says_how_many():
    assert vignette.added_message(0) == "These questions are already on your visit list."
    assert vignette.added_message(1) == "Added 1 question to your visit list."
    assert vignette.added_message(4) == "Added 4 questions to your visit list."


def test_step_marker_escapes_the_ids():
    marker = vignette.step_marker_html('a"b<c', "d&e")
    assert marker == '<span class="story-step-marker" data-story-step="a&quot;b&lt;c/d&amp;e" hidden></span>'
