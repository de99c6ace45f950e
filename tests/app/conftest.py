"""AppTest helpers: run the real entry point on a chosen page and audience."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from explainer.site import AUDIENCES, PAGES
from tests.conftest import ROOT

ENTRY = str(ROOT / "streamlit_app.py")

# AppTest resets PagesManager.uses_pages_directory to None before each run, and a new
# PagesManager then sees our pages/ folder and switches to the old (v1) multipage mode, which
# runs the page file alone, without the entry point's sidebar and footer. The real server never
# does this because st.navigation sets the flag to False. Mirror the server here.
_original_init = PagesManager.__init__


def _init_as_navigation_app(self, *args, **kwargs):
    if PagesManager.uses_pages_directory is None:
        PagesManager.uses_pages_directory = False
    _original_init(self, *args, **kwargs)


PagesManager.__init__ = _init_as_navigation_app


def open_page(page_file: str, audience: str = "patient", timeout: float = 60, **params: str) -> AppTest:
    """Run ``streamlit_app.py`` with ``page_file`` selected and the given query parameters."""
    at = AppTest.from_file(ENTRY, default_timeout=timeout)
    if audience != "patient":
        at.query_params["audience"] = audience
    for name, value in params.items():
        at.query_params[name] = value
    at.run()  # first run: bound widgets read the URL, st.navigation registers the pages
    if page_file != "pages/home.py":
        at.switch_page(page_file)
        at.run()
    return at


def assert_clean(at: AppTest) -> None:
    """No exception element and no error box on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.fixture(params=AUDIENCES)
def audience(request) -> str:
    return request.param


PAGE_FILES = [p.file for p in PAGES]
