"""Opening the database, bulk upserts through Arrow, and the run log.

DuckDB is single-writer: one process writes (the local runner or the Dask loader); readers
open it read-only.  Every load is an Arrow table inserted with ``ON CONFLICT DO NOTHING``
on a stable key, so re-running the same input adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.errors import StoreError
from foreshock.records import Article, Event, Quarantined
from foreshock.store import fetch_one
from foreshock.store.schema import (
    ARTICLE_COLUMNS,
    EVENT_COLUMNS,
    INDEXES,
    QUARANTINE_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
)

LOCK_HELP = ("DuckDB lets one process write a database, or several read it, not both: "
             "close the other connection (a notebook's `con.close()`, or wait for the running "
             "`foreshock` command), and open databases in notebooks with `foreshock.open(path)`, "
             "which holds no connection between calls (docs/python-api.md)")


def connect(path: str, *, read_only: bool = False, create: bool = True
            ) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path``: read-only, or for writing (creating it only when
    ``create``).  A missing file is E040, a file locked by another process E041, another
    schema version or not a Foreshock database E042."""
    exists = Path(path).exists()
    if not exists and (read_only or not create):
        raise StoreError(f"{path}: no such database. Check the path, or create one with "
                         f"`foreshock ingest FILES --db {path}` (or `foreshock run`)",
                         code="E040")
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.Error as exc:
        text = str(exc)
        if "lock" in text.lower():
            holder = re.search(r"PID (\d+)", text)
            who = f" (process {holder.group(1)})" if holder else ""
            raise StoreError(f"{path}: the database is in use by another process{who}. "
                             f"{LOCK_HELP}", code="E041") from exc
        if "different configuration" in text:
            raise StoreError(f"{path}: this process already holds the database with another "
                             "connection (a `duckdb.connect` in this notebook?): close it, "
                             f"or use only `foreshock.open(path)`. {LOCK_HELP}",
                             code="E041") from exc
        raise StoreError(f"{path}: cannot open database: {exc}") from exc
    if read_only:
        try:
            _check_version(con, path)
        except StoreError:
            con.close()
            raise
        return con
    if exists:
        try:
            _check_version(con, path, missing_ok=True)
        except StoreError:
            con.close()
            raise
    for ddl in TABLES.values():
        con.execute(ddl)
    for ddl in INDEXES:
        con.execute(ddl)
    row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    return con


def _check_version(con: duckdb.DuckDBPyConnection, path: str, *, missing_ok: bool = False
                   ) -> None:
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    if not tables and missing_ok:
        return  # an empty file: a new database
    if "meta" not in tables:
        raise StoreError(f"{path}: not a Foreshock database (it has no meta table)",
                         code="E042")
    row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if row is None or row[0] != str(SCHEMA_VERSION):
        found = row[0] if row else "none"
        raise StoreError(f"{path}: schema version {found}, this Foreshock needs "
                         f"{SCHEMA_VERSION}", code="E042")


def start_run(con: duckdb.DuckDBPyConnection, command: str, inputs: Sequence[str],
              versions: dict[str, str]) -> int:
    row = fetch_one(con, "SELECT coalesce(max(run_id), 0) + 1 FROM runs")
    run_id = int(row[0]) if row else 1
    con.execute(
        "INSERT INTO runs (run_id, command, started, inputs, versions) VALUES (?, ?, ?, ?, ?)",
        [run_id, command, dt.datetime.now(dt.UTC), json.dumps(list(inputs)),
         json.dumps(versions)],
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, counts: dict[str, Any],
               started: float, finished: float) -> None:
    con.execute(
        "UPDATE runs SET finished = ?, duration_s = ?, counts = ? WHERE run_id = ?",
        [dt.datetime.now(dt.UTC), round(finished - started, 3), json.dumps(counts), run_id],
    )


def _insert(con: duckdb.DuckDBPyConnection, table: str, data: pa.Table) -> int:
    """Insert an Arrow table, skipping rows whose primary key exists; returns rows added."""
    if data.num_rows == 0:
        return 0
    before = _count(con, table)
    con.register("_incoming", data)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _incoming ON CONFLICT DO NOTHING")
    finally:
        con.unregister("_incoming")
    return _count(con, table) - before


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = fetch_one(con, f"SELECT count(*) FROM {table}")
    return int(row[0]) if row else 0


def insert_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article],
                    run_id: int) -> int:
    # the same id twice in one batch would violate the key inside one INSERT
    unique = list({a.article_id: a for a in articles}.values())
    columns: dict[str, list[Any]] = {
        "article_id": [a.article_id for a in unique],
        "date": [a.date for a in unique],
        "published": [a.published for a in unique],
        "title": [a.title for a in unique],
        "url": [a.url for a in unique],
        "outlet": [a.outlet for a in unique],
        "source_path": [a.source_path for a in unique],
        "locator": [a.locator for a in unique],
        "text": [a.text for a in unique],
        "words": [len(a.text.split()) for a in unique],
        "run_id": [run_id] * len(unique),
        "coded_version": [None] * len(unique),
    }
    schema = pa.schema([
        ("article_id", pa.string()), ("date", pa.date32()),
        ("published", pa.timestamp("us", tz="UTC")), ("title", pa.string()),
        ("url", pa.string()), ("outlet", pa.string()), ("source_path", pa.string()),
        ("locator", pa.string()), ("text", pa.string()), ("words", pa.int32()),
        ("run_id", pa.int32()), ("coded_version", pa.string()),
    ])
    assert tuple(schema.names) == ARTICLE_COLUMNS
    return _insert(con, "articles", pa.table(columns, schema=schema))


def stored_links(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
                 ) -> dict[str, str | None]:
    """The stored url of each of ``article_ids`` that exists (None: stored without one)."""
    if not article_ids:
        return {}
    con.register("_fs_ids", pa.table({"article_id": pa.array(list(article_ids), pa.string())}))
    try:
        rows = con.execute("SELECT article_id, url FROM articles SEMI JOIN _fs_ids "
                           "USING (article_id)").fetchall()
    finally:
        con.unregister("_fs_ids")
    return {str(r[0]): r[1] for r in rows}


def fill_metadata(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> int:
    """Fill in a stored article's missing title, url or outlet from a record of the same
    article (a re-ingest with a better ``--column`` mapping); returns articles changed.
    Values already stored are never overwritten."""
    rows = [a for a in articles if a.title or a.url or a.outlet]
    if not rows:
        return 0
    incoming = pa.table({
        "article_id": pa.array([a.article_id for a in rows], pa.string()),
        "title": pa.array([a.title for a in rows], pa.string()),
        "url": pa.array([a.url for a in rows], pa.string()),
        "outlet": pa.array([a.outlet for a in rows], pa.string()),
    })
    missing = ("(s.title IS NULL AND i.title IS NOT NULL OR s.url IS NULL AND i.url IS NOT NULL "
               "OR s.outlet IS NULL AND i.outlet IS NOT NULL)")
    con.register("_fs_meta", incoming)
    try:
        found = fetch_one(con, "SELECT count(DISTINCT s.article_id) FROM articles s JOIN "
                               f"_fs_meta i USING (article_id) WHERE {missing}")
        changed = int(found[0]) if found else 0
        if changed:
            con.execute(
                "UPDATE articles s SET title = coalesce(s.title, i.title), "
                "url = coalesce(s.url, i.url), outlet = coalesce(s.outlet, i.outlet) "
                f"FROM (SELECT DISTINCT ON (article_id) * FROM _fs_meta) i "
                f"WHERE s.article_id = i.article_id AND {missing}")
    finally:
        con.unregister("_fs_meta")
    return changed


def quarantine_id(item: Quarantined) -> str:
    key = "\x1f".join([item.source_path, item.locator, item.reason, item.raw])
    return hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:20]


def insert_quarantine(con: duckdb.DuckDBPyConnection, items: Sequence[Quarantined],
                      run_id: int) -> int:
    unique = list({quarantine_id(q): q for q in items}.items())
    columns = {
        "quarantine_id": [k for k, _ in unique],
        "source_path": [q.source_path for _, q in unique],
        "locator": [q.locator for _, q in unique],
        "reason": [q.reason for _, q in unique],
        "raw": [q.raw for _, q in unique],
        "run_id": [run_id] * len(unique),
    }
    assert tuple(columns) == QUARANTINE_COLUMNS
    return _insert(con, "quarantine", pa.table(columns))


EVENT_SCHEMA = pa.schema([
    ("event_id", pa.string()), ("article_id", pa.string()), ("date", pa.date32()),
    ("sentence_index", pa.int32()), ("sentence", pa.string()), ("start_char", pa.int32()),
    ("end_char", pa.int32()), ("source", pa.string()), ("source_sector", pa.string()),
    ("target", pa.string()), ("target_sector", pa.string()), ("code", pa.string()),
    ("root", pa.string()), ("goldstein", pa.float64()), ("quad_class", pa.int8()),
    ("modality", pa.string()), ("reported_by", pa.string()), ("pattern", pa.string()),
    ("extractor", pa.string()), ("trigger", pa.string()), ("source_text", pa.string()),
    ("target_text", pa.string()), ("run_id", pa.int32()),
])


def events_table(events: Sequence[Event], run_id: int) -> pa.Table:
    """Events as an Arrow table in the column order of the ``events`` table."""
    unique = list({e.event_id: e for e in events}.values())
    columns: dict[str, list[Any]] = {
        "event_id": [e.event_id for e in unique],
        "article_id": [e.article_id for e in unique],
        "date": [e.date for e in unique],
        "sentence_index": [e.sentence_index for e in unique],
        "sentence": [e.sentence for e in unique],
        "start_char": [e.start for e in unique],
        "end_char": [e.end for e in unique],
        "source": [e.source for e in unique],
        "source_sector": [e.source_sector for e in unique],
        "target": [e.target for e in unique],
        "target_sector": [e.target_sector for e in unique],
        "code": [e.code for e in unique],
        "root": [e.root for e in unique],
        "goldstein": [e.goldstein for e in unique],
        "quad_class": [e.quad_class for e in unique],
        "modality": [e.modality.value for e in unique],
        "reported_by": [e.reported_by for e in unique],
        "pattern": [e.pattern for e in unique],
        "extractor": [e.extractor for e in unique],
        "trigger": [e.trigger for e in unique],
        "source_text": [e.source_text for e in unique],
        "target_text": [e.target_text for e in unique],
        "run_id": [run_id] * len(unique),
    }
    assert tuple(columns) == EVENT_COLUMNS
    return pa.table(columns, schema=EVENT_SCHEMA)


def store_coded(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], events: pa.Table,
                version: str) -> int:
    """Replace the events of ``article_ids`` with ``events`` and mark them coded, atomically.

    Events from another extractor version are dropped first, so re-coding after an upgrade
    does not keep stale events beside the new ones.
    """
    ids = pa.table({"article_id": pa.array(list(article_ids), pa.string())})
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_ids", ids)
        con.execute("DELETE FROM events WHERE article_id IN (SELECT article_id FROM _ids) "
                    "AND extractor <> ?", [version])
        added = _insert(con, "events", events)
        con.execute("UPDATE articles SET coded_version = ? WHERE article_id IN "
                    "(SELECT article_id FROM _ids)", [version])
        con.unregister("_ids")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return added
