"""Giving the server's freed memory back to the operating system after a burst of runs.

Two things keep memory that nothing uses, and both are cleared here from one background thread:

- **Cyclic garbage waiting for Python's oldest generation.** A page run leaves objects that refer
  to each other; reference counting cannot free them and they wait for a full collection, which
  Python starts rarely. Streamlit's own collection after every run (``runner.postScriptGC``) is
  off in ``.streamlit/config.toml`` because it cost ~70 ms a run before the site froze its
  libraries (:func:`freeze_loaded_objects`); a full collection now walks a few thousand objects
  (0.5-1.2 ms on this site).
- **Free space inside glibc's heap.** ``free()`` returns memory only from the very top of the
  heap; free space below a block still in use stays resident. ``malloc_trim(0)`` walks the heap
  and returns every whole free page (0.1-0.4 ms on this site).

Both count in the server's RSS, the figure a container's memory limit and our load benchmark read
(benchmarks/README.md, ninth session). A run frees much of its memory after its script ends (the
messages still to send, the run's own objects), so the app only *asks* at the end of each run; the
thread collects and trims once the asking has paused for ``settle`` seconds, and at least every
``max_delay`` seconds while runs keep coming.

No Streamlit here: the app calls :func:`freeze_loaded_objects` and then :data:`release_memory` at
the end of each full run.
"""

from __future__ import annotations

import ctypes
import gc
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


def seconds_until_release(first: float, last: float, now: float, settle: float, max_delay: float) -> float:
    """How long to wait before releasing, given the first and the latest request not yet served.

    Release once requests have paused for ``settle`` seconds, but no later than ``max_delay`` after
    the first of them, so a steady stream of runs is still served. 0 means now.
    """
    return max(0.0, min(last + settle, first + max_delay) - now)


class MemoryReleaser:
    """Collects release requests from any thread and serves them from one background thread.

    Serving a request is a full garbage collection (``collect``), then ``trim(0)`` where there is a
    trim function (glibc). ``request()`` never waits and never does the work itself.
    """

    def __init__(
        self,
        trim: TrimFunction | None,
        collect: Callable[[], object] = gc.collect,
        settle: float = 0.25,
        max_delay: float = 1.0,
    ):
        if not 0 <= settle <= max_delay:
            raise ValueError(f"need 0 <= settle <= max_delay, not settle={settle!r}, max_delay={max_delay!r}")
        self._trim = trim
        self._collect = collect
        self._settle = settle
        self._max_delay = max_delay
        self._condition = threading.Condition()
        self._first: float | None = None  # first request not yet served
        self._last = 0.0  # latest request
        self._worker: threading.Thread | None = None

    def request(self) -> None:
        with self._condition:
            now = time.monotonic()
            if self._first is None:
                self._first = now
            self._last = now
            if self._worker is None:
                self._worker = threading.Thread(target=self._serve, name="release-memory", daemon=True)
                self._worker.start()
            self._condition.notify()

    __call__ = request

    def _serve(self) -> None:
        while True:
            with self._condition:
                while self._first is None:
                    self._condition.wait()
                wait = seconds_until_release(self._first, self._last, time.monotonic(), self._settle, self._max_delay)
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                self._first = None
            self._collect()
            if self._trim is not None:
                self._trim(0)  # ctypes lets go of the interpreter lock while glibc walks the heap


release_memory = MemoryReleaser(glibc_malloc_trim())


# --- Keeping the libraries out of the collector's walk -----------------------------------

_FREEZE_LOCK = threading.Lock()
_frozen_after: set[str] = set()


def freeze_loaded_objects(page_id: str) -> bool:
    """After the first full run of each page in this process: exempt everything loaded so far from garbage collection.

    Python's collector walks every tracked object when it collects its oldest generation, and the
    libraries (Streamlit, pandas, Plotly) with the loaded data and the pages' cached views are
    about 150,000 objects that live as long as the server. Under load that walk came every few
    seconds and held the interpreter lock for 70-130 ms each time, stalling every visitor's page at
    once (benchmarks/README.md). ``gc.freeze()`` moves the objects alive now into a generation the
    collector never walks, so later collections see only what the sessions create. Each page's
    first run imports and caches what that page needs (Plotly loads parts of itself on first use),
    so this freezes once per page, ten times in a process's life, after a full collection that
    frees what is already garbage. Frozen objects are still freed by reference counting, only not
    by the cycle collector: right for modules and caches, and at worst a few sessions' worth of
    objects that happened to be alive at one of those ten moments. Returns True when it froze.
    """
    if page_id in _frozen_after:
        return False
    with _FREEZE_LOCK:
        if page_id in _frozen_after:
            return False
        gc.collect()
        gc.freeze()
        _frozen_after.add(page_id)
    return True
