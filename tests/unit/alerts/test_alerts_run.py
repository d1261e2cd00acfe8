"""From daily arrays to explained alerts: the armed crisis that begins without a burst; and
the order of an alert's evidence.

Every stream here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np

from foreshock.aggregate.series import DailyData, Scope
from foreshock.alerts.config import load_config
from foreshock.alerts.run import Alert, attach_evidence, detect, explain
from foreshock.api.explain import detector_parameters, reading
from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.store.stories_schema import ensure_analysis_schema


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


def _war(days: int, *, start: int = 0, total: float = 40.0, level: float = 1.0,
         burst: int | None = None, rise: float = 10.0) -> DailyData:
    """One dyad at war from day ``start`` (``level`` force story-events a day out of
    ``total`` coded, nothing before), and from day ``burst`` two days at ``rise`` times that."""
    force = np.zeros((1, days))
    force[0, start:] = level
    if burst is not None:
        force[0, burst:burst + 2] = level * rise
    z = np.zeros((1, days))
    return DailyData(
        days=tuple(dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(days)),
        dyads=("ISR-LBN",), directed=(False,), articles=np.full(days, 30.0),
        stories=np.full(days, 30.0), totals=np.full(days, total), counts=force.copy(),
        conflict_counts=force.copy(), conflict=2 * force, verbal=z, material=2 * force,
        conflict_stories=force.copy(), force=force, force_stories=force.copy())


def test_a_burst_in_a_settled_war_is_an_explained_escalation_the_day_it_comes() -> None:
    config = load_config()
    alerts = [a for a in detect(_war(140, burst=100), config) if a.detector == "onset"]
    # the burst's two-day window fires on three days: one alert, continued (one episode)
    assert {(a.kind, a.episode_start.isoformat()) for a in alerts} == {
        ("escalation", "2024-04-10")}
    alert = alerts[0]
    assert alert.date.isoformat() == "2024-04-10"
    assert alert.context == ("in armed crisis since 2024-01-06; a burst of force, 5.5x the "
                             "crisis's own rate (needs 2x)")
    text = explain(alert, config)
    assert text.startswith("escalation (in armed crisis since 2024-01-06; a burst")
    assert "against a force rate of 2.5%" in text
    off = replace(config, state=replace(config.state, war_bursts=False))
    assert not [a for a in detect(_war(140, burst=100), off) if a.detector == "onset"]


def test_no_burst_from_a_big_war_s_routine_swing_or_a_war_judged_against_its_calm() -> None:
    config = load_config()
    # a war at a tenth of a 2,000-a-day corpus rising 1.2x for two days: a Poisson
    # surprise far above 4, but no jump against the war's own rate
    swing = _war(200, total=2000.0, level=200.0, burst=150, rise=1.2)
    assert not [a for a in detect(swing, config) if a.detector == "onset"]
    # a flat war from day 100 after calm: 28 days in, the onset's 56-day past is half calm
    # and the war's steady level looks like a burst against it; it is not one
    flat = _war(200, start=100, total=200.0, level=20.0)
    assert not [a for a in detect(flat, config)
                if a.detector == "onset" and a.context.startswith("in armed crisis")]


def test_evidence_alike_in_weight_is_ordered_by_the_text_not_by_event_ids(
        tmp_path: Path) -> None:
    """Two acts of one dyad in one sentence, alike in weight and Goldstein ("Rebels bombed
    and attacked army posts": 183 and 190): the evidence lists them in the sentence's order
    whatever their ids, which hash the coder's version (a version bump reordered, or with
    the evidence cap dropped, what a reader is shown)."""
    day = dt.date(2022, 3, 1)
    sentence = "Rebels bombed and attacked army posts."
    article = Article("a1", day, dt.datetime(2022, 3, 1, 12, tzinfo=dt.UTC), sentence,
                      title="t", outlet="Wire")
    config = load_config()
    shown = []
    for bomb_id, fight_id in (("e-a", "e-b"), ("e-b", "e-a")):
        con = connect(str(tmp_path / f"{bomb_id}.duckdb"))
        run = start_run(con, "test", [], {})
        insert_articles(con, [article], run)
        bomb = Event(bomb_id, "a1", day, 0, sentence, 7, 13, "SYR", "REB", "TUR", "MIL",
                     "183", "18", -10.0, 4, Modality.ASSERTED, None, "p", "test.v1")
        fight = replace(bomb, event_id=fight_id, start=18, end=26, code="190", root="19")
        store_coded(con, ["a1"], events_table([fight, bomb], run), "test.v1")
        ensure_analysis_schema(con)
        con.execute("INSERT INTO story_members VALUES ('a1', 's1', ?, ?, 'Wire', 1.0, "
                    "''::BLOB, 'p')", [day, article.published])
        alert = Alert("SYR-TUR", False, day, "onset", "force", 1.0, 1.0, 1.0, None, 1, 1, 1,
                      window_days=1)
        evidence = attach_evidence(con, Scope(), [alert], config)[0].evidence
        con.close()
        assert evidence[0].weight == evidence[1].weight  # a tie only the text can break
        shown.append([e.code for e in evidence])
    assert shown == [["183", "190"], ["183", "190"]]  # "bombed" comes first in the text
