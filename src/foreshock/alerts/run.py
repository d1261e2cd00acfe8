"""Alerts for every dyad with enough data, with the events behind each, into ``alerts``.

``detect`` is pure (daily arrays in, firings out); ``attach_evidence`` and
``write_alerts`` are the only parts that touch the database.  Alerts are derived data:
computing them again replaces a scope's rows, and ``refresh_alerts`` does so only when
the configuration or the coded data changed since the last time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from foreshock.aggregate.series import (
    DailyData,
    FloatArray,
    Scope,
    SevereActs,
    Weights,
    daily_data,
    registered_weights,
)
from foreshock.alerts import detectors as det
from foreshock.alerts import onset as on
from foreshock.alerts import severe as sv
from foreshock.alerts import state as st
from foreshock.alerts.config import AnalysisConfig
from foreshock.alerts.state import ESCALATION
from foreshock.store.stories_schema import (
    ALERT_COLUMNS,
    MEMBER_RELATIONS,
    SOURCE_KEY,
    TARGET_KEY,
    ensure_analysis_schema,
    first_mention,
)
from foreshock.stories.store import update_stories

DEFAULT_SCOPE = "all"
#: what an alert stored before alerts.v2 (read-only, so never migrated) reads as
ALERT_DEFAULTS: dict[str, Any] = {"kind": ESCALATION, "context": "", "stories": 0,
                                  "window_days": 7, "explanation": ""}


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    event_id: str
    date: dt.date
    source: str
    target: str
    code: str
    goldstein: float
    weight: float
    sentence: str
    article_id: str
    title: str | None
    outlet: str | None
    num_articles: int  # articles carrying this story-event up to the alert's day
    num_sources: int
    #: the day the text gives the act, when it dates it (``date`` is the publication)
    event_date: dt.date | None = None

    def as_dict(self) -> dict[str, Any]:
        out = {name: getattr(self, name) for name in self.__slots__}
        out["date"] = self.date.isoformat()
        out["event_date"] = self.event_date.isoformat() if self.event_date else None
        return out


@dataclass(frozen=True, slots=True)
class Alert:
    """One detector firing kept as an alert, with what it was judged against.

    ``kind`` is onset, escalation or de-escalation; ``context`` says whether the dyad was at
    war when it fired (and since when).  ``value``/``baseline`` are shares of what the corpus
    coded: for an escalation the dyad's weighted conflict share of the window against its
    baseline; for an onset the dyad's force story-events over all story-events of the onset
    window against its force rate over the covered past.  ``episode_start`` is the day of
    the alert this firing belongs to (equal to ``date`` for a new alert).
    """

    dyad: str
    directed: bool
    date: dt.date
    detector: str  # robust_z | cusum | onset | war_state
    signal: str  # conflict | verbal | material | force
    score: float
    threshold: float
    value: float
    baseline: float | None
    window_events: int  # coded story-events of all dyads in the detector's window
    window_articles: int  # articles published in that window
    dyad_events: int  # the dyad's story-events behind the score in that window
    episode_start: dt.date = dt.date.min
    evidence: tuple[EvidenceItem, ...] = ()
    kind: str = ESCALATION
    context: str = ""  # "" (calm) | "in armed crisis since YYYY-MM-DD; ..." | "new actor ..."
    stories: int = 0  # distinct stories behind the dyad's events in the window
    window_days: int = 7
    explanation: str = ""

    @property
    def alert_id(self) -> str:
        key = f"{self.dyad}|{self.directed}|{self.date}|{self.detector}|{self.signal}"
        return hashlib.sha1(key.encode()).hexdigest()[:20]

    @property
    def is_new(self) -> bool:
        return self.episode_start == self.date

    def same_decision(self, other: Alert) -> bool:
        """Equal up to float noise (what the no-look-ahead check compares)."""
        return (self.alert_id == other.alert_id and abs(self.score - other.score) < 1e-9
                and self.episode_start == other.episode_start and self.kind == other.kind
                and self.context == other.context
                and [e.event_id for e in self.evidence] == [e.event_id for e in other.evidence]
                and [e.num_articles for e in self.evidence]
                == [e.num_articles for e in other.evidence])


def weights_of(config: AnalysisConfig) -> Weights:
    s = config.series
    return Weights(quad=s.quad_weights, root=s.root_weights, code=s.code_weights)


def directions_of(config: AnalysisConfig) -> tuple[bool, ...]:
    return (False, True) if config.series.directed else (False,)


def analysis_data(con: duckdb.DuckDBPyConnection, scope: Scope, config: AnalysisConfig, *,
                  start: dt.date | None = None) -> DailyData:
    """The daily arrays the detectors read, as ``config`` asks for them."""
    return daily_data(con, scope, weights_of(config), directions=directions_of(config),
                      start=start, force_roots=config.series.force_roots,
                      severe=severe_acts(config))


def severe_acts(config: AnalysisConfig) -> SevereActs | None:
    """What counts as a severe act (None when the severe-act detector is off)."""
    v = config.severe
    if not v.enabled:
        return None
    return SevereActs(roots=v.roots, max_goldstein=v.max_goldstein,
                      exclude_codes=v.exclude_codes, lead_sentences=v.lead_sentences,
                      state_sectors=v.state_sectors, armed_sectors=v.armed_sectors)


def detect(data: DailyData, config: AnalysisConfig, *, first_day: int = 0) -> list[Alert]:
    """All alerts on days ``first_day..`` (pure: the evidence is attached afterwards by
    ``attach_evidence``).  Detectors fire on every day; the conflict state of each dyad
    (``alerts/state.py``) decides which firings are alerts and numbers them into episodes,
    in one causal pass from the first day, so the verdict for a day never depends on a later
    one."""
    if not data.days:
        return []
    s = config.series
    window = s.window_days
    covered = data.covered
    window_totals = det.trailing_sum(data.totals, window)
    window_articles = det.trailing_sum(data.articles, window)
    dyad_counts = det.trailing_sum(data.counts, window)
    conflict_counts = det.trailing_sum(data.conflict_counts, window)
    conflict_stories = det.trailing_sum(data.conflict_stories, window)
    supported = det.windowed_share(data.totals, data.totals, window, s.min_window_events)
    # only dyads that reach the minimum support on some day can fire: the escalation
    # detectors (baselines over a year of weekly windows) run on those rows alone
    candidate = ((window_totals >= s.min_window_events) & (conflict_counts >= s.min_dyad_events)
                 & (conflict_stories >= s.min_stories))
    rows = np.nonzero(candidate.any(axis=1))[0]
    weeks = max(config.robust_z.baseline_weeks, config.cusum.baseline_weeks)
    history = det.baseline_sum(dyad_counts[rows],
                               np.broadcast_to(supported, (len(rows), len(data.days))),
                               step=window, count=weeks, lookback=s.lookback_weeks)
    allowed = candidate[rows] & (history >= s.min_history_events)
    streams: list[st.Stream] = []
    details: list[tuple[str, str, FloatArray, FloatArray, FloatArray, float]] = []

    def full(part: np.ndarray, fill: float | bool) -> np.ndarray:
        out = np.full(data.counts.shape, fill, dtype=part.dtype)
        out[rows] = part
        return out

    signals = set(config.robust_z.signals if config.robust_z.enabled else ())
    signals |= set(config.cusum.signals if config.cusum.enabled else ())
    for signal in sorted(signals):
        weighted = data.signal(signal)[rows]
        share = det.windowed_share(weighted, data.totals, window, s.min_window_events)
        sums = det.trailing_sum(weighted, window)
        if config.robust_z.enabled and signal in config.robust_z.signals:
            p = config.robust_z
            base = det.trailing_baseline(share, step=window, count=p.baseline_weeks,
                                         min_points=p.min_baseline, weighted=sums,
                                         totals=window_totals, lookback=s.lookback_weeks)
            z = det.robust_z(share, window_totals, base, p.min_rate)
            fired = det.threshold_alerts(z, p.threshold, allowed, p.refractory_days)
            streams.append(st.Stream("robust_z", st.ESCALATION, full(fired, False),
                                     full(_jump(share, base.center, p.min_rate), np.nan)))
            details.append(("robust_z", signal, full(z, np.nan), full(share, np.nan),
                            full(base.center, np.nan), p.threshold))
        if config.cusum.enabled and signal in config.cusum.signals:
            c = config.cusum
            base = det.trailing_baseline(share, step=window, count=c.baseline_weeks,
                                         min_points=c.min_baseline, weighted=sums,
                                         totals=window_totals, lookback=s.lookback_weeks)
            cusum, fired = det.poisson_cusum(weighted, data.totals, base.center,
                                             ratio=c.ratio, threshold=c.threshold,
                                             min_rate=c.min_rate, allowed=allowed)
            streams.append(st.Stream("cusum", st.ESCALATION, full(fired, False),
                                     full(_jump(share, base.center, c.min_rate), np.nan)))
            details.append(("cusum", signal, full(cusum, np.nan), full(share, np.nan),
                            full(base.center, np.nan), c.threshold))
    onset = None
    if config.onset.enabled:
        o = config.onset
        onset = on.onset_scores(data.force, data.force_stories, data.totals, covered,
                                window=o.window_days, history_days=o.history_days,
                                min_rate=o.min_rate, min_events=o.min_events)
        fired = ((onset.score >= o.threshold) & (onset.events >= o.min_events)
                 & (onset.stories >= o.min_stories) & (onset.share >= o.min_share)
                 & (onset.history_events >= o.min_history_events) & covered)
        streams.append(st.Stream("onset", st.ONSET, np.asarray(fired),
                                 _jump(onset.share, onset.rate, o.min_rate), burst=True))
        details.append(("onset", "force", onset.score, onset.share, onset.rate, o.threshold))

    severe = None
    if config.severe.enabled and data.severe is not None and data.severe_stories is not None:
        v = config.severe
        countries = sv.country_codes()
        parties = np.array([sv.between_countries(d, countries) for d in data.dyads],
                           dtype=bool)
        severe = sv.severe_scores(data.severe, data.severe_stories, data.force, data.totals,
                                  covered, parties, window=v.window_days,
                                  history_days=v.history_days,
                                  min_history_events=v.min_history_events,
                                  max_history_acts=v.max_history_acts,
                                  min_events=v.min_events)
        streams.append(st.Stream("severe", st.ONSET, severe.fired))
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(severe.window_events > 0,
                             severe.events / np.maximum(severe.window_events, 1), 0.0)
        details.append(("severe", "force", severe.events, share, severe.force_rate,
                        float(v.min_events)))

    labels: dict[tuple[int, int], str] = {}
    if config.onset.enabled and data.front_dyads and data.front_force is not None \
            and data.front_stories is not None:
        o = config.onset
        front = on.onset_scores(data.front_force, data.front_stories, data.totals, covered,
                                window=o.window_days, history_days=o.history_days,
                                min_rate=o.min_rate, min_events=o.min_events)
        front_fired = ((front.score >= o.threshold) & (front.events >= o.min_events)
                       & (front.stories >= o.min_stories) & (front.share >= o.min_share)
                       & (front.history_events >= o.min_history_events) & covered)
        on_parent = np.zeros(data.counts.shape, dtype=bool)
        score_parent = np.zeros(data.counts.shape)
        share_parent = np.zeros(data.counts.shape)
        rate_parent = np.full(data.counts.shape, np.nan)
        for k, t in zip(*np.nonzero(front_fired), strict=True):
            parent = data.front_parent[k]
            if parent < 0 or front.score[k, t] <= score_parent[parent, t]:
                continue
            on_parent[parent, t] = True
            score_parent[parent, t] = front.score[k, t]
            share_parent[parent, t] = front.share[k, t]
            rate_parent[parent, t] = front.rate[k, t]
            labels[(parent, int(t))] = (f"{data.front_dyads[k]}: {int(front.events[k, t])} "
                                        f"force story-events from {int(front.stories[k, t])} "
                                        "stories")
        streams.append(st.Stream("front", st.FRONT, on_parent))
        details.append(("front", "force", score_parent, share_parent, rate_parent,
                        o.threshold))

    war = config.state
    force_recent = on.covered_sum(data.force, covered, end=0, length=war.war_days)
    stories_recent = on.covered_sum(data.force_stories, covered, end=0, length=war.war_days)
    trace = st.decide(streams, force_recent, stories_recent, covered, war)

    found: list[Alert] = []
    for d in trace.decisions:
        if d.day < first_day:
            continue
        i, j = d.row, d.day
        day = data.days[j]
        context = ""
        if d.in_war:
            context = f"in armed crisis since {data.days[d.war_start]}"
        if d.kind == st.DEESCALATION:
            found.append(Alert(
                dyad=data.dyads[i], directed=data.directed[i], date=day,
                detector="war_state", signal="force", score=float(war.war_days),
                threshold=float(war.war_days), value=0.0, baseline=None,
                window_events=int(on.covered_sum(data.totals[None, :], covered, end=0,
                                                 length=war.war_days)[0, j]),
                window_articles=int(on.covered_sum(data.articles[None, :], covered, end=0,
                                                   length=war.war_days)[0, j]),
                dyad_events=0, episode_start=data.days[d.episode_start],
                kind=st.DEESCALATION, context=context, stories=0, window_days=war.war_days))
            continue
        if d.stream == st.ENTRY_STREAM:
            found.append(Alert(
                dyad=data.dyads[i], directed=data.directed[i], date=day,
                detector="crisis_entry", signal="force", score=float(force_recent[i, j]),
                threshold=float(war.war_min_events), value=float(stories_recent[i, j]),
                baseline=None,
                window_events=int(on.covered_sum(data.totals[None, :], covered, end=0,
                                                 length=war.war_days)[0, j]),
                window_articles=int(on.covered_sum(data.articles[None, :], covered, end=0,
                                                   length=war.war_days)[0, j]),
                dyad_events=int(force_recent[i, j]), episode_start=data.days[d.episode_start],
                kind=st.ESCALATION, context="armed crisis begins",
                stories=int(stories_recent[i, j]), window_days=war.war_days))
            continue
        # the negative streams (a war's end, a crisis's entry) were handled above
        assert d.stream >= 0, d.stream
        name, signal, score, value, reference, threshold = details[d.stream]
        ref = float(reference[i, j])
        if name == "front" and onset is not None:
            window_events, window_art, events, stories, span = _burst_support(
                onset, data.articles, config.onset.window_days, i, j)
            context += f"; new front {labels.get((i, j), '')}"
        elif name == "onset" and onset is not None:
            window_events, window_art, events, stories, span = _burst_support(
                onset, data.articles, config.onset.window_days, i, j)
            if d.in_war:  # a burst against the war's own force rate
                context += (f"; a burst of force, {d.jump:.1f}x the crisis's own rate "
                            f"(needs {war.war_jump:g}x)")
            else:
                context = _new_actor(data, trace.at_war, i, j)
        elif name == "severe" and severe is not None:
            window_events, window_art, events, stories, span = _burst_support(
                severe, data.articles, config.severe.window_days, i, j)
            context = _new_actor(data, trace.at_war, i, j)
        else:
            window_events, window_art = int(window_totals[j]), int(window_articles[j])
            events, stories, span = (int(dyad_counts[i, j]), int(conflict_stories[i, j]),
                                     window)
            if d.in_war:
                context += (f"; {d.jump:.1f}x the crisis's own baseline "
                            f"(needs {war.war_jump:g}x)")
        found.append(Alert(
            dyad=data.dyads[i], directed=data.directed[i], date=day, detector=name,
            signal=signal, score=round(float(score[i, j]), 6), threshold=threshold,
            value=round(float(value[i, j]), 6),
            baseline=None if np.isnan(ref) else round(ref, 6),
            window_events=window_events, window_articles=window_art, dyad_events=events,
            episode_start=data.days[d.episode_start], kind=d.kind, context=context,
            stories=stories, window_days=span))
    found.sort(key=lambda a: (a.date, a.dyad, a.directed, a.detector, a.signal))
    return [replace(a, explanation=explain(a, config)) for a in found]


def _jump(share: FloatArray, center: FloatArray, min_rate: float) -> FloatArray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.nan_to_num(share, nan=0.0)
                          / np.maximum(np.nan_to_num(center, nan=0.0), min_rate),
                          dtype=np.float64)


def _burst_support(found: on.OnsetScores | sv.SevereScores, articles: np.ndarray,
                   window_days: int, row: int, day: int) -> tuple[int, int, int, int, int]:
    """What an onset-like alert (a burst, a new front, a severe act) rests on: coded
    story-events and articles in its window, the dyad's events and stories, the window."""
    return (int(found.window_events[day]),
            int(det.trailing_sum(articles, window_days)[day]),
            int(found.events[row, day]), int(found.stories[row, day]), window_days)


def _new_actor(data: DailyData, at_war: np.ndarray, row: int, day: int) -> str:
    """For an onset: the wars (as of the day before) that share an actor with this dyad."""
    if day == 0:
        return ""
    actors = set(data.dyads[row].replace(">", "-").split("-"))
    wars = [data.dyads[k] for k in np.nonzero(at_war[:, day - 1])[0].tolist()
            if k != row and actors & set(data.dyads[k].replace(">", "-").split("-"))]
    return f"new actor in the armed crisis {', '.join(sorted(wars)[:3])}" if wars else ""


def explain(alert: Alert, config: AnalysisConfig) -> str:
    """One sentence a reader can check: what fired, against what, with what support."""
    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.1f}%"

    where = f" ({alert.context})" if alert.context else ""
    if alert.kind == st.DEESCALATION:
        return (f"de-escalation{where}: no force or coercion between the two reported for "
                f"{alert.window_days} covered days ({alert.window_articles} articles)")
    if alert.detector == "crisis_entry":
        w = config.state
        roots = ", ".join(config.series.force_roots)
        return (f"escalation{where}: {alert.dyad_events} force story-events (CAMEO {roots}) "
                f"from {alert.stories} stories over the last {alert.window_days} covered days "
                f"({alert.window_articles} articles), at least "
                f"{w.war_min_events} from {w.war_min_stories} stories, after at least "
                f"{w.war_days} covered days without")
    if alert.detector == "severe":
        v = config.severe
        return (f"onset{where}: {alert.dyad_events} severe act(s) (CAMEO roots "
                f"{', '.join(v.roots)}, Goldstein <= {v.max_goldstein:g}) between armed "
                f"parties in {alert.window_days} day(s), in the lede of a report, from "
                f"{alert.stories} stories, with "
                f"at most {v.max_history_acts} such acts between them over the last "
                f"{v.history_days} covered days (their force rate then "
                f"{pct(alert.baseline)} of coded story-events); {alert.window_events} coded "
                f"story-events in the window")
    if alert.kind == st.ONSET or alert.detector == "onset":
        return (f"{alert.kind}{where}: {alert.dyad_events} force story-events from "
                f"{alert.stories} stories in {alert.window_days} days = {pct(alert.value)} of "
                f"{alert.window_events} coded story-events, against a force rate of "
                f"{pct(alert.baseline)} over the last {config.onset.history_days} covered "
                f"days; surprise -log10 p = {alert.score:.1f} (threshold "
                f"{alert.threshold:g})")
    if alert.detector == "front":
        return (f"escalation{where}: one side's force story-events are {pct(alert.value)} of "
                f"the {alert.window_events} coded in {alert.window_days} days, against a rate "
                f"of {pct(alert.baseline)} in that direction over the last "
                f"{config.onset.history_days} covered days; surprise -log10 p = "
                f"{alert.score:.1f} (threshold {alert.threshold:g})")
    return (f"escalation{where}: {alert.detector} {alert.score:.1f} (threshold "
            f"{alert.threshold:g}) on the {alert.signal} share {pct(alert.value)} against a "
            f"baseline of {pct(alert.baseline)}; window {alert.window_days} days: "
            f"{alert.dyad_events} story-events of the dyad from {alert.stories} stories, "
            f"{alert.window_events} coded in all, {alert.window_articles} articles")


_EVIDENCE = """
    WITH ev AS (
        SELECT e.event_id, e.article_id, e.sentence_index, e.start_char AS span_start,
               e.end_char AS span_end, e.source_sector, e.target_sector,
               {source_key} AS source,
               {target_key} AS target, e.root, e.code,
               e.goldstein, e.quad_class, e.sentence, m.story_id, m.date AS pub_date,
               CASE WHEN e.event_date_precision = 'day' AND e.event_date <= m.date
                    THEN e.event_date END AS ev_date,
               m.published, coalesce(m.outlet, '') AS outlet
        FROM events e JOIN {members} m ON m.article_id = e.article_id
        WHERE e.modality = 'asserted' AND e.quad_class IN (3, 4)
          AND e.source IS NOT NULL AND e.target IS NOT NULL
    ),
    keyed AS (
        SELECT *, least(source, target) || '-' || greatest(source, target) AS ukey,
               source || '>' || target AS dkey
        FROM ev WHERE source <> target
    ),
    joined AS (
        -- a story-event is shown by its first report; ties go to what the text says (the
        -- article, the sentence, the trigger's place in it, the code and sectors read),
        -- the event id (it hashes the coder's version) last: a new version of the coder
        -- must not change the evidence of the same text
        SELECT f.fid, f.start, f.lede, ev.*,
               (ev.pub_date, ev.published, ev.article_id, ev.sentence_index, ev.span_start,
                ev.span_end, ev.code, ev.source_sector, ev.target_sector, ev.event_id)
                   AS first_key
        FROM _fs_firings f JOIN keyed ev
          ON (CASE WHEN f.directed THEN ev.dkey ELSE ev.ukey END) = f.dyad
         AND ev.pub_date <= f.date
    ),
    se AS (
        SELECT fid, start, lede, story_id, source, target, root, min(pub_date) AS date,
               {first},
               count(DISTINCT article_id) AS num_articles,
               count(DISTINCT outlet) AS num_sources,
               min(sentence_index) AS lead_index
        FROM joined GROUP BY fid, start, lede, story_id, source, target, root
        HAVING min(pub_date) >= start
    ),
    weighted AS (
        SELECT se.fid, se.event_id, se.date, se.source, se.target, se.code, se.goldstein,
               coalesce(qw.weight, 0) * coalesce(cw.weight, rw.weight, 1.0) AS weight,
               se.sentence, se.article_id, a.title, a.outlet, se.num_articles, se.num_sources,
               se.event_date, se.sentence_index, se.span_start,
               CASE WHEN se.lede > 0 THEN se.goldstein
                    + CASE WHEN se.lead_index < se.lede THEN 0 ELSE 20 END
                    ELSE 0 END AS grave
        FROM se
        JOIN articles a ON a.article_id = se.article_id
        LEFT JOIN _fs_qw qw ON qw.quad = se.quad_class
        LEFT JOIN _fs_cw cw ON cw.code = se.code
        LEFT JOIN _fs_rw rw ON rw.root = se.root
    )
    SELECT * EXCLUDE (grave, sentence_index, span_start) FROM weighted
    QUALIFY row_number() OVER (PARTITION BY fid ORDER BY grave, weight DESC, goldstein,
                                                         date DESC, article_id,
                                                         sentence_index, span_start, source,
                                                         target, code, event_id) <= ?
    ORDER BY fid, grave, weight DESC, goldstein, date DESC, article_id, sentence_index,
             span_start, source, target, code, event_id
"""


def attach_evidence(con: duckdb.DuckDBPyConnection, scope: Scope, alerts: Sequence[Alert],
                    config: AnalysisConfig) -> list[Alert]:
    """The top conflict story-events of each alert's dyad in its detector's window (by
    weight; for a severe-act alert the gravest act that leads a report first).

    Counted as of the alert's day: a reprint published later does not change the evidence
    of an earlier alert.
    """
    if not alerts:
        return []
    firings = pa.table({
        "fid": pa.array(range(len(alerts)), pa.int64()),
        "dyad": pa.array([a.dyad for a in alerts], pa.string()),
        "directed": pa.array([a.directed for a in alerts], pa.bool_()),
        "date": pa.array([a.date for a in alerts], pa.date32()),
        "start": pa.array([a.date - dt.timedelta(days=max(a.window_days, 1) - 1)
                           for a in alerts], pa.date32()),
        # a severe-act alert is about its gravest act in a lede: that one leads its evidence
        "lede": pa.array([config.severe.lead_sentences if a.detector == "severe" else 0
                          for a in alerts], pa.int32()),
    })
    sql = _EVIDENCE.format(members=_members(scope), source_key=SOURCE_KEY,
                           target_key=TARGET_KEY, first=first_mention(
                               "event_id", "article_id", "code", "goldstein", "quad_class",
                               "sentence", "ev_date AS event_date", "sentence_index",
                               "span_start"))
    con.register("_fs_firings", firings)
    try:
        with registered_weights(con, weights_of(config)):
            rows = con.execute(sql, [config.alerts.evidence_events]).fetchall()
    finally:
        con.unregister("_fs_firings")
    found: dict[int, list[EvidenceItem]] = {}
    for r in rows:
        found.setdefault(int(r[0]), []).append(EvidenceItem(
            event_id=r[1], date=r[2], source=r[3], target=r[4], code=r[5],
            goldstein=float(r[6]), weight=float(r[7]), sentence=r[8], article_id=r[9],
            title=r[10], outlet=r[11], num_articles=int(r[12]), num_sources=int(r[13]),
            event_date=r[14]))
    return [replace(a, evidence=tuple(found.get(i, ()))) for i, a in enumerate(alerts)]


def _members(scope: Scope) -> str:
    if scope.members not in MEMBER_RELATIONS:
        raise ValueError(f"{scope.members!r}: expected one of {', '.join(MEMBER_RELATIONS)}")
    return scope.members


#: ``status(text)``: the step being done, for progress
Status = Callable[[str], None]


def _quiet(text: str) -> None:
    """The status of a caller that wants none."""


def compute_alerts(con: duckdb.DuckDBPyConnection, config: AnalysisConfig,
                   scope: Scope | None = None, *, status: Status = _quiet) -> list[Alert]:
    """Every alert over the scope's history, with evidence (one causal pass);
    ``status`` hears of each step."""
    scope = scope or Scope(exclude_actors=config.series.exclude_actors)
    status("reading the daily series of every dyad")
    data = analysis_data(con, scope, config)
    status("running the alert detectors")
    found = detect(data, config)
    status(f"gathering the evidence of {len(found):,} alert(s)")
    return attach_evidence(con, scope, found, config)


# --- storage ---------------------------------------------------------------------------


ALERT_SCHEMA = pa.schema([
    ("alert_id", pa.string()), ("scope", pa.string()), ("dyad", pa.string()),
    ("directed", pa.bool_()), ("date", pa.date32()), ("detector", pa.string()),
    ("signal", pa.string()), ("score", pa.float64()), ("threshold", pa.float64()),
    ("value", pa.float64()), ("baseline", pa.float64()), ("window_events", pa.int32()),
    ("window_articles", pa.int32()), ("dyad_events", pa.int32()),
    ("episode_start", pa.date32()), ("evidence", pa.string()), ("basis", pa.string()),
    ("created", pa.timestamp("us", tz="UTC")), ("kind", pa.string()),
    ("context", pa.string()), ("stories", pa.int32()), ("window_days", pa.int32()),
    ("explanation", pa.string()),
])


def write_alerts(con: duckdb.DuckDBPyConnection, scope_name: str, alerts: Sequence[Alert],
                 basis: str) -> int:
    """Replace the alerts of ``scope_name`` (a bulk Arrow insert) and record the basis."""
    ensure_analysis_schema(con)
    now = dt.datetime.now(dt.UTC)
    columns: dict[str, list[Any]] = {
        # one alert may be stored in several scopes (the database, backtests of subsets)
        "alert_id": [hashlib.sha1(f"{scope_name}|{a.alert_id}".encode()).hexdigest()[:20]
                     for a in alerts],
        "scope": [scope_name] * len(alerts),
        "dyad": [a.dyad for a in alerts],
        "directed": [a.directed for a in alerts],
        "date": [a.date for a in alerts],
        "detector": [a.detector for a in alerts],
        "signal": [a.signal for a in alerts],
        "score": [a.score for a in alerts],
        "threshold": [a.threshold for a in alerts],
        "value": [a.value for a in alerts],
        "baseline": [a.baseline for a in alerts],
        "window_events": [a.window_events for a in alerts],
        "window_articles": [a.window_articles for a in alerts],
        "dyad_events": [a.dyad_events for a in alerts],
        "episode_start": [a.episode_start for a in alerts],
        "evidence": [json.dumps([e.as_dict() for e in a.evidence]) for a in alerts],
        "basis": [basis] * len(alerts),
        "created": [now] * len(alerts),
        "kind": [a.kind for a in alerts],
        "context": [a.context for a in alerts],
        "stories": [a.stories for a in alerts],
        "window_days": [a.window_days for a in alerts],
        "explanation": [a.explanation for a in alerts],
    }
    assert tuple(columns) == ALERT_COLUMNS
    table = pa.table(columns, schema=ALERT_SCHEMA)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM alerts WHERE scope = ?", [scope_name])
        con.register("_fs_alerts", table)
        names = ", ".join(ALERT_COLUMNS)
        con.execute(f"INSERT INTO alerts ({names}) SELECT {names} FROM _fs_alerts "
                    "ON CONFLICT DO NOTHING")
        con.unregister("_fs_alerts")
        con.execute("INSERT OR REPLACE INTO analysis_state VALUES (?, ?)",
                    [f"alerts:{scope_name}", basis])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return len(alerts)


def data_basis(con: duckdb.DuckDBPyConnection, config: AnalysisConfig) -> str:
    """A fingerprint of what alerts derive from: config, coded events and stories."""
    row = con.execute(
        "SELECT (SELECT count(*) FROM events), "
        "(SELECT coalesce(bit_xor(hash(event_id)), 0) FROM events), "
        "(SELECT count(*) FROM story_members), "
        "(SELECT coalesce(bit_xor(hash(article_id || story_id)), 0) FROM story_members)"
    ).fetchall()[0]
    text = json.dumps([config.fingerprint(), *[str(v) for v in row]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RefreshReport:
    computed: bool
    alerts: int
    new_stories_articles: int


def refresh_alerts(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *,
                   force: bool = False,
                   progress: Callable[[int, int | None], None] | None = None,
                   status: Status = _quiet) -> RefreshReport:
    """Bring stories and the ``all`` scope's alerts up to date with the coded data.
    ``progress(done, total)`` counts the articles clustered into stories; ``status``
    names each step (clustering, reading the series, detecting, evidence, storing)."""
    status("clustering new articles into stories")
    stories = update_stories(con, config.stories, progress=progress)
    basis = data_basis(con, config)
    stored = con.execute("SELECT value FROM analysis_state WHERE key = ?",
                         [f"alerts:{DEFAULT_SCOPE}"]).fetchall()
    if not force and stored and stored[0][0] == basis:
        count = con.execute("SELECT count(*) FROM alerts WHERE scope = ?",
                            [DEFAULT_SCOPE]).fetchall()[0][0]
        return RefreshReport(False, int(count), stories.added)
    alerts = compute_alerts(con, config, status=status)
    status(f"storing {len(alerts):,} alert(s)")
    write_alerts(con, DEFAULT_SCOPE, alerts, basis)
    return RefreshReport(True, len(alerts), stories.added)


def load_alerts(con: duckdb.DuckDBPyConnection, *, scope: str = DEFAULT_SCOPE,
                since: dt.date | None = None, until: dt.date | None = None,
                dyad: str | None = None) -> list[dict[str, Any]]:
    """Stored alerts as dicts (evidence parsed), oldest first."""
    clauses = ["scope = ?"]
    params: list[Any] = [scope]
    if since is not None:
        clauses.append("date >= ?")
        params.append(since)
    if until is not None:
        clauses.append("date <= ?")
        params.append(until)
    if dyad is not None:
        clauses.append("dyad = ?")
        params.append(dyad)
    cursor = con.execute(
        f"SELECT * FROM alerts WHERE {' AND '.join(clauses)} "
        "ORDER BY date, dyad, detector, signal", params)
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]
    for row in rows:
        row["evidence"] = json.loads(row["evidence"])
        for name, value in ALERT_DEFAULTS.items():  # a database written before alerts.v2
            row.setdefault(name, value)
    return rows
