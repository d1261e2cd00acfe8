"""Worker processes that die with their parent.

A process pool's workers are ordinary children: if the parent is killed with ``kill -9``
nobody tells them, and they linger (holding a loaded language model each) and keep
coding work whose results nobody will store.  ``watch_parent`` runs in every worker at
start: on Linux the kernel sends it SIGKILL when the parent dies (``PR_SET_PDEATHSIG``),
and everywhere a watcher thread notices that the parent changed and exits.  Workers also
ignore Ctrl-C: the parent handles it (and stops them), so a terminal's SIGINT to the whole
process group does not print a traceback per worker.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def watch_parent(parent: int, interval: float = 0.5) -> None:
    """Make this process exit as soon as process ``parent`` is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _kernel_watch()
    if os.getppid() != parent:  # the parent died before the watch was set up
        os._exit(1)
    thread = threading.Thread(target=_poll, args=(parent, interval), daemon=True,
                              name="foreshock-parent-watch")
    thread.start()


def _kernel_watch() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the watcher thread still works


def _poll(parent: int, interval: float) -> None:
    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            os._exit(1)  # no cleanup: the parent that would store our work is gone
