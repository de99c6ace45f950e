"""explainer.memory: freed heap pages go back to the system after a burst of runs."""

from __future__ import annotations

import os
import sys
import time

import pytest

from explainer import memory


def test_trims_once_requests_pause_for_the_settle_time():
    assert memory.seconds_until_trim(first=10.0, last=10.0, now=10.0, settle=0.25, max_delay=1.0) == 0.25
    assert memory.seconds_until_trim(first=10.0, last=10.5, now=10.6, settle=0.25, max_delay=1.0) == pytest.approx(0.15)
    assert memory.seconds_until_trim(first=10.0, last=10.5, now=10.8, settle=0.25, max_delay=1.0) == 0.0


def test_a_steady_stream_of_requests_is_trimmed_by_the_max_delay():
    # A request every 0.1 s never leaves a 0.25 s pause: the trim comes 1 s after the first one.
    assert memory.seconds_until_trim(first=10.0, last=10.9, now=10.9, settle=0.25, max_delay=1.0) == pytest.approx(0.1)
    assert memory.seconds_until_trim(first=10.0, last=11.2, now=11.2, settle=0.25, max_delay=1.0) == 0.0


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_a_burst_of_requests_gets_one_trim_after_it():
    calls: list[int] = []
    trimmer = memory.HeapTrimmer(lambda pad: calls.append(pad) or 1, settle=0.5, max_delay=5.0)
    assert trimmer.available
    for _ in range(20):
        assert trimmer.request() is True
    assert calls == [], "request() should leave the trim to the background thread"
    assert _wait_for(lambda: calls), "no trim after the burst"
    time.sleep(0.3)
    assert calls == [0], "malloc_trim(0), once for the whole burst"
    trimmer()  # a later run asks again
    assert _wait_for(lambda: len(calls) == 2)


def test_requests_that_keep_coming_are_still_trimmed():
    calls: list[int] = []
    trimmer = memory.HeapTrimmer(calls.append, settle=0.2, max_delay=0.3)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:  # one request every 20 ms: never a 0.2 s pause
        trimmer.request()
        time.sleep(0.02)
    # At most one trim per 0.3 s: about five in 1.5 s, not one per request, and not none until the end.
    assert 2 <= len(calls) <= 6, f"{len(calls)} trims in 1.5 s of steady requests"


def test_without_malloc_trim_it_does_nothing():
    trimmer = memory.HeapTrimmer(None)
    assert not trimmer.available
    assert trimmer.request() is False
    assert trimmer._worker is None, "no thread without a trim function"


@pytest.mark.parametrize("settle, max_delay", [(-0.1, 1.0), (2.0, 1.0)])
def test_bad_timings_are_refused(settle, max_delay):
    with pytest.raises(ValueError, match="settle"):
        memory.HeapTrimmer(None, settle=settle, max_delay=max_delay)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not sys.platform.startswith("linux") or memory.glibc_malloc_trim() is None, reason="glibc only")
def test_glibc_trim_returns_free_space_below_a_block_still_in_use():
    """What the site relies on: free() keeps this memory resident, malloc_trim(0) gives it back."""
    blocks = [bytes([1]) * 65_536 for _ in range(320)]  # 20 MB of touched pages, each block below the mmap threshold
    kept = blocks[7::8]  # every eighth block stays, the last one among them, so the heap top stays in use
    assert kept[-1] is blocks[-1]
    del blocks
    before = _rss_bytes()
    memory.glibc_malloc_trim()(0)
    after = _rss_bytes()
    assert before - after > 8 * 2**20, f"RSS fell by only {(before - after) / 2**20:.1f} MB"
    assert len(kept) == 40
