"""What an alert says in words: from its numbers, for known and unknown detectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from foreshock.alerts.config import load_config
from foreshock.api.explain import detector_parameters, detector_summary, reading

ALERT: dict[str, Any] = {
    "dyad": "RUS-USA", "date": dt.date(2021, 12, 8), "detector": "robust_z", "score": 6.7,
    "threshold": 4.0, "value": 0.1, "baseline": 0.00885, "window_events": 60,
    "window_articles": 20, "dyad_events": 12, "episode_start": dt.date(2021, 12, 8),
}


def test_a_robust_z_alert_in_words() -> None:
    text = reading(ALERT, load_config())
    for words in ("2021-12-08", "RUS-USA", "7 days", "10.0%", "60 coded story-events",
                  "20 articles", "0.9%", "6.7", "from 4.0"):
        assert words in text, words
    assert "continues an episode" not in text


def test_cusum_unknown_detectors_missing_baselines_and_episodes() -> None:
    config = load_config()
    cusum = reading({**ALERT, "detector": "cusum", "score": 9.1, "threshold": 8.0}, config)
    assert f"{config.cusum.ratio:g} times the baseline" in cusum and "from 8.0" in cusum
    other = reading({**ALERT, "detector": "onset", "baseline": None, "window_days": 14,
                     "episode_start": dt.date(2021, 12, 1)}, config)
    assert "14 days" in other and "no baseline yet" in other
    assert "score was 6.7 against a threshold of 4.0" in other
    assert "began on 2021-12-01" in other
    assert detector_parameters(config, "onset") == {}
    assert detector_parameters(config, "cusum")["ratio"] == config.cusum.ratio
    assert "onset" in detector_summary("onset") and "CUSUM" in detector_summary("cusum")
