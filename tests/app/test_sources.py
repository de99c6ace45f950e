"""Sources page: every reference grouped by kind, and the filter box."""

from __future__ import annotations

import re

from tests.app.conftest import assert_clean, html_blocks, open_page

PAGE = "pages/sources.py"


def _shown(at) -> tuple[int, int]:
    (caption,) = [c.value for c in at.caption if c.value.startswith("Showing")]
    shown, total = re.fullmatch(r"Showing (\d+) of (\d+) sources\.", caption).groups()
    return int(shown), int(total)


def _entries(at) -> int:
    return sum(block.count('<li id="ref-') for block in html_blocks(at))


def test_every_reference_is_listed_then_the_filter_narrows_it(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    shown, total = _shown(at)
    assert shown == total == _entries(at) > 10

    at.text_input[0].set_value("ketamine").run()
    assert_clean(at)
    narrowed, _ = _shown(at)
    assert 0 < narrowed < total
    assert _entries(at) == narrowed

    at.text_input[0].set_value("no such source zzz").run()
    assert _shown(at) == (0, total)
    assert any("No source matches" in info.value for info in at.info)

    at.text_input[0].set_value("").run()
    assert _shown(at) == (total, total)


def test_a_typed_filter_is_not_kept_in_a_shared_cache(monkeypatch):
    from explainer import sources

    seen: list[str] = []
    original = sources.grouped_references

    def recording(refs, query):
        seen.append(query)
        return original(refs, query)

    monkeypatch.setattr(sources, "grouped_references", recording)
    at = open_page(PAGE)
    at.text_input[0].set_value("ketamine").run()
    at.run()  # the same filter again: made again for this run, not read from a cache
    assert seen.count("ketamine") == 2


def test_replaced_and_overdue_guidelines_say_so_and_the_change_log_is_dated(audience):
    at = open_page(PAGE, audience)
    assert_clean(at)
    blocks = "\n".join(html_blocks(at))
    finnerup = blocks.split('<li id="ref-finnerup2015">')[1].split("</li>")[0]
    assert 'Replaced by <a href="#ref-soliman2025">NeuPSIG 2025</a>' in finnerup
    cdc2016 = blocks.split('<li id="ref-cdc2016">')[1].split("</li>")[0]
    assert 'Replaced by <a href="#ref-cdc2022">CDC 2022</a>' in cdc2016
    cohen = blocks.split('<li id="ref-cohen2018">')[1].split("</li>")[0]
    assert "planned review date (2023) has passed, and we found no update" in cohen
    assert "Covers: CRPS" in blocks.split('<li id="ref-sigtermans2009">')[1].split("</li>")[0]
    log = next(block for block in html_blocks(at) if block.startswith('<ul class="changes">'))
    assert "<strong>2026-12-02</strong>" in log and "NeuPSIG 2025" in log and "#ref-soliman2025" in log


def test_an_oversized_filter_is_cut_to_the_cap():
    """A filter of a million characters sent straight to the server (past the box's own limit):
    the page filters with at most the capped text, and still lists the matching sources."""
    from explainer import sources

    at = open_page(PAGE)
    assert at.text_input[0].max_chars == sources.MAX_FILTER_CHARS
    at.text_input[0].set_value("ketamine" + " " * 1_000_000 + "zzz").run()
    assert_clean(at)
    assert len(at.text_input[0].value) <= sources.MAX_FILTER_CHARS
    shown, total = _shown(at)
    assert 0 < shown < total  # "ketamine" and spaces: the tail that would match nothing was never read
