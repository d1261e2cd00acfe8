"""Opening the database, bulk upserts through Arrow, and the run log.

DuckDB is single-writer: one process writes (the local runner, the Dask loader or
``foreshock watch``); readers open it read-only.  Every load is an Arrow table inserted
with ``ON CONFLICT DO NOTHING`` on a stable key, so re-running the same input adds nothing.

Opening is guarded: DuckDB never installs or loads an extension on its own (opening a
SQLite file would otherwise try to fetch one from the internet), a file that is not a
Foreshock database is refused rather than written into, and a file locked by another
process is waited for (with backoff) before a clear error names the holder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.errors import LockedError, StoreError
from foreshock.ingest.readers import display_path, safe_text
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

# Never install or load an extension behind the user's back.
SAFE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
#: how long a connection waits for another process to release the file (seconds)
LOCK_WAIT = float(os.environ.get("FORESHOCK_LOCK_WAIT", "30"))
_LOCKED = re.compile(r"Could not set lock|Conflicting lock", re.IGNORECASE)
_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")
_DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
_SQLITE_MAGIC = b"SQLite format 3\x00"

LOCK_HELP = ("DuckDB lets one process write a database, or several read it, not both: "
             "close the other connection (a notebook's `con.close()`, or wait for the running "
             "`foreshock` command), and open databases in notebooks with `foreshock.open(path)`, "
             "which holds no connection between calls (docs/python-api.md)")


def connect(path: str, *, read_only: bool = False, create: bool = True,
            external_access: bool = True, wait: float | None = None,
            outdated_ok: bool = False, empty_ok: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database at ``path``: read-only, or for writing (creating it only when
    ``create``).  A missing file is E040, a file locked by another process E041
    (``LockedError``), another schema version or not a Foreshock database (a SQLite file,
    any other file, a DuckDB database without Foreshock's tables) E042, anything else
    that stops it opening E043.

    ``external_access=False`` forbids SQL that reads other files or the network (the web
    server's connections).  ``wait`` is how long to retry, with growing pauses, while
    another process holds the file (default ``LOCK_WAIT``, or ``FORESHOCK_LOCK_WAIT``
    seconds); then LockedError names the holder.

    A writer migrates a database of an older schema version (``MIGRATIONS``); a reader
    refuses it (E042, with the hint to open it for writing once) unless ``outdated_ok``
    (a check that the file is a Foreshock database at all, before anything is written);
    ``empty_ok`` lets that check pass a DuckDB file without any table (a new database a
    writer may fill).
    """
    exists = Path(path).exists()
    if not exists and (read_only or not create):
        raise StoreError(f"{path}: no such database. Check the path, or create one with "
                         f"`foreshock ingest FILES --db {path}` (or `foreshock run`)",
                         code="E040")
    fresh = _check_file(path, read_only)
    config = dict(SAFE_CONFIG)
    if not external_access:
        config["enable_external_access"] = False
    con = _open(path, read_only, config, LOCK_WAIT if wait is None else wait)
    try:
        if read_only:
            _check_version(con, path, outdated_ok=outdated_ok, missing_ok=empty_ok)
            return con
        if not fresh:
            # an older schema is migrated here, one version at a time
            _check_version(con, path, missing_ok=True, migrate=True)
        for ddl in TABLES.values():
            con.execute(ddl)
        for ddl in INDEXES:
            con.execute(ddl)
        row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
        if row is None:
            con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    except BaseException:
        con.close()
        raise
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
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'",
                        [str(version + 1)])
            con.execute("COMMIT")
        except Exception as exc:
            rollback_quietly(con)
            raise StoreError(f"{path}: cannot migrate schema {version} -> {version + 1}: "
                             f"{exc}") from exc
        version += 1


def _check_file(path: str, read_only: bool) -> bool:
    """Refuse files that are not DuckDB databases before DuckDB sees them.

    Returns whether the database is new (no file, or an empty one, which DuckDB cannot
    open and which a writer replaces).
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return True
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not a database file",
                         code="E042") from None
    except OSError as exc:
        raise StoreError(f"{path}: cannot open database: {exc.strerror}") from exc
    if not head:
        if read_only:
            raise StoreError(f"{path}: empty file, not a Foreshock database", code="E042")
        os.unlink(path)  # nothing to lose: DuckDB creates the file anew
        return True
    if head.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path}: a SQLite database, not a Foreshock (DuckDB) database",
                         code="E042")
    if head[8:12] != _DUCKDB_MAGIC:
        raise StoreError(f"{path}: not a DuckDB database file (unknown format); give a new "
                         "file name or a database made by Foreshock", code="E042")
    return False


def _open(path: str, read_only: bool,
          config: dict[str, str | bool | int | float | list[str]],
          wait: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait
    pause = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            text = str(exc)
            if "different configuration" in text:
                raise StoreError(f"{path}: this process already holds the database with "
                                 "another connection (a `duckdb.connect` in this notebook?): "
                                 f"close it, or use only `foreshock.open(path)`. {LOCK_HELP}",
                                 code="E041") from exc
            if not _LOCKED.search(text):
                raise StoreError(f"{path}: cannot open database: {exc}") from exc
            if time.monotonic() + pause > deadline:
                raise locked_error(path, text, wait) from exc
        time.sleep(pause)
        pause = min(pause * 2, 1.0)


def locked_error(path: str, message: str, waited: float) -> LockedError:
    """The error for a file held by another process (E041), naming it when DuckDB says
    which."""
    holder = _HOLDER.search(message)
    pid = int(holder.group("pid")) if holder else None
    waited_text = f" after waiting {waited:g}s" if waited else ""
    who = (f"; still in use by process {pid}{waited_text}" if pid
           else f" (still{waited_text})" if waited else "")
    return LockedError(
        f"{path}: the database is in use by another process{who}. {LOCK_HELP}; or use "
        "`foreshock watch INBOX --db FILE --serve`, which ingests, codes and serves the "
        "dashboard from one process", pid)


def _check_version(con: duckdb.DuckDBPyConnection, path: str, *, missing_ok: bool = False,
                   migrate: bool = False, outdated_ok: bool = False) -> None:
    """A Foreshock database of this schema version (E042 if not); ``missing_ok``: a
    DuckDB file without any table is a new database; ``migrate`` (writers): an older schema
    with migrations (``MIGRATIONS``) is brought up to this one first; ``outdated_ok``: such
    an older schema passes as it is."""
    tables = [str(r[0]) for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY 1").fetchall()]
    # tables in any other schema of this file make it someone else's database too
    elsewhere = [f"{r[0]}.{r[1]}" for r in con.execute(
        "SELECT table_schema, table_name FROM information_schema.tables "
        "WHERE table_catalog = current_database() AND table_schema <> 'main' "
        "AND table_schema NOT IN ('information_schema', 'pg_catalog') ORDER BY 1, 2").fetchall()]
    if not tables and not elsewhere and missing_ok:
        return  # an empty file: a new database
    tables = tables or elsewhere
    if "meta" not in tables:
        shown = ", ".join(tables[:8]) + (", ..." if len(tables) > 8 else "")
        held = f"; it holds {shown}" if shown else ""
        raise StoreError(f"{path}: not a Foreshock database (no meta table{held}); Foreshock "
                         "will not add its tables to it: give a new file name", code="E042")
    row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if migrate and row is not None and row[0] != str(SCHEMA_VERSION):
        _migrate(con, path, row[0])
        row = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if row is None or row[0] != str(SCHEMA_VERSION):
        found = row[0] if row else "none"
        hint = ""
        if found.isdigit() and int(found) in MIGRATIONS:
            if outdated_ok:
                return
            hint = " (open it for writing once, e.g. `foreshock code --db FILE`, to migrate it)"
        raise StoreError(f"{path}: schema version {found}, this Foreshock needs "
                         f"{SCHEMA_VERSION}{hint}", code="E042")


def rollback_quietly(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after a failed write without hiding why it failed.

    When COMMIT itself fails (a full disk), DuckDB has already rolled back, and a second
    ROLLBACK raises "no transaction is active", which would replace the real error.
    """
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")


def _json(value: Any) -> str:
    """JSON that DuckDB accepts: strings with lone surrogates (file names that are not
    UTF-8, as Python hands them over) keep them as visible escapes."""

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            return safe_text(item)
        if isinstance(item, dict):
            return {safe_text(str(k)): clean(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [clean(v) for v in item]
        return item

    return json.dumps(clean(value))


def start_run(con: duckdb.DuckDBPyConnection, command: str, inputs: Sequence[str],
              versions: dict[str, str]) -> int:
    row = fetch_one(con, "SELECT coalesce(max(run_id), 0) + 1 FROM runs")
    run_id = int(row[0]) if row else 1
    con.execute(
        "INSERT INTO runs (run_id, command, started, inputs, versions) VALUES (?, ?, ?, ?, ?)",
        [run_id, command, dt.datetime.now(dt.UTC), _json([display_path(p) for p in inputs]),
         _json(versions)],
    )
    return run_id


def finish_run(con: duckdb.DuckDBPyConnection, run_id: int, counts: dict[str, Any],
               started: float, finished: float) -> None:
    con.execute(
        "UPDATE runs SET finished = ?, duration_s = ?, counts = ? WHERE run_id = ?",
        [dt.datetime.now(dt.UTC), round(finished - started, 3), _json(counts), run_id],
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
    return _insert(con, "articles", _articles_table(unique, run_id))


ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("date", pa.date32()),
    ("published", pa.timestamp("us", tz="UTC")), ("title", pa.string()),
    ("url", pa.string()), ("outlet", pa.string()), ("source_path", pa.string()),
    ("locator", pa.string()), ("text", pa.string()), ("words", pa.int32()),
    ("run_id", pa.int32()), ("coded_version", pa.string()),
])


def _articles_table(articles: Sequence[Article], run_id: int) -> pa.Table:
    columns: dict[str, list[Any]] = {
        "article_id": [a.article_id for a in articles],
        "date": [a.date for a in articles],
        "published": [a.published for a in articles],
        "title": [a.title for a in articles],
        "url": [a.url for a in articles],
        "outlet": [a.outlet for a in articles],
        "source_path": [a.source_path for a in articles],
        "locator": [a.locator for a in articles],
        "text": [a.text for a in articles],
        "words": [len(a.text.split()) for a in articles],
        "run_id": [run_id] * len(articles),
        "coded_version": [None] * len(articles),
    }
    assert tuple(ARTICLE_SCHEMA.names) == ARTICLE_COLUMNS
    return pa.table(columns, schema=ARTICLE_SCHEMA)


ON_CONFLICT = ("quarantine", "keep", "replace")


@dataclass(frozen=True, slots=True)
class ArticleLoad:
    """What became of a batch of articles: every one is counted exactly once."""

    added: int = 0  # new ids (and replacements with ``replace``)
    duplicates: int = 0  # the same id with the same date and text: already stored
    conflicts: tuple[Quarantined, ...] = ()  # same id, other content: to quarantine
    kept: int = 0  # conflicts resolved by keeping the stored article (``keep``)
    replaced: int = 0  # of ``added``: stored articles replaced (``replace``)


def content_hash(date: dt.date, text: str) -> str:
    """What makes two articles with one id the same article: their date and text."""
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
    return f"{date.isoformat()}/md5:{digest[:12]}"


def store_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: int,
                   *, on_conflict: str = "quarantine") -> ArticleLoad:
    """Store new articles; an id already seen with other content is a *conflict*.

    A conflict is never dropped silently: with ``quarantine`` (the default) the later
    record goes to quarantine with both content hashes, ``keep`` keeps the stored article
    and counts the record as skipped, ``replace`` stores the later one (its events and
    story membership are dropped, so it is coded and clustered again).  Within a batch the
    first record of an id counts as stored before the later ones.
    """
    if on_conflict not in ON_CONFLICT:
        raise ValueError(f"on_conflict must be one of {', '.join(ON_CONFLICT)}, "
                         f"got {on_conflict!r}")
    stored = _stored_hashes(con, list({a.article_id for a in articles}))
    seen: dict[str, str] = dict(stored)
    fresh: dict[str, Article] = {}
    replace: dict[str, Article] = {}
    duplicates = kept = 0
    conflicts: list[Quarantined] = []
    for article in articles:
        key = content_hash(article.date, article.text)
        earlier = seen.get(article.article_id)
        if earlier is None:
            seen[article.article_id] = key
            fresh[article.article_id] = article
        elif earlier == key:
            duplicates += 1
        elif on_conflict == "keep":
            kept += 1
        elif on_conflict == "replace":
            seen[article.article_id] = key
            if article.article_id in fresh:
                fresh[article.article_id] = article
                duplicates += 1  # an in-batch predecessor is superseded before storing
            else:
                if article.article_id in replace:
                    duplicates += 1
                replace[article.article_id] = article
        else:
            conflicts.append(Quarantined(
                source_path=article.source_path, locator=article.locator,
                reason=(f"conflict: id {article.article_id!r} is already stored with other "
                        f"content (stored {earlier}, this record {key}); use --on-conflict "
                        "keep or replace to choose"),
                raw=article.text[:10_000]))
    added = insert_articles(con, list(fresh.values()), run_id)
    if replace:
        _replace_articles(con, list(replace.values()), run_id)
    return ArticleLoad(added=added + len(replace),
                       duplicates=duplicates + len(fresh) - added,
                       conflicts=tuple(conflicts), kept=kept, replaced=len(replace))


def _stored_hashes(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    if not ids:
        return {}
    con.register("_fs_incoming_ids", pa.table({"article_id": pa.array(ids, pa.string())}))
    try:
        rows = con.execute("SELECT article_id, date, md5(text) FROM articles "
                           "SEMI JOIN _fs_incoming_ids USING (article_id)").fetchall()
    finally:
        con.unregister("_fs_incoming_ids")
    return {str(r[0]): f"{r[1].isoformat()}/md5:{str(r[2])[:12]}" for r in rows}


def _replace_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article],
                      run_id: int) -> None:
    """Overwrite stored articles in place; their events and story membership go."""
    table = _articles_table(articles, run_id)
    tables = {str(r[0]) for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_fs_replace", table)
        con.execute("DELETE FROM events WHERE article_id IN "
                    "(SELECT article_id FROM _fs_replace)")
        if "story_members" in tables:
            con.execute("DELETE FROM story_members WHERE article_id IN "
                        "(SELECT article_id FROM _fs_replace)")
        sets = ", ".join(f"{c} = n.{c}" for c in ARTICLE_COLUMNS if c != "article_id")
        con.execute(f"UPDATE articles SET {sets} FROM _fs_replace n "
                    "WHERE articles.article_id = n.article_id")
        con.unregister("_fs_replace")
        con.execute("COMMIT")
    except BaseException:
        rollback_quietly(con)
        raise


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
    Values already stored are never overwritten, and a record with the same id but other
    date or text (a conflict) fills nothing in."""
    rows = [a for a in articles if a.title or a.url or a.outlet]
    if not rows:
        return 0
    incoming = pa.table({
        "article_id": pa.array([a.article_id for a in rows], pa.string()),
        "title": pa.array([a.title for a in rows], pa.string()),
        "url": pa.array([a.url for a in rows], pa.string()),
        "outlet": pa.array([a.outlet for a in rows], pa.string()),
        "date": pa.array([a.date for a in rows], pa.date32()),
        "text_md5": pa.array([hashlib.md5(a.text.encode("utf-8"),
                                          usedforsecurity=False).hexdigest() for a in rows],
                             pa.string()),
    })
    missing = ("(s.title IS NULL AND i.title IS NOT NULL OR s.url IS NULL AND i.url IS NOT NULL "
               "OR s.outlet IS NULL AND i.outlet IS NOT NULL) "
               "AND s.date = i.date AND md5(s.text) = i.text_md5")
    con.register("_fs_meta", incoming)
    try:
        found = fetch_one(con, "SELECT count(DISTINCT s.article_id) FROM articles s JOIN "
                               f"_fs_meta i USING (article_id) WHERE {missing}")
        changed = int(found[0]) if found else 0
        if changed:
            con.execute(
                "UPDATE articles s SET title = coalesce(s.title, i.title), "
                "url = coalesce(s.url, i.url), outlet = coalesce(s.outlet, i.outlet) "
                "FROM (SELECT DISTINCT ON (i.article_id) i.article_id, i.title, i.url, "
                f"i.outlet FROM _fs_meta i JOIN articles s USING (article_id) WHERE {missing}"
                ") i WHERE s.article_id = i.article_id")
    finally:
        con.unregister("_fs_meta")
    return changed


def quarantine_id(item: Quarantined) -> str:
    key = "\x1f".join([item.source_path, item.locator, item.reason, item.raw])
    return hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:20]


def insert_quarantine(con: duckdb.DuckDBPyConnection, items: Sequence[Quarantined],
                      run_id: int) -> int:
    # the last place a record can be lost: whatever it holds, it must be storable
    items = [Quarantined(safe_text(q.source_path), safe_text(q.locator), safe_text(q.reason),
                         safe_text(q.raw)) for q in items]
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
    except BaseException:
        rollback_quietly(con)
        raise
    return added
