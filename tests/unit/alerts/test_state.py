"""The conflict state decides which firings are alerts: onsets, escalations, wars."""

from __future__ import annotations

import numpy as np

from foreshock.alerts.state import (
    DEESCALATION,
    ENTRY_STREAM,
    ESCALATION,
    FRONT,
    ONSET,
    StateParams,
    Stream,
    decide,
)

PARAMS = StateParams(episode_days=14, war_days=28, war_min_events=6, war_min_stories=3,
                     war_jump=2.0, war_episode_days=30)


def fired(days: int, *at: int) -> np.ndarray:
    out = np.zeros((1, days), dtype=bool)
    out[0, list(at)] = True
    return out


def quiet(days: int) -> tuple[np.ndarray, np.ndarray]:
    return np.zeros((1, days)), np.zeros((1, days))


def test_escalations_outside_war_form_episodes() -> None:
    days = 60
    force, stories = quiet(days)
    trace = decide([Stream("robust_z", ESCALATION, fired(days, 5, 12, 40))], force, stories,
                   np.ones(days, dtype=bool), PARAMS)
    assert [(d.day, d.kind, d.episode_start) for d in trace.decisions] == [
        (5, ESCALATION, 5), (12, ESCALATION, 5), (40, ESCALATION, 40)]
    assert not trace.at_war.any()


def test_an_onset_starts_a_war_and_routine_firings_in_it_are_not_alerts() -> None:
    days = 120
    force = np.zeros((1, days))
    force[0, 10:100] = 8  # sustained armed action until day 99
    stories = force.copy()
    jump = np.full((1, days), 1.3)  # escalation firings at 1.3x the war's baseline
    jump[0, 60] = 3.0  # ... except one real jump
    streams = [Stream("onset", ONSET, fired(days, 10)),
               Stream("cusum", ESCALATION, fired(days, 30, 45, 60, 70), jump)]
    trace = decide(streams, force, stories, np.ones(days, dtype=bool), PARAMS)
    kinds = [(d.day, d.kind, d.in_war, d.episode_start) for d in trace.decisions]
    # the onset; day 60 (3x) is a new alert in war; 30, 45 and 70 (1.3x) are not alerts
    assert kinds[:2] == [(10, ONSET, False, 10), (60, ESCALATION, True, 60)]
    assert trace.at_war[0, 11:100].all()
    # 28 covered days without force after day 99 end the (sustained) war: de-escalation
    ends = [d for d in trace.decisions if d.kind == DEESCALATION]
    assert len(ends) == 1 and ends[0].day > 99
    assert not trace.at_war[0, ends[0].day]


def test_in_war_a_second_jump_within_the_war_episode_continues_the_alert() -> None:
    days = 90
    force = np.full((1, days), 8.0)
    jump = np.full((1, days), 4.0)
    trace = decide([Stream("cusum", ESCALATION, fired(days, 40, 55, 89), jump)], force,
                   force, np.ones(days, dtype=bool), PARAMS)
    starts = [d.episode_start for d in trace.decisions]
    assert starts == [40, 40, 89]  # 55 is within 30 days of 40; 89 is 34 days after 55
    assert all(d.in_war for d in trace.decisions)  # sustained force: at war from day 0


def test_days_without_articles_neither_end_a_war_nor_fire() -> None:
    days = 200
    force = np.zeros((1, days))
    force[0, :20] = 8
    covered = np.ones(days, dtype=bool)
    covered[25:180] = False  # months the corpus does not hold
    trace = decide([Stream("onset", ONSET, fired(days, 100))], force, force.copy(), covered,
                   PARAMS)
    assert trace.at_war[0, 170]  # still at war across the gap
    assert not trace.decisions or trace.decisions[0].day != 100  # day 100 is not covered


def test_a_short_incident_ends_without_a_de_escalation_alert() -> None:
    days = 80
    force = np.zeros((1, days))
    force[0, 10] = 3  # one burst, never sustained
    trace = decide([Stream("onset", ONSET, fired(days, 10))], force, force.copy(),
                   np.ones(days, dtype=bool), PARAMS)
    assert [d.kind for d in trace.decisions] == [ONSET]
    assert trace.at_war[0, 11] and not trace.at_war[0, -1]


def test_a_crisis_never_sustained_does_not_swallow_a_later_onset() -> None:
    # one strike on day 10 (an onset alert) and a stray report on day 30 keep the dyad "in
    # crisis" but never at sustained force; the real attack of day 45 is news, not routine
    # reporting of a war (a single strike weeks earlier is no war to be routine in)
    days = 80
    force = np.zeros((1, days))
    force[0, 10:58] = 1  # force story-events in the last 28 days: some, never 6
    stories = force.copy()
    streams = [Stream("severe", ONSET, fired(days, 10, 12, 45))]
    trace = decide(streams, force, stories, np.ones(days, dtype=bool), PARAMS)
    assert trace.at_war[0, 40]
    # day 12 continues the onset's episode; day 45 (35 days on) is a new one
    assert [(d.day, d.kind, d.in_war, d.episode_start) for d in trace.decisions] == [
        (10, ONSET, False, 10), (12, ONSET, False, 10), (45, ONSET, False, 45)]
    # once the force is sustained, the same firing is the war's routine
    force[0, 40:58] = 8
    settled = decide(streams, force, force.copy(), np.ones(days, dtype=bool), PARAMS)
    assert [d.day for d in settled.decisions if d.kind != DEESCALATION] == [10, 12]
    # ... also on the very day it becomes sustained
    on_the_day = decide([Stream("severe", ONSET, fired(days, 10, 40))], force, force.copy(),
                        np.ones(days, dtype=bool), PARAMS)
    assert [d.day for d in on_the_day.decisions if d.kind != DEESCALATION] == [10]


def test_occasional_strikes_in_a_crisis_never_sustained_stay_one_alert() -> None:
    # a strike every 20 days keeps the dyad in a crisis that never reaches sustained force:
    # each strike fires, and each continues the first alert (a war's grouping, 30 days)
    days = 220
    force = np.zeros((1, days))
    force[0, 10:] = 1
    strikes = list(range(10, 200, 20))
    trace = decide([Stream("severe", ONSET, fired(days, *strikes))], force, force.copy(),
                   np.ones(days, dtype=bool), PARAMS)
    assert [d.day for d in trace.decisions] == strikes
    assert {d.episode_start for d in trace.decisions} == {10}


def test_a_new_front_counts_only_in_a_settled_crisis() -> None:
    days = 80
    force = np.full((1, days), 8.0)  # at war from day 0
    front = Stream("front", FRONT, fired(days, 10, 40))
    trace = decide([front], force, force, np.ones(days, dtype=bool), PARAMS)
    # day 10: the crisis is 10 days old, the "front" is the war itself; day 40: real change
    assert [(d.day, d.kind, d.in_war) for d in trace.decisions] == [(40, ESCALATION, True)]
    calm_force = np.zeros((1, days))
    calm = decide([front], calm_force, calm_force, np.ones(days, dtype=bool), PARAMS)
    assert not calm.decisions  # outside a crisis the dyad's own onset speaks


def test_a_build_up_on_a_watched_calm_dyad_is_an_alert_when_it_becomes_a_crisis() -> None:
    # force story-events creep in, never a burst a detector would call unusual, until the
    # dyad carries sustained force on day 50: after 28 calm covered days that is the news
    days = 90
    force = np.zeros((1, days))
    force[0, 40:] = np.minimum(np.arange(days - 40) // 2, 8)  # 6 reached on day 52
    stories = force.copy()
    trace = decide([], force, stories, np.ones(days, dtype=bool), PARAMS)
    assert [(d.stream, d.day, d.kind, d.in_war) for d in trace.decisions] == [
        (ENTRY_STREAM, 52, ESCALATION, False)]
    assert trace.at_war[0, 52] and not trace.at_war[0, 51]


def test_a_war_under_way_when_the_corpus_starts_enters_the_crisis_state_silently() -> None:
    days = 90
    force = np.full((1, days), 8.0)  # sustained from the first covered day on
    trace = decide([], force, force.copy(), np.ones(days, dtype=bool), PARAMS)
    assert trace.decisions == ()
    assert trace.at_war[0].all()


def test_days_without_articles_do_not_count_as_watching_the_dyad() -> None:
    # 27 covered days then a gap: the corpus has not watched the dyad for war_days yet
    days = 90
    covered = np.ones(days, dtype=bool)
    covered[27:80] = False
    force = np.zeros((1, days))
    force[0, 80:] = 8
    trace = decide([], force, force.copy(), covered, PARAMS)
    assert trace.decisions == ()


def test_entry_alerts_can_be_switched_off() -> None:
    days = 90
    force = np.zeros((1, days))
    force[0, 60:] = 8
    off = StateParams(**{**{f: getattr(PARAMS, f) for f in PARAMS.__slots__},
                         "entry_alerts": False})
    assert decide([], force, force.copy(), np.ones(days, dtype=bool), off).decisions == ()
    assert len(decide([], force, force.copy(), np.ones(days, dtype=bool), PARAMS).decisions) == 1


def test_a_build_up_within_an_earlier_alerts_episode_continues_it() -> None:
    days = 90
    force = np.zeros((1, days))
    force[0, 60:] = 8
    trace = decide([Stream("robust_z", ESCALATION, fired(days, 55))], force, force.copy(),
                   np.ones(days, dtype=bool), PARAMS)
    assert [(d.stream, d.day, d.episode_start) for d in trace.decisions] == [
        (0, 55, 55), (ENTRY_STREAM, 60, 55)]


def test_a_dyad_alerted_today_gets_no_second_alert_for_entering_the_crisis() -> None:
    days = 90
    force = np.zeros((1, days))
    force[0, 60:] = 8
    trace = decide([Stream("robust_z", ESCALATION, fired(days, 60))], force, force.copy(),
                   np.ones(days, dtype=bool), PARAMS)
    assert [(d.stream, d.day) for d in trace.decisions] == [(0, 60)]
    assert trace.at_war[0, 60]


def test_force_that_returns_after_a_war_ended_is_a_new_crisis_not_the_end_continued() -> None:
    days = 200
    force = np.zeros((1, days))
    force[0, 40:100] = 8  # a crisis entered on day 40 (after 28 watched days) ...
    force[0, 105:] = 8  # ... over on day 100, back five days later
    trace = decide([], force, force.copy(), np.ones(days, dtype=bool), PARAMS)
    got = [(d.stream, d.day, d.kind, d.episode_start) for d in trace.decisions]
    assert got == [(ENTRY_STREAM, 40, ESCALATION, 40), (-1, 100, DEESCALATION, 100),
                   (ENTRY_STREAM, 105, ESCALATION, 105)]


def test_a_burst_counts_in_a_war_older_than_the_onsets_past_and_at_a_real_jump() -> None:
    # at war from day 0; the onset detector's past is 56 + 2 covered days, so a burst
    # before day 58 is still judged partly against the calm before the war (or is the war's
    # start); from day 58 a burst at 3x the war's rate is an escalation in the crisis, and
    # one 15 days later continues it
    days = 120
    force = np.full((1, days), 8.0)
    covered = np.ones(days, dtype=bool)
    jump = np.full((1, days), 3.0)
    jump[0, 100] = 1.2  # a routine swing: "surprising" in big counts, not a jump
    burst = Stream("onset", ONSET, fired(days, 10, 57, 70, 85, 100), jump, burst=True)
    trace = decide([burst], force, force, covered, PARAMS)
    assert [(d.day, d.kind, d.in_war, d.episode_start) for d in trace.decisions] == [
        (70, ESCALATION, True, 70), (85, ESCALATION, True, 70)]
    off = StateParams(**{**{f: getattr(PARAMS, f) for f in PARAMS.__slots__},
                         "war_bursts": False})
    assert not decide([burst], force, force, covered, off).decisions
    single = Stream("severe", ONSET, fired(days, 70))  # one report in a war is not news
    assert not decide([single], force, force, covered, PARAMS).decisions


def test_a_war_s_age_for_bursts_counts_covered_days() -> None:
    # a war from day 0, then months the corpus does not hold: on day 100 only 20 + 19
    # covered days have passed, too few for the onset's past to be the war's
    days = 160
    force = np.full((1, days), 8.0)
    covered = np.ones(days, dtype=bool)
    covered[20:81] = False
    burst = Stream("onset", ONSET, fired(days, 100, 140), np.full((1, days), 3.0), burst=True)
    trace = decide([burst], force, force, covered, PARAMS)
    assert [d.day for d in trace.decisions] == [140]  # 20 + 59 covered days before day 140
