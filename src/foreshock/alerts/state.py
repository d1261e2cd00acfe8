"""Which detector firings become alerts: the conflict state of each dyad, day by day.

The detectors say "this is unusual"; whether that is news depends on where the dyad is:

* **calm** (the usual state): an ``onset`` firing (a sudden burst of force, see
  ``onset.py``) or an ``escalation`` firing (robust z / CUSUM against the dyad's past)
  is an alert.  A firing within ``episode_days`` of the dyad's previous alert continues
  that alert's episode; later, it is a new alert.
* **at war** (an *armed crisis*: the force roots include mobilisation, so a build-up on a
  border counts as much as fighting; alerts say "in armed crisis since ..."): entered
  with an onset alert, or silently when the dyad carries sustained force
  (``war_min_events`` force story-events from ``war_min_stories`` stories over the last
  ``war_days`` covered days).  Routine reporting of a war is not news: an escalation
  firing counts only if the dyad's conflict share is at least ``war_jump`` times the war's
  own baseline (its latest supported weeks), and an onset firing early in the war is part
  of its start.  A crisis entered on an onset alert that has not reached sustained force
  (one strike, then stray reports) has no routine to keep quiet: until it does, its
  firings are judged as a calm dyad's, grouped by ``war_episode_days`` (occasional strikes
  every few weeks continue one alert).  Once the war has run ``war_burst_days`` covered days
  (the onset's history and window: its past is then the war alone), a firing of the onset
  burst detector at ``war_jump`` times that past rate is a jump against the war's own force
  rate and counts (``war_bursts``); a single severe report in a war still does not.  Such
  alerts are labelled as escalations in the crisis; later firings within
  ``war_episode_days`` continue them.
* **entering** an armed crisis silently is only right for a war the corpus found under way
  (sustained within its first ``war_days`` covered days).  A dyad that the corpus watched
  calm for ``war_days`` covered days and that then reaches sustained force has built up
  (troops massed, strikes traded) without any single day being unusual enough for a
  detector: with ``entry_alerts`` that transition is an escalation alert of its own
  (``ENTRY_STREAM`` decisions; within ``episode_days`` of an earlier alert it continues
  it, unless that alert was a war's end, and a dyad alerted that same day gets none).
* at war for ``war_days`` or more, an onset of one *direction* of the dyad (``UKR>RUS``
  with little history of force suddenly carrying many force story-events: the side that
  defended now attacks, or strikes the other's territory) is a new front, an escalation in
  war outside the war episode rule.
* the war ends after ``war_days`` covered days without any force story-event of the dyad;
  if the war had been sustained, that is a ``de-escalation`` alert.

Days without any article (gaps in a corpus) change nothing: they are neither war nor calm.
The loop is causal (state at ``t`` depends on days ``<= t``) and vectorised over dyads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

ONSET = "onset"
ESCALATION = "escalation"
DEESCALATION = "de-escalation"
KINDS = (ONSET, ESCALATION, DEESCALATION)
FRONT = "front"  # a stream (not an alert kind): onsets of one direction inside a dyad
DEESCALATION_STREAM = -1  # Decision.stream of a war's end
ENTRY_STREAM = -2  # Decision.stream of a watched-calm dyad reaching sustained force


@dataclass(frozen=True, slots=True)
class StateParams:
    episode_days: int
    war_days: int
    war_min_events: int
    war_min_stories: int
    war_jump: float
    war_episode_days: int
    entry_alerts: bool = True
    war_bursts: bool = True
    #: covered days a crisis must have run before the onset detector's bursts count in it:
    #: the onset's past (its history and window days) must lie inside the crisis, or its
    #: "usual rate" still mixes in the calm before
    war_burst_days: int = 58


@dataclass(frozen=True, slots=True)
class Stream:
    """One detector's firings: ``kind`` is onset or escalation; ``jump`` is the ratio of the
    dyad's share to its baseline (for the in-war rules; for a burst stream, its window's
    share to its past rate)."""

    name: str
    kind: str
    fired: BoolArray
    jump: FloatArray | None = None
    #: an onset stream whose firings, in a settled war, are bursts against the war's own
    #: rate (a Poisson surprise over the dyad's past); a single-report stream is not
    burst: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    stream: int  # index into the streams, DEESCALATION_STREAM or ENTRY_STREAM
    row: int
    day: int
    kind: str
    in_war: bool  # the dyad was at war when this fired
    war_start: int  # day the war state began (-1 when not at war)
    episode_start: int
    jump: float  # share / baseline (NaN when not applicable)


@dataclass(frozen=True, slots=True)
class StateTrace:
    decisions: tuple[Decision, ...]
    at_war: BoolArray  # dyads x days: at war at the end of the day


def sustained(force_recent: FloatArray, stories_recent: FloatArray,
              params: StateParams) -> BoolArray:
    return np.asarray((force_recent >= params.war_min_events)
                      & (stories_recent >= params.war_min_stories))


def decide(streams: Sequence[Stream], force_recent: FloatArray, stories_recent: FloatArray,
           covered: BoolArray, params: StateParams) -> StateTrace:
    """Turn detector firings into alerts.

    ``force_recent``/``stories_recent`` (dyads x days): the dyad's force story-events and
    their stories over the last ``war_days`` covered days, ending at each day.
    """
    rows, days = force_recent.shape
    hot = sustained(force_recent, stories_recent, params)
    at_war = np.zeros(rows, dtype=bool)
    war_start = np.full(rows, -1, dtype=np.int64)
    was_sustained = np.zeros(rows, dtype=bool)
    last_alert = np.full(rows, -(10**9), dtype=np.int64)
    ended_last = np.zeros(rows, dtype=bool)  # the dyad's latest alert was a war's end
    episode = np.full(rows, -1, dtype=np.int64)
    trace = np.zeros((rows, days), dtype=bool)
    decisions: list[Decision] = []
    watched = 0  # covered days before t: a dyad calm through war_days of them was watched
    war_watched = np.zeros(rows, dtype=np.int64)  # ``watched`` on the day each war began

    def emit(stream: int, i: int, t: int, kind: str, war: bool, gap: int, jump: float
             ) -> None:
        # a war's end closes its episode: force that comes back days later is a new crisis,
        # not the continuation of the de-escalation
        if t - last_alert[i] > gap or (ended_last[i] and kind != DEESCALATION):
            episode[i] = t
        last_alert[i] = t
        ended_last[i] = kind == DEESCALATION
        decisions.append(Decision(stream, i, t, kind, war, int(war_start[i]) if war else -1,
                                  int(episode[i]), jump))

    for t in range(days):
        if not covered[t]:
            trace[:, t] = at_war
            continue
        onsets = np.zeros(rows, dtype=bool)
        for s, stream in enumerate(streams):
            for i in np.nonzero(stream.fired[:, t])[0].tolist():
                jump = (float(stream.jump[i, t]) if stream.jump is not None
                        else float("nan"))
                if at_war[i] and (was_sustained[i] or hot[i, t]):
                    # (a crisis entered on one onset alert and never at sustained force -- a
                    # single strike weeks ago -- has no routine to keep quiet: its firings
                    # are judged as a calm dyad's, below, but grouped as a war's are, so
                    # that occasional strikes every few weeks stay one alert)
                    if stream.kind == ESCALATION and jump >= params.war_jump:
                        emit(s, i, t, ESCALATION, True, params.war_episode_days, jump)
                    elif stream.kind == FRONT and t - war_start[i] >= params.war_days:
                        # one side starts attacking in a war that had settled: a new front
                        emit(s, i, t, ESCALATION, True, params.episode_days, jump)
                    elif (stream.burst and params.war_bursts and jump >= params.war_jump
                          and watched - war_watched[i] >= params.war_burst_days):
                        # a burst of force in a war that has run for the onset's whole past:
                        # its rate is then the war's own, so a surprise at war_jump times
                        # it is a jump against the war's baseline (a new offensive, a
                        # decapitation strike); the jump guard keeps a large dyad's routine
                        # swings out (in big counts a 1.2x rise is already "surprising")
                        emit(s, i, t, ESCALATION, True, params.war_episode_days, jump)
                elif stream.kind != FRONT:  # outside a war the dyad's own onset speaks
                    emit(s, i, t, stream.kind, False,
                         params.war_episode_days if at_war[i] else params.episode_days, jump)
                    onsets[i] |= stream.kind == ONSET
        started = (~at_war) & (hot[:, t] | onsets)
        if params.entry_alerts and watched >= params.war_days:
            # sustained force with no alert of its own today: the build-up is the news (a
            # dyad an onset or escalation alerted today has said so already)
            for i in np.nonzero(started & (last_alert != t))[0].tolist():
                emit(ENTRY_STREAM, i, t, ESCALATION, False, params.episode_days,
                     float("nan"))
        war_watched = np.where(started, watched, war_watched)
        watched += 1
        war_start = np.where(started, t, war_start)
        at_war |= started
        was_sustained |= at_war & hot[:, t]
        # the war ends after war_days covered days without a force story-event
        ended = at_war & (force_recent[:, t] <= 0) & (t - war_start >= params.war_days)
        for i in np.nonzero(ended & was_sustained)[0].tolist():
            emit(DEESCALATION_STREAM, i, t, DEESCALATION, True, params.episode_days, float("nan"))
        at_war &= ~ended
        was_sustained &= ~ended
        war_start = np.where(ended, -1, war_start)
        trace[:, t] = at_war
    return StateTrace(tuple(decisions), trace)
