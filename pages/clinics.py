"""For clinics: build the code that puts this site on a clinic's own web page, and see it live."""

import streamlit as st

from explainer import embed, ui
from explainer.quoting import quoted
from explainer.settings import ENV_VAR, MAX_URL, frame_ancestors
from explainer.site import AUDIENCE_LABELS, AUDIENCES, PAGES, PAGES_BY_ID

clinic = ui.clinic_settings()

st.title("For clinics")
ui.text(
    "You can show this site inside a page of your own website, so your patients can read it "
    "without leaving you. Choose what it shows below, copy the code, and paste it into your page. "
    "The site stays the same: every number keeps its source, and the page says it is not medical advice."
)

# --- Who may show this site --------------------------------------------------------------
st.header("Which websites may show this site")
if clinic.allowed_origins is None:
    st.info(
        "No websites are listed in the clinic settings, so **any website** can show this site in a frame. "
        'To allow only your own website, list it under "allowed_origins" in the clinic settings (see the end of this page).',
        icon=":material/public:",
    )
elif not clinic.allowed_origins:
    st.warning(
        "The clinic settings ask to limit who can show this site, but no listed website could be used, "
        "so for now only this site itself can show it. The notice at the top of the page says what to fix.",
        icon=":material/block:",
    )
else:
    ui.text("Only these websites can show this site in a frame; browsers refuse it everywhere else:")
    # Origins are validated (scheme, host and port only), so they cannot contain a backtick.
    ui.text("\n".join(f"- `{origin}`" for origin in clinic.allowed_origins))
    st.caption("Every page of the site is sent with this rule (the site itself is allowed so the preview below works):")
    st.code(f"Content-Security-Policy: {frame_ancestors(clinic)}", language=None, wrap_lines=True)

# --- The builder -------------------------------------------------------------------------
st.header("Build your embed code")
offered = [page for page in PAGES if page.id in clinic.pages]
# An embed's menu leaves "For clinics" out unless the profile lists it (embed.visitor_pages).
embed_menu = embed.visitor_pages(clinic.pages, clinic.pages_listed, None, embedded=True)
left, right = st.columns(2)
with left:
    chosen = st.multiselect(
        "Pages in the menu",
        [page.id for page in offered],
        default=[page.id for page in offered if page.id in embed_menu],
        format_func=lambda page_id: PAGES_BY_ID[page_id].title,
        help="The Sources page is always included, because every number links to it. "
        '"For clinics" is for your staff: it is left out of the embed unless you add it.',
        key="embed_pages",
    )
    start_options = chosen or [page.id for page in offered]
    start = st.selectbox("Page to open first", start_options, format_func=lambda page_id: PAGES_BY_ID[page_id].title, key="embed_start")
    level = st.radio(
        "Reading level to start with",
        AUDIENCES,
        index=AUDIENCES.index(clinic.default_audience),
        format_func=AUDIENCE_LABELS.get,
        horizontal=True,
        key="embed_audience",
    )
with right:
    height = st.slider(
        "Height of the frame, in pixels", embed.HEIGHT_MIN, embed.HEIGHT_MAX, embed.HEIGHT_DEFAULT, step=20, key="embed_height"
    )
    # Streamlit can switch an embed to light or dark only when the site defines a dark palette
    # ([theme.dark] in .streamlit/config.toml, as shipped); without one only the light colours exist.
    if st.get_option("theme.dark.backgroundColor"):
        theme = st.radio(
            "Colours",
            list(embed.THEMES),
            format_func=embed.THEME_LABELS.get,
            horizontal=True,
            key="embed_theme",
            help="Visitors whose phone or computer is set to dark mode see the dark colours unless you choose one. "
            "Charts keep a white background in both.",
        )
    else:
        theme = "site"
        ui.text("**Colours**")
        st.caption(
            "The frame uses the site's own light colours. A dark version can be offered once the site's "
            "settings include a dark palette (see docs/deploy.md)."
        )
    hide_sidebar = st.checkbox(
        "Hide the sidebar",
        value=True,
        help="The menu and the reading level move to the top of the page, which suits frames narrower than a full screen.",
        key="embed_hide_sidebar",
    )

own_address = embed.site_base_from_page_url(st.context.url) or "https://explainer.example.org"
address = st.text_input(
    "Address of this site",
    value=own_address,
    help="The public https address where this site runs. It is filled in from the address your browser is using.",
    key="embed_address",
    max_chars=MAX_URL,
)
address_problem = embed.check_base_url(address)
if address_problem:
    st.warning(f"The address {address_problem}, so the code below uses {quoted(own_address, MAX_URL)} instead.", icon=":material/warning:")
    address = own_address

choice = embed.EmbedChoice(
    base_url=address,
    start_page=start,
    pages=tuple(chosen),
    audience=level,
    height=height,
    theme=theme,
    hide_sidebar=hide_sidebar,
    menu_pages=embed_menu,
)
st.subheader("Your embed code")
st.caption("Copy it with the button at the top right of the box.")
# No syntax colours: the highlighter's token colours fall below 4.5:1 contrast (axe colour-contrast).
st.code(embed.iframe_snippet(choice), language=None, wrap_lines=True)

st.subheader("Live preview")
st.caption("This is the site as your page will show it, at the height you chose and the full width of this column.")
# Shown when asked for: the preview is a second visit to the whole site, and loading it with the page
# made For clinics the slowest page to finish (Lighthouse performance 61 against the empty app's 68).
if st.toggle("Show the live preview", key="embed_preview", help="Loads the site in a frame below, with the choices above."):
    with st.container(border=True):
        st.iframe(
            f"{own_address}/{embed.embed_path(choice)}", height=embed.normalise_choice(choice).height, alt="Preview of the embedded site"
        )

# --- How to paste it ---------------------------------------------------------------------
st.header("How to add it to your website")
ui.text(
    "Most website builders have a block for your own HTML code. Add that block where the site should appear, "
    "paste the code, and publish. If the frame stays empty on your site, check that your website's address "
    "is on the list of allowed websites above."
)
STEPS = {
    "WordPress": "Edit the page, add a **Custom HTML** block, paste the code, then click **Update**.",
    "Squarespace": "Edit the page, add a **Code** block, paste the code, and save.",
    "Wix": "Add an **Embed code** element (sometimes called **Embed HTML**), choose **Code**, paste it, and publish.",
    "Google Sites": "Choose **Insert**, then **Embed**, then the **Embed code** tab, paste it, and publish.",
    "Plain HTML": "Paste the code into your page's HTML where the site should appear.",
}
for builder, step in STEPS.items():
    with st.expander(builder):
        ui.text(step)
ui.text(
    "Some builders place pasted code inside a frame of their own that comes from a different address. "
    "If the site does not show there, your browser's developer console names the address that was refused; "
    "add that address to the allowed websites too."
)

# --- The clinic settings ------------------------------------------------------------------
st.header("Your name, colours and contact details")
ui.text(
    f"Whoever runs this site for you sets these in a small settings file named by the `{ENV_VAR}` setting "
    "(see `clinic.example.toml` and `docs/deploy.md`): your clinic's name, phone, website and booking link, "
    "accent colour, logo, which pages to show, the starting reading level, a short note on "
    '"Prepare for your visit", and the websites allowed to show the site.'
)
if clinic.branded:
    ui.text(f"This site is now set up for **{ui.safe_text(clinic.name or 'a clinic')}**.")
else:
    ui.text("No clinic settings are in use, so the site shows no clinic's name or logo.")
