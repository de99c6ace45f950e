"""Print how much resident memory (RSS) each library adds when a fresh Python imports it.

Explains the floor under the server's idle RSS (`server_memory.py`, target ≤ 150 MB): the figures
are the growth at each step of one fresh interpreter, in the order the site loads them. The
explainer package keeps pyarrow out (explainer/__init__.py); the last line shows what that saves.
Run with `make bench`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each step is code run in the same fresh interpreter; the RSS after it is printed.
STEPS = (
    ("Python itself", "pass"),
    ("streamlit", "import streamlit"),
    ("explainer (refuses pyarrow from here on)", "import explainer"),
    ("pandas (with numpy, without pyarrow)", "import pandas"),
    ("plotly figures and JSON", "import plotly.graph_objects as go, plotly.io as pio; pio.to_json(go.Figure(go.Bar(x=[1], y=[2])))"),
    ("markdown-it-py and plugins", "import markdown_it, mdit_py_plugins.footnote"),
    ("explainer package", "import explainer.charts, explainer.compare, explainer.consult, explainer.mechanisms, explainer.vignette"),
    ("data/ loaded and validated", "from explainer import evidence, data_dir; evidence.load_dataset(data_dir())"),
)

CHILD = """
import sys
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS:'):
            return int(line.split()[1]) / 1024
for code in sys.stdin.read().split('\\x00'):
    exec(code)
    print(rss(), flush=True)
"""


def main() -> None:
    payload = "\x00".join(code for _, code in STEPS)
    out = subprocess.run([sys.executable, "-c", CHILD], input=payload, capture_output=True, text=True, cwd=ROOT, check=True)
    figures = [float(line) for line in out.stdout.split()]
    print(f"{'step':<52}{'adds MB':>9}{'RSS MB':>9}")
    previous = 0.0
    for (name, _), figure in zip(STEPS, figures, strict=True):
        print(f"{name:<52}{figure - previous:>9.1f}{figure:>9.1f}")
        previous = figure
    print("\nThe server adds its own threads, sessions and caches on top of the last line.")
    arrow = subprocess.run(
        [sys.executable, "-c", CHILD], input="import numpy\x00import pyarrow", capture_output=True, text=True, cwd=ROOT, check=True
    )
    with_numpy, with_arrow = (float(line) for line in arrow.stdout.split())
    print(f"pyarrow, which the site does not load, would add {with_arrow - with_numpy:.1f} MB on top of numpy.")


if __name__ == "__main__":
    main()
