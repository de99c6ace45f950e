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
left, right = st.columns(2)
priorities = left.multiselect(
    "What matters most to you?",
    list(consult.PRIORITIES),
    format_func=consult.PRIORITIES.get,
    placeholder="Choose one or more",
    key="consult_priorities",
    persist_state="session",
)
tried = right.multiselect(
    "What have you already tried?",
    list(consult.TRIED),
    format_func=consult.TRIED.get,
    placeholder="Choose any you have tried",
    key="consult_tried",
    persist_state="session",
)

state = consult.sync(st.session_state.get(STATE, consult.new_state()), priorities, tried)
st.session_state[STATE] = state


def _apply(new_state: dict) -> None:
    st.session_state[STATE] = new_state


ui.text("## Your questions")
st.caption("Use Up and Down to change the order. Take out any you do not need, and add your own at the end.")
why = {s.id: s for s in consult.all_suggestions()}
items = state["items"]
for index, item in enumerate(items):
    with st.container(border=True, key=f"consult_item_{item['key']}"):
        label = f"{index + 1}. {ui.safe_text(item['text'])}"
        ui.text(label + (" *(your question)*" if item["own"] else ""), private=item["own"])
        if not item["own"] and item["key"] in why:
            st.caption(why[item["key"]].why_patient)
        buttons = st.container(horizontal=True, gap="small")
        buttons.button(
            "Up",
            icon=":material/arrow_upward:",
            key=f"up_{item['key']}",
            help=f"Move question {index + 1} up",
            disabled=index == 0,
            on_click=lambda key=item["key"]: _apply(consult.move(st.session_state[STATE], key, -1)),
        )
        buttons.button(
            "Down",
            icon=":material/arrow_downward:",
            key=f"down_{item['key']}",
            help=f"Move question {index + 1} down",
            disabled=index == len(items) - 1,
            on_click=lambda key=item["key"]: _apply(consult.move(st.session_state[STATE], key, 1)),
        )
        buttons.button(
            "Remove",
            icon=":material/close:",
            key=f"remove_{item['key']}",
            help=f"Remove question {index + 1}",
            on_click=lambda key=item["key"]: _apply(consult.remove(st.session_state[STATE], key)),
        )

if state["removed"]:
    st.button(
        f"Bring back the {len(state['removed'])} suggested question{'s' if len(state['removed']) != 1 else ''} you removed",
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

used_sources = sorted({ref for item in items if item["key"] in why for ref in why[item["key"]].sources})
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

ui.text("## Download your summary")
summary = consult.build_summary(
    st.session_state[STATE],
    priorities,
    tried,
    key_facts(ui.audience(), str(data_dir())),
    content_lib.latest_review(ui.sections()) or facts_section.reviewed,
    values=values if include_values else None,
    audience=ui.audience(),
)
ui.text(
    f"Your summary has {len(summary.questions)} question{'s' if len(summary.questions) != 1 else ''}, "
    "what matters to you, the key facts with their sources and the date the content was last reviewed. "
    "The printable page fits on one or two sheets of A4 paper."
)
# Each file is made only when its button is clicked (data is a function), and recorded so that its
# address answers for KEPT_SECONDS only (explainer/downloads.py, serve.py). A click needs no rerun.
html_col, md_col = st.columns(2)
html_col.download_button(
    "Download printable page (HTML)",
    lambda: downloads.made(consult.render_html(summary)),
    file_name="questions-for-my-visit.html",
    mime="text/html",
    icon=":material/print:",
    key="consult_download_html",
    on_click="ignore",
)
md_col.download_button(
    "Download as text (Markdown)",
    lambda: downloads.made(consult.render_markdown(summary)),
    file_name="questions-for-my-visit.md",
    mime="text/markdown",
    icon=":material/download:",
    key="consult_download_md",
    on_click="ignore",
)
st.caption(consult.download_note(KEPT_SECONDS))
ui.page_link("glossary", label="Look up a word in the Glossary", icon=":material/menu_book:")
ui.review_caption(intro)
