"""Private downloads: a file with what a visitor typed is made when they ask for it, and its address
answers for a short, stated time only.

Streamlit serves a download button's file from an address under ``/media/``. With the file's bytes
given to the button, the file is made on every run of the page and, once the visitor leaves, the
address goes on answering until Streamlit next tidies up: in a probe it still answered 140 s after
the tab closed, and on a quiet server it answers until another visitor's session ends. For the
visit summary, which holds the visitor's own questions, that breaks the page's promise.

So the summary buttons pass Streamlit a function (``st.download_button(data=callable)``): Streamlit
calls it only when the visitor clicks, and the function records, here, a digest of the bytes it
made and when (:meth:`DownloadWindow.made`). serve.py's ``PrivateDownloads`` middleware answers a
request for a private file (by its file name, :data:`PRIVATE_FILE_NAMES`) only while its bytes were
made less than the window ago (:meth:`DownloadWindow.answers`); later, it answers 404 whatever
Streamlit still holds. The window is the server's ``server.disconnectedSessionTTL``, the time
Streamlit keeps a closed visit for it to reconnect, so one setting says how long anything typed here
can be reached after the visitor acts, and the page states it (``consult.privacy_text``).

Only digests and times are kept, never the files, and at most :data:`MAX_ENTRIES` of them.
Nothing here imports Streamlit.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import unquote

# The visit summary's two downloads (pages/consult.py); the CSV downloads of public data are not private.
PRIVATE_FILE_NAMES = frozenset({"questions-for-my-visit.html", "questions-for-my-visit.txt"})
MAX_ENTRIES = 10_000  # about 1 MB of digests at most, however many downloads a flood of visitors makes
EXPIRED_MESSAGE = b"This download has expired. Go back to the page and download it again.\n"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DownloadWindow:
    """When each private file was made, by digest; thread-safe (page runs and the server share it)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = MAX_ENTRIES) -> None:
        self._clock = clock
        self._max_entries = max_entries
        self._made: OrderedDict[str, float] = OrderedDict()  # oldest first
        self._lock = threading.Lock()

    def made(self, data: bytes) -> bytes:
        """Record that ``data`` was just made for a visitor; returns it, for a download button's function."""
        key = digest(data)
        with self._lock:
            self._made.pop(key, None)
            self._made[key] = self._clock()
            while len(self._made) > self._max_entries:
                self._made.popitem(last=False)
        return data

    def answers(self, data: bytes, seconds: float) -> bool:
        """Whether a private file with these bytes was made less than ``seconds`` ago."""
        key = digest(data)
        now = self._clock()
        with self._lock:
            while self._made and now - next(iter(self._made.values())) > seconds:
                self._made.popitem(last=False)  # expired: forget it, oldest first
            made_at = self._made.get(key)
        return made_at is not None and now - made_at <= seconds

    def __len__(self) -> int:
        with self._lock:
            return len(self._made)


# The one window of this process: the page's download functions write to it, serve.py reads it.
WINDOW = DownloadWindow()


def made(data: bytes | str) -> bytes:
    """``data`` as bytes, recorded in this process's window: what a private download button's function returns."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return WINDOW.made(payload)


def attachment_name(content_disposition: str | None) -> str | None:
    """The file name in a ``Content-Disposition: attachment; filename="…"`` header, or None."""
    if not content_disposition:
        return None
    kind, _, rest = content_disposition.partition(";")
    if kind.strip().lower() != "attachment":
        return None
    for part in rest.split(";"):
        name, _, value = part.strip().partition("=")
        name = name.strip().lower()
        if name == "filename":
            return value.strip().strip('"')
        if name == "filename*" and "''" in value:  # RFC 5987: charset''percent-encoded
            return unquote(value.split("''", 1)[1].strip())
    return None


def is_private(content_disposition: str | None) -> bool:
    return attachment_name(content_disposition) in PRIVATE_FILE_NAMES


def plain_duration(seconds: float) -> str:
    """'2 minutes', '90 seconds', '1 second', '1 hour': how the page states a time."""
    whole = max(round(seconds), 0)
    for unit, size in (("hour", 3600), ("minute", 60)):
        if whole >= size and whole % size == 0:
            count = whole // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{whole} second{'s' if whole != 1 else ''}"
