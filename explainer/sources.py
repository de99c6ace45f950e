"""Build the Sources page: references grouped by kind, each with an anchor citations link to."""

from __future__ import annotations

import html

import pandas as pd

from explainer.evidence import KIND_LABELS, REFERENCE_KINDS, reference_link

# The Sources page's filter box takes this many characters (Streamlit also cuts a longer value on the
# server), and grouped_references reads no more than this of any filter it is given.
MAX_FILTER_CHARS = 100


def anchor_id(ref_id: str) -> str:
    return f"ref-{ref_id}"


def grouped_references(references: pd.DataFrame, query: str = "") -> list[tuple[str, list[dict]]]:
    """[(kind label, [reference dicts sorted by first author then year])], kinds in a fixed order.

    ``query`` keeps references whose id, authors, title or journal contain it (case-insensitive);
    only its first MAX_FILTER_CHARS characters are read.
    """
    records = references.to_dict("records")
    needle = str(query or "")[:MAX_FILTER_CHARS].strip().lower()
    if needle:
        records = [r for r in records if needle in " ".join(str(r[c]) for c in ("id", "authors", "title", "journal", "used_for")).lower()]
    groups = []
    for kind in REFERENCE_KINDS:
        members = sorted((r for r in records if r["kind"] == kind), key=lambda r: (r["authors"].lower(), r["year"]))
        if members:
            groups.append((KIND_LABELS[kind], members))
    return groups


def reference_html(ref: dict) -> str:
    """One reference as an HTML list item with its anchor. Every value is escaped."""
    e = html.escape
    parts = [f"{e(ref['authors'])} ({ref['year']}). <cite>{e(ref['title'].rstrip('.'))}</cite>. {e(ref['journal'].rstrip('.'))}."]
    ids = []
    if ref.get("doi"):
        ids.append(f'doi: <a href="https://doi.org/{e(ref["doi"], quote=True)}" target="_blank" rel="noopener">{e(ref["doi"])}</a>')
    if ref.get("pmid"):
        ids.append(f'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{e(ref["pmid"])}/" target="_blank" rel="noopener">{e(ref["pmid"])}</a>')
    link = reference_link(ref)
    if ref.get("url") and (ref.get("doi") or ref.get("pmid")):
        ids.append(f'<a href="{e(ref["url"], quote=True)}" target="_blank" rel="noopener">where we read it</a>')
    elif link and not ids:
        ids.append(f'<a href="{e(link, quote=True)}" target="_blank" rel="noopener">web page</a>')
    if ids:
        parts.append(" " + " · ".join(ids) + ".")
    checked = ref["last_checked"]
    checked_text = checked.isoformat() if hasattr(checked, "isoformat") else str(checked)
    parts.append(f"<br><small>Used for: {e(ref['used_for'])}. Last checked {e(checked_text)}. Id: <code>{e(ref['id'])}</code></small>")
    return f'<li id="{e(anchor_id(ref["id"]), quote=True)}">{"".join(parts)}</li>'


def group_html(members: list[dict]) -> str:
    return '<ul class="references">' + "".join(reference_html(r) for r in members) + "</ul>"
