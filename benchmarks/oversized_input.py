"""Print what an oversized free-text value costs the server, next to a normal one (issue 25).

Each box has max_chars, and Streamlit cuts a longer value on the server too; the library functions
the boxes feed read only a bounded start of what they are given (explainer.glossary.search_words,
explainer.sources.grouped_references, explainer.consult.clean_question). Here a value of 200,000
words is sent as a crafted WebSocket message would send it (AppTest's set_value, past the box's own
limit), and the page's run time is printed next to a run with a normal query. Before the caps,
a 50,000-word glossary search cost 7.6 s of CPU and a 200,000-word one 27.6 s.
For reference, the search is also timed without its cap (one pass per word, as it was).

Nothing is asserted: read the ratio from the printout. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from explainer import consult, evidence, glossary, sources
from tests.app.conftest import open_page
from tests.conftest import ROOT

RUNS = 7
HUGE = "pain " * 200_000  # a million characters


def _page_ms(page: str, key: str | None, value: str) -> float:
    at = open_page(page)
    box = at.text_input(key=key) if key else at.text_input[0]
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        box.set_value(value).run()
        samples.append((time.perf_counter() - started) * 1000)
        box = at.text_input(key=key) if key else at.text_input[0]
        box.set_value("").run()
        box = at.text_input(key=key) if key else at.text_input[0]
    assert not at.exception
    return statistics.median(samples)


def _ms(work, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def _uncapped_search(terms: pd.DataFrame, query: str) -> pd.DataFrame:
    """The search as it was: one pass over the glossary for every word of the query."""
    haystack = terms[["term", "aliases", "definition_patient"]].fillna("").agg(" ".join, axis=1).str.lower()
    mask = pd.Series(True, index=terms.index)
    for word in query.lower().split():
        mask &= haystack.str.contains(word, regex=False)
    return terms[mask]


def main() -> None:
    print(f"{'what':<46}{'normal ms':>11}{'oversized ms':>14}{'ratio':>8}")
    rows = [
        (
            "Glossary page run (search box)",
            _page_ms("pages/glossary.py", "glossary_query", "nmda"),
            _page_ms("pages/glossary.py", "glossary_query", HUGE),
        ),
        ("Sources page run (filter box)", _page_ms("pages/sources.py", None, "ketamine"), _page_ms("pages/sources.py", None, HUGE)),
    ]
    references = evidence.load_references(ROOT / "data")
    terms = glossary.load_glossary(ROOT / "data", references["id"])
    rows.append(
        (
            "glossary.search (library, capped)",
            _ms(lambda: glossary.search(terms, "nmda")),
            _ms(lambda: glossary.search(terms, HUGE)),
        )
    )
    rows.append(
        (
            "sources.grouped_references (library, capped)",
            _ms(lambda: sources.grouped_references(references, "ketamine")),
            _ms(lambda: sources.grouped_references(references, HUGE)),
        )
    )
    rows.append(
        (
            "consult.clean_question (library, capped)",
            _ms(lambda: consult.clean_question("Can I drive?")),
            _ms(lambda: consult.clean_question(HUGE)),
        )
    )
    rows.append(
        (
            "search without the cap, 2,000 words (as it was)",
            _ms(lambda: _uncapped_search(terms, "nmda")),
            _ms(lambda: _uncapped_search(terms, "pain " * 2_000), runs=1),
        )
    )
    for name, normal, oversized in rows:
        print(f"{name:<46}{normal:>11.2f}{oversized:>14.2f}{oversized / max(normal, 0.001):>7.1f}x")
    print(
        f"\nMedians of {RUNS} runs; the oversized value is {len(HUGE):,} characters ({len(HUGE.split()):,} words), set past the box's "
        "max_chars as a crafted WebSocket message could. The page runs include AppTest's own overhead. clean_question takes "
        "a few microseconds either way: it reads at most MAX_PASTE characters. The last row is one run."
    )


if __name__ == "__main__":
    main()
