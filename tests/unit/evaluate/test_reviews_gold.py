"""Reviews as extra gold: the latest verdict per event, right ones as gold events, wrong
ones as traps, and the coder scored on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from foreshock.evaluate.reviews import CONTEXT_CHARS, as_gold
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


LEAD = "US President Joe Biden spoke on Tuesday. "
PRONOUN = "He warned Russia against invading Ukraine."


def test_a_reviewed_sentence_keeps_the_article_text_before_it() -> None:
    # 'He' is Biden only with the sentence before it: without it the event the reviewer
    # confirmed could never be found again, and recall on reviews read as 0
    row = review("r1", "e1", "right", PRONOUN, "USA", "RUS", "130")
    row["start_char"] = len(LEAD) + 3
    (gold,) = as_gold([row], texts={"a1": LEAD + PRONOUN})
    assert gold.context == LEAD.strip() and gold.text == PRONOUN
    (alone,) = as_gold([row], texts={})  # the article is gone: the sentence alone
    assert alone.context == ""


def test_context_is_cut_to_whole_sentences() -> None:
    lead = "First sentence here. " * 200
    row = review("r1", "e1", "right", PRONOUN, "USA", "RUS", "130")
    row["start_char"] = len(lead)
    (gold,) = as_gold([row], texts={"a1": lead + PRONOUN})
    assert 0 < len(gold.context) <= CONTEXT_CHARS and gold.context.startswith("First")


def test_the_coder_resolves_a_reviewed_pronoun_from_its_context(ctx: Context) -> None:
    row = review("r1", "e1", "right", PRONOUN, "USA", "RUS", "130")
    row["start_char"] = len(LEAD) + 3
    report, _, _ = evaluate(as_gold([row], texts={"a1": LEAD + PRONOUN}), ctx)
    assert report.gold == 1 and report.recall == 1.0
    alone, _, _ = evaluate(as_gold([row]), ctx)
    assert alone.recall == 0.0  # what eval --reviews reported before


def test_a_reviewed_sentence_keeps_where_it_was_published(ctx: Context) -> None:
    # "we" in a White House release is the United States (speakers.tsv): a review of such a
    # sentence is scored as coded, with the article's url, not as an orphan sentence
    text = "We strongly condemned Russia's missile strikes on Kyiv today."
    row = review("r1", "e1", "right", text, "USA", "RUS", "111")
    gold = as_gold([row], urls={"a1": "https://www.whitehouse.gov/briefing-room/x"})
    assert gold[0].url == "https://www.whitehouse.gov/briefing-room/x"
    report, _, _ = evaluate(gold, ctx)
    assert report.recall == 1.0
    orphan, _, _ = evaluate(as_gold([row]), ctx)
    assert orphan.recall == 0.0  # what eval --reviews reported before
