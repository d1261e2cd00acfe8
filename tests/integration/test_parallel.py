"""The same coder on a process pool and on a real Dask cluster gives the local runner's
events, event for event; re-running adds nothing."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from foreshock.database import open_database
from foreshock.errors import EngineError
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import Context, load_context
from foreshock.runners import parallel
from foreshock.runners.local import CodeReport
from foreshock.runners.parallel import code_parallel
from foreshock.settings import Settings
from foreshock.store.db import connect, start_run

EVENTS = ("SELECT event_id, article_id, source, source_sector, target, target_sector, code, "
          "modality, start_char, end_char, sentence FROM events ORDER BY event_id")


def _ingested(path: Path) -> tuple[duckdb.DuckDBPyConnection, Settings, int]:
    report = open_database(path, create=True).ingest(str(data_path("demo")))
    assert report.added > 40
    con = connect(str(path))
    return con, Settings(db=str(path)), start_run(con, "test", [], {})


@pytest.fixture(scope="module")
def local_events(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, ...]]:
    path = tmp_path_factory.mktemp("local") / "l.duckdb"
    store = open_database(path, create=True)
    store.ingest(str(data_path("demo")))
    outcome = store.code_pending(analyze=False)
    with store.reading() as con:
        rows = con.execute(EVENTS).fetchall()
    assert len(rows) > 100 and outcome.coding.events == len(rows)
    return rows


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_parallel_engines_equal_local_runner(engine: str, tmp_path: Path,
                                             local_events: list[tuple[object, ...]]) -> None:
    con, settings, run = _ingested(tmp_path / f"{engine}.duckdb")
    version = load_context(settings).extractor_version
    parts = tmp_path / "parts"
    report = code_parallel(con, settings, version, run, str(parts), engine=engine, workers=2,
                           partition_size=16)
    assert con.execute(EVENTS).fetchall() == local_events
    assert report.events == len(local_events)
    assert not parts.exists()  # every part was stored as it finished, then removed
    # a re-run finds nothing pending; re-loading the same parts adds no rows
    again = code_parallel(con, settings, version, run, str(parts), engine=engine, workers=2)
    assert again.articles == 0
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == len(local_events)
    con.close()


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from foreshock.cli.main import cli

    monkeypatch.setattr(parallel, "SCHEDULER_TIMEOUT", "2s")
    store = open_database(tmp_path / "d.duckdb", create=True)
    store.ingest(str(data_path("demo")))
    with pytest.raises(EngineError, match=r"^E060 cannot reach the Dask scheduler at "
                                          r"tcp://127\.0\.0\.1:9"):
        store.code_pending(engine="dask", scheduler="tcp://127.0.0.1:9")
    result = CliRunner().invoke(cli, ["code", "--db", store.path, "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    # one error line, not a traceback (progress lines, "code: …", come at least every second
    # while the connection is tried)
    assert len([line for line in result.output.splitlines()
                if not line.startswith("code: ")]) == 1, result.output
    assert "error: E060 cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "--engine local" in result.output
    # a running scheduler brings its own workers: none is said to be started here
    assert "connecting to the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "worker(s)" not in result.output


def test_finished_partitions_are_kept_when_the_run_is_interrupted(
        tmp_path: Path, ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """Coding used to be stored only at the end: an interrupt lost every finished part.

    Forked workers inherit the loaded context (so this test loads no model)."""
    monkeypatch.setattr(parallel, "load_context", lambda settings: ctx)
    con, settings, run = _ingested(tmp_path / "i.duckdb")
    parts = tmp_path / "i.duckdb.parts" / "run-1"
    stale = tmp_path / "i.duckdb.parts" / "run-0"
    stale.mkdir(parents=True)
    (stale / "part-0123456789abcdef.parquet").write_bytes(b"left by a killed run")

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    report = CodeReport()
    with pytest.raises(KeyboardInterrupt):
        code_parallel(con, settings, ctx.extractor_version, run, str(parts), engine="local",
                      workers=2, partition_size=8, progress=interrupt, report=report)
    assert report.articles == 8  # the first finished partition, stored before the interrupt
    coded = con.execute("SELECT count(*) FROM articles WHERE coded_version = ?",
                        [ctx.extractor_version]).fetchall()[0][0]
    assert coded == 8
    assert not multiprocessing.active_children(), "workers outlived the interrupt"
    assert not (tmp_path / "i.duckdb.parts").exists()  # this run's and the stale parts
    con.close()


def _group_alive(pgid: int) -> list[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_kill_9_of_run_with_two_workers_leaves_no_orphans_and_resumes(
        tmp_path: Path, local_events: list[tuple[object, ...]]) -> None:
    """kill -9 of `run --workers 2` used to leave both workers alive (~370 MB each) and
    to lose every partition they had finished; resuming must equal a clean run."""
    db = tmp_path / "k.duckdb"
    command = [sys.executable, "-m", "foreshock", "run", str(data_path("demo")), "--db",
               str(db), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    victim = subprocess.Popen(command, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        # coding has started when this run's part folder exists; give the workers a moment
        # (short: on a quiet machine the 283 demo articles are coded in about ten seconds)
        while not list((tmp_path / "k.duckdb.parts").glob("run-*")):
            assert victim.poll() is None, victim.stderr.read() if victim.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(random.Random(14).uniform(1, 2.5))
        assert victim.poll() is None, "the run ended before it could be killed"
        victim.kill()
        victim.wait()
        deadline = time.monotonic() + 10
        while _group_alive(victim.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(victim.pid), "workers outlived kill -9 of their parent"
    finally:
        if _group_alive(victim.pid):  # never leave a failed test's processes behind
            os.killpg(victim.pid, signal.SIGKILL)
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute(EVENTS).fetchall() == local_events
    total, distinct, coded = con.execute(
        "SELECT count(*), count(DISTINCT article_id), count(coded_version) FROM articles"
    ).fetchall()[0]
    assert total == distinct == coded > 40
    con.close()
    assert not (tmp_path / "k.duckdb.parts").exists()
