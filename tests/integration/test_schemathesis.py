"""Schemathesis over the app's own OpenAPI spec: requests generated from the spec, valid
and invalid (examples, coverage and fuzzing phases), sent over HTTP to the server on the
demo database, coding included; no response may be a 5xx or break the spec.

It runs the ``schemathesis`` command against a live server: its pytest plugin cannot take
the app from a fixture under pytest 9.  Examples are bounded so the run stays within a few
minutes; the seed is fixed so CI runs are repeatable.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import build_demo_database, serving

from foreshock.api import create_app

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "schemathesis-token"
# Two checks are left out on purpose, each for a rule the spec cannot state:
# - positive_data_acceptance: a period with ``since`` after ``until`` is a schema-valid
#   request that the API refuses with a clear 422 (the rule spans two parameters);
# - missing_required_header: without the bearer token the coding endpoint answers 403, as
#   the issue asks (the check expects 401).
EXCLUDED = "positive_data_acceptance,missing_required_header"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build_demo_database(tmp_path_factory.mktemp("schemathesis") / "demo.duckdb")
    with serving(create_app(str(db), token=TOKEN, max_page=100, max_text=2_000)) as url:
        yield url


def test_schemathesis_finds_no_server_errors(server: str, tmp_path: Path) -> None:
    report = ROOT / "artifacts" / "schemathesis-junit.xml"
    command = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{server}/openapi.json",
        "--checks", "all", "--exclude-checks", EXCLUDED,
        "--max-examples", "15", "--seed", "1", "--workers", "1",
        "--generation-database", "none", "--request-timeout", "20",
        "--header", f"Authorization: Bearer {TOKEN}",
        "--report", "junit", "--report-junit-path", str(report), "--no-color",
    ]
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                            cwd=tmp_path, check=False)
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    summary = output[output.rfind("SUMMARY"):] if "SUMMARY" in output else output[-3000:]
    print(summary)
    assert "Server error" not in output, output[-6000:]
    assert result.returncode == 0, output[-6000:]
    assert "Tested: 16" in summary, summary
    # 16 operations at 15 examples each: about 150 s on a loaded two-core machine
    assert seconds < 240, f"schemathesis took {seconds:.0f}s"
