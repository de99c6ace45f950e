"""Plotly figures that are finished when built and then only drawn.

The pages cache their figures (``st.cache_resource``) and draw the same object on every rerun,
for every visitor. ``st.plotly_chart`` calls ``Figure.to_dict()`` on each draw, which deep-copies
the whole figure and re-encodes its arrays: about a third of a Compare rerun (benchmarks/README.md).
A :class:`SharedFigure` makes that dict once and hands the same one out after that.

The contract, kept by every builder in ``explainer/``: finish the figure before anything draws or
serializes it, and never change it afterwards. Readers must not change the dict either.
"""

from __future__ import annotations

import plotly.graph_objects as go


class SharedFigure(go.Figure):
    """A ``go.Figure`` whose ``to_dict()`` is computed once (see the module docstring)."""

    def to_dict(self) -> dict:
        cached = self.__dict__.get("_shared_dict")
        if cached is None:
            cached = super().to_dict()
            self.__dict__["_shared_dict"] = cached
        return cached
