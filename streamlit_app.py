"""Entry point: page config, navigation, the audience control and the footer.

Run with ``make run`` (or ``streamlit run streamlit_app.py``).
"""

import streamlit as st

from explainer import content as content_lib
from explainer import embed as embed_lib
from explainer import evidence as evidence_lib
from explainer import memory, ui
from explainer.site import AUDIENCE_LABELS, AUDIENCES, PAGES, SITE_TITLE, document_title, parse_audience, sections

st.set_page_config(
    page_title=SITE_TITLE,  # until the page is known: then "<page> · <site>" (below)
    # Served from static/ (server.enableStaticServing): a file path here would be read, hashed and
    # registered as a media file on every run.
    page_icon="/app/static/icon.png",
    layout="wide",
    initial_sidebar_state="auto",
)

ui.site_style()
ui.site_behaviours()  # the few things only the browser can do (explainer/scripts)
ui.forget_stale_widgets()  # Streamlit keeps every page's widget records otherwise (see its docstring)

# --- Clinic profile (EXPLAINER_CLINIC) and per-embed URL options (?sidebar, ?pages, ?page) ---
# The profile sets the branding, the pages in the menu and the default audience; the URL can
# narrow the menu, hide the sidebar (the menu moves to the top) and pick the page to open.
clinic = ui.clinic_settings()
embed_view = ui.embed_view()
if clinic.logo:
    st.logo(str(clinic.logo), size="large")
# Query parameters are written only when they change: every write replaces the address, and a
# replaced address loses its #anchor (a glossary term, a cited reference) before the page scrolls to it.
if embed_view.hide_sidebar and st.query_params.get("sidebar") != "hidden":
    st.query_params["sidebar"] = "hidden"
if embed_view.pages and st.query_params.get("pages") != ",".join(embed_view.pages):
    st.query_params["pages"] = ",".join(embed_view.pages)
# --- end clinic block ---

# The audience lives in session state and in the URL (?audience=trainee). Streamlit clears query
# parameters when the page changes, so the entry point writes it back on every run. The URL gives the
# control its starting value when a session starts (a shared link); a bad value falls back with a notice.
# It is the radio's own default, not a value put into session state before the radio: a page still open
# after the server restarted sends its controls' values to a new session, and a value set first would
# override the visitor's click (the first click after a restart did nothing).
url_audience, audience_notice = parse_audience(st.query_params.get("audience") or clinic.default_audience)

# The menu goes at the top of the sidebar; it is filled in once the pages are known (below).
nav_slot = None if embed_view.hide_sidebar else st.sidebar.container(key="site_nav")

with st.container(key="audience_bar") if embed_view.hide_sidebar else st.sidebar:
    st.radio(
        "Reading level",
        AUDIENCES,
        index=AUDIENCES.index(url_audience),
        format_func=AUDIENCE_LABELS.get,
        key="audience",
        horizontal=embed_view.hide_sidebar,
        help="Patient: plain words and numbers out of 100 people. Trainee: receptor pharmacology, "
        "effect sizes with confidence intervals and self-checks.",
    )
    if not embed_view.hide_sidebar:  # clinic block
        ui.clinic_contact()
if st.session_state["audience"] == clinic.default_audience:
    if "audience" in st.query_params:
        del st.query_params["audience"]
else:
    if st.query_params.get("audience") != st.session_state["audience"]:
        st.query_params["audience"] = st.session_state["audience"]

# Clinic block: pages left out of the menu stay reachable (hidden), so in-text links still work.
# An embed leaves "For clinics" (for the clinic's staff) out unless the profile or ?pages= lists it.
shown_pages = embed_lib.visitor_pages(clinic.pages, clinic.pages_listed, embed_view.pages, bool(st.context.is_embedded))
default_page = "home" if "home" in shown_pages else shown_pages[0]
page_objects = ui.page_objects(default_page, shown_pages)
# In the sidebar we draw the menu ourselves (st.page_link under each section's label): Streamlit's
# own sectioned menu puts <header> and <div> elements inside its <ul>, which screen readers and
# accessibility audits report as a broken list. With the sidebar hidden, Streamlit's top menu is used.
navigation = st.navigation(
    {section: [page_objects[page.id] for page in pages] for section, pages in sections(PAGES).items()},
    position="top" if embed_view.hide_sidebar else "hidden",
)
current_page = next(page_id for page_id, page in page_objects.items() if page is navigation)
# Each tab, bookmark and history entry names its page.
st.set_page_config(page_title=document_title(current_page))
if nav_slot is not None:
    with nav_slot:
        for section, pages in sections(PAGES).items():
            visible = [page for page in pages if page.id in shown_pages]
            if visible:
                ui.text(f"**{section}**")
                for page in visible:
                    st.page_link(page_objects[page.id], width="stretch")  # title and icon come from the page
if embed_view.start_page and not st.session_state.get("embed_start_done"):
    st.session_state["embed_start_done"] = True
    if navigation is not page_objects[embed_view.start_page]:
        st.switch_page(
            page_objects[embed_view.start_page],
            query_params={k: v for k, v in st.query_params.items() if k not in ("page", "embed", "embed_options")},
        )

if audience_notice:
    ui.notice(audience_notice)
for embed_notice in embed_view.notices:  # clinic block
    ui.notice(embed_notice)
ui.clinic_warnings()  # clinic block

# Data and content are validated once per process; a broken file stops here with a short
# message that names the file and the place, never a traceback.
try:
    ui.dataset()
    ui.sections()
except (evidence_lib.DataError, content_lib.ContentError) as error:
    st.error(f"The site cannot start because a data or content file needs fixing.\n\n{ui.safe_text(str(error))}", icon=":material/error:")
    st.stop()

navigation.run()
ui.reading_path(current_page, shown_pages)  # "Keep reading": Back and Next along the reading level's path
if embed_view.hide_sidebar:  # clinic block: without a sidebar, the contact goes under the page
    ui.clinic_contact(divider=True)
ui.footer()
memory.freeze_loaded_objects(current_page)  # once per page and process
memory.release_memory()  # garbage collected and free heap pages returned once runs pause (explainer/memory.py)
