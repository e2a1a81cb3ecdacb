"""Bounds every input gets, enforced while reading: bytes read, pixels rendered, bytes inflated, time.

A document that reaches one fails with a reason that names the bound; the batch goes on. Each bound is
named once here with its reason.
"""
from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

MAX_TEXT_BYTES = 8 * 1024 * 1024  # a monthly bulletin is a few KB; anything this large is not one
MAX_PDF_BYTES = 512 * 1024 * 1024  # a 500-page scan at 300 dpi is about 200 MB
MAX_IMAGE_BYTES = 512 * 1024 * 1024  # a multi-page TIFF of the same
MAX_PIXELS = 80_000_000  # about an A0 sheet at 300 dpi: images and rendered PDF pages alike
MAX_INFLATED_BYTES = 128 * 1024 * 1024  # one PDF stream; a 600-dpi A4 RGB page image is 105 MB
DEFAULT_TIMEOUT = 120.0  # seconds a document may take, besides its pages'
TIMEOUT_PER_PAGE = 10.0  # seconds more for each page (an OCR page takes about 5 s on one core)


class DocumentTimeout(Exception):
    """The document ran out of time (raised inside the extraction by the alarm)."""

    def __init__(self, seconds: float):
        super().__init__(f"time limit of {seconds:.0f} s reached (--timeout)")
        self.seconds = seconds


class _Clock:
    """The current document's time limit in this process: a base, plus TIMEOUT_PER_PAGE for every
    page a reader reports. SIGALRM interrupts Python code (a PDF parser looping on a self-referencing
    object) between two bytecodes; it can be armed from the main thread only."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.seconds = 0.0

    def arm(self) -> None:
        left = self.started + self.seconds - time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, max(left, 0.001))

    def on_alarm(self, signum, frame) -> None:
        raise DocumentTimeout(self.seconds)


_clock = _Clock()


@contextmanager
def time_limit(seconds: float | None):
    """Run the body under a time limit of `seconds` (None or 0: none). Outside the main thread (a Dask
    worker's task thread) no alarm can be set, and the body runs without one."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _clock.on_alarm)
    _clock.started, _clock.seconds = time.monotonic(), float(seconds)
    _clock.arm()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _clock.started = None


def allow_pages(count: int) -> None:
    """A reader found `count` pages: the document may take TIMEOUT_PER_PAGE seconds more for each."""
    if _clock.started is None or count <= 0:
        return
    _clock.seconds += TIMEOUT_PER_PAGE * count
    _clock.arm()
