"""Reviews as extra gold: what reviewers said of coded events, as gold sentences.

Each reviewed sentence becomes one ``GoldSentence``: the events whose latest review says
``right`` are its gold events, those marked ``wrong`` its traps (the coder should not code
them again).  Only the reviewed events are known, so precision over such a sentence means
little; recall over confirmed events and the trap rate over wrong ones do (``foreshock eval
--reviews DB`` prints those two).  Reviews keep a copy of the event (sentence, actors,
code), so they stay gold after the database is re-coded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap
from foreshock.store.db import connect
from foreshock.store.reviews import review_rows


def latest_reviews(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest review of each event (``rows`` newest first, as ``review_rows`` gives)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row["event_id"], row)
    return list(seen.values())


def as_gold(rows: Iterable[dict[str, Any]]) -> list[GoldSentence]:
    """Gold sentences from the latest reviews, one per reviewed sentence, in date order."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in latest_reviews(rows):
        grouped.setdefault((row["article_id"], row["sentence"]), []).append(row)
    sentences = []
    for (article_id, text), reviews in grouped.items():
        right = [r for r in reviews if r["verdict"] == "right" and r["source"]]
        wrong = [r for r in reviews if r["verdict"] == "wrong" and r["source"]]
        sentences.append(GoldSentence(
            sentence_id=f"review:{article_id}:{reviews[0]['review_id']}",
            date=reviews[0]["date"], text=text.strip(), context="",
            events=tuple(GoldEvent(r["source"], r["target"], (r["code"],)) for r in right),
            traps=tuple(Trap(r["source"], r["root"], r["target"],
                             why=r["note"] or "reviewed as wrong") for r in wrong)))
    return sorted(sentences, key=lambda s: (s.date, s.sentence_id))


def review_gold(db: str) -> list[GoldSentence]:
    """The reviews stored in the database at ``db`` as gold sentences (read-only)."""
    con = connect(db, read_only=True)
    try:
        return as_gold(review_rows(con))
    finally:
        con.close()
