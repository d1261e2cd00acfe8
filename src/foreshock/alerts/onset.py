"""Onset: a dyad with little or no history of force that suddenly carries much of it.

The escalation detectors compare a dyad with its own past weeks and need that past; a
surprise attack, a coup or a war between neighbours has none.  The onset score asks
instead: given how often this dyad took part in force or coercion (``series.force_roots``:
posture, coercion, assault, fight, mass violence) among everything the corpus coded over
its recent *covered* past, how surprising are its force story-events of the last
``window`` days?

``score = -log10 P(X >= x)`` for ``X ~ Poisson(rate * n)``, where ``x`` counts the dyad's
force story-events in the window, ``n`` all coded story-events in it, and ``rate`` the
dyad's force story-events over all story-events of the ``history`` covered days before
the window (floored at ``min_rate``).  Everything is a share of what the corpus coded, so
the same numbers hold for a wire stream and for long transcripts; and because the past is
counted in covered days (days with at least one article), a month the corpus does not
hold is skipped, not read as peace.

All functions are pure and causal: day ``t`` sees days ``<= t`` only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from foreshock.alerts.detectors import trailing_sum

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def poisson_surprise(x: int, expected: float) -> float:
    """``-log10 P(X >= x)`` for ``X ~ Poisson(expected)`` (0 for ``x <= 0``).

    Summed in log space from the terms themselves (no special functions), exact to float
    precision for the counts an alert can have.
    """
    if x <= 0:
        return 0.0
    lam = max(expected, 1e-300)
    log_lam = math.log(lam)

    def term(k: int) -> float:
        return -lam + k * log_lam - math.lgamma(k + 1)

    if x > lam:  # the upper tail: terms fall from k = x on (k > lam), the first is the top
        top = term(x)
        total = 0.0
        for k in range(x, x + 400):
            part = math.exp(term(k) - top)
            if part < total * 2.0 ** -54:
                # under half a unit in the last place of the sum: adding it, or any later
                # (smaller) term, leaves the sum as it is; stopping here gives the same float
                # as summing all 400 (most tails fall below it within a few dozen terms)
                break
            total += part
        log_sf = top + math.log(total)
    else:  # the tail holds most of the mass: 1 - P(X < x)
        cdf = sum(math.exp(term(k)) for k in range(x))
        log_sf = math.log(max(1.0 - cdf, 1e-300))
    return max(0.0, -log_sf / math.log(10))


def covered_sum(values: FloatArray, covered: BoolArray, *, end: int,
                length: int) -> FloatArray:
    """Per day ``t``: the sum of ``values`` over the last ``length`` covered days among the
    days ``<= t - end`` (fewer at the start of the series).  ``end = 0`` includes day ``t``;
    ``end = w`` ends just before a ``w``-day window that ends at ``t``."""
    values = np.atleast_2d(np.asarray(values, dtype=np.float64))
    covered = np.asarray(covered, dtype=bool)
    days = values.shape[-1]
    index = np.nonzero(covered)[0]
    # cumulative sums over covered days only, with a leading zero
    cum = np.concatenate([np.zeros((values.shape[0], 1)),
                          np.cumsum(values[:, index], axis=-1)], axis=-1)
    upto = np.concatenate([[0], np.cumsum(covered)])  # upto[d + 1]: covered days <= d
    last = np.arange(days) - end
    k = np.where(last >= 0, upto[np.clip(last + 1, 0, days)], 0)
    lo = np.maximum(k - length, 0)
    return np.asarray(cum[:, k] - cum[:, lo], dtype=np.float64)


def covered_history(values: FloatArray, covered: BoolArray, window: int,
                    length: int) -> FloatArray:
    """The last ``length`` covered days before the window ``t-window+1..t``."""
    return covered_sum(values, covered, end=window, length=length)


@dataclass(frozen=True, slots=True)
class OnsetScores:
    score: FloatArray  # -log10 of the Poisson tail (0 below min_events)
    events: FloatArray  # force story-events of the dyad in the window
    stories: FloatArray  # distinct stories behind them
    window_events: FloatArray  # all coded story-events in the window (per day)
    share: FloatArray  # events / window_events
    rate: FloatArray  # the dyad's force rate over its covered past (before the floor)
    history_events: FloatArray  # all coded story-events of that past (per day)


def onset_scores(force: FloatArray, force_stories: FloatArray, totals: FloatArray,
                 covered: BoolArray, *, window: int, history_days: int,
                 min_rate: float, min_events: float = 1.0) -> OnsetScores:
    """Poisson surprise of each dyad's force story-events in the trailing window (scored
    only where the window holds at least ``min_events`` of them; 0 elsewhere)."""
    force = np.atleast_2d(np.asarray(force, dtype=np.float64))
    x = trailing_sum(force, window)
    stories = trailing_sum(np.atleast_2d(force_stories), window)
    n = trailing_sum(np.asarray(totals, dtype=np.float64), window)
    past = covered_history(force, covered, window, history_days)
    past_totals = covered_history(np.asarray(totals, dtype=np.float64)[None, :], covered,
                                  window, history_days)[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(past_totals > 0, past / np.where(past_totals > 0, past_totals, 1),
                        0.0)
        share = np.where(n > 0, x / np.where(n > 0, n, 1), 0.0)
    expected = np.maximum(rate, min_rate) * n
    score = np.zeros(x.shape, dtype=np.float64)
    for i, j in zip(*np.nonzero(x >= max(min_events, 1.0)), strict=True):
        score[i, j] = poisson_surprise(int(x[i, j] + 0.5), float(expected[i, j]))
    return OnsetScores(score=np.asarray(score, dtype=np.float64), events=x, stories=stories,
                       window_events=np.asarray(n, dtype=np.float64),
                       share=np.asarray(share, dtype=np.float64),
                       rate=np.asarray(rate, dtype=np.float64),
                       history_events=np.asarray(past_totals, dtype=np.float64))
