"""numpy's OpenBLAS on one thread: the classifier's head gives the same bits on any machine."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from foreshock.extract.learned.blas import loaded_openblas, single_thread_blas


def test_finds_openblas_in_a_maps_file(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.write_text(
        "7f00-7f01 r-xp 00000000 08:01 42 /venv/numpy.libs/libscipy_openblas64_-ab12.so\n"
        "7f02-7f03 r--p 00000000 08:01 43 /usr/lib/libc.so.6\n"
        "7f04-7f05 rw-p 00000000 00:00 0 \n", encoding="utf-8")
    assert loaded_openblas(maps) == ["/venv/numpy.libs/libscipy_openblas64_-ab12.so"]
    assert loaded_openblas(tmp_path / "absent") == []


def test_products_after_setting_one_thread_are_repeatable() -> None:
    single_thread_blas()  # with numpy's wheels: one library set; elsewhere maybe none
    rng = np.random.default_rng(7)
    rows = rng.standard_normal((40, 1153)).astype(np.float32)
    weights = rng.standard_normal((1153, 256)).astype(np.float32)
    first = rows @ weights
    assert all(np.array_equal(first, rows @ weights) for _ in range(5))
