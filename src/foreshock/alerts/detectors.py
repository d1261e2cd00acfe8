"""Early-warning detectors: pure functions over daily series, no I/O.

Every function is causal: the output for day ``t`` depends on inputs at days ``<= t`` only
(trailing windows end at ``t``, baselines use windows ending a week or more before it,
running state only moves forward).  That is what makes a single pass over a corpus equal
to a day-by-day replay, and what the no-look-ahead test checks.

Arrays hold days along the last axis; a leading axis (dyads) is allowed everywhere, so one
call scores every dyad at once.  NaN means "no value": too thin to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

MAD_TO_SD = 1.4826  # MAD of a normal sample times this estimates its standard deviation


def trailing_sum(values: FloatArray, window: int) -> FloatArray:
    """Sum of the ``window`` days ending at each day (fewer at the start of the series)."""
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    total = np.cumsum(np.asarray(values, dtype=np.float64), axis=-1)
    out = total.copy()
    out[..., window:] -= total[..., :-window]
    return out


def windowed_share(weighted: FloatArray, totals: FloatArray, window: int,
                   min_support: float) -> FloatArray:
    """Trailing-window sum of ``weighted`` over that of ``totals`` (the same window).

    A share, not a count, so a busy news week does not look like an escalation; NaN where
    the window holds fewer than ``min_support`` coded story-events in all.
    """
    num = trailing_sum(weighted, window)
    den = trailing_sum(totals, window)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(den >= max(min_support, 1e-12), num / np.where(den > 0, den, 1), np.nan)
    return np.asarray(share, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class Baseline:
    """Per-day statistics of the past windows (NaN where too few).

    ``center`` is the larger of the median share and the trimmed pooled rate: for a sparse
    dyad most past windows hold zero or one event, so the median share sits below the true
    rate (the median of a Poisson count with mean 0.7 is 0 or 1) and a busy but ordinary
    week would look anomalous against it.  The pooled rate (events over all story-events
    of the past windows, without the single highest window) is unbiased there and still
    ignores one past spike.
    """

    median: FloatArray
    mad: FloatArray
    pooled: FloatArray
    support: FloatArray  # story-events behind the pooled rate (inf when not pooled)
    points: npt.NDArray[np.int64]

    @property
    def center(self) -> FloatArray:
        return np.asarray(np.fmax(self.median, self.pooled), dtype=np.float64)


def lagged(values: FloatArray, lag: int) -> FloatArray:
    """``values`` shifted ``lag`` days later along the last axis (NaN before the start)."""
    out = np.full_like(np.asarray(values, dtype=np.float64), np.nan)
    if lag < values.shape[-1]:
        out[..., lag:] = values[..., :values.shape[-1] - lag]
    return out


def trailing_baseline(share: FloatArray, *, step: int, count: int, min_points: int,
                      weighted: FloatArray | None = None,
                      totals: FloatArray | None = None,
                      lookback: int | None = None) -> Baseline:
    """Median, MAD and pooled rate of the latest ``count`` supported windows among those
    ending ``step*k`` days before each day, ``k = 1..lookback`` (``lookback`` defaults to
    ``count``: the windows of the last ``count`` steps).

    With ``step`` equal to the window length these past windows do not overlap the current
    one, so the day being judged never sits in its own baseline.  NaN (thin) windows are
    skipped, and with ``lookback > count`` the baseline reaches further back past them: a
    month the corpus does not cover is a gap, not a calm month, and the baseline after it
    is the last one the corpus could see.  With fewer than ``min_points`` supported windows
    the baseline is NaN.  ``weighted`` and ``totals`` are the window sums behind ``share``
    (for the pooled rate); without them the pooled rate is the median.
    """
    span = max(count, lookback or count)
    lags = range(1, span + 1)
    stack = np.stack([lagged(share, step * k) for k in lags])
    supported = ~np.isnan(stack)
    valid = supported & (np.cumsum(supported, axis=0) <= count)  # the latest `count` only
    stack = np.where(valid, stack, np.nan)
    points = np.sum(valid, axis=0)
    # medians only where some window is supported: an all-NaN slice would warn, and hiding
    # that with warnings.catch_warnings is not thread-safe (the live server's threads)
    median = np.full(points.shape, np.nan)
    mad = np.full(points.shape, np.nan)
    some = points > 0
    if some.any():
        column = stack[:, some]
        median[some] = np.nanmedian(column, axis=0)
        mad[some] = np.nanmedian(np.abs(column - median[some]), axis=0)
    if weighted is not None and totals is not None:
        nums = np.stack([lagged(np.broadcast_to(weighted, share.shape), step * k)
                         for k in lags])
        dens = np.stack([lagged(np.broadcast_to(totals, share.shape), step * k)
                         for k in lags])
        nums = np.where(valid, nums, 0.0)
        dens = np.where(valid, dens, 0.0)
        # trim the highest-share window when there are enough to spare one
        top = np.argmax(np.where(valid, stack, -np.inf), axis=0)
        spare = points > min_points
        drop = (np.arange(span)[:, None] == top.reshape(1, -1)).reshape(stack.shape) & spare
        num = np.sum(np.where(drop, 0.0, nums), axis=0)
        den = np.sum(np.where(drop, 0.0, dens), axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        support = den
    else:
        pooled = median
        support = np.full(share.shape, np.inf)
    enough = points >= min_points
    return Baseline(median=np.where(enough, median, np.nan),
                    mad=np.where(enough, mad, np.nan),
                    pooled=np.where(enough, pooled, np.nan),
                    support=np.asarray(support, dtype=np.float64),
                    points=points.astype(np.int64))


def baseline_sum(values: FloatArray, share: FloatArray, *, step: int, count: int,
                 lookback: int) -> FloatArray:
    """Sum of ``values`` (window sums) over the windows ``trailing_baseline`` uses."""
    span = max(count, lookback)
    shares = np.stack([lagged(share, step * k) for k in range(1, span + 1)])
    supported = ~np.isnan(shares)
    valid = supported & (np.cumsum(supported, axis=0) <= count)
    sums = np.stack([lagged(np.broadcast_to(values, share.shape), step * k)
                     for k in range(1, span + 1)])
    return np.asarray(np.sum(np.where(valid, np.nan_to_num(sums), 0.0), axis=0),
                      dtype=np.float64)


def robust_z(share: FloatArray, window_totals: FloatArray, base: Baseline,
             min_rate: float) -> FloatArray:
    """Robust z-score of today's share against the trailing baseline's center.

    The scale is the larger of 1.4826 MAD (spread of past weeks) and the standard deviation
    of the difference of two shares under the baseline rate (floored at ``min_rate``):
    today's, from ``window_totals`` story-events, and the baseline's, from
    ``base.support``.  A thin window is noisy, so the same share scores lower in it; a
    baseline resting on few events is uncertain, so it is not trusted to the last digit;
    and a dyad with a flat zero baseline (MAD 0) still gets a finite score.
    """
    center = base.center
    rate = np.maximum(np.nan_to_num(center, nan=0.0), min_rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        inverse = 1.0 / window_totals + 1.0 / base.support
        binomial = np.sqrt(rate * (1 - rate) * inverse)
        scale = np.maximum(MAD_TO_SD * base.mad, binomial)
        z = (share - center) / scale
    return np.asarray(np.where(np.isfinite(z), z, np.nan), dtype=np.float64)


def poisson_cusum(events: FloatArray, totals: FloatArray, base_rate: FloatArray, *,
                  ratio: float, threshold: float, min_rate: float,
                  allowed: BoolArray | None = None) -> tuple[FloatArray, BoolArray]:
    """One-sided CUSUM of the log-likelihood ratio "rate x ratio" vs "baseline rate".

    Day ``t`` adds ``x_t ln(ratio) - n_t p_t (ratio - 1)``, where ``x_t`` is the dyad's
    weighted conflict on that day, ``n_t`` all coded story-events of the day and ``p_t`` the
    baseline share (floored at ``min_rate``).  Volume enters through ``n_t``: a thin day adds
    little drift, a busy one pulls the sum down unless the dyad keeps pace.  The sum restarts
    at 0 after an alert and stays at 0 while there is no baseline.  An alert needs
    ``allowed`` (minimum support) on its day.  Returns the sum and the alert days.
    """
    events = np.atleast_2d(np.asarray(events, dtype=np.float64))
    base = np.atleast_2d(np.asarray(base_rate, dtype=np.float64))
    if allowed is None:
        allowed = np.ones(events.shape, dtype=bool)
    allowed = np.atleast_2d(allowed)
    known = ~np.isnan(base)
    rate = np.maximum(np.nan_to_num(base, nan=0.0), min_rate)
    step = events * np.log(ratio) - totals * rate * (ratio - 1.0)
    sums = np.zeros(events.shape, dtype=np.float64)
    fired = np.zeros(events.shape, dtype=bool)
    current = np.zeros(events.shape[0], dtype=np.float64)
    for t in range(events.shape[1]):
        current = np.where(known[:, t], np.maximum(0.0, current + step[:, t]), 0.0)
        hit = (current >= threshold) & allowed[:, t]
        fired[:, t] = hit
        sums[:, t] = current
        current = np.where(hit, 0.0, current)
    return sums, fired


def refractory(fire: BoolArray, days: int) -> BoolArray:
    """Keep a firing only if the same row kept none in the previous ``days`` days."""
    fire = np.atleast_2d(np.asarray(fire, dtype=bool))
    kept = np.zeros(fire.shape, dtype=bool)
    last = np.full(fire.shape[0], -(10**9), dtype=np.int64)
    for t in range(fire.shape[1]):
        ok = fire[:, t] & (t - last > days)
        kept[:, t] = ok
        last = np.where(ok, t, last)
    return kept


def threshold_alerts(score: FloatArray, threshold: float, allowed: BoolArray,
                     refractory_days: int) -> BoolArray:
    """Days where ``score >= threshold`` with support, thinned by ``refractory``."""
    with np.errstate(invalid="ignore"):
        fire = (np.nan_to_num(score, nan=-np.inf) >= threshold) & allowed
    return refractory(fire, refractory_days)
