"""Prepare for your visit in AppTest: build a list, edit it, download it in both formats."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.runtime.media_file_manager import MediaFileManager

from explainer import consult
from explainer import downloads as private
from explainer.settings import ENV_VAR
from tests.app.conftest import assert_clean, html_blocks, open_page, page_text, texts

PAGE = "pages/consult.py"


class Downloads(dict):
    """What each download button would send to the browser when clicked, by file name (the latest run wins)."""

    def __getitem__(self, name: str) -> bytes:
        return super().__getitem__(name)()


@pytest.fixture
def downloads(monkeypatch) -> Downloads:
    """The summary buttons pass Streamlit a function, which it calls when the visitor clicks: keep each
    one as it is registered (a test-only look at Streamlit's media manager), and call it on reading."""
    registered = Downloads()
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return registered


def _button(at, key):
    return next(b for b in at.button if b.key == key)


def test_page_renders_with_the_privacy_statement(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    assert at.title[0].value == "Prepare for your visit"
    text = " ".join(texts(at)) + " ".join(c.value for c in at.caption)
    assert ("not saved to a file or shared with anyone" if audience == "patient" else "Nothing is written to disk") in text
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download printable page (HTML)", "Download as text"]


def test_build_edit_and_download_a_summary(downloads):
    at = open_page(PAGE)
    at.multiselect(key="consult_priorities").set_value(["side_effects", "cost_time"]).run()
    at.multiselect(key="consult_tried").set_value(["gabapentinoids"]).run()
    assert_clean(at)
    state = at.session_state["consult_questions"]
    texts = [item["text"] for item in state["items"]]
    assert any("heart, my blood pressure" in t for t in texts)
    assert any("gabapentin or pregabalin" in t for t in texts)

    # Move the second question up, remove the first core question, add an own question with markup.
    second = state["items"][1]["key"]
    _button(at, f"up_{second}").click().run()
    assert at.session_state["consult_questions"]["items"][0]["key"] == second
    _button(at, "remove_core-evidence").click().run()
    at.text_input(key="consult_own").input("<script>alert('hi')</script> Can my partner come?")
    _button(at, "consult_add_submit").click().run()
    assert_clean(at)
    items = at.session_state["consult_questions"]["items"]
    assert items[-1] == {"key": "own-1", "text": "<script>alert('hi')</script> Can my partner come?", "own": True}
    assert "core-evidence" not in [item["key"] for item in items]
    shown = page_text(at)
    assert "&lt;script&gt;alert" in shown  # shown as text, escaped
    assert "<script>alert" not in shown

    html_text = downloads["questions-for-my-visit.html"].decode("utf-8")
    markdown = downloads["questions-for-my-visit.txt"].decode("utf-8")
    for text in (html_text, markdown):
        for item in items:
            if not item["own"]:
                assert item["text"] in text
        assert "Side effects and safety" in text and "Cost, time and travel" in text
        assert "Content last reviewed" in text
        assert "not saved to a file or shared with anyone" in text
    assert "<script>" not in html_text and "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt; Can my partner come?" in html_text
    assert "\\<script>alert('hi')\\</script> Can my partner come?\n" in markdown  # Markdown escapes: reads as typed
    # The HTML keeps the person's order.
    positions = [html_text.index(item["text"][:25]) for item in items if not item["own"]]
    assert positions == sorted(positions)


def test_compare_values_are_added_when_present(downloads):
    at = open_page(PAGE)
    at.session_state["visit_values"] = {
        "weights": {"How fast it works": 70, "Side effects": 90},
        "ranking": [["Exercise", 72.5], ["Ketamine drip", 41.0]],
        "note": "Scores are from my own weights.",
    }
    at.run()
    assert_clean(at)
    assert at.checkbox(key="consult_include_values").value is True
    markdown = downloads["questions-for-my-visit.txt"].decode("utf-8")
    assert "## My values from the Compare page" in markdown and "| 1 | Exercise | 72.5 |" in markdown
    at.checkbox(key="consult_include_values").uncheck().run()
    assert "Compare page" not in downloads["questions-for-my-visit.txt"].decode("utf-8")


def test_malformed_compare_values_are_ignored():
    at = open_page(PAGE)
    at.session_state["visit_values"] = "not a dict"
    at.run()
    assert_clean(at)
    assert not [c for c in at.checkbox if c.key == "consult_include_values"]


def test_an_empty_own_question_gets_a_gentle_message():
    at = open_page(PAGE)
    _button(at, "consult_add_submit").click().run()
    assert_clean(at)
    assert any("Type a question first" in i.value for i in at.info)


def test_choices_and_questions_survive_a_trip_to_another_page():
    """The page links to the Glossary and Compare; coming back must not lose what the person chose."""
    at = open_page(PAGE)
    at.multiselect(key="consult_priorities").set_value(["side_effects"]).run()
    at.multiselect(key="consult_tried").set_value(["gabapentinoids"]).run()
    before = at.session_state["consult_questions"]["items"]
    assert any("gabapentin or pregabalin" in item["text"] for item in before)

    at.switch_page("pages/glossary.py")
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    assert at.multiselect(key="consult_priorities").value == ["side_effects"]
    assert at.multiselect(key="consult_tried").value == ["gabapentinoids"]
    assert at.session_state["consult_questions"]["items"] == before


def test_a_typed_question_is_never_kept_in_the_shared_text_cache(monkeypatch):
    from explainer import ui

    seen: list[str] = []
    cached = ui._text_html

    def recording(markdown: str) -> str:
        seen.append(markdown)
        return cached(markdown)

    monkeypatch.setattr(ui, "_text_html", recording)
    at = open_page(PAGE)
    at.text_input(key="consult_own").input("Can my sister Zelda7734 come along?")
    _button(at, "consult_add_submit").click().run()
    assert_clean(at)
    assert "Zelda7734" in page_text(at)  # shown on the page
    assert seen and not any("Zelda7734" in text for text in seen)  # but drawn without the process-wide cache


@pytest.mark.parametrize(("seconds", "said"), [(None, "2 minutes"), (30, "30 seconds")])
def test_the_privacy_statement_states_the_servers_setting(audience, seconds, said):
    """How long a closed visit is kept and a download answers: the server's own setting, stated."""
    shipped = config.get_option("server.disconnectedSessionTTL")
    try:
        if seconds is not None:
            config.set_option("server.disconnectedSessionTTL", seconds)
        at = open_page(PAGE, audience)
        assert_clean(at)
        page = " ".join(texts(at))
        assert page.count(said) == 2, page
        assert any(said in c.value for c in at.caption)  # next to the download buttons
    finally:
        config.set_option("server.disconnectedSessionTTL", shipped)


def test_each_summary_file_is_made_on_click_and_recorded_as_private(downloads):
    at = open_page(PAGE)
    assert_clean(at)
    assert set(downloads) == set(private.PRIVATE_FILE_NAMES)  # functions, not bytes: nothing is made until a click
    for name in private.PRIVATE_FILE_NAMES:
        data = downloads[name]
        assert private.WINDOW.answers(data, 1)


def test_an_over_long_question_keeps_its_first_300_characters_and_says_so():
    at = open_page(PAGE)
    box = at.text_input(key="consult_own")
    assert box.max_chars == consult.MAX_PASTE > consult.MAX_QUESTION_LENGTH  # the browser takes the paste
    pasted = "Could the drip be given at home? " * 20
    box.input(pasted)
    _button(at, "consult_add_submit").click().run()
    assert_clean(at)
    own = at.session_state["consult_questions"]["items"][-1]
    assert own["own"] and own["text"] == consult.clean_question(pasted) and len(own["text"]) <= consult.MAX_QUESTION_LENGTH
    assert pasted.startswith(own["text"])
    assert any(info.value == consult.CUT_NOTE for info in at.info)
    at.run()  # the note is said once
    assert not any(info.value == consult.CUT_NOTE for info in at.info)
    at.text_input(key="consult_own").input("A short one?")
    _button(at, "consult_add_submit").click().run()
    assert not any(info.value == consult.CUT_NOTE for info in at.info)


def test_the_clinics_visit_note_is_on_the_page(tmp_path, monkeypatch):
    profile = tmp_path / "clinic-note.toml"
    profile.write_text(
        'name = "Riverside Clinic"\nvisit_note = "Bring your medicines.\\nCall 555 0100 to change a visit."\n', encoding="utf-8"
    )
    monkeypatch.setenv(ENV_VAR, str(profile))
    at = open_page(PAGE)
    assert_clean(at)
    page = " ".join(texts(at))
    assert "A note from Riverside Clinic" in page and "Bring your medicines." in page and "Call 555 0100 to change a visit." in page


# --- the list a person would print: top 3 first, its length, 10 shown, the story's questions -------

THREE_PRIORITIES = ["speed", "side_effects", "cost_time"]
TWO_TRIED = ["gabapentinoids", "opioids"]


def test_patient_lists_have_no_select_all_and_trainee_lists_keep_it(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    for key in ("consult_priorities", "consult_tried"):
        select_all = at.multiselect(key=key).proto.select_all
        if audience == "patient":
            assert select_all == 0, "a patient list offers Select all"
        else:
            assert select_all != 0  # Streamlit's default (shown up to 1000 options)


def test_the_list_says_its_length_shows_ten_and_folds_the_rest(audience):
    at = open_page(PAGE, audience)
    at.multiselect(key="consult_priorities").set_value(THREE_PRIORITIES).run()
    at.multiselect(key="consult_tried").set_value(TWO_TRIED).run()
    assert_clean(at)
    total = len(at.session_state["consult_questions"]["items"])
    assert total == 15
    page = " ".join(texts(at))
    assert "15 questions; the first 10 are shown." in page
    assert "Your top 3" in page and "More questions" in page
    assert [e.label for e in at.expander] == ["Show 5 more questions"]
    keys = [item["key"] for item in at.session_state["consult_questions"]["items"]]
    removes = [b.key for b in at.button if (b.key or "").startswith("remove_")]
    assert removes == [f"remove_{key}" for key in keys[:10]]  # the rest are not drawn until opened

    at.session_state["consult_more"] = True  # the visitor opens "Show 5 more questions"
    at.run()
    assert_clean(at)
    removes = [b.key for b in at.button if (b.key or "").startswith("remove_")]
    assert removes == [f"remove_{key}" for key in keys]
    _button(at, f"up_{keys[12]}").click().run()  # a folded question moves, the fold stays open
    assert at.session_state["consult_questions"]["items"][11]["key"] == keys[12]
    assert len([b for b in at.button if (b.key or "").startswith("remove_")]) == 15


def test_a_short_list_shows_everything_and_says_so():
    at = open_page(PAGE)
    assert_clean(at)
    assert "5 questions." in " ".join(texts(at))
    assert not at.expander


def test_story_questions_are_their_own_group_counted_printed_and_escaped(audience, downloads):
    at = open_page(PAGE, audience)
    at.session_state["story_questions"] = [
        "Could we agree on a goal before a trial?",
        "<b>Who</b> do I call at night?",
        42,  # not a string: skipped
        "Could we agree on a goal before a trial?",  # a repeat: shown once
    ]
    at.run()
    assert_clean(at)
    page = " ".join(texts(at))
    assert "7 questions." in page  # 5 suggested + 2 from the story
    assert "From the patient story" in page
    shown = page_text(at)
    assert "&lt;b&gt;Who&lt;/b&gt; do I call at night?" in shown and "<b>Who</b>" not in shown
    # After the top 3, numbered 4 and 5.
    assert '<ol start="4">\n<li>Could we agree on a goal before a trial?' in shown
    assert '<ol start="5">\n<li>&lt;b&gt;Who&lt;/b&gt; do I call at night?' in shown
    html_text = downloads["questions-for-my-visit.html"].decode("utf-8")
    text = downloads["questions-for-my-visit.txt"].decode("utf-8")
    assert "<h3>From the patient story</h3>" in html_text and "&lt;b&gt;Who&lt;/b&gt; do I call at night?" in html_text
    assert "### From the patient story" in text and "5. \\<b>Who\\</b> do I call at night?" in text
    assert "Could we agree on a goal" in next(b for b in html_blocks(at) if 'id="visit-summary-print"' in b)

    story_key = consult.story_key("Could we agree on a goal before a trial?")
    _button(at, f"remove_{story_key}").click().run()
    assert_clean(at)
    assert "6 questions." in " ".join(texts(at))
    assert at.session_state["story_questions"][0] == "Could we agree on a goal before a trial?"  # the story's list is left alone
    _button(at, "consult_restore").click().run()
    assert "7 questions." in " ".join(texts(at))


def test_without_story_questions_nothing_changes():
    at = open_page(PAGE)
    assert "story_questions" not in at.session_state
    assert_clean(at)
    assert "From the patient story" not in " ".join(texts(at))


def test_the_print_button_and_the_hidden_printout_are_on_the_page(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    assert _button(at, "consult_print").label == "Print"
    blocks = html_blocks(at)
    assert any("@media print" in b for b in blocks)
    printout = next(b for b in blocks if 'id="visit-summary-print"' in b)
    assert "Questions for my visit" in printout and "Is my kind of pain one where ketamine has been shown to help?" in printout
