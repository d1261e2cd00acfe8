"""The notebook-style script in docs/ runs as written and stays short."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / "docs" / "notebook.py"


def test_the_notebook_script_is_under_twenty_lines() -> None:
    code = [line for line in SCRIPT.read_text(encoding="utf-8").split('"""')[2].splitlines()
            if line.strip() and not line.lstrip().startswith("#")]
    assert len(code) < 20, code


def test_the_notebook_script_runs(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(Path(__file__).parents[2] / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])}
    done = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "RUS" in out and "UKR" in out and "code_label" in out
    assert "period" in out and "RUS-UKR" in out and " alerts" in out  # series, alerts
    assert (tmp_path / "crisis.duckdb").exists()
