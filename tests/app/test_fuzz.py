"""Bad input at scale: random and hostile query parameters and clinic profiles never crash a page.

Hypothesis generates the inputs; ``derandomize`` makes every run try the same cases, so CI is
repeatable and a failure can be replayed. Each case runs the real entry point in AppTest.
"""

from __future__ import annotations

import string
import tomllib
import uuid
from html.parser import HTMLParser

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from explainer import settings as settings_lib
from explainer.site import PAGES
from tests.app.conftest import open_page
from tests.links import exposed_in_html, exposed_in_markdown

# Every key a page or the entry point reads, plus the widget-like keys a mangled link might carry.
KNOWN_KEYS = [
    "audience",
    "embed",
    "embed_options",
    "sidebar",
    "pages",
    "page",
    "option",
    "story",
    "step",
    "options",
    "pain",
    "nondrug",
    "weights",
]
MARKER = "fuzz-marker-7f3a"
# A host that only the hostile values below carry: wherever the page shows it, it must be inside code
# (Markdown inline code, HTML <code>), where no renderer makes a link of it.
PHISH = "login-7f3a.example"
HOSTILE = [
    f"https://{PHISH}/reset",
    f"http://{PHISH}",
    f"www.{PHISH}",
    f"help@{PHISH}",
    f"mailto:help@{PHISH}",
    f"<https://{PHISH}>",
    f"ketamine_iv,https://{PHISH}/reset,www.{PHISH}",
    f"home,www.{PHISH}",
    "9" * 5000,
    "²,5,5,5,5",
    f"<script>alert('{MARKER}')</script>",
    f"<img src=x onerror=alert('{MARKER}')>",
    f"[{MARKER}](javascript:alert(1))",
    f"**{MARKER}**",
    f"{MARKER}\u202e\u0000\ufeff",
    "../../etc/passwd",
    "-1",
    "999999999999999999999",
    "1e309",
    "NaN",
    "",
    "true",
    "ketamine_iv,ketamine_iv,ketamine_iv",
    "🙂" * 200,
    "a" * 5000,
]
values = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=60), st.text(alphabet=string.digits + ",.-", max_size=20))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(min_size=1, max_size=20))
params = st.dictionaries(keys, st.one_of(values, st.lists(values, min_size=2, max_size=3)), max_size=5)
page_files = st.sampled_from([p.file for p in PAGES])
FUZZ = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


class _LiveMarkup(HTMLParser):
    """What in a block of HTML the browser would run or draw as markup because of the hostile input.

    Reads the HTML as the browser does, so text that merely looks like markup (escaped ``&lt;img
    onerror=…&gt;``) is not flagged, while the same characters inside a real tag are: an event
    handler or a ``javascript:`` link carrying the marker, a script holding it, or the marker made
    bold (``**marker**`` read as Markdown). Percent-encoded copies in a link (for example a carried
    ?sidebar= value) are inert and are not flagged.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and MARKER in value:
                self.found.append(f"<{tag} {name}=…{MARKER}>")
            if name in ("href", "src", "action") and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag not in ("img", "br", "hr", "input", "meta", "link"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data):
        tag = self._open[-1] if self._open else ""
        # A script holding the marker, or the marker itself made bold (the site may bold a whole name).
        if (tag == "script" and MARKER in data) or (tag in ("strong", "b") and data.startswith(MARKER)):
            self.found.append(f"<{tag}>{MARKER}")


def _live_markup(at) -> list[str]:
    found = []
    for block in _rendered_html(at):
        parser = _LiveMarkup()
        parser.feed(block)
        found += parser.found
    return found


# Every element whose text Streamlit draws as Markdown in the browser (with GitHub-style autolinks).
MARKDOWN_ELEMENTS = ("markdown", "caption", "info", "warning", "error", "success", "exception", "toast")


def _exposed_addresses(at) -> list[str]:
    """Copies of the hostile host that a renderer could make a link of: outside code, or in a link."""
    found = []
    for kind in MARKDOWN_ELEMENTS:
        for element in at.get(kind):
            found += exposed_in_markdown(str(getattr(element, "value", "")), PHISH)
    for block in _rendered_html(at):  # HTML the browser draws as it is: only a link would be a link
        found += exposed_in_html(block, PHISH, text=False)
    return found


def _rendered_html(at) -> list[str]:
    """Every piece of output that the browser would treat as HTML rather than text."""
    html = [m.value for m in at.markdown if getattr(m.proto, "allow_html", False)]
    html += [h.proto.body for h in at.get("html")]
    return html


def test_the_live_markup_check_finds_markup_and_passes_escaped_text():
    for live in (f"<img src=x onerror=alert('{MARKER}')>", f"<script>alert('{MARKER}')</script>", f"<p><strong>{MARKER}</strong></p>"):
        parser = _LiveMarkup()
        parser.feed(live)
        assert parser.found, live
    parser = _LiveMarkup()
    parser.feed('<a href="javascript:alert(1)">x</a>')
    assert parser.found
    for inert in (
        f"<p>&lt;img src=x onerror=alert('{MARKER}')&gt;</p>",
        f"<p>**{MARKER}**</p>",
        '<a href="?x=javascript%3Aalert">x</a>',
        f"<p>Shared by <strong>&lt;script&gt;alert('{MARKER}')&lt;/script&gt;</strong></p>",
    ):
        parser = _LiveMarkup()
        parser.feed(inert)
        assert not parser.found, inert


@FUZZ
@given(page_file=page_files, query=params)
@example(page_file="pages/compare.py", query={"options": f"ketamine_iv,https://{PHISH}/reset,www.{PHISH},help@{PHISH}"})
@example(page_file="pages/home.py", query={"pages": f"home,https://{PHISH}", "page": f"www.{PHISH}", "sidebar": f"help@{PHISH}"})
def test_any_query_string_gives_a_page_not_a_traceback(page_file, query):
    at = open_page(page_file, **{str(k): v for k, v in query.items()})
    assert not at.exception, [e.value for e in at.exception]
    assert not _live_markup(at), "text from the URL reached the page as HTML"
    assert not _exposed_addresses(at), "an address from the URL could become a link"


def test_the_address_check_finds_a_bare_address():
    """The check above would fail on what the site did before: a URL value in a notice, escaped but bare."""
    from explainer import ui

    bare = f"Some options in the link were not recognised and were left out: {ui.safe_text(f'https://{PHISH}/reset')}."
    assert exposed_in_markdown(bare, PHISH)
    assert exposed_in_html(f"<p>match www.{PHISH}</p>", PHISH) and not exposed_in_html(f"<p><code>www.{PHISH}</code></p>", PHISH)


toml_scalars = st.one_of(
    st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False)
)
toml_values = st.one_of(toml_scalars, st.lists(toml_scalars, max_size=4))
clinic_keys = st.one_of(
    st.sampled_from([*settings_lib.KNOWN_KEYS, "accent_colour", "note", "frame_ancestors"]),
    st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=15),
)
clinic_tables = st.dictionaries(clinic_keys, toml_values, max_size=8)


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return _toml_string(value)


def _toml_string(value: str) -> str:
    """A TOML basic string: quotes and backslashes escaped, control characters as \\uXXXX."""
    out = []
    for char in value:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F or 0xD800 <= ord(char) <= 0xDFFF:
            out.append(f"\\u{ord(char) if ord(char) < 0xD800 else 0xFFFD:04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml(table: dict) -> str:
    return "\n".join(f"{_toml_string(key)} = {_toml_value(value)}" for key, value in table.items())


@settings(max_examples=300, deadline=None, derandomize=True)
@given(table=clinic_tables)
def test_any_clinic_profile_validates_to_safe_settings(table):
    text = _toml(table)
    raw = tomllib.loads(text)
    clinic = settings_lib.validate(raw)
    assert clinic.default_audience in ("patient", "trainee")
    assert all(page in {p.id for p in PAGES} for page in clinic.pages)
    for warning in clinic.warnings:
        assert isinstance(warning, str) and warning


@settings(max_examples=200, deadline=None, derandomize=True)
@given(text=st.one_of(st.text(max_size=200), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_any_clinic_file_loads_or_explains(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("clinic") / "clinic.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    clinic = settings_lib.load_settings(path)
    assert clinic.default_audience in ("patient", "trainee")


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=clinic_tables, page_file=page_files)
def test_a_hostile_clinic_profile_starts_the_site_cleanly(tmp_path, monkeypatch, table, page_file):
    path = tmp_path / f"clinic-{uuid.uuid4().hex}.toml"  # a new path each time: profiles are cached by path
    path.write_text(_toml(table), encoding="utf-8")
    monkeypatch.setenv("EXPLAINER_CLINIC", str(path))
    at = open_page(page_file)
    assert not at.exception, [e.value for e in at.exception]
    assert not _live_markup(at), "text from the clinic profile reached the page as HTML"
    assert not _exposed_addresses(at), "an address from the clinic profile could become a link"
