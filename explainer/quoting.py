"""Showing back a value that came from a link or from a visitor: short, plain text that cannot become a link.

Notices repeat what a link asked for ("…were left out: `https://login.example.com/reset`"), the
Glossary repeats a search, and the clinic notices name a bad setting. Streamlit draws notices and
captions as Markdown in the browser, and its Markdown turns a bare web address, a ``www.`` name or
an e-mail address into a link, even after every Markdown character has been escaped. A crafted
share link could then put a clickable phishing address inside the site, or a 100 KB value into a
notice. Every such value goes through :func:`quoted`: cut to a few words, set as inline code,
which no Markdown renderer links, emphasises or reads as HTML (Streamlit's, and markdown-it-py's
with or without linkify).

The rest of such a message is the site's own words. A message that holds a quoted value is
Markdown and must be drawn as it is, not escaped again (``ui.safe_text`` would escape the code
span's backticks and free the address inside it).
"""

from __future__ import annotations

import re
import unicodedata

# Enough to recognise what was asked for ("ketamine_oral", a mistyped page id), short enough that a
# long value cannot fill the screen.
SHOWN_CHARACTERS = 40
ELLIPSIS = "…"
BLANK = "(blank)"

_BACKTICKS = re.compile(r"`+")


def shortened(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` as one line of at most ``limit`` characters, cut with "…" when it was longer.

    White space (new lines, tabs) becomes single spaces; control and invisible format characters
    (right-to-left overrides, zero-width spaces, byte-order marks) are dropped, so the line shows
    what it holds. Only the first few hundred characters are read: the work is the same for a
    value of 50 characters or 50 million.
    """
    limit = max(int(limit), 2)
    raw = str(value)
    window = raw[: limit * 4 + 64]
    kept = []
    for char in window:
        if char.isspace():
            kept.append(" ")
        elif not unicodedata.category(char).startswith("C"):
            kept.append(char)
    line = " ".join("".join(kept).split())
    if len(line) > limit or len(raw) > len(window):
        line = line[: limit - 1].rstrip() + ELLIPSIS
    return line


def quoted(value: object, limit: int = SHOWN_CHARACTERS) -> str:
    """``value`` shortened (see :func:`shortened`) and set as Markdown inline code.

    The code span's fence is one backtick longer than any run of backticks inside, so a value
    cannot close it early. A value with nothing visible in it reads "(blank)".
    """
    line = shortened(value, limit)
    if not line:
        return BLANK
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(line)), default=0) + 1)
    pad = " " if line.startswith("`") or line.endswith("`") else ""
    return f"{fence}{pad}{line}{pad}{fence}"


def quoted_list(values: list[str] | tuple[str, ...], most: int = 5, limit: int = SHOWN_CHARACTERS) -> str:
    """Up to ``most`` values, each quoted, joined by commas; "and N more" when there were more."""
    shown = ", ".join(quoted(value, limit) for value in values[:most])
    extra = len(values) - most
    return f"{shown} and {extra} more" if extra > 0 else shown
