"""Library behind the Ketamine & Chronic Pain Explainer.

Everything here is plain Python with no Streamlit import (except ``ui.py``), so it can be
unit-tested and reused. Pages call these functions; they never parse files themselves.
"""

import importlib.abc
import os
import sys
from pathlib import Path


class _WithoutArrow(importlib.abc.MetaPathFinder):
    """Refuse to import pyarrow, so pandas runs on its pure-Python string storage.

    pandas 3 imports pyarrow whenever it is installed (Streamlit installs it), which costs the
    server about 40 MB of resident memory (benchmarks/README.md). Only Streamlit's data-grid
    elements need Arrow (st.dataframe, st.table, st.data_editor and the st.*_chart family), and
    the site draws none of them: tables are HTML from explainer.tables and charts are Plotly. A
    test keeps it that way; a page that calls one of those fails with the message below.
    """

    def find_spec(self, name, path=None, target=None):  # noqa: ARG002  (the finder protocol)
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ModuleNotFoundError(
                f"{name} is kept out of the explainer process to save memory (see explainer/__init__.py); "
                "draw tables with explainer.ui.table and charts with Plotly",
                name=name,
            )
        return None


# Only effective before pandas is first imported; the server imports this package first (serve.py).
if "pyarrow" not in sys.modules and not any(isinstance(finder, _WithoutArrow) for finder in sys.meta_path):
    sys.meta_path.insert(0, _WithoutArrow())

ROOT = Path(__file__).resolve().parent.parent
# Tests point these at fixtures to prove that a broken file stops the site with a clear message.
DATA_DIR = Path(os.environ.get("EXPLAINER_DATA_DIR", ROOT / "data"))
CONTENT_DIR = Path(os.environ.get("EXPLAINER_CONTENT_DIR", ROOT / "content"))


def data_dir() -> Path:
    """The data folder, read from the environment at call time (tests switch it per test)."""
    return Path(os.environ.get("EXPLAINER_DATA_DIR", ROOT / "data"))


def content_dir() -> Path:
    return Path(os.environ.get("EXPLAINER_CONTENT_DIR", ROOT / "content"))
