"""The pain-pathway diagram drawn as HTML: each site a button that opens a card about it in place.

It replaces the Plotly chart the "How they work" page drew (its bundle made the page finish two to
three times later than an empty app, benchmarks/README.md). Like ``explainer.line_charts`` it is a
plain function of its inputs returning a string in which every piece of data text is escaped, with
no script to draw it; ``st.html``'s sanitizer keeps no inline ``<svg>``, so the arrows are CSS
borders and every word is HTML text.

Layout: a CSS grid of eight half-columns, so a site at ``x`` (0 to 3, as in
``explainer.mechanisms.SITES``) is centred on grid line ``2x + 2``: the four stations of the
ascending path in one row with their labels above them and arrows between them, the descending
control (x = 2.5) below on a dashed path from the brain back to the spinal cord, its label under it.
The grid keeps the sites' relative positions at any width and never lets two labels overlap.

Sites where the chosen medicine acts are drawn larger, as stars, with their label in bold and
"acts here" under it: shape, size and words, not colour alone.

Reading a site: each site is a ``<button popovertarget=...>`` that opens its card (a ``<div
popover>``), as the citations do (``explainer.citations``): a click, a tap, or Enter or Space opens
it; Escape, the card's Close button or a tap outside closes it, and focus goes back to the site.
No rerun is needed. The diagram is a white panel with dark ink in both palettes; the card follows
the page's palette (``light-dark()``) and is a sheet along the bottom of a narrow window.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from explainer.citations import CARD_RULES

# A fixed string: no data goes in it.
CSS = (
    """<style>
.xp { background: #fff; color: #0b0d10; border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem;
  padding: 0.75rem 0.5rem 0.5rem; margin-bottom: 1rem; font-size: 0.875rem; line-height: 1.3; }
.xp p { margin: 0; }
.xp-grid { display: grid; grid-template-columns: repeat(8, minmax(0, 1fr)); grid-template-rows: auto minmax(4.5rem, auto) 2.75rem auto auto; }
.xp-site { grid-row: 1; align-self: end; display: flex; flex-direction: column; align-items: center; justify-content: flex-end;
  gap: 0.2rem; position: relative; z-index: 1; font: inherit; color: #0b0d10; background: none; border: 0; border-radius: 0.35rem;
  padding: 0.2rem 0.15rem 0; margin: 0; cursor: pointer; text-align: center; touch-action: manipulation; min-width: 0; }
.xp-site.xp-below { grid-row: 3 / 5; align-self: start; flex-direction: column-reverse; justify-content: flex-start; padding: 0 0.15rem 0.2rem; }
.xp-site:hover .xp-label { text-decoration: underline; }
.xp-site:focus-visible { outline: 2px solid #0b0d10; outline-offset: 1px; }
.xp-label { overflow-wrap: anywhere; }
.xp-acts { display: block; font-weight: 600; }
.xp-markbox { display: flex; align-items: center; justify-content: center; width: 2.75rem; height: 2.75rem; flex: none; }
.xp-mark { display: block; width: 1.75rem; height: 1.75rem; border-radius: 50%; background: #9e9e9e; box-shadow: inset 0 0 0 1px #1a1a1a; }
.xp-star { position: relative; width: 2.75rem; height: 2.75rem; border-radius: 0; background: #1a1a1a; box-shadow: none;
  clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%); }
.xp-star::after { content: ""; position: absolute; inset: 4px; background: #d55e00;
  clip-path: polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%); }
/* Arrows: centre of one station to the next, on the marks' middle line, kept clear of the marks. */
.xp-arrow { grid-row: 1; align-self: end; height: 0; margin: 0 1.6rem 1.375rem; border-top: 2px solid #4d4d4d; position: relative; }
.xp-arrow::after { content: ""; position: absolute; right: -2px; top: -7px; border: 6px solid transparent; border-left: 9px solid #4d4d4d; border-right: 0; }
.xp-down { grid-column: 6 / 8; grid-row: 2 / 4; margin: 0.4rem 0 1.375rem; border: 2px dashed #4d4d4d; border-top: 0; position: relative; }
.xp-down::before { content: ""; position: absolute; left: -7px; top: -6px; border: 6px solid transparent; border-bottom: 9px solid #4d4d4d; border-top: 0; }
.xp-note { color: #4a4f57; text-align: center; padding: 0.4rem 0.25rem; }
.xp-up { grid-column: 4 / 6; grid-row: 2; align-self: start; }
.xp-brakes { grid-column: 5 / 9; grid-row: 5; }
@media (max-width: 640px) {
  .xp { font-size: 0.78rem; padding: 0.5rem 0.25rem 0.4rem; }
  .xp-arrow { margin-left: 1.5rem; margin-right: 1.5rem; }
}
"""
    + CARD_RULES
    + """.xp-card .xp-card-title { font-weight: 600; padding-right: 4.5rem; }
@media print { .xp-card[popover] { display: none; } }
</style>"""
)


@dataclass(frozen=True)
class DiagramSite:
    """One site as the diagram draws it: where, what it is called, whether the chosen medicine acts there, its card."""

    id: str
    label: str  # may hold "<br>" where the label breaks (as explainer.mechanisms.SITES writes it)
    x: float  # 0, 0.5, 1, ... 3: the station's place along the path
    below: bool  # the descending control, drawn under the ascending row
    lit: bool
    details: str  # the card's text
    acts: str = ""  # the card's first line when the chosen medicine acts here ('' otherwise)


_ID_PART = re.compile(r"[^a-z0-9_-]+")


def card_id(site_id: str) -> str:
    """The card's element id: ``pathway-site-<site>``, safe as an HTML id."""
    return "pathway-site-" + _ID_PART.sub("-", site_id.lower())


def _label_html(label: str) -> str:
    return "<br>".join(escape(part) for part in label.split("<br>"))


def _plain(label: str) -> str:
    return label.replace("<br>", " ")


def _column(x: float) -> str:
    """Grid columns (of eight half-columns) centred on the site at ``x``."""
    centre = round(2 * x + 2)
    if not 2 <= centre <= 8:
        raise ValueError(f"a site's x must be from 0 to 3 (got {x!r})")
    return f"{centre - 1} / {centre + 1}"


def site_button(site: DiagramSite) -> str:
    target = escape(card_id(site.id), quote=True)
    mark = '<span class="xp-mark xp-star"></span>' if site.lit else '<span class="xp-mark"></span>'
    label = f"<strong>{_label_html(site.label)}</strong>" if site.lit else _label_html(site.label)
    acts = '<span class="xp-acts"><span aria-hidden="true">★ </span>acts here</span>' if site.lit else ""
    classes = "xp-site" + (" xp-below" if site.below else "") + (" xp-lit" if site.lit else "")
    return (
        f'<button type="button" class="{classes}" style="grid-column: {_column(site.x)}" popovertarget="{target}">'
        f'<span class="xp-label">{label}{acts}</span><span class="xp-markbox">{mark}</span></button>'
    )


def site_card(site: DiagramSite) -> str:
    target = escape(card_id(site.id), quote=True)
    title = escape(f"{card_id(site.id)}-title", quote=True)
    acts = f"<p><strong>{escape(site.acts)}</strong></p>" if site.acts else ""
    return (
        f'<div class="xp-card place-card" id="{target}" popover role="dialog" aria-labelledby="{title}">'
        f'<p class="xp-card-title" id="{title}">{escape(_plain(site.label))}</p>{acts}<p>{escape(site.details)}</p>'
        f'<button type="button" class="xp-card-close place-card-close" popovertarget="{target}" popovertargetaction="hide">Close</button></div>'
    )


def pathway_html(label: str, sites: Sequence[DiagramSite], chain: Sequence[str], up_note: str, down_note: str) -> str:
    """The diagram: its CSS, then one labelled group holding the sites (buttons), arrows, notes and the cards.

    ``chain``: the ascending stations in order (arrows join neighbours); the one site drawn
    ``below`` sits on a dashed path from the last station back to the one before it.
    """
    by_id = {site.id: site for site in sites}
    parts = [site_button(site) for site in sites]
    for start, end in itertools.pairwise(chain):
        left, right = sorted((by_id[start].x, by_id[end].x))
        parts.append(
            f'<span class="xp-arrow" aria-hidden="true" style="grid-column: {round(2 * left + 2)} / {round(2 * right + 2)}"></span>'
        )
    if any(site.below for site in sites):
        parts.append('<span class="xp-down" aria-hidden="true"></span>')
    parts.append(f'<p class="xp-note xp-up">{escape(up_note)}</p>')
    parts.append(f'<p class="xp-note xp-brakes">{escape(down_note)}</p>')
    cards = "".join(site_card(site) for site in sites)
    return f'{CSS}<div class="xp" role="group" aria-label="{escape(label, quote=True)}"><div class="xp-grid">{"".join(parts)}</div>{cards}</div>'
