"""The trainee self-check: enough questions on every topic, stable shuffles, scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from explainer import evidence
from explainer import quiz as quiz_lib
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def questions():
    return quiz_lib.load_quiz(ROOT / "data", evidence.load_references(ROOT / "data")["id"])


def test_at_least_15_questions_across_every_topic(questions):
    assert len(questions) >= quiz_lib.MIN_QUESTIONS
    counts = quiz_lib.topic_counts(questions)
    assert set(counts) == {"mechanisms", "evidence", "monitoring", "vignette"}
    assert all(count >= 3 for count in counts.values()), counts
    assert all(q.explanation and q.source_id and len(q.wrong) >= 2 for q in questions)


def test_the_order_is_stable_for_a_seed_and_changes_with_the_seed_or_attempt(questions):
    ids = [q.id for q in quiz_lib.shuffled(questions, seed=7)]
    assert ids == [q.id for q in quiz_lib.shuffled(questions, seed=7)]
    assert sorted(ids) == sorted(q.id for q in questions)
    assert ids != [q.id for q in quiz_lib.shuffled(questions, seed=8)]
    assert ids != [q.id for q in quiz_lib.shuffled(questions, seed=7, attempt=1)]


def test_choices_are_shuffled_stably_and_contain_the_answer(questions):
    first = questions[0]
    assert first.choices(3) == first.choices(3)
    assert sorted(first.choices(3)) == sorted([first.correct, *first.wrong])
    positions = {q.choices(3).index(q.correct) for q in questions}
    assert len(positions) > 1, "the right answer should not always be in the same place"


def test_scoring_counts_right_answers_and_unanswered(questions):
    some = questions[:4]
    answers = {some[0].id: some[0].correct, some[1].id: some[1].wrong[0], some[2].id: None}
    result = quiz_lib.score(some, answers)
    assert (result.correct, result.answered, result.total) == (1, 2, 4)
    assert not result.finished
    assert "2 questions to go" in quiz_lib.verdict(result)
    full = {q.id: q.correct for q in some}
    done = quiz_lib.score(some, full)
    assert done.finished and done.percent == 100
    assert quiz_lib.verdict(done).startswith("You scored 4 out of 4 (100%)")
    assert quiz_lib.score(some, {q.id: q.wrong[0] for q in some}).percent == 0


def test_check_gives_the_explanation_and_source(questions):
    question = questions[0]
    good = quiz_lib.check(question, question.correct)
    bad = quiz_lib.check(question, question.wrong[0])
    assert good.correct and not bad.correct
    assert bad.right_answer == question.correct
    assert bad.explanation == question.explanation and bad.source_id == question.source_id


HEADER = "id,topic,question,correct,wrong_1,wrong_2,wrong_3,explanation,source_id\n"


@pytest.mark.parametrize(
    ("row", "column"),
    [
        ("q1,history,Q?,A,B,C,,Why.,finnerup2015\n", "topic"),
        ("q1,evidence,Q?,A,A,C,,Why.,finnerup2015\n", "wrong_1"),
        ("q1,evidence,Q?,A,B,C,,,finnerup2015\n", "explanation"),
        ("q1,evidence,Q?,A,B,C,,Why.,nosuchref\n", "source_id"),
    ],
)
def test_broken_rows_are_reported_with_their_column(tmp_path: Path, row: str, column: str):
    (tmp_path / "quiz.csv").write_text(HEADER + row, encoding="utf-8")
    with pytest.raises(evidence.DataError) as error:
        quiz_lib.load_quiz(tmp_path, ["finnerup2015"])
    assert error.value.column == column and error.value.row == 2
