"""Could a renderer make a link of this address? A stand-in for the renderers the site's text meets.

Streamlit draws notices, captions and st.markdown with GitHub-flavoured Markdown in the browser,
which links bare web addresses, ``www.`` names and e-mail addresses (an "autolink literal"), and
markdown-it-py with its linkify option would do the same. Neither links text inside a code span.
So an address that came from a URL or a visitor is safe when every copy of it sits in inline code
(Markdown) or in a ``<code>`` element (HTML), and not in any link. These helpers find the copies that
do not.
"""

from __future__ import annotations

from html.parser import HTMLParser

from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def exposed_in_markdown(markdown: str, needle: str) -> list[str]:
    """Where ``needle`` shows in ``markdown`` outside inline code: in plain text, or in a link."""
    found: list[str] = []
    for block in _MARKDOWN.parse(markdown):
        for token in block.children or ():
            if token.type == "link_open" and needle in (token.attrGet("href") or ""):
                found.append(f"link to {token.attrGet('href')}")
            elif token.type in ("text", "html_inline") and needle in token.content:
                found.append(f"text {token.content!r}")
    return found


class _HtmlReader(HTMLParser):
    def __init__(self, needle: str, text: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.needle = needle
        self.text = text
        self.found: list[str] = []
        self._code = 0

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and self.needle in (value or ""):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "code":
            self._code += 1

    def handle_endtag(self, tag):
        if tag == "code" and self._code:
            self._code -= 1

    def handle_data(self, data):
        if self.text and not self._code and self.needle in data:
            self.found.append(f"text {data!r}")


def exposed_in_html(document: str, needle: str, text: bool = True) -> list[str]:
    """Where ``needle`` shows in an HTML block: in a link or source, and (``text``) in text outside ``<code>``.

    The browser draws an HTML block's text as it is, so there only a link is a link; the text check
    is for HTML made from Markdown by a renderer that might have linked it.
    """
    reader = _HtmlReader(needle, text)
    reader.feed(document)
    return reader.found


def markup_in_markdown(markdown: str) -> list[str]:
    """What in ``markdown`` a renderer would draw as markup: raw HTML, links, emphasis or images."""
    found: list[str] = []
    for block in _MARKDOWN.parse(markdown):
        if block.type == "html_block":
            found.append(block.content)
        for token in block.children or ():
            if token.type in ("html_inline", "link_open", "image", "strong_open", "em_open"):
                found.append(token.type + " " + (token.content or token.attrGet("href") or ""))
    return found
