"""Story membership in the database: incremental updates by a writer, and the current
membership computed in memory for a reader (nothing written).

``update_stories`` keeps ``story_members`` and ``stories`` up to date (a writer's job:
``foreshock code`` runs it).  ``current_members`` gives the same assignment without
writing, for read-only connections: stored members are reused and only articles without a
stored signature are hashed and clustered, in memory.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from foreshock.store.stories_schema import ensure_analysis_schema, has_analysis_schema
from foreshock.stories.cluster import (
    Assignment,
    Member,
    Signature,
    StoryIndex,
    StoryParams,
    order_key,
    signature,
)


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    added: int
    stories: int
    rebuilt: bool


MEMBER_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("story_id", pa.string()), ("date", pa.date32()),
    ("published", pa.timestamp("us", tz="UTC")), ("outlet", pa.string()),
    ("similarity", pa.float64()), ("signature", pa.binary()), ("params", pa.string()),
])


def to_blob(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def from_blob(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


#: ``progress(done, total)``: articles clustered so far, of those to cluster
Progress = Callable[[int, int | None], None]


def update_stories(con: duckdb.DuckDBPyConnection, params: StoryParams, *,
                   chunk: int = 2_000, progress: Progress | None = None,
                   workers: int = 1) -> StoryUpdate:
    """Assign every article without a story; rebuild all if the parameters changed.

    Idempotent: a second call finds nothing to do.  Incremental: members already stored
    keep their story; new articles are clustered in publication order against stored
    members of the same or earlier dates.  A new article dated before stored members
    (files arriving out of order, as in ``foreshock watch``) sends the members from its
    date on back through clustering with it, so the result equals clustering everything
    at once.  ``progress(done, total)`` is called as articles are clustered (hashing is
    the slow part: thousands a second).  With ``workers`` > 1 the signatures of each chunk
    are hashed in that many processes (they depend on the text alone); clustering stays in
    order, in this process.
    """
    ensure_analysis_schema(con)
    fingerprint = params.fingerprint()
    stale = con.execute("SELECT count(*) FROM story_members WHERE params <> ?",
                        [fingerprint]).fetchall()[0][0]
    if stale:
        con.execute("DELETE FROM story_members")
    todo_sql = ("SELECT a.article_id, a.date, a.published, coalesce(a.outlet, a.source_path) "
                "FROM articles a ANTI JOIN story_members m USING (article_id) "
                "ORDER BY a.date, a.published, a.article_id")
    todo = con.execute(todo_sql).fetchall()
    new = len(todo)
    if todo and not stale:
        later = con.execute("SELECT count(*) FROM story_members WHERE date >= ?",
                            [todo[0][1]]).fetchall()[0][0]
        if later:
            # their stories were decided without the earlier article: decide them again
            con.execute("DELETE FROM story_members WHERE date >= ?", [todo[0][1]])
            todo = con.execute(todo_sql).fetchall()
    if todo:
        first = min(r[1] for r in todo) - dt.timedelta(days=params.window_days)
        index = StoryIndex(params)
        for article_id, date, sig_blob, story_id in con.execute(
                "SELECT article_id, date, signature, story_id FROM story_members "
                "WHERE date >= ? ORDER BY date, published, article_id", [first]).fetchall():
            index.seed(article_id, date, from_blob(sig_blob), story_id)
        with ExitStack() as stack:
            # forkserver: the hashing processes never inherit this one's DuckDB threads
            pool = stack.enter_context(ProcessPoolExecutor(
                workers, mp_context=multiprocessing.get_context("forkserver"))) \
                if workers > 1 and len(todo) > chunk else None
            for start in range(0, len(todo), chunk):
                rows = todo[start:start + chunk]
                texts = _texts(con, [r[0] for r in rows])  # a chunk in memory at a time
                sigs = _signatures([texts[r[0]] for r in rows], params, pool, workers)
                members: list[Member] = []
                assigned: list[Assignment] = []
                for done, (r, sig) in enumerate(zip(rows, sigs, strict=True), start + 1):
                    members.append(Member(r[0], r[1], r[2], sig))
                    assigned.append(index.add(members[-1]))
                    if progress is not None:  # per article: the reporter decides when
                        progress(done, len(todo))
                outlets = {r[0]: r[3] for r in rows}
                _insert_members(con, members, assigned, outlets, fingerprint)
    _refresh_stories(con)
    count = con.execute("SELECT count(*) FROM stories").fetchall()[0][0]
    return StoryUpdate(added=new, stories=int(count), rebuilt=bool(stale))


def _signatures(texts: list[str], params: StoryParams, pool: ProcessPoolExecutor | None,
                workers: int) -> list[Signature]:
    """The MinHash signatures of ``texts``, in order; in ``pool`` when there is one."""
    if pool is None:
        return [signature(text, params) for text in texts]
    size = -(-len(texts) // workers)
    parts = [texts[i:i + size] for i in range(0, len(texts), size)]
    return [sig for part in pool.map(_sign_all, parts, [params] * len(parts)) for sig in part]


def _sign_all(texts: list[str], params: StoryParams) -> list[Signature]:
    return [signature(text, params) for text in texts]


def _texts(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> dict[str, str]:
    con.register("_fs_ids", pa.table({"article_id": pa.array(article_ids, pa.string())}))
    try:
        rows = con.execute("SELECT article_id, text FROM articles SEMI JOIN _fs_ids "
                           "USING (article_id)").fetchall()
    finally:
        con.unregister("_fs_ids")
    return {str(r[0]): str(r[1]) for r in rows}


def _insert_members(con: duckdb.DuckDBPyConnection, members: Sequence[Member],
                    assigned: Sequence[Assignment], outlets: dict[str, Any],
                    fingerprint: str) -> None:
    columns: dict[str, list[Any]] = {
        "article_id": [m.article_id for m in members],
        "story_id": [a.story_id for a in assigned],
        "date": [m.date for m in members],
        "published": [m.published for m in members],
        "outlet": [outlets[m.article_id] for m in members],
        "similarity": [a.similarity for a in assigned],
        "signature": [to_blob(m.signature) for m in members],
        "params": [fingerprint] * len(members),
    }
    con.register("_fs_new_members", pa.table(columns, schema=MEMBER_SCHEMA))
    try:
        con.execute("INSERT INTO story_members SELECT * FROM _fs_new_members "
                    "ON CONFLICT DO NOTHING")
    finally:
        con.unregister("_fs_new_members")


def _refresh_stories(con: duckdb.DuckDBPyConnection) -> None:
    """The ``stories`` table is a summary of ``story_members``; rewriting it is cheap."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM stories")
        con.execute(
            "INSERT INTO stories SELECT m.story_id, min(m.date), max(m.date), "
            "count(*), count(DISTINCT m.outlet), "
            "arg_min(a.title, (m.date, m.published, m.article_id)) "
            "FROM story_members m JOIN articles a USING (article_id) GROUP BY m.story_id")
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def stored_members(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str] | None = None
                   ) -> list[tuple[Member, str]]:
    """Stored members (with their outlet), optionally only some articles, in order."""
    if article_ids is None:
        rows = con.execute("SELECT article_id, date, published, signature, outlet "
                           "FROM story_members").fetchall()
    else:
        con.register("_fs_ids", pa.table({"article_id": pa.array(article_ids, pa.string())}))
        try:
            rows = con.execute("SELECT article_id, date, published, signature, outlet "
                               "FROM story_members SEMI JOIN _fs_ids USING (article_id)"
                               ).fetchall()
        finally:
            con.unregister("_fs_ids")
    found = [(Member(r[0], r[1], r[2], from_blob(r[3])), str(r[4] or "")) for r in rows]
    return sorted(found, key=lambda item: order_key(item[0]))


def pending_members(con: duckdb.DuckDBPyConnection, params: StoryParams) -> int:
    """Articles without a story under ``params`` (0: the stored stories are current)."""
    if not has_analysis_schema(con):
        row = con.execute("SELECT count(*) FROM articles").fetchall()
        return int(row[0][0])
    row = con.execute(
        "SELECT (SELECT count(*) FROM articles a ANTI JOIN story_members m USING (article_id))"
        " + (SELECT count(*) FROM story_members WHERE params <> ?)",
        [params.fingerprint()]).fetchall()
    return int(row[0][0])


#: the columns of an in-memory membership relation (what analysis queries read)
CURRENT_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("story_id", pa.string()), ("date", pa.date32()),
    ("published", pa.timestamp("us", tz="UTC")), ("outlet", pa.string()),
])


def current_members(con: duckdb.DuckDBPyConnection, params: StoryParams, *,
                    chunk: int = 2_000) -> pa.Table:
    """Every article's story as ``update_stories`` would assign it, computed without
    writing (works on a read-only connection).  Columns: ``CURRENT_SCHEMA``."""
    fingerprint = params.fingerprint()
    stored: list[tuple[Any, ...]] = []
    if has_analysis_schema(con):
        stored = con.execute(
            "SELECT article_id, date, signature, story_id, published, outlet FROM "
            "story_members WHERE params = ? ORDER BY date, published, article_id",
            [fingerprint]).fetchall()
    articles = con.execute(
        "SELECT article_id, date, published, coalesce(outlet, source_path) FROM articles "
        "ORDER BY date, published, article_id").fetchall()
    known = {r[0] for r in stored}
    todo = [r for r in articles if r[0] not in known]
    if todo and any(r[1] >= todo[0][1] for r in stored):
        # as ``update_stories`` does: stored members dated on or after a new article's day
        # were decided without it, so they are clustered again with it
        stored = [r for r in stored if r[1] < todo[0][1]]
        known = {r[0] for r in stored}
        todo = [r for r in articles if r[0] not in known]
    rows: list[tuple[str, str, dt.date, Any, Any]] = [
        (r[0], r[3], r[1], r[4], r[5]) for r in stored]
    if todo:
        first = min(r[1] for r in todo) - dt.timedelta(days=params.window_days)
        index = StoryIndex(params)
        for article_id, date, blob, story_id, _, _ in stored:
            if date >= first:
                index.seed(article_id, date, from_blob(blob), story_id)
        for start in range(0, len(todo), chunk):
            part = todo[start:start + chunk]
            texts = _texts(con, [r[0] for r in part])
            for article_id, date, published, outlet in part:
                member = Member(article_id, date, published,
                                signature(texts[article_id], params))
                rows.append((article_id, index.add(member).story_id, date, published, outlet))
    return pa.table({
        "article_id": [r[0] for r in rows], "story_id": [r[1] for r in rows],
        "date": [r[2] for r in rows], "published": [r[3] for r in rows],
        "outlet": [r[4] for r in rows],
    }, schema=CURRENT_SCHEMA)


def scope_members(con: duckdb.DuckDBPyConnection, params: StoryParams,
                  article_ids: Sequence[str]) -> list[tuple[Member, str]]:
    """(member, outlet) of ``article_ids`` in publication order, signatures as stored (under
    ``params``) or computed now; nothing is written (a reader's ``stored_members``)."""
    found: dict[str, tuple[Member, str]] = {}
    if has_analysis_schema(con):
        for member, outlet in stored_members(con, article_ids):
            found[member.article_id] = (member, outlet)
        con.register("_fs_ids", pa.table({"article_id": pa.array(list(article_ids),
                                                                 pa.string())}))
        try:
            current = {r[0] for r in con.execute(
                "SELECT article_id FROM story_members SEMI JOIN _fs_ids USING (article_id) "
                "WHERE params = ?", [params.fingerprint()]).fetchall()}
        finally:
            con.unregister("_fs_ids")
        found = {k: v for k, v in found.items() if k in current}
    missing = [a for a in article_ids if a not in found]
    if missing:
        texts = _texts(con, missing)
        con.register("_fs_ids", pa.table({"article_id": pa.array(missing, pa.string())}))
        try:
            rows = con.execute("SELECT article_id, date, published, coalesce(outlet, "
                               "source_path) FROM articles SEMI JOIN _fs_ids USING "
                               "(article_id)").fetchall()
        finally:
            con.unregister("_fs_ids")
        for article_id, date, published, outlet in rows:
            member = Member(article_id, date, published, signature(texts[article_id], params))
            found[article_id] = (member, str(outlet or ""))
    return sorted(found.values(), key=lambda item: order_key(item[0]))
