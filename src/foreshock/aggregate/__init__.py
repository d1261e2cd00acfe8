"""Dyad series: story-weighted counts per dyad and period, with the corpus volume beside."""

from foreshock.aggregate.series import (
    DailyData,
    Scope,
    SeriesRow,
    Weights,
    daily_data,
    dyad_key,
    dyad_series,
)

__all__ = ["DailyData", "Scope", "SeriesRow", "Weights", "daily_data", "dyad_key", "dyad_series"]
