"""ASGI entry point: `streamlit run serve.py` (what `make run` and the browser tests use).

It serves the same app as streamlit_app.py, and is the place for HTTP-level concerns
(security headers, framing rules for clinics).
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

# Our pages live in pages/ but are declared with st.navigation. Streamlit decides on its old
# pages-folder mode (v1) when the first session starts, before st.navigation has run: if the
# first visitor after a restart opens /compare rather than /, the whole process would serve
# pages without the entry point (no sidebar, no footer). Deciding it here, once, prevents that.
PagesManager.uses_pages_directory = False

app = st.App("streamlit_app.py")
