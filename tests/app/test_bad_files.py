"""A broken data or content file stops the site with a short message, not a traceback."""

from __future__ import annotations

import csv
import shutil

import pytest

from tests.app.conftest import open_page
from tests.conftest import FIXTURES, ROOT, replace_in


@pytest.fixture
def broken_site(tmp_path, monkeypatch):
    data = tmp_path / "data"
    content = tmp_path / "content"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ROOT / "content", content)
    monkeypatch.setenv("EXPLAINER_DATA_DIR", str(data))
    monkeypatch.setenv("EXPLAINER_CONTENT_DIR", str(content))
    return data, content


def _message(at) -> str:
    assert not at.exception, "a traceback reached the page"
    assert at.error, "no error message was shown"
    return at.error[0].value


def test_missing_references_column(broken_site):
    data, _ = broken_site
    replace_in(data / "references.csv", "id,authors", "ident,authors")
    message = _message(open_page("pages/home.py"))
    assert "references.csv" in message and "row 1" in message and "id" in message


def test_bad_year_in_references(broken_site):
    data, _ = broken_site
    path = data / "references.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[1][rows[0].index("year")] = "20x5"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    message = _message(open_page("pages/home.py"))
    assert "row 2" in message and "column 'year'" in message and "20x5" in message


def test_unknown_citation_in_content(broken_site):
    _, content = broken_site
    replace_in(content / "about" / "about.md", "[@rooney2021]", "[@nosuchsource1999]")
    message = _message(open_page("pages/about.py"))
    assert "about.md" in message and "line" in message and "nosuchsource1999" in message


def test_bad_front_matter(broken_site):
    _, content = broken_site
    replace_in(content / "about" / "about.md", 'audience = "all"', 'audience = "everyone"')
    message = _message(open_page("pages/about.py"))
    assert "about.md, line 3" in message and "audience" in message


def test_missing_data_file(broken_site):
    data, _ = broken_site
    (data / "options.csv").unlink()
    message = _message(open_page("pages/home.py"))
    assert "options.csv" in message and "missing" in message


def test_fixture_folder_is_separate():
    assert FIXTURES.is_dir()
