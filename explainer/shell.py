"""The HTML page Streamlit serves for every address, and the one thing the site adds to it.

When a visitor opens a page's own address (``/compare``, a shared or clinic link), Streamlit's
browser code does not know where the server's base is. It first asks ``/compare/_stcore/health``,
gets a 404, waits about 100 ms and then tries ``/_stcore/health``. Every first visit to any page
but the home page paid that wait before anything was drawn.

Streamlit reads an optional ``window.__streamlit`` object before it connects; its
``BACKEND_BASE_URL`` names the base, and then only that address is tried. ``base_url_script``
builds a small inline script that sets it when the address ends in one of the site's page paths
(the base is what comes before that path, so a site served under a prefix keeps working). For
any other address it sets nothing and Streamlit probes as before.

The page also gets ``LOADING_STYLE`` (``head_snippet`` puts the two together), at every page address
and at the home address. Streamlit loads the code of some elements (``st.html``, which draws the
site's text) only when the first one arrives, and meanwhile draws a 40-px grey placeholder
(``[data-testid="stSkeleton"]``) in its place; when the real block replaces it, everything below
jumps. On a first visit that was most of the page's layout shift (0.38 of Home's 0.63, 0.61 of
Sources' 0.86, benchmarks/render.py --shifts). The rule hides a top-level block that still holds a
placeholder, and every block after it, until the placeholder is gone, so what the visitor sees only
ever grows downwards. Two more rules keep the first layout where the page ends up: it starts wide
(as the site's page config sets it), and, when the address does not hide the sidebar, the sidebar's
width is kept free until it arrives (``SIDEBAR_STYLE``). They have to be in the page's head: CSS sent
with the first script run arrives after the first placeholders. They lean on attribute names of
Streamlit's page (``stSkeleton``, the block containers, ``stSidebar``, ``.streamlit-wide``) and on
the sidebar's default 300-px width, so browser tests (tests/browser/test_site.py) check them
against the real page; an upgrade that renames them fails those tests.

The served page's ``<title>`` is also replaced by the page's own ("Compare options · …",
``with_title``): the browser code sets it once it runs, but a shared link's preview reads the page
as served.

``is_page_address``, ``add_to_head`` and ``rewrite_html`` are the plain parts of the serve.py
middleware that puts the snippet into the page. Only the home address and a page's own address are rewritten: other HTML
(a visitor's downloaded visit summary, served from /media/) must reach the visitor as it was made.
"""

from __future__ import annotations

import gzip
import html
import json
import re
from collections.abc import Container, Iterable
from urllib.parse import parse_qs

from explainer.embed import SIDEBAR_VALUES

_HEAD = re.compile(rb"<head(\s[^>]*)?>", re.IGNORECASE)
_TITLE = re.compile(rb"<title(\s[^>]*)?>.*?</title\s*>", re.IGNORECASE | re.DOTALL)


def base_url_script(url_paths: Iterable[str]) -> bytes:
    """An inline ``<script>`` that tells Streamlit where the server is when the address is a page's."""
    paths = sorted({path for path in url_paths if path and "/" not in path})
    # json.dumps keeps the list a JavaScript literal; "<" escaped so no value can close the tag.
    literal = json.dumps(paths).replace("<", "\\u003c")
    return (
        "<script>(function () {"
        f"var pages = {literal};"
        'var path = window.location.pathname.replace(/\\/+$/, "");'
        'var cut = path.lastIndexOf("/");'
        "var last = path.slice(cut + 1);"
        "if (!window.__streamlit && cut >= 0 && pages.indexOf(last) !== -1) {"
        "window.__streamlit = {BACKEND_BASE_URL: window.location.origin + path.slice(0, cut + 1)};"
        "}"
        "})();</script>"
    ).encode()


_BLOCKS = (
    '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]',
    '[data-testid="stSidebarUserContent"] > div > [data-testid="stVerticalBlock"]',
)
# Above Streamlit's phone breakpoint the page starts centred until the script's page config says
# "wide" (0.06-0.07 of a first visit's layout shift); the site is always wide, so it starts wide.
_WIDE = (
    '[data-testid="stApp"]:not(.streamlit-wide) [data-testid="stMainBlockContainer"]{max-width:none;padding-left:5rem;padding-right:5rem}'
)
LOADING_STYLE = (
    "<style>"
    + ",".join(f'{blocks} > :has([data-testid="stSkeleton"]), {blocks} > :has([data-testid="stSkeleton"]) ~ *' for blocks in _BLOCKS)
    + "{visibility:hidden}"
    + f"@media (min-width: 769px){{{_WIDE}}}"
    + "</style>"
).encode()
# The sidebar arrives with the first script run and pushed the whole page 300 px right (0.234 of
# every first visit on a desktop). Its width is kept free until it is there. Only for a visit
# whose address does not hide the sidebar (?sidebar=hidden, explainer/embed.py): there it never comes.
SIDEBAR_STYLE = (
    b"<style>@media (min-width: 769px){"
    b'[data-testid="stAppViewContainer"]:not(:has([data-testid="stSidebar"])) > div:has(> [data-testid="stMain"]){margin-left:300px}'
    b"}</style>"
)


def sidebar_shown(query_string: str) -> bool:
    """Whether a visit with this query string gets the sidebar (the same reading as explainer.embed.parse_view)."""
    values = parse_qs(query_string, keep_blank_values=True).get("sidebar", [""])
    return not SIDEBAR_VALUES.get(values[0].strip().lower(), False)


def head_snippet(url_paths: Iterable[str], sidebar: bool = True) -> bytes:
    """What goes into the head of the site's page: the loading rules, then the base-address script."""
    return LOADING_STYLE + (SIDEBAR_STYLE if sidebar else b"") + base_url_script(url_paths)


def is_site_address(path: str, url_paths: Container[str]) -> bool:
    """Whether a request path is the home address (``/``) or one of the site's page addresses."""
    return path.strip("/") == "" or is_page_address(path, url_paths)


def is_page_address(path: str, url_paths: Container[str]) -> bool:
    """Whether a request path ends in one of the site's page paths (``/compare``, ``/base/compare/``)."""
    last = page_path(path)
    return bool(last) and last in url_paths


def page_path(path: str) -> str:
    """The last part of a request path (``compare`` for ``/base/compare/``; "" for the home address)."""
    return path.rstrip("/").rpartition("/")[2]


def with_title(document: bytes, title: str) -> bytes:
    """``document`` with its first ``<title>`` saying ``title`` (escaped); unchanged when it has none.

    The browser code sets each page's title once it runs; this puts it in the page as served too,
    so a shared link's preview, made without running the page, names the page it leads to.
    """
    element = b"<title>" + html.escape(title).encode() + b"</title>"
    return _TITLE.sub(lambda _: element, document, count=1)


def add_to_head(document: bytes, snippet: bytes) -> bytes:
    """``document`` with ``snippet`` right after its ``<head>`` tag; unchanged when there is none."""
    match = _HEAD.search(document)
    if match is None:
        return document
    return document[: match.end()] + snippet + document[match.end() :]


def rewrite_html(body: bytes, content_encoding: str | None, snippet: bytes, title: str | None = None) -> bytes | None:
    """The response body with ``snippet`` in its head, in the same encoding; None to leave it as it was.

    Streamlit gzips its page when the browser accepts it. A body in any other encoding, or one
    that does not decompress, is left alone: the site then works as Streamlit ships it.
    """
    encoding = (content_encoding or "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        return None
    try:
        document = gzip.decompress(body) if encoding == "gzip" else body
    except (OSError, EOFError):
        return None
    changed = add_to_head(document, snippet)
    if changed is document:
        return None
    if title:
        changed = with_title(changed, title)
    return gzip.compress(changed, compresslevel=6) if encoding == "gzip" else changed
