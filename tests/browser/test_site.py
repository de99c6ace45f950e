"""The real site in headless Chromium: every page renders, is accessible, and has one menu."""

from __future__ import annotations

import gzip
import urllib.request
from urllib.parse import urlsplit

import pytest

from explainer import shell
from explainer.site import PAGES
from tests.browser.conftest import PageWatch, run_axe, wait_for_app

DARK_BACKGROUND = "rgb(14, 17, 23)"  # [theme.dark] backgroundColor in .streamlit/config.toml


@pytest.mark.parametrize("page_spec", PAGES, ids=[p.id for p in PAGES])
def test_page_renders_and_passes_axe(server, watched, page_spec):
    page = watched.page
    page.goto(f"{server}/{page_spec.url_path}")
    wait_for_app(page)
    heading = page.locator("h1").first
    heading.wait_for(state="visible")
    assert heading.inner_text().strip()
    assert page.locator('[data-testid="stException"]').count() == 0
    # One menu: ours in the sidebar (Streamlit's own is hidden, so the pages/ folder never adds a second).
    assert page.locator(".st-key-site_nav").count() == 1, "expected exactly one navigation menu"
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "Streamlit's own menu is showing as well"
    assert "not medical advice" in page.inner_text("body")
    # A tall window puts the whole page on screen, so axe checks colour contrast everywhere, not
    # only in the first screenful.
    page.set_viewport_size({"width": 1280, "height": 4000})
    page.wait_for_timeout(500)
    violations = run_axe(page)
    assert not violations, violations
    assert not watched.errors, watched.errors


@pytest.fixture
def dark_watched(browser):
    """A browser tab whose device asks for dark colours (prefers-color-scheme: dark), full-page tall."""
    context = browser.new_context(viewport={"width": 1280, "height": 4000}, color_scheme="dark")
    yield PageWatch(context.new_page())
    context.close()


DARK_CASES = [(p.url_path, "patient") for p in PAGES] + [("compare", "trainee"), ("glossary", "trainee")]


@pytest.mark.parametrize(("path", "audience"), DARK_CASES, ids=[f"{path or 'home'}-{audience}" for path, audience in DARK_CASES])
def test_page_passes_axe_in_the_dark_palette(server, dark_watched, path, audience):
    page = dark_watched.page
    page.goto(f"{server}/{path}?audience={audience}")
    wait_for_app(page)
    page.locator("h1").first.wait_for(state="visible")
    page.wait_for_timeout(500)
    background = page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == DARK_BACKGROUND, "a device set to dark mode should get the dark palette"
    violations = run_axe(page)
    assert not violations, violations
    assert not dark_watched.errors, dark_watched.errors


def _in_each_palette(browser, url: str):
    """Open ``url`` once in the light and once in the dark palette: yields (scheme, drawn page)."""
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme)
        try:
            page = context.new_page()
            page.goto(url)
            wait_for_app(page)
            yield scheme, page
        finally:
            context.close()


def test_a_chosen_pill_shows_a_tick_and_reads_in_both_palettes(server, browser):
    text = {"light": "rgb(11, 13, 16)", "dark": "rgb(242, 244, 247)"}
    for scheme, page in _in_each_palette(browser, f"{server}/compare"):
        chosen = page.locator('button[data-variant="pills"][aria-pressed="true"]').first
        label = chosen.locator("p")
        assert label.evaluate("e => getComputedStyle(e).color") == text[scheme], scheme
        assert "2713" in label.evaluate("e => getComputedStyle(e, '::before').content.codePointAt(1).toString(16)")
        plain = page.locator('button[data-variant="pills"][aria-pressed="false"] p').first
        assert plain.evaluate("e => getComputedStyle(e, '::before').content") == "none"


def test_links_in_the_sites_html_take_each_palettes_link_colour(server, browser):
    """Links drawn with st.html (ui.text, tables, sources lines) look like Streamlit's own links."""
    colour = {"light": "rgb(26, 82, 121)", "dark": "rgb(127, 184, 255)"}  # linkColor in config.toml
    for scheme, page in _in_each_palette(browser, f"{server}/mechanisms"):
        link = page.locator('[data-testid="stHtml"] a[href*="glossary#term-"]').first
        assert link.evaluate("e => getComputedStyle(e).color") == colour[scheme], scheme


def test_an_embed_can_force_the_dark_palette(server, watched):
    page = watched.page  # the device asks for light colours
    page.goto(f"{server}/about?embed=true&embed_options=dark_theme")
    wait_for_app(page)
    page.locator("h1", has_text="About").wait_for()
    assert page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).backgroundColor") == DARK_BACKGROUND


def test_audience_survives_navigation(server, watched):
    page = watched.page
    page.goto(f"{server}/?audience=trainee")
    wait_for_app(page)
    assert "non-competitive NMDA" in page.inner_text("body")
    page.locator(".st-key-site_nav a", has_text="About").click()
    wait_for_app(page)
    page.locator("h1", has_text="About").wait_for()
    assert "audience=trainee" in page.url
    checked = page.locator('[data-testid="stSidebar"] input[type="radio"]:checked')
    assert checked.get_attribute("value") is not None or checked.count() == 1
    page.locator(".st-key-site_nav a", has_text="Home").click()
    wait_for_app(page)
    assert "non-competitive NMDA" in page.inner_text("body")


def test_the_page_icon_loads(server, watched):
    page = watched.page
    page.goto(f"{server}/about")
    wait_for_app(page)
    icons = page.evaluate("[...document.querySelectorAll('link[rel~=icon]')].map(link => link.href)")
    assert icons and all("/app/static/" in href for href in icons), icons
    for href in icons:
        response = page.request.get(href)
        assert response.status == 200 and response.headers["content-type"] == "image/png", href


def test_bad_audience_shows_notice(server, watched):
    page = watched.page
    page.goto(f"{server}/?audience=wizard")
    wait_for_app(page)
    assert "audience level we do not know" in page.inner_text("body")


def test_first_visit_to_a_subpage_still_runs_the_entry_point(watched):
    """A fresh server whose first visitor opens /about must still show the sidebar and footer.

    Streamlit picks its old pages-folder mode at the first session unless serve.py rules it out.
    """
    from tests.browser.conftest import start_server, stop_server, wait_for_app

    process, url = start_server()
    try:
        page = watched.page
        page.goto(f"{url}/about?audience=trainee")
        wait_for_app(page)
        page.locator("h1", has_text="About").wait_for()
        assert page.locator('[data-testid="stSidebar"]').get_by_text("Reading level").count() == 1
        assert page.locator(".st-key-site_nav").get_by_text("Prepare for your visit").count() == 1
        assert "not medical advice" in page.inner_text("body")
    finally:
        stop_server(process)


def test_citation_link_opens_the_reference_on_sources(server, watched):
    page = watched.page
    page.goto(f"{server}/evidence?audience=trainee")
    wait_for_app(page)
    page.locator("button.citation").first.click()  # the number opens its card (explainer/citations.py)
    citation = page.locator(".citation-card:popover-open a.citation-card-entry")
    target_id = citation.get_attribute("href").split("#", 1)[1]
    citation.click()
    page.wait_for_url("**/sources?audience=trainee#ref-*")
    wait_for_app(page)
    target = page.locator(f"[id='{target_id}']")
    target.wait_for()
    page.wait_for_function(f"document.getElementById('{target_id}').classList.contains('anchor-target')")
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"], "the cited reference is not scrolled into view"


def test_links_inside_an_embedded_page_stay_embedded(server, watched):
    page = watched.page
    page.goto(f"{server}/evidence?embed=true")
    wait_for_app(page)
    assert "embed=true" in page.locator("a.citation-card-entry").first.get_attribute("href")
    page.goto(f"{server}/evidence")
    wait_for_app(page)
    assert "embed" not in page.locator("a.citation-card-entry").first.get_attribute("href")


@pytest.mark.parametrize("path", ["", "consult"])
def test_page_links_in_a_narrow_embed_show_their_whole_label(server, browser, path):
    """In an 800-px embed with the sidebar open, the home page's cards are about 150 px wide: a link
    label that does not fit must wrap, not be cut off ("How they wo")."""
    context = browser.new_context(viewport={"width": 800, "height": 600})
    try:
        page = context.new_page()
        page.goto(f"{server}/{path}?embed=true")
        wait_for_app(page)
        labels = page.locator('[data-testid="stMain"] [data-testid="stPageLink-NavLink"] > span:last-child')
        assert labels.count() >= (7 if path == "" else 1)
        clipped = page.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPageLink-NavLink"] > span:last-child')]
                 .filter(span => span.scrollWidth > span.clientWidth + 1)
                 .map(span => span.textContent)"""
        )
        assert clipped == []
    finally:
        context.close()


# --- connecting from a page's own address (explainer/shell.py) ------------------------------------


def test_a_page_address_connects_without_probing_for_the_base_path(server, watched):
    page = watched.page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(urlsplit(request.url).path))
    page.goto(f"{server}/compare?audience=trainee")
    wait_for_app(page)
    page.locator("h1").first.wait_for(state="visible")
    assert page.evaluate("window.__streamlit && window.__streamlit.BACKEND_BASE_URL") == f"{server}/"
    assert "/_stcore/health" in requested
    assert [path for path in requested if path.startswith("/compare/")] == [], "Streamlit still probed /compare/ first"
    assert not watched.errors, watched.errors
    # The home page needs no hint: its address is the base.
    page.goto(f"{server}/")
    wait_for_app(page)
    assert page.evaluate("window.__streamlit === undefined")


def test_blocks_after_a_loading_placeholder_stay_hidden_until_it_is_replaced(server, watched):
    """The head's loading rule (explainer/shell.py) against the real page: a top-level block that holds
    Streamlit's placeholder hides itself and every block after it, not the ones before; the sidebar too."""
    page = watched.page
    page.goto(f"{server}/")
    wait_for_app(page)
    page.locator("h1").first.wait_for(state="visible")
    visibility = page.evaluate(
        """() => {
            const seen = {};
            for (const [name, selector] of [["main", '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]'],
                                            ["sidebar", '[data-testid="stSidebarUserContent"] > div > [data-testid="stVerticalBlock"]']]) {
                const blocks = [...document.querySelector(selector).children];
                const middle = blocks[Math.floor(blocks.length / 2)];
                const placeholder = document.createElement("div");
                placeholder.dataset.testid = "stSkeleton";
                const shown = (element) => getComputedStyle(element).visibility;
                const state = () => blocks.map(shown);
                const before = state();
                middle.appendChild(placeholder);
                const during = state();
                placeholder.remove();
                seen[name] = {before, during, after: state(), at: blocks.indexOf(middle)};
            }
            return seen;
        }"""
    )
    for name, seen in visibility.items():
        at = seen["at"]
        assert set(seen["before"]) == {"visible"} and seen["after"] == seen["before"], name
        assert seen["during"][:at] == seen["before"][:at], f"{name}: blocks before the placeholder must stay visible"
        assert set(seen["during"][at:]) == {"hidden"}, f"{name}: the placeholder's block and the blocks after it must wait"
    in_head = page.evaluate("() => [...document.head.querySelectorAll('style')].filter((s) => s.textContent.includes('stSkeleton')).length")
    assert in_head == 1, "the loading rule is in the served head"


def test_the_page_starts_where_it_ends_beside_the_sidebar(server, browser):
    """Before the sidebar arrives its width is kept free (explainer/shell.py), so the page does not jump
    right when it comes; with ?sidebar=hidden nothing is kept. Read on the real page by taking the
    sidebar out of the rule's sight and comparing where the main column sits."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        measure = """() => {
            const main = () => document.querySelector('[data-testid="stMain"]').getBoundingClientRect().left;
            const sidebar = document.querySelector('[data-testid="stSidebar"]');
            if (!sidebar) return {without: main()};
            const beside = main();
            sidebar.dataset.testid = "away";
            sidebar.style.display = "none";
            const waiting = main();
            sidebar.style.display = "";
            sidebar.dataset.testid = "stSidebar";
            return {beside, waiting};
        }"""
        page.goto(f"{server}/glossary")
        wait_for_app(page)
        page.locator("h1").first.wait_for(state="visible")
        seen = page.evaluate(measure)
        assert seen["beside"] > 200 and abs(seen["waiting"] - seen["beside"]) <= 1, seen
        page.goto(f"{server}/glossary?sidebar=hidden")
        wait_for_app(page)
        page.locator("h1").first.wait_for(state="visible")
        assert page.evaluate(measure) == {"without": 0}
    finally:
        context.close()


BASES = [
    ("/compare", "https://clinic.example/"),
    ("/compare/", "https://clinic.example/"),
    ("/explainer/glossary", "https://clinic.example/explainer/"),
    ("/", None),
    ("/explainer/", None),
    ("/no-such-page", None),
    ("/compare/extra", None),
]


@pytest.mark.parametrize(("pathname", "base"), BASES, ids=[path for path, _ in BASES])
def test_the_base_url_script_reads_the_address(browser, pathname, base):
    body = shell.base_url_script(p.url_path for p in PAGES).decode().removeprefix("<script>").removesuffix("</script>")
    page = browser.new_page()
    try:
        found = page.evaluate(
            """([body, pathname]) => {
                const fake = {location: {pathname, origin: "https://clinic.example"}};
                new Function("window", body)(fake);
                return fake.__streamlit ? fake.__streamlit.BACKEND_BASE_URL : null;
            }""",
            [body, pathname],
        )
        assert found == base
        # A setting made by a hosting platform before the script is kept.
        kept = page.evaluate(
            """(body) => {
                const fake = {location: {pathname: "/compare", origin: "https://x"}, __streamlit: {BACKEND_BASE_URL: "https://host/"}};
                new Function("window", body)(fake);
                return fake.__streamlit.BACKEND_BASE_URL;
            }""",
            body,
        )
        assert kept == "https://host/"
    finally:
        page.close()


@pytest.mark.parametrize("encoding", ["gzip", "identity"])
def test_the_served_page_carries_the_script(server, encoding):
    request = urllib.request.Request(f"{server}/compare", headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=10) as response:
        raw = response.read()
        headers = {name.lower(): value for name, value in response.headers.items()}
    assert headers.get("content-encoding", "identity") == encoding
    assert int(headers["content-length"]) == len(raw)
    document = gzip.decompress(raw) if encoding == "gzip" else raw
    assert document.count(shell.base_url_script(p.url_path for p in PAGES)) == 1
    # Streamlit's validators describe its file without the script, so they are not sent.
    assert "etag" not in headers and "last-modified" not in headers
    assert headers["x-content-type-options"] == "nosniff"
