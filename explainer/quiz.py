"""The trainee self-check: questions from ``data/quiz.csv``, shuffled per session, scored.

Each row has one correct answer and two or three wrong ones, an explanation and the source it
comes from. The order of questions and of their choices depends only on a seed, so a session
keeps the same order on every rerun (the page stores the seed) while another session, or a
retry, gets a different one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from explainer.evidence import DataError, TableSpec, load_table, one_of, optional_text, slug, text

TOPICS = {
    "mechanisms": "Mechanisms",
    "evidence": "Evidence",
    "monitoring": "Monitoring and safety",
    "vignette": "Applying it to a patient",
}
MIN_QUESTIONS = 15


def _distinct_choices(record: dict) -> tuple[str, str] | None:
    choices = [record["correct"], record["wrong_1"], record["wrong_2"], record["wrong_3"]]
    filled = [c for c in choices if c]
    if len({c.lower() for c in filled}) != len(filled):
        return "wrong_1", "every answer choice must be different from the others"
    return None


QUIZ = TableSpec(
    "quiz.csv",
    {
        "id": slug,
        "topic": one_of(*TOPICS),
        "question": text,
        "correct": text,
        "wrong_1": text,
        "wrong_2": text,
        "wrong_3": optional_text,
        "explanation": text,
        "source_id": slug,
    },
    key=("id",),
    source_columns=("source_id",),
    row_checks=(_distinct_choices,),
)


@dataclass(frozen=True)
class Question:
    id: str
    topic: str
    question: str
    correct: str
    wrong: tuple[str, ...]
    explanation: str
    source_id: str

    def choices(self, seed: int) -> list[str]:
        """All answers in an order that depends on the seed and the question (stable per session)."""
        options = [self.correct, *self.wrong]
        random.Random(f"{seed}:{self.id}").shuffle(options)
        return options


@dataclass(frozen=True)
class Feedback:
    correct: bool
    right_answer: str
    explanation: str
    source_id: str


@dataclass(frozen=True)
class Score:
    correct: int
    answered: int
    total: int

    @property
    def finished(self) -> bool:
        return self.answered == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.correct / self.total) if self.total else 0


def load_quiz(data_dir: Path, reference_ids: Iterable[str]) -> list[Question]:
    """Load and check the questions. Raises DataError naming file, row and column."""
    path = data_dir / QUIZ.filename
    frame = load_table(path, QUIZ)
    known = set(reference_ids)
    for record in frame.to_dict("records"):
        if record["source_id"] not in known:
            raise DataError(path, record["_row"], "source_id", f"unknown source id {record['source_id']!r} (not in references.csv)")
    return questions_from(frame)


def questions_from(frame: pd.DataFrame) -> list[Question]:
    return [
        Question(
            id=row["id"],
            topic=row["topic"],
            question=row["question"],
            correct=row["correct"],
            wrong=tuple(w for w in (row["wrong_1"], row["wrong_2"], row["wrong_3"]) if w),
            explanation=row["explanation"],
            source_id=row["source_id"],
        )
        for row in frame.to_dict("records")
    ]


def shuffled(questions: list[Question], seed: int, attempt: int = 0) -> list[Question]:
    """The questions in a stable order for this seed and attempt."""
    ordered = list(questions)
    random.Random(f"{seed}:{attempt}").shuffle(ordered)
    return ordered


def check(question: Question, answer: str) -> Feedback:
    return Feedback(answer == question.correct, question.correct, question.explanation, question.source_id)


def score(questions: list[Question], answers: Mapping[str, str | None]) -> Score:
    """Count right answers. ``answers`` maps question id to the chosen text (None = not yet)."""
    answered = [q for q in questions if answers.get(q.id) is not None]
    right = sum(1 for q in answered if answers[q.id] == q.correct)
    return Score(correct=right, answered=len(answered), total=len(questions))


def verdict(result: Score) -> str:
    """A short, encouraging line for the end of the quiz."""
    if not result.finished:
        left = result.total - result.answered
        return f"{result.correct} right so far; {left} question{'s' if left != 1 else ''} to go."
    if result.percent >= 80:
        tail = "Well done."
    elif result.percent >= 50:
        tail = "Read the explanations of the ones you missed, then try again."
    else:
        tail = "The Evidence and How they work pages cover these topics; then try again."
    return f"You scored {result.correct} out of {result.total} ({result.percent}%). {tail}"


def topic_counts(questions: list[Question]) -> dict[str, int]:
    counts = dict.fromkeys(TOPICS, 0)
    for question in questions:
        counts[question.topic] += 1
    return counts
