"""Coding gold sentences with the real pipeline and scoring them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from foreshock.evaluate.gold import GoldSentence
from foreshock.evaluate.importers import DUMMY_DATE
from foreshock.evaluate.scoring import Prediction, Report, SentenceScore
from foreshock.records import Article, DocumentResult

if TYPE_CHECKING:  # spaCy loads with the pipeline: only when something is coded
    from foreshock.pipeline import Context

SEPARATOR = " "  # context and sentence share a paragraph, so pronouns can reach back


@dataclass(frozen=True, slots=True)
class Outcome:
    sentence: GoldSentence
    predictions: tuple[Prediction, ...]
    score: SentenceScore


def as_article(sentence: GoldSentence) -> tuple[Article, int]:
    """The sentence (after its context, if any) as an article; returns the text's offset."""
    prefix = sentence.context.strip() + SEPARATOR if sentence.context.strip() else ""
    published = dt.datetime.combine(sentence.date, dt.time(), tzinfo=dt.UTC)
    article = Article(f"gold:{sentence.sentence_id}", sentence.date, published,
                      prefix + sentence.text, url=sentence.url)
    return article, len(prefix)


def predict(sentences: Sequence[GoldSentence], ctx: Context) -> list[tuple[Prediction, ...]]:
    articles = [as_article(s) for s in sentences]
    results = _code(articles, ctx)
    out: list[tuple[Prediction, ...]] = []
    for (_, offset), result in zip(articles, results, strict=True):
        out.append(tuple(
            Prediction(e.source or "", e.target, e.code, e.modality.value, e.source_sector,
                       e.target_sector, e.sentence, e.pattern)
            for e in result.events if e.start >= offset and e.source))
    return out


def as_predictions(sentence: GoldSentence) -> tuple[Prediction, ...]:
    """A second annotation's events, read as asserted predictions (for agreement)."""
    return tuple(Prediction(e.source, e.target, e.codes[0], "asserted", e.source_sector,
                            e.target_sector, sentence.text, "annotation")
                 for e in sentence.events)


def agreement(first: Sequence[GoldSentence], second: Sequence[GoldSentence]
              ) -> tuple[Report, list[Outcome]]:
    """Score a second annotation against the first, sentence by sentence (ids in both),
    exactly as the coder is scored: F1 is symmetric, P and R swap with the order."""
    other = {s.sentence_id: s for s in second}
    report = Report()
    outcomes = []
    for sentence in first:
        if sentence.sentence_id in other:
            preds = as_predictions(other[sentence.sentence_id])
            outcomes.append(Outcome(sentence, preds, report.add(sentence, preds)))
    return report, outcomes


def _code(articles: Sequence[tuple[Article, int]], ctx: Context) -> list[DocumentResult]:
    """Code the articles; those of a gold set without dates (the dummy date) without event
    dating: "last November" cannot be resolved against a publication date nobody knows."""
    from foreshock.pipeline import code_documents

    undated = [i for i, (a, _) in enumerate(articles) if a.date == DUMMY_DATE]
    if not undated:
        return code_documents([a for a, _ in articles], ctx)
    dated = [i for i in range(len(articles)) if i not in set(undated)]
    results: dict[int, DocumentResult] = {}
    for indices, context in ((dated, ctx), (undated, replace(ctx, time_words=None))):
        coded = code_documents([articles[i][0] for i in indices], context)
        results.update(zip(indices, coded, strict=True))
    return [results[i] for i in range(len(articles))]


def evaluate(sentences: Sequence[GoldSentence], ctx: Context
             ) -> tuple[Report, list[Outcome], float]:
    started = time.perf_counter()
    predictions = predict(sentences, ctx)
    seconds = time.perf_counter() - started
    report = Report()
    outcomes = [Outcome(s, p, report.add(s, p))
                for s, p in zip(sentences, predictions, strict=True)]
    return report, outcomes, seconds
