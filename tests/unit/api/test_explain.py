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
    other = reading({**ALERT, "detector": "plugin_z", "baseline": None, "window_days": 14,
                     "episode_start": dt.date(2021, 12, 1)}, config)
    assert "14 days" in other and "no baseline yet" in other
    assert "score was 6.7 against a threshold of 4.0" in other
    assert "began on 2021-12-01" in other
    assert detector_parameters(config, "plugin_z") == {}
    assert detector_parameters(config, "cusum")["ratio"] == config.cusum.ratio
    assert "onset" in detector_summary("onset") and "CUSUM" in detector_summary("cusum")


def test_an_onset_reads_as_a_surprise_of_force_not_as_a_conflict_share() -> None:
    config = load_config()
    onset = {**ALERT, "detector": "onset", "kind": "onset", "score": 5.2, "window_days": 2,
             "dyad": "ARM-AZE", "dyad_events": 9, "stories": 4, "value": 0.3,
             "baseline": 0.001, "context": "new actor in the armed crisis AZE-TUR"}
    text = reading(onset, config)
    for words in ("onset, a surprise onset of force", "ARM-AZE's force story-events numbered 9 "
                  "from 4 stories", "2 days", "30.0%", "0.1%", "surprise of 5.2",
                  "from 4.0", "new actor in the armed crisis AZE-TUR",
                  f"{config.onset.history_days} covered days"):
        assert words in text, words
    assert "weighted" not in text  # the conflict-share wording of escalations does not apply
    parameters = detector_parameters(config, "onset")
    assert parameters["history_days"] == config.onset.history_days
    assert parameters["force_roots"] == list(config.series.force_roots)


def test_a_new_front_and_the_end_of_a_war() -> None:
    config = load_config()
    front = reading({**ALERT, "detector": "front", "kind": "escalation", "stories": 3,
                     "context": "in armed crisis since 2022-02-24; new front RUS>POL"}, config)
    assert "one side's force story-events (in the direction named above) were 10.0%" in front
    assert "the dyad as a whole carried 12 force story-events from 3 stories" in front
    assert "in armed crisis since 2022-02-24; new front RUS>POL" in front
    end = reading({**ALERT, "detector": "war_state", "kind": "de-escalation",
                   "window_days": 28, "context": "in armed crisis since 2020-09-27"}, config)
    assert "de-escalation, the end of an armed crisis" in end
    assert "last 28 covered days (20 articles)" in end
    assert detector_parameters(config, "war_state")["war_days"] == config.state.war_days
    for name in ("onset", "front", "war_state"):
        assert "described in the analysis settings file" not in detector_summary(name), name


def test_a_severe_act_reads_as_one_report_of_a_grave_act() -> None:
    config = load_config()
    severe = reading({**ALERT, "detector": "severe", "kind": "onset", "window_days": 1,
                      "dyad": "IRN-ISR", "dyad_events": 1, "stories": 1, "value": 0.2,
                      "baseline": 0.0, "score": 1.0, "threshold": 1.0}, config)
    for words in ("onset, a surprise onset of force", "1 severe act(s) between the two",
                  f"over the {config.severe.history_days} covered days before",
                  "One such report is enough"):
        assert words in severe, words
    assert "surprise of" not in severe  # not the Poisson wording of the onset detector
    assert detector_parameters(config, "severe")["roots"] == config.severe.roots
    assert "described in the analysis settings file" not in detector_summary("severe")
