"""Patient story: step through one person's choices, with the facts and risks behind each step.

The story files live in data/stories/; explainer/vignette.py checks them and decides where each
button leads. This page reads the position from the URL (?story=<id>&step=<n>), draws the step,
and writes the position back so that any step can be shared.
"""

from pathlib import Path

import streamlit as st

from explainer import data_dir, tables, ui, vignette
from explainer import evidence as evidence_lib

TRAIL_KEY = "vignette_trail"
PICK_KEY = "vignette_story_pick"


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


def show_decision(story: vignette.Story, step: vignette.Step, trail: list[int]) -> None:
    choices = {choice.id: choice for choice in step.choices}
    picked = st.radio(
        "Which way would you lean?",
        list(choices),
        format_func=lambda choice_id: choices[choice_id].label,
        index=None,
        key=f"vchoice_{story.id}",
    )
    if picked is None:
        st.caption("Pick an option to see its trade-offs side by side, then see what might follow.")
        return
    choice = choices[picked]
    ui.text(f"**{choice.label}.** {choice.summary}")
    show_tradeoffs(story, choice)
    target = story.step(choice.next)
    st.button(
        "See what happens",
        type="primary",
        icon=":material/arrow_forward:",
        key=f"vgo_{story.id}_{choice.id}",
        on_click=_go,
        args=(story.id, target.number, vignette.forward(trail, step.number, target.number)),
    )


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
    st.header(step.title)
    ui.text(step.text(ui.audience()))

    if step.kind == "candidacy":
        show_candidacy(story, step)
    if step.chart:
        show_chart(story, step.chart)
    if step.kind == "outcome":
        choice = story.choice_leading_to(step)
        if choice is not None:
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
    else:
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
        on_click=_go,
        args=(story.id, story.start.number, [story.start.number]),
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
