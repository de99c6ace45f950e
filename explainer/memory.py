"""Giving the server's freed heap memory back to the operating system.

glibc's ``free()`` keeps freed blocks inside the process's heap for reuse. It only returns memory
when a free block sits at the very top of the heap; free space below a block that is still in use
stays resident. A page run of this site builds and drops large strings, protobuf messages and
pandas buffers, so after a burst of visitors the heap can hold about a megabyte of free space
that counts in the server's RSS (the figure a container's memory limit and our load benchmark
read) without holding anything. ``malloc_trim(0)`` walks the heap and returns every whole free
page (benchmarks/README.md, ninth session: 0.1-0.4 ms per call on this site).

No Streamlit here: the app calls :data:`release_free_heap` at the end of each full run.
"""

from __future__ import annotations

import ctypes
import threading
import time
from collections.abc import Callable

TrimFunction = Callable[[int], int]


def glibc_malloc_trim() -> TrimFunction | None:
    """glibc's ``malloc_trim``, or None where the C library is not glibc (musl, macOS, Windows)."""
    try:
        function = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_size_t]
    function.restype = ctypes.c_int
    return function


class HeapTrimmer:
    """Calls ``trim(0)`` at most once per ``min_interval`` seconds, from whichever thread asks.

    Each call returns True when it trimmed. With no trim function (not glibc) it never does.
    ctypes releases the interpreter lock for the C call, so other visitors' scripts keep running.
    """

    def __init__(self, trim: TrimFunction | None, min_interval: float = 1.0, clock: Callable[[], float] = time.monotonic):
        if min_interval < 0:
            raise ValueError(f"min_interval must be 0 or more seconds, not {min_interval!r}")
        self._trim = trim
        self._min_interval = min_interval
        self._clock = clock
        self._last: float | None = None
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._trim is not None

    def __call__(self) -> bool:
        if self._trim is None:
            return False
        now = self._clock()
        if not self._lock.acquire(blocking=False):  # another thread is trimming right now
            return False
        try:
            if self._last is not None and now - self._last < self._min_interval:
                return False
            self._last = now
            self._trim(0)
            return True
        finally:
            self._lock.release()


release_free_heap = HeapTrimmer(glibc_malloc_trim())
