"""The words of the site: Markdown files with TOML front matter, checked and rendered.

A content file looks like this::

    +++
    title = "What ketamine is"
    audience = "patient"          # patient, trainee or all
    reviewed = 2026-11-25
    sources = ["cohen2018"]
    +++
    Ketamine blocks the NMDA receptor [@cohen2018].

Citations are written ``[@id]`` (several as ``[@a; @b]``). The renderer numbers them in order
of first use; each number opens the reference's card in place (explainer/citations.py), which
links to the reference's anchor on the Sources page. An unknown
id, a missing field or broken TOML stops loading with a :class:`ContentError` that names the
file and line, so a typo can never turn into a silent blank on the page.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.footnote import footnote_plugin

if TYPE_CHECKING:
    from explainer.citations import CitedReference

FENCE = "+++"
CONTENT_AUDIENCES = ("patient", "trainee", "all")
REQUIRED_FIELDS = ("title", "audience", "reviewed", "sources")
_CITATION = re.compile(r"\[@([^\]]*)\]")
_CITE_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class ContentError(ValueError):
    """A content file that cannot be used, with the file and line that are wrong."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{_display(self.path)}, line {line}" if line else _display(self.path)
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Section:
    """One content file: front matter plus its Markdown body."""

    key: str  # path below content/ without the suffixes, e.g. "home/intro"
    title: str
    audience: str
    reviewed: dt.date
    sources: tuple[str, ...]
    body: str
    path: Path
    body_start_line: int  # line number of the body's first line in the file


@dataclass
class Rendered:
    html: str
    citations: list[str] = field(default_factory=list)  # ids in number order


def _display(path: Path) -> str:
    """Show paths relative to the project when we can: shorter, and what a reader expects."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def split_front_matter(path: Path, text: str) -> tuple[str, str, int]:
    """Return (toml_text, body, body_start_line) or raise ContentError."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, 1, f"the file must start with a '{FENCE}' line that opens the TOML front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    raise ContentError(path, 1, f"the front matter opened on line 1 is never closed with a '{FENCE}' line")


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int | None:
    lineno = getattr(error, "lineno", None)
    if lineno:
        return int(lineno)
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _field_line(toml_text: str, name: str) -> int:
    """Line of a front-matter field in the file (front matter starts on file line 2)."""
    for offset, line in enumerate(toml_text.splitlines()):
        if re.match(rf"\s*{re.escape(name)}\s*=", line):
            return offset + 2
    return 1


def parse_section(path: Path, text: str, known_ids: Iterable[str], key: str | None = None) -> Section:
    """Parse and check one content file. ``known_ids`` are the reference ids in data/."""
    known = set(known_ids)
    toml_text, body, body_start = split_front_matter(path, text)
    try:
        meta = tomllib.loads(toml_text)
    except tomllib.TOMLDecodeError as error:
        inner = _toml_error_line(error)
        if inner is None and "end of document" in str(error):
            inner = max(1, len(toml_text.splitlines()))
        message = str(error).split(" (at")[0]
        raise ContentError(path, inner + 1 if inner else 1, f"the front matter is not valid TOML: {message}") from None

    missing = [name for name in REQUIRED_FIELDS if name not in meta]
    if missing:
        raise ContentError(path, 1, f"the front matter is missing {', '.join(repr(m) for m in missing)}")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS))
    if unknown:
        raise ContentError(
            path, _field_line(toml_text, unknown[0]), f"unknown front-matter field {unknown[0]!r} (allowed: {', '.join(REQUIRED_FIELDS)})"
        )
    title = meta["title"]
    if not isinstance(title, str) or not title.strip():
        raise ContentError(path, _field_line(toml_text, "title"), "'title' must be a non-empty text")
    audience = meta["audience"]
    if audience not in CONTENT_AUDIENCES:
        raise ContentError(
            path, _field_line(toml_text, "audience"), f"'audience' must be one of {', '.join(CONTENT_AUDIENCES)} (got {audience!r})"
        )
    reviewed = meta["reviewed"]
    if not isinstance(reviewed, dt.date) or isinstance(reviewed, dt.datetime):
        raise ContentError(path, _field_line(toml_text, "reviewed"), f"'reviewed' must be a date like 2026-11-25 (got {reviewed!r})")
    sources = meta["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ContentError(path, _field_line(toml_text, "sources"), "'sources' must be a list of reference ids")
    for source in sources:
        if source not in known:
            raise ContentError(path, _field_line(toml_text, "sources"), f"unknown reference id {source!r} in 'sources'")

    for offset, line in enumerate(body.splitlines()):
        for match in _CITATION.finditer(line):
            for cited in _split_ids(match.group(1)):
                if not _CITE_ID.match(cited):
                    raise ContentError(path, body_start + offset, f"malformed citation {match.group(0)!r}")
                if cited not in known:
                    raise ContentError(
                        path, body_start + offset, f"unknown citation id {cited!r}; add it to data/references.csv or fix the typo"
                    )

    return Section(
        key=key or path.stem,
        title=title.strip(),
        audience=audience,
        reviewed=reviewed,
        sources=tuple(sources),
        body=body,
        path=path,
        body_start_line=body_start,
    )


def _split_ids(inner: str) -> list[str]:
    return [part.strip().lstrip("@").strip() for part in inner.split(";") if part.strip()]


def load_content(content_dir: Path, known_ids: Iterable[str]) -> dict[tuple[str, str], Section]:
    """Load every ``content/**/*.md``. Keys are (section key, audience).

    ``content/home/intro.md`` with ``audience = "patient"`` has the key ("home/intro", "patient").
    Two files may share a section key when their audiences differ.
    """
    known = set(known_ids)
    loaded: dict[tuple[str, str], Section] = {}
    if not content_dir.is_dir():
        raise ContentError(content_dir, None, "the content folder is missing")
    for path in sorted(content_dir.rglob("*.md")):
        relative = path.relative_to(content_dir).with_suffix("")
        key = str(relative).replace("\\", "/").split(".")[0]  # "home/intro.trainee" -> "home/intro"
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise ContentError(path, None, f"the file is not UTF-8 text ({error.reason})") from None
        section = parse_section(path, text, known, key=key)
        slot = (key, section.audience)
        if slot in loaded:
            raise ContentError(
                path, 1, f"a second file for section {key!r} and audience {section.audience!r} (the first is {_display(loaded[slot].path)})"
            )
        loaded[slot] = section
    return loaded


PAGE_WORDS_FILE = "page.toml"


@dataclass(frozen=True)
class PageWords:
    """A page's short texts (headings, captions, labels, help texts) from ``content/<page>/page.toml``.

    The words a page says live here, not in its code, so the readability check reads them and a
    translation can sit beside them. A key means the same text for everyone; ``<key>_patient`` and
    ``<key>_trainee`` give a level its own version, which wins. Values are strings, lists of
    strings or tables of them, written in the site's Markdown where the page renders Markdown::

        heading = "How they work"
        assumptions_patient = ["The numbers are made up.", "..."]
        assumptions_trainee = ["...", "..."]
    """

    path: Path
    values: Mapping[str, object]

    def get(self, key: str, audience: str):
        """The text for ``key`` at this level; a missing key is a :class:`ContentError` naming the file."""
        for name in (f"{key}_{audience}", key):
            if name in self.values:
                return self.values[name]
        raise ContentError(self.path, None, f"no text {key!r} (nor {key + '_' + audience!r}); add it to this file")


def load_page_words(content_dir: Path) -> dict[str, PageWords]:
    """Every ``content/<page>/page.toml``, by page folder name ("mechanisms")."""
    loaded: dict[str, PageWords] = {}
    for path in sorted(content_dir.glob(f"*/{PAGE_WORDS_FILE}")):
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise ContentError(path, None, f"the file is not UTF-8 text ({error.reason})") from None
        except tomllib.TOMLDecodeError as error:
            raise ContentError(path, _toml_error_line(error), f"the TOML does not parse ({error})") from None
        loaded[path.parent.name] = PageWords(path, values)
    return loaded


def pick(sections: dict[tuple[str, str], Section], key: str, audience: str) -> Section:
    """The file for ``key`` at this audience level, else the one written for everyone."""
    for slot in ((key, audience), (key, "all")):
        if slot in sections:
            return sections[slot]
    raise KeyError(f"no content for section {key!r} at audience {audience!r}")


def latest_review(sections: dict[tuple[str, str], Section]) -> dt.date | None:
    """The most recent review date across all content (shown in the footer)."""
    return max((s.reviewed for s in sections.values()), default=None)


def oldest_review(sections: dict[tuple[str, str], Section]) -> dt.date | None:
    return min((s.reviewed for s in sections.values()), default=None)


# --- rendering --------------------------------------------------------------------------


def _citation_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("[@", pos):
        return False
    end = src.find("]", pos)
    if end == -1:
        return False
    ids = _split_ids(src[pos + 1 : end])
    if not ids or not all(_CITE_ID.match(i) for i in ids):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": ids}
    state.pos = end + 1
    return True


def _build_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table").use(footnote_plugin)
    md.inline.ruler.before("link", "citation", _citation_rule)
    return md


_MD = _build_markdown()


_OTHER_SITE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")  # a scheme (https:, mailto:) or a protocol-relative link


def with_query(href: str, query: str) -> str:
    """Add a view query ('?audience=trainee') to a link to another page of the site.

    Links with a scheme (https:, mailto:) and on-page anchors (#x) are left alone.
    """
    if not query or not href or href.startswith("#") or _OTHER_SITE.match(href):
        return href
    path, hash_mark, fragment = href.partition("#")
    present = {pair.split("=", 1)[0] for pair in path.partition("?")[2].split("&") if pair}
    extra = "&".join(pair for pair in query.lstrip("?").split("&") if pair and pair.split("=", 1)[0] not in present)
    if not extra:
        return href
    joiner = "&" if "?" in path else "?"
    return f"{path}{joiner}{extra}{hash_mark}{fragment}"


def _slug(title: str) -> str:
    """A heading's anchor as Streamlit makes it: lower case, runs of other characters as one '-'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _text_markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})

    def render_link_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        if _OTHER_SITE.match(token.attrGet("href") or ""):  # opens in a new tab, never inside a clinic's frame
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener")
        return renderer.renderToken(tokens, idx, options, env)

    def render_heading_open(renderer, tokens, idx, options, env):
        title = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
        if title and tokens[idx].tag in ("h2", "h3"):
            tokens[idx].attrSet("id", _slug(title))
        return renderer.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", render_link_open)
    md.add_render_rule("heading_open", render_heading_open)
    return md


_TEXT_MD = _text_markdown()


def render_text(text: str) -> str:
    """A short piece of the site's own Markdown (bold, italics, links, lists, headings) as HTML for ``st.html``.

    Raw HTML in ``text`` is escaped (markdown-it with HTML off) and markdown-it refuses unsafe link
    schemes such as ``javascript:``. Links to other sites open in a new tab; ``##`` and ``###``
    headings get Streamlit's anchor id. The pages use it (through ``ui.text``) in place of
    ``st.markdown``: the browser draws the result directly instead of parsing Markdown in JavaScript.
    """
    return _TEXT_MD.render(text)


def render_markdown(
    body: str,
    cite_href: Callable[[str], str],
    ref_titles: dict[str, str] | None = None,
    link_query: str = "",
    references: Mapping[str, CitedReference] | None = None,
    id_prefix: str = "",
) -> Rendered:
    """Render Markdown to HTML; citations become numbers in brackets, ``[1]``.

    With ``references`` (id -> :class:`explainer.citations.CitedReference`), each number is a button
    that opens that reference's card in place (explainer/citations.py), and the cards follow the
    section's text; each card links to the reference's Sources entry, ``cite_href(id)``. The cards'
    ids start with ``id_prefix`` (the section key): give each section on a page its own. Without
    them (or for an id they lack), the number is a link to ``cite_href(id)`` titled from ``ref_titles``.

    Links to other pages of the site open in the same tab and keep the view (``link_query``, e.g.
    '?audience=trainee'); links to other sites are untouched. Raw HTML in the source is escaped
    (markdown-it's ``html`` option is off), so content can never inject markup.
    """
    from explainer import citations  # here, not at the top: it reads the evidence module, which needs pandas

    titles = ref_titles or {}
    cited = references or {}
    order: list[str] = []
    cards: dict[str, str] = {}

    def render_citation(renderer, tokens, idx, options, env):  # noqa: ARG001 - markdown-it signature
        links = []
        for ref_id in tokens[idx].meta["ids"]:
            if ref_id not in order:
                order.append(ref_id)
            number = order.index(ref_id) + 1
            if ref_id in cited:
                target = citations.card_id(id_prefix, ref_id)
                if ref_id not in cards:
                    cards[ref_id] = citations.card_html(number, cited[ref_id], target, cite_href(ref_id))
                links.append(citations.button_html(number, cited[ref_id], target))
                continue
            label = html.escape(titles.get(ref_id, ref_id), quote=True)
            href = html.escape(cite_href(ref_id), quote=True)
            links.append(
                f'<a class="citation" href="{href}" target="_self" title="{label}" aria-label="Source {number}: {label}">{number}</a>'
            )
        return '<sup class="cite">[' + ", ".join(links) + "]</sup>"

    def render_link_open(renderer, tokens, idx, options, env):
        token = tokens[idx]
        href = token.attrGet("href") or ""
        if _OTHER_SITE.match(href):  # opens in a new tab, never inside a clinic's frame
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener")
        elif with_query(href, "?x") != href:  # a link to another page of this site
            token.attrSet("href", with_query(href, link_query))
            token.attrSet("target", "_self")
        return renderer.renderToken(tokens, idx, options, env)

    md = _build_markdown()
    md.add_render_rule("citation", render_citation)
    md.add_render_rule("link_open", render_link_open)
    out = md.render(body)
    return Rendered(html=out + citations.cards_html(list(cards.values())), citations=order)


def plain_text(body: str) -> str:
    """The prose of a Markdown body without markup or citations (for readability scoring)."""
    tokens = _MD.parse(body)
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            words = []
            for child in token.children:
                if child.type in ("text", "code_inline"):
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
            text = "".join(words).strip()
            if text:
                parts.append(text if text[-1] in ".!?:" else text + ".")
    return "\n".join(parts)
