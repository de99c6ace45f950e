"""The Compare page's decision aid: an options-by-questions grid and a short summary card per option.

Like an Option Grid, every option answers the same questions people ask, in plain words, each
answer with its sources. Everything comes from :mod:`explainer.compare`, so the grid applies the
same rule as the charts: only evidence measured in the chosen pain type (or not tied to one, such
as a drug label) answers a question; a result from another pain type is shown only when the
visitor asks for it, and then inside a box that says which pain it was measured in.

Each answer has a *state*, so "not studied for this pain" never looks like "none":

- ``known``: the sources give an answer;
- ``no_figure``: the sources looked at this for this pain and give no figure;
- ``not_studied``: nothing in our sources covers this option for this pain.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from explainer import compare
from explainer.evidence import Dataset
from explainer.evidence_view import certainty_words

QUESTIONS = {
    "soon": "How soon might it help?",
    "lasts": "How long does help last?",
    "helps": "How many people does it help?",
    "common": "Common side effects",
    "serious": "Serious risks",
    "involved": "What is involved",
    "sure": "How sure are the studies?",
    "guidance": "What guidelines say",
}
STATE_WORDS = {
    "no_figure": "No figure in our sources",
    "not_studied": "Not studied for this pain in our sources",
}
# What a card lists once, in one line, when the sources cannot answer it.
UNKNOWN_WORDS = {
    "soon": "how soon it helps",
    "lasts": "how long help lasts",
    "helps": "how many people it helps",
    "common": "its common side effects",
    "sure": "how sure the studies are",
}


@dataclass(frozen=True)
class Cell:
    """One answer: its words, its state, the sources behind it, and any results from other pain types."""

    text: str
    state: str = "known"
    sources: tuple[str, ...] = ()
    other: tuple[str, ...] = ()  # results from other pain types, each naming its pain ('' when not asked for)


def _level_note(row: dict, audience: str) -> str:
    return row["note_trainee"] if audience == "trainee" else row["note_patient"]


def _state(states: list[str]) -> str:
    if "known" in states:
        return "known"
    return "no_figure" if "no_figure" in states else "not_studied"


def _time_cell(times: pd.DataFrame, measures: tuple[str, ...], dose: str, audience: str) -> Cell:
    rows = times[times["measure"].isin([*measures, dose])].to_dict("records")
    course = [r for r in rows if r["measure"] in measures]
    parts, sources, other = [], [], []
    for row in rows:
        if row["state"] == "known":
            lead = "One dose: " if row["measure"] == dose else ""
            parts.append(f"{lead}{compare.time_text(row)}. {_level_note(row, audience)}")
            sources.append(row["source_id"])
        elif row["state"] == "other":
            other.append(f"In {compare.measured_in(row['pain_type'])}: {compare.time_text(row)}. {_level_note(row, audience)}")
            sources.append(row["source_id"])
    state = _state([r["state"] for r in course] + (["known"] if parts else []))
    if not parts:
        noted = [r for r in course if r["state"] == "no_figure" and _level_note(r, audience)]
        text = STATE_WORDS[state]
        if noted:
            text += ". " + _level_note(noted[0], audience)
            sources.append(noted[0]["source_id"])
        parts = [text]
    return Cell(" ".join(parts), state, tuple(dict.fromkeys(s for s in sources if s)), tuple(other))


def _number(value: float) -> str:
    return f"{value:g}"


def _compared_with(row: dict) -> str:
    comparator = row.get("comparator") or ""
    return "a dummy treatment (placebo)" if comparator == "placebo" else comparator or "the comparison group"


def nnt_words(row: dict, audience: str) -> str:
    """'About 28 more in 100 people had at least 50% pain relief than with a dummy treatment (23 to 33).'"""
    if audience == "trainee":
        ci = f" (95% CI {_number(row['ci_low'])} to {_number(row['ci_high'])})" if row["ci_low"] is not None else " (no CI reported)"
        return f"NNT {_number(row['point'])}{ci} for {compare.responder_words(row)} vs {row['comparator']}; {row['formulation']}."
    hundred = compare.per_hundred(row["point"])
    spread = compare.per_hundred_range(row["ci_low"], row["ci_high"])
    span = f" (the true number could be {spread[0]} to {spread[1]})" if spread and spread != (hundred, hundred) else ""
    return f"About {hundred} more in 100 people had {compare.responder_words(row)} than with {_compared_with(row)}{span}."


def md_words(row: dict, audience: str) -> str:
    """A mean difference in pain, with its scale, its comparison and whether its interval includes no difference."""
    point, low, high = row["point"], row["ci_low"], row["ci_high"]
    crosses = low is not None and high is not None and low <= 0 <= high
    if audience == "trainee":
        ci = f" (95% CI {_number(low)} to {_number(high)})" if low is not None else " (no CI reported)"
        return f"MD {_number(point)}{ci} vs {row['comparator']}: {row['condition']}; certainty {certainty_words(row['certainty'])}."
    if crosses:
        return f"No clear difference from {_compared_with(row)} ({row['condition']}): the range of results includes no difference."
    scale = "out of 10" if ("0-10" in row["condition"] or "10-cm" in row["condition"]) else "on the study's pain scale"
    rng = f" (the true difference could be {_number(abs(high))} to {_number(abs(low))})" if low is not None else ""
    return f"Pain about {_number(round(abs(point), 1))} points lower {scale} than with {_compared_with(row)}{rng}: {row['condition']}."


def neupsig_words(dataset: Dataset, row: dict, ranges: list[dict], audience: str) -> str:
    """For a first-line class: the NNT is NeuPSIG 2015's; the 2025 review's range across first-line classes follows."""
    short = dataset.reference(row["source_id"])["short_name"]
    if not short.startswith("NeuPSIG 2015"):
        return ""
    words = " (NeuPSIG 2015 figure.)"
    for rec in ranges:
        if rec["nnt_range_low"] is not None:
            low, high = rec["nnt_range_low"], rec["nnt_range_high"]
            if audience == "trainee":
                return f" NeuPSIG 2015 value; NeuPSIG 2025 gives NNT {_number(low)}–{_number(high)} across the first-line classes (per-class 2025 values not in our sources)."
            return (
                f" This is the 2015 figure. The 2025 update found about {compare.per_hundred(high)} to {compare.per_hundred(low)} more in 100 "
                "helped across all the first-choice medicines, not this one alone."
            )
    return words


def _benefit_cell(dataset: Dataset, option_id: str, pain_type: str, audience: str, show_other: bool) -> Cell:
    found = compare.benefit(dataset, option_id, pain_type, show_other)
    other = tuple(
        f"In {compare.measured_in(r['pain_type'])}: "
        + (nnt_words(r, audience) if r["outcome"] == "nnt" else md_words(r, audience) if r["outcome"] == "md_pain" else r["condition"])
        for r in found.other
        if r["outcome"] in ("nnt", "md_pain")
    )
    other_sources = tuple(r["source_id"] for r in found.other if r["outcome"] in ("nnt", "md_pain"))
    if found.state != "known" or not (found.nnt or found.mean_differences):
        frame = dataset.efficacy
        notes = frame[(frame["option_id"] == option_id) & (frame["pain_type"] == pain_type)]
        text = STATE_WORDS["not_studied" if found.state == "not_studied" else "no_figure"]
        sources: tuple[str, ...] = ()
        if not notes.empty:
            first = notes.iloc[0]
            text += f". {first['note']}" if first["note"] else ""
            sources = (first["source_id"],)
        return Cell(text, "not_studied" if found.state == "not_studied" else "no_figure", sources + other_sources, other)
    parts, sources = [], []
    if found.nnt:
        ranges = compare.recommendations(dataset, option_id, pain_type)
        parts.append(nnt_words(found.nnt, audience) + neupsig_words(dataset, found.nnt, ranges, audience))
        sources.append(found.nnt["source_id"])
        sources.extend(r["source_id"] for r in ranges if r["nnt_range_low"] is not None)
    for row in found.mean_differences[:2]:
        parts.append(md_words(row, audience))
        sources.append(row["source_id"])
    return Cell(" ".join(parts), "known", tuple(dict.fromkeys([*sources, *other_sources])), other)


def _harm_item(row: dict, audience: str) -> str:
    if row["by_analogy"]:
        return f"{row['effect']} (shown by analogy; {row['band_words'].lower()})"
    if audience == "trainee" and row["percent"]:
        placebo = f" vs {row['placebo']} placebo" if row["placebo"] else ""
        return f"{row['effect']} ({row['percent']}{placebo})"
    if row["band"] == compare.NOT_REPORTED:
        return row["effect"]
    return f"{row['effect']} ({row['band_words'].lower()})"


def _harm_cells(harms: pd.DataFrame, audience: str) -> tuple[Cell, Cell]:
    rows = harms.to_dict("records")
    applying = [r for r in rows if r["scope"] != "other"]
    others = [r for r in rows if r["scope"] == "other"]
    common = [r for r in applying if r["severity"] == "bothersome"]
    serious = [r for r in applying if r["severity"] in compare.SERIOUS]

    def cell(items: list[dict], extra: list[dict], empty: str) -> Cell:
        other = tuple(f"In {compare.measured_in(r['pain_type'])}: {_harm_item(r, audience)}" for r in extra)
        sources = tuple(dict.fromkeys(r["source_id"] for r in [*items, *extra]))
        if not items:
            return Cell(empty, "no_figure", sources, other)
        shown = [("⚠ " if r["severity"] == "life_threatening" else "") + _harm_item(r, audience) for r in items[:4]]
        more = f"; and {len(items) - 4} more (see the side-effects chart)" if len(items) > 4 else ""
        return Cell("; ".join(shown) + more + ".", "known", sources, other)

    return (
        cell(common, [r for r in others if r["severity"] == "bothersome"], "No common side effects listed for this pain in our sources"),
        cell(serious, [r for r in others if r["severity"] in compare.SERIOUS], "No serious risks listed for this pain in our sources"),
    )


def _involved_cell(dataset: Dataset, option_id: str, audience: str) -> Cell:
    option = dataset.option(option_id)
    checks = dataset.monitoring[(dataset.monitoring["option_id"] == option_id) & (dataset.monitoring["kind"] == "monitor")]
    item = "item_trainee" if audience == "trainee" else "item_patient"
    first = checks.iloc[0][item] if not checks.empty else ""
    text = f"{option['setting']}. {option['visits']}." + (f" {first}" if first else "")
    sources = [option["logistics_source"], *(checks["source_id"].iloc[:1] if not checks.empty else [])]
    return Cell(text, "known", tuple(dict.fromkeys(sources)))


def _sure_cell(dataset: Dataset, option_id: str, pain_type: str, studied: bool) -> Cell:
    words, source, _ = compare.certainty(dataset, option_id, pain_type)
    if words is None:
        return Cell(
            "Not graded for this pain in our sources" if studied else STATE_WORDS["not_studied"], "no_figure" if studied else "not_studied"
        )
    return Cell(
        f"{words[:1].upper()}{words[1:]} certainty." if "guideline" not in words else f"{words[:1].upper()}{words[1:]}.", "known", (source,)
    )


def _guidance_cell(dataset: Dataset, option_id: str, pain_type: str, audience: str) -> Cell:
    rows = compare.recommendations(dataset, option_id, pain_type)
    if not rows:
        return Cell("No guideline advice on this for this pain in our sources", "no_figure")
    text_key = "text_trainee" if audience == "trainee" else "text_patient"
    return Cell(" ".join(r[text_key] for r in rows), "known", tuple(dict.fromkeys(r["source_id"] for r in rows)))


def _studied(dataset: Dataset, option_id: str, pain_type: str) -> bool:
    """Does any source in the data cover this option for this pain type specifically?"""
    for frame in (dataset.efficacy, dataset.timecourse, dataset.effects, dataset.recommendations):
        if ((frame["option_id"] == option_id) & (frame["pain_type"] == pain_type)).any():
            return True
    return False


def option_cells(dataset: Dataset, option_id: str, pain_type: str, audience: str = "patient", show_other: bool = False) -> dict[str, Cell]:
    """Every question's answer for one option and pain type."""
    times = compare.timecourse_rows(dataset, [option_id], pain_type, show_other)
    harms = compare.harm_rows(dataset, [option_id], pain_type, show_other)
    common, serious = _harm_cells(harms, audience)
    return {
        "soon": _time_cell(times, ("first_relief",), "dose_onset", audience),
        "lasts": _time_cell(times, ("on_treatment", "after_course"), "dose_duration", audience),
        "helps": _benefit_cell(dataset, option_id, pain_type, audience, show_other),
        "common": common,
        "serious": serious,
        "involved": _involved_cell(dataset, option_id, audience),
        "sure": _sure_cell(dataset, option_id, pain_type, _studied(dataset, option_id, pain_type)),
        "guidance": _guidance_cell(dataset, option_id, pain_type, audience),
    }


@dataclass(frozen=True)
class Grid:
    """The grid for a selection: option names, which were tried, and each option's answers."""

    pain_type: str
    option_ids: tuple[str, ...]
    names: tuple[str, ...]
    tried: tuple[bool, ...]
    cells: tuple[dict[str, Cell], ...]

    @property
    def sources(self) -> list[str]:
        return sorted({s for answers in self.cells for cell in answers.values() for s in cell.sources})

    def table(self) -> pd.DataFrame:
        """The grid as one row per option and question (for the data table and the CSV)."""
        rows = []
        for name, answers in zip(self.names, self.cells, strict=True):
            for key, question in QUESTIONS.items():
                cell = answers[key]
                rows.append(
                    {
                        "Option": name,
                        "Question": question,
                        "Answer": cell.text,
                        "State": {"known": "answered", **{k: v.lower() for k, v in STATE_WORDS.items()}}[cell.state],
                        "From other kinds of pain": " | ".join(cell.other),
                        "source_id": "; ".join(cell.sources),
                    }
                )
        return pd.DataFrame(rows)


def question_grid(
    dataset: Dataset,
    option_ids: list[str],
    pain_type: str,
    audience: str = "patient",
    tried: set[str] | None = None,
    show_other: bool = False,
) -> Grid:
    tried = tried or set()
    return Grid(
        pain_type,
        tuple(option_ids),
        tuple(dataset.option(o)["plain_name"] for o in option_ids),
        tuple(o in tried for o in option_ids),
        tuple(option_cells(dataset, o, pain_type, audience, show_other) for o in option_ids),
    )


STATE_ICONS = {"known": "", "no_figure": "—", "not_studied": "⊘"}


def grid_html(grid: Grid, sources) -> str:
    """The grid as one accessible HTML table: options as column headers, questions as row headers.

    The question column stays in view while the table scrolls sideways (``position: sticky``);
    the scroll region is keyboard-focusable and labelled, with a visible cue that it scrolls on a
    narrow screen. A "not studied" answer has a hatched background and the ⊘ sign, a "no figure"
    answer a dash, so the two never look alike and colour is never the only cue. ``sources``
    turns reference ids into (label, href) pairs for each cell's source line. Every value is escaped.
    """
    pain = compare.pain_words(grid.pain_type)
    head = "".join(
        f'<th scope="col">{escape(name)}' + ('<span class="og-tried">✓ you have tried this</span>' if tried else "") + "</th>"
        for name, tried in zip(grid.names, grid.tried, strict=True)
    )
    body = []
    for key, question in QUESTIONS.items():
        cells = []
        for answers in grid.cells:
            cell = answers[key]
            icon = STATE_ICONS[cell.state]
            mark = f'<span class="og-icon" aria-hidden="true">{icon}</span> ' if icon else ""
            extra = ""
            if cell.other:
                items = "".join(f"<li>{escape(line)}</li>" for line in cell.other)
                extra = f'<div class="og-other"><strong>From other kinds of pain, not yours:</strong><ul>{items}</ul></div>'
            links = "; ".join(f'<a href="{escape(href, quote=True)}">{escape(label)}</a>' for label, href in sources(cell.sources))
            cite = f'<small class="og-src">Source{"s" if len(cell.sources) > 1 else ""}: {links}</small>' if links else ""
            cells.append(f'<td class="og-{cell.state}">{mark}{escape(cell.text)}{extra}{cite}</td>')
        body.append(f'<tr><th scope="row">{escape(question)}</th>{"".join(cells)}</tr>')
    caption = f"The options side by side for {pain}"
    # More than one option is wider than a phone, and more than four wider than a desktop column.
    cue = '<p class="og-cue" aria-hidden="true">Scroll sideways to see every option →</p>' if len(grid.names) > 1 else ""
    return (
        f'<div class="og-wrap">{cue}'
        f'<div class="og-scroll" role="region" aria-label="{escape(caption, quote=True)}" tabindex="0">'
        f'<table class="og"><caption>{escape(caption)}</caption><thead><tr><td></td>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
        '<p class="og-key"><span class="og-sample og-not_studied">⊘ Not studied for this pain in our sources</span> '
        '<span class="og-sample og-no_figure">— No figure in our sources</span> '
        '<span class="og-sample">⚠ can be life-threatening</span></p></div>'
    )


# --- the summary card per option ------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    option_id: str
    name: str
    tried: bool
    lines: tuple[tuple[str, str], ...]  # (label, text)
    unknown: tuple[str, ...]
    sources: tuple[str, ...]


def _first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def option_summary(dataset: Dataset, option_id: str, pain_type: str, audience: str = "patient", tried: bool = False) -> Summary:
    """A card a patient can read in half a minute, for the chosen pain: benefit in numbers, how soon and
    how long, the most common and the most serious harm, certainty, and in one line what our
    sources do not say. Only evidence that applies to this pain is used."""
    found = compare.benefit(dataset, option_id, pain_type)
    times = compare.timecourse_rows(dataset, [option_id], pain_type)
    known = times[times["state"] == "known"].to_dict("records")
    harms = [r for r in compare.harm_rows(dataset, [option_id], pain_type).to_dict("records") if not r["by_analogy"]]
    lines, unknown, sources = [], [], []
    if not _studied(dataset, option_id, pain_type):
        lines.append(("For this pain", STATE_WORDS["not_studied"] + "."))
    if found.nnt:
        ranges = compare.recommendations(dataset, option_id, pain_type)
        lines.append(("Benefit", nnt_words(found.nnt, audience) + neupsig_words(dataset, found.nnt, ranges, audience)))
        sources.extend([found.nnt["source_id"], *(r["source_id"] for r in ranges if r["nnt_range_low"] is not None)])
    elif found.state == "no_figure":
        frame = dataset.efficacy
        noted = frame[(frame["option_id"] == option_id) & (frame["pain_type"] == pain_type) & (frame["note"] != "")]
        if noted.empty:
            unknown.append(UNKNOWN_WORDS["helps"])
        else:
            lines.append(("Benefit", f"{STATE_WORDS['no_figure']}. {noted.iloc[0]['note']}."))
            sources.append(noted.iloc[0]["source_id"])
    elif found.mean_differences:
        lines.append(("Benefit", md_words(found.mean_differences[0], audience)))
        sources.append(found.mean_differences[0]["source_id"])
    else:
        unknown.append(UNKNOWN_WORDS["helps"])
    onset = [r for r in known if r["measure"] == "first_relief"] or [r for r in known if r["measure"] == "dose_onset"]
    if onset:
        row = onset[0]
        lead = "one dose starts to work in " if row["measure"] == "dose_onset" else "first relief within "
        lines.append(("How soon", f"{lead}{compare.time_text(row).removeprefix('up to ')}. {_first_sentence(_level_note(row, audience))}"))
        sources.append(row["source_id"])
    else:
        unknown.append(UNKNOWN_WORDS["soon"])
    lasting = [r for r in known if r["measure"] in ("on_treatment", "after_course")]
    if lasting:
        row = max(lasting, key=lambda r: r["high_minutes"])
        what = "benefit shown while on it" if row["measure"] == "on_treatment" else "benefit after a course"
        lines.append(("How long", f"{what}: {compare.time_text(row)}. {_first_sentence(_level_note(row, audience))}"))
        sources.append(row["source_id"])
    else:
        unknown.append(UNKNOWN_WORDS["lasts"])
    common = [r for r in harms if r["severity"] == "bothersome"]
    if common:
        lines.append(("Most common side effect", _harm_item(common[0], audience) + "."))
        sources.append(common[0]["source_id"])
    else:
        unknown.append(UNKNOWN_WORDS["common"])
    serious = [r for r in harms if r["severity"] in compare.SERIOUS]
    if serious:
        lines.append(
            ("Most serious risk", ("⚠ " if serious[0]["severity"] == "life_threatening" else "") + _harm_item(serious[0], audience) + ".")
        )
        sources.append(serious[0]["source_id"])
    words, source, _ = compare.certainty(dataset, option_id, pain_type)
    if words:
        lines.append(("How sure", f"{words[:1].upper()}{words[1:]}" + ("." if "guideline" in words else " certainty.")))
        sources.append(source)
    else:
        unknown.append(UNKNOWN_WORDS["sure"])
    return Summary(option_id, dataset.option(option_id)["plain_name"], tried, tuple(lines), tuple(unknown), tuple(dict.fromkeys(sources)))


def summaries_html(dataset: Dataset, grid: Grid, sources, audience: str = "patient") -> str:
    """One card per option of the grid (ketamine first when chosen), as one block of HTML; every value escaped."""
    cards = []
    for option_id, tried in zip(grid.option_ids, grid.tried, strict=True):
        card = option_summary(dataset, option_id, grid.pain_type, audience, tried)
        tried = '<span class="og-tried">✓ you have tried this</span>' if card.tried else ""
        items = "".join(f"<li><strong>{escape(label)}:</strong> {escape(text)}</li>" for label, text in card.lines)
        if card.unknown and card.lines[:1] != (("For this pain", STATE_WORDS["not_studied"] + "."),):
            items += f'<li class="og-unknown"><strong>Not in our sources for this pain:</strong> {escape(", ".join(card.unknown))}.</li>'
        links = "; ".join(f'<a href="{escape(href, quote=True)}">{escape(label)}</a>' for label, href in sources(card.sources))
        cite = f"<p><small>Sources: {links}</small></p>" if links else ""
        cards.append(f'<div class="og-card"><h3>{escape(card.name)}{tried}</h3><ul>{items}</ul>{cite}</div>')
    return f'<div class="og-cards">{"".join(cards)}</div>'


CSS = """
<style>
.og-wrap { margin-bottom: 1rem; }
.og-cue { font-size: 0.875rem; margin: 0 0 0.25rem; }
/* A shadow at the right edge while there is more to scroll to (it scrolls away with the content at the end). */
.og-scroll { overflow-x: auto; border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem;
  background: linear-gradient(to left, var(--og-bg, light-dark(#ffffff, #0e1117)) 30%, transparent) 100% 0 / 2.5rem 100% no-repeat local,
    radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, 0.28), transparent) 100% 0 / 1rem 100% no-repeat scroll; }
.og-scroll:focus-visible { outline: 3px solid #E69F00; outline-offset: 2px; }
table.og { border-collapse: separate; border-spacing: 0; margin: 0; font-size: 0.9rem; min-width: 100%; }
table.og caption { text-align: left; font-weight: 600; padding: 0.5rem 0.75rem; }
table.og th, table.og td { vertical-align: top; padding: 0.5rem 0.6rem; border: 0; border-top: 1px solid color-mix(in srgb, currentColor 15%, transparent); }
table.og tbody td, table.og thead th { min-width: 11rem; max-width: 22rem; }
table.og thead th { font-weight: 600; }
table.og th[scope="row"] { position: sticky; left: 0; z-index: 1; min-width: 8rem; max-width: 10rem;
  background: var(--og-bg, light-dark(#ffffff, #0e1117)); box-shadow: 2px 0 0 color-mix(in srgb, currentColor 15%, transparent); }
table.og thead td { position: sticky; left: 0; z-index: 2; background: var(--og-bg, light-dark(#ffffff, #0e1117)); }
td.og-not_studied { background: repeating-linear-gradient(135deg, transparent 0 6px, color-mix(in srgb, currentColor 9%, transparent) 6px 8px); }
td.og-no_figure { color: color-mix(in srgb, currentColor 80%, transparent); }
.og-icon { font-weight: 700; }
.og-other { margin-top: 0.4rem; padding: 0.3rem 0.5rem; border: 1px dashed color-mix(in srgb, currentColor 45%, transparent); border-radius: 0.25rem; }
.og-other ul { margin: 0.2rem 0 0 1rem; padding: 0; }
.og-src { display: block; margin-top: 0.3rem; }
.og-tried { display: inline-block; margin-left: 0.4rem; padding: 0 0.35rem; border-radius: 0.25rem; font-size: 0.75rem; font-weight: 600;
  border: 1px solid currentColor; }
.og-key { font-size: 0.875rem; margin: 0.4rem 0 0; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
.og-sample { padding: 0 0.35rem; }
.og-sample.og-not_studied { background: repeating-linear-gradient(135deg, transparent 0 6px, color-mix(in srgb, currentColor 12%, transparent) 6px 8px); }
.og-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 1rem; margin-bottom: 1rem; }
.og-card { border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem; padding: 0.25rem 1rem 0.25rem; }
.og-card h3 { font-size: 1.25rem !important; padding: 0.5rem 0 !important; }
.og-card ul { margin: 0 0 0.5rem 0 !important; padding: 0 !important; list-style: none; }
.og-card li { margin: 0.3rem 0 !important; padding: 0 !important; }
@media (max-width: 640px) {
  table.og tbody td, table.og thead th { min-width: 13rem; }
  table.og th[scope="row"] { min-width: 6.5rem; max-width: 7.5rem; width: 7.5rem; hyphens: auto; }
}
@media print {
  @page { size: A4; margin: 12mm; }
  .og-cue { display: none; }
  .og-scroll { overflow: visible; border: 0; }
  table.og { font-size: 8.5pt; width: 100%; table-layout: fixed; }
  table.og th, table.og td, table.og tbody td, table.og thead th { min-width: 0; max-width: none; padding: 3pt 4pt; }
  table.og th[scope="row"] { position: static; box-shadow: none; }
  table.og tr { break-inside: avoid; }
  .og-card { break-inside: avoid; }
}
</style>
"""
