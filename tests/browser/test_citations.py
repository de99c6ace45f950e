"""Citations open in place (explainer/citations.py): a card with the full reference, by mouse, touch and
keyboard, that closes with Escape or a tap outside, and never moves the page or a clinic's page around it."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest

from explainer import DATA_DIR, evidence
from tests.browser.conftest import run_axe, wait_for_app
from tests.browser.hosts import host_pages

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}
OPEN_CARD = ".citation-card:popover-open"
SCROLL = "() => [window.scrollY, document.querySelector('[data-testid=\"stMain\"]').scrollTop]"


def references() -> dict[str, dict]:
    return {ref["id"]: ref for ref in evidence.load_references(DATA_DIR).to_dict("records")}


def card_of(page, trigger):
    return page.locator(f"[id='{trigger.get_attribute('popovertarget')}']")


def bring_into_view(page_or_frame, trigger, top: int = 300) -> None:
    """Scroll Streamlit's own scroll container so that ``trigger`` sits ``top`` px from the top of the window."""
    trigger.evaluate(
        "(el, top) => { const m = document.querySelector('[data-testid=stMain]'); m.scrollTop += el.getBoundingClientRect().top - top; }",
        top,
    )
    page_or_frame.wait_for_timeout(200)


def active(page) -> str:
    return page.evaluate("() => { const a = document.activeElement; return a ? a.outerHTML.slice(0, 200) : ''; }")


def test_a_click_opens_the_full_reference_without_leaving_or_moving_the_page(server, watched):
    page = watched.page
    page.goto(f"{server}/evidence?audience=trainee")
    wait_for_app(page)
    # A source with a DOI (before citations opened in place, the number was a link to its Sources entry).
    trigger = page.locator("button.citation[popovertarget$='-pereira2022'], a.citation[href$='#ref-pereira2022']").first
    bring_into_view(page, trigger)
    url, scroll = page.url, page.evaluate(SCROLL)
    assert scroll[1] > 0, "the test needs the page scrolled, so that a jump would show"
    trigger.click()
    page.wait_for_timeout(500)
    assert page.url == url, "opening a citation changed the address"
    assert page.evaluate(SCROLL) == scroll, "opening a citation scrolled the page"
    card = page.locator(OPEN_CARD)
    card.wait_for()
    assert card.count() == 1 and card.is_visible()
    ref_id = card.get_attribute("id").rsplit("-", 1)[-1]
    ref = references()[ref_id]
    text = card.inner_text()
    assert ref["title"].rstrip(".") in text and ref["authors"] in text and ref["year"] in text
    assert ref["used_for"].rstrip(".") in text
    source = card.get_by_role("link", name="Read the source (opens in a new tab)")
    assert source.get_attribute("href") == evidence.reference_link(ref) and source.get_attribute("target") == "_blank"
    entry = card.get_by_role("link", name="See it on the Sources page")
    assert entry.get_attribute("href") == f"sources?audience=trainee#ref-{ref_id}"
    box = card.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 1280 and box["y"] + box["height"] <= 900
    # A click outside the card closes it (light dismiss), still without moving anything.
    page.mouse.click(1240, 880)
    page.wait_for_timeout(200)
    assert page.locator(OPEN_CARD).count() == 0
    assert page.url == url and page.evaluate(SCROLL) == scroll
    assert not watched.errors, watched.errors


def test_escape_closes_the_card_and_focus_returns_to_its_number(server, watched):
    page = watched.page
    page.goto(f"{server}/?audience=trainee")
    wait_for_app(page)
    trigger = page.locator("button.citation").first
    trigger.click()
    card = card_of(page, trigger)
    card.wait_for()
    page.keyboard.press("Tab")  # the card's links follow its number in the tab order
    assert "Read the source" in active(page) or "See it on the Sources page" in active(page), active(page)
    page.keyboard.press("Escape")
    page.wait_for_timeout(200)
    assert page.locator(OPEN_CARD).count() == 0
    assert trigger.evaluate("b => b === document.activeElement"), active(page)


def test_the_keyboard_opens_a_card_with_enter_and_space(server, watched):
    page = watched.page
    page.goto(f"{server}/?audience=trainee")
    wait_for_app(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('button.citation')"):
            break
    else:
        pytest.fail("Tab never reached a citation")
    trigger_id = page.evaluate("() => document.activeElement.getAttribute('popovertarget')")
    page.keyboard.press("Enter")
    page.wait_for_timeout(200)
    assert page.evaluate("id => document.getElementById(id).matches(':popover-open')", trigger_id)
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    assert page.locator(OPEN_CARD).count() == 0
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert page.evaluate("id => document.getElementById(id).matches(':popover-open')", trigger_id)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_tap_on_a_phone_opens_a_card_wholly_on_screen(server, browser, scheme):
    context = browser.new_context(**PHONE, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{server}/mechanisms")
        wait_for_app(page)
        count = page.locator("button.citation").count()
        assert count >= 3
        for index in (0, count - 1):  # one near the top and one far down the page
            trigger = page.locator("button.citation").nth(index)
            bring_into_view(page, trigger)
            scroll = page.evaluate(SCROLL)
            trigger.tap()
            card = card_of(page, trigger)
            card.wait_for()
            page.wait_for_timeout(200)
            box = card.bounding_box()
            assert box, "no card"
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
            assert box["y"] >= 0 and box["y"] + box["height"] <= 844, box
            assert card.get_by_role("link", name="See it on the Sources page").is_visible()
            assert page.evaluate(SCROLL) == scroll
            page.touchscreen.tap(195, 20)  # a tap outside (on the empty top bar) closes it
            page.wait_for_timeout(200)
            assert page.locator(OPEN_CARD).count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_passes_with_a_card_open(server, browser, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(f"{server}/?audience=trainee")
        wait_for_app(page)
        page.locator("button.citation").first.click()
        page.locator(OPEN_CARD).wait_for()
        violations = run_axe(page)
        assert not violations, violations
        assert page.locator(OPEN_CARD).count() == 1
    finally:
        context.close()


@pytest.fixture(scope="module")
def tall_host() -> Iterator[str]:
    with host_pages() as (host,):
        yield host


def test_inside_a_clinics_iframe_a_citation_never_scrolls_the_clinics_page(server, browser, tall_host):
    context = browser.new_context(viewport={"width": 900, "height": 700})
    try:
        page = context.new_page()
        page.goto(
            f"{tall_host}/?"
            + urllib.parse.urlencode({"src": f"{server}/evidence?embed=true&audience=trainee", "above": 1500, "below": 1500})
        )
        frame_element = page.wait_for_selector("iframe")
        frame = frame_element.content_frame()
        # The frame in view (Chromium pauses the drawing of a frame out of view), part of the clinic's page above it.
        page.evaluate("() => window.scrollTo(0, 1450)")
        wait_for_app(frame)
        host_scroll = page.evaluate("() => window.scrollY")
        assert host_scroll == 1450
        trigger = frame.locator("sup.cite .citation").nth(2)  # (before citations opened in place, a link to Sources)
        bring_into_view(frame, trigger)  # by the frame's own scrolling
        frame_url = frame.url
        trigger.click()
        page.wait_for_timeout(2500)  # long enough for any load and jump to an anchor to have happened
        assert page.evaluate("() => window.scrollY") == host_scroll, "opening a citation scrolled the clinic's page"
        assert frame.url == frame_url
        card = frame.locator(OPEN_CARD)
        assert card.count() == 1
        card_box = card.bounding_box()
        frame_box = frame_element.bounding_box()
        assert card_box and frame_box
        assert frame_box["y"] <= card_box["y"] and card_box["y"] + card_box["height"] <= frame_box["y"] + frame_box["height"]
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert frame.locator(OPEN_CARD).count() == 0
        assert page.evaluate("() => window.scrollY") == host_scroll
    finally:
        context.close()


def test_printed_each_section_lists_its_sources_after_it(server, watched):
    page = watched.page
    page.goto(f"{server}/mechanisms")
    wait_for_app(page)
    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    numbers = page.locator("sup.cite")
    cards = page.locator(".citation-card")
    assert numbers.first.is_visible() and numbers.first.inner_text().startswith("[")
    assert cards.count() >= 3
    for index in range(cards.count()):
        card = cards.nth(index)
        assert card.is_visible()
        assert card.evaluate("c => getComputedStyle(c).position") == "static"  # in the flow, after its section
        position = card.evaluate("c => [...c.parentNode.querySelectorAll(':scope > .citation-card')].indexOf(c) + 1")
        assert card.inner_text().startswith(f"Source {position}")
        assert card.evaluate("c => getComputedStyle(c.querySelector('p')).display") == "inline"  # one entry, not a panel
        assert not card.locator(".citation-card-links").is_visible()  # links that paper cannot follow
        assert not card.locator(".citation-card-close").is_visible()


def test_inside_a_clinics_iframe_the_sources_entry_opens_without_scrolling_the_clinics_page(server, browser, tall_host):
    context = browser.new_context(viewport={"width": 900, "height": 700})
    try:
        page = context.new_page()
        page.goto(
            f"{tall_host}/?"
            + urllib.parse.urlencode({"src": f"{server}/evidence?embed=true&audience=trainee", "above": 1500, "below": 1500})
        )
        frame = page.wait_for_selector("iframe").content_frame()
        page.evaluate("() => window.scrollTo(0, 1450)")
        wait_for_app(frame)
        trigger = frame.locator("sup.cite .citation").nth(2)
        bring_into_view(frame, trigger)
        trigger.click()
        entry = frame.locator(OPEN_CARD).locator("a.citation-card-entry")
        target_id = entry.get_attribute("href").split("#", 1)[1]
        entry.click()
        frame.wait_for_url("**/sources?*#ref-*")
        wait_for_app(frame)
        frame.wait_for_function(f"document.getElementById('{target_id}').classList.contains('anchor-target')")
        page.wait_for_timeout(500)  # the jump to the entry has happened by now
        assert page.evaluate("() => window.scrollY") == 1450, "opening the Sources entry scrolled the clinic's page"
        box = frame.locator(f"[id='{target_id}']").bounding_box()
        assert box is not None and 0 <= box["y"] < 600, "the entry is not in the frame's view"
    finally:
        context.close()
