"""Moving through the site in Chromium: the phone menu closes after a choice, Back and Next follow the
reading path, every tab is titled after its page, and an embed keeps "For clinics" out of its menu."""

from __future__ import annotations

import gzip
import urllib.request
from collections.abc import Iterator

import pytest

from explainer.site import SITE_TITLE
from tests.browser.conftest import ARTIFACTS, run_axe, start_server, stop_server, wait_for_app

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
}
SIDEBAR = '[data-testid="stSidebar"]'
MENU = ".st-key-site_nav"
CRPS = "CRPS (complex regional pain syndrome)"


def sidebar_covers_the_page(page) -> bool:
    """True when the sidebar is open over the page: the point a third of the way across the screen is the sidebar's."""
    width = page.viewport_size["width"]
    return page.evaluate(
        f"""() => {{
            const hit = document.elementFromPoint({width // 3}, 400);
            return Boolean(hit && hit.closest('{SIDEBAR}'));
        }}"""
    )


def sidebar_is_open(page) -> bool:
    box = page.locator(SIDEBAR).bounding_box()
    return bool(box and box["width"] > 100 and box["x"] + box["width"] > 100)


def open_phone_menu(page) -> None:
    page.locator('[data-testid="stExpandSidebarButton"]').tap()
    page.wait_for_function(f"() => document.querySelector('{SIDEBAR}').getBoundingClientRect().right > 200")
    page.wait_for_timeout(400)  # the sidebar slides in
    assert sidebar_covers_the_page(page), "the phone menu should lie over the page once opened"


# --- 1. the phone menu ----------------------------------------------------------------------


def test_choosing_a_page_on_a_phone_closes_the_menu(server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        wait_for_app(page)
        open_phone_menu(page)
        page.locator(SIDEBAR).locator(f"{MENU} a", has_text="Compare").tap()
        page.wait_for_url("**/compare")
        wait_for_app(page)
        page.locator("h1", has_text="Compare options").wait_for()
        page.wait_for_function(f"() => document.querySelector('{SIDEBAR}').getBoundingClientRect().right <= 0", timeout=5000)
        assert not sidebar_covers_the_page(page), "the menu should close once a page is chosen"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "phone-menu-after-choice.png"))
        # It opens again as before, with its links under their section labels.
        open_phone_menu(page)
        assert page.locator(f"{MENU} a").count() >= 9
    finally:
        context.close()


def test_enter_on_a_menu_link_on_a_phone_opens_the_page_and_closes_the_menu(server, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/")
        wait_for_app(page)
        open_phone_menu(page)
        page.locator(f"{MENU} a", has_text="Glossary").focus()
        page.keyboard.press("Enter")
        page.wait_for_url("**/glossary")
        wait_for_app(page)
        page.wait_for_function(f"() => document.querySelector('{SIDEBAR}').getBoundingClientRect().right <= 0", timeout=5000)
        assert not sidebar_covers_the_page(page)
        # Focus is not left on a link that is now out of sight: it is on the button that opens the menu.
        assert page.evaluate("() => document.activeElement.dataset.testid") == "stExpandSidebarButton"
    finally:
        context.close()


def test_on_a_desktop_the_menu_stays_open_after_a_choice(server, watched):
    page = watched.page
    page.goto(f"{server}/")
    wait_for_app(page)
    assert sidebar_is_open(page)
    page.locator(f"{MENU} a", has_text="Compare").click()
    page.wait_for_url("**/compare")
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert sidebar_is_open(page), "beside the page, the sidebar stays open"
    assert not watched.errors, watched.errors


# --- 2. the reading path --------------------------------------------------------------------


def path_link(page, word: str):
    return page.locator(".st-key-reading_path a", has_text=f"{word}:")


def test_next_and_back_follow_the_trainee_path_and_keep_the_reading_level(server, watched):
    page = watched.page
    page.goto(f"{server}/?audience=trainee")
    wait_for_app(page)
    assert path_link(page, "Back").count() == 0, "Home starts the path"
    path_link(page, "Next").click()
    page.wait_for_url("**/mechanisms?audience=trainee")
    wait_for_app(page)
    page.locator("h1", has_text="How they work").wait_for()
    assert (
        page.locator('[data-testid="stSidebar"] input[type="radio"]:checked').evaluate("e => e.closest('label').innerText").strip()
        == "Trainee"
    )
    assert path_link(page, "Back").inner_text().strip().endswith("Back: Home")
    assert path_link(page, "Next").inner_text().strip().endswith("Next: Compare")
    assert page.get_by_role("heading", name="Keep reading").count() == 1
    assert not run_axe(page)
    # On Compare the trainee path goes on to Evidence (the patient path to Patient story).
    path_link(page, "Next").click()
    page.wait_for_url("**/compare?audience=trainee")
    wait_for_app(page)
    assert path_link(page, "Next").inner_text().strip().endswith("Next: Evidence")
    assert not watched.errors, watched.errors


def test_the_patient_path_skips_evidence_and_sources_has_no_path(server, watched):
    page = watched.page
    page.goto(f"{server}/compare")
    wait_for_app(page)
    assert path_link(page, "Next").inner_text().strip().endswith("Next: Patient story")
    assert path_link(page, "Back").inner_text().strip().endswith("Back: How they work")
    page.goto(f"{server}/sources")
    wait_for_app(page)
    assert page.locator(".st-key-reading_path").count() == 0


def test_back_to_compare_reopens_the_visitors_choices(server, watched):
    page = watched.page
    page.goto(f"{server}/compare?audience=trainee")
    wait_for_app(page)
    page.get_by_role("radiogroup", name="Kind of pain").get_by_text(CRPS, exact=True).click()
    wait_for_app(page)
    page.wait_for_url("**pain=crps**")
    path_link(page, "Next").click()  # on to Evidence
    page.wait_for_url("**/evidence?audience=trainee")
    wait_for_app(page)
    back = path_link(page, "Back")
    assert "pain=crps" in back.get_attribute("href") and "audience=trainee" in back.get_attribute("href")
    back.click()
    page.wait_for_url("**/compare?**pain=crps**")
    wait_for_app(page)
    assert page.get_by_role("radio", name=CRPS).is_checked()


# --- 3. a title per page --------------------------------------------------------------------


def test_each_tab_is_titled_after_its_page(server, watched):
    page = watched.page
    page.goto(f"{server}/compare")
    wait_for_app(page)
    page.wait_for_function(f"() => document.title === 'Compare options · {SITE_TITLE}'", timeout=5000)
    page.locator(f"{MENU} a", has_text="Prepare for your visit").click()
    wait_for_app(page)
    page.wait_for_function(f"() => document.title === 'Prepare for your visit · {SITE_TITLE}'", timeout=5000)
    page.locator(f"{MENU} a", has_text="Home").click()
    wait_for_app(page)
    page.wait_for_function(f"() => document.title === '{SITE_TITLE}'", timeout=5000)
    page.go_back()  # the history entry opens its page, under its own title
    wait_for_app(page)
    page.wait_for_function(f"() => document.title === 'Prepare for your visit · {SITE_TITLE}'", timeout=5000)


# --- 9. embeds keep "For clinics" for the clinic ----------------------------------------------


def menu_titles(page) -> list[str]:
    return [label.strip().splitlines()[-1] for label in page.locator(f"{MENU} a").all_inner_texts()]


def test_an_embed_leaves_for_clinics_out_of_the_menu(server, browser):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    try:
        page.goto(f"{server}/?embed=true")
        wait_for_app(page)
        shown = menu_titles(page)
        assert "Compare" in shown and "For clinics" not in shown
        assert page.locator('[data-testid="stException"]').count() == 0
        # The reading path works inside an embed too, and stays embedded.
        path_link(page, "Next").click()
        page.wait_for_url("**/mechanisms?**")
        wait_for_app(page)
        assert "embed=true" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "embed=true" in page.locator("a.citation-card-entry").first.get_attribute("href")
        page.goto(f"{server}/?embed=true&pages=home,compare,clinics")  # the clinic chose it for this embed
        wait_for_app(page)
        assert menu_titles(page) == ["Home", "Compare", "Sources", "For clinics"]
        page.goto(f"{server}/")  # the site itself keeps it
        wait_for_app(page)
        assert "For clinics" in menu_titles(page)
    finally:
        context.close()


@pytest.fixture(scope="module")
def listing_clinic(tmp_path_factory) -> Iterator[str]:
    """The site with a profile whose pages list "For clinics"."""
    profile = tmp_path_factory.mktemp("listing") / "clinic.toml"
    profile.write_text('pages = ["home", "compare", "clinics"]\n', encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    process, url = start_server({"EXPLAINER_CLINIC": str(profile)})
    yield url
    stop_server(process)


def test_an_embed_shows_for_clinics_when_the_profile_lists_it(listing_clinic, browser):
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    try:
        page.goto(f"{listing_clinic}/?embed=true")
        wait_for_app(page)
        assert "For clinics" in menu_titles(page)
    finally:
        context.close()


@pytest.mark.parametrize("encoding", ["identity", "gzip"])
def test_a_shared_link_names_its_page_before_any_script_runs(server, encoding):
    """A link preview reads the page as served, without running it: the served title names the page."""

    def served_title(path: str) -> str:
        request = urllib.request.Request(f"{server}/{path}", headers={"Accept-Encoding": encoding})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
            if answer.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
        return body.decode().split("<title>", 1)[1].split("</title>", 1)[0]

    assert served_title("compare?audience=trainee") == f"Compare options · {SITE_TITLE}".replace("&", "&amp;")
    assert served_title("consult") == f"Prepare for your visit · {SITE_TITLE}".replace("&", "&amp;")
    assert served_title("") == SITE_TITLE.replace("&", "&amp;")
