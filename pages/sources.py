"""Sources: every reference the site uses, grouped by kind, each with an anchor."""

import streamlit as st

from explainer import sources, ui

st.title("Sources")
st.markdown(
    "Every number and claim on this site links here. Each entry gives the full citation, a DOI or "
    "PubMed id where we have one, what we used it for, and the date we last checked it."
)
refs = ui.references()
query = st.text_input(
    "Filter sources", placeholder="Author, title, journal or topic", help="Type part of a name or title to narrow the list."
)
groups = sources.grouped_references(refs, query)
st.caption(f"Showing {sum(len(m) for _, m in groups)} of {len(refs)} sources.")
if not groups:
    st.info("No source matches that filter.")
for label, members in groups:
    st.markdown(f"## {label}")
    st.markdown(sources.group_html(members), unsafe_allow_html=True)
ui.scroll_to_anchor()
