"""Opening the database, bulk upserts through Arrow, and the run log.

DuckDB is single-writer: one process writes (the local runner or the Dask loader); readers
open it read-only.  Every load is an Arrow table inserted with ``ON CONFLICT DO NOTHING``
on a stable key, so re-running the same input adds nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
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
    MIGRATIONS,
    QUARANTINE_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
)


def connect(path: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and for writers create or check) the database at ``path``."""
    if read_only and not Path(path).exists():
        raise StoreError(f"{path}: no such database (run `foreshock run` first)")
    try:
        con = duckdb.connect(path, read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open database: {exc}") from exc
    if read_only:
        _check_version(con, path)
        return con
    con.execute(TABLES["meta"])
    row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if row is not None:
        _migrate(con, path, row[0])
    for ddl in TABLES.values():
        con.execute(ddl)
    for ddl in INDEXES:
        con.execute(ddl)
    if row is None:
        con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    else:
        _check_version(con, path)
    return con


def _migrate(con: duckdb.DuckDBPyConnection, path: str, found: str) -> None:
    """Bring an older database up to ``SCHEMA_VERSION``, one version at a time, each step in
    one transaction (a writer does this on open)."""
    if not found.isdigit():
        return  # _check_version reports it
    version = int(found)
    while version < SCHEMA_VERSION and version in MIGRATIONS:
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[version]:
                con.execute(statement)
            version += 1
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                        [str(version)])
            con.execute("COMMIT")
        except Exception as exc:
            con.execute("ROLLBACK")
            raise StoreError(f"{path}: cannot migrate schema {version} -> {version + 1}: "
                             f"{exc}") from exc


def _check_version(con: duckdb.DuckDBPyConnection, path: str) -> None:
    try:
        row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    except duckdb.Error as exc:
        raise StoreError(f"{path}: not a Foreshock database ({exc})") from exc
    if row is None or row[0] != str(SCHEMA_VERSION):
        found = row[0] if row else "none"
        hint = ""
        if found.isdigit() and int(found) in MIGRATIONS:
            hint = " (open it for writing once, e.g. `foreshock code --db FILE`, to migrate it)"
        raise StoreError(f"{path}: schema version {found}, this Foreshock needs "
                         f"{SCHEMA_VERSION}{hint}")


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
    ("target_text", pa.string()), ("run_id", pa.int32()), ("event_date", pa.date32()),
    ("event_date_precision", pa.string()), ("place", pa.string()), ("place_type", pa.int8()),
    ("place_adm1", pa.string()), ("place_country", pa.string()), ("place_lat", pa.float64()),
    ("place_lon", pa.float64()), ("place_id", pa.string()),
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
        "event_date": [e.event_date for e in unique],
        "event_date_precision": [e.event_date_precision for e in unique],
        "place": [e.place for e in unique],
        "place_type": [e.place_type for e in unique],
        "place_adm1": [e.place_adm1 for e in unique],
        "place_country": [e.place_country for e in unique],
        "place_lat": [e.place_lat for e in unique],
        "place_lon": [e.place_lon for e in unique],
        "place_id": [e.place_id for e in unique],
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
