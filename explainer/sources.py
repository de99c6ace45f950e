"""Build the Sources page: references grouped by kind, each with an anchor citations link to."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from explainer.evidence import KIND_LABELS, PAIN_TYPE_PHRASES, REFERENCE_KINDS, reference_link, short_label

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


def reference_names(references: pd.DataFrame) -> dict[str, str]:
    """Id -> the name readers know a source by ('NeuPSIG 2025'), else its short label ('Woolf CJ 2011')."""
    return {ref["id"]: short_label(ref) for ref in references.to_dict("records")}


def review_overdue(ref: dict, today: dt.date | None = None) -> int | None:
    """The planned review year of a source that has not been replaced, when that year has passed; else None."""
    due = ref.get("review_due")
    if ref.get("superseded_by") or due is None or (isinstance(due, float) and due != due):
        return None
    return int(due) if int(due) < (today or dt.date.today()).year else None


def currency_text(ref: dict, names: dict[str, str]) -> str:
    """Plain words for a citation's tooltip: replaced, or past its planned review; '' otherwise."""
    if ref.get("superseded_by"):
        return f"Replaced by {names.get(ref['superseded_by'], ref['superseded_by'])}."
    due = review_overdue(ref)
    return f"Its planned review ({due}) has passed; no update found." if due else ""


def currency_note(ref: dict, names: dict[str, str], today: dt.date | None = None) -> str:
    """HTML (escaped) saying a source has been replaced, or that its planned review date has passed; '' otherwise."""
    e = html.escape
    replacement = ref.get("superseded_by") or ""
    if replacement:
        label = names.get(replacement, replacement)
        return (
            f'Replaced by <a href="#{e(anchor_id(replacement), quote=True)}">{e(label)}</a>. '
            "The site uses it only for figures the newer source does not give, or as history."
        )
    due = review_overdue(ref, today)
    if due:
        return f"Its planned review date ({due}) has passed, and we found no update. It is still the main guideline on this in our sources."
    return ""


def reference_html(ref: dict, names: dict[str, str] | None = None) -> str:
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
    status = currency_note(ref, names or {})
    if status:
        parts.append(f'<br><strong class="ref-status">{status}</strong>')
    known = f"Known as {e(ref['short_name'])}. " if ref.get("short_name") else ""
    covers = "; ".join(PAIN_TYPE_PHRASES[p] for p in ref.get("pain_types") or ())
    covers_text = f" Covers: {e(covers)}." if covers else ""
    parts.append(
        f"<br><small>{known}Used for: {e(ref['used_for'])}.{covers_text} Last checked {e(checked_text)}. Id: <code>{e(ref['id'])}</code></small>"
    )
    return f'<li id="{e(anchor_id(ref["id"]), quote=True)}">{"".join(parts)}</li>'


def group_html(members: list[dict], names: dict[str, str] | None = None) -> str:
    """One kind's references as a list; ``names`` (id -> short label) names the replacements of superseded ones."""
    return '<ul class="references">' + "".join(reference_html(r, names) for r in members) + "</ul>"


def changes_html(changes: list[dict], links) -> str:
    """The dated evidence log, newest first: what changed, why, and the sources (``links``: ids -> (label, href))."""
    e = html.escape
    items = []
    for change in sorted(changes, key=lambda c: c["date"], reverse=True):
        ids = [part.strip() for part in change["source_ids"].split(";") if part.strip()]
        cited = "; ".join(f'<a href="{e(href, quote=True)}">{e(label)}</a>' for label, href in links(ids))
        when = change["date"].isoformat() if hasattr(change["date"], "isoformat") else str(change["date"])
        items.append(
            f"<li><strong>{e(when)}</strong>: {e(change['what'])} <em>Why:</em> {e(change['why'])}"
            + (f" <small>Sources: {cited}</small>" if cited else "")
            + "</li>"
        )
    return '<ul class="changes">' + "".join(items) + "</ul>"
