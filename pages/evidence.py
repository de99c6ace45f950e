"""Evidence: what trials and reviews show for ketamine, how it compares, open questions, the data."""

import streamlit as st

from explainer import data_dir, evidence_view, tables, ui


# One table view per choice of table, options and reading level, shared read-only: the filtering,
# the CSV and the source list are made once, not on every run of every visit.
# The table is kept as its HTML, each row's source linked to the Sources page; the links carry the
# view (reading level, embed), so that page's address in this view (``sources_link``) keys the cache.
@ui.view_cache(max_entries=64)
def data_view(folder: str, view: str, chosen: tuple[str, ...], audience: str, sources_link: str):  # noqa: ARG001 - folder and sources_link key the cache
    table = evidence_view.table_view(ui.dataset(), view, list(chosen), audience)
    csv = table.to_csv(index=False).encode("utf-8")
    shown = tables.table_html(
        table.rename(columns={"source_id": "Source"}),
        f"Data table: {evidence_view.VIEWS[view]}",
        links={"Source": ui.source_href},
    )
    return shown, len(table), csv, sorted(set(table["source_id"]))


st.title("Evidence")
ui.text(
    "What the trials and reviews behind this site found, how sure they are, and what is still unknown. Every number links to its source."
)

first = ui.show_section("evidence/ketamine")
ui.show_section("evidence/status")
ui.show_section("evidence/comparison")
ui.show_section("evidence/questions")

ui.text("## The data behind the site")
ui.text(
    "Every value shown anywhere on this site is a row in one of these tables, with the source it came from. "
    "Choose a table and the options you want to see."
)
names = ui.option_names()
left, right = st.columns([1, 2])
view = left.selectbox("Table", list(evidence_view.VIEWS), format_func=evidence_view.VIEWS.get, key="evidence_view")
chosen = right.multiselect("Options", list(names), format_func=names.get, placeholder="All options", key="evidence_options")

shown, rows, csv, source_ids = data_view(str(data_dir()), view, tuple(chosen), ui.audience(), ui.page_href("sources"))
# Each row's source id links to its entry on the Sources page.
ui.prepared_table(shown)
st.caption(f"{rows} rows. 'not established' means the sources we use do not give a number for it.")
ui.csv_download(csv, "Download this table (CSV)", view)
ui.cite(source_ids, label="Table source")
ui.review_caption(first)
