"""Data tables as plain HTML: the table under every chart, the model's numbers, the data explorer.

A real ``<table>`` with column headers (and the first column as row headers, naming each row for
a screen reader), inside a labelled region that scrolls sideways by itself on a narrow screen.
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
) -> str:
    """``frame`` (its columns, not its index) as one block of HTML for ``ui.prepared_table`` (``st.html``).

    ``label`` names the region for screen readers. With ``row_headers`` the first column's cells
    are ``<th scope="row">``. ``links`` maps a column to a function giving the href for a cell's
    value; that cell becomes a link showing the value (a value holding several items separated by
    ``LINK_SEPARATOR`` gets one link per item). ``line_breaks`` maps a column to the
    separator its values use between items ("a • b"); each item then starts a new line, with the
    separator's mark ("•") kept in front of it. ``styles`` (the same shape as ``frame``, read by
    position) gives a cell's CSS, for tables drawn as a coloured grid; blank entries add none.
    ``region`` replaces the region's id made from ``label``.
    """
    links = links or {}
    line_breaks = line_breaks or {}
    head = "".join(f'<th scope="col">{escape(str(column))}</th>' for column in frame.columns)
    rows = []
    columns = list(frame.columns)
    style_rows = None if styles is None else styles.to_numpy(dtype=object).tolist()
    # Plain lists, not per-cell pandas access: tables are drawn on every rerun.
    for row_number, values in enumerate(frame.to_numpy(dtype=object).tolist()):
        cells = []
        for position, (column, value) in enumerate(zip(columns, values, strict=True)):
            style = None if style_rows is None else style_rows[row_number][position]
            styled = "" if style is None or pd.isna(style) else f' style="{escape(str(style))}"'
            text = escape(cell_text(value))
            if column in links and text != MISSING:
                # A cell may name several sources ("a; b"): one link each.
                text = LINK_SEPARATOR.join(
                    f'<a href="{escape(links[column](part))}">{escape(part)}</a>' for part in str(value).split(LINK_SEPARATOR)
                )
            elif column in line_breaks and text != MISSING:
                separator = line_breaks[column]
                mark = escape(separator.strip())
                items = [escape(item.strip()) for item in cell_text(value).split(separator) if item.strip()]
                text = "<br>".join(f"{mark} {item}" for item in items) if len(items) > 1 else text
            if position == 0 and row_headers:
                cells.append(f'<th scope="row"{styled}>{text}</th>')
            else:
                cells.append(f"<td{styled}>{text}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div id="{escape(region or region_id(label))}" role="region" aria-label="{escape(label)}" tabindex="0">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
