"""The glossary: every technical word the site uses, a plain definition, a trainee note, a source.

Terms live in ``data/glossary.csv``. Each has a slug (the term in lowercase words joined by
"-"), and the Glossary page gives it the anchor ``term-<slug>`` so any page can link to it with
``ui.page_href("glossary", anchor="term-<slug>")``. :func:`anchors_used` finds every such anchor
in the pages and content, and :func:`missing_anchors` names the ones the glossary lacks; a test
runs it so a link can never land nowhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

import pandas as pd

from explainer.evidence import DataError, TableSpec, load_table, optional_text, slug, source_line_html, text

ANCHOR_PREFIX = "term-"
_ANCHOR = re.compile(r"(?<![A-Za-z0-9_-])term-([a-z0-9]+(?:-[a-z0-9]+)*)")


def source_list(value: str) -> tuple[str, ...]:
    """Zero or more reference ids separated by ';'."""
    return tuple(slug(part.strip()) for part in value.split(";") if part.strip())


def make_slug(term: str) -> str:
    """'NMDA receptor' -> 'nmda-receptor'; 'Alpha-2-delta subunit' -> 'alpha-2-delta-subunit'."""
    plain = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))


def _slug_matches_term(record: dict) -> tuple[str, str] | None:
    expected = make_slug(record["term"])
    if record["slug"] != expected:
        return "slug", f"must be the term in lowercase words joined by '-' ({expected!r} for {record['term']!r})"
    return None


GLOSSARY = TableSpec(
    "glossary.csv",
    {
        "slug": slug,
        "term": text,
        "aliases": optional_text,  # other names, separated by ';' (found by search)
        "definition_patient": text,
        "note_trainee": text,
        "source_ids": source_list,  # ';'-separated; required when the note or definition makes a factual claim
    },
    key=("slug",),
    row_checks=(_slug_matches_term,),
)


def load_glossary(data_dir: Path, reference_ids: Iterable[str]) -> pd.DataFrame:
    """Load and check the glossary; sorted by term. Raises DataError naming file, row and column."""
    path = data_dir / GLOSSARY.filename
    frame = load_table(path, GLOSSARY)
    known = set(reference_ids)
    for record in frame.to_dict("records"):
        for source in record["source_ids"]:
            if source not in known:
                raise DataError(path, record["_row"], "source_ids", f"unknown source id {source!r} (not in references.csv)")
    order = frame["term"].str.lower().argsort(kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def empty() -> pd.DataFrame:
    """A glossary with no terms (the page falls back to it when the file is broken)."""
    return pd.DataFrame(columns=["_row", *GLOSSARY.columns])


def anchor(term_slug: str) -> str:
    return ANCHOR_PREFIX + term_slug


def cards_html(
    rows: Iterable[dict],
    trainee: bool,
    sources: Callable[[tuple[str, ...]], list[tuple[str, str]]],
) -> str:
    """Every term's card as one block of HTML, so the page draws the whole list as one element.

    Each card is a ``<div id="term-<slug>">`` (the anchor other pages link to) holding the term as an
    ``<h3>``, its other names, the definition, the trainee note when ``trainee`` and a sources line.
    ``sources`` turns reference ids into (label, href) pairs; the page passes its own, so this stays
    free of Streamlit. Every piece of data text and every href is HTML-escaped: nothing in the
    data file can add markup.
    """
    cards = []
    for row in rows:
        parts = [f'<div id="{escape(anchor(row["slug"]))}">', f"<h3>{escape(row['term'])}</h3>"]
        if row["aliases"]:
            parts.append(f"<p><small><em>Also called:</em> {escape(row['aliases'].replace(';', ','))}</small></p>")
        parts.append(f"<p>{escape(row['definition_patient'])}</p>")
        if trainee:
            parts.append(f"<p><strong>For trainees:</strong> {escape(row['note_trainee'])}</p>")
        parts.append(source_line_html(sources(tuple(row["source_ids"])) if row["source_ids"] else []))
        parts.append("</div>")
        cards.append("".join(parts))
    return "\n".join(cards)


# A search is one pass over the glossary per word, so its cost grows with the words in it. The page's
# box takes up to MAX_QUERY_CHARS characters (Streamlit cuts a longer value on the server too), and
# search() reads at most that many and MAX_QUERY_WORDS distinct words, whatever it is given.
MAX_QUERY_CHARS = 100
MAX_QUERY_WORDS = 8


def search_words(query: str | None) -> list[str]:
    """The distinct lower-case words of a search, in order: at most MAX_QUERY_WORDS of them from
    the first MAX_QUERY_CHARS characters."""
    words = str(query or "")[:MAX_QUERY_CHARS].lower().split()
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def search(glossary: pd.DataFrame, query: str, audience: str = "patient") -> pd.DataFrame:
    """Terms whose name, other names or definition contain every word of ``query``.

    Trainee searches also look in the trainee note. Matching ignores case; an empty query
    returns every term. Only the start of a long query is read (see :func:`search_words`).
    """
    words = search_words(query)
    if not words:
        return glossary
    columns = ["term", "aliases", "definition_patient"] + (["note_trainee"] if audience == "trainee" else [])
    haystack = glossary[columns].fillna("").agg(" ".join, axis=1).str.lower()
    mask = pd.Series(True, index=glossary.index)
    for word in words:
        mask &= haystack.str.contains(word, regex=False)
    # Names first: a term whose own name (or other name) holds the whole query, then one that
    # holds its first word, then matches in the definition only.
    ranked = glossary[mask].copy()
    names = (ranked["term"] + "; " + ranked["aliases"].fillna("")).str.lower()
    phrase = " ".join(words)
    ranked["_rank"] = 2 - names.str.contains(words[0], regex=False).astype(int) - names.str.contains(phrase, regex=False).astype(int)
    return ranked.sort_values("_rank", kind="stable").drop(columns="_rank")


def anchors_in(text_value: str) -> set[str]:
    """Glossary slugs linked from a piece of text (``#term-<slug>`` or ``anchor="term-<slug>"``)."""
    return set(_ANCHOR.findall(text_value))


def anchors_used(paths: Iterable[Path]) -> dict[str, set[str]]:
    """Slug -> the files that link to it."""
    used: dict[str, set[str]] = {}
    for path in paths:
        for found in anchors_in(path.read_text(encoding="utf-8")):
            used.setdefault(found, set()).add(str(path))
    return used


def site_files(root: Path) -> list[Path]:
    """Where glossary links can appear: page scripts, content and the library (data files too)."""
    files = [*sorted((root / "pages").glob("*.py")), *sorted((root / "content").rglob("*.md"))]
    files += sorted((root / "explainer").glob("*.py"))
    files += [p for p in sorted((root / "data").rglob("*")) if p.suffix in (".csv", ".toml")]
    return files


def missing_anchors(glossary_slugs: Iterable[str], paths: Iterable[Path]) -> dict[str, set[str]]:
    """Anchors linked somewhere that no glossary term provides: slug -> files."""
    known = set(glossary_slugs)
    return {found: files for found, files in anchors_used(paths).items() if found not in known}
