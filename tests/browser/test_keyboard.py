"""The main flows with a keyboard only: Tab, Shift+Tab, Enter, Space and the arrow keys.

A person who cannot use a mouse must be able to change the reading level, compare two options
(and open and use the priorities exercise), walk a patient story to its decision and download a visit summary. Every step here moves focus
with Tab and acts with Enter, Space or an arrow key; nothing is clicked.
"""

from __future__ import annotations

from tests.browser.conftest import wait_for_app

TAB_LIMIT = 400


def tab_to(page, condition: str, description: str) -> None:
    """Press Tab until the focused element meets a JavaScript condition on ``e``."""
    check = f"() => {{ const e = document.activeElement; return !!e && e !== document.body && ({condition}); }}"
    for _ in range(TAB_LIMIT):
        if page.evaluate(check):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {description}")


def arrow_to(page, condition: str, description: str, key: str = "ArrowRight") -> None:
    """Inside a group that Tab enters once (radios, option pills), move with the arrow keys."""
    check = f"() => {{ const e = document.activeElement; return !!e && ({condition}); }}"
    for _ in range(30):
        if page.evaluate(check):
            return
        page.keyboard.press(key)
    raise AssertionError(f"the arrow keys never reached {description}")


def press(page, key: str) -> None:
    page.keyboard.press(key)
    page.wait_for_timeout(150)  # let Streamlit start the rerun before we wait for it to finish
    wait_for_app(page)


def go_to(page, title: str) -> None:
    tab_to(
        page, f"e.tagName === 'A' && e.closest('.st-key-site_nav') && e.textContent.trim().endsWith({title!r})", f"the menu link {title}"
    )
    press(page, "Enter")
    page.locator("h1").first.wait_for()


def test_main_flows_with_the_keyboard_only(server, watched):
    page = watched.page
    page.goto(f"{server}/")
    wait_for_app(page)

    # 1. Reading level: the radio group moves with the arrow keys.
    tab_to(page, "e.type === 'radio' && e.closest('[data-testid=\"stSidebar\"]')", "the reading-level control")
    press(page, "ArrowDown")
    page.wait_for_function("() => location.search.includes('audience=trainee')")

    # 2. Compare two options: empty the list, then switch two options on with Space.
    go_to(page, "Compare")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('Clear the list')", "the Clear the list button")
    press(page, "Enter")
    # The options are one group: Tab enters it, the arrow keys move between options, Space toggles.
    tab_to(
        page,
        "e.tagName === 'BUTTON' && e.closest('.st-key-cmp_options') && e.textContent.trim() === 'Ketamine drip'",
        "the Ketamine drip option",
    )
    press(page, "Space")
    arrow_to(page, "e.closest('.st-key-cmp_options') && e.textContent.trim() === 'Duloxetine'", "the Duloxetine option")
    press(page, "Space")
    page.wait_for_function("() => (new URLSearchParams(location.search).get('options') || '').split(',').length === 2")
    page.wait_for_function("() => !document.querySelector('.xc-timeline').innerText.includes('Amitriptyline')")
    assert "Duloxetine" in page.locator(".xc-timeline").inner_text() and page.locator(".xc-forest").count() == 1
    assert "audience=trainee" in page.url
    # The priorities exercise opens with Enter on its heading; its sliders move with the arrow keys.
    tab_to(page, "e.tagName === 'SUMMARY' && e.closest('.st-key-cmp_values_open')", "the priorities exercise")
    press(page, "Enter")
    tab_to(page, "e.type === 'range' && e.closest('.st-key-cmp_w_speed')", "the Fast relief slider")
    press(page, "ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('weights') === '6,5,5,5,5'")

    # 3. The patient story, step by step with Next, to the decision (every choice side by side); Next
    # moves focus to the new step's heading, and Tab goes on from there.
    go_to(page, "Patient story")
    for _ in range(12):
        if page.locator('[class*="st-key-vcard_"]').count():
            break
        tab_to(page, "e.tagName === 'BUTTON' && e.textContent.trim().endsWith('Next')", "the Next button")
        press(page, "Enter")
    else:
        raise AssertionError("the story never reached its decision step")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.includes('See what happens')", "the See what happens button")
    step_before = page.url
    press(page, "Enter")
    page.wait_for_function("before => location.href !== before", arg=step_before)

    # 4. Prepare for your visit: download the summary.
    go_to(page, "Prepare for your visit")
    tab_to(page, "e.tagName === 'BUTTON' && e.closest('[data-testid=\"stDownloadButton\"]')", "a download button")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    assert download.suggested_filename.endswith((".html", ".txt"))
    assert download.path().read_text(encoding="utf-8").strip()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not watched.errors, watched.errors
