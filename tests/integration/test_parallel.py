"""The same coder on a process pool and on a real Dask cluster gives the local runner's
events, event for event; re-running adds nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from foreshock.ontology.tsv import data_path
from foreshock.pipeline import load_context
from foreshock.runners.local import code_pending, ingest
from foreshock.runners.parallel import code_parallel
from foreshock.settings import Settings
from foreshock.store.db import connect, start_run

EVENTS = ("SELECT event_id, article_id, source, source_sector, target, target_sector, code, "
          "modality, start_char, end_char, sentence FROM events ORDER BY event_id")


def _ingested(path: Path) -> tuple[duckdb.DuckDBPyConnection, Settings, int]:
    settings = Settings(db=str(path))
    con = connect(str(path))
    run = start_run(con, "test", [], {})
    report = ingest(con, [str(data_path("demo"))], settings, run)
    assert report.added > 40
    return con, settings, run


@pytest.fixture(scope="module")
def local_events(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, ...]]:
    con, settings, run = _ingested(tmp_path_factory.mktemp("local") / "l.duckdb")
    code_pending(con, load_context(settings), run)
    rows = con.execute(EVENTS).fetchall()
    con.close()
    assert len(rows) > 100
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
