"""Detectors are pure, causal and robust to volume; their parameters load strictly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from foreshock.alerts import detectors as det
from foreshock.alerts.config import load_config
from foreshock.errors import DataFileError


def test_trailing_sum_matches_a_naive_sum() -> None:
    rng = np.random.default_rng(1)
    values = rng.integers(0, 9, size=(3, 40)).astype(float)
    out = det.trailing_sum(values, 7)
    for t in range(40):
        assert np.allclose(out[:, t], values[:, max(0, t - 6):t + 1].sum(axis=1))
    with pytest.raises(ValueError):
        det.trailing_sum(values, 0)


def test_windowed_share_is_nan_where_the_window_is_thin() -> None:
    weighted = np.array([1.0, 1, 1, 1])
    totals = np.array([10.0, 10, 0, 0])
    share = det.windowed_share(weighted, totals, 2, min_support=15)
    assert np.isnan(share[0])  # 10 events in the window: too thin
    assert share[1] == pytest.approx(2 / 20)
    assert np.isnan(share[2])  # 10 again (the window slid past one day of 10)
    assert np.isnan(share[3])


def test_trailing_baseline_uses_only_past_windows_and_needs_enough() -> None:
    share = np.array([0.1, np.nan, 0.3, 0.2, 0.9])
    base = det.trailing_baseline(share, step=1, count=3, min_points=2)
    assert np.isnan(base.median[0]) and np.isnan(base.median[1])  # no or one past value
    assert base.median[3] == pytest.approx(0.2)  # median of 0.3, nan, 0.1
    assert base.median[4] == pytest.approx(0.25)  # median of 0.2, 0.3 (nan skipped)
    assert base.mad[4] == pytest.approx(0.05)
    assert base.points.tolist() == [0, 1, 1, 2, 2]


def spike_series(total: float) -> tuple[np.ndarray, np.ndarray]:
    share = np.array([0.02] * 10 + [0.06])
    return share, np.full(11, total)


def test_robust_z_flags_a_spike_and_discounts_thin_windows() -> None:
    share, busy = spike_series(400.0)
    base = det.trailing_baseline(share, step=1, count=8, min_points=4)
    z_busy = det.robust_z(share, busy, base, min_rate=0.005)
    assert z_busy[-1] > 4  # 6% against a steady 2%, over 400 story-events
    assert np.isnan(z_busy[:4]).all()  # no baseline yet
    _, thin = spike_series(30.0)
    z_thin = det.robust_z(share, thin, base, min_rate=0.005)
    assert z_thin[-1] < 2 < z_busy[-1]  # the same share in a thin window is weak evidence


def test_robust_z_is_finite_for_a_flat_zero_baseline() -> None:
    share = np.array([0.0] * 8 + [0.05])
    base = det.trailing_baseline(share, step=1, count=8, min_points=4)
    z = det.robust_z(share, np.full(9, 200.0), base, min_rate=0.005)
    assert np.isfinite(z[-1]) and z[-1] == pytest.approx(0.05 / np.sqrt(0.005 * 0.995 / 200))


def test_poisson_cusum_accumulates_a_sustained_rise_and_restarts() -> None:
    days = 30
    totals = np.full(days, 40.0)
    events = np.full(days, 0.4)  # 1% of 40
    events[20:] = 3.0  # 7.5% from day 20
    base = np.full(days, 0.01)
    sums, fired = det.poisson_cusum(events, totals, base, ratio=3.0, threshold=8.0,
                                    min_rate=0.005)
    assert not fired[0, :20].any()
    assert fired[0, 20:].any()
    first = int(np.argmax(fired[0]))
    assert sums[0, first] >= 8.0
    assert first + 1 < days and sums[0, first + 1] < 8.0  # restarted after the alert
    unknown = np.full(days, np.nan)
    _, none = det.poisson_cusum(events, totals, unknown, ratio=3.0, threshold=8.0,
                                min_rate=0.005)
    assert not none.any()  # no baseline, no verdict
    gated, _ = det.poisson_cusum(events, totals, base, ratio=3.0, threshold=8.0,
                                 min_rate=0.005, allowed=np.zeros((1, days), dtype=bool))
    assert gated.max() > 8.0  # evidence accumulates but no alert without support


def test_poisson_cusum_is_volume_aware() -> None:
    # the same 3 events a day is an escalation among 40 but not among 4,000
    days = 10
    base = np.full(days, 0.01)
    _, small = det.poisson_cusum(np.full(days, 3.0), np.full(days, 40.0), base, ratio=3,
                                 threshold=8, min_rate=0.005)
    _, large = det.poisson_cusum(np.full(days, 3.0), np.full(days, 4000.0), base, ratio=3,
                                 threshold=8, min_rate=0.005)
    assert small.any() and not large.any()


def test_refractory_and_threshold_alerts() -> None:
    fire = np.array([[True, True, False, True, False, False, True]])
    assert det.refractory(fire, 2).tolist() == [[True, False, False, True, False, False, True]]
    score = np.array([[np.nan, 5.0, 5.0, 1.0, 6.0]])
    allowed = np.array([[True, True, True, True, False]])
    assert det.threshold_alerts(score, 4.0, allowed, 0).tolist() == [[False, True, True,
                                                                       False, False]]


def test_every_detector_is_causal() -> None:
    """Cutting the input at day t never changes any output up to t."""
    rng = np.random.default_rng(7)
    days = 60
    totals = rng.integers(0, 80, size=days).astype(float)
    weighted = rng.poisson(1.0, size=(4, days)).astype(float)
    weighted[:, 40:] *= 4

    def run(n: int) -> list[np.ndarray]:
        share = det.windowed_share(weighted[:, :n], totals[:n], 7, 25)
        base = det.trailing_baseline(share, step=7, count=8, min_points=3)
        z = det.robust_z(share, det.trailing_sum(totals[:n], 7), base, 0.005)
        sums, fired = det.poisson_cusum(weighted[:, :n], totals[:n], base.median, ratio=3,
                                        threshold=8, min_rate=0.005)
        kept = det.threshold_alerts(z, 3.0, np.ones_like(fired), 5)
        return [share, base.median, z, sums, fired.astype(float), kept.astype(float)]

    full = run(days)
    for n in (20, 35, 41, 59):
        for short, long in zip(run(n), full, strict=True):
            assert np.allclose(short, long[:, :n], equal_nan=True)


def test_bundled_config_loads_with_types() -> None:
    config = load_config()
    assert config.version.startswith("alerts.")
    assert config.stories.shingle_words >= 1
    assert dict(config.series.quad_weights)[4] > dict(config.series.quad_weights)[3]
    assert dict(config.series.root_weights)["13"] > 1
    assert config.robust_z.signals and config.cusum.signals
    assert len(config.fingerprint()) == 12


def _copy_with(tmp_path: Path, old: str, new: str) -> Path:
    text = load_config().path
    path = tmp_path / "detectors.toml"
    content = Path(text).read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return path


def test_config_errors_name_file_line_and_expectation(tmp_path: Path) -> None:
    path = _copy_with(tmp_path, "refractory_days = 14", "refractory_dayz = 14")
    with pytest.raises(DataFileError, match=r"detectors\.toml:\d+: .*refractory_dayz"):
        load_config(path)
    path = _copy_with(tmp_path, "threshold = 4.0", 'threshold = "high"')
    with pytest.raises(DataFileError, match="type float"):
        load_config(path)
    path = _copy_with(tmp_path, 'signals = ["conflict"]', 'signals = ["anger"]')
    with pytest.raises(DataFileError, match="conflict, verbal, material"):
        load_config(path)
    path = _copy_with(tmp_path, "ratio = 3.0", "ratio = 0.5")
    with pytest.raises(DataFileError, match="> 1"):
        load_config(path)
    changed = load_config(_copy_with(tmp_path, "threshold = 8.0", "threshold = 9.0"))
    assert changed.fingerprint() != load_config().fingerprint()


def test_a_baseline_reaches_past_a_gap_to_the_latest_supported_windows() -> None:
    share = np.array([0.2, 0.2, 0.4, np.nan, np.nan, np.nan, 0.5])
    short = det.trailing_baseline(share, step=1, count=2, min_points=2)
    assert np.isnan(short.median[6])  # the last two steps are a gap: no baseline
    far = det.trailing_baseline(share, step=1, count=2, min_points=2, lookback=6)
    assert far.median[6] == pytest.approx(0.3)  # 0.4 and 0.2, the latest two before the gap
    assert far.points[6] == 2  # never more than `count`, however far it looks
    counts = np.array([1.0, 2, 3, 0, 0, 0, 9])
    assert det.baseline_sum(counts, share, step=1, count=2, lookback=6)[6] == 5  # 3 + 2


def test_onset_and_state_parameters_are_checked(tmp_path: Path) -> None:
    config = load_config()
    assert config.series.force_roots == ("15", "17", "18", "19", "20")
    assert config.onset.min_stories >= 2 and config.state.war_jump >= 1
    path = _copy_with(tmp_path, 'force_roots = ["15", "17", "18", "19", "20"]',
                      'force_roots = ["19", "99"]')
    with pytest.raises(DataFileError, match="CAMEO roots"):
        load_config(path)
    path = _copy_with(tmp_path, "war_jump = 2.0", "war_jump = 0.5")
    with pytest.raises(DataFileError, match=r"state\.war_jump"):
        load_config(path)
    path = _copy_with(tmp_path, "history_days = 56", "history_dayz = 56")
    with pytest.raises(DataFileError, match="history_dayz"):
        load_config(path)
    path = _copy_with(tmp_path, "lookback_weeks = 52", "lookback_weeks = 2")
    with pytest.raises(DataFileError, match="baseline_weeks"):
        load_config(path)
