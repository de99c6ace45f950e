"""Patient stories: a small state machine over story files, plus the story's illustrative charts.

A story is one TOML file in ``data/stories/`` (adding a story is adding a file). It lists its
steps in order; each step either has a ``next`` step, or (at the decision point) ``choices`` that
each lead to a consequence step, and exactly one step (the takeaways) ends the story. Every step,
choice and candidacy check names the reference ids behind it, and the loader refuses a file whose
step points nowhere, misses a field or cites an unknown source, naming the file and the step.

Positions are shared in the URL as ``?story=<id>&step=<n>``, where ``n`` is the step's 1-based
place in the file. :func:`locate` turns raw URL values into a valid position (or the start, with
a notice). The charts are schematic: their shapes follow what trials report (relief around the
first week, fading over weeks; blood pressure peaking about 40 minutes into a session by analogy
with the esketamine label), and their numbers are labelled "Illustrative — not patient data".

Nothing here imports Streamlit; the page renders what these functions return.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import tomllib
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pandas as pd

from explainer import compare, line_charts
from explainer.evidence import CHRONIC_PAIN_TYPES, DataError, Dataset, _display

STORIES_FOLDER = "stories"
STEP_KINDS = ("story", "candidacy", "goals", "monitoring", "course", "decision", "outcome", "takeaways")
CHOICE_KINDS = ("continue", "pause", "pivot")
CHECK_STATUSES = ("clear", "caution")
CHARTS = ("pain", "session")
# Glossary terms the site's glossary defines (anchors term-<slug> on the Glossary page).
GLOSSARY_TERMS = {
    "nmda-receptor": "NMDA receptor",
    "central-sensitization": "Central sensitization",
    "opioid-induced-hyperalgesia": "Opioid-induced hyperalgesia",
    "tolerance": "Tolerance",
    "dissociation": "Dissociation",
    "crps": "CRPS",
}
ILLUSTRATIVE = "Illustrative — not patient data"

# Okabe–Ito colour-blind-safe colours; every trace also differs by line style or marker shape.
BLUE, VERMILLION, GREEN, ORANGE, PURPLE, GREY = "#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#555555"


class StoryError(DataError):
    """A story file that breaks a rule, naming the file and (when known) the step."""

    def __init__(self, path: Path | str, step: str | None, problem: str, number: int | None = None):
        self.path = Path(path)
        self.row = None
        self.column = None
        self.step = step
        self.rule = problem
        where = _display(self.path)
        if step is not None:
            where += f", step '{step}'" + (f" (step {number})" if number else "")
        ValueError.__init__(self, f"{where}: {problem}")


# --- the story model ----------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    feedback: str

    def is_correct(self, picked: str | None) -> bool | None:
        """None when nothing is picked yet."""
        if picked is None:
            return None
        return picked == self.options[self.answer]


@dataclass(frozen=True)
class CandidacyCheck:
    id: str
    question: str
    finding: str  # what is true for this story's person
    status: str  # clear or caution
    why_patient: str
    why_trainee: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
    kind: str  # continue, pause or pivot
    options: tuple[str, ...]  # option ids in options.csv whose facts the trade-offs show
    next: str
    summary: str


@dataclass(frozen=True)
class Step:
    id: str
    number: int  # 1-based place in the file; the URL's step=<n>
    kind: str
    title: str
    patient: str
    trainee: str
    ask: tuple[str, ...]
    sources: tuple[str, ...]
    question: Question
    next: str | None = None
    chart: str | None = None
    checks: tuple[CandidacyCheck, ...] = ()
    choices: tuple[Choice, ...] = ()
    watch: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()

    def text(self, audience: str) -> str:
        return self.trainee if audience == "trainee" else self.patient


@dataclass(frozen=True)
class PainCurve:
    points: tuple[tuple[float, float], ...]  # (day, pain 0-10) anchors, schematic
    infusion_days: tuple[int, ...]
    events: tuple[tuple[int, str], ...]  # (day, short label)
    sources: tuple[str, ...]
    basis_patient: str = ""  # what the shape follows, naming the pain it was measured in


@dataclass(frozen=True)
class Session:
    baseline_systolic: float
    baseline_diastolic: float
    baseline_heart_rate: float
    rise_systolic: float
    rise_diastolic: float
    rise_heart_rate: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    id: str
    title: str
    person: str
    blurb: str
    pain_type: str
    order: int
    reviewed: dt.date
    steps: tuple[Step, ...]
    pain_curve: PainCurve
    session: Session
    path: Path = field(compare=False)

    # -- navigation ------------------------------------------------------------------------
    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def at(self, number: int) -> Step:
        return self.steps[number - 1]

    @property
    def start(self) -> Step:
        return self.steps[0]

    @property
    def end(self) -> Step:
        return next(step for step in self.steps if step.kind == "takeaways")

    @property
    def decision(self) -> Step | None:
        return next((step for step in self.steps if step.kind == "decision"), None)

    def targets(self, step: Step) -> list[str]:
        """The steps this step can lead to (its next, or each choice's next)."""
        if step.choices:
            return [choice.next for choice in step.choices]
        return [step.next] if step.next else []

    def following(self, step: Step, choice_id: str | None = None) -> Step | None:
        """The step after ``step``; at a decision the chosen choice decides. None at the end."""
        if step.choices:
            for choice in step.choices:
                if choice.id == choice_id:
                    return self.step(choice.next)
            raise KeyError(f"step {step.id!r} has no choice {choice_id!r}")
        return self.step(step.next) if step.next else None

    def route_to(self, step_id: str) -> list[str]:
        """The shortest route from the start to ``step_id`` (the route a shared link implies)."""
        previous: dict[str, str | None] = {self.start.id: None}
        queue = deque([self.start.id])
        while queue:
            current = queue.popleft()
            if current == step_id:
                break
            for target in self.targets(self.step(current)):
                if target not in previous:
                    previous[target] = current
                    queue.append(target)
        if step_id not in previous:
            raise KeyError(step_id)
        route = [step_id]
        while previous[route[-1]] is not None:
            route.append(previous[route[-1]])
        return route[::-1]

    def position(self, step: Step) -> tuple[int, int]:
        """(place along the route, route length to the end): the progress indicator."""
        here = len(self.route_to(step.id))
        total = len(self.route_to(self.end.id))
        return min(here, total), total

    def choice_leading_to(self, step: Step) -> Choice | None:
        decision = self.decision
        if decision is None:
            return None
        return next((choice for choice in decision.choices if choice.next == step.id), None)


# --- loading and checking ------------------------------------------------------------------

STORY_FIELDS = {"title", "person", "blurb", "pain_type", "order", "reviewed", "pain_curve", "session", "steps"}
STEP_FIELDS = {
    "id",
    "kind",
    "title",
    "text_patient",
    "text_trainee",
    "ask_patient",
    "sources",
    "question",
    "next",
    "chart",
    "checks",
    "choices",
    "watch",
    "glossary",
}
STEP_REQUIRED = ("id", "kind", "title", "text_patient", "text_trainee", "ask_patient", "sources", "question")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class _Checker:
    """Reads one file's values with messages that name the file and the step."""

    def __init__(self, path: Path, reference_ids: set[str], option_ids: set[str]):
        self.path = path
        self.reference_ids = reference_ids
        self.option_ids = option_ids
        self.step: str | None = None
        self.number: int | None = None

    def fail(self, problem: str):
        raise StoryError(self.path, self.step, problem, self.number)

    def text(self, table: dict, name: str, where: str = "") -> str:
        if name not in table:
            self.fail(f"{where}missing field '{name}'")
        value = table[name]
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}'{name}' must be a non-empty text")
        return value.strip()

    def texts(self, table: dict, name: str, where: str = "", required: bool = True) -> tuple[str, ...]:
        if name not in table:
            if required:
                self.fail(f"{where}missing field '{name}'")
            return ()
        value = table[name]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"{where}'{name}' must be a list of non-empty texts")
        if required and not value:
            self.fail(f"{where}'{name}' must not be empty")
        return tuple(v.strip() for v in value)

    def number_in(self, table: dict, name: str, low: float, high: float, where: str = "") -> float:
        if name not in table:
            self.fail(f"{where}missing field '{name}'")
        value = table[name]
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.fail(f"{where}'{name}' must be a number from {low:g} to {high:g} (got {value!r})")
        return float(value)

    def sources(self, table: dict, where: str = "") -> tuple[str, ...]:
        ids = self.texts(table, "sources", where)
        for ref_id in ids:
            if ref_id not in self.reference_ids:
                self.fail(f"{where}unknown source id {ref_id!r} (not in references.csv)")
        return ids

    def slug(self, table: dict, name: str, where: str = "") -> str:
        value = self.text(table, name, where)
        if not _SLUG.match(value):
            self.fail(f"{where}'{name}' must be a lowercase id of letters, digits, '-' or '_' (got {value!r})")
        return value

    def one_of(self, table: dict, name: str, allowed: tuple[str, ...], where: str = "") -> str:
        value = self.text(table, name, where)
        if value not in allowed:
            self.fail(f"{where}'{name}' must be one of {', '.join(allowed)} (got {value!r})")
        return value

    def table(self, parent: dict, name: str) -> dict:
        value = parent.get(name)
        if not isinstance(value, dict):
            self.fail(f"missing table [{name}]")
        return value

    def no_unknown(self, table: dict, allowed: set[str], where: str = "") -> None:
        unknown = sorted(set(table) - allowed)
        if unknown:
            self.fail(f"{where}unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")


def _question(check: _Checker, raw) -> Question:
    if not isinstance(raw, dict):
        check.fail("missing table 'question' (every step has one short question for trainees)")
    where = "question: "
    check.no_unknown(raw, {"prompt", "options", "answer", "feedback"}, where)
    options = check.texts(raw, "options", where)
    if len(options) < 2:
        check.fail(f"{where}'options' needs at least two answers")
    if len(set(options)) != len(options):
        check.fail(f"{where}'options' has the same answer twice")
    answer = raw.get("answer")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 1 <= answer <= len(options):
        check.fail(f"{where}'answer' must be the number (1 to {len(options)}) of the right option (got {answer!r})")
    return Question(check.text(raw, "prompt", where), options, answer - 1, check.text(raw, "feedback", where))


def _checks(check: _Checker, raw) -> tuple[CandidacyCheck, ...]:
    if not isinstance(raw, list) or not raw:
        check.fail("a candidacy step needs a list of [[steps.checks]]")
    checks = []
    for index, item in enumerate(raw, start=1):
        where = f"check {index}: "
        if not isinstance(item, dict):
            check.fail(f"{where}must be a table")
        check.no_unknown(item, {"id", "question", "finding", "status", "why_patient", "why_trainee", "sources"}, where)
        checks.append(
            CandidacyCheck(
                id=check.slug(item, "id", where),
                question=check.text(item, "question", where),
                finding=check.text(item, "finding", where),
                status=check.one_of(item, "status", CHECK_STATUSES, where),
                why_patient=check.text(item, "why_patient", where),
                why_trainee=check.text(item, "why_trainee", where),
                sources=check.sources(item, where),
            )
        )
    ids = [c.id for c in checks]
    if len(set(ids)) != len(ids):
        check.fail("two candidacy checks share an id")
    return tuple(checks)


def _choices(check: _Checker, raw) -> tuple[Choice, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        check.fail("a decision step needs at least two [[steps.choices]]")
    choices = []
    for index, item in enumerate(raw, start=1):
        where = f"choice {index}: "
        if not isinstance(item, dict):
            check.fail(f"{where}must be a table")
        check.no_unknown(item, {"id", "label", "kind", "options", "next", "summary"}, where)
        options = check.texts(item, "options", where, required=False)
        for option_id in options:
            if option_id not in check.option_ids:
                check.fail(f"{where}unknown option id {option_id!r} (not in options.csv)")
        choices.append(
            Choice(
                id=check.slug(item, "id", where),
                label=check.text(item, "label", where),
                kind=check.one_of(item, "kind", CHOICE_KINDS, where),
                options=options,
                next=check.slug(item, "next", where),
                summary=check.text(item, "summary", where),
            )
        )
    ids = [c.id for c in choices]
    if len(set(ids)) != len(ids):
        check.fail("two choices share an id")
    kinds = {c.kind for c in choices}
    if kinds != set(CHOICE_KINDS):
        missing = ", ".join(k for k in CHOICE_KINDS if k not in kinds)
        check.fail(f"the decision must offer continue, pause and pivot choices (missing: {missing})")
    return tuple(choices)


def _step(check: _Checker, raw, number: int) -> Step:
    check.step, check.number = None, number
    if not isinstance(raw, dict):
        check.fail(f"step {number} must be a [[steps]] table")
    check.step = str(raw.get("id") or f"#{number}")
    check.no_unknown(raw, STEP_FIELDS)
    for name in STEP_REQUIRED:
        if name not in raw:
            check.fail(f"missing field '{name}'")
    kind = check.one_of(raw, "kind", STEP_KINDS)
    chart = raw.get("chart")
    if chart is not None and chart not in CHARTS:
        check.fail(f"'chart' must be one of {', '.join(CHARTS)} (got {chart!r})")
    glossary = check.texts(raw, "glossary", required=False)
    for term in glossary:
        if term not in GLOSSARY_TERMS:
            check.fail(f"unknown glossary term {term!r} (known: {', '.join(GLOSSARY_TERMS)})")
    next_id = check.slug(raw, "next") if "next" in raw else None
    step = Step(
        id=check.slug(raw, "id"),
        number=number,
        kind=kind,
        title=check.text(raw, "title"),
        patient=check.text(raw, "text_patient"),
        trainee=check.text(raw, "text_trainee"),
        ask=check.texts(raw, "ask_patient"),
        sources=check.sources(raw),
        question=_question(check, raw.get("question")),
        next=next_id,
        chart=chart,
        checks=_checks(check, raw.get("checks")) if kind == "candidacy" else (),
        choices=_choices(check, raw.get("choices")) if kind == "decision" else (),
        watch=check.texts(raw, "watch") if kind == "outcome" else (),
        glossary=glossary,
    )
    if kind != "candidacy" and "checks" in raw:
        check.fail("only a candidacy step has 'checks'")
    if kind != "decision" and "choices" in raw:
        check.fail("only a decision step has 'choices'")
    if kind != "outcome" and "watch" in raw:
        check.fail("only an outcome step has 'watch' (what the team would watch next)")
    if kind == "decision" and next_id:
        check.fail("a decision step goes on through its choices, so it must not have 'next'")
    if kind == "takeaways" and next_id:
        check.fail("the takeaways step ends the story, so it must not have 'next'")
    if kind not in ("decision", "takeaways") and not next_id:
        check.fail("missing field 'next' (only the takeaways step may end the story)")
    return step


def _pain_curve(check: _Checker, raw: dict) -> PainCurve:
    check.step, check.number = None, None
    where = "[pain_curve]: "
    check.no_unknown(raw, {"points", "infusion_days", "events", "sources", "basis_patient"}, where)
    basis = check.text(raw, "basis_patient", where)
    points = raw.get("points")
    if not isinstance(points, list) or len(points) < 3:
        check.fail(f"{where}'points' needs at least three [day, pain] pairs")
    parsed = []
    for pair in points:
        if (
            not isinstance(pair, list)
            or len(pair) != 2
            or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
            or not 0 <= pair[1] <= 10
            or pair[0] < 0
        ):
            check.fail(f"{where}each point must be [day, pain from 0 to 10] (got {pair!r})")
        parsed.append((float(pair[0]), float(pair[1])))
    days = [p[0] for p in parsed]
    if days != sorted(days) or len(set(days)) != len(days):
        check.fail(f"{where}'points' days must increase")
    infusion_days = raw.get("infusion_days")
    if not isinstance(infusion_days, list) or not infusion_days or not all(isinstance(d, int) and d >= 0 for d in infusion_days):
        check.fail(f"{where}'infusion_days' must be a list of whole day numbers")
    events = []
    for item in raw.get("events", []):
        if not isinstance(item, dict) or not isinstance(item.get("day"), int) or not isinstance(item.get("label"), str):
            check.fail(f"{where}each event needs a whole-number 'day' and a 'label'")
        events.append((item["day"], item["label"].strip()))
    if any(d > days[-1] for d in [*infusion_days, *(e[0] for e in events)]):
        check.fail(f"{where}infusion days and events must fall within the curve's days")
    return PainCurve(tuple(parsed), tuple(infusion_days), tuple(events), check.sources(raw, where), basis)


def _session(check: _Checker, raw: dict) -> Session:
    check.step, check.number = None, None
    where = "[session]: "
    names = ("baseline_systolic", "baseline_diastolic", "baseline_heart_rate", "rise_systolic", "rise_diastolic", "rise_heart_rate")
    check.no_unknown(raw, {*names, "sources"}, where)
    values = {
        "baseline_systolic": check.number_in(raw, "baseline_systolic", 80, 200, where),
        "baseline_diastolic": check.number_in(raw, "baseline_diastolic", 40, 120, where),
        "baseline_heart_rate": check.number_in(raw, "baseline_heart_rate", 40, 130, where),
        "rise_systolic": check.number_in(raw, "rise_systolic", 0, 80, where),
        "rise_diastolic": check.number_in(raw, "rise_diastolic", 0, 50, where),
        "rise_heart_rate": check.number_in(raw, "rise_heart_rate", 0, 60, where),
    }
    return Session(**values, sources=check.sources(raw, where))


def load_story(path: Path, reference_ids, option_ids) -> Story:
    """Parse and check one story file; raise :class:`StoryError` naming the file and step."""
    check = _Checker(path, set(reference_ids), set(option_ids))
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise StoryError(path, None, f"the file is not UTF-8 text ({error.reason})") from None
    except tomllib.TOMLDecodeError as error:
        raise StoryError(path, None, f"the file is not valid TOML: {error}") from None
    check.no_unknown(raw, STORY_FIELDS)
    reviewed = raw.get("reviewed")
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        check.fail(f"'reviewed' must be a date like 2026-11-25 (got {reviewed!r})")
    order = raw.get("order")
    if isinstance(order, bool) or not isinstance(order, int):
        check.fail(f"'order' must be a whole number (got {order!r})")
    title, person, blurb = check.text(raw, "title"), check.text(raw, "person"), check.text(raw, "blurb")
    pain_type = check.one_of(raw, "pain_type", CHRONIC_PAIN_TYPES)
    pain_curve = _pain_curve(check, check.table(raw, "pain_curve"))
    session = _session(check, check.table(raw, "session"))
    raw_steps = raw.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        check.fail("the story has no [[steps]]")
    steps = tuple(_step(check, item, number) for number, item in enumerate(raw_steps, start=1))
    story = Story(
        id=path.stem,
        title=title,
        person=person,
        blurb=blurb,
        pain_type=pain_type,
        order=order,
        reviewed=reviewed,
        steps=steps,
        pain_curve=pain_curve,
        session=session,
        path=path,
    )
    _check_graph(check, story)
    return story


def _check_graph(check: _Checker, story: Story) -> None:
    """Every target exists, one takeaways step ends the story, every step is reachable and can reach the end."""
    ids = [step.id for step in story.steps]
    for step in story.steps:
        check.step, check.number = step.id, step.number
        if ids.count(step.id) > 1:
            check.fail("two steps share this id")
        for target in story.targets(step):
            if target not in ids:
                check.fail(f"goes to unknown step {target!r}")
            if target == step.id:
                check.fail("goes to itself")
    check.step, check.number = None, None
    ends = [step for step in story.steps if step.kind == "takeaways"]
    if len(ends) != 1:
        check.fail(f"a story needs exactly one takeaways step (found {len(ends)})")
    decisions = [step for step in story.steps if step.kind == "decision"]
    if len(decisions) != 1:
        check.fail(f"a story needs exactly one decision step (found {len(decisions)})")
    reachable = set()
    queue = deque([story.start.id])
    while queue:
        current = queue.popleft()
        if current in reachable:
            continue
        reachable.add(current)
        queue.extend(story.targets(story.step(current)))
    for step in story.steps:
        check.step, check.number = step.id, step.number
        if step.id not in reachable:
            check.fail("cannot be reached from the first step")
        if not _reaches_end(story, step.id):
            check.fail(f"is a dead end: it never leads to the takeaways step {story.end.id!r}")


def _reaches_end(story: Story, step_id: str) -> bool:
    seen, queue = set(), deque([step_id])
    while queue:
        current = queue.popleft()
        if current == story.end.id:
            return True
        if current in seen:
            continue
        seen.add(current)
        queue.extend(story.targets(story.step(current)))
    return False


def load_stories(folder: Path, reference_ids, option_ids) -> dict[str, Story]:
    """Every ``*.toml`` story in ``folder``, in their ``order``. Raises StoryError on the first fault."""
    if not folder.is_dir():
        raise StoryError(folder, None, "the stories folder is missing")
    stories = [load_story(path, reference_ids, option_ids) for path in sorted(folder.glob("*.toml"))]
    if not stories:
        raise StoryError(folder, None, "there are no story files (*.toml)")
    stories.sort(key=lambda story: (story.order, story.id))
    return {story.id: story for story in stories}


# --- positions from the URL ----------------------------------------------------------------


_STEP_NUMBER = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class Location:
    story_id: str
    number: int
    notice: str | None = None


def locate(stories: dict[str, Story], story_raw: str | None, step_raw: str | None) -> Location:
    """Turn ``?story=`` and ``?step=`` into a valid position; a bad value starts over with a notice."""
    first = next(iter(stories))
    story_id = first if story_raw in (None, "") else str(story_raw).strip().lower()
    if story_id not in stories:
        return Location(first, 1, "The link asked for a story we do not have, so the first story starts from the beginning.")
    story = stories[story_id]
    if step_raw in (None, ""):
        return Location(story_id, 1)
    text = str(step_raw).strip()
    # ASCII digits, a few of them: str.isdigit() accepts '²', which int() refuses, and int() refuses thousands of digits.
    if not _STEP_NUMBER.fullmatch(text) or not 1 <= int(text) <= len(story.steps):
        return Location(
            story_id,
            1,
            f"The link asked for a step this story does not have (it has steps 1 to {len(story.steps)}), so it starts from the beginning.",
        )
    return Location(story_id, int(text))


def back_from(story: Story, number: int, trail: list[int]) -> tuple[int, list[int]]:
    """Where Back goes: the step visited before this one, else the previous step on the route."""
    if len(trail) >= 2 and trail[-1] == number:
        return trail[-2], trail[:-1]
    route = story.route_to(story.at(number).id)
    if len(route) < 2:
        return number, [number]
    numbers = [story.step(step_id).number for step_id in route]
    return numbers[-2], numbers[:-1]


def forward(trail: list[int], current: int, target: int) -> list[int]:
    """The trail after moving from ``current`` to ``target``."""
    base = trail if trail and trail[-1] == current else [current]
    return [*base, target]


def step_marker_html(story_id: str, step_id: str) -> str:
    """A hidden element naming the step on screen, for the browser script that brings its heading into view.

    explainer/scripts/story-focus.js watches its ``data-story-step``: when the value changes (Next,
    Back, a choice, Restart, another story) it scrolls the step's heading to the top and focuses it.
    """
    value = html.escape(f"{story_id}/{step_id}", quote=True)
    return f'<span class="story-step-marker" data-story-step="{value}" hidden></span>'


# --- the reader's path: choices tried, and questions for the visit list --------------------


def record_choice(tried: Sequence[str] | None, choice_id: str) -> tuple[str, ...]:
    """The choices tried once ``choice_id`` is tried: every earlier one kept, in the order first tried, none twice."""
    earlier = tuple(dict.fromkeys(item for item in (tried or ()) if isinstance(item, str)))
    return earlier if choice_id in earlier else (*earlier, choice_id)


@dataclass(frozen=True)
class DecisionCard:
    """One choice at the decision, as the side-by-side view shows it."""

    choice: Choice
    outcome: Step
    tried: bool


def decision_cards(story: Story, tried: Sequence[str] | None = ()) -> list[DecisionCard]:
    """Every choice at the story's decision, in file order, each marked when the reader has tried it."""
    decision = story.decision
    if decision is None:
        return []
    seen = set(tried or ())
    return [DecisionCard(choice, story.step(choice.next), choice.id in seen) for choice in decision.choices]


def card_rows(count: int, per_row: int = 3) -> list[int]:
    """How many cards go in each row: as few rows as ``per_row`` allows, the cards spread evenly (5 -> [3, 2], 4 -> [2, 2])."""
    if count <= 0:
        return []
    rows = math.ceil(count / per_row)
    base, extra = divmod(count, rows)
    return [base + 1 if row < extra else base for row in range(rows)]


def tried_note(tried_count: int, total: int) -> str:
    """A line at the decision once the reader has tried at least one choice (empty before)."""
    if tried_count <= 0:
        return ""
    if tried_count >= total:
        return f"You have tried all {total} choices. Each one you tried is marked below."
    return f"You have tried {tried_count} of {total} choices. Each one you tried is marked below, so you can compare them."


def decision_tradeoffs(
    dataset: Dataset, choices: Sequence[Choice], audience: str = "patient", pain_type: str = "neuropathic"
) -> pd.DataFrame:
    """Every choice's trade-offs in one table: a ``Choice`` column, then :func:`tradeoffs`' columns.

    A choice that starts no new treatment (no options) has no row: it has no onset, side-effect or
    logistics facts of its own.
    """
    frames = []
    for choice in choices:
        if not choice.options:
            continue
        frame = tradeoffs(dataset, choice.options, audience, pain_type)
        frame.insert(0, "Choice", choice.label)
        frames.append(frame)
    if not frames:
        return pd.DataFrame(columns=["Choice", *TRADEOFF_COLUMNS])
    return pd.concat(frames, ignore_index=True)


def story_questions(story: Story, tried: Sequence[str] | None = ()) -> tuple[str, ...]:
    """Questions from the story to take to a visit: the takeaways' own, then each tried choice's outcome's.

    They are the story file's ``ask_patient`` lists (plain words, no new claims), in the order the
    reader tried the choices, none twice.
    """
    questions = list(story.end.ask)
    decision = story.decision
    choices = {choice.id: choice for choice in decision.choices} if decision else {}
    for choice_id in tried or ():
        if choice_id in choices:
            questions.extend(story.step(choices[choice_id].next).ask)
    return tuple(_unique(questions))


def _question_key(question: str) -> str:
    return " ".join(question.split()).casefold()


def _unique(questions: Sequence[str]) -> list[str]:
    seen: set[str] = set()
    kept = []
    for question in questions:
        key = _question_key(question)
        if key and key not in seen:
            seen.add(key)
            kept.append(" ".join(question.split()))
    return kept


def add_questions(existing, new: Sequence[str]) -> tuple[list[str], int]:
    """The visit list's story questions after adding ``new``, and how many were really added.

    ``existing`` is what ``st.session_state["story_questions"]`` holds (a list of str, or nothing
    yet). A question already there (ignoring case and spacing) is not added again; anything that is
    not text is dropped. The Prepare-for-your-visit page shows the list.
    """
    kept = _unique([item for item in existing if isinstance(item, str)] if isinstance(existing, list | tuple) else [])
    seen = {_question_key(item) for item in kept}
    added = 0
    for question in _unique(new):
        if _question_key(question) not in seen:
            seen.add(_question_key(question))
            kept.append(question)
            added += 1
    return kept, added


def added_message(added: int) -> str:
    """What the page says after the button: how many questions went onto the visit list."""
    if added <= 0:
        return "These questions are already on your visit list."
    return f"Added {added} question{'s' if added != 1 else ''} to your visit list."


# --- trade-offs from the shared data set ---------------------------------------------------

EFFECT_SEPARATOR = " · "  # between side effects in one cell (notes may contain ';')
TRADEOFF_COLUMNS = ("Option", "Onset", "How long it lasts", "Side effects", "Logistics", "source_ids")


def _time_cell(rows: list[dict], audience: str, lead: str) -> str:
    """'First relief: 4–5 days. <note>' for each finding that applies to the story's pain type."""
    parts = []
    for row in rows:
        note = row["note_trainee"] if audience == "trainee" else row["note_patient"]
        if row["state"] == "known":
            parts.append(f"{lead}: {compare.time_text(row)}. {note}")
        elif row["state"] == "no_figure":
            # The note already says what is unknown; "not established" in front of it would repeat it.
            parts.append(
                f"{lead}: {note}" if not note.lower().startswith("not established") else f"{lead}: not established in our sources."
            )
        else:
            parts.append(f"{lead}: not studied for this kind of pain in our sources.")
    return " ".join(parts) or f"{lead}: not established"


def _effect_cell(row: dict, audience: str) -> str:
    note = row["note_patient"].rstrip(". ")
    if audience == "patient":
        return f"{row['effect']}: {note[:1].lower()}{note[1:]}"
    if not row["percent"]:
        return row["effect"]
    placebo = f" vs {row['placebo']} placebo" if row["placebo"] else ""
    return f"{row['effect']}: {row['percent']}{placebo}"


def tradeoffs(
    dataset: Dataset, option_ids: tuple[str, ...] | list[str], audience: str = "patient", pain_type: str = "neuropathic"
) -> pd.DataFrame:
    """One row per option: onset, durability, side effects and logistics, each from the data set.

    The rows come from :mod:`explainer.compare`, so the story and the Compare page can never
    disagree, and they follow its rule: only evidence measured in the story's pain type (or not
    tied to one) is used. ``source_ids`` lists every reference a row drew on.
    """
    option_ids = list(option_ids)
    times = compare.timecourse_rows(dataset, option_ids, pain_type).to_dict("records")
    harms = compare.harm_rows(dataset, option_ids, pain_type).to_dict("records")
    rows = []
    for option_id in option_ids:
        option = dataset.option(option_id)
        mine = [r for r in times if r["option_id"] == option_id]
        first = [r for r in mine if r["measure"] == "first_relief"]
        during = [r for r in mine if r["measure"] == "on_treatment"]
        after = [r for r in mine if r["measure"] == "after_course"]
        effects = [r for r in harms if r["option_id"] == option_id]
        sources = [option["logistics_source"], *(r["source_id"] for r in [*first, *during, *after, *effects] if r["source_id"])]
        effect_text = (
            EFFECT_SEPARATOR.join(_effect_cell(row, audience) for row in effects) or "No named side effects for this pain in our data set."
        )
        rows.append(
            {
                "Option": option["plain_name"] if audience == "patient" else option["technical_name"],
                "Onset": _time_cell(first, audience, "First relief"),
                "How long it lasts": " ".join([_time_cell(during, audience, "While on it"), _time_cell(after, audience, "After a course")]),
                "Side effects": effect_text,
                "Logistics": f"{option['setting']}. {option['visits']}.",
                "source_ids": ", ".join(dict.fromkeys(sources)),
            }
        )
    return pd.DataFrame(rows, columns=list(TRADEOFF_COLUMNS))


# --- illustrative charts -------------------------------------------------------------------

# Shapes follow these sources; the page cites them under each chart.
SESSION_SHAPE_SOURCES = ("spravato_label", "ketalar_label")
BP_PEAK_MINUTES = 40  # esketamine label: BP rise peaks about 40 minutes after a dose
BP_SETTLED_MINUTES = 240  # and lasts about 4 hours
WATCH_MINUTES = 120  # esketamine label: observe for at least 2 hours
THRESHOLD_SYSTOLIC_RISE = 40  # esketamine label: a rise of 40 mmHg systolic or more ...
THRESHOLD_DIASTOLIC_RISE = 25  # ... and/or 25 mmHg diastolic, counted in 8-19% of patients
READING_EVERY_MINUTES = 20  # schematic spacing of readings; the sources we checked give no frequency


@dataclass
class ChartResult:
    html: str  # the chart drawn in HTML and SVG, carrying its own CSS (explainer.line_charts)
    summary: str
    table: pd.DataFrame
    sources: tuple[str, ...]


def _ease(a: float, b: float, t: float) -> float:
    """Cosine ease between a and b (no overshoot, so the schematic never dips below its anchors)."""
    return a + (b - a) * (1 - math.cos(math.pi * t)) / 2


def pain_series(curve: PainCurve) -> pd.DataFrame:
    """Daily schematic pain scores through the curve's anchor points."""
    points = curve.points
    last = int(points[-1][0])
    rows = []
    for day in range(int(points[0][0]), last + 1):
        for (d0, p0), (d1, p1) in pairwise(points):
            if d0 <= day <= d1:
                pain = _ease(p0, p1, (day - d0) / (d1 - d0))
                break
        rows.append({"day": day, "week": round(day / 7, 2), "pain": round(pain, 1)})
    frame = pd.DataFrame(rows)
    frame["infusion"] = frame["day"].isin(curve.infusion_days)
    labels = {}
    for day, label in curve.events:
        labels[day] = f"{labels[day]}; {label}" if day in labels else label
    frame["event"] = frame["day"].map(labels).fillna("")
    return frame


def pain_chart(story: Story) -> ChartResult:
    """Pain over the weeks: baseline, a fall within days of the drips, lowest near week 1, then fading."""
    curve = story.pain_curve
    frame = pain_series(curve)
    start = curve.points[0][1]
    drips = frame[frame["infusion"]]
    events = frame[frame["event"] != ""]
    lines = [
        line_charts.Series("Pain score (schematic)", tuple(zip(frame["week"], frame["pain"], strict=True)), BLUE, "solid", None),
        line_charts.Series(
            "Infusion day",
            tuple((week, 0.4) for week in drips["week"]),
            GREEN,
            mark="triangle",
            line=False,
            notes=tuple(f"Infusion on day {day}" for day in drips["day"]),
        ),
        line_charts.Series(
            "Side-effect event",
            tuple((week, pain + 0.7) for week, pain in zip(events["week"], events["pain"], strict=True)),
            VERMILLION,
            mark="cross",
            line=False,
            notes=tuple(f"Day {day}: {event}" for day, event in zip(events["day"], events["event"], strict=True)),
        ),
    ]
    last_week = float(frame["week"].max())
    html = line_charts.line_chart_html(
        f"{ILLUSTRATIVE}: pain over the weeks after the first infusion. The summary below and the table give the same numbers.",
        ILLUSTRATIVE,
        lines,
        line_charts.LineAxis(
            0, last_week + 0.2, {w: str(w) for w in range(0, math.floor(last_week) + 1)}, "Weeks after the first infusion"
        ),
        line_charts.LineAxis(0, 10.5, {p: str(p) for p in range(0, 11, 2)}, "Pain score (0 = none, 10 = worst)"),
        rules=[line_charts.Rule("y", start, "Starting pain", GREY, "dot", place="end")],
    )
    low_row = frame.loc[frame["pain"].idxmin()]
    end = frame["pain"].iloc[-1]
    summary = (
        f"{ILLUSTRATIVE}. Pain starts at about {start:g} out of 10. During the infusions on days "
        f"{', '.join(str(d) for d in curve.infusion_days)} it falls, is lowest (about {low_row['pain']:g}) around day "
        f"{int(low_row['day'])}, then drifts back up to about {end:g} by week {frame['week'].iloc[-1]:g}. "
        f"{len(curve.events)} side-effect event{'s are' if len(curve.events) != 1 else ' is'} marked with a cross. " + curve.basis_patient
    )
    table = frame.rename(
        columns={"day": "Day", "week": "Week", "pain": "Pain (schematic, 0-10)", "infusion": "Infusion day", "event": "Event"}
    )
    return ChartResult(html, summary, table, tuple(dict.fromkeys(curve.sources)))


def _session_shape(minute: float) -> float:
    """0 to 1: rises to a peak at 40 minutes, back to 0 by about 4 hours."""
    if minute <= 0 or minute >= BP_SETTLED_MINUTES:
        return 0.0
    if minute <= BP_PEAK_MINUTES:
        return _ease(0, 1, minute / BP_PEAK_MINUTES)
    return _ease(1, 0, (minute - BP_PEAK_MINUTES) / (BP_SETTLED_MINUTES - BP_PEAK_MINUTES))


def session_series(session: Session) -> pd.DataFrame:
    rows = []
    for minute in range(0, BP_SETTLED_MINUTES + 1, READING_EVERY_MINUTES):
        shape = _session_shape(minute)
        rows.append(
            {
                "minute": minute,
                "systolic": round(session.baseline_systolic + session.rise_systolic * shape),
                "diastolic": round(session.baseline_diastolic + session.rise_diastolic * shape),
                "heart_rate": round(session.baseline_heart_rate + session.rise_heart_rate * shape),
            }
        )
    # The label's peak time is drawn too, even when it falls between the schematic readings.
    if BP_PEAK_MINUTES % READING_EVERY_MINUTES:
        rows.append(
            {
                "minute": BP_PEAK_MINUTES,
                "systolic": round(session.baseline_systolic + session.rise_systolic),
                "diastolic": round(session.baseline_diastolic + session.rise_diastolic),
                "heart_rate": round(session.baseline_heart_rate + session.rise_heart_rate),
            }
        )
    frame = pd.DataFrame(rows).sort_values("minute").reset_index(drop=True)
    frame["systolic_alert"] = frame["systolic"] - session.baseline_systolic >= THRESHOLD_SYSTOLIC_RISE
    frame["diastolic_alert"] = frame["diastolic"] - session.baseline_diastolic >= THRESHOLD_DIASTOLIC_RISE
    return frame


def session_chart(story: Story) -> ChartResult:
    """Blood pressure and heart rate through one session, against the label's rise threshold."""
    session = story.session
    frame = session_series(session)
    sys_line = session.baseline_systolic + THRESHOLD_SYSTOLIC_RISE
    dia_line = session.baseline_diastolic + THRESHOLD_DIASTOLIC_RISE
    traces = (
        ("systolic", "Systolic BP (mmHg)", BLUE, "solid", "circle"),
        ("diastolic", "Diastolic BP (mmHg)", PURPLE, "dash", "square"),
        ("heart_rate", "Heart rate (beats/min)", GREEN, "dot", "diamond"),
    )
    lines = [
        line_charts.Series(
            name,
            tuple(zip(frame["minute"], frame[column], strict=True)),
            colour,
            dash,
            mark,
            notes=tuple(f"{name} at {minute} min: {value}" for minute, value in zip(frame["minute"], frame[column], strict=True)),
        )
        for column, name, colour, dash, mark in traces
    ]
    top = max(sys_line, frame["systolic"].max()) + 15
    html = line_charts.line_chart_html(
        f"{ILLUSTRATIVE}: blood pressure and heart rate through one session. The summary below and the table give the same numbers.",
        ILLUSTRATIVE,
        lines,
        line_charts.LineAxis(
            0, BP_SETTLED_MINUTES + 5, {m: str(m) for m in range(0, BP_SETTLED_MINUTES + 1, 40)}, "Minutes from the start of the dose"
        ),
        line_charts.LineAxis(40, top, line_charts.nice_ticks(40, top), "mmHg or beats per minute"),
        bands=[line_charts.Band(0, WATCH_MINUTES, "Watched at least 2 h (esketamine label)", ORANGE)],
        rules=[
            line_charts.Rule("y", sys_line, "Systolic +40 mmHg from start", VERMILLION, "longdash", place="end"),
            line_charts.Rule("y", dia_line, "Diastolic +25 mmHg from start", VERMILLION, "longdash", place="end"),
            line_charts.Rule("x", BP_PEAK_MINUTES, "~40 min peak", GREY, "dot"),
        ],
    )
    peak = frame.loc[frame["systolic"].idxmax()]
    crossed = bool(frame["systolic_alert"].any() or frame["diastolic_alert"].any())
    verdict = (
        "At least one reading reaches the threshold, so the team would act on it."
        if crossed
        else "No reading reaches the threshold, but the rise is still watched."
    )
    summary = (
        f"{ILLUSTRATIVE}. Blood pressure starts at {session.baseline_systolic:g}/{session.baseline_diastolic:g} mmHg and heart rate at "
        f"{session.baseline_heart_rate:g} beats a minute. Both rise, peak about {BP_PEAK_MINUTES} minutes in "
        f"(highest {int(peak['systolic'])}/{int(peak['diastolic'])} mmHg), and settle over about 4 hours. The long-dashed lines mark "
        f"a rise of {THRESHOLD_SYSTOLIC_RISE} mmHg systolic ({sys_line:g}) or {THRESHOLD_DIASTOLIC_RISE} mmHg diastolic ({dia_line:g}) "
        f"from the start: the size of rise the esketamine label counts, used here only as an analogy. {verdict}"
    )
    table = frame.rename(
        columns={
            "minute": "Minute",
            "systolic": "Systolic (schematic)",
            "diastolic": "Diastolic (schematic)",
            "heart_rate": "Heart rate (schematic)",
            "systolic_alert": "Systolic rise >= 40",
            "diastolic_alert": "Diastolic rise >= 25",
        }
    )
    return ChartResult(html, summary, table, tuple(dict.fromkeys([*SESSION_SHAPE_SOURCES, *session.sources])))


def chart_for(story: Story, name: str) -> ChartResult:
    return pain_chart(story) if name == "pain" else session_chart(story)


# --- candidacy -----------------------------------------------------------------------------


def candidacy_summary(person: str, checks: tuple[CandidacyCheck, ...], ticked: set[str]) -> str:
    """A one-line result for the candidacy step, once the reader has looked at every question."""
    seen = [check for check in checks if check.id in ticked]
    if len(seen) < len(checks):
        return f"You have looked at {len(seen)} of {len(checks)} questions. Tick the rest to see the result."
    cautions = [check.finding for check in checks if check.status == "caution"]
    name = person.split(",")[0]
    if not cautions:
        return f"Result for {name}: none of the questions rules ketamine out."
    plural = "s need" if len(cautions) > 1 else " needs"
    return f"Result for {name}: none of the questions rules ketamine out, but {len(cautions)} point{plural} care: {' '.join(cautions)}"
