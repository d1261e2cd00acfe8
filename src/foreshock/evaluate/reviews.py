"""Reviews as extra gold: what reviewers said of coded events, as gold sentences.

Each reviewed sentence becomes one ``GoldSentence``: the events whose latest review says
``right`` are its gold events, those marked ``wrong`` its traps (the coder should not code
them again).  Only the reviewed events are known, so precision over such a sentence means
little; recall over confirmed events and the trap rate over wrong ones do (``foreshock eval
--reviews DB`` prints those two).  Reviews keep a copy of the event (sentence, actors,
code), so they stay gold after the database is re-coded.  A reviewed sentence is coded
after the text before it in its article (when the article is still stored), as it was
when its event was found: "He warned Moscow" needs the sentence that says who he is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap
from foreshock.store.db import connect
from foreshock.store.reviews import review_rows

#: at most this much of the article before a reviewed sentence is its context (whole
#: sentences): enough for a pronoun to reach back, without coding whole briefings again
CONTEXT_CHARS = 2000


def latest_reviews(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The latest review of each event (``rows`` newest first, as ``review_rows`` gives)."""
    seen: dict[str, dict[str, Any]] = {}
    for row in rows:
        seen.setdefault(row["event_id"], row)
    return list(seen.values())


def context_before(text: str, sentence: str, start: int | None) -> str:
    """The article text before ``sentence`` (whose event starts at article offset
    ``start``), at most CONTEXT_CHARS of it cut at a sentence start; "" if not found."""
    needle = sentence.strip()
    at = text.rfind(needle, 0, max(start or 0, 0) + len(needle)) if needle else -1
    if at < 0:
        at = text.find(needle) if needle else -1
    if at <= 0:
        return ""
    before = text[:at].strip()
    if len(before) > CONTEXT_CHARS:
        tail = before[-CONTEXT_CHARS:]
        cut = tail.find(". ")
        before = tail[cut + 2:] if cut >= 0 else tail
    return before.strip()


def as_gold(rows: Iterable[dict[str, Any]], texts: Mapping[str, str] | None = None,
            urls: Mapping[str, str | None] | None = None) -> list[GoldSentence]:
    """Gold sentences from the latest reviews, one per reviewed sentence, in date order;
    ``texts`` (article id -> text) gives each the article text before it as context,
    ``urls`` (article id -> url) where it was published, which tells who "we" is."""
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in latest_reviews(rows):
        grouped.setdefault((row["article_id"], row["sentence"]), []).append(row)
    sentences = []
    for (article_id, text), reviews in grouped.items():
        right = [r for r in reviews if r["verdict"] == "right" and r["source"]]
        wrong = [r for r in reviews if r["verdict"] == "wrong" and r["source"]]
        sentences.append(GoldSentence(
            sentence_id=f"review:{article_id}:{reviews[0]['review_id']}",
            date=reviews[0]["date"], text=text.strip(),
            context=context_before((texts or {}).get(article_id, ""), text,
                                   reviews[0].get("start_char")),
            url=(urls or {}).get(article_id),
            events=tuple(GoldEvent(r["source"], r["target"], (r["code"],)) for r in right),
            traps=tuple(Trap(r["source"], r["root"], r["target"],
                             why=r["note"] or "reviewed as wrong") for r in wrong)))
    return sorted(sentences, key=lambda s: (s.date, s.sentence_id))


def review_gold(db: str) -> list[GoldSentence]:
    """The reviews stored in the database at ``db`` as gold sentences (read-only)."""
    con = connect(db, read_only=True)
    try:
        rows = review_rows(con)
        ids = sorted({str(r["article_id"]) for r in rows})
        found = con.execute(
            "SELECT article_id, text, url FROM articles WHERE list_contains(?, article_id)",
            [ids]).fetchall() if ids else []
        return as_gold(rows, {str(a): str(t) for a, t, _ in found},
                       {str(a): (str(u) if u else None) for a, _, u in found})
    finally:
        con.close()
