"""Onset scores: a sudden burst of armed action on a dyad without such history."""

from __future__ import annotations

import math

import numpy as np
import pytest

from foreshock.alerts.onset import covered_sum, onset_scores, poisson_surprise


@pytest.mark.parametrize(("x", "lam"), [(3, 0.05), (5, 0.5), (12, 5.0), (1, 3.0), (2, 2.0)])
def test_poisson_surprise_is_the_upper_tail(x: int, lam: float) -> None:
    tail = 1.0 - sum(math.exp(-lam) * lam**k / math.factorial(k) for k in range(x))
    assert poisson_surprise(x, lam) == pytest.approx(-math.log10(tail), rel=1e-9)


def _surprise_summing_all_400_terms(x: int, expected: float) -> float:
    """The upper tail as poisson_surprise computed it before it stopped early."""
    lam = max(expected, 1e-300)

    def term(k: int) -> float:
        return -lam + k * math.log(lam) - math.lgamma(k + 1)

    logs = [term(k) for k in range(x, x + 400)]
    top = max(logs)
    total = 0.0
    for v in logs:  # plain left-to-right float addition, as the stopping rule assumes
        total += math.exp(v - top)
    return max(0.0, -(top + math.log(total)) / math.log(10))


def test_the_upper_tail_stopped_early_is_the_same_float_as_summed_in_full() -> None:
    # alerts compare scores with thresholds: stopping once the terms are below half a unit
    # in the last place of the sum must not move a single bit
    checked = 0
    for x in (1, 2, 3, 5, 8, 13, 40, 120, 399):
        for expected in (0.0, 1e-12, 1e-4, 0.01, 0.3, 0.9, 1.7, 4.2, 7.5, 30.0, 110.0):
            if x > max(expected, 1e-300):
                assert poisson_surprise(x, expected) == _surprise_summing_all_400_terms(
                    x, expected), (x, expected)
                checked += 1
    assert checked > 70


def test_poisson_surprise_grows_with_the_count_and_shrinks_with_the_rate() -> None:
    assert poisson_surprise(0, 0.1) == 0.0
    assert poisson_surprise(6, 0.1) > poisson_surprise(3, 0.1) > poisson_surprise(3, 1.0)
    assert poisson_surprise(40, 0.01) > 50  # far in the tail, still finite


def test_covered_sum_skips_days_without_articles() -> None:
    values = np.arange(1.0, 11.0)
    covered = np.array([1, 1, 0, 0, 1, 1, 1, 0, 1, 1], dtype=bool)
    # the last 3 covered days up to and including each day
    assert covered_sum(values, covered, end=0, length=3)[0].tolist() == [
        1, 3, 3, 3, 8, 13, 18, 18, 22, 26]
    # the last 3 covered days before a 2-day window ending at each day
    assert covered_sum(values, covered, end=2, length=3)[0].tolist() == [
        0, 0, 1, 3, 3, 3, 8, 13, 18, 18]


def _stream(days: int, burst_day: int, history_rate: float) -> tuple[np.ndarray, ...]:
    totals = np.full(days, 50.0)
    force = np.zeros((2, days))
    # dyad 0: no armed history, then a burst; dyad 1: steady armed action, same burst
    force[1, :] = np.round(history_rate * 50)
    force[:, burst_day] += 6
    stories = np.minimum(force, 3.0)
    return force, stories, totals


def test_a_burst_on_a_quiet_dyad_scores_high_and_on_a_war_dyad_does_not() -> None:
    force, stories, totals = _stream(80, 70, 0.1)
    scores = onset_scores(force, stories, totals, np.ones(80, dtype=bool), window=2,
                          history_days=56, min_rate=0.002, min_events=3)
    assert scores.score[0, 70] > 7  # 6 force events where 0.2 were expected (p ~ 1e-7)
    assert scores.score[1, 70] < 2  # 11 where 10 were expected: the war goes on
    assert scores.score[0, :70].max() == 0  # nothing before the burst
    assert scores.events[0, 71] == 6  # the 2-day window still holds it the next day
    assert scores.share[0, 70] == pytest.approx(6 / 100)
    assert scores.rate[1, 70] == pytest.approx(0.1)


def test_a_gap_in_coverage_is_not_read_as_peace() -> None:
    force, stories, totals = _stream(160, 150, 0.1)
    covered = np.ones(160, dtype=bool)
    covered[60:140] = False  # the corpus holds nothing for 80 days
    force[:, 60:140] = 0
    totals[60:140] = 0
    scores = onset_scores(force, stories, totals, covered, window=2, history_days=56,
                          min_rate=0.002, min_events=3)
    # the war dyad's history reaches back past the gap: its rate is still ~10%
    assert scores.rate[1, 150] == pytest.approx(0.1, abs=0.01)
    assert scores.score[1, 150] < 2
    assert scores.history_events[150] == pytest.approx(56 * 50, rel=0.05)
