"""A clinic's own web page, served on another origin, that frames the site: for the embed tests.

``/?src=<site address>`` answers with a heading and an iframe of that address. ``w`` and ``h`` set the
frame's size (800 x 600 by default); ``above`` and ``below`` put that many pixels of the clinic's own
page before and after it, so a test can check that nothing the site does scrolls the clinic's page.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def _number(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return max(0, int(query.get(name, [str(default)])[0]))
    except ValueError:
        return default


class HostPage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        src = html.escape(query.get("src", ["about:blank"])[0], quote=True)
        above, below = _number(query, "above", 0), _number(query, "below", 0)
        body = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>A clinic's page</title></head>"
            "<body style='margin:0;font-family:sans-serif'><h1 style='font-size:16px;margin:4px'>Our clinic</h1>"
            + (f"<div style='height:{above}px'>About the clinic</div>" if above else "")
            + f"<iframe src='{src}' width='{_number(query, 'w', 800)}' height='{_number(query, 'h', 600)}'"
            " title='Explainer' style='border:1px solid #999'></iframe>"
            + (f"<div style='height:{below}px'>More about the clinic</div>" if below else "")
            + "</body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@contextmanager
def host_pages(count: int = 1) -> Iterator[list[str]]:
    """``count`` clinic pages on their own ports, as http://localhost:PORT (another site than 127.0.0.1)."""
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), HostPage) for _ in range(count)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [f"http://localhost:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
