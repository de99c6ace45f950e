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
    result = _copy(state)
    before = len(result["items"])
    result["items"] = [item for item in result["items"] if item["key"] != key]
    if len(result["items"]) < before and not key.startswith("own-") and key not in result["removed"]:
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
    questions: list[str]
    priorities: list[str]
    tried: list[str]
    facts: KeyFacts
    reviewed: dt.date
    values: Values | None = None
    site_name: str = "Ketamine & Chronic Pain Explainer"
    audience: str = "patient"
    made_on: dt.date = field(default_factory=dt.date.today)


def build_summary(
    state: Mapping,
    priorities: Iterable[str],
    tried: Iterable[str],
    facts: KeyFacts,
    reviewed: dt.date,
    values: Values | None = None,
    audience: str = "patient",
    made_on: dt.date | None = None,
) -> VisitSummary:
    return VisitSummary(
        questions=questions(state),
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


def render_html(summary: VisitSummary) -> str:
    """A self-contained, printable page (A4). Every value is escaped before it is written."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(summary.site_name)}: questions for my visit</title>",
        f"<style>{_SUMMARY_CSS}</style></head><body>",
        "<h1>Questions for my visit about chronic pain and ketamine</h1>",
        f'<p class="meta">Made with the {e(summary.site_name)} on {e(_date(summary.made_on))}. '
        f"Content last reviewed {e(_date(summary.reviewed))}. Educational information, not medical advice.</p>",
        "<h2>My questions</h2>",
    ]
    if summary.questions:
        # Room to write under each question while the list is short; compact when it is long,
        # so the page still prints on one or two sheets.
        lined = " lined" if len(summary.questions) <= LINED_QUESTIONS else ""
        out.append(f'<ol class="questions{lined}">' + "".join(f"<li>{e(q)}</li>" for q in summary.questions) + "</ol>")
    else:
        out.append("<p>No questions chosen.</p>")
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
    out.append("</body></html>")
    return "\n".join(out)


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
    lines += [f"{n}. {_md(q)}" for n, q in enumerate(summary.questions, start=1)] or ["No questions chosen."]
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
        PatientText("explainer/consult.py [privacy]", (privacy_text("patient", 120).replace("**", ""),)),
    ]
