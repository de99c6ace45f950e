"""Prepare for your visit: choose what matters, edit a question list, download a summary."""

import streamlit as st

from explainer import consult, data_dir, downloads, evidence, ui
from explainer import content as content_lib


# The key facts and their formatted references depend only on the reading level and the data:
# built once per level and shared read-only (KeyFacts is frozen), not on every run of every visit.
@ui.view_cache(max_entries=8)
def key_facts(audience: str, folder: str) -> consult.KeyFacts:  # noqa: ARG001 - folder keys the cache
    reference_text = {row["id"]: evidence.format_reference(row) for row in ui.references().to_dict("records")}
    return consult.key_facts(content_lib.pick(ui.sections(), "consult/facts", audience).body, reference_text)


st.title("Prepare for your visit")
ui.text("Turn what you have read into a short list of questions to take to your appointment.")
intro = ui.show_section("consult/intro")
# How long the server keeps a closed visit, and a summary's download address answers (serve.py): its own setting.
KEPT_SECONDS = st.get_option("server.disconnectedSessionTTL")
ui.text(consult.privacy_text(ui.audience(), KEPT_SECONDS))
ui.clinic_note()

STATE = "consult_questions"
CUT_NOTE = "consult_cut_note"  # shown once, after the rerun that adds the question

ui.text("## What matters to you")
# The choices stay for the whole visit (persist_state="session"): a patient who follows the Glossary or
# Compare link below and comes back finds them, and the suggested questions that follow from them, as left.
# At the patient level the lists have no "Select all": choosing everything would bury the few questions
# that matter under all of them (the trainee lists keep it).
select_all = ui.is_trainee()
left, right = st.columns(2)
priorities = left.multiselect(
    "What matters most to you?",
    list(consult.PRIORITIES),
    format_func=consult.PRIORITIES.get,
    placeholder="Choose one or more",
    key="consult_priorities",
    persist_state="session",
    select_all=select_all,
)
tried = right.multiselect(
    "What have you already tried?",
    list(consult.TRIED),
    format_func=consult.TRIED.get,
    placeholder="Choose any you have tried",
    key="consult_tried",
    persist_state="session",
    select_all=select_all,
)

state = consult.sync(st.session_state.get(STATE, consult.new_state()), priorities, tried)
st.session_state[STATE] = state
# Questions the patient story added (pages/vignette.py): plain strings, shown as their own group.
story = consult.story_questions(st.session_state.get("story_questions"))


def _apply(new_state: dict) -> None:
    st.session_state[STATE] = new_state


why = {s.id: s for s in consult.all_suggestions()}
listed = consult.listed(state, story)
shown, folded = consult.split_shown(listed)
items = state["items"]
top_size = sum(1 for entry in listed if entry.group == consult.GROUP_TOP)


def draw_question(entry: consult.ListedQuestion, previous_group: str | None) -> None:
    if entry.group != previous_group:
        ui.text(f"### {consult.group_title(entry.group, top_size)}")
    with st.container(border=True, key=f"consult_item_{entry.key}"):
        label = f"{entry.number}. {ui.safe_text(entry.text)}"
        ui.text(label + (" *(your question)*" if entry.own else ""), private=entry.own or entry.position is None)
        if not entry.own and entry.key in why:
            st.caption(why[entry.key].why_patient)
        buttons = st.container(horizontal=True, gap="small")
        if entry.position is not None:  # the story's questions keep their group: no Up or Down
            buttons.button(
                "Up",
                icon=":material/arrow_upward:",
                key=f"up_{entry.key}",
                help=f"Move question {entry.number} up",
                disabled=entry.position == 0,
                on_click=lambda key=entry.key: _apply(consult.move(st.session_state[STATE], key, -1)),
            )
            buttons.button(
                "Down",
                icon=":material/arrow_downward:",
                key=f"down_{entry.key}",
                help=f"Move question {entry.number} down",
                disabled=entry.position == len(items) - 1,
                on_click=lambda key=entry.key: _apply(consult.move(st.session_state[STATE], key, 1)),
            )
        buttons.button(
            "Remove",
            icon=":material/close:",
            key=f"remove_{entry.key}",
            help=f"Remove question {entry.number}",
            on_click=lambda key=entry.key: _apply(consult.remove(st.session_state[STATE], key)),
        )


ui.text("## Your questions")
ui.text(consult.length_text(len(listed), len(shown)))
st.caption(
    f"Your top {consult.TOP_COUNT} come first. Use Up and Down to change the order. "
    "Take out any you do not need, and add your own at the end."
)
previous = None
for entry in shown:
    draw_question(entry, previous)
    previous = entry.group
if folded:
    # Drawn only while open (on_change="rerun"); its key keeps it open as questions move or go.
    more = st.expander(consult.more_label(len(folded)), key="consult_more", on_change="rerun")
    if more.open:
        with more:
            for entry in folded:
                draw_question(entry, previous)
                previous = entry.group

if removed := consult.removed_count(state, story):
    st.button(
        f"Bring back the {removed} question{'s' if removed != 1 else ''} you removed",
        key="consult_restore",
        icon=":material/undo:",
        on_click=lambda: _apply(consult.restore(st.session_state[STATE], priorities, tried)),
    )

with st.form("consult_add", clear_on_submit=True, border=False):
    # The box takes a long paste (MAX_PASTE): the browser would drop one longer than max_chars without a word.
    own = st.text_input(
        "Add your own question",
        max_chars=consult.MAX_PASTE,
        key="consult_own",
        placeholder=f"Up to {consult.MAX_QUESTION_LENGTH} characters",
    )
    added = st.form_submit_button("Add question", icon=":material/add:", key="consult_add_submit")
if added:
    new_state, problem = consult.add_own(st.session_state[STATE], own)
    if problem:
        ui.notice(problem)
    else:
        st.session_state[STATE] = new_state
        st.session_state[CUT_NOTE] = consult.cut_note(own)
        st.rerun()
if note := st.session_state.pop(CUT_NOTE, None):
    ui.notice(note)

used_sources = sorted({ref for entry in listed if entry.key in why for ref in why[entry.key].sources})
if used_sources:
    ui.cite(used_sources)

facts_section = ui.show_section("consult/facts")

values = consult.parse_values(st.session_state.get("visit_values"))
include_values = False
if values:
    ui.text("## Your values from the Compare page")
    include_values = st.checkbox("Add my Compare results to the summary", value=True, key="consult_include_values", persist_state="session")
    if values.ranking:
        ui.text(
            "Options ranked by your choices: "
            + "; ".join(f"{n}. {ui.safe_text(name)}" for n, (name, _) in enumerate(values.ranking, start=1))
        )
else:
    st.caption("On the Compare page you can weigh what matters to you; the result can be added to this summary.")
    ui.page_link("compare", label="Weigh your options on the Compare page", icon=":material/compare_arrows:")

ui.text("## Print or download your summary")
summary = consult.build_summary(
    st.session_state[STATE],
    priorities,
    tried,
    key_facts(ui.audience(), str(data_dir())),
    content_lib.latest_review(ui.sections()) or facts_section.reviewed,
    values=values if include_values else None,
    audience=ui.audience(),
    story=story,
)
ui.text(consult.summary_text(len(summary.questions), bool(folded)))
# The Print button prints the summary only (consult.PRINT_CSS; explainer/scripts/print-visit.js calls
# window.print() on a click of the button keyed consult_print). The page's printout is the summary
# drawn below, hidden on screen; it holds what the visitor typed, so it is drawn for this run only.
st.html(consult.PRINT_CSS)
with st.container(key="visit_print"):
    st.html(consult.print_html(summary))
# Each file is made only when its button is clicked (data is a function), and recorded so that its
# address answers for KEPT_SECONDS only (explainer/downloads.py, serve.py). A click needs no rerun.
actions = st.container(horizontal=True, gap="small")
actions.button("Print", icon=":material/print:", key="consult_print", help="Print your summary (only the summary prints)")
actions.download_button(
    "Download printable page (HTML)",
    lambda: downloads.made(consult.render_html(summary)),
    file_name="questions-for-my-visit.html",
    mime="text/html",
    icon=":material/download:",
    key="consult_download_html",
    on_click="ignore",
)
actions.download_button(
    "Download as text",
    lambda: downloads.made(consult.render_markdown(summary)),
    file_name="questions-for-my-visit.txt",
    mime="text/plain",
    icon=":material/download:",
    key="consult_download_text",
    on_click="ignore",
)
st.caption(consult.download_note(KEPT_SECONDS))
ui.page_link("glossary", label="Look up a word in the Glossary", icon=":material/menu_book:")
ui.review_caption(intro)
