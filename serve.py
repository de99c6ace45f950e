"""ASGI entry point: `streamlit run serve.py` (what `make run` and the browser tests use).

It serves the same app as streamlit_app.py, and is the place for HTTP-level concerns
(security headers, framing rules for clinics).
"""

import gzip
import logging

import streamlit as st
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager

from explainer import downloads, shell
from explainer.settings import security_headers, settings_from_env
from explainer.site import PAGES, document_title

# Our pages live in pages/ but are declared with st.navigation. Streamlit decides on its old
# pages-folder mode (v1) when the first session starts, before st.navigation has run: if the
# first visitor after a restart opens /compare rather than /, the whole process would serve
# pages without the entry point (no sidebar, no footer). Deciding it here, once, prevents that.
PagesManager.uses_pages_directory = False


class SecurityHeaders:
    """Pure ASGI middleware: add fixed headers to every HTTP response (WebSockets pass through).

    Written as plain ASGI rather than BaseHTTPMiddleware so that streamed and file responses
    are not buffered. The headers replace any of the same name, so the framing policy is
    exactly the clinic's.
    """

    def __init__(self, app, headers: list[tuple[str, str]]) -> None:
        self.app = app
        self.headers = headers

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _decoded(body: bytes, headers: MutableHeaders) -> bytes:
    """A response body as the file's own bytes (b"" when its encoding cannot be read)."""
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding == "identity":
        return body
    if encoding == "gzip":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError):
            return b""
    return b""


class PrivateDownloads:
    """Pure ASGI middleware: a private download is answered only within its window (explainer/downloads.py).

    A ``/media/`` response whose Content-Disposition names one of the visit summary's files is held
    until its body is complete. It is sent, with ``Cache-Control: no-store``, only when those exact
    bytes were made for a visitor less than ``server.disconnectedSessionTTL`` seconds ago; otherwise
    the answer is a 404 that says the download expired, whatever Streamlit still holds. A partial
    (range) or HEAD answer never matches a whole file's digest, so it is refused too. Every other
    response passes through untouched.

    A ``/media/`` request reaches Streamlit without its Accept-Encoding, so the body is the file's own
    bytes, not a gzipped copy (downloads are a few kilobytes; a gzipped body that arrives anyway is
    read through gzip, and any other encoding is refused).
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or "/media/" not in scope["path"]:
            await self.app(scope, receive, send)
            return
        scope = {**scope, "headers": [(name, value) for name, value in scope["headers"] if name.lower() != b"accept-encoding"]}
        held: dict = {}
        chunks: list[bytes] = []

        async def send_checked(message) -> None:
            if message["type"] == "http.response.start":
                if downloads.is_private(MutableHeaders(scope=message).get("content-disposition")):
                    held["start"] = message
                    return
                await send(message)
                return
            if "start" not in held or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            start, body = held.pop("start"), b"".join(chunks)
            seconds = config.get_option("server.disconnectedSessionTTL")
            if start["status"] == 200 and downloads.WINDOW.answers(_decoded(body, MutableHeaders(scope=start)), seconds):
                MutableHeaders(scope=start)["cache-control"] = "no-store"
            else:
                body = downloads.EXPIRED_MESSAGE
                start = {
                    "type": "http.response.start",
                    "status": 404,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode()),
                        (b"cache-control", b"no-store"),
                    ],
                }
            await send(start)
            await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body, "more_body": False})

        await self.app(scope, receive, send_checked)


class HeadSnippet:
    """Pure ASGI middleware: put the head snippet (explainer/shell.py) into the HTML page served at the site's addresses.

    Streamlit answers every page address with the same small index.html (gzipped when the browser
    accepts it). Only a GET of the home address or a page's own address (``url_paths``) that gets a complete 200 HTML
    answer is rewritten (see explainer/shell.py); anything else, downloads included, passes through
    untouched. The rewritten page drops Streamlit's ETag and Last-Modified, which describe the
    file without the snippet.
    """

    def __init__(self, app, url_paths: frozenset[str]) -> None:
        self.app = app
        self.url_paths = url_paths
        self.snippets = {shown: shell.head_snippet(url_paths, sidebar=shown) for shown in (True, False)}
        # Each address's own title ("Compare options · …"), so a shared link's preview names its page.
        self.titles = {page.url_path: document_title(page.id) for page in PAGES}

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not shell.is_site_address(scope["path"], self.url_paths):
            await self.app(scope, receive, send)
            return
        held: dict = {}
        chunks: list[bytes] = []
        snippet = self.snippets[shell.sidebar_shown(scope.get("query_string", b"").decode("latin-1"))]
        title = self.titles.get(shell.page_path(scope["path"]))

        async def send_rewritten(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if message["status"] == 200 and headers.get("content-type", "").startswith("text/html"):
                    held["start"] = message
                    return
                await send(message)
                return
            if "start" not in held or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            start, body = held.pop("start"), b"".join(chunks)
            headers = MutableHeaders(scope=start)
            rewritten = shell.rewrite_html(body, headers.get("content-encoding"), snippet, title)
            if rewritten is not None:
                body = rewritten
                headers["content-length"] = str(len(body))
                for stale in ("etag", "last-modified"):
                    if stale in headers:
                        del headers[stale]
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})

        await self.app(scope, receive, send_rewritten)


# The clinic profile (EXPLAINER_CLINIC) is read once here for what must be decided before any
# page runs: the framing policy and the accent colour. Problems are logged for the operator;
# pages show them as a notice (see ui.clinic_settings()).
clinic = settings_from_env()
for warning in clinic.warnings:
    logging.getLogger("explainer.settings").warning(warning)
if clinic.accent_color:
    # A validated #rrggbb value (dark enough to read on white); Streamlit sends the theme
    # to each new session, so this colours buttons, radios and sliders. Only the light palette
    # takes it: a colour chosen to read on white may not read on the dark palette's background.
    config.set_option("theme.light.primaryColor", clinic.accent_color, where_defined="clinic profile")

PAGE_PATHS = frozenset(page.url_path for page in PAGES if page.url_path)
app = st.App(
    "streamlit_app.py",
    middleware=[
        Middleware(SecurityHeaders, headers=security_headers(clinic)),
        # The visit summary's download address answers for a stated time only (explainer/downloads.py).
        Middleware(PrivateDownloads),
        # A page's own address connects without Streamlit's ~100 ms base-path probe, and no page jumps
        # when a block's placeholder is replaced (explainer/shell.py).
        Middleware(HeadSnippet, url_paths=PAGE_PATHS),
    ],
)
