"""The snippet the site puts into Streamlit's HTML page, and how it gets there."""

from __future__ import annotations

import gzip
import json
import re

from explainer import shell
from explainer.site import PAGES

SNIPPET = b"<script>x()</script>"
PAGE = b'<!DOCTYPE html>\n<html lang="en">\n  <head>\n    <meta charset="UTF-8" />\n  </head>\n  <body></body>\n</html>\n'


def pages_in(script: bytes) -> list[str]:
    match = re.search(rb"var pages = (\[.*?\]);", script)
    assert match, script
    return json.loads(match.group(1))


def test_the_script_lists_every_page_path_but_the_home_page():
    script = shell.base_url_script(page.url_path for page in PAGES)
    assert script.startswith(b"<script>") and script.endswith(b"</script>")
    assert pages_in(script) == sorted(page.id for page in PAGES if page.id != "home")
    assert b"BACKEND_BASE_URL" in script
    # It never replaces a setting a hosting platform made before it.
    assert b"!window.__streamlit" in script


def test_the_script_cannot_be_closed_by_a_path():
    script = shell.base_url_script(["compare", "<!--x", "<b>", "</script>", "a/b", ""])
    assert script.count(b"</script>") == 1 and b"<!--" not in script and b"<b>" not in script
    # A path with a slash could never be the last segment of an address; it is left out.
    assert pages_in(script) == ["<!--x", "<b>", "compare"]


def test_only_a_page_address_is_rewritten():
    paths = {"compare", "glossary"}
    for path in ("/compare", "/compare/", "/explainer/glossary", "/explainer/compare//"):
        assert shell.is_page_address(path, paths), path
    # Downloads (the visit summary is HTML), assets and unknown addresses are left as served.
    for path in ("/", "", "/media/2b1c.html", "/app/static/logo.png", "/compare/extra", "/nowhere", "/_stcore/health"):
        assert not shell.is_page_address(path, paths), path


def test_the_snippet_goes_right_after_the_head_tag():
    changed = shell.add_to_head(PAGE, SNIPPET)
    assert changed.count(SNIPPET) == 1
    assert changed.index(b"<head>") + len(b"<head>") == changed.index(SNIPPET)
    assert changed.replace(SNIPPET, b"") == PAGE


def test_a_head_tag_with_attributes_or_capitals_is_found():
    assert shell.add_to_head(b'<HTML><HEAD lang="en"><title>t</title></HEAD>', SNIPPET) == (
        b'<HTML><HEAD lang="en"><script>x()</script><title>t</title></HEAD>'
    )
    # <header> is not <head>.
    assert shell.add_to_head(b"<body><header>h</header></body>", SNIPPET) == b"<body><header>h</header></body>"


def test_plain_and_gzipped_pages_are_rewritten_in_their_own_encoding():
    plain = shell.rewrite_html(PAGE, None, SNIPPET)
    assert plain == shell.add_to_head(PAGE, SNIPPET)
    assert shell.rewrite_html(PAGE, "identity", SNIPPET) == plain
    zipped = shell.rewrite_html(gzip.compress(PAGE), "GZIP ", SNIPPET)
    assert zipped is not None and gzip.decompress(zipped) == plain


def test_anything_it_cannot_read_is_left_as_it_was():
    assert shell.rewrite_html(PAGE, "br", SNIPPET) is None
    assert shell.rewrite_html(b"not gzip at all", "gzip", SNIPPET) is None
    assert shell.rewrite_html(gzip.compress(PAGE)[:-4], "gzip", SNIPPET) is None
    assert shell.rewrite_html(b"<p>no head here</p>", None, SNIPPET) is None


def test_the_home_address_and_page_addresses_get_the_snippet():
    paths = {page.url_path for page in PAGES if page.url_path}
    for path in ("/", "", "/compare", "/glossary/"):
        assert shell.is_site_address(path, paths), path
    for path in ("/media/abc.html", "/static/icon.png", "/_stcore/health", "/compare/extra"):
        assert not shell.is_site_address(path, paths), path


def test_the_head_snippet_holds_the_loading_rule_before_the_script():
    snippet = shell.head_snippet(page.url_path for page in PAGES)
    assert snippet.startswith(shell.LOADING_STYLE)
    assert snippet.endswith(shell.base_url_script(page.url_path for page in PAGES))
    rule = shell.LOADING_STYLE.decode()
    assert rule.count('[data-testid="stSkeleton"]') == 4 and "{visibility:hidden}" in rule and ".streamlit-wide" in rule


def test_the_sidebar_space_is_kept_only_for_visits_that_get_a_sidebar():
    assert shell.sidebar_shown("") and shell.sidebar_shown("audience=trainee") and shell.sidebar_shown("sidebar=shown")
    assert shell.sidebar_shown("sidebar=nonsense")  # an unknown value shows the sidebar, as explainer.embed reads it
    assert not shell.sidebar_shown("sidebar=hidden") and not shell.sidebar_shown("embed=true&sidebar=HIDDEN")
    paths = [page.url_path for page in PAGES]
    assert shell.SIDEBAR_STYLE in shell.head_snippet(paths, sidebar=True)
    assert shell.SIDEBAR_STYLE not in shell.head_snippet(paths, sidebar=False)


def test_the_served_page_names_its_page_in_its_title():
    page = b"<html><head><TITLE >Streamlit</title></head><body><title>not this</title></body></html>"
    changed = shell.rewrite_html(page, None, SNIPPET, "Compare options · K & C <Explainer>")
    assert b"<title>Compare options \xc2\xb7 K &amp; C &lt;Explainer&gt;</title></head>" in changed
    assert b"Streamlit" not in changed and b"<title>not this</title>" in changed  # the first one only
    assert shell.rewrite_html(page, None, SNIPPET) == shell.add_to_head(page, SNIPPET)  # no title: as it was
    assert shell.with_title(b"<head></head>", "x") == b"<head></head>"
    assert shell.page_path("/base/compare/") == "compare" and shell.page_path("/") == ""
