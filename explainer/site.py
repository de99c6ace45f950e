"""The site's map: which pages exist, their titles, sections and files.

One list drives the navigation, the clinic page chooser and the tests, so a page is added in
one place.
"""

from __future__ import annotations

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

    @property
    def url_path(self) -> str:
        return "" if self.id == "home" else self.id


PAGES: tuple[PageSpec, ...] = (
    PageSpec("home", "Home", ":material/home:", "Start here", "pages/home.py"),
    PageSpec("mechanisms", "How they work", ":material/neurology:", "Understand", "pages/mechanisms.py"),
    PageSpec("compare", "Compare", ":material/compare_arrows:", "Understand", "pages/compare.py"),
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


def sections(pages: tuple[PageSpec, ...] | list[PageSpec] = PAGES) -> dict[str, list[PageSpec]]:
    """Group pages by navigation section, keeping the order of first appearance."""
    grouped: dict[str, list[PageSpec]] = {}
    for page in pages:
        grouped.setdefault(page.section, []).append(page)
    return grouped


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
