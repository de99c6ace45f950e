"""Entry point: page config, navigation, the audience control and the footer.

Run with ``make run`` (or ``streamlit run streamlit_app.py``).
"""

import streamlit as st

from explainer import ROOT, ui
from explainer import content as content_lib
from explainer import evidence as evidence_lib
from explainer.site import AUDIENCE_LABELS, AUDIENCES, DEFAULT_AUDIENCE, PAGES, parse_audience, sections

st.set_page_config(
    page_title="Ketamine & Chronic Pain Explainer",
    page_icon=str(ROOT / "static" / "icon.png"),
    layout="wide",
    initial_sidebar_state="auto",
)

# The audience lives in session state and in the URL (?audience=trainee). Streamlit clears query
# parameters when the page changes, so the entry point writes it back on every run. The URL is
# read when a session starts (a shared link); a bad value falls back with a notice.
url_audience, audience_notice = parse_audience(st.query_params.get("audience"))
if "audience" not in st.session_state:
    st.session_state["audience"] = url_audience

with st.sidebar:
    st.radio(
        "Reading level",
        AUDIENCES,
        format_func=AUDIENCE_LABELS.get,
        key="audience",
        help="Patient: plain words and numbers out of 100 people. Trainee: receptor pharmacology, "
        "effect sizes with confidence intervals and self-checks.",
    )
if st.session_state["audience"] == DEFAULT_AUDIENCE:
    st.query_params.pop("audience", None)
else:
    st.query_params["audience"] = st.session_state["audience"]

navigation = st.navigation(
    {
        section: [
            st.Page(page.file, title=page.title, icon=page.icon, url_path=page.url_path or None, default=page.id == "home")
            for page in pages
        ]
        for section, pages in sections(PAGES).items()
    }
)

if audience_notice:
    ui.notice(audience_notice)

# Data and content are validated once per process; a broken file stops here with a short
# message that names the file and the place, never a traceback.
try:
    ui.dataset()
    ui.sections()
except (evidence_lib.DataError, content_lib.ContentError) as error:
    st.error(f"The site cannot start because a data or content file needs fixing.\n\n{ui.safe_text(str(error))}", icon=":material/error:")
    st.stop()

navigation.run()
ui.footer()
