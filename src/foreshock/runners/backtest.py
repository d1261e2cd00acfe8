"""Backtest: replay a coded corpus day by day and see when the alerts would have come.

Coding one article does not depend on any other, so the corpus is coded once (by the
local runner) and then replayed by publication date.  On each day ``D`` of the replay:

* articles published on ``D`` join the story index (they can only join stories of articles
  already seen, see ``stories/cluster.py``), and the members known so far are all the
  analysis can see;
* the daily series are recomputed in SQL with everything published after ``D`` cut off;
* the detectors run over that history and only their verdict for ``D`` is kept.

Nothing computed for ``D`` can see a later article, so the alerts are those a person would
have had on each day.  Because every stage is causal, one pass over the whole corpus gives
the same alerts; ``verify`` runs both and reports any difference (there should be none).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from foreshock.aggregate.series import DailyData, Scope, SeriesRow, dyad_series
from foreshock.alerts.config import AnalysisConfig
from foreshock.alerts.detectors import trailing_baseline, windowed_share
from foreshock.alerts.run import (
    Alert,
    analysis_data,
    attach_evidence,
    detect,
    weights_of,
    write_alerts,
)
from foreshock.stories.cluster import Member, StoryIndex
from foreshock.stories.store import stored_members, update_stories

MEMBERS = "_fs_members"
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BacktestSpec:
    onset: dt.date
    focus: tuple[str, ...] = ()  # dyad keys whose lead time is the point ("RUS-UKR")
    corpora: tuple[str, ...] = ()  # source paths; empty: every article in the database
    until: dt.date | None = None  # last day replayed (default: the last article)
    mode: str = "replay"  # replay: day by day; single: one causal pass
    verify: bool = False  # also run the other mode and compare


@dataclass(frozen=True, slots=True)
class DyadReport:
    dyad: str
    focus: bool
    story_events: int  # over the replayed period
    conflict_events: int
    firings: int  # detector firings (rows of the alerts table)
    alerts: int  # episodes: a firing continuing an earlier alert's episode counts once
    first_alert: dt.date | None
    lead_days: int | None  # onset - first alert, when the first alert precedes the onset
    alerts_before_onset: int  # episodes that started before the onset


@dataclass(frozen=True, slots=True)
class BacktestResult:
    spec: BacktestSpec
    scope_name: str
    articles: int
    stories: int
    first_day: dt.date | None
    last_day: dt.date | None
    days: int
    judged_days: int  # days with enough volume and history for any verdict
    alerts: tuple[Alert, ...]
    dyads: tuple[DyadReport, ...]
    weeks: dict[str, tuple[SeriesRow, ...]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    mismatches: int | None = None  # replay vs single pass, when verified

    def report_for(self, dyad: str) -> DyadReport | None:
        return next((d for d in self.dyads if d.dyad == dyad), None)


def scope_name(corpora: Sequence[str]) -> str:
    if not corpora:
        return "backtest:all"
    names = sorted(os.path.basename(os.path.normpath(p)) for p in corpora)
    digest = hashlib.sha1("\x1f".join(sorted(os.path.abspath(p) for p in corpora)).encode())
    return f"backtest:{'+'.join(names)}:{digest.hexdigest()[:6]}"


def matching_sources(stored: Sequence[str], corpora: Sequence[str]) -> list[str]:
    """Stored ``source_path`` values that are one of ``corpora`` or lie under one of them."""
    wanted = [os.path.abspath(p) for p in corpora]
    found = []
    for path in stored:
        full = os.path.abspath(path)
        if any(full == w or full.startswith(w.rstrip(os.sep) + os.sep) for w in wanted):
            found.append(path)
    return found


def scope_article_ids(con: duckdb.DuckDBPyConnection, corpora: Sequence[str]) -> list[str]:
    if not corpora:
        return [r[0] for r in con.execute("SELECT article_id FROM articles").fetchall()]
    stored = [r[0] for r in con.execute(
        "SELECT DISTINCT source_path FROM articles WHERE source_path IS NOT NULL").fetchall()]
    sources = matching_sources(stored, corpora)
    if not sources:
        return []
    rows = con.execute("SELECT article_id FROM articles WHERE list_contains(?, source_path)",
                       [sources]).fetchall()
    return [r[0] for r in rows]


_MEMBER_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("story_id", pa.string()), ("date", pa.date32()),
    ("published", pa.timestamp("us", tz="UTC")), ("outlet", pa.string()),
])


def _members_table(rows: Sequence[tuple[Member, str, str]]) -> pa.Table:
    return pa.table({
        "article_id": [m.article_id for m, _, _ in rows],
        "story_id": [s for _, s, _ in rows],
        "date": [m.date for m, _, _ in rows],
        "published": [m.published for m, _, _ in rows],
        "outlet": [o for _, _, o in rows],
    }, schema=_MEMBER_SCHEMA)


def register_members(con: duckdb.DuckDBPyConnection,
                     rows: Sequence[tuple[Member, str, str]]) -> None:
    """Register (member, story id, outlet) rows as ``_fs_members``, the scope of a query."""
    _register(con, _members_table(rows))


def _register(con: duckdb.DuckDBPyConnection, table: pa.Table) -> None:
    _unregister(con)
    con.register(MEMBERS, table)


def replay(con: duckdb.DuckDBPyConnection, members: Sequence[tuple[Member, str]],
           config: AnalysisConfig, *, until: dt.date | None = None,
           progress: Progress | None = None) -> list[Alert]:
    """Day by day: cluster what is published, recompute the series up to that day, keep
    that day's alerts.  ``members`` are (member, outlet) pairs in publication order."""
    if not members:
        return []
    index = StoryIndex(config.stories)
    first = members[0][0].date
    last = until or members[-1][0].date
    seen: list[tuple[Member, str, str]] = []
    alerts: list[Alert] = []
    position = 0
    total = (last - first).days + 1
    for offset in range(total):
        day = first + dt.timedelta(days=offset)
        while position < len(members) and members[position][0].date <= day:
            member, outlet = members[position]
            seen.append((member, index.add(member).story_id, outlet))
            position += 1
        _register(con, _members_table(seen))
        scope = Scope(MEMBERS, until=day, exclude_actors=config.series.exclude_actors)
        data = analysis_data(con, scope, config, start=first)
        today = [a for a in detect(data, config, first_day=len(data.days) - 1)
                 if a.date == day]
        alerts += attach_evidence(con, scope, today, config)
        if progress is not None:
            progress(offset + 1, total)
    # detect numbers episodes from the state of each dyad, which only looks back
    return alerts


def single_pass(con: duckdb.DuckDBPyConnection, members: Sequence[tuple[Member, str]],
                config: AnalysisConfig, *, until: dt.date | None = None) -> list[Alert]:
    """All days at once over the full history (equal to ``replay`` when all is causal)."""
    if not members:
        return []
    register_scope(con, [(m, o) for m, o in members if until is None or m.date <= until],
                   config)
    scope = Scope(MEMBERS, until=until, exclude_actors=config.series.exclude_actors)
    data = analysis_data(con, scope, config, start=members[0][0].date)
    return attach_evidence(con, scope, detect(data, config), config)


def compare(a: Sequence[Alert], b: Sequence[Alert]) -> int:
    """How many alerts differ between two runs (by id, score, episode and evidence)."""
    left = {x.alert_id: x for x in a}
    right = {x.alert_id: x for x in b}
    differ = set(left) ^ set(right)
    differ |= {k for k in set(left) & set(right) if not left[k].same_decision(right[k])}
    return len(differ)


def scope_members(con: duckdb.DuckDBPyConnection, corpora: Sequence[str],
                  config: AnalysisConfig, until: dt.date | None = None
                  ) -> list[tuple[Member, str]]:
    """(member, outlet) pairs of the scope in publication order, signatures up to date."""
    update_stories(con, config.stories)  # signatures for every article (incremental)
    members = stored_members(con, scope_article_ids(con, corpora))
    return [(m, o) for m, o in members if until is None or m.date <= until]


def register_scope(con: duckdb.DuckDBPyConnection, members: Sequence[tuple[Member, str]],
                   config: AnalysisConfig) -> int:
    """Cluster the scope from scratch and register it as ``_fs_members``; returns stories."""
    index = StoryIndex(config.stories)
    rows = [(m, index.add(m).story_id, o) for m, o in members]
    _register(con, _members_table(rows))
    return len({s for _, s, _ in rows})


def run_backtest(con: duckdb.DuckDBPyConnection, spec: BacktestSpec, config: AnalysisConfig,
                 *, progress: Progress | None = None, write: bool = True) -> BacktestResult:
    """Replay the scope, then report per dyad (lead time, alerts, volume)."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    members = scope_members(con, spec.corpora, config, spec.until)
    seconds["stories"] = time.perf_counter() - clock
    name = scope_name(spec.corpora)

    clock = time.perf_counter()
    if spec.mode == "replay":
        alerts = replay(con, members, config, until=spec.until, progress=progress)
    elif spec.mode == "single":
        alerts = single_pass(con, members, config, until=spec.until)
    else:
        raise ValueError(f"{spec.mode!r}: expected replay or single")
    seconds[spec.mode] = time.perf_counter() - clock
    mismatches: int | None = None
    if spec.verify:
        clock = time.perf_counter()
        other = (single_pass(con, members, config, until=spec.until) if spec.mode == "replay"
                 else replay(con, members, config, until=spec.until))
        seconds["verify"] = time.perf_counter() - clock
        mismatches = compare(alerts, other)

    # the report may look at the whole period: it describes, it does not decide
    clock = time.perf_counter()
    stories = register_scope(con, members, config)
    scope = Scope(MEMBERS, until=spec.until, exclude_actors=config.series.exclude_actors)
    data = analysis_data(con, scope, config)
    dyads = _dyad_reports(data, config, alerts, spec)
    weeks = {d: tuple(dyad_series(con, scope, weights_of(config), freq="week", dyad=d,
                                  directed=">" in d,
                                  min_support=config.series.min_window_events))
             for d in spec.focus}
    if write:
        write_alerts(con, name, alerts, f"{config.fingerprint()}:{spec.mode}")
    _unregister(con)
    seconds["report"] = time.perf_counter() - clock
    seconds["total"] = sum(seconds.values())
    return BacktestResult(
        spec=spec, scope_name=name, articles=len(members), stories=stories,
        first_day=data.days[0] if data.days else None,
        last_day=data.days[-1] if data.days else None,
        days=len(data.days), judged_days=judged_days(data, config),
        alerts=tuple(alerts), dyads=dyads, weeks=weeks, seconds=seconds,
        mismatches=mismatches)


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # not registered yet: nothing to drop
        con.unregister(MEMBERS)


def judged_days(data: DailyData, config: AnalysisConfig) -> int:
    """Days on which any dyad could have been judged: a thick window and enough thick
    past windows for a baseline (the same for every dyad, since shares share totals)."""
    if not data.days:
        return 0
    s = config.series
    share = windowed_share(data.totals, data.totals, s.window_days, s.min_window_events)
    need = min(config.robust_z.min_baseline, config.cusum.min_baseline)
    weeks = max(config.robust_z.baseline_weeks, config.cusum.baseline_weeks)
    base = trailing_baseline(share, step=s.window_days, count=weeks, min_points=need)
    return int(np.sum(~np.isnan(share) & ~np.isnan(base.median)))


def _dyad_reports(data: DailyData, config: AnalysisConfig, alerts: Sequence[Alert],
                  spec: BacktestSpec) -> tuple[DyadReport, ...]:
    reports: list[DyadReport] = []
    for i, dyad in enumerate(data.dyads):
        counts = int(data.counts[i].sum())
        conflict = int(data.conflict_counts[i].sum())
        mine = sorted((a for a in alerts if a.dyad == dyad), key=lambda a: a.date)
        focus = dyad in spec.focus
        if counts < config.alerts.min_report_events and not mine and not focus:
            continue
        first = mine[0].date if mine else None
        lead = (spec.onset - first).days if first is not None and first < spec.onset else None
        reports.append(DyadReport(
            dyad=dyad, focus=focus, story_events=counts, conflict_events=conflict,
            firings=len(mine), alerts=len({a.episode_start for a in mine}),
            first_alert=first, lead_days=lead,
            alerts_before_onset=len({a.episode_start for a in mine
                                     if a.episode_start < spec.onset})))
    for dyad in spec.focus:
        if dyad not in data.dyads:  # a focus dyad the corpus never coded is a finding too
            reports.append(DyadReport(dyad, True, 0, 0, 0, 0, None, None, 0))
    reports.sort(key=lambda r: (not r.focus, -r.alerts, -r.story_events, r.dyad))
    return tuple(reports)


def result_dict(result: BacktestResult) -> dict[str, Any]:
    """The result as JSON-ready data (dates as ISO strings)."""
    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "scope": result.scope_name,
        "corpora": list(result.spec.corpora),
        "onset": iso(result.spec.onset),
        "mode": result.spec.mode,
        "articles": result.articles,
        "stories": result.stories,
        "first_day": iso(result.first_day),
        "last_day": iso(result.last_day),
        "days": result.days,
        "judged_days": result.judged_days,
        "seconds": {k: round(v, 2) for k, v in result.seconds.items()},
        "replay_vs_single_pass_mismatches": result.mismatches,
        "dyads": [{**{k: getattr(d, k) for k in d.__slots__},
                   "first_alert": iso(d.first_alert)} for d in result.dyads],
        "weeks": {dyad: [{**r.as_dict(), "period": iso(r.period)} for r in rows]
                  for dyad, rows in result.weeks.items()},
        "alerts": [{**{k: getattr(a, k) for k in a.__slots__ if k != "evidence"},
                    "date": iso(a.date), "episode_start": iso(a.episode_start),
                    "evidence": [e.as_dict() for e in a.evidence]} for a in result.alerts],
    }
