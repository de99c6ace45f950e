"""Prepare for your visit: the question builder, the user's edits, and the summary downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from markdown_it import MarkdownIt

from explainer import consult, content, evidence
from tests.conftest import ROOT

REVIEWED = dt.date(2026, 11, 25)


def _texts(state: dict) -> list[str]:
    return consult.questions(state)


def test_core_questions_come_first_without_any_choice():
    texts = [s.text for s in consult.suggested([])]
    assert texts == [s.text for s in consult.CORE]
    assert any("my kind of pain" in t for t in texts)
    assert any("relief fades" in t for t in texts)
    assert any("other options" in t for t in texts)


@pytest.mark.parametrize("priority", list(consult.PRIORITIES))
def test_each_priority_adds_its_own_questions(priority):
    base = {s.id for s in consult.suggested([])}
    added = {s.id for s in consult.suggested([priority])} - base
    assert added == {s.id for s in consult.BY_PRIORITY[priority]}
    assert added  # every priority adds at least one question


def test_tried_treatments_add_a_question_each_and_unknown_ids_are_ignored():
    ids = [s.id for s in consult.suggested(["speed", "bogus"], ["opioids", "ketamine", "nope"])]
    assert "tried-opioids" in ids and "tried-ketamine" in ids
    assert not any("bogus" in i or "nope" in i for i in ids)
    assert "I have tried opioids." in consult.suggested([], ["opioids"])[-1].text


def test_no_duplicates_even_when_everything_is_chosen():
    chosen = consult.suggested(list(consult.PRIORITIES) * 2, list(consult.TRIED) * 2)
    assert len({s.id for s in chosen}) == len(chosen)
    assert len({s.text.lower() for s in chosen}) == len(chosen)


def test_user_edits_survive_a_change_of_priorities():
    state = consult.sync(consult.new_state(), ["speed"])
    keys = [item["key"] for item in state["items"]]
    # Move the last question to the top, remove one, add one of their own.
    for _ in range(len(keys) - 1):
        state = consult.move(state, keys[-1], -1)
    assert consult.CORE[-1].id == "core-options"
    state = consult.remove(state, "core-options")
    state, problem = consult.add_own(state, "  Can I   bring my partner?  ")
    assert problem is None
    before = _texts(state)
    assert before[0] == next(s.text for s in consult.BY_PRIORITY["speed"] if s.id == keys[-1])
    assert "Can I bring my partner?" in before

    state = consult.sync(state, ["speed", "cost_time"])  # tick another priority
    after = _texts(state)
    assert after[: len(before)] == before  # order and own question kept, new ones at the end
    assert consult.CORE[-1].text not in after  # removed stays removed
    assert {s.text for s in consult.BY_PRIORITY["cost_time"]} <= set(after)

    state = consult.sync(state, ["cost_time"])  # untick speed: its questions go, own question stays
    texts = _texts(state)
    assert not ({s.text for s in consult.BY_PRIORITY["speed"]} & set(texts))
    assert "Can I bring my partner?" in texts

    restored = consult.restore(state, ["cost_time"])
    assert consult.CORE[-1].text in _texts(restored)


def test_move_at_the_ends_and_unknown_keys_change_nothing():
    state = consult.sync(consult.new_state(), [])
    first, last = state["items"][0]["key"], state["items"][-1]["key"]
    assert consult.move(state, first, -1) == state
    assert consult.move(state, last, 1) == state
    assert consult.move(state, "nope", 1) == state
    assert consult.remove(state, "nope") == state
    moved = consult.move(state, first, 1)
    assert [i["key"] for i in moved["items"]][:2] == [state["items"][1]["key"], first]
    assert state["items"][0]["key"] == first  # the input is not changed in place


def test_own_questions_are_cleaned_and_checked():
    state = consult.sync(consult.new_state(), [])
    same, problem = consult.add_own(state, "   ")
    assert problem and same == state
    _, problem = consult.add_own(state, consult.CORE[0].text.upper())
    assert problem == "That question is already on your list."
    long_state, problem = consult.add_own(state, "x" * 1000)
    assert problem is None and len(_texts(long_state)[-1]) == consult.MAX_QUESTION_LENGTH
    removed = consult.remove(long_state, long_state["items"][-1]["key"])
    assert removed["removed"] == []  # own questions are deleted, not remembered as removed
    full = state
    for n in range(consult.MAX_QUESTIONS):
        full, _ = consult.add_own(full, f"Question {n}")
    assert len(full["items"]) == consult.MAX_QUESTIONS
    _, problem = consult.add_own(full, "One more")
    assert problem and "Remove one" in problem


def test_values_from_compare_are_read_defensively():
    good = consult.parse_values({"weights": {"Speed": 80, "Side effects": 140.4}, "ranking": [["Ketamine drip", 61.5]], "note": "Mine"})
    assert good.weights == [("Speed", 80), ("Side effects", 100)]
    assert good.ranking == [("Ketamine drip", 61.5)]
    for bad in (None, "text", [], {"weights": "x", "ranking": [["a"], "b", ["c", "high"]]}, {}):
        assert consult.parse_values(bad) is None


def _references() -> dict[str, str]:
    refs = evidence.load_references(ROOT / "data")
    return {row["id"]: evidence.format_reference(row) for row in refs.to_dict("records")}


def _summary(questions: list[str], values=None) -> consult.VisitSummary:
    state = consult.new_state()
    for question in questions:
        state, _ = consult.add_own(state, question)
    body = "- Relief faded within weeks [@orhurhu2019].\n- Risk went up [@sigtermans2009; @orhurhu2019].\n"
    return consult.build_summary(
        state, ["side_effects", "speed"], ["opioids"], consult.key_facts(body, _references()), REVIEWED, values, made_on=REVIEWED
    )


def test_key_facts_number_their_sources_in_order():
    facts = consult.key_facts("Intro line\n\n- One **bold** fact [@a].\n  continued here.\n1. Two [@b; @a]\n", {"a": "Ref A", "b": "Ref B"})
    assert facts.facts == ["One bold fact\u00a0[1]. continued here.", "Two\u00a0[2, 1]"]
    assert facts.references == ["Ref A", "Ref B"]


def test_the_real_key_facts_have_sources():
    sections = content.load_content(ROOT / "content", _references())
    for audience in ("patient", "trainee"):
        facts = consult.key_facts(content.pick(sections, "consult/facts", audience).body, _references())
        assert len(facts.facts) >= 4 and len(facts.references) >= 4
        assert all("[" in fact for fact in facts.facts)


def test_summary_contains_every_question_priority_fact_and_the_review_date():
    summary = _summary(["What about driving?", "Can I bring my partner?"])
    for rendered in (consult.render_html(summary), consult.render_markdown(summary)):
        assert "What about driving?" in rendered and "Can I bring my partner?" in rendered
        assert "Side effects and safety" in rendered and "How fast it works" in rendered
        assert "Opioids (such as tramadol, morphine or oxycodone)" in rendered
        assert "Relief faded within weeks" in rendered
        assert "Orhurhu V" in rendered and "Sigtermans MJ" in rendered
        assert "Content last reviewed 25 November 2026" in rendered
        assert "What you choose or type here is not saved to a file or shared with anyone" in rendered
    html_text = consult.render_html(summary)
    assert html_text.index("What about driving?") < html_text.index("Can I bring my partner?")
    assert "size: A4" in html_text


def test_a_question_with_html_is_shown_as_text_not_run():
    evil = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    values = consult.parse_values({"weights": {"<b>bold</b>": 50}, "ranking": [["<i>opt</i>", 1]], "note": "<script>n</script>"})
    summary = _summary([evil], values)
    html_text = consult.render_html(summary)
    assert "<script>" not in html_text and "<img" not in html_text and "<b>" not in html_text and "<i>" not in html_text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;" in html_text
    markdown = consult.render_markdown(summary)
    # Markdown escapes, not HTML entities: the file reads as typed and no viewer draws a tag.
    assert '1. \\<script>alert("x")\\</script> & \\<img src=x onerror=alert(1)>' in markdown
    assert "&lt;" not in markdown and "&amp;" not in markdown


def test_values_appear_only_when_given():
    values = consult.parse_values({"weights": {"Speed": 80}, "ranking": [["Ketamine drip", 61.5], ["Exercise", 40]], "note": ""})
    with_values = consult.render_markdown(_summary(["Q?"], values))
    assert "## My values from the Compare page" in with_values and "| 1 | Ketamine drip | 61.5 |" in with_values
    assert "Compare page" not in consult.render_markdown(_summary(["Q?"]))


def test_empty_list_still_renders():
    summary = consult.build_summary(consult.new_state(), [], [], consult.KeyFacts([], []), REVIEWED, made_on=REVIEWED)
    assert "No questions chosen." in consult.render_html(summary)
    assert "No questions chosen." in consult.render_markdown(summary)


def test_every_reason_cites_known_sources():
    known = set(_references())
    for suggestion in consult.all_suggestions():
        assert set(suggestion.sources) <= known, suggestion.id


# --- the Markdown download reads as written ----------------------------------------------------

_VIEWER = MarkdownIt("commonmark", {"html": True})  # a viewer that would draw raw HTML, as many do


def _as_shown(markdown_line: str) -> tuple[str, list[str]]:
    """The text a Markdown viewer shows for one line, and the markup it would draw."""
    tokens = _VIEWER.parse(markdown_line)
    markup = [t.type for t in tokens if t.type not in ("paragraph_open", "paragraph_close", "inline")]
    text = []
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                text.append(child.content)
            elif child.type != "softbreak":
                markup.append(child.type)
    return "".join(text), markup


@pytest.mark.parametrize(
    "typed",
    [
        "A & B < C",
        "Is 5 > 3 & is x < y?",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "&amp; &#39; &copy;",
        "# Not a heading",
        "1. Not a list",
        "- Not a list",
        "> Not a quote",
        "**not bold** _not italic_ ~~not struck~~",
        "[not a link](https://login.example.com)",
        "![not an image](x.png)",
        "<https://login.example.com>",
        "`not code`",
        "a | b | c",
        "back\\slash \\*",
    ],
)
def test_a_typed_question_reads_as_written_in_the_file_and_in_a_viewer(typed):
    markdown = consult.render_markdown(_summary([typed]))
    line = next(line for line in markdown.splitlines() if line.startswith("1. "))
    shown, markup = _as_shown(line.removeprefix("1. "))
    assert shown == typed and markup == [], (line, markup)


def test_plain_text_needs_no_escapes():
    markdown = consult.render_markdown(_summary(["Can I drive & work < 3 days after? Is 2 > 1?"]))
    assert "1. Can I drive & work < 3 days after? Is 2 > 1?" in markdown


def test_a_pasted_question_is_cut_to_the_limit_with_a_note():
    pasted = "word " * 200
    assert consult.cut_note(pasted) == consult.CUT_NOTE and str(consult.MAX_QUESTION_LENGTH) in consult.CUT_NOTE
    assert len(consult.clean_question(pasted)) <= consult.MAX_QUESTION_LENGTH
    assert consult.clean_question(pasted).startswith("word word")
    assert consult.cut_note("A short question?") is None
    assert consult.cut_note("x" * consult.MAX_QUESTION_LENGTH) is None
    assert consult.clean_question("y" * 10_000_000) == "y" * consult.MAX_QUESTION_LENGTH  # reads MAX_PASTE at most


@pytest.mark.parametrize(("seconds", "said"), [(120, "2 minutes"), (30, "30 seconds"), (3600, "1 hour")])
def test_the_privacy_text_states_the_servers_setting(seconds, said):
    for audience in ("patient", "trainee"):
        text = consult.privacy_text(audience, seconds)
        assert text.count(said) == 2, text  # how long a closed visit is kept, and how long a download answers
        assert "not saved to a file or shared" in text or "Nothing is written to disk" in text
    assert said in consult.download_note(seconds)


# --- the list as shown and printed: top 3, the story's questions, the limit ----------------------


def _fifteen() -> dict:
    return consult.sync(consult.new_state(), ["speed", "side_effects", "cost_time"], ["gabapentinoids", "opioids"])


def test_the_top_three_of_the_visitors_order_come_first_then_the_rest():
    state = _fifteen()
    entries = consult.listed(state)
    assert [e.number for e in entries] == list(range(1, 16))
    assert [e.group for e in entries] == ["top"] * 3 + ["more"] * 12
    assert [e.key for e in entries] == [item["key"] for item in state["items"]]
    # Moving the fourth question up makes it one of the top 3.
    fourth = state["items"][3]["key"]
    moved = consult.listed(consult.move(state, fourth, -1))
    assert moved[2].key == fourth and moved[2].group == "top" and moved[3].group == "more"
    assert [e.position for e in entries] == list(range(15))


def test_ten_are_shown_and_the_length_is_said():
    shown, folded = consult.split_shown(consult.listed(_fifteen()))
    assert len(shown) == consult.SHOWN_AT_FIRST == 10 and len(folded) == 5
    assert consult.length_text(15, 10) == "15 questions; the first 10 are shown."
    assert consult.length_text(7, 7) == "7 questions."
    assert consult.length_text(1, 1) == "1 question."
    assert consult.length_text(0, 0).startswith("No questions yet.")
    assert consult.more_label(5) == "Show 5 more questions" and consult.more_label(1) == "Show 1 more question"
    shown, folded = consult.split_shown(consult.listed(consult.sync(consult.new_state(), [])))
    assert len(shown) == 5 and folded == []


def test_story_questions_are_read_defensively():
    assert consult.story_questions(None) == [] and consult.story_questions("a question?") == []
    assert consult.story_questions({"q": "x"}) == []
    raw = ["  Can I   drive after?  ", "can i drive after?", 7, None, "", "x" * 1000]
    assert consult.story_questions(raw) == ["Can I drive after?", "x" * consult.MAX_QUESTION_LENGTH]
    assert len(consult.story_questions([f"Q{n}?" for n in range(100)])) == consult.MAX_QUESTIONS


def test_story_questions_follow_the_top_three_as_their_own_group():
    state = _fifteen()
    story = ["Who do I call at night?", consult.CORE[0].text.upper()]  # the second is already on the list
    entries = consult.listed(state, story)
    assert len(entries) == 16
    assert [e.group for e in entries[:5]] == ["top", "top", "top", "story", "more"]
    assert entries[3].text == "Who do I call at night?" and entries[3].number == 4 and entries[3].position is None
    assert entries[3].key == consult.story_key("who do I call at NIGHT?")  # the same text, the same key
    groups = consult.question_groups(state, story)
    assert [(g.title, g.first_number, len(g.questions)) for g in groups] == [
        ("My top 3 questions", 1, 3),
        ("From the patient story", 4, 1),
        ("More questions", 5, 12),
    ]


def test_a_story_question_can_be_removed_and_brought_back():
    state = consult.sync(consult.new_state(), [])
    story = ["Who do I call at night?"]
    key = consult.story_key(story[0])
    removed = consult.remove(state, key)
    assert key in removed["removed"] and [e.text for e in consult.listed(removed, story)] == consult.questions(state)
    assert consult.removed_count(removed, story) == 1
    assert consult.removed_count(removed, []) == 0  # the story no longer has it: nothing to bring back
    removed = consult.sync(removed, ["speed"])  # a change of choices keeps it removed
    assert key in removed["removed"]
    assert consult.listed(consult.restore(removed, ["speed"]), story)[3].text == story[0]


def test_a_short_list_has_one_group_and_no_sub_headings():
    state = consult.new_state()
    for question in ("First?", "Second?"):
        state, _ = consult.add_own(state, question)
    groups = consult.question_groups(state)
    assert [(g.title, g.first_number) for g in groups] == [("My top 2 questions", 1)]
    summary = consult.build_summary(state, [], [], consult.KeyFacts([], []), REVIEWED, made_on=REVIEWED)
    assert "<h3>" not in consult.render_html(summary) and "###" not in consult.render_markdown(summary)


def test_the_summary_numbers_and_heads_each_group_and_keeps_every_kept_question():
    state = _fifteen()
    state = consult.remove(state, "core-options")
    story = ["<i>Who</i> do I call at night?"]
    summary = consult.build_summary(state, [], [], consult.KeyFacts([], []), REVIEWED, made_on=REVIEWED, story=story)
    assert len(summary.questions) == 15  # 14 kept + 1 from the story; the removed one is left out
    assert consult.CORE[-1].text not in summary.questions
    html_text = consult.render_html(summary)
    assert (
        html_text.index("<h3>My top 3 questions</h3>")
        < html_text.index("<h3>From the patient story</h3>")
        < html_text.index("<h3>More questions</h3>")
    )
    assert '<ol class="questions" start="4"><li>&lt;i&gt;Who&lt;/i&gt; do I call at night?</li></ol>' in html_text
    assert '<ol class="questions" start="5">' in html_text
    markdown = consult.render_markdown(summary)
    assert "### My top 3 questions\n\n1. " in markdown
    assert "### From the patient story\n\n4. \\<i>Who\\</i> do I call at night?\n" in markdown
    assert "### More questions\n\n5. " in markdown and "\n15. " in markdown


def test_the_page_printout_is_the_summary_escaped_and_hidden_on_screen():
    summary = _summary(['<script>alert("x")</script> Can my partner come?'])
    printout = consult.print_html(summary)
    assert printout.startswith(f'<div id="{consult.PRINT_ID}">') and "<script>" not in printout
    assert consult.summary_body_html(summary) in consult.render_html(summary)  # the same content as the download
    assert "@media print" in consult.PRINT_CSS and ".st-key-visit_print { display: none; }" in consult.PRINT_CSS
