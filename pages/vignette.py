"""Patient story: step through one person's choices, with the facts and risks behind each step.

The story files live in data/stories/; explainer/vignette.py checks them and decides where each
button leads. This page reads the position from the URL (?story=<id>&step=<n>), draws the step,
and writes the position back so that any step can be shared. At the decision every choice is a card,
side by side, and the choices tried stay marked; the takeaways step can put the story's questions on
the visit list (st.session_state["story_questions"]). On each step change the browser script
explainer/scripts/story-focus.js brings the step heading to the top and focuses it.
"""

from pathlib import Path

import streamlit as st

from explainer import data_dir, tables, ui, vignette
from explainer import evidence as evidence_lib

TRAIL_KEY = "vignette_trail"
PICK_KEY = "vignette_story_pick"
TRIED_KEY = "vignette_tried"  # {story id: choice ids in the order tried}; only Restart forgets them
QUESTIONS_KEY = "story_questions"  # list of str: the Prepare-for-your-visit page shows them
ADDED_KEY = "vignette_questions_added"  # (story id, how many): the message after the button, shown once


@ui.view_cache()
def _stories(folder: str) -> dict[str, vignette.Story]:
    dataset = ui.dataset()
    return vignette.load_stories(Path(folder) / vignette.STORIES_FOLDER, dataset.reference_ids, dataset.option_ids)


# The charts and trade-off tables depend only on the data and the story step: build each once and
# share it read-only (the figure's dict, the table's HTML and CSV), so a rerun only draws.
@ui.view_cache(max_entries=64)
def _chart(folder: str, story_id: str, name: str, title: str) -> tuple[vignette.ChartResult, str, bytes]:
    result = vignette.chart_for(_stories(folder)[story_id], name)
    shown = tables.table_html(result.table, f"Chart data: {title}", row_headers=False)
    return result, shown, result.table.to_csv(index=False).encode("utf-8")


@ui.view_cache(max_entries=256)
def _tradeoffs(folder: str, options: tuple[str, ...], audience: str, pain_type: str, label: str) -> tuple[list[dict], str, bytes]:  # noqa: ARG001 - folder keys the cache
    table = vignette.tradeoffs(ui.dataset(), list(options), audience, pain_type)
    shown = tables.table_html(table, f"Trade-offs as a table: {label}", line_breaks={"Side effects": vignette.EFFECT_SEPARATOR})
    return table.to_dict("records"), shown, table.to_csv(index=False).encode("utf-8")


def _go(story_id: str, number: int, trail: list[int]) -> None:
    """Button callback: move to a step and remember the way back."""
    st.query_params["story"] = story_id
    st.query_params["step"] = str(number)
    st.session_state[TRAIL_KEY] = {story_id: trail}


def _restart(story_id: str, number: int) -> None:
    """Button callback: start the story again, forgetting the choices tried."""
    st.session_state.setdefault(TRIED_KEY, {}).pop(story_id, None)
    _go(story_id, number, [number])


def _add_questions(story_id: str, questions: tuple[str, ...]) -> None:
    """Button callback: put the story's questions on the visit list (none twice)."""
    kept, added = vignette.add_questions(st.session_state.get(QUESTIONS_KEY), questions)
    st.session_state[QUESTIONS_KEY] = kept
    st.session_state[ADDED_KEY] = (story_id, added)


def tried_choices(story: vignette.Story) -> tuple[str, ...]:
    return tuple(st.session_state.get(TRIED_KEY, {}).get(story.id, ()))


def _pick_story() -> None:
    story_id = st.session_state[PICK_KEY]
    _go(story_id, 1, [1])


def show_chart(story: vignette.Story, name: str) -> None:
    title = "Pain over the weeks" if name == "pain" else "Blood pressure and heart rate in one session"
    result, shown, csv = _chart(str(data_dir()), story.id, name, title)
    st.subheader(title)
    st.caption(f"**{vignette.ILLUSTRATIVE}.** The numbers are made up to show a shape that trials report; they are not anyone's readings.")
    ui.prepared_html(result.html)  # HTML and SVG, with its own CSS (explainer/line_charts.py)
    ui.text(f"**What the chart shows.** {result.summary}")
    with st.expander("Chart data (table)"):
        ui.prepared_table(shown)
        ui.csv_download(csv, "Download the chart data (CSV)", f"{story.id}-{name}", key=f"download_{story.id}_{name}")
    ui.cite(result.sources, label="Shape source")


def show_tradeoffs(story: vignette.Story, choice: vignette.Choice) -> None:
    if not choice.options:
        ui.text("This choice starts no new treatment, so there are no new onset, side-effect or logistics facts to compare.")
        return
    records, shown, csv = _tradeoffs(str(data_dir()), tuple(choice.options), ui.audience(), story.pain_type, choice.label)
    for row in records:
        with st.container(border=True):
            ui.text(f"**{ui.safe_text(row['Option'])}**")
            for column in ("Onset", "How long it lasts"):
                ui.text(f"**{column}:** {ui.safe_text(row[column])}")
            effects = row["Side effects"].split(vignette.EFFECT_SEPARATOR)
            ui.text("**Side effects:**\n" + "\n".join(f"- {ui.safe_text(effect)}" for effect in effects))
            ui.text(f"**Logistics:** {ui.safe_text(row['Logistics'])}")
            ui.cite([ref.strip() for ref in row["source_ids"].split(",")])
    with st.expander("Trade-offs as a table"):
        ui.prepared_table(shown)
        ui.csv_download(csv, "Download the trade-offs (CSV)", f"{story.id}-{choice.id}", key=f"download_{story.id}_{choice.id}")
    st.caption("The same facts as the Compare page, from the site's data tables.")


def show_candidacy(story: vignette.Story, step: vignette.Step) -> None:
    ticked = set()
    for check in step.checks:
        if st.checkbox(check.question, key=f"vcheck_{story.id}_{check.id}"):
            ticked.add(check.id)
            with st.container(border=True):
                verdict = (
                    "✓ **No concern here.**" if check.status == "clear" else "⚠ **Needs care.**"  # a mark and words: ui.text draws no icons
                )
                ui.text(f"{verdict} {story.person.split(',')[0]}: {check.finding}")
                ui.text(check.why_trainee if ui.is_trainee() else check.why_patient)
                ui.cite(check.sources)
    ui.text(f"**{vignette.candidacy_summary(story.person, step.checks, ticked)}**")


@ui.view_cache(max_entries=64)
def _decision_table(folder: str, story_id: str, audience: str) -> tuple[str, bytes]:
    story = _stories(folder)[story_id]
    table = vignette.decision_tradeoffs(ui.dataset(), story.decision.choices, audience, story.pain_type)
    shown = tables.table_html(table, "Trade-offs as a table: every choice", line_breaks={"Side effects": vignette.EFFECT_SEPARATOR})
    return shown, table.to_csv(index=False).encode("utf-8")


# The step marker's slot takes no space (the marker is for explainer/scripts/story-focus.js only). The choice
# cards at the decision wrap onto the next line rather than narrow below 15rem (a clinic's 800-px frame with
# the sidebar open), and their headings are sized for a card, the first flush with the card's top.
STORY_CSS = """<style>
[data-testid="stElementContainer"]:has(.story-step-marker) { display: none; }
[data-testid="stHorizontalBlock"]:has([class*="st-key-vcard_"]) { flex-wrap: wrap; }
[data-testid="stHorizontalBlock"]:has([class*="st-key-vcard_"]) > [data-testid="stColumn"] { flex: 1 1 15rem; min-width: min(15rem, 100%); }
[class*="st-key-vcard_"] [data-testid="stHtml"] h4 { font-size: 1.15rem; font-weight: 600; line-height: 1.3; margin: 0 0 0.5rem; padding: 0; }
[class*="st-key-vcard_"] [data-testid="stHtml"] h5 { font-size: 1rem; font-weight: 600; margin: 0.25rem 0 0.5rem; padding: 0; }
</style>"""


def show_choice_card(story: vignette.Story, step: vignette.Step, card: vignette.DecisionCard, trail: list[int]) -> None:
    choice = card.choice
    with st.container(border=True, key=f"vcard_{choice.id}"):
        tried = "\n\n✓ **You tried this choice.**" if card.tried else ""  # a mark and words, never colour alone
        ui.text(f"#### {ui.safe_text(choice.label)}\n\n{ui.safe_text(choice.summary)}{tried}")
        st.button(
            "See what happens",
            type="secondary" if card.tried else "primary",
            icon=":material/arrow_forward:",
            key=f"vgo_{story.id}_{choice.id}",
            on_click=_go,
            args=(story.id, card.outcome.number, vignette.forward(trail, step.number, card.outcome.number)),
            width="stretch",
        )
        if not choice.options:
            ui.text("This choice starts no new treatment, so there are no new onset, side-effect or logistics facts to compare.")
            return
        records, _, _ = _tradeoffs(str(data_dir()), tuple(choice.options), ui.audience(), story.pain_type, choice.label)
        for row in records:
            effects = "\n".join(f"- {ui.safe_text(effect)}" for effect in row["Side effects"].split(vignette.EFFECT_SEPARATOR))
            ui.text(
                f"##### {ui.safe_text(row['Option'])}\n\n**Onset:** {ui.safe_text(row['Onset'])}\n\n"
                f"**How long it lasts:** {ui.safe_text(row['How long it lasts'])}\n\n**Side effects:**\n{effects}\n\n"
                f"**Logistics:** {ui.safe_text(row['Logistics'])}"
            )
            ui.cite([ref.strip() for ref in row["source_ids"].split(",")])


def show_decision(story: vignette.Story, step: vignette.Step, trail: list[int]) -> None:
    """Every choice side by side (columns on a wide screen, one under another on a phone), tried ones marked."""
    cards = vignette.decision_cards(story, tried_choices(story))
    note = vignette.tried_note(sum(card.tried for card in cards), len(cards))
    ui.text(note or "Each choice's trade-offs are side by side. Choose one to see what might follow; you can come back and try the others.")
    start = 0
    for size in vignette.card_rows(len(cards)):
        for column, card in zip(st.columns(size), cards[start : start + size], strict=True):
            with column:
                show_choice_card(story, step, card, trail)
        start += size
    shown, csv = _decision_table(str(data_dir()), story.id, ui.audience())
    with st.expander("Trade-offs as a table"):
        ui.prepared_table(shown)
        ui.csv_download(csv, "Download the trade-offs (CSV)", f"{story.id}-choices", key=f"download_{story.id}_choices")
    st.caption("The same facts as the Compare page, from the site's data tables.")


def show_visit_questions(story: vignette.Story) -> None:
    """The takeaways step: the story's questions, a button that adds them to the visit list, and the way on."""
    st.subheader("Questions for your visit")
    questions = vignette.story_questions(story, tried_choices(story))
    ui.text("Questions from this story you could ask your own care team:\n\n" + "\n".join(f"- {ui.safe_text(q)}" for q in questions))
    st.button(
        "Add these questions to my visit list",
        type="primary",
        icon=":material/playlist_add:",
        key=f"vquestions_{story.id}",
        on_click=_add_questions,
        args=(story.id, questions),
    )
    added = st.session_state.pop(ADDED_KEY, None)
    if added is not None and added[0] == story.id:
        st.success(
            f"{vignette.added_message(added[1])} You can see and change the list on Prepare for your visit.", icon=":material/check_circle:"
        )
    ui.page_link("consult", label="Go on to Prepare for your visit", icon=":material/checklist:")


def show_question(story: vignette.Story, step: vignette.Step) -> None:
    st.subheader("Check yourself")
    question = step.question
    picked = st.radio(question.prompt, question.options, index=None, key=f"vquiz_{story.id}_{step.id}")
    verdict = question.is_correct(picked)
    if verdict is True:
        st.success(f"**Correct.** {question.feedback}", icon=":material/check_circle:")
    elif verdict is False:
        st.warning(f"**Not quite.** The answer is: {question.options[question.answer]}. {question.feedback}", icon=":material/info:")


def show_step(story: vignette.Story, step: vignette.Step, trail: list[int]) -> None:
    here, total = story.position(step)
    st.progress(here / total, text=f"Step {here} of {total}: {step.title}")
    st.header(step.title, anchor="story-step")
    st.html(STORY_CSS)
    # Marks the step on screen: explainer/scripts/story-focus.js brings the heading to the top and focuses it when this changes.
    st.html(vignette.step_marker_html(story.id, step.id))
    ui.text(step.text(ui.audience()))

    if step.kind == "candidacy":
        show_candidacy(story, step)
    if step.chart:
        show_chart(story, step.chart)
    if step.kind == "outcome":
        choice = story.choice_leading_to(step)
        if choice is not None:
            tried = st.session_state.setdefault(TRIED_KEY, {})
            tried[story.id] = list(vignette.record_choice(tried.get(story.id), choice.id))
            st.subheader("Trade-offs of this choice")
            show_tradeoffs(story, choice)
        st.subheader("What the team would watch next")
        ui.text("\n".join(f"- {item}" for item in step.watch))
    if step.kind == "decision":
        st.subheader("The options")
        show_decision(story, step, trail)

    ui.cite(step.sources)
    if step.glossary:
        links = " · ".join(
            f"[{vignette.GLOSSARY_TERMS[term]}]({ui.page_href('glossary', anchor=f'term-{term}')})" for term in step.glossary
        )
        ui.text(f"Words used here: {links}")

    if ui.is_trainee():
        show_question(story, step)
    if step.kind == "takeaways":
        show_visit_questions(story)
    elif not ui.is_trainee():
        st.subheader("What to ask your team")
        ui.text("\n".join(f"- {item}" for item in step.ask))

    show_navigation(story, step, trail)


def show_navigation(story: vignette.Story, step: vignette.Step, trail: list[int]) -> None:
    st.divider()
    back, forward_column, restart = st.columns(3)
    previous, back_trail = vignette.back_from(story, step.number, trail)
    back.button(
        "Back",
        icon=":material/arrow_back:",
        key="vignette_back",
        disabled=step.number == story.start.number,
        on_click=_go,
        args=(story.id, previous, back_trail),
        width="stretch",
    )
    if step.kind == "outcome" and story.decision is not None:
        decision = story.decision
        forward_column.button(
            "Try another choice",
            icon=":material/alt_route:",
            key="vignette_other_choice",
            on_click=_go,
            args=(story.id, decision.number, [*story_numbers(story, decision)]),
            width="stretch",
        )
    following = None if step.kind == "decision" else story.following(step)
    if following is not None:
        forward_column.button(
            "Next",
            type="primary",
            icon=":material/arrow_forward:",
            key="vignette_next",
            on_click=_go,
            args=(story.id, following.number, vignette.forward(trail, step.number, following.number)),
            width="stretch",
        )
    restart.button(
        "Restart",
        icon=":material/restart_alt:",
        key="vignette_restart",
        disabled=step.number == story.start.number,
        on_click=_restart,
        args=(story.id, story.start.number),
        width="stretch",
    )


def story_numbers(story: vignette.Story, step: vignette.Step) -> list[int]:
    return [story.step(step_id).number for step_id in story.route_to(step.id)]


st.title("Patient story")
ui.text(
    "Step through one person's treatment choices. Each step shows what the team weighs, what the evidence says, "
    "and where it comes from. The people are invented; the facts are cited."
)

try:
    stories = _stories(str(data_dir()))
except evidence_lib.DataError as error:
    st.error(
        f"The patient stories cannot be shown because a story file needs fixing.\n\n{ui.safe_text(str(error))}", icon=":material/error:"
    )
    stories = {}

if stories:
    location = vignette.locate(stories, st.query_params.get("story"), st.query_params.get("step"))
    if location.notice:
        ui.notice(location.notice)
    story = stories[location.story_id]
    st.query_params["story"] = story.id
    st.query_params["step"] = str(location.number)

    st.session_state[PICK_KEY] = story.id
    st.selectbox(
        "Choose a story",
        list(stories),
        format_func=lambda story_id: f"{stories[story_id].person}: {stories[story_id].title}",
        key=PICK_KEY,
        on_change=_pick_story,
    )
    st.caption(story.blurb)

    step = story.at(location.number)
    trail = st.session_state.get(TRAIL_KEY, {}).get(story.id) or story_numbers(story, step)
    show_step(story, step, trail)
    st.caption(f"Story last reviewed {story.reviewed:%-d %B %Y}. Not medical advice: talk to your own care team about your situation.")
