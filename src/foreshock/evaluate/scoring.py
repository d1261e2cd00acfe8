"""Scoring exactly as ``docs/annotation-guide.md`` says.

- a prediction matches a gold event when source and target agree and its root is among
  the gold roots; a gold ``null`` target matches any predicted target;
- each gold event matches at most one prediction;
- root 04 (meetings) is undirected, and a mirror pair counts once, in gold and predictions;
- only asserted predictions count, for precision, recall and traps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap
from foreshock.ontology.cameo import quad_of_root

MEETING = "04"


@dataclass(frozen=True, slots=True)
class Prediction:
    source: str
    target: str | None
    code: str
    modality: str = "asserted"
    source_sector: str | None = None
    target_sector: str | None = None
    evidence: str = ""
    pattern: str = ""

    @property
    def root(self) -> str:
        return self.code[:2]


def _mirror_key(source: str, target: str | None, root: str) -> tuple[str, ...]:
    if root == MEETING and target is not None:
        a, b = sorted((source, target))
        return (a, b, root)
    return (source, target or "", root)


def collapse_predictions(preds: Sequence[Prediction]) -> list[Prediction]:
    """Asserted predictions, with each 04 mirror pair (A->B, B->A) kept once."""
    out: list[Prediction] = []
    seen: set[tuple[str, ...]] = set()
    for pred in preds:
        if pred.modality != "asserted":
            continue
        if pred.root == MEETING and pred.target is not None:
            key = _mirror_key(pred.source, pred.target, pred.root)
            if key in seen:
                continue
            seen.add(key)
        out.append(pred)
    return out


def collapse_gold(events: Sequence[GoldEvent]) -> list[GoldEvent]:
    """Gold events with a 04 mirror pair (the visitor's 042, the host's 043) kept once."""
    out: list[GoldEvent] = []
    seen: set[tuple[str, ...]] = set()
    for event in events:
        if MEETING in event.roots and event.target is not None:
            key = _mirror_key(event.source, event.target, MEETING)
            if key in seen:
                continue
            seen.add(key)
        out.append(event)
    return out


def matches(pred: Prediction, gold: GoldEvent, *, level: str = "root") -> bool:
    if level == "quad":
        ok = quad_of_root(pred.root) in {quad_of_root(r) for r in gold.roots}
    else:
        ok = pred.root in gold.roots
    if not ok:
        return False
    if gold.target is None:
        return pred.source == gold.source
    if pred.source == gold.source and pred.target == gold.target:
        return True
    undirected = pred.root == MEETING and MEETING in gold.roots
    return undirected and pred.source == gold.target and pred.target == gold.source


@dataclass(slots=True)
class SentenceScore:
    gold: int
    predicted: int
    matched_gold: int
    matched_pred: int
    pairs: list[tuple[Prediction, GoldEvent]]
    traps: int
    traps_hit: list[Trap]
    missed: list[GoldEvent]
    spurious: list[Prediction]


def score_sentence(sentence: GoldSentence, preds: Sequence[Prediction], *,
                   level: str = "root") -> SentenceScore:
    gold = collapse_gold(sentence.events)
    asserted = collapse_predictions(preds)
    used: set[int] = set()
    pairs: list[tuple[Prediction, GoldEvent]] = []
    missed: list[GoldEvent] = []
    # exact-code candidates first, so a more specific prediction is not wasted on a looser gold
    for event in gold:
        choice = None
        for i, pred in enumerate(asserted):
            if i in used or not matches(pred, event, level=level):
                continue
            if choice is None or pred.code in event.codes:
                choice = i
                if pred.code in event.codes:
                    break
        if choice is None:
            missed.append(event)
        else:
            used.add(choice)
            pairs.append((asserted[choice], event))
    hit = [t for t in sentence.traps if any(_hits(p, t) for p in asserted)]
    spurious = [p for i, p in enumerate(asserted) if i not in used]
    return SentenceScore(len(gold), len(asserted), len(pairs), len(pairs), pairs,
                         len(sentence.traps), hit, missed, spurious)


def _hits(pred: Prediction, trap: Trap) -> bool:
    if pred.source != trap.source or pred.root != trap.root:
        return False
    return trap.target is None or pred.target == trap.target


@dataclass(slots=True)
class Report:
    sentences: int = 0
    gold: int = 0
    predicted: int = 0
    matched_gold: int = 0
    matched_pred: int = 0
    traps: int = 0
    traps_hit: int = 0
    exact: int = 0
    sector_checked: int = 0
    sector_agree: int = 0
    quad_matched_gold: int = 0
    quad_matched_pred: int = 0
    non_asserted: int = 0
    gold_by_root: Counter[str] = field(default_factory=Counter)
    pred_by_root: Counter[str] = field(default_factory=Counter)
    hits_by_root: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float:
        return self.matched_pred / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched_gold / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def trap_rate(self) -> float:
        return self.traps_hit / self.traps if self.traps else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.matched_pred if self.matched_pred else 0.0

    @property
    def sector_agreement(self) -> float:
        return self.sector_agree / self.sector_checked if self.sector_checked else 0.0

    @property
    def quad_precision(self) -> float:
        return self.quad_matched_pred / self.predicted if self.predicted else 0.0

    @property
    def quad_recall(self) -> float:
        return self.quad_matched_gold / self.gold if self.gold else 0.0

    def add(self, sentence: GoldSentence, preds: Sequence[Prediction]) -> SentenceScore:
        result = score_sentence(sentence, preds)
        quad = score_sentence(sentence, preds, level="quad")
        self.sentences += 1
        self.gold += result.gold
        self.predicted += result.predicted
        self.matched_gold += result.matched_gold
        self.matched_pred += result.matched_pred
        self.quad_matched_gold += quad.matched_gold
        self.quad_matched_pred += quad.matched_pred
        self.traps += result.traps
        self.traps_hit += len(result.traps_hit)
        self.non_asserted += sum(1 for p in preds if p.modality != "asserted")
        for pred, event in result.pairs:
            self.exact += pred.code in event.codes
            self.hits_by_root[event.codes[0][:2]] += 1
            for got, want in ((pred.source_sector, event.source_sector),
                              (pred.target_sector, event.target_sector)):
                if want:
                    self.sector_checked += 1
                    self.sector_agree += got == want
        for event in collapse_gold(sentence.events):
            self.gold_by_root[event.codes[0][:2]] += 1
        for pred in collapse_predictions(preds):
            self.pred_by_root[pred.root] += 1
        return result

    def as_dict(self) -> dict[str, object]:
        roots = sorted(set(self.gold_by_root) | set(self.pred_by_root))
        return {
            "sentences": self.sentences, "gold_events": self.gold,
            "predicted_events": self.predicted, "matched_gold": self.matched_gold,
            "matched_predictions": self.matched_pred,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "traps": self.traps, "traps_hit": self.traps_hit,
            "trap_rate": round(self.trap_rate, 4), "exact_code_share": round(self.exact_share, 4),
            "sector_agreement": round(self.sector_agreement, 4),
            "quad_precision": round(self.quad_precision, 4),
            "quad_recall": round(self.quad_recall, 4),
            "non_asserted_predictions": self.non_asserted,
            "per_root": {r: {"gold": self.gold_by_root[r], "predicted": self.pred_by_root[r],
                             "hits": self.hits_by_root[r]} for r in roots},
        }
