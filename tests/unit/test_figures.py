"""Shared figures: serialized once, and every chart builder returns one."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from explainer import evidence
from explainer import mechanisms as mech
from explainer.figures import SharedFigure
from tests.conftest import ROOT

OPTIONS = ["ketamine_iv", "strong_opioids", "gabapentin", "tca"]
RANKING = pd.DataFrame({"rank": [1], "option_id": ["a"], "option": ["A"], "score": [0.9], "arithmetic": [""], "unknown": [""]})


def test_to_dict_is_made_once_and_matches_a_plain_figure():
    figure = SharedFigure(go.Bar(x=[1, 2], y=[3, 4]))
    figure.update_layout(title_text="t")
    first = figure.to_dict()
    assert figure.to_dict() is first  # the same dict on every draw, no deep copy
    assert first == go.Figure(figure).to_dict()
    # what st.plotly_chart sends: the same spec as for a plain figure
    assert json.loads(pio.to_json(figure.to_dict(), validate=False)) == json.loads(pio.to_json(go.Figure(figure).to_dict(), validate=False))
    assert json.loads(figure.to_json()) == json.loads(go.Figure(figure).to_json())


def test_every_chart_builder_returns_a_shared_figure():
    """The one Plotly chart left (the pathway diagram, which a selection makes interactive); the others are HTML."""
    dataset = evidence.load_dataset(ROOT / "data")
    mechanisms = mech.load_mechanisms(ROOT / "data", dataset)
    figures = [mech.pathway_view(dataset, mechanisms, "ketamine_iv").figure]
    assert all(isinstance(figure, SharedFigure) for figure in figures), [type(f).__name__ for f in figures]
