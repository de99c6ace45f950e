"""Glossary: every technical word on the site, searchable, with an anchor per term; trainee self-check."""

import secrets
from pathlib import Path

import streamlit as st

from explainer import data_dir, ui
from explainer import glossary as glossary_lib
from explainer import quiz as quiz_lib
from explainer.evidence import DataError
from explainer.quoting import quoted


@ui.view_cache()
def _glossary(folder: str, reference_ids: tuple[str, ...]):
    return glossary_lib.load_glossary(Path(folder), reference_ids)


@ui.view_cache()
def _quiz(folder: str, reference_ids: tuple[str, ...]):
    return quiz_lib.load_quiz(Path(folder), reference_ids)


@ui.view_cache(max_entries=64)
def _full_list(folder: str, reference_ids: tuple[str, ...], trainee: bool, sources_link: str) -> tuple[str, str]:  # noqa: ARG001 - sources_link keys the cache
    """The A-to-Z index and every card, for the page with no search: made once per view, not per run."""
    every = _glossary(folder, reference_ids)
    index = " · ".join(f"[{ui.safe_text(row.term)}](#{glossary_lib.anchor(row.slug)})" for row in every.itertuples())
    return index, glossary_lib.cards_html(every.to_dict("records"), trainee, ui.source_links())


st.title("Glossary")
intro = ui.show_section("glossary/intro")
reference_ids = ui.reference_ids()


def _broken(what: str, error: DataError) -> None:
    st.error(f"The {what} cannot be shown because a data file needs fixing.\n\n{ui.safe_text(str(error))}", icon=":material/error:")


try:
    terms = _glossary(str(data_dir()), reference_ids)
except DataError as error:
    _broken("glossary", error)
    terms = glossary_lib.empty()

if ui.is_trainee():
    ui.text("Trainees: [go to the self-check](#self-check) at the end of the page.")
query = st.text_input(
    "Search the glossary", key="glossary_query", placeholder="For example: NMDA, tolerance, NNT", max_chars=glossary_lib.MAX_QUERY_CHARS
)
found = glossary_lib.search(terms, query, ui.audience())
if query.strip():
    # The search is shown back quoted: short, and as code, so a typed address is never a link. Not a
    # caption: code in a caption is drawn faded, below 4.5:1 contrast. Private: typed text is not cached.
    ui.text(f"{len(found)} of {len(terms)} terms match {quoted(query)}.", private=True)
    if found.empty:
        ui.notice("No term matches that search. Try a shorter word, or clear the box to see every term.")

st.header("Terms")
# Every card in one block of HTML (glossary.cards_html escapes all data text): one element for the
# whole list instead of three per term, which is most of what the browser has to draw here.
if not query.strip() and not terms.empty:
    index, cards = _full_list(str(data_dir()), reference_ids, ui.is_trainee(), ui.page_href("sources"))
    with st.expander(f"All {len(terms)} terms, A to Z"):
        ui.text(index)
    ui.prepared_html(cards)
elif not found.empty:
    ui.prepared_html(glossary_lib.cards_html(found.to_dict("records"), ui.is_trainee(), ui.source_links()))

ui.scroll_to_anchor()

st.header("Self-check", anchor="self-check")


# A fragment: answering a question reruns the quiz only, not the whole glossary above it.
@st.fragment
def self_check(questions: list[quiz_lib.Question]) -> None:
    """The quiz: one stable order per session (seed kept in session state), a new order per retry."""
    if "quiz_seed" not in st.session_state:
        st.session_state["quiz_seed"] = secrets.randbelow(1_000_000)
    seed = st.session_state["quiz_seed"]
    attempt = st.session_state.get("quiz_attempt", 0)
    ordered = quiz_lib.shuffled(questions, seed, attempt)
    # Answers live in their own dict: once answered, a question shows its feedback instead of the
    # radio buttons, so the first answer is the one that counts.
    stored: dict[str, str] = st.session_state.setdefault("quiz_answers", {})
    answers: dict[str, str | None] = {}
    for number, question in enumerate(ordered, start=1):
        key = f"quiz_{attempt}_{question.id}"
        with st.container(border=True):
            st.caption(f"Question {number} of {len(ordered)} · {quiz_lib.TOPICS[question.topic]}")
            if key not in stored:
                st.radio(
                    ui.safe_text(question.question),
                    question.choices(seed),
                    index=None,
                    key=key,
                    on_change=lambda key=key: stored.__setitem__(key, st.session_state[key]),
                )
            choice = stored.get(key)
            answers[question.id] = choice
            if choice is not None:
                ui.text(f"**{ui.safe_text(question.question)}**  \nYour answer: {ui.safe_text(choice)}")
                feedback = quiz_lib.check(question, choice)
                if feedback.correct:
                    st.success("Correct. " + ui.safe_text(feedback.explanation), icon=":material/check_circle:")
                else:
                    st.warning(
                        f"Not quite. The answer is: {ui.safe_text(feedback.right_answer)}. " + ui.safe_text(feedback.explanation),
                        icon=":material/cancel:",
                    )
                ui.cite([feedback.source_id])

    result = quiz_lib.score(ordered, answers)
    with st.container(border=True, key="quiz_score"):
        st.subheader("Your score")
        st.progress(result.answered / result.total, text=f"{result.answered} of {result.total} answered")
        ui.text(quiz_lib.verdict(result))
    if st.button("Try again with the questions in a new order", icon=":material/replay:", key="quiz_retry"):
        st.session_state["quiz_attempt"] = attempt + 1
        st.rerun()


if not ui.is_trainee():
    ui.text(
        "A short quiz for trainees tests mechanisms, evidence and monitoring. "
        "Choose **Trainee** as your reading level in the sidebar to try it."
    )
else:
    ui.show_section("glossary/selfcheck", heading=False)
    try:
        self_check(_quiz(str(data_dir()), reference_ids))
    except DataError as error:
        _broken("self-check", error)

ui.review_caption(intro)
