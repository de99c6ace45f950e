"""Embedding the site in a clinic's web page: the per-embed URL options and the iframe snippet.

Two directions, both plain functions:

* ``parse_view`` reads the embed options from a visitor's URL (``?sidebar=hidden``,
  ``?pages=home,compare``, ``?page=compare``) and falls back, with a notice, on anything it
  does not know. Streamlit's own ``?embed=true`` and ``?embed_options=`` are handled by
  Streamlit.
* ``iframe_snippet`` builds the HTML a clinic pastes into its website. Every value in it is
  escaped, so a site address or title cannot break out of its attribute.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from explainer.settings import ALWAYS_SHOWN, LOOPBACK_HOSTS, MAX_URL, check_https_url, parse_page_ids
from explainer.site import AUDIENCES, DEFAULT_AUDIENCE, PAGE_IDS, PAGES_BY_ID, SITE_TITLE

# Pages for the clinic's staff, not its visitors: an embed leaves them out of the visitor's menu
# unless the clinic profile's ``pages`` or the embed's ?pages= names them (they stay reachable).
STAFF_PAGES = ("clinics",)
EMBED_DEFAULT_PAGES = tuple(page_id for page_id in PAGE_IDS if page_id not in STAFF_PAGES)

# Theme choice -> Streamlit's embed_options value. "site": no option, so the frame follows the
# visitor's device (light or dark) when the site has both palettes, else the site's one palette.
THEMES = {"site": None, "light": "light_theme", "dark": "dark_theme"}
THEME_LABELS = {"site": "Match the visitor's device", "light": "Always light", "dark": "Always dark"}
HEIGHT_MIN, HEIGHT_MAX, HEIGHT_DEFAULT = 400, 1600, 720

SIDEBAR_VALUES = {"hidden": True, "shown": False}


# --- the visitor's URL ---------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedView:
    """What one visitor's URL asks for, already checked against the clinic's pages."""

    hide_sidebar: bool = False
    pages: tuple[str, ...] | None = None  # None: every page the clinic profile shows
    start_page: str | None = None
    notices: tuple[str, ...] = ()


def _first(value: str | list[str] | None) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    return (value or "").strip()


def parse_view(params: Mapping[str, str | list[str]], profile_pages: tuple[str, ...] = PAGE_IDS) -> EmbedView:
    """Read ``sidebar``, ``pages`` and ``page`` from the URL; unknown values fall back to defaults."""
    notices: list[str] = []

    sidebar = _first(params.get("sidebar")).lower()
    hide_sidebar = SIDEBAR_VALUES.get(sidebar, False)
    if sidebar and sidebar not in SIDEBAR_VALUES:
        notices.append("The link asked for a sidebar setting we do not know, so the sidebar is shown.")

    pages: tuple[str, ...] | None = None
    raw_pages = _first(params.get("pages"))
    if raw_pages:
        known, unknown = parse_page_ids(raw_pages.split(","))
        offered = tuple(page_id for page_id in known if page_id in profile_pages)
        if unknown or len(offered) < len(known):
            notices.append("The link named pages this site does not offer, so those are left out of the menu.")
        if offered:
            pages = offered + tuple(p for p in ALWAYS_SHOWN if p not in offered)
        elif not unknown:
            pages = None

    start_page = None
    raw_page = _first(params.get("page")).lower()
    if raw_page:
        visible = pages or profile_pages
        if raw_page in visible:
            start_page = raw_page
        else:
            notices.append("The link asked to open a page this site does not offer here, so it opens at the start.")

    return EmbedView(hide_sidebar=hide_sidebar, pages=pages, start_page=start_page, notices=tuple(notices))


def visitor_pages(
    profile_pages: tuple[str, ...], profile_lists_pages: bool, url_pages: tuple[str, ...] | None, embedded: bool
) -> tuple[str, ...]:
    """The pages in the visitor's menu.

    ``url_pages`` (the embed's ?pages=, already checked by ``parse_view``) wins; else the profile's
    pages, minus the staff pages (``STAFF_PAGES``) in an embed whose profile did not list its pages.
    """
    if url_pages:
        return url_pages
    if embedded and not profile_lists_pages:
        return tuple(page_id for page_id in profile_pages if page_id not in STAFF_PAGES)
    return profile_pages


# --- the clinic's snippet ------------------------------------------------------------------


@dataclass(frozen=True)
class EmbedChoice:
    """What a clinic chose on the "For clinics" page."""

    base_url: str
    start_page: str = "home"
    pages: tuple[str, ...] = ()  # empty: the menu shows every page the profile allows (see visitor_pages)
    audience: str = DEFAULT_AUDIENCE
    height: int = HEIGHT_DEFAULT
    theme: str = "site"
    hide_sidebar: bool = False
    # What the embed's menu shows with no ?pages= (visitor_pages for this profile): choosing exactly
    # these adds no ?pages=; any other choice (adding "For clinics", leaving a page out) is spelled out.
    menu_pages: tuple[str, ...] = EMBED_DEFAULT_PAGES


def check_base_url(url: str) -> str | None:
    """A problem with the site address, or None. https, or http on a loopback host for testing."""
    problem = check_https_url(url)
    if problem and isinstance(url, str):
        parts = urlsplit(url.strip())
        if parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS:
            problem = check_https_url("https" + url.strip()[4:])
    if problem is None and (urlsplit(url.strip()).query or urlsplit(url.strip()).fragment):
        problem = "must be the site's address without ? or # parts"
    return problem


def site_base_from_page_url(page_url: str | None, page_id: str = "clinics") -> str | None:
    """The site's base address, given the full URL of one of its pages (from the browser).

    None for an address that is not http(s), or longer than any real one (MAX_URL characters): the
    browser reports it, so a crafted connection could send anything.
    """
    if not page_url or len(page_url) > MAX_URL:
        return None
    parts = urlsplit(page_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = parts.path
    suffix = "/" + PAGES_BY_ID[page_id].url_path
    if path.endswith(suffix):
        path = path[: -len(suffix)]
    return f"{parts.scheme}://{parts.netloc}{path.rstrip('/')}"


def normalise_choice(choice: EmbedChoice) -> EmbedChoice:
    """Clamp and default every field, so any choice gives a working snippet."""
    pages = tuple(p for p in dict.fromkeys(choice.pages) if p in PAGE_IDS)
    if pages and set(pages) != set(choice.menu_pages):
        pages += tuple(p for p in ALWAYS_SHOWN if p not in pages)
    else:
        pages = ()
    start = choice.start_page if choice.start_page in PAGE_IDS else "home"
    if pages and start not in pages:
        start = pages[0]
    return EmbedChoice(
        base_url=choice.base_url.strip().rstrip("/"),
        start_page=start,
        pages=pages,
        audience=choice.audience if choice.audience in AUDIENCES else DEFAULT_AUDIENCE,
        height=min(max(int(choice.height), HEIGHT_MIN), HEIGHT_MAX),
        theme=choice.theme if choice.theme in THEMES else "site",
        hide_sidebar=bool(choice.hide_sidebar),
        menu_pages=choice.menu_pages,
    )


def embed_path(choice: EmbedChoice) -> str:
    """The page path and query of the embed, relative to the site's base address."""
    choice = normalise_choice(choice)
    query: list[tuple[str, str]] = [("embed", "true")]
    if THEMES[choice.theme]:
        query.append(("embed_options", THEMES[choice.theme]))
    query.append(("audience", choice.audience))
    if choice.hide_sidebar:
        query.append(("sidebar", "hidden"))
    if choice.pages:
        query.append(("pages", ",".join(choice.pages)))
    return PAGES_BY_ID[choice.start_page].url_path + "?" + urlencode(query)


def embed_url(choice: EmbedChoice) -> str:
    choice = normalise_choice(choice)
    return f"{choice.base_url}/{embed_path(choice)}"


def iframe_snippet(choice: EmbedChoice, title: str = SITE_TITLE) -> str:
    """The <iframe> a clinic pastes into its page; every attribute value is HTML-escaped."""
    choice = normalise_choice(choice)
    src = html.escape(embed_url(choice), quote=True)
    label = html.escape(title, quote=True)
    return (
        f'<iframe src="{src}"\n'
        f'        title="{label}"\n'
        f'        width="100%" height="{choice.height}"\n'
        '        style="border: 0; max-width: 100%;"\n'
        '        loading="lazy"\n'
        '        referrerpolicy="strict-origin-when-cross-origin">\n'
        f'  <a href="{src}">{label}</a>\n'
        "</iframe>"
    )
