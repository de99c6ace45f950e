"""Glossary and trainee self-check in AppTest: anchors, search, answering the quiz, retry."""

from __future__ import annotations

import re

from explainer import evidence
from explainer import glossary as glossary_lib
from explainer import quiz as quiz_lib
from tests.app.conftest import assert_clean, html_blocks, html_text, open_page, texts
from tests.conftest import ROOT
from tests.links import exposed_in_html

PAGE = "pages/glossary.py"


def _questions():
    return {q.id: q for q in quiz_lib.load_quiz(ROOT / "data", evidence.load_references(ROOT / "data")["id"])}


def _cards(at) -> str:
    """The one HTML block that holds every term card ('' when no term is shown)."""
    blocks = [block for block in html_blocks(at) if '<div id="term-' in block]
    assert len(blocks) <= 1
    return blocks[0] if blocks else ""


def test_every_term_has_its_anchor_and_the_patient_view_has_no_trainee_notes(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    cards = _cards(at)
    anchors = set(re.findall(r'<div id="(term-[a-z0-9-]+)">', cards))
    assert {"term-nmda-receptor", "term-central-sensitization", "term-nnt", "term-crps", "term-tolerance"} <= anchors
    assert len(anchors) == len(re.findall("<h3>", cards)) >= 60
    assert ("<strong>For trainees:</strong>" in cards) == (audience == "trainee")


def test_search_narrows_the_list():
    at = open_page(PAGE)
    at.text_input(key="glossary_query").input("hyperalgesia").run()
    assert_clean(at)
    terms = re.findall("<h3>(.*?)</h3>", _cards(at))
    assert terms[:2] == ["Hyperalgesia", "Opioid-induced hyperalgesia"]
    assert "Placebo" not in terms
    at.text_input(key="glossary_query").input("qqqq").run()
    assert any("No term matches" in i.value for i in at.info)
    assert _cards(at) == ""


def test_patients_are_pointed_to_the_trainee_self_check():
    at = open_page(PAGE)
    assert not [r for r in at.radio if r.key and r.key.startswith("quiz_")]
    assert any("Choose <strong>Trainee</strong>" in block for block in html_blocks(at))


def test_answer_the_quiz_get_feedback_a_score_and_retry():
    questions = _questions()
    at = open_page(PAGE, "trainee")
    assert_clean(at)
    radios = [r for r in at.radio if r.key and r.key.startswith("quiz_0_")]
    assert len(radios) == len(questions) >= 15
    order = [r.key.removeprefix("quiz_0_") for r in radios]

    # Answer the first right and the second wrong: immediate feedback with the explanation and source.
    first, second = questions[order[0]], questions[order[1]]
    at.radio(key=f"quiz_0_{first.id}").set_value(first.correct).run()
    at.radio(key=f"quiz_0_{second.id}").set_value(second.wrong[0]).run()
    assert_clean(at)
    assert any(s.value.startswith("Correct.") and first.explanation[:30] in s.value.replace("\\", "") for s in at.success)
    assert any(w.value.startswith("Not quite.") for w in at.warning)
    assert not [r for r in at.radio if r.key == f"quiz_0_{first.id}"]  # answered: feedback replaces the choices
    assert any("1 right so far" in text for text in texts(at))

    # The order stays the same on every rerun of this session.
    assert [r.key for r in at.radio if r.key and r.key.startswith("quiz_0_")] == [f"quiz_0_{i}" for i in order[2:]]

    for question_id in order[2:]:
        at.radio(key=f"quiz_0_{question_id}").set_value(questions[question_id].correct)
    at.run()
    assert not [r for r in at.radio if r.key and r.key.startswith("quiz_0_")]
    total = len(questions)
    assert any(text.startswith(f"You scored {total - 1} out of {total}") for text in texts(at))

    next(b for b in at.button if b.key == "quiz_retry").click().run()
    assert_clean(at)
    retry = [r for r in at.radio if r.key and r.key.startswith("quiz_1_")]
    assert len(retry) == total and all(r.value is None for r in retry)
    assert [r.key.removeprefix("quiz_1_") for r in retry] != order


def test_a_broken_glossary_or_quiz_file_gives_a_clear_message(tmp_path, monkeypatch):
    import shutil

    from tests.conftest import replace_in

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    replace_in(data / "glossary.csv", "nmda-receptor,NMDA receptor", "nmda,NMDA receptor")
    replace_in(data / "quiz.csv", ",mechanisms,", ",history,")
    at = open_page(PAGE, "trainee")
    assert not at.exception, "a traceback reached the page"
    messages = [e.value.replace("\\", "") for e in at.error]  # shown Markdown-escaped
    assert len(messages) == 2, messages
    assert "glossary.csv" in messages[0] and "column 'slug'" in messages[0] and "nmda-receptor" in messages[0]
    assert "quiz.csv" in messages[1] and "column 'topic'" in messages[1]
    assert at.title[0].value == "Glossary"  # the rest of the page still works


def test_an_oversized_search_is_cut_to_the_cap_and_shown_back_short(monkeypatch):
    """200,000 words sent straight to the server (past the box's own limit, as a crafted WebSocket
    message could): the page searches at most the capped words and repeats only a few of them."""
    seen: list[list[str]] = []
    original = glossary_lib.search_words

    def recording(query):
        words = original(query)
        seen.append(words)
        return words

    monkeypatch.setattr(glossary_lib, "search_words", recording)
    at = open_page(PAGE)
    box = at.text_input(key="glossary_query")
    assert box.max_chars == glossary_lib.MAX_QUERY_CHARS
    box.set_value("nmda receptor https://login.example.com " + "pain " * 200_000).run()
    assert_clean(at)
    assert len(at.text_input(key="glossary_query").value) <= glossary_lib.MAX_QUERY_CHARS  # Streamlit's own cut
    assert seen and all(len(words) <= glossary_lib.MAX_QUERY_WORDS for words in seen)
    line = next(block for block in html_blocks(at) if "terms match" in block)
    assert len(html_text(line)) < 120 and "…" in line
    assert exposed_in_html(line, "login.example.com") == []


def test_a_typed_address_is_shown_back_as_code():
    at = open_page(PAGE)
    at.text_input(key="glossary_query").input("www.login.example.com").run()
    line = next(block for block in html_blocks(at) if "terms match" in block)
    assert "<code>www.login.example.com</code>" in line and exposed_in_html(line, "login.example.com") == []
