"""The Sources list: grouping and the filter."""

from __future__ import annotations

from explainer import evidence, sources
from tests.conftest import ROOT


def test_the_library_reads_only_the_start_of_a_filter():
    """Whatever it is given, the filter reads MAX_FILTER_CHARS characters: here all spaces, so all match."""
    refs = evidence.load_references(ROOT / "data")
    everything = sum(len(members) for _, members in sources.grouped_references(refs, ""))
    padded = " " * sources.MAX_FILTER_CHARS + "zzz"
    assert sum(len(members) for _, members in sources.grouped_references(refs, padded)) == everything
    assert sources.grouped_references(refs, "zzz") == []
