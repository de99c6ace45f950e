"""Data tables as plain HTML: the table under every chart, the model's numbers, the data explorer.

A real ``<table>`` with column headers (and the first column as row headers, naming each row for
a screen reader), inside a labelled region. In a frame narrower than 640 px (a phone, ``CSS``) a
table of more than two columns is drawn as one card per row: the row's first cell is the card's heading and every
other cell reads "Column: value", so no column is off-screen and no row looks empty. A blank cell
shows a dash on a wide screen and says "not given" on a phone; screen readers hear the words.
It costs the browser far less than Streamlit's interactive data grid, which loads a large
JavaScript bundle and draws on a canvas; the CSV download next to each table keeps the full data.

Every value is HTML-escaped; links are only made for the columns the caller names, with hrefs the
caller builds (never from the data alone).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from html import escape

import pandas as pd

MISSING = "—"
MISSING_WORDS = "not given"  # what a blank cell says to a screen reader, and on a phone's card
CARD_COLUMNS = 3  # a table of this many columns or more becomes cards on a phone; two columns fit


def cell_text(value: object) -> str:
    """A value as the table shows it: blanks as a dash, whole floats without '.0', others to 3 decimals."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.3f}".rstrip("0").rstrip(".")
    text = str(value)
    return text if text.strip() else MISSING


def region_id(label: str) -> str:
    """'Trade-offs: Ketamine' -> 'table-trade-offs-ketamine' (the region's id; pages keep labels distinct)."""
    return "table-" + ("-".join(re.findall(r"[a-z0-9]+", label.lower())) or "data")


LINK_SEPARATOR = "; "


def table_html(
    frame: pd.DataFrame,
    label: str,
    *,
    row_headers: bool = True,
    links: Mapping[str, Callable[[str], str]] | None = None,
    line_breaks: Mapping[str, str] | None = None,
    styles: pd.DataFrame | None = None,
    region: str | None = None,
    cards: bool | None = None,
) -> str:
    """``frame`` (its columns, not its index) as one block of HTML for ``ui.prepared_table`` (``st.html``).

    ``label`` names the region for screen readers. With ``row_headers`` the first column's cells
    are ``<th scope="row">``. ``links`` maps a column to a function giving the href for a cell's
    value; that cell becomes a link showing the value (a value holding several items separated by
    ``LINK_SEPARATOR`` gets one link per item). ``line_breaks`` maps a column to the
    separator its values use between items ("a • b"); each item then starts a new line, with the
    separator's mark ("•") kept in front of it. ``styles`` (the same shape as ``frame``, read by
    position) gives a cell's CSS, for tables drawn as a coloured grid; blank entries add none.
    ``region`` replaces the region's id made from ``label``. ``cards`` draws the table as cards on a
    phone (``CSS``); by default a table of ``CARD_COLUMNS`` columns or more is.

    Every cell carries its column's name (``data-label``, shown in front of the value on a card),
    and every element its table role: the phone's card layout changes the elements' ``display``,
    which makes some browsers drop a table's meaning for screen readers unless the roles are explicit.
    """
    links = links or {}
    line_breaks = line_breaks or {}
    columns = list(frame.columns)
    cards = len(columns) >= CARD_COLUMNS if cards is None else cards
    names = [escape(str(column)) for column in columns]
    head = "".join(f'<th scope="col" role="columnheader">{name}</th>' for name in names)
    missing = f'<span class="tb-dash" aria-hidden="true">{MISSING}</span><span class="tb-missing">{MISSING_WORDS}</span>'
    rows = []
    style_rows = None if styles is None else styles.to_numpy(dtype=object).tolist()
    # Plain lists, not per-cell pandas access: tables are drawn on every rerun.
    for row_number, values in enumerate(frame.to_numpy(dtype=object).tolist()):
        cells = []
        for position, (column, value) in enumerate(zip(columns, values, strict=True)):
            style = None if style_rows is None else style_rows[row_number][position]
            styled = "" if style is None or pd.isna(style) else f' style="{escape(str(style))}"'
            text = escape(cell_text(value))
            if text == MISSING:
                text = missing
            elif column in links:
                # A cell may name several sources ("a; b"): one link each.
                text = LINK_SEPARATOR.join(
                    f'<a href="{escape(links[column](part))}">{escape(part)}</a>' for part in str(value).split(LINK_SEPARATOR)
                )
            elif column in line_breaks:
                separator = line_breaks[column]
                mark = escape(separator.strip())
                items = [escape(item.strip()) for item in cell_text(value).split(separator) if item.strip()]
                text = "<br>".join(f"{mark} {item}" for item in items) if len(items) > 1 else text
            # A value that already begins with its column's name ("How often: not reported") is not
            # labelled again on a card.
            said = cell_text(value).casefold().startswith(str(column).casefold() + ":")
            said_class = ' class="tb-said"' if said else ""
            labelled = f' data-label="{names[position]}"{said_class}{styled}'
            if position == 0 and row_headers:
                cells.append(f'<th scope="row" role="rowheader"{labelled}>{text}</th>')
            else:
                cells.append(f'<td role="cell"{labelled}>{text}</td>')
        rows.append(f'<tr role="row">{"".join(cells)}</tr>')
    layout = ' class="tb-cards"' if cards else ""
    return (
        f'<div id="{escape(region or region_id(label))}"{layout} role="region" aria-label="{escape(label)}" tabindex="0">'
        f'<table role="table"><thead role="rowgroup"><tr role="row">{head}</tr></thead>'
        f'<tbody role="rowgroup">{"".join(rows)}</tbody></table></div>'
    )


# The tables' own rules, drawn once per run with the site's CSS (ui.site_style); the rest of their
# look (rules, padding) is in ui._SITE_CSS. A blank cell's words are for screen readers on a wide
# screen, where the dash shows. In a frame narrower than 640 px (a phone, or a narrow embed beside
# the sidebar: a container query on the table's own frame, not the window's width; a desktop's
# main column is wider) a table marked "tb-cards" becomes one card per row:
# its elements are laid out as blocks (their roles keep the table's meaning), the column headers
# stay for screen readers only, the first cell is the card's heading, and every other cell shows
# its column's name in front of its value. That name is generated text with empty alternative
# text ("/ ''"), so a screen reader, which already announces the column header, does not hear it
# twice; a browser without the alternative-text syntax falls back to the first declaration.
# Selectors carry the class and the region's id so that they outrank the phone rules in _SITE_CSS.
CSS = """
<style>
[data-testid="stHtml"] > div[id^="table-"] .tb-missing {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
}
[data-testid="stHtml"] > div.tb-cards[id^="table-"] { container-type: inline-size; }
@container (max-width: 640px) {
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] :is(table, tbody, tr, th, td) { display: block; width: auto; }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] thead {
    position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
    clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0;
  }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] tbody > tr {
    border: 1px solid rgba(128, 128, 128, 0.35); border-radius: 0.5rem; padding: 0.5rem 0.75rem; margin: 0 0 0.75rem;
  }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] tbody > tr > :is(th, td) {
    border: 0; padding: 0.15rem 0; min-width: 0; max-width: none; overflow-wrap: anywhere;
  }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] tbody > tr > :first-child {
    font-size: 1.1rem; font-weight: 600; line-height: 1.3; padding: 0 0 0.35rem;
  }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] td::before {
    content: attr(data-label) ": ";
    content: attr(data-label) ": " / "";
    font-weight: 600;
  }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] td.tb-said::before { content: none; }
  /* A cell listing items, one a line (line_breaks): its name on a line of its own above them. */
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] td:has(br)::before { display: block; }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] :is(th, td) > .tb-dash { display: none; }
  [data-testid="stHtml"] > div.tb-cards[id^="table-"] .tb-missing {
    position: static; width: auto; height: auto; margin: 0; overflow: visible; clip: auto; clip-path: none; white-space: normal;
  }
}
</style>
"""
