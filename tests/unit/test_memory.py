"""explainer.memory: after a burst of runs, cyclic garbage is collected and free heap pages go back to the system."""

from __future__ import annotations

import gc
import os
import sys
import time
import weakref

import pytest

from explainer import memory


def test_releases_once_requests_pause_for_the_settle_time():
    assert memory.seconds_until_release(first=10.0, last=10.0, now=10.0, settle=0.25, max_delay=1.0) == 0.25
    assert memory.seconds_until_release(first=10.0, last=10.5, now=10.6, settle=0.25, max_delay=1.0) == pytest.approx(0.15)
    assert memory.seconds_until_release(first=10.0, last=10.5, now=10.8, settle=0.25, max_delay=1.0) == 0.0


def test_a_steady_stream_of_requests_is_served_by_the_max_delay():
    # A request every 0.1 s never leaves a 0.25 s pause: the release comes 1 s after the first one.
    assert memory.seconds_until_release(first=10.0, last=10.9, now=10.9, settle=0.25, max_delay=1.0) == pytest.approx(0.1)
    assert memory.seconds_until_release(first=10.0, last=11.2, now=11.2, settle=0.25, max_delay=1.0) == 0.0


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


def test_a_burst_of_requests_gets_one_collection_then_one_trim_after_it():
    calls: list[str] = []
    releaser = memory.MemoryReleaser(
        lambda pad: calls.append(f"trim({pad})") or 1, collect=lambda: calls.append("collect"), settle=0.5, max_delay=5.0
    )
    for _ in range(20):
        releaser.request()
    assert calls == [], "request() should leave the work to the background thread"
    assert _wait_for(lambda: len(calls) == 2), "nothing released after the burst"
    time.sleep(0.3)
    assert calls == ["collect", "trim(0)"], "garbage first (it frees heap blocks), then malloc_trim(0), once for the burst"
    releaser()  # a later run asks again
    assert _wait_for(lambda: len(calls) == 4)


def test_requests_that_keep_coming_are_still_served():
    collections: list[int] = []
    releaser = memory.MemoryReleaser(None, collect=lambda: collections.append(1), settle=0.2, max_delay=0.3)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:  # one request every 20 ms: never a 0.2 s pause
        releaser.request()
        time.sleep(0.02)
    # At most one release per 0.3 s: about five in 1.5 s, not one per request, and not none until the end.
    assert 2 <= len(collections) <= 6, f"{len(collections)} releases in 1.5 s of steady requests"


def test_cyclic_garbage_is_collected_after_a_request():
    class Node:
        pass

    was_enabled = gc.isenabled()
    gc.disable()  # only the releaser's collection may free the cycle
    try:
        node = Node()
        node.self = node
        alive = weakref.ref(node)
        del node
        assert alive() is not None, "a reference cycle outlives its last name"
        memory.MemoryReleaser(None, settle=0.05, max_delay=0.1).request()
        assert _wait_for(lambda: alive() is None), "the cycle was not collected"
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("settle, max_delay", [(-0.1, 1.0), (2.0, 1.0)])
def test_bad_timings_are_refused(settle, max_delay):
    with pytest.raises(ValueError, match="settle"):
        memory.MemoryReleaser(None, settle=settle, max_delay=max_delay)


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
