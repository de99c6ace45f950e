"""Sources: every reference the site uses, grouped by kind, each with an anchor."""

import streamlit as st

from explainer import data_dir, sources, ui


def grouped(folder: str, query: str) -> list[tuple[str, int, str]]:
    """The grouped list for one filter text: [(kind label, number of entries, HTML)].

    The full list (no filter, what nearly every visit asks for) is made once and shared read-only.
    A filtered list is made for the run that shows it and not cached: what a visitor types stays
    with their session, not in the server's memory.
    """
    if not query.strip():
        return _full_list(folder)
    return _groups(query)


@ui.view_cache(max_entries=8)
def _full_list(folder: str) -> list[tuple[str, int, str]]:  # noqa: ARG001 - folder keys the cache
    return _groups("")


def _groups(query: str) -> list[tuple[str, int, str]]:
    names = sources.reference_names(ui.references())
    return [
        (label, len(members), sources.group_html(members, names)) for label, members in sources.grouped_references(ui.references(), query)
    ]


@ui.view_cache(max_entries=8)
def changes_view(folder: str, sources_link: str) -> str:  # noqa: ARG001 - folder and sources_link key the cache
    """The dated evidence log as HTML, each source linked to its entry below."""
    return sources.changes_html(ui.dataset().changes.to_dict("records"), ui.source_links())


st.title("Sources")
ui.text(
    "Every number and claim on this site links here. Each entry gives the full citation, a DOI or "
    "PubMed id where we have one, what we used it for, and the date we last checked it."
)
ui.text("## What changed, and why")
ui.text("A dated log of updates to the evidence on this site, newest first, so you can see it is kept current.")
ui.prepared_html(changes_view(str(data_dir()), ui.page_href("sources")))
refs = ui.references()
query = st.text_input(
    "Filter sources",
    placeholder="Author, title, journal or topic",
    help="Type part of a name or title to narrow the list.",
    max_chars=sources.MAX_FILTER_CHARS,
)
groups = grouped(str(data_dir()), query)
st.caption(f"Showing {sum(count for _, count, _ in groups)} of {len(refs)} sources.")
if not groups:
    st.info("No source matches that filter.")
for label, _, html in groups:
    ui.text(f"## {label}")
    ui.prepared_html(html)
ui.scroll_to_anchor()
