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


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity (taskset, a container's cpuset), which
    os.cpu_count ignores; the machine's count where the system has no affinity call."""
    import os

    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


class DocumentTimeout(Exception):
    """The document ran out of time (raised inside the extraction by the alarm or the timer)."""


class _Clock:
    """A document's time limit: a base, plus TIMEOUT_PER_PAGE for every page a reader reports. It
    raises DocumentTimeout inside the extraction, in Python code (a PDF parser looping on a
    self-referencing object) between two bytecodes: by SIGALRM in a process's main thread (extract, the
    local batch's workers), by an asynchronous exception in any other thread (a Dask worker's task
    thread), which a timer thread sends."""

    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.seconds = float(seconds)
        self.main = threading.current_thread() is threading.main_thread()
        self.thread_id = threading.get_ident()
        self.lock = threading.Lock()
        self.active = True
        self.timer: threading.Timer | None = None

    def left(self) -> float:
        return max(self.started + self.seconds - time.monotonic(), 0.001)

    def arm(self) -> None:
        if self.main:
            signal.setitimer(signal.ITIMER_REAL, self.left())
            return
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
            self.timer = threading.Timer(self.left(), self._fire)
            self.timer.daemon = True
            self.timer.start()

    def disarm(self) -> None:
        if self.main:
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        with self.lock:
            self.active = False
            if self.timer is not None:
                self.timer.cancel()
            _async_raise(self.thread_id, None)  # a timeout sent but not yet raised is taken back

    def on_alarm(self, signum, frame) -> None:
        raise DocumentTimeout()

    def _fire(self) -> None:
        with self.lock:
            if self.active:
                _async_raise(self.thread_id, DocumentTimeout)


def _async_raise(thread_id: int, exc_type) -> None:
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc_type) if exc_type else None
    )


_current = threading.local()  # the clock of the document this thread is extracting


@contextmanager
def time_limit(seconds: float | None):
    """Run the body under a time limit of `seconds` (None or 0: none); DocumentTimeout when it runs out.
    Gives the clock (None without a limit): its `seconds` are the limit as pages have raised it."""
    if not seconds:
        yield None
        return
    clock = _Clock(seconds)
    previous = signal.signal(signal.SIGALRM, clock.on_alarm) if clock.main else None
    _current.clock = clock
    clock.arm()
    try:
        yield clock
    finally:
        clock.disarm()
        _current.clock = None
        if clock.main:
            signal.signal(signal.SIGALRM, previous)


def allow_pages(count: int) -> None:
    """A reader found `count` pages: the document may take TIMEOUT_PER_PAGE seconds more for each."""
    clock = getattr(_current, "clock", None)
    if clock is None or count <= 0:
        return
    clock.seconds += TIMEOUT_PER_PAGE * count
    clock.arm()
