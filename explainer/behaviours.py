"""The site's browser behaviours: the JavaScript files in explainer/scripts, joined into one script.

Streamlit draws everything the site shows, but a few things a visitor expects happen only in the
browser: the phone menu closing once a page is chosen, a citation opening in place, focus moving to
a story step's heading, the visit list printing. Each lives in its own file in ``explainer/scripts``
(see its README). This module reads them once and wraps each so that it runs once per window, however
often Streamlit draws the element again, and so that one file's error does not stop the others.

No Streamlit import: ``ui.site_behaviours`` draws the result with ``st.html``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

SCRIPTS_DIR = Path(__file__).with_name("scripts")


def script_files(folder: Path = SCRIPTS_DIR) -> list[Path]:
    """The behaviour files, in name order (the order they are installed in)."""
    return sorted(folder.glob("*.js"))


def wrapped(name: str, source: str) -> str:
    """One file's code, run once per window and isolated from the others' errors."""
    flag = "kcpe:" + name
    return (
        "(function () {\n"
        f"  if (window[{flag!r}]) return;\n"
        f"  window[{flag!r}] = true;\n"
        "  try {\n"
        f"{source.rstrip()}\n"
        "  } catch (error) {\n"
        f"    console.error({name!r} + ': ' + error);\n"
        "  }\n"
        "})();\n"
    )


@functools.cache
def script_html(folder: Path = SCRIPTS_DIR) -> str:
    """The ``<script>`` element holding every behaviour (empty when there is none)."""
    parts = [wrapped(path.stem, path.read_text(encoding="utf-8")) for path in script_files(folder)]
    if not parts:
        return ""
    body = "".join(parts)
    if "</script" in body.lower():
        raise ValueError("a behaviour script must not contain '</script'")
    # Streamlit's sanitiser (DOMPurify) drops a whole <script> whose text holds "<" followed by a letter,
    # "/", "!" or "?": one such comment would silently remove every behaviour.
    if found := re.search(r"<[/\w!?]", body):
        raise ValueError(f"a behaviour script must not contain {found.group()!r}: write 'a < b' with spaces")
    return "<script>\n" + body + "</script>"
