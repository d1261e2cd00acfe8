"""The demo corpus's background wire is exactly what its seeded script writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_background_wire_is_what_the_script_writes() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "demo_background.py"),
                             "--check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout
