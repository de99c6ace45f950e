"""Giving the server's freed heap memory back to the operating system.

glibc's ``free()`` keeps freed blocks inside the process's heap for reuse. It only returns memory
when a free block sits at the very top of the heap; free space below a block that is still in use
stays resident. A page run of this site builds and drops many strings and protobuf messages, so
after a burst of visitors the heap could hold about a megabyte of free space that counts in the
server's RSS (the figure a container's memory limit and our load benchmark read) without holding
anything. ``malloc_trim(0)`` walks the heap and returns every whole free page (0.1-0.4 ms on this
site; benchmarks/README.md, ninth session).

A run frees much of its memory after its script ends (the messages still to send, the run's own
objects): a first version that trimmed inside the run left that megabyte in place. So the app only
*asks* for a trim at the end of each run; one background thread trims once the asking has paused
for ``settle`` seconds, and at least every ``max_delay`` seconds while runs keep coming.

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


def seconds_until_trim(first: float, last: float, now: float, settle: float, max_delay: float) -> float:
    """How long to wait before trimming, given the first and the latest request not yet served.

    Trim once requests have paused for ``settle`` seconds, but no later than ``max_delay`` after
    the first of them, so a steady stream of runs still gets trimmed. 0 means now.
    """
    return max(0.0, min(last + settle, first + max_delay) - now)


class HeapTrimmer:
    """Collects trim requests from any thread and serves them from one background thread.

    ``request()`` never waits and never trims itself: it returns True when a trim will follow and
    False when there is no trim function (not glibc). ctypes releases the interpreter lock for the
    C call, so visitors' scripts keep running while the heap is walked.
    """

    def __init__(
        self,
        trim: TrimFunction | None,
        settle: float = 0.25,
        max_delay: float = 1.0,
    ):
        if not 0 <= settle <= max_delay:
            raise ValueError(f"need 0 <= settle <= max_delay, not settle={settle!r}, max_delay={max_delay!r}")
        self._trim = trim
        self._settle = settle
        self._max_delay = max_delay
        self._condition = threading.Condition()
        self._first: float | None = None  # first request not yet served
        self._last = 0.0  # latest request
        self._worker: threading.Thread | None = None

    @property
    def available(self) -> bool:
        return self._trim is not None

    def request(self) -> bool:
        if self._trim is None:
            return False
        with self._condition:
            now = time.monotonic()
            if self._first is None:
                self._first = now
            self._last = now
            if self._worker is None:
                self._worker = threading.Thread(target=self._serve, name="heap-trim", daemon=True)
                self._worker.start()
            self._condition.notify()
        return True

    __call__ = request

    def _serve(self) -> None:
        while True:
            with self._condition:
                while self._first is None:
                    self._condition.wait()
                wait = seconds_until_trim(self._first, self._last, time.monotonic(), self._settle, self._max_delay)
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                self._first = None
            self._trim(0)


release_free_heap = HeapTrimmer(glibc_malloc_trim())
