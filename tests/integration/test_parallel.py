"""The same coder on a process pool and on a real Dask cluster gives the local runner's
events, event for event; re-running adds nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from foreshock.database import open_database
from foreshock.errors import EngineError
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import load_context
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
    assert len(list(parts.glob("part-*.parquet"))) == -(-report.articles // 16)
    assert not list(parts.glob("*.tmp"))
    # a re-run finds nothing pending; re-loading the same parts adds no rows
    again = code_parallel(con, settings, version, run, str(parts), engine=engine, workers=2)
    assert again.articles == 0
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == len(local_events)
    con.close()


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from foreshock.cli.main import cli
    from foreshock.runners import parallel

    monkeypatch.setattr(parallel, "SCHEDULER_TIMEOUT", "2s")
    store = open_database(tmp_path / "d.duckdb", create=True)
    store.ingest(str(data_path("demo")))
    with pytest.raises(EngineError, match=r"^E060 cannot reach the Dask scheduler at "
                                          r"tcp://127\.0\.0\.1:9"):
        store.code_pending(engine="dask", scheduler="tcp://127.0.0.1:9")
    result = CliRunner().invoke(cli, ["code", "--db", store.path, "--engine", "dask",
                                      "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2
    assert result.output.count("\n") <= 3  # one error line, not a traceback
    assert "error: E060 cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.output
    assert "--engine local" in result.output
