"""AppTest helpers: run the real entry point on a chosen page and audience."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from explainer.site import AUDIENCES, PAGES
from tests.conftest import ROOT

ENTRY = str(ROOT / "streamlit_app.py")

# AppTest resets PagesManager.uses_pages_directory to None before each run, and a new
# PagesManager then sees our pages/ folder and switches to the old (v1) multipage mode, which
# runs the page file alone, without the entry point's sidebar and footer. The real server never
# does this because st.navigation sets the flag to False. Mirror the server here.
_original_init = PagesManager.__init__


def _init_as_navigation_app(self, *args, **kwargs):
    if PagesManager.uses_pages_directory is None:
        PagesManager.uses_pages_directory = False
    _original_init(self, *args, **kwargs)


PagesManager.__init__ = _init_as_navigation_app


def open_page(page_file: str, audience: str = "patient", timeout: float = 60, **params: str) -> AppTest:
    """Run ``streamlit_app.py`` with ``page_file`` selected and the given query parameters."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    if audience != "patient":
        at.query_params["audience"] = audience
    for name, value in params.items():
        at.query_params[name] = value
    at.run()  # first run: bound widgets read the URL, st.navigation registers the pages
    if page_file != "pages/home.py":
        at.switch_page(page_file)
        at.run()
    return at


# Streamlit-only Markdown that ui.text (markdown-it-py, drawn with st.html) would show as literal text.
STREAMLIT_ONLY_MARKDOWN = (":material/", ":small[", ":blue[", ":red[", ":green[", ":orange[", ":violet[", ":gray[", ":rainbow[")


def assert_clean(at: AppTest) -> None:
    """No exception element, no error box, and no Streamlit-only Markdown left as text in the site's HTML."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    literal = [block for block in html_blocks(at) for syntax in STREAMLIT_ONLY_MARKDOWN if syntax in block]
    assert not literal, literal


@pytest.fixture(params=AUDIENCES)
def audience(request) -> str:
    return request.param


PAGE_FILES = [p.file for p in PAGES]


class _TableParser(HTMLParser):
    """Collect each data-table region (explainer.tables) as its label and rows of cell text and links.

    A cell's text is what a screen reader hears: text marked aria-hidden (a blank cell's dash) is left out.
    """

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[str]] = {}
        self._label: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._hidden = 0  # open <span aria-hidden="true"> elements

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "div" and (attributes.get("id") or "").startswith("table-"):
            self._label = attributes.get("aria-label") or ""
            self.tables[self._label], self.links[self._label] = [], []
        elif self._label is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []
        elif self._label is not None and tag == "a":
            self.links[self._label].append(attributes.get("href") or "")
        elif tag == "span" and (self._hidden or attributes.get("aria-hidden") == "true"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag == "span" and self._hidden:
            self._hidden -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._label is not None:
            self.tables[self._label].append(self._row)
            self._row = None
        elif tag == "table":
            self._label = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def html_blocks(at) -> list[str]:
    """The HTML of every block the site drew with st.html (ui.text, ui.prepared_html, ui.cite), in page order.

    ``at`` is an AppTest or a part of its tree (``at.sidebar``, an expander).
    """
    return [block.proto.body for block in at.get("html")]


class _TextParser(HTMLParser):
    """The text of an HTML block as a reader sees it: tags dropped, entities decoded, no CSS or script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):  # noqa: ARG002 - HTMLParser's signature
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1
        elif tag in ("p", "li", "h2", "h3", "div"):
            self.parts.append(" ")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(block: str) -> str:
    parser = _TextParser()
    parser.feed(block)
    return " ".join("".join(parser.parts).split())


def texts(at) -> list[str]:
    """What the page says, one string per element: each Markdown element's source and each HTML block's text."""
    return [m.value for m in at.markdown] + [text for text in map(html_text, html_blocks(at)) if text]


def page_text(at) -> str:
    """The Markdown and the HTML (tags and links included) of the page's blocks, joined: what a test searches."""
    return " ".join([*(m.value for m in at.markdown), *html_blocks(at)])


def html_tables(at: AppTest) -> dict[str, list[dict[str, str]]]:
    """Every data table on the page (ui.table), by its label: one dict per row, column name -> cell text."""
    parser = _TableParser()
    for block in html_blocks(at):
        if 'id="table-' in block:
            parser.feed(block)
    return {label: [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] for label, rows in parser.tables.items()}


def html_table_links(at: AppTest) -> dict[str, list[str]]:
    """The hrefs in each data table, by its label."""
    parser = _TableParser()
    for block in html_blocks(at):
        if 'id="table-' in block:
            parser.feed(block)
    return parser.links
