"""From daily arrays to explained alerts: the armed crisis that begins without a burst.

Every stream here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np

from foreshock.aggregate.series import DailyData
from foreshock.alerts.config import load_config
from foreshock.alerts.run import detect, explain
from foreshock.api.explain import detector_parameters, reading


def _creeping(days: int, start: int) -> DailyData:
    """One dyad that is quiet, then from ``start`` carries one force story-event every
    fourth day and, from ``start + 20``, one every other day (a build-up reported evenly,
    in a corpus of 40 coded story-events a day)."""
    force = np.zeros((1, days))
    force[0, start:start + 20:4] = 1
    force[0, start + 20::2] = 1
    z = np.zeros((1, days))
    return DailyData(
        days=tuple(dt.date(2021, 9, 1) + dt.timedelta(days=i) for i in range(days)),
        dyads=("RUS-UKR",), directed=(False,), articles=np.full(days, 30.0),
        stories=np.full(days, 30.0), totals=np.full(days, 40.0), counts=force.copy(),
        conflict_counts=force.copy(), conflict=2 * force, verbal=z, material=2 * force,
        conflict_stories=force.copy(), force=force, force_stories=force.copy())


def test_a_build_up_no_detector_calls_unusual_still_raises_an_alert_when_it_is_a_crisis(
) -> None:
    config = load_config()
    alerts = detect(_creeping(150, 60), config)
    entry = [a for a in alerts if a.detector == "crisis_entry"]
    assert len(entry) == 1, [(a.detector, a.date) for a in alerts]
    alert = entry[0]
    assert alert.kind == "escalation" and alert.context == "armed crisis begins"
    assert alert.dyad_events >= config.state.war_min_events
    assert alert.stories >= config.state.war_min_stories
    text = explain(alert, config)
    assert text.startswith("escalation (armed crisis begins)") and "28 covered days" in text
    words = reading({"detector": alert.detector, "kind": alert.kind, "dyad": alert.dyad,
                     "date": alert.date.isoformat(), "dyad_events": alert.dyad_events,
                     "stories": alert.stories, "window_days": alert.window_days,
                     "context": alert.context}, config)
    assert "armed crisis from this day" in words
    assert detector_parameters(config, "crisis_entry")["war_min_events"] == 6


def test_without_entry_alerts_the_same_build_up_slips_into_the_crisis_silently() -> None:
    config = load_config()
    off = replace(config, state=replace(config.state, entry_alerts=False))
    assert not [a for a in detect(_creeping(150, 60), off) if a.detector == "crisis_entry"]


def test_a_war_the_corpus_finds_under_way_raises_no_entry_alert() -> None:
    assert not [a for a in detect(_creeping(150, 0), load_config())
                if a.detector == "crisis_entry"]


def _war_with_burst(days: int, burst: int) -> DailyData:
    """One dyad at war from the corpus's first day (one force story-event a day out of 40
    coded), then ten a day for two days from ``burst``: a new offensive."""
    force = np.ones((1, days))
    force[0, burst:burst + 2] = 10
    z = np.zeros((1, days))
    return DailyData(
        days=tuple(dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(days)),
        dyads=("ISR-LBN",), directed=(False,), articles=np.full(days, 30.0),
        stories=np.full(days, 30.0), totals=np.full(days, 40.0), counts=force.copy(),
        conflict_counts=force.copy(), conflict=2 * force, verbal=z, material=2 * force,
        conflict_stories=force.copy(), force=force, force_stories=force.copy())


def test_a_burst_in_a_settled_war_is_an_explained_escalation_the_day_it_comes() -> None:
    config = load_config()
    alerts = [a for a in detect(_war_with_burst(140, 100), config) if a.detector == "onset"]
    # the burst's two-day window fires on three days: one alert, continued (one episode)
    assert {(a.kind, a.episode_start.isoformat()) for a in alerts} == {
        ("escalation", "2024-04-10")}
    alert = alerts[0]
    assert alert.date.isoformat() == "2024-04-10"
    assert alert.context == ("in armed crisis since 2024-01-06; a burst of force against "
                             "the crisis's own rate")
    text = explain(alert, config)
    assert text.startswith("escalation (in armed crisis since 2024-01-06; a burst")
    assert "against a force rate of 2.5%" in text
    off = replace(config, state=replace(config.state, war_bursts=False))
    assert not [a for a in detect(_war_with_burst(140, 100), off) if a.detector == "onset"]
