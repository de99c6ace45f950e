"""The only module in ``explainer`` that imports Streamlit: cached loaders and shared widgets.

Pages call these helpers so that data and content are loaded and validated once per process
(``st.cache_resource``: one shared, read-only copy, so no page pays for copying the data on each
run; nothing may modify what these loaders return), and so that every page shows citations,
notices and the footer the same way.
"""

from __future__ import annotations

import copy
import functools
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from explainer import ROOT, content_dir, data_dir
from explainer import behaviours as behaviours_lib
from explainer import chart_html as chart_html_lib
from explainer import citations as citations_lib
from explainer import compare as compare_lib
from explainer import content as content_lib
from explainer import embed as embed_lib
from explainer import evidence as evidence_lib
from explainer import settings as settings_lib
from explainer import sources as sources_lib
from explainer import tables as tables_lib
from explainer.site import DEFAULT_AUDIENCE, PAGES, PAGES_BY_ID, path_neighbours

# Query parameters that describe the view rather than one page's state travel with every internal
# link so that a shared or embedded view stays the same view: see carried_query().


def dataset() -> evidence_lib.Dataset:
    """Every validated table (raises DataError on a broken file)."""
    return _dataset(str(data_dir()))


def references() -> pd.DataFrame:
    return _references(str(data_dir()))


def sections() -> dict[tuple[str, str], content_lib.Section]:
    """Every content file, checked against the reference ids."""
    return _sections(str(content_dir()), str(data_dir()))


def words(page: str) -> Callable[[str], Any]:
    """The page's short texts (``content/<page>/page.toml``) at the visitor's level: ``say = ui.words("mechanisms"); say("heading")``."""
    page_words, level = _page_words(str(content_dir()))[page], audience()
    return lambda key: page_words.get(key, level)


@st.cache_resource(show_spinner=False)
def _page_words(folder: str) -> dict[str, content_lib.PageWords]:
    return content_lib.load_page_words(Path(folder))


def reference_titles() -> dict[str, str]:
    return _reference_titles(str(data_dir()))


def reference_ids() -> tuple[str, ...]:
    return _reference_ids(str(data_dir()))


def option_names() -> dict[str, str]:
    """Option id -> plain name, in the options table's order (shared: read it, never change it)."""
    return _option_names(str(data_dir()))


def option_ids(kind: str) -> list[str]:
    """Ids of the options of one kind ("drug", "non-drug"), in the table's order (a fresh list)."""
    return list(_option_ids(str(data_dir()), kind))


_VIEW_CACHES: dict[tuple[object, ...], Callable] = {}


def view_cache(max_entries: int | None = None) -> Callable[[Callable], Callable]:
    """``st.cache_resource`` for the views a page script builds, decorated once per process.

    A page script runs again on every rerun, so a decorator written in it would build a new cache
    wrapper each time, and Streamlit reads and hashes the function's source to do so (about 1 ms
    per function per run). This keeps the first wrapper for the function's code object. Code
    objects compare by value, so a page compiled again finds the same wrapper (Streamlit clears
    its script cache whenever a session starts) and the table never grows past one entry per
    function. The functions must depend only on their arguments and on other cached loaders, as
    any cached function must: the first run's globals are the ones they see.
    """

    def decorate(func: Callable) -> Callable:
        key = (func.__code__, max_entries)
        cached = _VIEW_CACHES.get(key)
        if cached is None:
            cached = _VIEW_CACHES[key] = st.cache_resource(show_spinner=False, max_entries=max_entries)(func)
        return cached

    return decorate


# Cached by folder, so a test (or a deployment) that points at other files gets its own copy.
@st.cache_resource(show_spinner=False)
def _dataset(folder: str) -> evidence_lib.Dataset:
    return evidence_lib.load_dataset(Path(folder))


@st.cache_resource(show_spinner=False)
def _references(folder: str) -> pd.DataFrame:
    return evidence_lib.load_references(Path(folder))


@st.cache_resource(show_spinner=False)
def _sections(folder: str, data_folder: str) -> dict[tuple[str, str], content_lib.Section]:
    return content_lib.load_content(Path(folder), _references(data_folder)["id"].tolist())


@st.cache_resource(show_spinner=False)
def _reference_titles(folder: str) -> dict[str, str]:
    refs = _references(folder)
    names = sources_lib.reference_names(refs)
    titles = {}
    for ref in refs.to_dict("records"):
        note = sources_lib.currency_text(ref, names)
        titles[ref["id"]] = f"{ref['authors']} {ref['year']}. {ref['title']}" + (f" ({note})" if note else "")
    return titles


# Plain lookups that pages need on every run. Reading them from the cached frames on each run would
# cost pandas work every time, and each column read leaves a reference record on the shared frame.
@st.cache_resource(show_spinner=False)
def _reference_ids(folder: str) -> tuple[str, ...]:
    return tuple(_references(folder)["id"])


@st.cache_resource(show_spinner=False)
def _option_names(folder: str) -> dict[str, str]:
    options = _dataset(folder).options
    return dict(zip(options["id"], options["plain_name"], strict=True))


@st.cache_resource(show_spinner=False)
def _option_ids(folder: str, kind: str) -> tuple[str, ...]:
    options = _dataset(folder).options
    return tuple(options.loc[options["kind"] == kind, "id"])


def audience() -> str:
    return st.session_state.get("audience", DEFAULT_AUDIENCE)


def is_trainee() -> bool:
    return audience() == "trainee"


def page_href(page_id: str, anchor: str | None = None, **params: str) -> str:
    """A relative link to another page that keeps the view (audience, embed) the same."""
    query = carried_query()
    query.update(params)
    path = "./" if page_id == "home" else page_id
    if query:
        path += "?" + urlencode(query)
    if anchor:
        path += "#" + anchor
    return path


def carried_query() -> dict[str, str]:
    """The view parameters every internal link keeps, rebuilt from checked values only.

    A value straight from the address bar is never copied into a link: the audience comes from
    session state, the embed view from ``embed_view()``, and ``embed=true`` from Streamlit's own
    report that the page is embedded.
    """
    query: dict[str, str] = {}
    if audience() != clinic_settings().default_audience:
        query["audience"] = audience()
    # Streamlit keeps ?embed= and ?embed_options= out of st.query_params; it does say whether this
    # view is embedded, so links keep the embedded look (the embed options themselves cannot be read).
    if st.context.is_embedded:
        query["embed"] = "true"
    view = embed_view()
    if view.hide_sidebar:
        query["sidebar"] = "hidden"
    if view.pages:
        query["pages"] = ",".join(view.pages)
    return query


def source_href(ref_id: str) -> str:
    return page_href("sources", anchor=f"ref-{ref_id}")


@st.cache_resource(show_spinner=False)
def _rendered(key: str, audience_level: str, link_query: str) -> content_lib.Rendered:
    section = content_lib.pick(sections(), key, audience_level)

    def href(ref_id: str) -> str:
        return f"sources{link_query}#ref-{ref_id}"

    # Each [n] opens its reference's card in place (explainer/citations.py); the section key keeps the
    # cards' ids apart from another section's on the same page.
    return content_lib.render_markdown(
        section.body, href, reference_titles(), link_query=link_query, references=_cited_references(str(data_dir())), id_prefix=key
    )


@st.cache_resource(show_spinner=False)
def _cited_references(folder: str) -> dict[str, citations_lib.CitedReference]:
    return citations_lib.cited_references(_references(folder).to_dict("records"))


def _link_query() -> str:
    link = page_href("sources")
    return link[len("sources") :]


def show_section(key: str, heading: bool = True, level: int = 2) -> content_lib.Section:
    """Render one content section for the current audience, with its numbered sources."""
    section = content_lib.pick(sections(), key, audience())
    if heading:
        text(f"{'#' * level} {section.title}")
    rendered = _rendered(key, audience(), _link_query())
    prepared_html(rendered.html)
    return section


def text(markdown: str, private: bool = False) -> None:
    """Draw a short piece of the site's own Markdown (see ``content.render_text``) as HTML.

    Use it in place of ``st.markdown``: Streamlit parses Markdown in the browser, in JavaScript,
    and each such element cost a first visit about 3 ms to draw (benchmarks/README.md); the HTML
    is made here once per distinct text and the browser draws it as it is. Escape any data text
    in it with :func:`safe_text` first, as for ``st.markdown``.

    ``private``: the text holds what a visitor typed. It is rendered for this run only, never kept
    in the process-wide cache, so it is gone with the visitor's session (as the Consult page promises).
    """
    html = content_lib.render_text(markdown) if private else _text_html(markdown)
    if html:
        st.html(html)


@functools.lru_cache(maxsize=4096)
def _text_html(markdown: str) -> str:
    return content_lib.render_text(markdown)


def review_caption(section: content_lib.Section) -> None:
    st.caption(f"Content last reviewed {section.reviewed:%-d %B %Y}.")


def cite(ref_ids: list[str] | tuple[str, ...], label: str = "Source") -> None:
    """A short 'Sources:' line linking each id to the Sources page."""
    line = citation_writer(label)(ref_ids)
    if line:
        st.html(line)


def citation_writer(label: str = "Source") -> Callable[[list[str] | tuple[str, ...]], str]:
    """A function giving cite()'s HTML line for a list of ids, for pages that cite many times.

    The labels and the link to the Sources page are looked up once, when the writer is made.
    """
    links = source_links()

    def write(ref_ids: list[str] | tuple[str, ...]) -> str:
        # Small text, not st.caption: captions are drawn at reduced opacity, which leaves links below 4.5:1 contrast.
        return evidence_lib.source_line_html(links(ref_ids), label)

    return write


def source_links() -> Callable[[Iterable[str]], list[tuple[str, str]]]:
    """A function giving (short label, link to the Sources page) for each reference id, once each.

    The labels and the link are looked up once, when the function is made.
    """
    labels = _short_labels(str(data_dir()))
    base = page_href("sources")  # the view query is the same for every link

    def links(ref_ids: Iterable[str]) -> list[tuple[str, str]]:
        return [(labels.get(ref_id, ref_id), f"{base}#ref-{ref_id}") for ref_id in dict.fromkeys(ref_ids)]

    return links


@st.cache_resource(show_spinner=False)
def _short_labels(folder: str) -> dict[str, str]:
    """'Finnerup NB et al. 2015' style labels; the title stands in where no authors are shown."""
    return {ref["id"]: evidence_lib.short_label(ref) for ref in _references(folder).to_dict("records")}


# HTML's three special characters become entities, then every Markdown control character is
# backslash-escaped: one str.translate pass (this runs for every glossary term on every rerun).
_MD_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **{char: "\\" + char for char in "\\`*_{}[]()#+-!|~$"}})


def _md_escape(value: str) -> str:
    """Escape text for Streamlit Markdown so it shows literally (no links, no HTML)."""
    return str(value).translate(_MD_ESCAPES)


def safe_text(value: str) -> str:
    """Public alias: Markdown-escaped text for st.markdown / st.caption."""
    return _md_escape(value)


def csv_download(data: pd.DataFrame | bytes, label: str, name: str, key: str | None = None, container=None) -> None:
    """A CSV download of exactly what a chart or table shows: file ketamine-explainer-<name>.csv.

    The file is made when the button is clicked (``data`` is a function) and the click needs no rerun.
    Given bytes, Streamlit stores a copy for each visit and the browser fetches its address as soon
    as the button is drawn, to check it: How they work's three CSVs were the last requests of its
    load, about 60 ms after everything else (benchmarks/README.md, "Downloads made on click").
    """

    def payload() -> bytes:
        return data if isinstance(data, bytes) else data.to_csv(index=False).encode("utf-8")

    (container or st).download_button(
        label,
        payload,
        file_name=f"ketamine-explainer-{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=key,
        on_click="ignore",
    )


def table(frame: pd.DataFrame, label: str, **options) -> None:
    """A data table as plain, escaped HTML (explainer.tables): light to draw, read well by screen readers.

    For a table that a cached view shows on every run, keep ``tables.table_html``'s result in the
    view and draw it with :func:`prepared_table`: reading a shared DataFrame on every run costs
    time, and pandas keeps a record of each read until it next tidies up.
    """
    prepared_table(tables_lib.table_html(frame, label, **options))


def prepared_table(html: str) -> None:
    """Draw a table made by ``explainer.tables.table_html``, which has escaped every value in it."""
    prepared_html(html)


def prepared_html(html: str) -> None:
    """Draw a block of HTML that the site built itself, every piece of data text in it escaped.

    Content sections (rendered by markdown-it-py), tables, cards and the charts drawn as HTML go
    through ``st.html``: the browser's own parser reads them after Streamlit's DOMPurify pass.
    ``st.markdown(..., unsafe_allow_html=True)`` would first send them through a JavaScript Markdown
    and HTML parser and draw every tag as a React element, which on the Compare page's tables was a
    large part of the time to draw the page (benchmarks/README.md). The site's CSS styles these
    blocks (``[data-testid="stHtml"]``) as Streamlit styles Markdown.
    """
    st.html(html)


def link_value_notice(key: str, parse: Callable[[str], tuple[Any, str | None]]) -> str | None:
    """Check a link's ``?key=`` before drawing the widget bound to it (``bind="query-params"``, key ``key``).

    Streamlit drops a value the widget's options do not hold without a word; ``parse(raw)`` returns
    ``(value, message)``, the option the link meant (None when it meant none) and the notice to
    show for a value it could not use. A value meant another way (another case, an old alias) is put
    in session state, so the widget starts at the option the link meant. Returns the notice, or None.
    """
    raw = st.query_params.get(key)
    if raw is None:
        return None
    value, message = parse(raw)
    if value is not None and value != raw:
        st.session_state[key] = value
    return message


def notice(message: str) -> None:
    """A gentle, non-blocking message about a link or setting we could not use."""
    st.info(message, icon=":material/info:")


def footer() -> None:
    try:
        reviewed = content_lib.latest_review(sections())
    except (content_lib.ContentError, evidence_lib.DataError):
        reviewed = None
    st.divider()
    when = f" Content last reviewed {reviewed:%-d %B %Y}." if reviewed else ""
    with st.container(key="site_footer"):
        st.caption(
            "**Educational information, not medical advice.** Talk to your clinician before starting, "
            f"stopping or changing any treatment.{when} Every number on this site is cited; see the sources."
        )
        page_link("sources", label="All sources", icon=":material/library_books:")


# Additions to Streamlit's own styling, the same in both palettes (a fixed string; nothing from a
# URL or a profile goes in it):
# - The site's own HTML blocks (prepared_html: st.html) get the spacing, list, heading and table
#   styles that Streamlit gives Markdown; table rules use the text colour at 10%, like Streamlit's.
#   Their links take the palettes' linkColor (.streamlit/config.toml) through CSS light-dark(),
#   which follows the color-scheme Streamlit sets for the palette in use.
# - A chosen pill and a slider's value label draw their text in the primary colour on a
#   background close to it, which fails WCAG AA contrast in the dark palette (about 4.1-4.3:1).
#   They take the page's text colour instead; the pill keeps its tinted background and border.
# - A chosen pill also gets a tick, so colour is not the only sign that it is chosen. The tick
#   has empty alternative text: screen readers already hear "pressed" (aria-pressed).
# - Glossary cards and mechanism cards (glossary.cards_html, mechanisms.cards_html: one block of
#   HTML each) get a thin border, like a bordered container; the grey is half-transparent so it
#   reads on both backgrounds. Mechanism cards sit in a grid of up to three a row.
# - The side-effect grid (charts.grid_html) and the data tables (ui.table) scroll sideways inside
#   their own frame on a phone, where table columns keep a readable minimum width. A data table
#   of three columns or more is drawn as cards there instead (explainer.tables.CSS).
_SITE_CSS = """
<style>
button[data-variant="pills"][aria-pressed="true"],
button[data-variant="pills"][aria-pressed="true"] *,
div[data-testid="stSliderThumbValue"] { color: inherit !important; }
button[data-variant="pills"][aria-pressed="true"] [data-testid="stMarkdownContainer"] p::before {
  content: "\\2713\\00a0" / "";
  font-weight: 700;
}
/* Links inside a page wrap onto a second line rather than being cut off in a narrow column
   (Streamlit draws page links on one line and hides what does not fit). */
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] > span:last-child,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"] {
  white-space: normal;
  overflow: visible;
}
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p { line-height: 1.4; }
/* Blocks of the site's own HTML (ui.prepared_html: st.html) styled as Streamlit styles Markdown. */
[data-testid="stHtml"] > :last-child { margin-bottom: 0; }
[data-testid="stHtml"] > h2:last-child, [data-testid="stHtml"] > h3:last-child { padding-bottom: 0; }
[data-testid="stHtml"] p { margin: 0 0 1rem; word-break: break-word; }
[data-testid="stHtml"] ul, [data-testid="stHtml"] ol { padding-left: 0; margin: 0 0 1rem 0.25rem; }
[data-testid="stHtml"] li { margin: 0.2em 0 0.2em 1.15em; padding: 0 0 0 0.3em; }
[data-testid="stHtml"] h2 { font-size: 2.25rem; font-weight: 600; line-height: 1.2; letter-spacing: -0.005em; margin: 0; padding: 1rem 0; scroll-margin-top: 3.75rem; }
[data-testid="stHtml"] small { font-size: 0.875rem; }
[data-testid="stHtml"] :is(b, strong) { font-weight: 600; }
[data-testid="stHtml"] a { color: light-dark(#1a5279, #7fb8ff); }
[data-testid="stHtml"] code { font-family: "Source Code Pro", monospace; font-size: 0.75em; padding: 0.2em 0.4em; border-radius: 0.25rem;
  background: rgba(128, 128, 128, 0.15); color: light-dark(#0c5a44, #7ed5b0); overflow-wrap: anywhere; }
[data-testid="stHtml"] h3 { font-size: 1.75rem; font-weight: 600; line-height: 1.2; margin: 0; padding: 0.75rem 0 1rem; scroll-margin-top: 3.75rem; }
[data-testid="stHtml"] table { border-collapse: collapse; margin-bottom: 1rem; }
[data-testid="stHtml"] tr { border-top: 1px solid color-mix(in srgb, currentColor 10%, transparent); }
[data-testid="stHtml"] th { text-align: inherit; }
[data-testid="stHtml"] th, [data-testid="stHtml"] td { padding: 0.25rem 0.75rem; border: 1px solid color-mix(in srgb, currentColor 10%, transparent); }
#mechanism-cards {
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(max(15rem, 30%), 1fr));
  gap: 1rem;
  margin-bottom: 1rem;
}
#mechanism-cards > div,
[data-testid="stHtml"] > div[id^="term-"] {
  border: 1px solid rgba(128, 128, 128, 0.35);
  border-radius: 0.5rem;
  padding: 0.25rem 1rem 0.1rem;
}
[data-testid="stHtml"] > div[id^="term-"] { margin-bottom: 1rem; }
#side-effect-grid,
[data-testid="stHtml"] > div[id^="table-"] { overflow-x: auto; margin-bottom: 1rem; }
#side-effect-grid table,
[data-testid="stHtml"] > div[id^="table-"] table { margin: 0; }
#side-effect-grid th, #side-effect-grid td,
[data-testid="stHtml"] > div[id^="table-"] th,
[data-testid="stHtml"] > div[id^="table-"] td { padding: 0.4rem 0.6rem; }
@media (max-width: 640px) {
  [data-testid="stHtml"] > div[id^="table-"] table { width: max-content; }
  [data-testid="stHtml"] > div[id^="table-"] th,
  [data-testid="stHtml"] > div[id^="table-"] td { min-width: 7rem; max-width: 20rem; }
  [data-testid="stHtml"] > div[id^="table-"] th[scope="row"] { max-width: 9rem; }
}
</style>
"""


def chart_style() -> None:
    """The CSS of the charts drawn as HTML (explainer.chart_html), for a page that draws them."""
    st.html(chart_html_lib.CSS)


def site_style() -> None:
    """The site's few CSS rules (see _SITE_CSS) and the data tables' (tables.CSS: cards on a phone); drawn once per run by the entry point."""
    st.html(_SITE_CSS + tables_lib.CSS)


def site_behaviours() -> None:
    """The site's browser behaviours (explainer/scripts, joined by explainer.behaviours).

    Fixed files of the site, never text from a URL or a config; each runs once per window.
    """
    script = behaviours_lib.script_html()
    if script:
        st.html(script, unsafe_allow_javascript=True)


_SCROLL_TO_HASH = """
<script>
(function () {
  // Content arrives after the browser's own jump to #anchor, so jump again once it exists.
  const id = decodeURIComponent(window.location.hash.slice(1));
  if (!id) return;
  let tries = 0;
  const timer = setInterval(function () {
    const target = document.getElementById(id);
    if (target || ++tries > 40) {
      clearInterval(timer);
      if (target) {
        target.classList.add("anchor-target");  // first: its scroll margin keeps it clear of the top bar
        // Scroll the page's own scrolling area, not the window: inside a clinic's iframe the browser's
        // scroll-into-view would scroll the clinic's page as well.
        let area = target.parentElement;
        while (area && !["auto", "scroll"].includes(getComputedStyle(area).overflowY)) area = area.parentElement;
        area = area || document.scrollingElement;
        const top = area === document.scrollingElement ? 0 : area.getBoundingClientRect().top;
        area.scrollTop += target.getBoundingClientRect().top - top - parseFloat(getComputedStyle(target).scrollMarginTop || "0");
      }
    }
  }, 100);
})();
</script>
<style>.anchor-target { outline: 3px solid #E69F00; outline-offset: 4px; border-radius: 2px; scroll-margin-top: 6rem !important; }</style>
"""


def scroll_to_anchor() -> None:
    """Scroll to the element named by the URL's #fragment once the page has drawn it.

    The script is a fixed string: it reads the fragment only to look up an element id and
    never writes it into the page.
    """
    st.html(_SCROLL_TO_HASH, unsafe_allow_javascript=True)


def forget_stale_widgets() -> int:
    """Drop Streamlit's records of widgets that have left the page; return how many went.

    Streamlit 1.67 removes a widget's value once a run no longer draws it, but keeps the
    widget's metadata (its options, serializers and callbacks) for the life of the session. A
    visitor who walks through every page therefore holds every page's widgets, and each callback
    defined in a page keeps that run's whole page namespace alive: about half of the Python memory
    a session held in the load benchmark (benchmarks/README.md). Called at the start of every full
    run, this keeps the records of widgets that still have a value (the last page's, which
    Streamlit needs to run their callbacks and carry values over) and forgets the rest; a widget
    drawn again simply registers anew. The same goes for Streamlit's map between each widget's
    key and its id, which otherwise gains two entries for every keyed widget the visitor ever saw
    (about 60 after five pages). It reads Streamlit internals, so it does nothing if they change
    shape (tests/app/test_all_pages.py fails then, as a reminder to look again).
    """
    from streamlit.runtime.state.session_state_proxy import get_session_state

    safe_state = get_session_state()
    state = getattr(safe_state, "_state", None)
    widgets = getattr(state, "_new_widget_state", None)
    metadata = getattr(widgets, "widget_metadata", None)
    values = getattr(widgets, "states", None)
    old_values = getattr(state, "_old_state", None)
    lock = getattr(safe_state, "_lock", None)
    if not all(isinstance(item, dict) for item in (metadata, values, old_values)) or lock is None:
        return 0
    with lock:
        keep = values.keys() | old_values.keys() | set(getattr(state, "_query_param_bound_widget_ids", ()))
        stale = [widget_id for widget_id in metadata if widget_id not in keep]
        for widget_id in stale:
            del metadata[widget_id]
        shrunk = [metadata] if stale else []
        mapper = getattr(state, "_key_id_mapper", None)
        key_to_id, id_to_key = getattr(mapper, "_key_id_mapping", None), getattr(mapper, "_id_key_mapping", None)
        if isinstance(key_to_id, dict) and isinstance(id_to_key, dict):
            unmapped = [widget_id for widget_id in id_to_key if widget_id not in metadata and widget_id not in keep]
            for widget_id in unmapped:
                key = id_to_key.pop(widget_id)
                if key_to_id.get(key) == widget_id:
                    del key_to_id[key]
            if unmapped:
                shrunk += [key_to_id, id_to_key]
        # A dict keeps its largest size after entries go (a page with many widgets leaves these
        # tables sized for it): refill each in place, which gives it a table sized for what is left.
        for table in shrunk:
            entries = list(table.items())
            table.clear()
            table.update(entries)
    return len(stale)


# --- Pages and links to them ----------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=64)
def _page_templates(default_page: str, shown: tuple[str, ...]) -> dict[str, st.Page]:
    return {
        page.id: st.Page(
            ROOT / page.file,
            title=page.title,
            icon=page.icon,
            url_path=page.url_path or None,
            default=page.id == default_page,
            visibility="visible" if page.id in shown else "hidden",
        )
        for page in PAGES
    }


_RUN_PAGES = threading.local()  # Streamlit runs each script run in a thread of its own


def page_objects(default_page: str, shown: Iterable[str]) -> dict[str, st.Page]:
    """This run's ``st.Page`` objects, one per page, for st.navigation and the menu.

    Making an st.Page resolves its file on disk (a system call per folder in the path) and
    validates its icon: ten pages made that about a tenth of every run's time, and under load each
    system call hands the interpreter lock to another thread and waits to get it back. The pages
    are made once per process and copied here: st.navigation marks the copy it picks as the one
    that may run, so each run needs copies of its own, and a shallow copy costs no system call.
    """
    pages = {page_id: copy.copy(page) for page_id, page in _page_templates(default_page, tuple(shown)).items()}
    _RUN_PAGES.pages = pages
    return pages


def page_link(page_id: str, label: str, icon: str, container=None) -> None:
    """A link to one of the site's pages, by page id (see explainer.site.PAGES).

    Uses this run's page object when the entry point has made them (no path lookup on disk);
    otherwise (a fragment rerun, or a page tested on its own) the page's file.
    """
    target = getattr(_RUN_PAGES, "pages", {}).get(page_id) or PAGES_BY_ID[page_id].file
    (container or st).page_link(target, label=label, icon=icon)


def path_link_query(page_id: str) -> dict[str, str]:
    """The query a reading-path link carries: the view (carried_query) and, to Compare, the visitor's choices.

    The choices are this visit's last selection on Compare (``cmp_selection``), turned into the same
    parameters Compare writes to its own address (``compare.to_params``), so the link reopens them and
    can be shared. Other pages do not read them, so their links stay short. ``embed`` is left out:
    st.page_link refuses it, and Streamlit keeps an embedded view embedded when it changes page.
    """
    query = {name: value for name, value in carried_query().items() if name != "embed"}
    selection = st.session_state.get("cmp_selection")
    if page_id == "compare" and isinstance(selection, compare_lib.Selection):
        query.update(compare_lib.to_params(selection))
    return query


def reading_path(page_id: str, shown: Iterable[str]) -> None:
    """ "Keep reading": links Back and Next along the reading level's path (explainer.site.READING_PATHS).

    Drawn once, by the entry point, under the page. Nothing on a page off the path.
    """
    back, after = path_neighbours(page_id, audience(), shown)
    if back is None and after is None:
        return
    pages = getattr(_RUN_PAGES, "pages", {})
    with st.container(key="reading_path"):
        text("## Keep reading")
        columns = st.columns(2)
        for column, target, word, icon in (
            (columns[0], back, "Back", ":material/arrow_back:"),
            (columns[1], after, "Next", ":material/arrow_forward:"),
        ):
            if target is None:
                continue
            column.page_link(
                pages.get(target) or PAGES_BY_ID[target].file,
                label=f"{word}: {PAGES_BY_ID[target].title}",
                icon=icon,
                query_params=path_link_query(target),
                width="stretch",
            )


# --- Clinic embedding: profile, per-embed URL options, branding ----------------------------
# The profile is explainer/settings.py (EXPLAINER_CLINIC); the URL options are explainer/embed.py.
# Nothing from either is rendered as HTML: names and notes go through safe_text or st.text,
# links through st.link_button, the logo through st.logo.


def clinic_settings() -> settings_lib.ClinicSettings:
    """The validated clinic profile; problems are in ``.warnings``, never raised."""
    path = settings_lib.clinic_path()
    return _clinic_settings(str(path) if path else "")


@st.cache_resource(show_spinner=False)
def _clinic_settings(path: str) -> settings_lib.ClinicSettings:
    return settings_lib.load_settings(Path(path)) if path else settings_lib.ClinicSettings()


def embed_view() -> embed_lib.EmbedView:
    """The embed options of this visit, read from the URL when the session starts."""
    if "embed_view" not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in ("sidebar", "pages", "page")}
        st.session_state["embed_view"] = embed_lib.parse_view(params, clinic_settings().pages)
    return st.session_state["embed_view"]


def clinic_warnings() -> None:
    """A short notice when the clinic profile had problems, with the details folded away."""
    warnings = clinic_settings().warnings
    if not warnings:
        return
    notice("This site's clinic settings have a problem, so safe defaults are used for the settings named below.")
    with st.expander("Clinic settings problems"):
        for warning in warnings:
            text("- " + warning)  # Markdown whose values from the profile are quoted (explainer/settings.py)


def clinic_contact(divider: bool = False) -> None:
    """The clinic's name, phone and links, when a profile gives them."""
    clinic = clinic_settings()
    if not (clinic.name or clinic.phone or clinic.website or clinic.booking_url):
        return
    if divider:
        st.divider()
    with st.container(key="clinic_contact"):
        if clinic.name:
            text(f"Shared by **{safe_text(clinic.name)}**")
        if clinic.phone:
            text(f"Phone: {safe_text(clinic.phone)}")
        if clinic.booking_url:
            st.link_button("Book a visit", clinic.booking_url, icon=":material/event:")
        if clinic.website:
            st.link_button("Clinic website", clinic.website, icon=":material/open_in_new:")


def clinic_note() -> None:
    """The clinic's note for "Prepare for your visit" (plain text), if the profile has one."""
    clinic = clinic_settings()
    if not clinic.visit_note:
        return
    who = safe_text(clinic.name) if clinic.name else "your clinic"
    with st.container(border=True, key="clinic_note"):
        text(f"**A note from {who}**")
        text(safe_text(clinic.visit_note).replace("\n", "  \n"))
