"""deferred_interrupt: Ctrl-C during a store waits for the store's end, then still stops."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from foreshock.runners.shield import deferred_interrupt


@pytest.fixture(autouse=True)
def _interactive_sigint() -> Iterator[None]:
    """Python's own Ctrl-C handler, as in a terminal: a process started in the background
    of a non-interactive shell (`cmd &`) inherits SIGINT ignored, and then there is no
    interrupt to defer."""
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_sigint_inside_waits_for_the_end_of_the_block() -> None:
    done: list[str] = []
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("stored")  # a plain handler would have raised before this line
        done.append("counted")
    assert done == ["stored", "counted"]
    # the terminal's handler is back: a later Ctrl-C interrupts at once
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_no_signal_no_interrupt_and_errors_pass_through() -> None:
    with deferred_interrupt():
        pass
    with pytest.raises(ValueError), deferred_interrupt():
        raise ValueError("the store failed")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_outside_the_main_thread_it_is_a_plain_block() -> None:
    seen: list[object] = []

    def work() -> None:
        with deferred_interrupt():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]


def test_nested_blocks_hold_the_signal_until_the_outermost_ends() -> None:
    done: list[str] = []
    with pytest.raises(KeyboardInterrupt), deferred_interrupt():
        with deferred_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            done.append("inner stored")
        done.append("outer counted")  # an inner block raising here would skip this
    assert done == ["inner stored", "outer counted"]


def test_an_error_with_ctrl_c_pending_is_still_an_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt) as info, deferred_interrupt():
        os.kill(os.getpid(), signal.SIGINT)
        raise RuntimeError("the store failed")
    assert isinstance(info.value.__cause__, RuntimeError)


def test_a_handled_sigterm_waits_too() -> None:
    """``watch`` turns SIGTERM into KeyboardInterrupt; a stop mid-store waits for the store."""
    def to_interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, to_interrupt)
    try:
        done: list[str] = []
        with pytest.raises(KeyboardInterrupt), deferred_interrupt():
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("stored")
        assert done == ["stored"]
        assert signal.getsignal(signal.SIGTERM) is to_interrupt
    finally:
        signal.signal(signal.SIGTERM, before)
