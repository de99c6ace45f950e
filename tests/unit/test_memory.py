"""explainer.memory: freed heap pages go back to the system, at most once per interval."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from explainer import memory


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_trims_at_most_once_per_interval():
    calls: list[int] = []
    clock = FakeClock()
    trimmer = memory.HeapTrimmer(lambda pad: calls.append(pad) or 1, min_interval=1.0, clock=clock)
    assert trimmer.available
    assert trimmer() is True
    clock.now += 0.4
    assert trimmer() is False
    clock.now += 0.59
    assert trimmer() is False
    clock.now += 0.01
    assert trimmer() is True
    assert calls == [0, 0], "malloc_trim(0): keep no extra padding at the top of the heap"


def test_zero_interval_trims_every_time():
    calls: list[int] = []
    trimmer = memory.HeapTrimmer(calls.append, min_interval=0, clock=FakeClock())
    for _ in range(3):
        assert trimmer()
    assert len(calls) == 3


def test_without_malloc_trim_it_does_nothing():
    trimmer = memory.HeapTrimmer(None)
    assert not trimmer.available
    assert trimmer() is False


def test_negative_interval_is_refused():
    with pytest.raises(ValueError, match="min_interval"):
        memory.HeapTrimmer(None, min_interval=-1)


def test_a_second_thread_does_not_wait_for_a_trim_in_progress():
    started, release = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_trim(pad: int) -> int:
        calls.append(pad)
        started.set()
        release.wait(5)
        return 1

    trimmer = memory.HeapTrimmer(slow_trim, min_interval=0)
    first = threading.Thread(target=trimmer)
    first.start()
    assert started.wait(5)
    try:
        assert trimmer() is False, "a run that finds a trim in progress should return at once"
    finally:
        release.set()
        first.join(5)
    assert calls == [0]


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
    memory.HeapTrimmer(memory.glibc_malloc_trim(), min_interval=0)()
    after = _rss_bytes()
    assert before - after > 8 * 2**20, f"RSS fell by only {(before - after) / 2**20:.1f} MB"
    assert len(kept) == 40
