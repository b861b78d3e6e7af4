"""A wall-time limit on reading a file (a SIGALRM timer, in the main thread only)."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ReadTimedOut(BaseException):
    """The per-document time limit ran out.

    A BaseException, as KeyboardInterrupt is: the alarm may fire anywhere, inside a
    library or a reader's `except Exception` that turns failures into "the file is
    damaged", and must reach the service that set the limit unchanged.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ReadTimedOut in the block after ``seconds`` (main thread only; else no limit).

    Outside the main thread (a web server's worker thread) the reader's own
    limits still hold, and the converters it runs have their own time limit.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not usable or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield  # no timer here, or one already running (an outer limit holds)
        return

    def expire(signum, frame):
        raise ReadTimedOut()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def seconds_text(seconds: float) -> str:
    return f"{seconds:g} second{'s' if seconds != 1 else ''}"
