"""Library behind the Ketamine & Chronic Pain Explainer.

Everything here is plain Python with no Streamlit import (except ``ui.py``), so it can be
unit-tested and reused. Pages call these functions; they never parse files themselves.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Tests point these at fixtures to prove that a broken file stops the site with a clear message.
DATA_DIR = Path(os.environ.get("EXPLAINER_DATA_DIR", ROOT / "data"))
CONTENT_DIR = Path(os.environ.get("EXPLAINER_CONTENT_DIR", ROOT / "content"))


def data_dir() -> Path:
    """The data folder, read from the environment at call time (tests switch it per test)."""
    return Path(os.environ.get("EXPLAINER_DATA_DIR", ROOT / "data"))


def content_dir() -> Path:
    return Path(os.environ.get("EXPLAINER_CONTENT_DIR", ROOT / "content"))
