"""Shared test helpers: project paths and a copy-and-break helper for data fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import explainer  # noqa: F401  (first, so pandas loads without pyarrow here as in the server)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture
def fixture_data(tmp_path: Path) -> Path:
    """A writable copy of the small valid fixture data set."""
    target = tmp_path / "data"
    shutil.copytree(FIXTURES / "data", target)
    return target


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a fixture file; fail loudly if the text to break is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
