"""numpy's OpenBLAS on one thread: the classifier's head gives the same bits on any machine."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest

from foreshock.nlp.blas import loaded_openblas, single_thread_blas


def test_finds_openblas_in_a_maps_file(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.write_text(
        "7f00-7f01 r-xp 00000000 08:01 42 /venv/numpy.libs/libscipy_openblas64_-ab12.so\n"
        "7f02-7f03 r--p 00000000 08:01 43 /usr/lib/libc.so.6\n"
        "7f04-7f05 rw-p 00000000 00:00 0 \n", encoding="utf-8")
    assert loaded_openblas(maps) == ["/venv/numpy.libs/libscipy_openblas64_-ab12.so"]
    assert loaded_openblas(tmp_path / "absent") == []


def _openblas_threads() -> list[int]:
    counts = []
    for path in loaded_openblas():
        library = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads",
                     "openblas_get_num_threads64_", "openblas_get_num_threads"):
            getter = getattr(library, name, None)
            if getter is not None:
                counts.append(int(getter()))
                break
    return counts


def test_every_loaded_openblas_is_left_on_one_thread() -> None:
    import numpy  # noqa: F401  (numpy's wheels bring their OpenBLAS)

    if not loaded_openblas():
        pytest.skip("no OpenBLAS in this process (another BLAS): nothing to set")
    assert single_thread_blas() >= 1
    assert _openblas_threads() and set(_openblas_threads()) == {1}
