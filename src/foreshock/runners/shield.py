"""Store a chunk and count it as one step that Ctrl-C cannot split.

A run commits its work a chunk at a time and keeps a report of what it stored, which the
interrupted-message repeats.  If Ctrl-C lands after a chunk's transaction commits but
before the report counts it, the message under-counts what is in the database (a chunk
is stored twice over in the bookkeeping's eyes and once in fact).  ``deferred_interrupt``
holds SIGINT back for the few milliseconds of a store: the signal is remembered and
raised as ``KeyboardInterrupt`` as soon as the step is done, so nothing is lost and the
count is exact.  Outside the main thread (where Python delivers signals) it does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["deferred_interrupt"]


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Run the body with SIGINT held back; raise KeyboardInterrupt after it if one came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous in (signal.SIG_IGN, None):  # nothing would interrupt us anyway
        yield
        return
    caught: list[int] = []

    def remember(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    signal.signal(signal.SIGINT, remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
