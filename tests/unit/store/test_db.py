"""DuckDB store: idempotent bulk loads, atomic re-coding, schema checks."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from foreshock.errors import StoreError
from foreshock.records import Article, Event, Modality, Quarantined
from foreshock.store.db import (
    LockedError,
    connect,
    content_hash,
    events_table,
    insert_articles,
    insert_quarantine,
    start_run,
    store_articles,
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


def test_open_errors_are_coded(tmp_path: Path) -> None:
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


# --- conflicts: same id, other content -----------------------------------------------------


def other(n: int, text: str) -> Article:
    return Article(f"a{n}", dt.date(2022, 1, n), dt.datetime(2022, 1, n, tzinfo=dt.UTC), text,
                   source_path="later.jsonl", locator=f"later.jsonl:{n}")


def test_same_id_other_text_is_a_quarantined_conflict_with_both_hashes(tmp_path: Path) -> None:
    """Used to be dropped as "already stored" (across runs the first won, within a chunk
    the last): now neither record is lost without a word."""
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    first = store_articles(con, [article(1), article(2), other(2, "Changed in one batch.")], run)
    assert (first.added, first.duplicates, len(first.conflicts)) == (2, 0, 1)
    again = store_articles(con, [article(1), other(1, "Changed in a later run.")], run)
    assert (again.added, again.duplicates, len(again.conflicts)) == (0, 1, 1)
    reason = again.conflicts[0].reason
    stored, new = content_hash(dt.date(2022, 1, 1), "Text 1."), content_hash(
        dt.date(2022, 1, 1), "Changed in a later run.")
    assert reason.startswith(f"conflict: id 'a1' is already stored with other content "
                             f"(stored {stored}, this record {new})")
    assert again.conflicts[0].locator == "later.jsonl:1"
    assert con.execute("SELECT text FROM articles WHERE article_id = 'a1'").fetchall() == [
        ("Text 1.",)]


def test_on_conflict_keep_and_replace(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    store_articles(con, [article(1)], run)
    store_coded(con, ["a1"], events_table([event("a1", "e1")], run), "v1")
    kept = store_articles(con, [other(1, "New text.")], run, on_conflict="keep")
    assert (kept.added, kept.kept, kept.conflicts) == (0, 1, ())
    replaced = store_articles(con, [other(1, "New text.")], run, on_conflict="replace")
    assert (replaced.added, replaced.replaced) == (1, 1)
    assert con.execute("SELECT text, coded_version FROM articles").fetchall() == [
        ("New text.", None)]  # to be coded again
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(0,)]
    with pytest.raises(ValueError, match="on_conflict must be one of"):
        store_articles(con, [article(1)], run, on_conflict="merge")


def test_quarantine_stores_anything_even_lone_surrogates(tmp_path: Path) -> None:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    bad = Quarantined("caf\udce9.jsonl", "caf\udce9.jsonl:1", "x \ud800", "{\"t\": \"\ud800\"}")
    assert insert_quarantine(con, [bad], run) == 1
    assert con.execute("SELECT source_path, raw FROM quarantine").fetchall() == [
        ("caf\\udce9.jsonl", '{"t": "\\ud800"}')]


# --- opening: never a foreign file, never an extension, wait for a lock ---------------------


def test_sqlite_and_foreign_files_are_refused(tmp_path: Path) -> None:
    lite = tmp_path / "x.sqlite"
    sqlite3.connect(lite).execute("CREATE TABLE t (a)").connection.commit()
    with pytest.raises(StoreError, match="a SQLite database, not a Foreshock"):
        connect(str(lite))
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database at all" * 10)
    with pytest.raises(StoreError, match="not a DuckDB database file"):
        connect(str(junk))
    assert junk.read_bytes() == b"not a database at all" * 10  # untouched


def test_duckdb_file_without_meta_is_not_written_into(tmp_path: Path) -> None:
    """Writers used to stamp schema_version 1 onto any DuckDB file and add their tables."""
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE sales (a INTEGER)")
    con.close()
    with pytest.raises(StoreError, match=r"not a Foreshock database \(no meta table; it "
                                         r"holds sales\)"):
        connect(str(path))
    con = duckdb.connect(str(path), read_only=True)
    assert [r[0] for r in con.execute("SHOW TABLES").fetchall()] == ["sales"]
    con.close()


def test_new_empty_database_and_empty_file_are_fine(tmp_path: Path) -> None:
    empty_db = tmp_path / "e.duckdb"
    duckdb.connect(str(empty_db)).close()
    connect(str(empty_db)).close()
    empty_file = tmp_path / "f.duckdb"
    empty_file.touch()
    connect(str(empty_file)).close()
    connect(str(empty_file), read_only=True).close()


def test_extensions_are_never_loaded_and_server_connections_cannot_read_files(
        tmp_path: Path) -> None:
    path = str(tmp_path / "t.duckdb")
    con = connect(path)
    assert con.execute("SELECT current_setting('autoinstall_known_extensions'), "
                       "current_setting('autoload_known_extensions')").fetchall() == [
        (False, False)]
    con.close()
    (tmp_path / "secret.csv").write_text("a\n1\n")
    reader = connect(path, read_only=True, external_access=False)
    with pytest.raises(duckdb.Error, match="disabled"):
        reader.execute(f"SELECT * FROM read_csv('{tmp_path / 'secret.csv'}')").fetchall()
    reader.close()


def test_a_locked_database_is_waited_for_then_named(tmp_path: Path) -> None:
    path = str(tmp_path / "t.duckdb")
    connect(path).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(float(sys.argv[2]))", path, "1.5"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(LockedError, match=f"in use by process {holder.pid}") as info:
            connect(path, wait=0.2)
        assert info.value.pid == holder.pid
        assert "foreshock watch" in str(info.value)
        started = time.monotonic()
        connect(path, wait=30).close()  # the holder lets go after 1.5 s
        assert time.monotonic() - started < 25
    finally:
        holder.kill()
        holder.wait()


def test_failed_commit_is_not_hidden_by_the_rollback(tmp_path: Path) -> None:
    """On a full disk COMMIT fails and DuckDB rolls back itself; the second ROLLBACK's
    "no transaction is active" used to replace "No space left on device"."""

    class FullDisk:
        def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
            self.con = con

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                self.con.execute("ROLLBACK")
                raise duckdb.IOException("IO Error: No space left on device")
            return self.con.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.con, name)

    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    insert_articles(con, [article(1)], run)
    with pytest.raises(duckdb.IOException, match="No space left on device"):
        store_coded(FullDisk(con), ["a1"], events_table([event("a1", "e1")], run),  # type: ignore[arg-type]
                    "v1")
    assert con.execute("SELECT coded_version FROM articles").fetchall() == [(None,)]


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


def test_a_version_1_database_opens_for_the_python_api_and_migrates_on_first_write(
        tmp_path: Path) -> None:
    """``foreshock.open`` (and every CLI command) checks the file read-only first: an older
    schema with a migration passes that check, a read says how to migrate, a write does."""
    import foreshock

    path = str(tmp_path / "old.duckdb")
    old = duckdb.connect(path)
    old.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    old.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    old.execute(V1_EVENTS)
    old.close()
    connect(path, read_only=True, outdated_ok=True).close()
    store = foreshock.open(path)
    with pytest.raises(StoreError, match=r"^E042 .*open it for writing once"):
        store.events()
    with store.writing() as con:
        assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'"
                           ).fetchone() == ("2",)
    assert store.events().num_rows == 0
