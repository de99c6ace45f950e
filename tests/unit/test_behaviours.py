"""The behaviour scripts are joined, wrapped once per window and kept apart from each other's errors."""

import re
from pathlib import Path

import pytest

from explainer import behaviours


def test_every_file_is_installed_in_name_order_and_guarded(tmp_path: Path):
    (tmp_path / "b-second.js").write_text("window.order.push('b');\n")
    (tmp_path / "a-first.js").write_text("window.order.push('a');\n")
    (tmp_path / "notes.txt").write_text("not a script")
    html = behaviours.script_html(tmp_path)
    assert html.startswith("<script>") and html.endswith("</script>")
    assert html.index("push('a')") < html.index("push('b')")
    assert "notes.txt" not in html and "not a script" not in html
    assert "window['kcpe:a-first'] = true;" in html
    assert html.count("try {") == 2


def test_no_files_means_no_element(tmp_path: Path):
    assert behaviours.script_html(tmp_path) == ""


def test_text_the_sanitiser_would_drop_is_refused(tmp_path: Path):
    (tmp_path / "comment.js").write_text("// draws a <div> later\n")
    with pytest.raises(ValueError, match="'<d'"):
        behaviours.script_html(tmp_path)


def test_a_file_cannot_end_the_script_element(tmp_path: Path):
    (tmp_path / "bad.js").write_text("document.write('</SCRIPT>');\n")
    with pytest.raises(ValueError, match="</script"):
        behaviours.script_html(tmp_path)


def test_the_site_scripts_are_plain_files_with_no_remote_code():
    for path in behaviours.script_files():
        source = path.read_text(encoding="utf-8")
        assert "http://" not in source and "https://" not in source, path.name
        assert "innerHTML" not in source, f"{path.name}: build elements with textContent, not innerHTML"


def test_no_file_has_text_that_looks_like_markup():
    # Streamlit sends st.html through DOMPurify, which drops a <script> whose text holds "<" followed by
    # a letter or "/" (its mXSS guard): one such comment or comparison would silently remove every behaviour.
    for path in behaviours.script_files():
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"<[/\w!?]", source), f"{path.name}: write 'a < b' with spaces and no tags in comments"
