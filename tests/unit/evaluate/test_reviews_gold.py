"""Reviews as extra gold: the latest verdict per event, right ones as gold events, wrong
ones as traps, and the coder scored on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from foreshock.evaluate.reviews import as_gold
from foreshock.evaluate.run import evaluate
from foreshock.pipeline import Context


def review(review_id: str, event_id: str, verdict: str, sentence: str, source: str,
           target: str, code: str, note: str | None = None) -> dict[str, Any]:
    return {"review_id": review_id, "event_id": event_id, "verdict": verdict, "note": note,
            "article_id": "a1", "date": dt.date(2022, 2, 24), "sentence": sentence,
            "source": source, "target": target, "code": code, "root": code[:2]}


ATTACK = "Russia attacked Ukraine on Thursday."
WARNING = "Biden warned that Russia would pay if it attacked Ukraine."


def test_latest_verdicts_become_gold_events_and_traps() -> None:
    rows = [  # newest first, as review_rows gives them
        review("r3", "e2", "wrong", WARNING, "RUS", "UKR", "190", "a warning, no attack"),
        review("r2", "e1", "right", ATTACK, "RUS", "UKR", "190"),
        review("r1", "e1", "wrong", ATTACK, "RUS", "UKR", "190"),
    ]
    gold = {s.text: s for s in as_gold(rows)}
    assert [e.codes for e in gold[ATTACK].events] == [("190",)] and not gold[ATTACK].traps
    trap = gold[WARNING].traps[0]
    assert (trap.source, trap.root, trap.target, trap.why) == ("RUS", "19", "UKR",
                                                               "a warning, no attack")
    assert not gold[WARNING].events


def test_the_coder_scored_on_reviews(ctx: Context) -> None:
    sentences = as_gold([
        review("r2", "e2", "wrong", WARNING, "RUS", "UKR", "190"),
        review("r1", "e1", "right", ATTACK, "RUS", "UKR", "190"),
    ])
    report, _, _ = evaluate(sentences, ctx)
    assert report.gold == 1 and report.recall == 1.0  # the attack is still found
    assert report.traps == 1 and report.traps_hit == 0  # the warning is not an attack
