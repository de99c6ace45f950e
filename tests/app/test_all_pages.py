"""Every page runs in both audiences without an exception and shows its title and footer."""

from __future__ import annotations

import ast

import pytest

from explainer import behaviours
from explainer.site import PAGES
from tests.app.conftest import assert_clean, open_page, page_text
from tests.conftest import ROOT

FREE_TEXT = {"text_input", "text_area", "chat_input"}


@pytest.mark.parametrize("page", PAGES, ids=[p.id for p in PAGES])
def test_page_runs_cleanly(page, audience):
    at = open_page(page.file, audience)
    assert_clean(at)
    assert at.title, f"{page.id} has no title"
    assert at.sidebar.radio(key="audience").value == audience
    footer = " ".join(c.value for c in at.caption)
    assert "not medical advice" in footer
    assert "sources" in footer.lower()
    unbounded = [box.label for box in [*at.text_input, *at.text_area] if not box.max_chars]
    assert not unbounded, f"free-text boxes without max_chars: {unbounded}"


def test_every_free_text_box_in_the_code_has_a_limit():
    """Boxes a page draws only sometimes too: each text_input, text_area and chat_input call names max_chars."""
    missing = []
    for path in [ROOT / "streamlit_app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "explainer").glob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_box = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in FREE_TEXT
            if is_box and "max_chars" not in {keyword.arg for keyword in node.keywords}:
                missing.append(f"{path.name}:{node.lineno}")
    assert not missing, missing


def test_bad_audience_falls_back_to_patient_with_notice():
    at = open_page("pages/home.py", audience="surgeon")
    assert_clean(at)
    assert at.sidebar.radio(key="audience").value == "patient"
    assert any("audience level we do not know" in i.value for i in at.info)


def test_audience_switch_changes_home_text():
    at = open_page("pages/home.py")
    patient_text = page_text(at)
    at.sidebar.radio(key="audience").set_value("trainee").run()
    trainee_text = page_text(at)
    assert "non-competitive NMDA" in trainee_text
    assert "non-competitive NMDA" not in patient_text


def test_audience_survives_page_change():
    at = open_page("pages/home.py", audience="trainee")
    at.switch_page("pages/about.py").run()
    assert at.sidebar.radio(key="audience").value == "trainee"


def test_switching_back_to_patient_sticks_and_updates_url():
    at = open_page("pages/home.py", audience="trainee")
    assert at.query_params["audience"] == ["trainee"] or at.query_params["audience"] == "trainee"
    at.sidebar.radio(key="audience").set_value("patient").run()
    assert at.sidebar.radio(key="audience").value == "patient"
    assert "audience" not in at.query_params
    at.run()
    assert at.sidebar.radio(key="audience").value == "patient"


def test_links_carry_only_checked_view_values():
    at = open_page("pages/home.py", "trainee", sidebar="<script>x</script>", embed_options="evil", embed="true")
    # The site's own behaviour script (explainer/scripts, fixed files) is not text from the URL.
    links = page_text(at).replace(behaviours.script_html(), "")
    assert "sources?audience=trainee#ref-" in links
    assert "script" not in links and "evil" not in links


def test_page_views_are_cached_once_per_process_not_per_run():
    from explainer import ui

    at = open_page("pages/mechanisms.py")
    wrappers = dict(ui._VIEW_CACHES)
    names = {func.__name__ for func in wrappers.values()}
    assert {"pathway_view", "knob_view", "mechanism_cards"} <= names
    at.radio(key="audience").set_value("trainee").run()
    at.run()
    assert_clean(at)
    assert wrappers == ui._VIEW_CACHES  # the same wrappers: nothing re-decorated on rerun
    # a new session compiles the page again (AppTest does on every run): still no new entries
    open_page("pages/mechanisms.py", "trainee")
    assert wrappers == ui._VIEW_CACHES


def _widget_records(at) -> dict:
    """Streamlit's per-session widget metadata, read the way ui.forget_stale_widgets reads it."""
    records = at.session_state._state._state._new_widget_state.widget_metadata
    assert isinstance(records, dict)
    return records


def test_a_session_forgets_the_widgets_of_pages_it_has_left():
    at = open_page("pages/compare.py")
    assert any(record.endswith("-cmp_options") for record in _widget_records(at))
    at.switch_page("pages/glossary.py")
    at.run()
    at.switch_page("pages/about.py")
    at.run()
    records = _widget_records(at)
    # Compare was left two runs ago; Streamlit alone would still hold its pills, button and radio.
    assert not [record for record in records if "-cmp_" in record]
    assert any(record.endswith("-audience") for record in records)
    # ... and its map from each widget key to the widget's id.
    key_ids = at.session_state._state._state._key_id_mapper
    assert not [key for key in key_ids._key_id_mapping if key.startswith("cmp_")]
    assert not [widget_id for widget_id in key_ids._id_key_mapping if "-cmp_" in widget_id]
    assert "audience" in key_ids._key_id_mapping

    # A page visited again registers its widgets anew, and their callbacks still run.
    at.switch_page("pages/compare.py")
    at.run()
    at.button_group(key="cmp_options").set_value(["tca", "ketamine_iv"]).run()
    at.button(key="cmp_clear").click().run()
    assert_clean(at)
    assert at.button_group(key="cmp_options").value == []


def test_pages_are_made_once_per_process_and_copied_for_each_run(monkeypatch):
    """Making an st.Page reads the disk; ui.page_objects makes each once and copies it per run."""
    from streamlit.navigation.page import Page

    from explainer import ui

    ui._page_templates.clear()
    made = []
    original = Page.__init__

    def counting(self, *args, **kwargs):
        made.append(str(args[0] if args else kwargs.get("page")))
        original(self, *args, **kwargs)

    monkeypatch.setattr(Page, "__init__", counting)
    at = open_page("pages/home.py")
    assert sorted(made) == sorted(str(ROOT / p.file) for p in PAGES)
    at.switch_page("pages/consult.py")
    at.run()
    at.sidebar.radio(key="audience").set_value("trainee").run()
    assert_clean(at)
    assert len(made) == len(PAGES), "later runs should copy the pages, not make them again"

    # Every link, in the menu and in the page, still leads to its page: the one st.navigation knows.
    registered = {p.url_path: p for p in PAGES}
    links = [element.proto for element in at.get("page_link")]
    assert {link.page for link in links} >= {"compare", "glossary", "sources", ""}
    for link in links:
        assert link.page in registered, link
        assert link.page_script_hash, link
    menu = [link for link in links if link.icon == registered[link.page].icon and link.label == registered[link.page].title]
    assert len(menu) >= len(PAGES)


def _make_page_objects_twice() -> None:
    import streamlit as st

    from explainer import ui

    first = ui.page_objects("home", ("home", "compare"))
    second = ui.page_objects("home", ("home", "compare"))
    st.session_state["shared"] = [page_id for page_id in first if first[page_id] is second[page_id]]
    st.session_state["urls"] = [first[page_id].url_path for page_id in first]


def test_each_run_gets_its_own_page_objects():
    """st.navigation marks the page it picks as runnable on the object itself: runs must not share one."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_make_page_objects_twice).run()
    assert not at.exception
    assert at.session_state["shared"] == []
    assert at.session_state["urls"] == [p.url_path for p in PAGES]


def test_each_page_freezes_what_it_loaded_once_per_process(monkeypatch):
    """memory.freeze_loaded_objects: the collector's full walks skip what the first run of each page loaded."""
    import gc

    from explainer import memory

    frozen = []
    monkeypatch.setattr(memory, "_frozen_after", set())
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(frozen)))
    at = open_page("pages/about.py")  # home first, then About
    assert_clean(at)
    assert memory._frozen_after == {"home", "about"}
    assert len(frozen) == 2
    at.run()
    at.sidebar.radio(key="audience").set_value("trainee").run()
    at.switch_page("pages/home.py")
    at.run()
    assert len(frozen) == 2, "a page's later runs should not freeze again"


def test_every_full_run_asks_for_memory_to_be_released(monkeypatch):
    """explainer.memory: the app asks at the end of each run; the releaser decides when to collect and trim."""
    from explainer import memory

    calls = []
    monkeypatch.setattr(memory, "release_memory", lambda: calls.append(1))
    at = open_page("pages/about.py")  # home first, then About
    assert_clean(at)
    runs = len(calls)
    assert runs >= 2
    at.sidebar.radio(key="audience").set_value("trainee").run()
    assert len(calls) == runs + 1
