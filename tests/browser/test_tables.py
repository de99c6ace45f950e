"""Tables on a 390-px phone: each fits its frame as cards (or scrolls with a cue and a fixed first column), no row looks empty.

Every table drawn in the page's main column is checked once every expander (and the values
exercise) is open, on Compare in both reading levels and on Evidence in each of its table views.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from explainer import evidence_view, tables
from tests.browser.conftest import run_axe, wait_for_app
from tests.browser.test_compare import PHONE

# What each table in the main column looks like on the screen, measured in the browser.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const seen = e => e.checkVisibility() && e.getBoundingClientRect().width > 2 && e.getBoundingClientRect().height > 2;
  return [...document.querySelectorAll('[data-testid="stMain"] table')].map(table => {
    const frame = table.closest('[role="region"]') || table.parentElement;
    const box = frame.getBoundingClientRect();
    const left = Math.max(0, box.left), right = Math.min(width, box.right);
    const cue = [...frame.parentElement.querySelectorAll('*')].some(
      e => !e.children.length && /scroll sideways/i.test(e.textContent) && seen(e));
    const body = table.tBodies.length ? [...table.tBodies[0].rows] : [...table.rows].slice(1);
    const rows = body.filter(row => row.checkVisibility()).map(row => {
      const first = row.cells[0], place = first.getBoundingClientRect();
      // The row's text that is on screen: text boxes inside the frame's visible part.
      let shown = "";
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        if ([...range.getClientRects()].some(r => r.width > 2 && r.right > left && r.left < right)) shown += node.textContent;
      }
      return {
        name: first.innerText.trim().slice(0, 40),
        first_visible: seen(first) && place.left >= left - 1 && place.right <= right + 1,
        shown: shown.trim(),
        wordless: [...row.cells].filter(cell => !/[\\p{L}\\p{N}]/u.test(cell.innerText))
          .map(cell => cell.dataset.label || String(cell.cellIndex)),
      };
    });
    return {
      label: frame.getAttribute('aria-label') || '(a table without a label)',
      fits: frame.scrollWidth <= frame.clientWidth + 1,
      cue,
      sticky: body.length > 0 && getComputedStyle(body[0].cells[0]).position === 'sticky',
      rows,
    };
  });
}"""


def open_every_expander(page) -> None:
    """Open each closed expander in the main column (opening the values exercise draws two more)."""
    for _ in range(20):
        closed = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details:not([open]) > summary')
        if not closed.count():
            return
        closed.first.scroll_into_view_if_needed()
        closed.first.click()
        wait_for_app(page)
    raise AssertionError("expanders kept appearing")


def problems(page) -> tuple[list[str], int]:
    """What is wrong with the tables on screen (one line each), and how many tables there are."""
    found = []
    measured = page.evaluate(MEASURE)
    for table in measured:
        label = table["label"]
        if not table["fits"] and not (table["cue"] and table["sticky"]):
            found.append(f"{label}: wider than its frame, with no scroll cue and a fixed first column")
        for row in table["rows"]:
            if not row["first_visible"]:
                found.append(f"{label}: the first cell of row {row['name']!r} is off-screen")
            if not row["shown"]:
                found.append(f"{label}: row {row['name']!r} shows no text on screen")
            if row["wordless"]:
                found.append(f"{label}: row {row['name']!r} has cells without words: {row['wordless']}")
    return found, len(measured)


def check_the_page(page, width: int = 390) -> int:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    found, count = problems(page)
    assert not found, "\n".join(found[:25]) + (f"\n... and {len(found) - 25} more" if len(found) > 25 else "")
    return count


def check_the_cards(page) -> None:
    """Each card table keeps its table roles and labels after Streamlit's sanitiser, heading first."""
    cards = page.locator('[data-testid="stMain"] div.tb-cards[role="region"]')
    assert cards.count() > 0
    for index in range(cards.count()):
        region = cards.nth(index)
        columns = region.get_by_role("columnheader").all_inner_texts()  # hidden on screen, kept for screen readers
        assert len(columns) >= 3 and region.get_by_role("row").count() >= 2
        layout = region.evaluate(
            """region => {
              const table = region.querySelector('table[role="table"]');
              const row = table.tBodies[0].rows[0];
              const [first, second] = row.cells;
              return {
                labels: [...table.tBodies[0].rows].every(r => [...r.cells].every(
                  (cell, i) => cell.dataset.label === table.tHead.rows[0].cells[i].textContent)),
                roles: [...table.tBodies[0].rows].every(r => r.getAttribute('role') === 'row'
                  && [...r.cells].every(c => ['cell', 'rowheader'].includes(c.getAttribute('role')))),
                stacked: second.getBoundingClientRect().top >= first.getBoundingClientRect().bottom - 1,
                heading: parseInt(getComputedStyle(first).fontWeight) >= 600,
                named: getComputedStyle(second, '::before').content.includes(second.dataset.label)
                  || getComputedStyle(second, '::before').content.includes('data-label'),
                header_row_hidden: table.tHead.getBoundingClientRect().height <= 1,
              };
            }"""
        )
        assert layout == dict.fromkeys(layout, True), (region.get_attribute("aria-label"), layout)


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box ``label`` (a tap can land while the list is still opening: try again)."""
    for _ in range(3):
        box = page.get_by_role("combobox", name=label)
        box.scroll_into_view_if_needed()
        box.click()
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(timeout=5_000)
        except PlaywrightTimeout:  # the list did not open
            page.keyboard.press("Escape")
            continue
        choice.click()
        wait_for_app(page)
        return
    raise AssertionError(f"could not choose {option!r} in {label!r}")


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("audience", ["patient", "trainee"])
def test_every_compare_table_fits_a_phone_with_no_empty_row(server, phone, audience):
    phone.goto(f"{server}/compare?audience={audience}")
    wait_for_app(phone)
    open_every_expander(phone)
    assert phone.get_by_role("region", name="Weighted ranking").count() == 1  # the exercise's tables are drawn
    assert check_the_page(phone) >= 8  # the grid, its table, three chart tables, logistics, scores, ranking
    check_the_cards(phone)
    logistics = phone.get_by_role("region", name="Where it happens and what is checked")
    card = logistics.get_by_role("row").filter(has_text="Ketamine drip")
    assert card.get_by_role("rowheader").inner_text() == "Ketamine drip"
    assert card.get_by_role("cell").first.evaluate("e => e.dataset.label") == "Where"


def test_every_evidence_table_fits_a_phone_with_no_empty_row(server, phone):
    phone.goto(f"{server}/evidence")
    wait_for_app(phone)
    for view in evidence_view.VIEWS.values():
        region = phone.get_by_role("region", name=f"Data table: {view}")
        if not region.count():
            choose(phone, "Table", view)
        region.wait_for()
        assert check_the_page(phone) >= 1, view
        check_the_cards(phone)
        if view == evidence_view.VIEWS["efficacy"]:  # its Studies and Participants are often blank
            blank = region.get_by_role("cell").filter(has_text=tables.MISSING_WORDS).first
            assert blank.get_by_text(tables.MISSING_WORDS).is_visible() and not blank.get_by_text(tables.MISSING).is_visible()


def test_a_narrow_embed_beside_the_sidebar_gets_cards_too(server, browser):
    # The cards follow the width of the table's own frame (a container query), not the window's.
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    try:
        page.goto(f"{server}/compare?embed=true")
        wait_for_app(page)
        region = page.get_by_role("region", name="Where it happens and what is checked")
        assert region.evaluate("e => e.clientWidth") < 640
        assert region.evaluate("e => getComputedStyle(e.querySelector('tbody tr')).display") == "block"
        check_the_page(page, 800)
    finally:
        context.close()


def test_the_tables_look_unchanged_on_a_desktop(server, watched):
    page = watched.page
    page.goto(f"{server}/evidence")
    wait_for_app(page)
    region = page.get_by_role("region", name=f"Data table: {evidence_view.VIEWS['efficacy']}")
    look = region.evaluate(
        """region => {
          const table = region.querySelector('table');
          const blank = region.querySelector('td .tb-missing');
          return {
            table: getComputedStyle(table).display, row: getComputedStyle(table.tBodies[0].rows[0]).display,
            header: table.tHead.getBoundingClientRect().height > 10,
            dash: blank.previousElementSibling.checkVisibility(), words: blank.getBoundingClientRect().width <= 1,
          };
        }"""
    )
    assert look == {"table": "table", "row": "table-row", "header": True, "dash": True, "words": True}


AXE_CASES = [("compare", "patient", "light"), ("compare", "trainee", "light"), ("evidence", "patient", "light")]
AXE_CASES += [("compare", "patient", "dark"), ("evidence", "patient", "dark")]


@pytest.mark.parametrize(("path", "audience", "scheme"), AXE_CASES, ids=["-".join(case) for case in AXE_CASES])
def test_the_tables_pages_pass_axe_on_a_phone(server, browser, path, audience, scheme):
    context = browser.new_context(**PHONE, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{server}/{path}?audience={audience}")
        wait_for_app(page)
        open_every_expander(page)
        page.wait_for_timeout(300)
        violations = run_axe(page)
        assert not violations, violations
    finally:
        context.close()
