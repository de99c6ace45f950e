"""Private downloads: made on request, answered for the stated window only, never kept themselves."""

from __future__ import annotations

import threading

import pytest

from explainer import downloads
from explainer.downloads import DownloadWindow


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_file_is_answered_for_the_window_and_then_not():
    clock = Clock()
    window = DownloadWindow(clock)
    assert window.made(b"my questions") == b"my questions"
    assert window.answers(b"my questions", 120)
    clock.now += 120
    assert window.answers(b"my questions", 120)
    clock.now += 0.5
    assert not window.answers(b"my questions", 120)
    assert len(window) == 0  # expired entries are forgotten


def test_only_bytes_that_were_made_are_answered():
    window = DownloadWindow(Clock())
    window.made(b"one")
    assert not window.answers(b"one, changed", 120)
    assert not window.answers(b"", 120)


def test_making_the_same_file_again_starts_its_window_again():
    clock = Clock()
    window = DownloadWindow(clock)
    window.made(b"the same summary")
    clock.now += 100
    window.made(b"the same summary")  # a second visitor, or a second click
    clock.now += 100
    assert window.answers(b"the same summary", 120)


def test_the_window_holds_a_bounded_number_of_digests_and_no_files():
    clock = Clock()
    window = DownloadWindow(clock, max_entries=3)
    for number in range(10):
        clock.now += 1
        window.made(f"summary {number}".encode())
    assert len(window) == 3
    assert window.answers(b"summary 9", 120) and not window.answers(b"summary 0", 120)
    assert not any(b"summary" in key.encode() for key in window._made)


def test_threads_can_make_and_check_at_once():
    window = DownloadWindow()

    def work(number: int) -> None:
        for n in range(200):
            data = f"{number}-{n}".encode()
            window.made(data)
            assert window.answers(data, 60)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(window) == 800


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ('attachment; filename="questions-for-my-visit.txt"', "questions-for-my-visit.txt"),
        ("attachment; filename*=utf-8''questions-for-my-visit.html", "questions-for-my-visit.html"),
        ('inline; filename="questions-for-my-visit.txt"', None),
        ("attachment", None),
        (None, None),
    ],
)
def test_the_file_name_is_read_from_the_header(header, name):
    assert downloads.attachment_name(header) == name


def test_only_the_visit_summary_is_private():
    assert downloads.is_private('attachment; filename="questions-for-my-visit.txt"')
    assert not downloads.is_private('attachment; filename="ketamine-explainer-onset-durability.csv"')


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(120, "2 minutes"), (60, "1 minute"), (90, "90 seconds"), (1, "1 second"), (5, "5 seconds"), (3600, "1 hour"), (7200, "2 hours")],
)
def test_times_are_stated_plainly(seconds, text):
    assert downloads.plain_duration(seconds) == text
