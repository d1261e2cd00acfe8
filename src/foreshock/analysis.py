"""Derived data for readers: dyad series, alerts and stories over a read-only connection.

Writers keep stories and the whole-database alerts stored and current (``refresh`` runs
after every ``foreshock code``).  Readers never write: when what is stored is current they
read it; when it is not (articles ingested since, another detector file, ``--refresh``) they
compute the same result in memory and say so in ``Analysis.stored``.  So a notebook and the
CLI can read one database side by side, and a mistyped ``--db`` creates nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.aggregate.series import SERIES_FIELDS, Scope, SeriesRow, dyad_series
from foreshock.alerts.config import AnalysisConfig
from foreshock.alerts.run import (
    DEFAULT_SCOPE,
    RefreshReport,
    compute_alerts,
    data_basis,
    load_alerts,
    refresh_alerts,
    weights_of,
)
from foreshock.errors import SettingsError
from foreshock.records import Dyad
from foreshock.store import fetch_one
from foreshock.store.reviews import excluding_wrong
from foreshock.store.stories_schema import has_analysis_schema
from foreshock.stories.store import current_members, pending_members

#: the relation in-memory story membership is registered as (allow-listed in the schema)
MEMBERS = "_fs_members"


@dataclass(frozen=True, slots=True)
class Analysis:
    """Where an analysis reads story membership from, and whether it is the stored one."""

    scope: Scope
    stored: bool  # False: computed in memory because the stored stories are out of date


@contextlib.contextmanager
def analysis_scope(con: duckdb.DuckDBPyConnection, config: AnalysisConfig,
                   until: dt.date | None = None) -> Iterator[Analysis]:
    """The story membership to analyse: ``story_members`` when current, else the same
    assignment computed in memory and registered for the duration of the block."""
    exclude = config.series.exclude_actors
    if has_analysis_schema(con) and pending_members(con, config.stories) == 0:
        yield Analysis(Scope(until=until, exclude_actors=exclude), stored=True)
        return
    con.register(MEMBERS, current_members(con, config.stories))
    try:
        yield Analysis(Scope(MEMBERS, until=until, exclude_actors=exclude), stored=False)
    finally:
        con.unregister(MEMBERS)


def min_support(config: AnalysisConfig, freq: str) -> int:
    support = config.series.min_window_events
    return math.ceil(support / config.series.window_days) if freq == "day" else support


def series_rows(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *,
                dyad: Dyad | None = None, freq: str = "week", directed: bool = False,
                since: dt.date | None = None, until: dt.date | None = None,
                exclude_reviewed: bool = False) -> tuple[list[SeriesRow], bool]:
    """Series rows of one dyad (or all), periods from ``since``, nothing published after
    ``until``; and whether stored stories were used.  ``exclude_reviewed`` leaves out
    events a reviewer marked wrong (``foreshock.store.reviews``)."""
    if freq not in ("day", "week"):
        raise ValueError(f"freq {freq!r}: expected day or week")
    directed = directed or (dyad is not None and dyad.directed)
    key = Dyad(dyad.a, dyad.b, directed).key if dyad is not None else None
    with excluding_wrong(con, exclude_reviewed), analysis_scope(con, config, until) as analysis:
        rows = dyad_series(con, analysis.scope, weights_of(config), freq=freq,
                           directed=directed, dyad=key, min_support=min_support(config, freq))
    return [r for r in rows if since is None or r.period >= since], analysis.stored


def series_table(rows: list[SeriesRow]) -> pa.Table:
    return pa.Table.from_pylist([r.as_dict() for r in rows], schema=SERIES_SCHEMA)


SERIES_SCHEMA = pa.schema([
    (name, pa.date32() if name == "period" else pa.string() if name == "dyad"
     else pa.bool_() if name == "thin" else pa.float64()
     if name in ("goldstein_sum", "goldstein_mean", "conflict_share", "intensity",
                 "intensity_rate") else pa.int64())
    for name in SERIES_FIELDS
])


def stored_alerts_current(con: duckdb.DuckDBPyConnection, config: AnalysisConfig) -> bool:
    """True when the stored whole-database alerts were computed from this data and config."""
    if not has_analysis_schema(con) or pending_members(con, config.stories):
        return False
    row = fetch_one(con, "SELECT value FROM analysis_state WHERE key = ?",
                    [f"alerts:{DEFAULT_SCOPE}"])
    return row is not None and row[0] == data_basis(con, config)


def alert_rows(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *,
               scope: str = DEFAULT_SCOPE, dyad: Dyad | None = None,
               since: dt.date | None = None, until: dt.date | None = None,
               refresh: bool = False, exclude_reviewed: bool = False
               ) -> tuple[list[dict[str, Any]], bool]:
    """Alerts as dicts (evidence as a list of dicts), oldest first; and whether they are the
    stored ones.  The whole-database scope is recomputed in memory when the stored alerts
    are out of date or ``refresh``; a backtest scope is read as stored.
    ``exclude_reviewed`` computes them without the events a reviewer marked wrong (in
    memory, when there are such events); a backtest scope refuses it (SettingsError): its
    alerts were detected day by day as of each day by ``foreshock backtest`` and are only
    read back here, so leaving events out would silently change nothing."""
    if exclude_reviewed and scope != DEFAULT_SCOPE:
        raise SettingsError(
            f"exclude_reviewed (--exclude-reviewed): scope {scope!r} holds alerts stored by "
            "`foreshock backtest`, which are read as stored and cannot leave reviewed "
            f"events out; use it with the whole-database scope {DEFAULT_SCOPE!r}")
    with excluding_wrong(con, exclude_reviewed) as left_out:
        return _alert_rows(con, config, scope=scope, dyad=dyad, since=since, until=until,
                           refresh=refresh or left_out > 0)


def _alert_rows(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *, scope: str,
                dyad: Dyad | None, since: dt.date | None, until: dt.date | None,
                refresh: bool) -> tuple[list[dict[str, Any]], bool]:
    key = dyad.key if dyad is not None else None
    if scope != DEFAULT_SCOPE:
        if not has_analysis_schema(con):
            return [], True
        return load_alerts(con, scope=scope, since=since, until=until, dyad=key), True
    if not refresh and stored_alerts_current(con, config):
        return load_alerts(con, since=since, until=until, dyad=key), True
    with analysis_scope(con, config) as analysis:
        alerts = compute_alerts(con, config, analysis.scope)
    rows = []
    for a in alerts:
        if ((since is not None and a.date < since) or (until is not None and a.date > until)
                or (key is not None and a.dyad != key)):
            continue
        row: dict[str, Any] = {name: getattr(a, name) for name in ALERT_FIELDS
                               if name not in ("alert_id", "evidence")}
        # the id ``write_alerts`` stores for this alert in this scope
        row["alert_id"] = hashlib.sha1(f"{scope}|{a.alert_id}".encode()).hexdigest()[:20]
        row["evidence"] = [e.as_dict() for e in a.evidence]
        rows.append(row)
    return rows, False


ALERT_FIELDS = ("alert_id", "date", "dyad", "directed", "kind", "detector", "signal", "score",
                "threshold", "value", "baseline", "window_events", "window_articles",
                "dyad_events", "stories", "window_days", "episode_start", "context",
                "explanation", "evidence")

EVIDENCE_TYPE = pa.list_(pa.struct([
    ("event_id", pa.string()), ("date", pa.string()), ("source", pa.string()),
    ("target", pa.string()), ("code", pa.string()), ("goldstein", pa.float64()),
    ("weight", pa.float64()), ("sentence", pa.string()), ("article_id", pa.string()),
    ("title", pa.string()), ("outlet", pa.string()), ("num_articles", pa.int64()),
    ("num_sources", pa.int64()), ("event_date", pa.string()),
]))

ALERT_SCHEMA = pa.schema([
    ("alert_id", pa.string()), ("date", pa.date32()), ("dyad", pa.string()),
    ("directed", pa.bool_()), ("kind", pa.string()),
    ("detector", pa.string()), ("signal", pa.string()), ("score", pa.float64()),
    ("threshold", pa.float64()), ("value", pa.float64()), ("baseline", pa.float64()),
    ("window_events", pa.int64()), ("window_articles", pa.int64()),
    ("dyad_events", pa.int64()), ("stories", pa.int64()), ("window_days", pa.int64()),
    ("episode_start", pa.date32()), ("context", pa.string()), ("explanation", pa.string()),
    ("evidence", EVIDENCE_TYPE),
])


def alerts_table(rows: list[dict[str, Any]]) -> pa.Table:
    return pa.Table.from_pylist([{k: r[k] for k in ALERT_FIELDS} for r in rows],
                                schema=ALERT_SCHEMA)


STORY_SCHEMA = pa.schema([
    ("story_id", pa.string()), ("first_date", pa.date32()), ("last_date", pa.date32()),
    ("num_articles", pa.int64()), ("num_sources", pa.int64()), ("title", pa.string()),
])


def story_rows(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *,
               since: dt.date | None = None, until: dt.date | None = None,
               min_articles: int = 1) -> tuple[pa.Table, bool]:
    """Stories (near-duplicate articles) overlapping ``since..until``, biggest first."""
    with analysis_scope(con, config) as analysis:
        members = analysis.scope.members  # an allow-listed relation name, never user text
        table = con.sql(
            "SELECT story_id, min(m.date) AS first_date, max(m.date) AS last_date, "
            "count(*) AS num_articles, count(DISTINCT m.outlet) AS num_sources, "
            "arg_min(a.title, (m.date, m.published, m.article_id)) AS title "
            f"FROM {members} m JOIN articles a USING (article_id) GROUP BY story_id "
            "HAVING count(*) >= ? AND (? IS NULL OR max(m.date) >= ?) "
            "AND (? IS NULL OR min(m.date) <= ?) "
            "ORDER BY num_articles DESC, first_date, story_id",
            params=[min_articles, since, since, until, until]).to_arrow_table()
    return table.cast(STORY_SCHEMA), analysis.stored


def refresh(con: duckdb.DuckDBPyConnection, config: AnalysisConfig, *,
            force: bool = False, progress: Callable[[int, int | None], None] | None = None,
            status: Callable[[str], None] | None = None) -> RefreshReport:
    """A writer's step: store current stories and whole-database alerts (``progress``
    counts articles clustered, ``status`` names each step)."""
    if status is None:
        return refresh_alerts(con, config, force=force, progress=progress)
    return refresh_alerts(con, config, force=force, progress=progress, status=status)
