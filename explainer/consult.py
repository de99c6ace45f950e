"""Prepare for your visit: the question list and the printable summary.

The page asks what matters to the person and what they have already tried; :func:`suggested`
turns that into questions to ask. The person then reorders, removes and adds their own; those
edits are plain functions on a small dict (:func:`sync`, :func:`move`, :func:`remove`,
:func:`add_own`), so they survive a change of priorities and are easy to test.

:func:`render_html` and :func:`render_markdown` make the download. Every string that came from
the person (their own questions, the Compare page's values) is HTML-escaped, so a question that
contains ``<script>`` prints as text. Nothing here writes files or talks to the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from explainer.downloads import plain_duration
from explainer.readability import PatientText

MAX_QUESTION_LENGTH = 300
# The question box takes a paste this long, so that a question pasted from elsewhere is cut to
# MAX_QUESTION_LENGTH with a message (cut_note) instead of being refused by the browser without a
# word: Streamlit's box ignores a change longer than its max_chars. Nothing reads more than this.
MAX_PASTE = 2000
MAX_QUESTIONS = 30
LINED_QUESTIONS = 12  # up to this many questions, the printout leaves a line to write under each
TOP_COUNT = 3  # the first questions of the visitor's order are "your top 3", shown and printed as their own block
SHOWN_AT_FIRST = 10  # the page shows this many questions; the rest wait behind "Show N more questions"


@dataclass(frozen=True)
class Suggestion:
    id: str
    text: str
    why_patient: str  # one plain sentence: why this question is worth asking
    sources: tuple[str, ...] = ()  # reference ids behind any fact in why_patient


CORE: tuple[Suggestion, ...] = (
    Suggestion(
        "core-evidence",
        "Is my kind of pain one where ketamine has been shown to help?",
        "The best results so far are in one rare nerve pain condition (CRPS). For most other kinds of pain the proof is weak.",
        ("cohen2018",),
    ),
    Suggestion(
        "core-trial",
        "What would a trial look like, and how would we judge if it worked?",
        "Experts advise agreeing on a goal and a set number of treatments before you start.",
        ("asa_ketamine",),
    ),
    Suggestion(
        "core-monitoring",
        "What will be checked before, during and after each treatment?",
        "Ketamine can raise blood pressure and pulse and cause strange feelings, so you are watched closely.",
        ("ketalar_label", "sigtermans2009"),
    ),
    Suggestion(
        "core-fades",
        "What happens if the relief fades?",
        "In studies, relief often faded within weeks.",
        ("orhurhu2019",),
    ),
    Suggestion(
        "core-options",
        "What are my other options, and how do they compare?",
        "Other medicines, talking therapy and exercise have their own benefits and harms.",
    ),
)

PRIORITIES: dict[str, str] = {
    "speed": "How fast it works",
    "duration": "How long relief lasts",
    "side_effects": "Side effects and safety",
    "cost_time": "Cost, time and travel",
    "other_medicines": "Other medicines I take",
    "mood_sleep": "My mood and sleep",
}

BY_PRIORITY: dict[str, tuple[Suggestion, ...]] = {
    "speed": (
        Suggestion(
            "speed-when",
            "How soon might I notice a change, and how soon do my other options start to work?",
            "Some people feel a change within days of a ketamine drip. Some nerve pain pills also start to help within a week or two.",
            ("goldberg2010", "freeman2008", "goldstein2005"),
        ),
        Suggestion(
            "speed-no-change",
            "If the first treatment does not help, what do we do next?",
            "Knowing the next step ahead of time makes it easier to stop something that is not working.",
        ),
    ),
    "duration": (
        Suggestion(
            "duration-studies",
            "How long did relief last in studies of people like me?",
            "In a study of a rare nerve pain condition, relief was best after a week and faded by about 12 weeks.",
            ("sigtermans2009",),
        ),
        Suggestion(
            "duration-repeat",
            "Would I need repeat treatments, and what are the risks of repeating them?",
            "Repeat courses are not well studied. Long or repeated drips have harmed the liver in some people, and regular use can harm the bladder.",
            ("cohen2018", "noppers2011", "anderson2022"),
        ),
    ),
    "side_effects": (
        Suggestion(
            "side-common",
            "Which side effects are common during the drip, and what helps if I get them?",
            "Strange or dream-like feelings are common during the drip. Most are mild to moderate.",
            ("sigtermans2009",),
        ),
        Suggestion(
            "side-history",
            "Is ketamine safe with my heart, my blood pressure and my mental health history?",
            "Experts advise against ketamine for people whose heart disease is not under control, and for some kinds of psychosis.",
            ("cohen2018",),
        ),
        Suggestion(
            "side-liver-bladder",
            "How would you check my liver and bladder if I have more than one course?",
            "Liver and bladder problems have been reported with long or regular use.",
            ("cotter2021", "anderson2022"),
        ),
    ),
    "cost_time": (
        Suggestion(
            "cost-visits",
            "How many visits would I need, and how long is each one?",
            "In studies, a course of drips lasted about 4 to 10 days, for hours at a time.",
            ("cohen2018",),
        ),
        Suggestion(
            "cost-money",
            "What will it cost me, and will my insurance or health service pay for it?",
            "Costs and cover differ a lot from place to place, so it is worth asking early.",
        ),
        Suggestion(
            "cost-travel",
            "Will I need someone to take me home, and when can I drive again?",
            "Plan a safe way home before the day of the treatment.",
        ),
    ),
    "other_medicines": (
        Suggestion(
            "meds-mix",
            "Can I keep taking my usual medicines, and do any of them mix badly with ketamine?",
            "Bring a list of everything you take, including pills you buy yourself.",
        ),
        Suggestion(
            "meds-change",
            "Should any of my medicines change before or after a treatment?",
            "Only change your medicines with your care team, never on your own.",
        ),
    ),
    "mood_sleep": (
        Suggestion(
            "mood-effects",
            "How might ketamine affect my mood, my sleep or my thinking?",
            "Ketamine acts on the brain and often causes strange feelings during the drip.",
            ("sigtermans2009",),
        ),
        Suggestion(
            "mood-contact",
            "Who do I call if I feel unwell or very strange after a treatment?",
            "It helps to know who to contact before you go home.",
        ),
    ),
}

TRIED: dict[str, str] = {
    "opioids": "Opioids (such as tramadol, morphine or oxycodone)",
    "nsaids": "Anti-inflammatory painkillers (such as ibuprofen)",
    "gabapentinoids": "Gabapentin or pregabalin",
    "antidepressants": "Duloxetine, amitriptyline or similar",
    "patches": "Skin patches or creams",
    "talking": "Talking therapy or pain programmes",
    "exercise": "Exercise or physiotherapy",
    "procedures": "Injections, nerve blocks or a stimulator",
    "ketamine": "Ketamine before",
}


def tried_suggestion(tried_id: str) -> Suggestion:
    label = TRIED[tried_id]
    if tried_id == "ketamine":
        return Suggestion(
            "tried-ketamine",
            "I have had ketamine before. What did we learn from that time, and what would be different now?",
            "How well it helped and what side effects you had can guide the next step.",
        )
    short = re.sub(r"\s*\(.*\)$", "", label).lower()
    return Suggestion(
        f"tried-{tried_id}",
        f"I have tried {short}. What did we learn from that, and how would ketamine be different?",
        "What has and has not worked for you helps you and your team choose what to try next.",
    )


def all_suggestions() -> list[Suggestion]:
    """Every question the page can suggest (for the readability test and the catalogue)."""
    found = list(CORE)
    for group in BY_PRIORITY.values():
        found.extend(group)
    found.extend(tried_suggestion(t) for t in TRIED)
    return found


def suggested(priorities: Iterable[str], tried: Iterable[str] = ()) -> list[Suggestion]:
    """The questions for these choices: the core ones, then each priority's, then what was tried.

    Unknown ids are ignored (they may come from an old link); no question appears twice.
    """
    chosen = set(priorities)
    found: list[Suggestion] = list(CORE)
    for priority, group in BY_PRIORITY.items():
        if priority in chosen:
            found.extend(group)
    found.extend(tried_suggestion(t) for t in TRIED if t in set(tried))
    unique: dict[str, Suggestion] = {}
    texts: set[str] = set()
    for item in found:
        if item.id not in unique and item.text.lower() not in texts:
            unique[item.id] = item
            texts.add(item.text.lower())
    return list(unique.values())


# --- the editable list -------------------------------------------------------------------
# State is a plain dict so it can live in st.session_state:
#   {"items": [{"key": str, "text": str, "own": bool}, ...], "removed": [key, ...], "next_own": int}


def new_state() -> dict:
    return {"items": [], "removed": [], "next_own": 1}


def _copy(state: Mapping) -> dict:
    return {
        "items": [dict(item) for item in state.get("items", [])],
        "removed": list(state.get("removed", [])),
        "next_own": int(state.get("next_own", 1)),
    }


def sync(state: Mapping, priorities: Iterable[str], tried: Iterable[str] = ()) -> dict:
    """Bring the list up to date with the choices and keep the person's edits.

    Their order and their own questions stay; questions they removed stay removed; a suggestion
    whose priority was unticked goes; a new suggestion is added at the end.
    """
    result = _copy(state)
    wanted = {s.id: s for s in suggested(priorities, tried)}
    kept = [item for item in result["items"] if item["own"] or item["key"] in wanted]
    present = {item["key"] for item in kept}
    for key, suggestion in wanted.items():
        if key not in present and key not in result["removed"]:
            kept.append({"key": key, "text": suggestion.text, "own": False})
    result["items"] = kept
    return result


def move(state: Mapping, key: str, step: int) -> dict:
    """Move one question up (step -1) or down (+1); at either end nothing happens."""
    result = _copy(state)
    keys = [item["key"] for item in result["items"]]
    if key not in keys:
        return result
    index = keys.index(key)
    target = index + step
    if 0 <= target < len(keys):
        items = result["items"]
        items[index], items[target] = items[target], items[index]
    return result


def remove(state: Mapping, key: str) -> dict:
    """Take one question off the list. A suggestion or a story question is remembered as removed
    (so that it does not come back on the next run); the person's own question is simply deleted."""
    result = _copy(state)
    before = len(result["items"])
    result["items"] = [item for item in result["items"] if item["key"] != key]
    found = len(result["items"]) < before or key.startswith(STORY_KEY_PREFIX)
    if found and not key.startswith("own-") and key not in result["removed"]:
        result["removed"].append(key)
    return result


def restore(state: Mapping, priorities: Iterable[str], tried: Iterable[str] = ()) -> dict:
    """Bring back every suggestion the person removed."""
    result = _copy(state)
    result["removed"] = []
    return sync(result, priorities, tried)


def _one_line(raw: object) -> str:
    return re.sub(r"\s+", " ", str(raw or "")[:MAX_PASTE]).strip()


def clean_question(raw: str) -> str:
    """One line, trimmed, at most MAX_QUESTION_LENGTH characters (of the first MAX_PASTE typed)."""
    return _one_line(raw)[:MAX_QUESTION_LENGTH].rstrip()


CUT_NOTE = (
    f"Your question was longer than {MAX_QUESTION_LENGTH} characters, so only the first {MAX_QUESTION_LENGTH} were kept. "
    "If it no longer reads well, remove it and add a shorter one."
)


def cut_note(raw: str) -> str | None:
    """The message for a question that :func:`clean_question` cut short, or None when it fitted."""
    return CUT_NOTE if len(_one_line(raw)) > MAX_QUESTION_LENGTH else None


def add_own(state: Mapping, raw: str) -> tuple[dict, str | None]:
    """Add the person's own question. Returns (state, problem); problem is None when added."""
    result = _copy(state)
    question = clean_question(raw)
    if not question:
        return result, "Type a question first."
    if any(item["text"].lower() == question.lower() for item in result["items"]):
        return result, "That question is already on your list."
    if len(result["items"]) >= MAX_QUESTIONS:
        return result, f"Your list already has {MAX_QUESTIONS} questions. Remove one to add another."
    result["items"].append({"key": f"own-{result['next_own']}", "text": question, "own": True})
    result["next_own"] += 1
    return result, None


def questions(state: Mapping) -> list[str]:
    return [item["text"] for item in state.get("items", [])]


# --- the list as shown and printed: top 3, the patient story's questions, the rest ---------------
# The patient story (pages/vignette.py) adds questions to st.session_state["story_questions"], a list
# of plain strings. They are shown as a group of their own after the visitor's top 3, counted in the
# list's length, printed and downloaded; the visitor can remove them, never edit the story's list.

STORY_KEY_PREFIX = "story-"
GROUP_TOP, GROUP_STORY, GROUP_MORE = "top", "story", "more"
STORY_GROUP_TITLE = "From the patient story"
MORE_GROUP_TITLE = "More questions"


def story_questions(raw: object) -> list[str]:
    """The story's questions, read defensively: strings only, cleaned, no repeats, at most MAX_QUESTIONS."""
    if not isinstance(raw, list | tuple):
        return []
    found: list[str] = []
    seen: set[str] = set()
    for entry in raw:
        if not isinstance(entry, str):
            continue
        question = clean_question(entry)
        if question and question.lower() not in seen:
            seen.add(question.lower())
            found.append(question)
        if len(found) >= MAX_QUESTIONS:
            break
    return found


def story_key(question: str) -> str:
    """A story question's key: the same text gives the same key, on every run and after the story adds more."""
    return STORY_KEY_PREFIX + hashlib.sha256(question.lower().encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class ListedQuestion:
    number: int  # its number on the page and in the summary, from 1
    key: str
    text: str
    group: str  # GROUP_TOP, GROUP_STORY or GROUP_MORE
    own: bool = False
    position: int | None = None  # its index in state["items"] (Up and Down); None for a story question


def group_title(group: str, top_size: int = TOP_COUNT) -> str:
    if group == GROUP_TOP:
        return "Your top question" if top_size == 1 else f"Your top {top_size}"
    return STORY_GROUP_TITLE if group == GROUP_STORY else MORE_GROUP_TITLE


def listed(state: Mapping, story: Iterable[str] = ()) -> list[ListedQuestion]:
    """Every question on the list, numbered in the order shown and printed.

    The first TOP_COUNT of the visitor's own order come first ("your top 3"), then the patient
    story's questions that are not removed and not already on the list, then the rest in order.
    """
    items = list(state.get("items", []))
    removed = set(state.get("removed", []))
    on_list = {item["text"].lower() for item in items}
    story_texts = [q for q in story_questions(list(story)) if story_key(q) not in removed and q.lower() not in on_list]
    entries: list[tuple[str, str, str, bool, int | None]] = []
    entries += [(item["key"], item["text"], GROUP_TOP, bool(item["own"]), i) for i, item in enumerate(items[:TOP_COUNT])]
    entries += [(story_key(q), q, GROUP_STORY, False, None) for q in story_texts]
    entries += [(item["key"], item["text"], GROUP_MORE, bool(item["own"]), i) for i, item in enumerate(items) if i >= TOP_COUNT]
    return [ListedQuestion(n, key, text, group, own, position) for n, (key, text, group, own, position) in enumerate(entries, start=1)]


def split_shown(questions_listed: list[ListedQuestion], limit: int = SHOWN_AT_FIRST) -> tuple[list[ListedQuestion], list[ListedQuestion]]:
    """The questions shown at first, and the ones behind "Show N more questions"."""
    return questions_listed[:limit], questions_listed[limit:]


def _count(number: int) -> str:
    return f"{number} question{'' if number == 1 else 's'}"


def length_text(total: int, shown: int) -> str:
    """The list's length, said above it: "12 questions; the first 10 are shown." """
    if total == 0:
        return "No questions yet. Choose what matters to you above, or add your own below."
    if shown >= total:
        return f"{_count(total)}."
    return f"{_count(total)}; the first {shown} are shown."


def more_label(hidden: int) -> str:
    return f"Show {hidden} more question{'' if hidden == 1 else 's'}"


def summary_text(total: int, any_folded: bool = False) -> str:
    """What the printout and the downloads hold, said above their buttons."""
    also = " That is every question on your list, also the ones behind \u201cShow more\u201d." if any_folded else ""
    return (
        f"Your summary has {_count(total)}, what matters to you, the key facts with their sources and the date "
        f"the content was last checked.{also} The ones you removed are left out. It fits on one or two sheets of paper."
    )


def removed_count(state: Mapping, story: Iterable[str] = ()) -> int:
    """How many removed questions "Bring back" would return: suggestions, and story questions still in the story."""
    story_keys = {story_key(q) for q in story_questions(list(story))}
    return sum(1 for key in state.get("removed", []) if not key.startswith(STORY_KEY_PREFIX) or key in story_keys)


@dataclass(frozen=True)
class QuestionGroup:
    group: str  # GROUP_TOP, GROUP_STORY or GROUP_MORE
    first_number: int
    questions: list[str]

    @property
    def title(self) -> str:
        """Its heading in the summary, in the summary's own voice ("My questions")."""
        if self.group == GROUP_TOP:
            return "My top question" if len(self.questions) == 1 else f"My top {len(self.questions)} questions"
        return STORY_GROUP_TITLE if self.group == GROUP_STORY else MORE_GROUP_TITLE


def question_groups(state: Mapping, story: Iterable[str] = ()) -> list[QuestionGroup]:
    """The list as the summary prints it: one group per heading, in the order shown."""
    groups: list[QuestionGroup] = []
    for entry in listed(state, story):
        if not groups or groups[-1].group != entry.group:
            groups.append(QuestionGroup(entry.group, entry.number, []))
        groups[-1].questions.append(entry.text)
    return groups


# --- values from the Compare page --------------------------------------------------------


@dataclass(frozen=True)
class Values:
    weights: list[tuple[str, int]]
    ranking: list[tuple[str, float]]
    note: str


def parse_values(raw: object) -> Values | None:
    """Read st.session_state["visit_values"] defensively; anything malformed is skipped."""
    if not isinstance(raw, Mapping):
        return None
    weights: list[tuple[str, int]] = []
    raw_weights = raw.get("weights")
    if isinstance(raw_weights, Mapping):
        for name, value in raw_weights.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                weights.append((str(name), round(max(0, min(100, value)))))
    ranking: list[tuple[str, float]] = []
    raw_ranking = raw.get("ranking")
    if isinstance(raw_ranking, list | tuple):
        for entry in raw_ranking:
            if isinstance(entry, list | tuple) and len(entry) == 2 and isinstance(entry[1], int | float) and not isinstance(entry[1], bool):
                ranking.append((str(entry[0]), float(entry[1])))
    note = str(raw.get("note") or "")[:500]
    if not weights and not ranking and not note:
        return None
    return Values(weights, ranking, note)


# --- the summary -------------------------------------------------------------------------

_CITE = re.compile(r"\[@([^\]]*)\]")


@dataclass(frozen=True)
class KeyFacts:
    facts: list[str]  # plain text with [1], [2] markers
    references: list[str]  # formatted references in number order


def key_facts(body: str, reference_text: Mapping[str, str]) -> KeyFacts:
    """List items of a Markdown body as plain sentences; citations become [n] with a reference list."""
    items: list[str] = []
    for line in body.splitlines():
        stripped = line.strip()
        start = re.match(r"^(?:[-*+]|\d+[.)])\s+(.*)$", stripped)
        if start:
            items.append(start.group(1))
        elif stripped and items and line[:1].isspace():
            items[-1] += " " + stripped
    order: list[str] = []

    def number(match: re.Match) -> str:
        numbers = []
        for ref_id in [p.strip().lstrip("@").strip() for p in match.group(1).split(";") if p.strip()]:
            if ref_id not in order:
                order.append(ref_id)
            numbers.append(str(order.index(ref_id) + 1))
        return "[" + ", ".join(numbers) + "]"

    facts = []
    for item in items:
        plain = _CITE.sub(number, item)
        plain = re.sub(r"\*\*|__|(?<!\w)[*_](?!\s)|(?<!\s)[*_](?!\w)", "", plain)
        plain = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", plain)
        facts.append(re.sub(r"\s+", " ", plain).strip().replace(" [", "\u00a0["))
    return KeyFacts(facts, [reference_text.get(ref_id, ref_id) for ref_id in order])


# Written into every summary. What the page says about how long the server holds a visit is
# privacy_text(), which states the server's own setting.
NOTHING_STORED = "What you choose or type here is not saved to a file or shared with anyone. This summary was made for you alone."


def privacy_text(audience: str, kept_seconds: float) -> str:
    """What happens to what a visitor chooses and types, and to their download, for this server.

    ``kept_seconds`` is the server's ``server.disconnectedSessionTTL``: how long Streamlit keeps a
    visit after its page is closed or its connection drops, so that it can reconnect, and (serve.py,
    explainer/downloads.py) how long a summary's download address answers after it was made.
    """
    kept = plain_duration(kept_seconds)
    if audience == "trainee":
        return (
            "**Privacy.** Choices and free text travel to the server and stay in that browser session's memory only, "
            "as in any Streamlit app. Nothing is written to disk or a database or shared. When the page is closed or "
            f"reloaded, or the connection drops, the server keeps the session for {kept} (its "
            "`server.disconnectedSessionTTL` setting) so that it can reconnect; after that it cannot be resumed, and it "
            "is cleared from memory when the server next tidies up. A summary file is made only when you click a "
            f"download button, and its address answers for the same {kept}, then returns 404."
        )
    return (
        "**Your privacy.** What you choose or type here is not saved to a file or shared with anyone. The site keeps "
        "it in its memory while you have the page open, even if you visit other pages. When you close or reload "
        f"the page, it is kept for {kept} more, in case your connection drops and comes back. After that, no one "
        "can get to it. When you download your summary, the file is made at that moment. Its web address works "
        f"for {kept}, and then it stops working."
    )


def download_note(kept_seconds: float) -> str:
    """One line next to the download buttons: when the file is made and how long its address works."""
    return f"Each file is made when you click. Its web address works for {plain_duration(kept_seconds)}, and then it stops working."


@dataclass(frozen=True)
class VisitSummary:
    groups: list[QuestionGroup]
    priorities: list[str]
    tried: list[str]
    facts: KeyFacts
    reviewed: dt.date
    values: Values | None = None
    site_name: str = "Ketamine & Chronic Pain Explainer"
    audience: str = "patient"
    made_on: dt.date = field(default_factory=dt.date.today)

    @property
    def questions(self) -> list[str]:
        return [question for group in self.groups for question in group.questions]


def build_summary(
    state: Mapping,
    priorities: Iterable[str],
    tried: Iterable[str],
    facts: KeyFacts,
    reviewed: dt.date,
    values: Values | None = None,
    audience: str = "patient",
    made_on: dt.date | None = None,
    story: Iterable[str] = (),
) -> VisitSummary:
    """Everything the printout and the downloads hold: every question on the list (shown or behind
    "Show N more"; the ones removed are not), in the order shown, grouped as on the page."""
    return VisitSummary(
        groups=question_groups(state, story),
        priorities=[PRIORITIES[p] for p in PRIORITIES if p in set(priorities)],
        tried=[TRIED[t] for t in TRIED if t in set(tried)],
        facts=facts,
        reviewed=reviewed,
        values=values,
        audience=audience,
        made_on=made_on or dt.date.today(),
    )


def _date(value: dt.date) -> str:
    return f"{value.day} {value:%B %Y}"


_SUMMARY_CSS = """
@page { size: A4; margin: 12mm 14mm; }
* { box-sizing: border-box; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 10pt; line-height: 1.3; color: #111;
       max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 16pt; margin: 0 0 0.2rem; }
h2 { font-size: 11.5pt; margin: 0.7rem 0 0.25rem; border-bottom: 1px solid #999; padding-bottom: 0.1rem; }
h3 { font-size: 10.5pt; margin: 0.4rem 0 0.15rem; }
p, li { margin: 0.15rem 0; }
ol.questions li { margin-bottom: 0.1rem; }
ol.questions.lined li { margin-bottom: 0.35rem; }
ol.questions.lined li::after { content: ""; display: block; border-bottom: 1px dotted #888; height: 1.1rem; }
.meta, .small { font-size: 9pt; color: #333; }
.refs { font-size: 8.5pt; color: #333; }
.notice { border: 1px solid #555; padding: 0.35rem 0.5rem; margin: 0.6rem 0; font-size: 9.5pt; }
.notes { border: 1px solid #999; height: 3.2rem; margin-top: 0.3rem; }
@media print { body { margin: 0; max-width: none; padding: 0; } a { color: inherit; } }
"""


def _questions_html(summary: VisitSummary) -> list[str]:
    e = html.escape
    if not summary.questions:
        return ["<p>No questions chosen.</p>"]
    # Room to write under each question while the list is short; compact when it is long,
    # so the page still prints on one or two sheets.
    lined = " lined" if len(summary.questions) <= LINED_QUESTIONS else ""
    out = []
    for group in summary.groups:
        if len(summary.groups) > 1:  # one group needs no heading of its own
            out.append(f"<h3>{e(group.title)}</h3>")
        out.append(
            f'<ol class="questions{lined}" start="{group.first_number}">' + "".join(f"<li>{e(q)}</li>" for q in group.questions) + "</ol>"
        )
    return out


def summary_body_html(summary: VisitSummary) -> str:
    """The summary's content, without the page around it: the download's body, and the page's printout."""
    e = html.escape
    out = [
        "<h1>Questions for my visit about chronic pain and ketamine</h1>",
        f'<p class="meta">Made with the {e(summary.site_name)} on {e(_date(summary.made_on))}. '
        f"Content last reviewed {e(_date(summary.reviewed))}. Educational information, not medical advice.</p>",
        "<h2>My questions</h2>",
        *_questions_html(summary),
    ]
    out.append("<h2>What matters to me</h2>")
    out.append("<p>" + (e("; ".join(summary.priorities)) if summary.priorities else "Not chosen.") + "</p>")
    if summary.tried:
        out.append(f"<p><strong>Already tried:</strong> {e('; '.join(summary.tried))}</p>")
    if summary.values:
        out.append("<h2>My values from the Compare page</h2>")
        if summary.values.weights:
            out.append(
                "<p>How much each thing matters to me (0 to 100): "
                + e("; ".join(f"{name} {weight}" for name, weight in summary.values.weights))
                + "</p>"
            )
        if summary.values.ranking:
            ranked = "; ".join(f"{rank}. {name} ({score:g})" for rank, (name, score) in enumerate(summary.values.ranking, start=1))
            out.append(f"<p>Options ranked by my choices (score): {e(ranked)}</p>")
        if summary.values.note:
            out.append(f'<p class="small">{e(summary.values.note)}</p>')
    out.append("<h2>Key facts</h2><ul>" + "".join(f"<li>{e(fact)}</li>" for fact in summary.facts.facts) + "</ul>")
    out.append("<h2>My notes</h2><div class='notes'></div>")
    if summary.facts.references:
        out.append('<h2>Sources</h2><ol class="refs">' + "".join(f"<li>{e(ref)}</li>" for ref in summary.facts.references) + "</ol>")
    out.append(f'<p class="notice">{e(NOTHING_STORED)}</p>')
    return "\n".join(out)


def render_html(summary: VisitSummary) -> str:
    """A self-contained, printable page (A4). Every value is escaped before it is written."""
    e = html.escape
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(summary.site_name)}: questions for my visit</title>",
            f"<style>{_SUMMARY_CSS}</style></head><body>",
            summary_body_html(summary),
            "</body></html>",
        ]
    )


PRINT_ID = "visit-summary-print"
# The page's own printout (pages/consult.py): the summary above, drawn hidden on screen, is all that
# prints. Every element of the page that neither holds it nor is inside it (the sidebar, the top bar,
# the footer, the other sections, every button and box) is not displayed in print; the elements that
# hold it lose their own spacing, scrolling and colours, so the summary prints in black on white over
# as many sheets as it needs (Streamlit's scroll container would otherwise cut it to one screen).
PRINT_CSS = f"""
<style>
.st-key-visit_print {{ display: none; }}
@media print {{
  @page {{ size: A4; margin: 12mm 14mm; }}
  html, body {{ background: #fff !important; color: #000 !important; }}
  body *:not(:has(#{PRINT_ID})):not(#{PRINT_ID}):not(#{PRINT_ID} *) {{ display: none !important; }}
  body *:has(#{PRINT_ID}) {{
    display: block !important; position: static !important; overflow: visible !important;
    height: auto !important; min-height: 0 !important; max-height: none !important; width: auto !important;
    max-width: none !important; margin: 0 !important; padding: 0 !important; border: 0 !important;
    background: #fff !important; box-shadow: none !important; transform: none !important;
  }}
  #{PRINT_ID} {{ display: block !important; font: 10pt/1.3 Arial, Helvetica, sans-serif; }}
  #{PRINT_ID}, #{PRINT_ID} * {{ color: #000 !important; background: transparent !important; }}
  #{PRINT_ID} h1 {{ font-size: 16pt; font-weight: 700; margin: 0 0 0.2rem; padding: 0; }}
  #{PRINT_ID} h2 {{ font-size: 11.5pt; font-weight: 700; margin: 0.7rem 0 0.25rem; padding: 0 0 0.1rem;
    border-bottom: 1px solid #999; line-height: 1.3; letter-spacing: 0; }}
  #{PRINT_ID} h3 {{ font-size: 10.5pt; font-weight: 700; margin: 0.4rem 0 0.15rem; padding: 0; line-height: 1.3; }}
  #{PRINT_ID} p, #{PRINT_ID} li {{ margin: 0.15rem 0; font-size: 10pt; line-height: 1.3; }}
  #{PRINT_ID} ul, #{PRINT_ID} ol {{ margin: 0 0 0.3rem 0; padding-left: 1.6rem; }}
  #{PRINT_ID} li {{ padding: 0; }}
  #{PRINT_ID} ol.questions.lined li {{ margin-bottom: 0.35rem; }}
  #{PRINT_ID} ol.questions.lined li::after {{ content: ""; display: block; border-bottom: 1px dotted #888; height: 1.1rem; }}
  #{PRINT_ID} .meta, #{PRINT_ID} .small {{ font-size: 9pt; }}
  #{PRINT_ID} .refs, #{PRINT_ID} .refs li {{ font-size: 8.5pt; }}
  #{PRINT_ID} .notice {{ border: 1px solid #555; padding: 0.35rem 0.5rem; margin: 0.6rem 0; font-size: 9.5pt; }}
  #{PRINT_ID} .notes {{ border: 1px solid #999; height: 3.2rem; margin-top: 0.3rem; }}
}}
</style>
"""


def print_html(summary: VisitSummary) -> str:
    """The summary as the page prints it (hidden on screen, see PRINT_CSS). Every value is escaped."""
    return f'<div id="{PRINT_ID}">{summary_body_html(summary)}</div>'


# Markdown's own backslash escapes, so the file reads as written ("A & B < C", not "A &amp; B &lt; C")
# and still shows as written in any Markdown viewer: the characters of emphasis, code, links and
# tables always; "<" only where it could open a tag or an autolink; "&" only where it could start an
# entity; a mark that would open a heading, quote or list only at the start of the text.
_MD_ALWAYS = re.compile(r"([\\`*_\[\]|~])")
_MD_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_MD_BLOCK_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))")


def _md(value: str) -> str:
    """A person's text for Markdown: shown as typed, never as HTML, a link, emphasis or a new block."""
    text = _MD_ALWAYS.sub(r"\\\1", str(value))
    text = _MD_TAG_START.sub(r"\\<", text)
    text = _MD_ENTITY.sub(r"\\&", text)

    def block(match: re.Match) -> str:
        lead, mark, number, dot = match.groups()
        return f"{lead}\\{mark}" if mark else f"{lead}{number}\\{dot}"

    return _MD_BLOCK_START.sub(block, text, count=1)


def render_markdown(summary: VisitSummary) -> str:
    lines = [
        "# Questions for my visit about chronic pain and ketamine",
        "",
        f"Made with the {summary.site_name} on {_date(summary.made_on)}. "
        f"Content last reviewed {_date(summary.reviewed)}. Educational information, not medical advice.",
        "",
        "## My questions",
        "",
    ]
    for index, group in enumerate(summary.groups):
        if len(summary.groups) > 1:
            lines += ([""] if index else []) + [f"### {group.title}", ""]
        lines += [f"{n}. {_md(q)}" for n, q in enumerate(group.questions, start=group.first_number)]
    if not summary.questions:
        lines.append("No questions chosen.")
    lines += ["", "## What matters to me", "", _md("; ".join(summary.priorities)) if summary.priorities else "Not chosen."]
    if summary.tried:
        lines += ["", f"**Already tried:** {_md('; '.join(summary.tried))}"]
    if summary.values:
        lines += ["", "## My values from the Compare page", ""]
        if summary.values.weights:
            lines.append("How much each thing matters to me (0 to 100): " + _md("; ".join(f"{n} {w}" for n, w in summary.values.weights)))
        if summary.values.ranking:
            lines += ["", "| # | Option | Score |", "|---|---|---|"]
            lines += [f"| {rank} | {_md(name)} | {score:g} |" for rank, (name, score) in enumerate(summary.values.ranking, start=1)]
        if summary.values.note:
            lines += ["", _md(summary.values.note)]
    lines += ["", "## Key facts", ""]
    lines += [f"- {_md(fact)}" for fact in summary.facts.facts]
    if summary.facts.references:
        lines += ["", "## Sources", ""]
        lines += [f"{n}. {_md(ref)}" for n, ref in enumerate(summary.facts.references, start=1)]
    lines += ["", f"_{NOTHING_STORED}_", ""]
    return "\n".join(lines)


def patient_texts() -> list[PatientText]:
    """The page's own patient-level words that live in code, for the readability test."""
    return [
        PatientText("explainer/consult.py [questions]", tuple(s.text for s in all_suggestions())),
        PatientText("explainer/consult.py [why]", tuple(s.why_patient for s in all_suggestions())),
        PatientText(
            "explainer/consult.py [labels]",
            (*PRIORITIES.values(), *TRIED.values(), NOTHING_STORED, CUT_NOTE, download_note(120)),
        ),
        PatientText(
            "explainer/consult.py [list]",
            (
                length_text(12, SHOWN_AT_FIRST),
                length_text(0, 0),
                more_label(2),
                group_title(GROUP_TOP),
                STORY_GROUP_TITLE,
                MORE_GROUP_TITLE,
                summary_text(12, True),
            ),
        ),
        PatientText("explainer/consult.py [privacy]", (privacy_text("patient", 120).replace("**", ""),)),
    ]
