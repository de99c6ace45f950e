"""The server runs without pyarrow (explainer/__init__.py); these tests keep that safe."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Streamlit elements that serialize their data through Arrow.
ARROW_ELEMENTS = {
    "dataframe",
    "table",
    "data_editor",
    "line_chart",
    "bar_chart",
    "area_chart",
    "scatter_chart",
    "map",
    "vega_lite_chart",
    "altair_chart",
    "add_rows",
}


def site_sources() -> list[Path]:
    return [
        ROOT / "streamlit_app.py",
        ROOT / "serve.py",
        *sorted((ROOT / "pages").glob("*.py")),
        *sorted((ROOT / "explainer").glob("*.py")),
    ]


def arrow_calls(source: str) -> list[str]:
    """Calls such as st.dataframe(...) in a module's source.

    Calls on a container (col.dataframe) are not seen here; the AppTest suite catches those at
    run time, because the test process refuses pyarrow as the server does (tests/conftest.py).
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        func = node.func if isinstance(node, ast.Call) else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "st" and func.attr in ARROW_ELEMENTS:
            found.append(f"line {node.lineno}: st.{func.attr}(...)")
    return found


def test_the_finder_sees_arrow_elements():
    assert arrow_calls("import streamlit as st\nst.dataframe(df)\nui.table(df)\nst.line_chart(df)\nst.plotly_chart(fig)\n") == [
        "line 2: st.dataframe(...)",
        "line 4: st.line_chart(...)",
    ]


def test_no_page_draws_an_arrow_element():
    offenders = {str(path.relative_to(ROOT)): calls for path in site_sources() if (calls := arrow_calls(path.read_text(encoding="utf-8")))}
    assert offenders == {}, "these need pyarrow, which the server does not load; use explainer.ui.table or Plotly"


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_pandas_loads_without_arrow_once_explainer_is_imported():
    result = run_python(
        "import sys, explainer, pandas as pd\n"
        "frame = pd.DataFrame({'name': ['ketamine', 'opioid']})\n"
        "print('pyarrow' in sys.modules, frame['name'].str.upper().tolist())\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['KETAMINE', 'OPIOID']"


def test_importing_arrow_says_why_it_is_missing():
    result = run_python("import explainer\nimport pyarrow\n")
    assert result.returncode != 0
    assert "ModuleNotFoundError: pyarrow is kept out of the explainer process" in result.stderr
    assert "explainer/__init__.py" in result.stderr


def test_the_server_entry_point_installs_the_finder_before_pandas_loads():
    """serve.py imports the package (which installs the finder) and nothing that imports pandas first."""
    result = run_python(
        "import sys\nimport serve\n"
        "print('pyarrow' in sys.modules, 'pandas' in sys.modules, any(type(f).__name__ == '_WithoutArrow' for f in sys.meta_path))\n"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False False True"
