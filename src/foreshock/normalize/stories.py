"""Near-duplicate articles become stories: word shingles, MinHash signatures, LSH.

One wire story reprinted by fifty outlets must weigh as one story in the series, so every
article gets a ``story_id``.  Clustering runs in publication order and an article may only
join a story whose member was published on the same day or earlier (within
``window_days``): no article's story depends on anything published after it.  The
assignment is therefore the same whether a corpus is clustered at once or day by day, which
is what the backtest relies on.

MinHash and LSH come from ``datasketch`` (2.x, scheme ``affine32``: permutations are
bijections and signatures are uint32).  Each article's signature is stored in
``story_members``, so the LSH index is rebuilt from the database instead of being pickled,
and re-runs only hash articles that have none.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
from datasketch import LeanMinHash, MinHash, MinHashLSH

from foreshock.store.stories_schema import ensure_analysis_schema

SCHEME = "affine32"  # datasketch >= 2.0 default, pinned so stored signatures stay comparable
_TOKEN = re.compile(r"\w+", re.UNICODE)

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True, slots=True)
class StoryParams:
    shingle_words: int = 3
    num_perm: int = 128
    seed: int = 1
    threshold: float = 0.4
    window_days: int = 3

    def fingerprint(self) -> str:
        """What changes assignments; stored with each member so a change forces a rebuild."""
        text = json.dumps({"scheme": SCHEME, **asdict(self)}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Member:
    """An article as clustering sees it."""

    article_id: str
    date: dt.date
    published: dt.datetime
    signature: Signature


@dataclass(frozen=True, slots=True)
class Assignment:
    article_id: str
    story_id: str
    similarity: float  # estimated Jaccard with the closest earlier member (1.0 for a founder)


def shingles(text: str, size: int) -> set[bytes]:
    """Word ``size``-grams of the lower-cased text; a text shorter than that is one shingle."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) <= size:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i:i + size]).encode() for i in range(len(tokens) - size + 1)}


def signature(text: str, params: StoryParams) -> Signature:
    minhash = MinHash(num_perm=params.num_perm, seed=params.seed, scheme=SCHEME)
    minhash.update_batch(sorted(shingles(text, params.shingle_words)))
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard: the share of equal MinHash slots (as ``MinHash.jaccard``)."""
    return float(np.count_nonzero(a == b)) / float(len(a))


def order_key(member: Member) -> tuple[dt.date, dt.datetime, str]:
    return (member.date, member.published, member.article_id)


class StoryIndex:
    """Incremental clustering state: an LSH over members and their story ids.

    ``add`` must be called in publication order; a member joins the story of its most
    similar earlier member within ``window_days`` if that similarity reaches the threshold.
    """

    def __init__(self, params: StoryParams) -> None:
        self.params = params
        self._lsh = MinHashLSH(threshold=params.threshold, num_perm=params.num_perm)
        self._members: dict[str, tuple[dt.date, Signature, str]] = {}

    def seed(self, article_id: str, date: dt.date, sig: Signature, story_id: str) -> None:
        """Load an already assigned member (from the database) without re-deciding it."""
        self._insert(article_id, date, sig, story_id)

    def add(self, member: Member) -> Assignment:
        best: tuple[float, dt.date, str] | None = None
        earliest = member.date - dt.timedelta(days=self.params.window_days)
        for key in self._lsh.query(self._lean(member.signature)):
            date, sig, _ = self._members[key]
            if not earliest <= date <= member.date:
                continue  # later members are unknown at this date; old ones are other stories
            score = similarity(member.signature, sig)
            # most similar first; ties go to the earlier member, then the smaller id
            if score >= self.params.threshold and (
                    best is None or (-score, date, key) < (-best[0], best[1], best[2])):
                best = (score, date, key)
        if best is None:
            assignment = Assignment(member.article_id, member.article_id, 1.0)
        else:
            assignment = Assignment(member.article_id, self._members[best[2]][2],
                                    round(best[0], 4))
        self._insert(member.article_id, member.date, member.signature, assignment.story_id)
        return assignment

    def _insert(self, article_id: str, date: dt.date, sig: Signature, story_id: str) -> None:
        if article_id in self._members:
            return
        self._members[article_id] = (date, sig, story_id)
        self._lsh.insert(article_id, self._lean(sig), check_duplication=False)

    def _lean(self, sig: Signature) -> LeanMinHash:
        return LeanMinHash(seed=self.params.seed, hashvalues=sig, scheme=SCHEME)


def assign_stories(members: Iterable[Member], params: StoryParams) -> list[Assignment]:
    """Cluster ``members`` from scratch, in publication order (a pure function)."""
    index = StoryIndex(params)
    return [index.add(m) for m in sorted(members, key=order_key)]


# --- database --------------------------------------------------------------------------


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


def update_stories(con: duckdb.DuckDBPyConnection, params: StoryParams, *,
                   chunk: int = 2_000) -> StoryUpdate:
    """Assign every article without a story; rebuild all if the parameters changed.

    Idempotent: a second call finds nothing to do.  Incremental: members already stored
    keep their story; new articles are clustered in publication order against stored
    members of the same or earlier dates.  A new article dated before stored members
    (files arriving out of order, as in ``foreshock watch``) sends the members from its
    date on back through clustering with it, so the result equals clustering everything
    at once.
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
        for start in range(0, len(todo), chunk):
            rows = todo[start:start + chunk]
            texts = _texts(con, [r[0] for r in rows])  # a chunk of texts in memory at a time
            members = [Member(r[0], r[1], r[2], signature(texts[r[0]], params)) for r in rows]
            outlets = {r[0]: r[3] for r in rows}
            assigned = [index.add(m) for m in members]
            _insert_members(con, members, assigned, outlets, fingerprint)
    _refresh_stories(con)
    count = con.execute("SELECT count(*) FROM stories").fetchall()[0][0]
    return StoryUpdate(added=new, stories=int(count), rebuilt=bool(stale))


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
