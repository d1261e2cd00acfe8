"""One thread for numpy's OpenBLAS, as for the encoder and for torch in training.

The classifier's head multiplies a sentence's pair rows (1 to 64 rows of 1,153) by its first
layer.  OpenBLAS splits the larger of these products over every core, and that changes two
things: the last bits of the result (250 of the 2,192 pairs of 100 White House documents
moved by up to 2e-7 between one and two threads, so scores depended on the machine's core
count), and the time when another process holds a core (a 10-row product took 4.6 ms
instead of 0.2 ms while waiting threads spun: the head took 1.5 s of a 17 s run).  The
parse's networks multiply through numpy too (``nlp/loader.py``, for speed), on this one
thread for the same reasons.

numpy has no call for this, so the OpenBLAS libraries loaded in the process are asked
directly (what ``threadpoolctl`` does); with no OpenBLAS (another BLAS, another system) it
does nothing.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

#: the thread-count setters of the OpenBLAS builds numpy wheels ship (64-bit ints, prefixed
#: by scipy-openblas) and of plain OpenBLAS
SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
           "openblas_set_num_threads64_", "openblas_set_num_threads")


def loaded_openblas(maps: Path = Path("/proc/self/maps")) -> list[str]:
    """Paths of the OpenBLAS libraries mapped into this process (Linux; else none)."""
    try:
        lines = maps.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    paths = {line.split(maxsplit=5)[-1] for line in lines if "openblas" in line.lower()}
    return sorted(p for p in paths if p.startswith("/") and ".so" in p)


def single_thread_blas() -> int:
    """Set every loaded OpenBLAS to one thread; returns how many were set."""
    import numpy  # noqa: F401  (loads numpy's OpenBLAS before looking for it)

    done = 0
    for path in loaded_openblas():
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for name in SETTERS:
            setter = getattr(library, name, None)
            if setter is not None:
                setter(1)
                done += 1
                break
    return done
