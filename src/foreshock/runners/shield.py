"""Store a chunk and count it as one step that an interrupt cannot split.

A run commits its work a chunk at a time and keeps a report of what it stored, which the
interrupted-message repeats.  If Ctrl-C (or the SIGTERM a service manager sends to
``watch``) lands after a chunk's transaction commits but before the report counts it, the
message under-counts what is in the database.  ``deferred_interrupt`` holds those signals
back for the few milliseconds of a store: a signal that arrives is remembered and raised
as ``KeyboardInterrupt`` as soon as the step is done, so nothing is lost and the count is
exact.  SIGTERM is held only when a Python handler is installed for it (else it kills the
process as before).  Nested blocks hold the signals until the outermost one ends.
Outside the main thread (where Python delivers signals) it does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["deferred_interrupt"]

_HELD = (signal.SIGINT, signal.SIGTERM)


class _Holder:
    """Marks a handler installed by this module (so that an inner block knows)."""

    def __init__(self) -> None:
        self.caught: list[int] = []

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.caught.append(signum)


@contextmanager
def deferred_interrupt() -> Iterator[None]:
    """Run the body with SIGINT (and a handled SIGTERM) held back; raise
    KeyboardInterrupt after it if one came.  An error of the body with a signal pending
    is raised as KeyboardInterrupt from that error: the user asked to stop."""
    if threading.current_thread() is not threading.main_thread() or \
            isinstance(signal.getsignal(signal.SIGINT), _Holder):
        yield  # another thread, or inside an outer block that already holds the signals
        return
    holder = _Holder()
    previous: list[tuple[signal.Signals, Any]] = []
    for signum in _HELD:
        handler = signal.getsignal(signum)
        if callable(handler):  # not SIG_IGN / SIG_DFL / None: someone handles it in Python
            previous.append((signum, handler))
            signal.signal(signum, holder)
    try:
        yield
    except BaseException as exc:
        if holder.caught and not isinstance(exc, KeyboardInterrupt):
            raise KeyboardInterrupt from exc
        raise
    finally:
        for held, handler_before in previous:
            signal.signal(held, handler_before)
    if holder.caught:
        raise KeyboardInterrupt
