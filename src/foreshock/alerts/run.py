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
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from foreshock.aggregate.series import (
    DailyData,
    Scope,
    Weights,
    daily_data,
    registered_weights,
)
from foreshock.alerts import detectors as det
from foreshock.alerts.config import AnalysisConfig
from foreshock.store.stories_schema import (
    ALERT_COLUMNS,
    MEMBER_RELATIONS,
    ensure_analysis_schema,
)
from foreshock.stories.store import update_stories

DEFAULT_SCOPE = "all"


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
    dyad: str
    directed: bool
    date: dt.date
    detector: str  # robust_z | cusum
    signal: str  # conflict | verbal | material
    score: float
    threshold: float
    value: float  # the dyad's share of coded story-events in the trailing window
    baseline: float | None  # the baseline share (median of past windows)
    window_events: int  # coded story-events of all dyads in the trailing window
    window_articles: int  # articles published in the trailing window
    dyad_events: int  # the dyad's story-events (any kind) in the trailing window
    episode_start: dt.date = dt.date.min
    evidence: tuple[EvidenceItem, ...] = ()

    @property
    def alert_id(self) -> str:
        key = f"{self.dyad}|{self.directed}|{self.date}|{self.detector}|{self.signal}"
        return hashlib.sha1(key.encode()).hexdigest()[:20]

    def same_decision(self, other: Alert) -> bool:
        """Equal up to float noise (what the no-look-ahead check compares)."""
        return (self.alert_id == other.alert_id and abs(self.score - other.score) < 1e-9
                and self.episode_start == other.episode_start
                and [e.event_id for e in self.evidence] == [e.event_id for e in other.evidence]
                and [e.num_articles for e in self.evidence]
                == [e.num_articles for e in other.evidence])


def weights_of(config: AnalysisConfig) -> Weights:
    s = config.series
    return Weights(quad=s.quad_weights, root=s.root_weights, code=s.code_weights)


def directions_of(config: AnalysisConfig) -> tuple[bool, ...]:
    return (False, True) if config.series.directed else (False,)


def detect(data: DailyData, config: AnalysisConfig, *, first_day: int = 0) -> list[Alert]:
    """All detector firings on days ``first_day..``, numbered into episodes (pure: the
    evidence is attached afterwards by ``attach_evidence``)."""
    if not data.days:
        return []
    s = config.series
    window = s.window_days
    window_totals = det.trailing_sum(data.totals, window)
    window_articles = det.trailing_sum(data.articles, window)
    dyad_counts = det.trailing_sum(data.counts, window)
    conflict_counts = det.trailing_sum(data.conflict_counts, window)
    history = det.lagged(det.trailing_sum(data.counts, window * s.history_weeks), window)
    allowed = ((window_totals >= s.min_window_events) & (conflict_counts >= s.min_dyad_events)
               & (np.nan_to_num(history) >= s.min_history_events))
    found: list[Alert] = []

    def collect(detector: str, signal: str, fired: np.ndarray, score: np.ndarray,
                value: np.ndarray, baseline: np.ndarray, threshold: float) -> None:
        rows, cols = np.nonzero(fired[:, first_day:])
        for i, j in zip(rows.tolist(), (cols + first_day).tolist(), strict=True):
            base = float(baseline[i, j])
            found.append(Alert(
                dyad=data.dyads[i], directed=data.directed[i], date=data.days[j],
                detector=detector, signal=signal, score=round(float(score[i, j]), 6),
                threshold=threshold, value=round(float(value[i, j]), 6),
                baseline=None if np.isnan(base) else round(base, 6),
                window_events=int(window_totals[j]), window_articles=int(window_articles[j]),
                dyad_events=int(dyad_counts[i, j])))

    signals = set(config.robust_z.signals if config.robust_z.enabled else ())
    signals |= set(config.cusum.signals if config.cusum.enabled else ())
    for signal in sorted(signals):
        weighted = data.signal(signal)
        share = det.windowed_share(weighted, data.totals, window, s.min_window_events)
        sums = det.trailing_sum(weighted, window)
        if config.robust_z.enabled and signal in config.robust_z.signals:
            p = config.robust_z
            base = det.trailing_baseline(share, step=window, count=p.baseline_weeks,
                                         min_points=p.min_baseline, weighted=sums,
                                         totals=window_totals)
            z = det.robust_z(share, window_totals, base, p.min_rate)
            fired = det.threshold_alerts(z, p.threshold, allowed, p.refractory_days)
            collect("robust_z", signal, fired, z, share, base.center, p.threshold)
        if config.cusum.enabled and signal in config.cusum.signals:
            c = config.cusum
            base = det.trailing_baseline(share, step=window, count=c.baseline_weeks,
                                         min_points=c.min_baseline, weighted=sums,
                                         totals=window_totals)
            cusum, fired = det.poisson_cusum(weighted, data.totals, base.center,
                                             ratio=c.ratio, threshold=c.threshold,
                                             min_rate=c.min_rate, allowed=allowed)
            collect("cusum", signal, fired, cusum, share, base.center, c.threshold)
    return assign_episodes(found, config.alerts.episode_days)


def assign_episodes(alerts: Sequence[Alert], episode_days: int) -> list[Alert]:
    """Alerts on one dyad within ``episode_days`` of the previous one share an episode."""
    out: list[Alert] = []
    last: dict[tuple[str, bool], tuple[dt.date, dt.date]] = {}  # dyad -> (last date, start)
    for alert in sorted(alerts, key=lambda a: (a.date, a.dyad, a.directed, a.detector,
                                               a.signal)):
        key = (alert.dyad, alert.directed)
        previous = last.get(key)
        if previous is not None and (alert.date - previous[0]).days <= episode_days:
            start = previous[1]
        else:
            start = alert.date
        last[key] = (alert.date, start)
        out.append(replace(alert, episode_start=start))
    return out


_EVIDENCE = """
    WITH ev AS (
        SELECT e.event_id, e.article_id, e.sentence_index, e.source, e.target, e.root, e.code,
               e.goldstein, e.quad_class, e.sentence, m.story_id, m.date AS pub_date,
               CASE WHEN e.event_date_precision = 'day' AND e.event_date <= m.date
                    THEN e.event_date END AS ev_date,
               m.published, coalesce(m.outlet, '') AS outlet,
               least(e.source, e.target) || '-' || greatest(e.source, e.target) AS ukey,
               e.source || '>' || e.target AS dkey
        FROM events e JOIN {members} m ON m.article_id = e.article_id
        WHERE e.modality = 'asserted' AND e.quad_class IN (3, 4)
          AND e.source IS NOT NULL AND e.target IS NOT NULL AND e.source <> e.target
    ),
    joined AS (
        SELECT f.fid, f.start, ev.* FROM _fs_firings f JOIN ev
          ON (CASE WHEN f.directed THEN ev.dkey ELSE ev.ukey END) = f.dyad
         AND ev.pub_date <= f.date
    ),
    se AS (
        SELECT fid, start, story_id, source, target, root, min(pub_date) AS date,
               arg_min(event_id, (pub_date, published, article_id, sentence_index, event_id))
                   AS event_id,
               arg_min(article_id, (pub_date, published, article_id, sentence_index,
                                    event_id)) AS article_id,
               arg_min(code, (pub_date, published, article_id, sentence_index, event_id))
                   AS code,
               arg_min(goldstein, (pub_date, published, article_id, sentence_index,
                                   event_id)) AS goldstein,
               arg_min(quad_class, (pub_date, published, article_id, sentence_index,
                                    event_id)) AS quad_class,
               arg_min(sentence, (pub_date, published, article_id, sentence_index, event_id))
                   AS sentence,
               arg_min(ev_date, (pub_date, published, article_id, sentence_index, event_id))
                   AS event_date,
               count(DISTINCT article_id) AS num_articles,
               count(DISTINCT outlet) AS num_sources
        FROM joined GROUP BY fid, start, story_id, source, target, root
        HAVING min(pub_date) >= start
    ),
    weighted AS (
        SELECT se.fid, se.event_id, se.date, se.source, se.target, se.code, se.goldstein,
               coalesce(qw.weight, 0) * coalesce(cw.weight, rw.weight, 1.0) AS weight,
               se.sentence, se.article_id, a.title, a.outlet, se.num_articles, se.num_sources,
               se.event_date
        FROM se
        JOIN articles a ON a.article_id = se.article_id
        LEFT JOIN _fs_qw qw ON qw.quad = se.quad_class
        LEFT JOIN _fs_cw cw ON cw.code = se.code
        LEFT JOIN _fs_rw rw ON rw.root = se.root
    )
    SELECT * FROM weighted
    QUALIFY row_number() OVER (PARTITION BY fid
                               ORDER BY weight DESC, goldstein, date DESC, event_id) <= ?
    ORDER BY fid, weight DESC, goldstein, date DESC, event_id
"""


def attach_evidence(con: duckdb.DuckDBPyConnection, scope: Scope, alerts: Sequence[Alert],
                    config: AnalysisConfig) -> list[Alert]:
    """The top conflict story-events of each alert's dyad in its trailing window.

    Counted as of the alert's day: a reprint published later does not change the evidence
    of an earlier alert.
    """
    if not alerts:
        return []
    window = config.series.window_days
    firings = pa.table({
        "fid": pa.array(range(len(alerts)), pa.int64()),
        "dyad": pa.array([a.dyad for a in alerts], pa.string()),
        "directed": pa.array([a.directed for a in alerts], pa.bool_()),
        "date": pa.array([a.date for a in alerts], pa.date32()),
        "start": pa.array([a.date - dt.timedelta(days=window - 1) for a in alerts],
                          pa.date32()),
    })
    sql = _EVIDENCE.format(members=_members(scope))
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


def compute_alerts(con: duckdb.DuckDBPyConnection, config: AnalysisConfig,
                   scope: Scope | None = None) -> list[Alert]:
    """Every alert over the scope's history, with evidence (one causal pass)."""
    scope = scope or Scope(exclude_actors=config.series.exclude_actors)
    data = daily_data(con, scope, weights_of(config), directions=directions_of(config))
    return attach_evidence(con, scope, detect(data, config), config)


# --- storage ---------------------------------------------------------------------------


ALERT_SCHEMA = pa.schema([
    ("alert_id", pa.string()), ("scope", pa.string()), ("dyad", pa.string()),
    ("directed", pa.bool_()), ("date", pa.date32()), ("detector", pa.string()),
    ("signal", pa.string()), ("score", pa.float64()), ("threshold", pa.float64()),
    ("value", pa.float64()), ("baseline", pa.float64()), ("window_events", pa.int32()),
    ("window_articles", pa.int32()), ("dyad_events", pa.int32()),
    ("episode_start", pa.date32()), ("evidence", pa.string()), ("basis", pa.string()),
    ("created", pa.timestamp("us", tz="UTC")),
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
    }
    assert tuple(columns) == ALERT_COLUMNS
    table = pa.table(columns, schema=ALERT_SCHEMA)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM alerts WHERE scope = ?", [scope_name])
        con.register("_fs_alerts", table)
        con.execute("INSERT INTO alerts SELECT * FROM _fs_alerts ON CONFLICT DO NOTHING")
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
                   force: bool = False) -> RefreshReport:
    """Bring stories and the ``all`` scope's alerts up to date with the coded data."""
    stories = update_stories(con, config.stories)
    basis = data_basis(con, config)
    stored = con.execute("SELECT value FROM analysis_state WHERE key = ?",
                         [f"alerts:{DEFAULT_SCOPE}"]).fetchall()
    if not force and stored and stored[0][0] == basis:
        count = con.execute("SELECT count(*) FROM alerts WHERE scope = ?",
                            [DEFAULT_SCOPE]).fetchall()[0][0]
        return RefreshReport(False, int(count), stories.added)
    alerts = compute_alerts(con, config)
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
    return rows
