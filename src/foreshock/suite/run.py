"""Run every case of a suite on the coded database and measure what the issue asks.

A case is one causal pass (``detect`` over the case's articles only, their stories taken
from one clustering of the case's corpora): the same alerts a day-by-day replay gives,
because every stage only looks back (``foreshock backtest --verify`` and the integration
tests check that equality).

Per case:

* ``warn``/``detect``: the first *new* alert on one of the case's dyads from ``score_from``
  on; its lead (days before the onset) or delay (days after it); the first day on or after
  the onset on which the corpus reports armed action between them (``first_report``).
* ``calm``: the calm dyads (enough story-events, not excluded), calm dyad-years and the
  new alerts on them.
* every case: on the dyads at war (``wars``, and the case's dyads from the onset to
  ``war_until``), the new alerts per dyad-month, each with its kind and context.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np

from foreshock.aggregate.series import DailyData, Scope, SeriesRow, dyad_series
from foreshock.alerts.config import AnalysisConfig
from foreshock.alerts.run import Alert, analysis_data, attach_evidence, detect, weights_of
from foreshock.runners.backtest import MEMBERS, register_members
from foreshock.stories.cluster import Member, StoryIndex
from foreshock.stories.store import stored_members
from foreshock.suite.prepare import Prepared
from foreshock.suite.spec import CaseSpec, Suite

DAYS_PER_MONTH = 365.25 / 12
Log = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class WarDyad:
    dyad: str
    start: dt.date
    end: dt.date
    new_alerts: tuple[Alert, ...]

    @property
    def months(self) -> float:
        return ((self.end - self.start).days + 1) / DAYS_PER_MONTH

    def max_per_30_days(self) -> int:
        dates = sorted(a.date for a in self.new_alerts)
        return max((sum(1 for d in dates if 0 <= (d - first).days < 30) for first in dates),
                   default=0)


@dataclass(frozen=True, slots=True)
class CaseResult:
    case: CaseSpec
    articles: int
    stories: int
    story_events: int
    first_day: dt.date | None
    last_day: dt.date | None
    alerts: tuple[Alert, ...]
    focus_events: dict[str, int]  # story-events of each case dyad in the window
    first_alert: Alert | None  # first new alert on a case dyad from score_from on
    first_report: dt.date | None  # first day >= onset with force between a case dyad
    first_after: Alert | None = None  # first alert (new or continuing) from the onset on
    calm_dyads: tuple[str, ...] = ()
    calm_alerts: tuple[Alert, ...] = ()
    excluded_alerts: tuple[Alert, ...] = ()
    wars: tuple[WarDyad, ...] = ()
    seconds: float = 0.0
    weekly_dyad: str | None = None  # the case dyad drawn in the plot
    coded_per_day: float = 0.0  # coded story-events per covered day
    weeks: tuple[SeriesRow, ...] = ()  # the weekly series of ``weekly_dyad``
    volume: tuple[tuple[dt.date, int, int], ...] = ()  # week, articles, coded story-events

    @property
    def lead(self) -> int | None:
        """Days from the first alert to the onset (negative: a delay after it)."""
        if self.case.onset is None or self.first_alert is None:
            return None
        return (self.case.onset - self.first_alert.date).days

    @property
    def warning(self) -> int | None:
        """Days from the first new alert to the onset, when it came before the onset."""
        lead = self.lead
        return lead if lead is not None and lead > 0 else None

    @property
    def delay(self) -> int | None:
        """Days from the onset to the first alert firing on or after it (new or one that
        continues an alert raised before)."""
        if self.case.onset is None or self.first_after is None:
            return None
        return (self.first_after.date - self.case.onset).days

    @property
    def calm_years(self) -> float:
        return len(self.calm_dyads) * self.case.days / 365.25

    @property
    def calm_rate(self) -> float | None:
        years = self.calm_years
        return len(self.calm_alerts) / years if years else None

    @property
    def war_months(self) -> float:
        return sum(w.months for w in self.wars)

    @property
    def war_new_alerts(self) -> int:
        return sum(len(w.new_alerts) for w in self.wars)


@dataclass(slots=True)
class SuiteResult:
    suite: Suite
    config: AnalysisConfig
    prepared: Prepared | None
    results: list[CaseResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def corpus_article_ids(con: duckdb.DuckDBPyConnection, prepared: Prepared,
                       corpora: Sequence[str]) -> list[str]:
    paths = [str(prepared.slices[c].path) for c in corpora if c in prepared.slices]
    rows = con.execute("SELECT article_id FROM articles WHERE list_contains(?, source_path)",
                       [paths]).fetchall()
    return [r[0] for r in rows]


Clustered = list[tuple[Member, str, str]]  # (member, story id, outlet) in publication order


def cluster(con: duckdb.DuckDBPyConnection, prepared: Prepared, corpora: Sequence[str],
            config: AnalysisConfig) -> Clustered:
    """Stories over everything the suite holds of ``corpora``, in publication order.

    Clustered once per set of corpora and shared by its cases: an article only ever joins
    a story of an earlier article (``stories/cluster.py``), so a case cut from this sees
    no later article; it may see that an article continues a story that began up to
    ``stories.window_days`` before its window, as a reader who had followed the news would.
    """
    index = StoryIndex(config.stories)
    members = stored_members(con, corpus_article_ids(con, prepared, corpora))
    return [(m, index.add(m).story_id, outlet) for m, outlet in members]


def actors_of(dyad: str) -> tuple[str, str]:
    a, b = dyad.replace(">", "-").split("-", 1)
    return a, b


def is_excluded(dyad: str, case: CaseSpec) -> bool:
    if dyad in case.exclude or dyad in case.dyads or dyad in case.wars:
        return True
    return any(key.startswith(code) for key in actors_of(dyad) for code in case.exclude_actors)


def run_case(con: duckdb.DuckDBPyConnection, clustered: Clustered, case: CaseSpec,
             config: AnalysisConfig, min_calm_events: int) -> CaseResult:
    clock = time.perf_counter()
    members = [row for row in clustered if case.start <= row[0].date <= case.end]
    stories = len({story for _, story, _ in members})
    register_members(con, members)
    scope = Scope(MEMBERS, exclude_actors=config.series.exclude_actors)
    data = analysis_data(con, scope, config, start=case.start)
    alerts = detect(data, config)
    alerts = attach_evidence(con, scope, alerts, config)
    result = measure(case, data, alerts, min_calm_events)
    weeks: tuple[SeriesRow, ...] = ()
    if result.weekly_dyad is not None:
        weeks = tuple(dyad_series(con, scope, weights_of(config), freq="week",
                                  dyad=result.weekly_dyad,
                                  min_support=config.series.min_window_events))
    con.unregister(MEMBERS)
    return replace(result, articles=len(members), stories=stories, weeks=weeks,
                   volume=weekly_volume(data), seconds=time.perf_counter() - clock)


def weekly_volume(data: DailyData) -> tuple[tuple[dt.date, int, int], ...]:
    """Articles and coded story-events per ISO week (Monday start)."""
    weeks: dict[dt.date, list[int]] = {}
    for j, day in enumerate(data.days):
        week = day - dt.timedelta(days=day.weekday())
        row = weeks.setdefault(week, [0, 0])
        row[0] += int(data.articles[j])
        row[1] += int(data.totals[j])
    return tuple((w, a, n) for w, (a, n) in sorted(weeks.items()))


def new_alerts(alerts: Sequence[Alert], since: dt.date) -> list[Alert]:
    """One alert per episode start (two detectors firing on the day an alert starts are one
    alert), the onset first, from ``since`` on."""
    rank = {"onset": 0, "escalation": 1, "de-escalation": 2}
    first: dict[tuple[str, dt.date], Alert] = {}
    for a in sorted(alerts, key=lambda a: (a.date, rank.get(a.kind, 3), a.detector)):
        if a.is_new and not a.directed and a.date >= since:
            first.setdefault((a.dyad, a.episode_start), a)
    return sorted(first.values(), key=lambda a: (a.date, a.dyad))


def _row(data: DailyData, dyad: str) -> int | None:
    for i, (name, directed) in enumerate(zip(data.dyads, data.directed, strict=True)):
        if name == dyad and not directed:
            return i
    return None


def _day(data: DailyData, day: dt.date) -> int:
    return (day - data.days[0]).days


def measure(case: CaseSpec, data: DailyData, alerts: Sequence[Alert],
            min_calm_events: int) -> CaseResult:
    """The case's metrics from its daily arrays and alerts (pure)."""
    new = new_alerts(alerts, case.score_from)
    focus_events: dict[str, int] = {}
    for dyad in case.dyads:
        row = _row(data, dyad)
        focus_events[dyad] = int(data.counts[row].sum()) if row is not None else 0
    # a warning or a detection is an onset or an escalation; a de-escalation is neither
    first_alert = next((a for a in new if a.dyad in case.dyads
                        and a.kind != "de-escalation"), None)
    first_after = None
    if case.onset is not None:
        first_after = next((a for a in sorted(alerts, key=lambda a: a.date)
                            if a.dyad in case.dyads and not a.directed
                            and a.kind != "de-escalation" and a.date >= case.onset), None)
    first_report = None
    if case.onset is not None and data.days:
        rows = [r for r in (_row(data, d) for d in case.dyads) if r is not None]
        start = max(_day(data, case.onset), 0)
        if rows and start < len(data.days):
            hits = np.nonzero(data.force[rows, start:].sum(axis=0) > 0)[0]
            first_report = data.days[start + int(hits[0])] if hits.size else None
    calm: list[str] = []
    calm_alerts: list[Alert] = []
    excluded: list[Alert] = []
    if case.kind == "calm" and data.days:
        lo = max(_day(data, case.score_from), 0)
        for i, dyad in enumerate(data.dyads):
            if data.directed[i] or data.counts[i, lo:].sum() < min_calm_events:
                continue
            if not is_excluded(dyad, case):
                calm.append(dyad)
        calm_set = set(calm)
        calm_alerts = [a for a in new if a.dyad in calm_set]
        excluded = [a for a in new if a.dyad not in calm_set]
    wars: list[WarDyad] = []
    for dyad in case.wars:
        wars.append(WarDyad(dyad, case.score_from, case.end,
                            tuple(a for a in new if a.dyad == dyad)))
    if case.war_until is not None and case.onset is not None:
        for dyad in case.dyads:
            if dyad in case.wars:
                continue
            # the onset's own alerts are the detection; the war is judged from the next day
            after = case.onset + dt.timedelta(days=1)
            span = tuple(a for a in new if a.dyad == dyad and after <= a.date <= case.war_until)
            if focus_events.get(dyad):
                wars.append(WarDyad(dyad, after, case.war_until, span))
    weekly = max(case.dyads, key=lambda d: focus_events.get(d, 0)) if case.dyads else None
    covered = int(np.sum(data.covered)) if data.days else 0
    return CaseResult(
        case=case, articles=0, stories=0, story_events=int(data.totals.sum()),
        first_day=data.days[0] if data.days else None,
        last_day=data.days[-1] if data.days else None, alerts=tuple(alerts),
        focus_events=focus_events, first_alert=first_alert, first_report=first_report,
        first_after=first_after,
        calm_dyads=tuple(sorted(calm)), calm_alerts=tuple(calm_alerts),
        excluded_alerts=tuple(excluded), wars=tuple(wars), weekly_dyad=weekly,
        coded_per_day=float(data.totals.sum()) / covered if covered else 0.0)


def run_suite(suite: Suite, config: AnalysisConfig, prepared: Prepared, *,
              cases: Sequence[str] = (), log: Log | None = None,
              clustered: dict[tuple[str, ...], Clustered] | None = None) -> SuiteResult:
    """Every case (or the named ones) on the prepared database.  ``clustered`` may carry
    stories from an earlier call with the same story parameters (it is filled in)."""
    from foreshock.store.db import connect

    say = log or (lambda _: None)
    out = SuiteResult(suite=suite, config=config, prepared=prepared)
    con = connect(prepared.db, read_only=True)  # prepare() wrote all there is to write
    clock = time.perf_counter()
    clustered = {} if clustered is None else clustered
    for case in suite.cases:
        if cases and case.name not in cases:
            continue
        key = tuple(sorted(case.corpora))
        if key not in clustered:
            clustered[key] = cluster(con, prepared, key, config)
        result = run_case(con, clustered[key], case, config, suite.calm_min_events)
        say(f"{case.name}: {result.articles} articles, {len(result.alerts)} alert rows "
            f"in {result.seconds:.1f}s")
        out.results.append(result)
    out.seconds["cases"] = time.perf_counter() - clock
    con.close()
    return out
