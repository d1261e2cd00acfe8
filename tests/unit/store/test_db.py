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
from foreshock.store.schema import EVENT_COLUMNS


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


V1_EVENTS = """
    CREATE TABLE events (
        event_id VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, date DATE NOT NULL,
        sentence_index INTEGER NOT NULL, sentence VARCHAR NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        source VARCHAR, source_sector VARCHAR, target VARCHAR, target_sector VARCHAR,
        code VARCHAR NOT NULL, root VARCHAR NOT NULL, goldstein DOUBLE NOT NULL,
        quad_class TINYINT NOT NULL, modality VARCHAR NOT NULL, reported_by VARCHAR,
        pattern VARCHAR NOT NULL, extractor VARCHAR NOT NULL, trigger VARCHAR,
        source_text VARCHAR, target_text VARCHAR, run_id INTEGER NOT NULL)
"""


def test_a_version_1_database_is_migrated_on_open_for_writing(tmp_path: Path) -> None:
    import duckdb

    path = str(tmp_path / "old.duckdb")
    old = duckdb.connect(path)
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute(V1_EVENTS)
    old.execute("INSERT INTO events VALUES ('e0', 'a1', DATE '2022-01-01', 0, 'S.', 0, 1, "
                "'RUS', 'GOV', 'UKR', 'GOV', '190', '19', -10, 4, 'asserted', NULL, 'p', "
                "'v1', 't', 'Russia', 'Ukraine', 1)")
    old.close()
    with pytest.raises(StoreError, match="open it for writing once"):
        connect(path, read_only=True)
    con = connect(path)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
        ("2",)
    names = [r[0] for r in con.execute("DESCRIBE events").fetchall()]
    assert tuple(names) == EVENT_COLUMNS
    run = start_run(con, "test", [], {})
    insert_articles(con, [article(1)], run)
    new = Event("e1", "a1", dt.date(2022, 1, 1), 0, "S.", 0, 1, "RUS", "GOV", "UKR", "GOV",
                "190", "19", -10.0, 4, Modality.ASSERTED, None, "p", "v2",
                event_date=dt.date(2021, 12, 30), event_date_precision="day", place="Kharkiv",
                place_type=4, place_country="UKR", place_lat=49.98, place_lon=36.25)
    assert store_coded(con, ["a1"], events_table([new], run), "v2") == 1
    assert con.execute("SELECT event_date, place, place_country FROM events").fetchall() == \
        [(dt.date(2021, 12, 30), "Kharkiv", "UKR")]
    con.close()
    assert connect(path, read_only=True) is not None
