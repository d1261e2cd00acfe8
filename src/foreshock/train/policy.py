"""Choosing the hybrid's decision policy on the held-out tenth of the training annotations.

Every policy of the grid is scored with the real merge and the real scorer, and the one with
the best F1 less trap rate is chosen.  Beside each policy, meta.json keeps the standard
error of its distance from the best, from a paired bootstrap of the tenth (the same
resampled sentences for every policy): on ~1,200 sentences the policies near the top are
0.01-0.02 apart with standard errors of that size, so the grid says how many policies the
tenth cannot tell apart.

Tried and not kept (session 20, BENCHMARKS.md): choosing the most precise policy within one
such standard error of the best (a variant of the one-standard-error rule) lands on the top
threshold, and on text nobody tuned on it lost recall: the bundled weights under it scored
0.419 validation F1 against 0.452 under the best point estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from foreshock.evaluate.scoring import Prediction, Report
from foreshock.extract.coder import POLICY_ADDS, Policy, merge
from foreshock.extract.learned.classifier import PairScore
from foreshock.train.examples import Proposed

#: up to 0.95: with 10,050 training sentences the held-out F1 still rose at 0.8, the old
#: top of the grid, so the grid stopped before the optimum (session 7)
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)
#: the rules keep their events where their patterns fire (the classifier adds, it does not
#: veto): with floors up to 0.5 tried, the held-out tenth preferred 0.5, and on text tuned on
#: by nobody the hybrid then lost the rules' precise events (keep_rule stays a setting)
RULE_FLOORS = (0.0,)
#: resamples of the held-out tenth behind the standard error of each policy's distance
#: from the best (1,000 gives the standard error to about 2% of itself)
RESAMPLES = 1000
#: the rule, as meta.json records it
RULE = ("best F1 less trap rate; spread: the standard error of each policy's distance from "
        f"it (paired bootstrap, {RESAMPLES})")

#: the per-sentence counts a policy's score is made of, in this order
COUNTS = ("gold", "predicted", "matched_gold", "matched_pred", "traps", "traps_hit")


@dataclass(frozen=True, slots=True)
class PolicyScore:
    policy: Policy
    precision: float
    recall: float
    f1: float
    trap_rate: float
    #: one row per held-out sentence, the columns of ``COUNTS``: what the bootstrap resamples
    #: (required: a score without them would get no spread, and the old argmax rule)
    counts: np.ndarray = field(compare=False, hash=False, repr=False)
    #: the bootstrap standard error of (best objective - this objective); 0 for the best
    spread: float = 0.0

    @property
    def objective(self) -> float:
        """What the grid maximises: F1 less the share of traps coded as events."""
        return round(self.f1 - self.trap_rate, 4)


def score_policy(scored: Sequence[Sequence[PairScore]], proposed: Sequence[Proposed],
                 policy: Policy, model: str) -> PolicyScore:
    """The real merge and the real scorer over already classified proposals."""
    report = Report()
    rows: list[tuple[int, ...]] = []
    scores = iter(scored)
    for item in proposed:
        preds: list[Prediction] = []
        for proposal in item.proposals:
            for cand in merge(proposal, next(scores), policy, model):
                preds.append(Prediction(cand.source.code,
                                        cand.target.code if cand.target else None, cand.code,
                                        cand.modality.value))
        one = report.add(item.gold, preds)
        rows.append((one.gold, one.predicted, one.matched_gold, one.matched_pred, one.traps,
                     len(one.traps_hit)))
    counts = np.array(rows, dtype=np.float64).reshape(len(rows), len(COUNTS))
    return PolicyScore(policy, report.precision, report.recall, report.f1, report.trap_rate,
                       counts)


def grid() -> list[Policy]:
    """Every policy tried: both places to add, each threshold, with and without the
    modality downgrade."""
    return [Policy(t, k, a, d) for a in POLICY_ADDS for t in THRESHOLDS for k in RULE_FLOORS
            for d in (True, False)]


def objectives(totals: np.ndarray) -> np.ndarray:
    """F1 less trap rate from summed counts (the last axis in ``COUNTS`` order), as
    ``Report`` computes them: a ratio with nothing under it is 0."""
    as_float = np.asarray(totals, dtype=np.float64)  # integer counts too (zeros_like below)
    gold, predicted, matched_gold, matched_pred, traps, traps_hit = np.moveaxis(as_float, -1, 0)

    def ratio(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        out: np.ndarray = np.divide(top, bottom, out=np.zeros_like(top), where=bottom > 0)
        return out

    precision, recall = ratio(matched_pred, predicted), ratio(matched_gold, gold)
    f1 = ratio(2 * precision * recall, precision + recall)
    result: np.ndarray = f1 - ratio(traps_hit, traps)
    return result


def pick_policy(tried: Sequence[PolicyScore], seed: int
                ) -> tuple[PolicyScore, list[PolicyScore]]:
    """The policy with the best objective, and every policy with its ``spread``: the
    bootstrap standard error of its distance from the best.

    The resamples draw the held-out sentences with replacement (seeded), the same draw for
    every policy, so each policy's distance from the best is measured on the same text.
    """
    if not tried:
        raise ValueError("no policy to choose from")
    # ties go to the more precise, then to no downgrade (with adds "quiet" and no rule floor,
    # that lets the hybrid skip encoding sentences with rule events: coder.reads)
    best = max(tried, key=lambda s: (s.objective, s.precision, not s.policy.downgrade))
    sentences = best.counts.shape[0]
    rng = np.random.default_rng(seed)
    # how often each sentence is drawn, per resample: (resamples, sentences)
    weights = rng.multinomial(sentences, np.full(sentences, 1 / sentences), size=RESAMPLES) \
        if sentences else np.zeros((RESAMPLES, 0))
    best_runs = objectives(weights @ best.counts)
    spread = [PolicyScore(s.policy, s.precision, s.recall, s.f1, s.trap_rate, s.counts,
                          0.0 if s is best else
                          float(np.std(best_runs - objectives(weights @ s.counts), ddof=1)))
              for s in tried]
    return next(new for old, new in zip(tried, spread, strict=True) if old is best), spread


def policy_meta(best: PolicyScore, tried: Sequence[PolicyScore]) -> dict[str, object]:
    """The chosen policy, its scores and the grid, as meta.json keeps them."""
    def row(s: PolicyScore) -> dict[str, object]:
        return {"threshold": s.policy.threshold, "keep_rule": s.policy.keep_rule,
                "adds": s.policy.adds, "downgrade": s.policy.downgrade, "f1": round(s.f1, 4),
                "precision": round(s.precision, 4), "recall": round(s.recall, 4),
                "trap_rate": round(s.trap_rate, 4), "spread": round(s.spread, 4)}

    return {"policy": {"threshold": best.policy.threshold, "keep_rule": best.policy.keep_rule,
                       "adds": best.policy.adds, "downgrade": best.policy.downgrade},
            "policy_rule": RULE,
            "dev_scores": {"precision": round(best.precision, 4),
                           "recall": round(best.recall, 4), "f1": round(best.f1, 4),
                           "trap_rate": round(best.trap_rate, 4)},
            "policy_grid": [row(s) for s in tried]}
