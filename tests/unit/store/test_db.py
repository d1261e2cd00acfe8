"""DuckDB store: idempotent bulk loads, atomic re-coding, schema checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from foreshock.errors import StoreError
from foreshock.records import Article, Event, Modality, Quarantined
from foreshock.store.db import (
    connect,
    events_table,
    insert_articles,
    insert_quarantine,
    start_run,
    store_coded,
)


def article(n: int) -> Article:
    day = dt.date(2022, 1, n)
    return Article(f"a{n}", day, dt.datetime(2022, 1, n, tzinfo=dt.UTC), f"Text {n}.")


def event(article_id: str, eid: str, version: str = "v1") -> Event:
    return Event(eid, article_id, dt.date(2022, 1, 1), 0, "Russia attacked Ukraine.", 7, 15,
                 "RUS", "GOV", "UKR", "GOV", "190", "19", -10.0, 4, Modality.ASSERTED, None,
                 "v.attack", version)


def test_articles_and_quarantine_are_idempotent(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    assert insert_articles(con, [article(1), article(2), article(2)], run) == 2
    assert insert_articles(con, [article(1), article(2), article(3)], run) == 1
    bad = Quarantined("f.jsonl", "f.jsonl:3", "malformed JSON", "{")
    assert insert_quarantine(con, [bad, bad], run) == 1
    assert insert_quarantine(con, [bad], run) == 0
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (3,)


def test_store_coded_replaces_other_versions_and_marks_articles(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    insert_articles(con, [article(1)], run)
    assert store_coded(con, ["a1"], events_table([event("a1", "e1", "v1")], run), "v1") == 1
    assert store_coded(con, ["a1"], events_table([event("a1", "e1", "v1")], run), "v1") == 0
    assert store_coded(con, ["a1"], events_table([event("a1", "e2", "v2")], run), "v2") == 1
    rows = con.execute("SELECT event_id, extractor FROM events").fetchall()
    assert rows == [("e2", "v2")]
    assert con.execute("SELECT coded_version FROM articles").fetchone() == ("v2",)


def test_read_only_open_of_missing_or_foreign_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        connect(str(tmp_path / "missing.duckdb"), read_only=True)
    con = connect(str(tmp_path / "t.duckdb"))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    with pytest.raises(StoreError, match="schema version 99"):
        connect(str(tmp_path / "t.duckdb"))


def test_open_errors_are_coded(tmp_path: Path) -> None:
    import duckdb

    missing = tmp_path / "missing.duckdb"
    for kwargs in ({"read_only": True}, {"create": False}):
        with pytest.raises(StoreError, match=r"^E040 .*no such database") as info:
            connect(str(missing), **kwargs)  # type: ignore[arg-type]
        assert "foreshock ingest FILES" in str(info.value)
    assert not missing.exists()
    path = tmp_path / "held.duckdb"
    connect(str(path)).close()
    holder = duckdb.connect(str(path))  # a notebook's own write connection
    try:
        with pytest.raises(StoreError, match=r"^E041 .*already holds the database"):
            connect(str(path), read_only=True)
    finally:
        holder.close()
    connect(str(path), read_only=True).close()
