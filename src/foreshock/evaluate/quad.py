"""QuadClass agreement on sentence-level labels (the ConfliBERT CAMEO sentences).

Those sentences carry one PentaClass label each (0 = a statement, 1-4 = the QuadClasses) and
no actors, so they cannot be scored event by event.  A sentence's predicted class is the
QuadClass of its first asserted event that is not a plain statement (root 01), or 0.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from foreshock.pipeline import Context, code_documents
from foreshock.records import Article, Modality

DATE = dt.date(2000, 1, 1)  # the sentences carry no date; people resolve to nobody


@dataclass(slots=True)
class QuadReport:
    sentences: int = 0
    agree: int = 0
    confusion: Counter[tuple[int, int]] = field(default_factory=Counter)

    @property
    def accuracy(self) -> float:
        return self.agree / self.sentences if self.sentences else 0.0

    def recall_of(self, label: int) -> float:
        total = sum(n for (gold, _), n in self.confusion.items() if gold == label)
        return self.confusion[(label, label)] / total if total else 0.0

    def as_dict(self) -> dict[str, object]:
        return {"sentences": self.sentences, "accuracy": round(self.accuracy, 4),
                "recall_by_class": {c: round(self.recall_of(c), 4) for c in range(5)},
                "confusion": {f"{g}->{p}": n for (g, p), n in sorted(self.confusion.items())}}


def predicted_class(events: Sequence[tuple[str, int, Modality]]) -> int:
    for code, quad, modality in events:
        if modality is Modality.ASSERTED and not code.startswith("01"):
            return quad
    return 0


def quad_agreement(items: Sequence[tuple[str, str, int | None]], ctx: Context) -> QuadReport:
    published = dt.datetime.combine(DATE, dt.time(), tzinfo=dt.UTC)
    articles = [Article(f"quad:{i}", DATE, published, text) for i, text, _ in items]
    report = QuadReport()
    for (_, _, label), result in zip(items, code_documents(articles, ctx), strict=True):
        gold = label or 0
        pred = predicted_class([(e.code, e.quad_class, e.modality) for e in result.events])
        report.sentences += 1
        report.agree += gold == pred
        report.confusion[(gold, pred)] += 1
    return report
