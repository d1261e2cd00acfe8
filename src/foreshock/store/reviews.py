"""Reviews: a person's verdict on a coded event, kept for good.

The ``reviews`` table is a log: a review is never updated or deleted, a later review of
the same event supersedes it (``wrong`` and later ``right`` restores the event).  Each row
keeps a copy of what was reviewed (sentence, actors, code, modality, extractor), so a
review stays readable, and usable as gold (``foreshock.evaluate.reviews``), after the
event is re-coded under another id.

Readers ask for the current verdicts (``current_verdicts``) and can leave out events whose
current verdict is ``wrong`` for the length of a block (``excluding_wrong``): a temporary
view named ``events`` then shadows the stored table on that connection, so the series and
alert queries, which read ``events``, see the reviewed data without a change of their own.
It needs no write access: temporary views live in memory, also on a read-only connection.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb

from foreshock.store import fetch_one

VERDICTS = ("wrong", "right")

REVIEWS_DDL = """
    CREATE TABLE IF NOT EXISTS reviews (
        review_id VARCHAR PRIMARY KEY,
        event_id VARCHAR NOT NULL,
        verdict VARCHAR NOT NULL,
        note VARCHAR,
        reviewer VARCHAR,
        created TIMESTAMPTZ NOT NULL,
        article_id VARCHAR NOT NULL,
        date DATE NOT NULL,
        sentence VARCHAR NOT NULL,
        source VARCHAR, target VARCHAR,
        code VARCHAR NOT NULL, root VARCHAR NOT NULL,
        modality VARCHAR NOT NULL,
        start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
        extractor VARCHAR NOT NULL
    )
"""

#: the latest review of each event
_CURRENT = """
    SELECT event_id, arg_max(verdict, (created, review_id)) AS verdict,
           max(created) AS reviewed
    FROM reviews GROUP BY event_id
"""

REVIEW_FIELDS = ("review_id", "event_id", "verdict", "note", "reviewer", "created",
                 "article_id", "date", "sentence", "source", "target", "code", "root",
                 "modality", "start_char", "end_char", "extractor")


@dataclass(frozen=True, slots=True)
class ReviewInput:
    event_id: str
    verdict: str
    note: str | None = None
    reviewer: str | None = None

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r}: expected one of {', '.join(VERDICTS)}")


def has_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    row = fetch_one(con, "SELECT count(*) FROM information_schema.tables "
                         "WHERE table_name = 'reviews' AND table_type = 'BASE TABLE'")
    return bool(row and row[0])


def add_review(con: duckdb.DuckDBPyConnection, review: ReviewInput,
               now: dt.datetime | None = None) -> dict[str, Any] | None:
    """Append a review of a stored event (a writing connection); None if no such event."""
    con.execute(REVIEWS_DDL)
    created = now or dt.datetime.now(dt.UTC)
    key = f"{review.event_id}|{review.verdict}|{created.isoformat()}|{review.note or ''}"
    review_id = hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:20]
    cursor = con.execute(
        "INSERT INTO reviews SELECT ?, event_id, ?, ?, ?, ?, article_id, date, sentence, "
        "source, target, code, root, modality, start_char, end_char, extractor "
        "FROM events WHERE event_id = ? RETURNING review_id",
        [review_id, review.verdict, review.note, review.reviewer, created, review.event_id])
    if not cursor.fetchall():
        return None
    return review_rows(con, review_id=review_id)[0]


def review_rows(con: duckdb.DuckDBPyConnection, *, event_id: str | None = None,
                review_id: str | None = None, limit: int | None = None
                ) -> list[dict[str, Any]]:
    """Stored reviews, newest first (empty when none were ever made)."""
    if not has_reviews(con):
        return []
    cursor = con.execute(
        f"SELECT {', '.join(REVIEW_FIELDS)} FROM reviews "
        "WHERE (? IS NULL OR event_id = ?) AND (? IS NULL OR review_id = ?) "
        "ORDER BY created DESC, review_id LIMIT ?",
        [event_id, event_id, review_id, review_id, limit])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def current_verdicts(con: duckdb.DuckDBPyConnection, event_ids: list[str] | None = None
                     ) -> dict[str, str]:
    """The latest verdict of each reviewed event (of ``event_ids`` when given)."""
    if not has_reviews(con):
        return {}
    rows = con.execute(f"SELECT event_id, verdict FROM ({_CURRENT}) "
                       "WHERE ? IS NULL OR list_contains(?, event_id)",
                       [event_ids, event_ids]).fetchall()
    return {str(e): str(v) for e, v in rows}


def wrong_count(con: duckdb.DuckDBPyConnection) -> int:
    """Events whose latest review says they are wrong."""
    if not has_reviews(con):
        return 0
    row = fetch_one(con, f"SELECT count(*) FROM ({_CURRENT}) WHERE verdict = 'wrong'")
    return int(row[0]) if row else 0


@contextlib.contextmanager
def excluding_wrong(con: duckdb.DuckDBPyConnection, active: bool = True) -> Iterator[int]:
    """For the block, ``events`` on this connection leaves out events reviewed as wrong.

    Yields how many are left out (0: nothing is shadowed).  The stored table is untouched.
    """
    left_out = wrong_count(con) if active else 0
    if not left_out:
        yield 0
        return
    row = fetch_one(con, "SELECT current_database()")
    catalog = str(row[0]) if row else "main"
    quoted = '"' + catalog.replace('"', '""') + '"'
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW events AS SELECT * FROM {quoted}.main.events "
        f"WHERE event_id NOT IN (SELECT event_id FROM ({_CURRENT}) WHERE verdict = 'wrong')")
    try:
        yield left_out
    finally:
        con.execute("DROP VIEW IF EXISTS temp.main.events")
