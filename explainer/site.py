"""The site's map: which pages exist, their titles, sections and files.

One list drives the navigation, the clinic page chooser and the tests, so a page is added in
one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

AUDIENCES = ("patient", "trainee")
AUDIENCE_LABELS = {"patient": "Patient", "trainee": "Trainee"}
DEFAULT_AUDIENCE = "patient"


@dataclass(frozen=True)
class PageSpec:
    id: str
    title: str
    icon: str
    section: str
    file: str
    heading: str = ""  # the page's own title (its h1) where the menu uses a shorter word

    @property
    def url_path(self) -> str:
        return "" if self.id == "home" else self.id

    @property
    def full_title(self) -> str:
        """What the page calls itself: its heading, else its menu title."""
        return self.heading or self.title


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "Home", ":material/home:", "Start here", "pages/home.py"),
    PageSpec("mechanisms", "How they work", ":material/neurology:", "Understand", "pages/mechanisms.py"),
    PageSpec("compare", "Compare", ":material/compare_arrows:", "Understand", "pages/compare.py", "Compare options"),
    PageSpec("vignette", "Patient story", ":material/person:", "Understand", "pages/vignette.py"),
    PageSpec("evidence", "Evidence", ":material/science:", "Understand", "pages/evidence.py"),
    PageSpec("consult", "Prepare for your visit", ":material/checklist:", "Prepare", "pages/consult.py"),
    PageSpec("glossary", "Glossary", ":material/menu_book:", "Prepare", "pages/glossary.py"),
    PageSpec("sources", "Sources", ":material/library_books:", "About this site", "pages/sources.py"),
    PageSpec("about", "About", ":material/info:", "About this site", "pages/about.py"),
    PageSpec("clinics", "For clinics", ":material/local_hospital:", "About this site", "pages/clinics.py"),
)

PAGE_IDS = tuple(p.id for p in PAGES)
PAGES_BY_ID = {p.id: p for p in PAGES}

SITE_TITLE = "Ketamine & Chronic Pain Explainer"
TITLE_SEPARATOR = " · "

# The pages a reader walks through, in order, for each reading level. Each page on its level's
# path ends with links Back and Next along it (streamlit_app.py); the other pages show none.
READING_PATHS: dict[str, tuple[str, ...]] = {
    "patient": ("home", "mechanisms", "compare", "vignette", "consult"),
    "trainee": ("home", "mechanisms", "compare", "evidence", "vignette", "consult", "glossary"),
}


def sections(pages: tuple[PageSpec, ...] | list[PageSpec] = PAGES) -> dict[str, list[PageSpec]]:
    """Group pages by navigation section, keeping the order of first appearance."""
    grouped: dict[str, list[PageSpec]] = {}
    for page in pages:
        grouped.setdefault(page.section, []).append(page)
    return grouped


def document_title(page_id: str | None) -> str:
    """The browser tab's (and history entry's) title: "Compare options · Ketamine & Chronic Pain Explainer".

    Home's own heading is the site's name, so its title is the name alone; an unknown page gets it too.
    """
    page = PAGES_BY_ID.get(page_id or "")
    if page is None or page.id == "home":
        return SITE_TITLE
    return page.full_title + TITLE_SEPARATOR + SITE_TITLE


def path_neighbours(page_id: str, audience: str, shown_pages: Iterable[str]) -> tuple[str | None, str | None]:
    """(Back, Next) page ids around ``page_id`` on the reading path of ``audience``; None where there is none.

    Pages missing from the visitor's menu (a clinic's profile or an embed's ?pages= left them out) are
    skipped, so the path never leads to a page the menu hides. A page off the path has neither; a page
    on the path stays on it even when its menu hides it (it was reached by a link in the text).
    """
    path = READING_PATHS.get(audience, READING_PATHS[DEFAULT_AUDIENCE])
    if page_id not in path:
        return None, None
    shown = set(shown_pages)
    walk = [step for step in path if step in shown or step == page_id]
    place = walk.index(page_id)
    back = walk[place - 1] if place > 0 else None
    after = walk[place + 1] if place + 1 < len(walk) else None
    return back, after


def parse_audience(raw: str | None) -> tuple[str, str | None]:
    """Return (audience, notice). A missing value is the default; a bad one gets a notice."""
    if raw is None or raw == "":
        return DEFAULT_AUDIENCE, None
    value = str(raw).strip().lower()
    if value in AUDIENCES:
        return value, None
    return DEFAULT_AUDIENCE, (
        "The link asked for an audience level we do not know, so the page shows the "
        "Patient level. Choose Trainee in the sidebar for more detail."
    )
