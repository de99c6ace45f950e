"""Citations that open in place: the [n] button in the text and the card with the full reference.

Content writes ``[@cohen2018]``; ``content.render_markdown`` numbers it and, given the references,
draws the number as a ``<button popovertarget=…>`` and appends one card per cited reference (a
``<div popover>``) to the end of the section. The browser's popover API does the rest without any
script: a click, a tap, or Enter or Space on the button opens the card; Escape, the card's Close
button or a tap outside closes it, and focus goes back to the number. The card lives in the top
layer, so opening it neither moves the page nor, inside a clinic's iframe, the clinic's page.

The card shows what ``data/references.csv`` holds: authors, year, title, journal, what the site uses
the source for (its ``used_for`` column), whether it has been replaced or is past its review, a link
to the source itself (DOI, else PubMed, else its web page; none when the data has none), and a link
to its entry on the Sources page, which also serves where the card cannot open. Printed, every
card shows as a short numbered reference list after its section.

Every value from the data is escaped here; ids are made from the section key and the reference id
(both restricted to ``[a-z0-9_-]``), so they are unique on a page even when two sections cite the
same source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from explainer.evidence import reference_link, short_label
from explainer.sources import currency_text


@dataclass(frozen=True)
class CitedReference:
    """What a citation's card shows about one reference (plain text, not yet escaped)."""

    ref_id: str
    authors: str
    year: str
    title: str
    journal: str
    used_for: str  # what the site uses the source for: the reference's own note in the data
    status: str  # replaced, or past its planned review; "" otherwise
    link: str | None  # the source itself: DOI, else PubMed, else its web page

    @property
    def label(self) -> str:
        """'Authors year. Title' for the number's accessible name."""
        return f"{self.authors} {self.year}. {self.title}"


def cited_references(records: Iterable[Mapping]) -> dict[str, CitedReference]:
    """Reference id -> what its card shows, from the rows of ``references.csv`` (as dicts)."""
    rows = [dict(record) for record in records]
    names = {row["id"]: short_label(row) for row in rows}  # as the Sources page names a replacement
    return {
        row["id"]: CitedReference(
            ref_id=str(row["id"]),
            authors=str(row.get("authors") or ""),
            year=str(row.get("year") or ""),
            title=str(row.get("title") or "").rstrip("."),
            journal=str(row.get("journal") or "").rstrip("."),
            used_for=str(row.get("used_for") or "").rstrip("."),
            status=currency_text(row, names),
            link=reference_link(row) or None,
        )
        for row in rows
    }


_ID_PART = re.compile(r"[^a-z0-9_-]+")


def card_id(prefix: str, ref_id: str) -> str:
    """The card's element id: ``cite-<section>-<reference>``, safe as an HTML id."""
    return "cite-" + "-".join(part for part in (_ID_PART.sub("-", prefix.lower()).strip("-"), _ID_PART.sub("-", ref_id)) if part)


def button_html(number: int, ref: CitedReference, target: str) -> str:
    """The number in the text: a button that opens (and closes) the card ``target``."""
    e = html.escape
    return (
        f'<button type="button" class="citation" popovertarget="{e(target, quote=True)}" '
        f'aria-label="Source {number}: {e(ref.label, quote=True)}">{number}</button>'
    )


def card_html(number: int, ref: CitedReference, target: str, sources_href: str) -> str:
    """The card for one reference: every field escaped, the source's link only when the data has one."""
    e = html.escape
    title_id = e(f"{target}-title", quote=True)
    year = f" ({e(ref.year)})" if ref.year else ""
    journal = f" {e(ref.journal)}." if ref.journal else ""
    parts = [
        f'<div class="citation-card place-card" id="{e(target, quote=True)}" popover role="dialog" aria-labelledby="{title_id}">',
        f'<p class="citation-card-number">Source {number}</p>',
        f'<p class="citation-card-title" id="{title_id}"><cite>{e(ref.title)}</cite></p>',
        f"<p>{e(ref.authors)}{year}.{journal}</p>",
    ]
    if ref.used_for:
        parts.append(f"<p><strong>Used here for:</strong> {e(ref.used_for)}.</p>")
    if ref.status:
        parts.append(f'<p class="ref-status"><strong>{e(ref.status)}</strong></p>')
    if ref.link:
        source = f'<a href="{e(ref.link, quote=True)}" target="_blank" rel="noopener">Read the source (opens in a new tab)</a>'
    else:
        source = '<span class="citation-card-nolink">No web link for this source.</span>'
    entry = f'<a class="citation-card-entry" href="{e(sources_href, quote=True)}" target="_self">See it on the Sources page</a>'
    parts.append(f'<p class="citation-card-links">{source}<br>{entry}</p>')
    parts.append(
        f'<button type="button" class="citation-card-close place-card-close" popovertarget="{e(target, quote=True)}" '
        f'popovertargetaction="hide">Close</button>'
    )
    parts.append("</div>")
    return "".join(parts)


def cards_html(cards: list[str]) -> str:
    """A section's cards, after its text, with the CSS they need; '' when the section cites nothing."""
    if not cards:
        return ""
    return '<div class="citation-cards">' + CSS + "".join(cards) + "</div>"


# A card that opens in place (the HTML popover API), shared by citations and the pain pathway's sites
# (explainer/pathway_diagram.py): next to what opened it where there is room, a sheet along the bottom
# of a phone's screen, with a Close button in its corner. Fixed rules: no data goes in them.
CARD_RULES = """
.place-card[popover] {
  box-sizing: border-box; width: min(28rem, calc(100vw - 2rem)); max-height: calc(100% - 0.8rem); overflow: auto;
  inset: auto; margin: 0.4rem 0; padding: 0.75rem 1rem 0.5rem;
  position-area: bottom span-right; position-try-fallbacks: bottom span-left, bottom, top span-right, top span-left, top;
  position-try-order: most-height;
  font-size: 0.95rem; line-height: 1.45; text-align: left;
  color: light-dark(#0b0d10, #f2f4f7); background: light-dark(#ffffff, #1b2230);
  border: 1px solid light-dark(#8a96a3, #6b7785); border-radius: 0.5rem; box-shadow: 0 0.4rem 1.4rem rgba(0, 0, 0, 0.3);
}
.place-card p { margin: 0 0 0.5rem; }
.place-card-close {
  position: absolute; top: 0.5rem; right: 0.5rem; font: inherit; font-size: 0.85rem; min-height: 1.75rem;
  padding: 0.15rem 0.6rem; color: inherit; background: transparent; cursor: pointer;
  border: 1px solid light-dark(#8a96a3, #6b7785); border-radius: 0.35rem;
}
@media (max-width: 639.98px) {
  .place-card[popover] {
    position-area: none; position-try-fallbacks: none; inset: auto 0.5rem 0.5rem 0.5rem;
    width: auto; max-height: 70vh; margin: 0;
  }
}
@supports not (position-area: bottom) {
  .place-card[popover] { inset: auto 0.5rem 0.5rem 0.5rem; width: auto; max-width: 40rem; max-height: 70vh; margin: 0 auto; }
}
"""

# The number keeps the look of a link in superscript brackets (padding offset by negative margins gives
# a finger a bigger target without moving the text); the card is a bordered panel in the
# page's own palette (light-dark() follows the color-scheme Streamlit sets). From 640 px up it sits
# next to its number (CSS anchor positioning: below or above, whichever has more room, and no taller
# than that room; to the right, else the left, else centred: one of them always fits at that width);
# narrower, it is a sheet along the bottom of the window, so it is always wholly on screen.
# Printed, the cards show as the section's reference list (without their links, which paper cannot follow).
# A fixed string: no data goes in it.
CSS = (
    """<style>
[data-testid="stHtml"] > :has(+ .citation-cards:last-child) { margin-bottom: 0; }
sup.cite { line-height: 0; }
button.citation {
  font: inherit; line-height: 1; color: light-dark(#1a5279, #7fb8ff); background: none; border: 0;
  padding: 0.45em 0.3em; margin: -0.45em -0.2em; cursor: pointer; text-decoration: underline; text-underline-offset: 0.12em;
  position: relative; touch-action: manipulation;
}
button.citation:hover { text-decoration-thickness: 2px; }
button.citation:focus-visible { outline: 2px solid currentColor; outline-offset: 1px; border-radius: 2px; }
"""
    + CARD_RULES
    + """.citation-card .citation-card-number { font-size: 0.85rem; font-weight: 600; padding-right: 4.5rem; }
.citation-card .citation-card-title { font-weight: 600; }
.citation-card cite { font-style: normal; }
.citation-card a { color: light-dark(#1a5279, #7fb8ff); }
@media print {
  .citation-cards { margin: 0.5rem 0 1rem; font-size: 0.85em; }
  .citation-card[popover] {
    display: block; position: static; inset: auto; width: auto; max-height: none; overflow: visible;
    margin: 0 0 0.4rem; padding: 0; border: 0; box-shadow: none; background: none; color: inherit;
  }
  .citation-card p, .citation-card .citation-card-number { display: inline; margin: 0; padding: 0; font-size: inherit; }
  .citation-card p + p::before { content: " "; }
  .citation-card .citation-card-number::after { content: ":"; }
  .citation-card-close, .citation-card .citation-card-links { display: none; }
}
</style>"""
)
