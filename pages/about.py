"""About: who made the site, funding, how evidence is chosen and reviewed, limitations."""

import streamlit as st

from explainer import ui

st.title("About")
section = ui.show_section("about/about", heading=False)
ui.review_caption(section)
