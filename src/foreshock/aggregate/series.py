"""Dyad series in DuckDB SQL: per directed or undirected dyad, per day or week.

Counts are of *story-events* (one per story, source, target and CAMEO root, see
``store/stories_schema.py``), so a wire story reprinted fifty times counts once; the raw
article-level count is kept beside.  Only asserted events count.

Volume is not signal: every row carries the corpus volume of its period (articles, stories,
coded story-events of all dyads) and the dyad's conflict intensity as a *share* of all
coded story-events in that period, with periods below a minimum support flagged as thin.

No SQL is built from user input: dyad keys, dates and weights are bound parameters or
registered Arrow tables; only fixed fragments chosen from allow-lists are formatted in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from foreshock.records import Dyad
from foreshock.store.stories_schema import SOURCE_KEY, TARGET_KEY, story_events_sql

FloatArray = npt.NDArray[np.float64]

FREQS = {
    "day": "{col}",
    "week": "CAST(date_trunc('week', {col}) AS DATE)",  # ISO weeks, Monday start
}
#: the day an article-level event happened: its day-precise event date, else publication
RAW_EVENT_DAY = ("CASE WHEN e.event_date_precision = 'day' AND e.event_date <= m.date "
                 "THEN e.event_date ELSE m.date END")
DYAD_KEYS = {
    True: "source || '>' || target",
    False: "least(source, target) || '-' || greatest(source, target)",
}


@dataclass(frozen=True, slots=True)
class Weights:
    """Conflict-intensity weight = quad weight x (code weight, else root weight, else 1)."""

    quad: tuple[tuple[int, float], ...]
    root: tuple[tuple[str, float], ...] = ()
    code: tuple[tuple[str, float], ...] = ()

    def of(self, quad: int, root: str, code: str) -> float:
        """The same rule in Python (for tests and evidence ranking)."""
        q = dict(self.quad).get(quad, 0.0)
        multiplier = dict(self.code).get(code, dict(self.root).get(root, 1.0))
        return q * multiplier


@dataclass(frozen=True, slots=True)
class Scope:
    """What an analysis may see: the story-membership relation and the last day.

    ``members`` is ``story_members`` (the whole database) or ``_fs_members`` (a registered
    subset, e.g. one corpus in a backtest).  ``until`` cuts everything published later.
    """

    members: str = "story_members"
    until: dt.date | None = None
    exclude_actors: tuple[str, ...] = ()


def dyad_key(a: str, b: str, directed: bool) -> str:
    """``RUS>UKR`` for a directed dyad, ``RUS-UKR`` (sorted) for an undirected one: the key
    of ``records.Dyad``, the one dyad type."""
    return Dyad(a, b, directed).key


@contextmanager
def registered_weights(con: duckdb.DuckDBPyConnection, weights: Weights) -> Iterator[None]:
    tables = {
        "_fs_qw": pa.table({"quad": pa.array([q for q, _ in weights.quad], pa.int8()),
                            "weight": pa.array([w for _, w in weights.quad], pa.float64())}),
        "_fs_rw": pa.table({"root": pa.array([r for r, _ in weights.root], pa.string()),
                            "weight": pa.array([w for _, w in weights.root], pa.float64())}),
        "_fs_cw": pa.table({"code": pa.array([c for c, _ in weights.code], pa.string()),
                            "weight": pa.array([w for _, w in weights.code], pa.float64())}),
    }
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            con.unregister(name)


def _weighted_story_events(scope: Scope) -> tuple[str, list[Any]]:
    """Story-events with their conflict weight; parameters in order of appearance."""
    sql = f"""
        SELECT se.*,
               coalesce(qw.weight, 0) * coalesce(cw.weight, rw.weight, 1.0) AS weight
        FROM ({story_events_sql(scope.members, until=scope.until is not None)}) se
        LEFT JOIN _fs_qw qw ON qw.quad = se.quad_class
        LEFT JOIN _fs_cw cw ON cw.code = se.code
        LEFT JOIN _fs_rw rw ON rw.root = se.root
    """
    return sql, ([scope.until] if scope.until is not None else [])


def _until_clause(scope: Scope, column: str = "date") -> tuple[str, list[Any]]:
    if scope.until is None:
        return "", []
    return f" WHERE {column} <= ?", [scope.until]


@dataclass(frozen=True, slots=True)
class SeriesRow:
    period: dt.date
    dyad: str
    events: int  # asserted article-level events (every reprint counts)
    story_events: int  # asserted story-events (a reprinted story counts once)
    q1: int
    q2: int
    q3: int
    q4: int
    goldstein_sum: float
    goldstein_mean: float | None
    conflict_share: float | None  # (q3 + q4) / story_events
    intensity: float  # weighted conflict story-events
    intensity_rate: float | None  # intensity / all coded story-events of the period
    num_articles: int  # articles carrying the dyad's story-events (reprints kept beside)
    num_sources: int  # most outlets behind one of the dyad's story-events
    articles: int  # corpus volume of the period
    stories: int
    all_story_events: int
    thin: bool  # all_story_events below the minimum support

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


SERIES_FIELDS = tuple(SeriesRow.__slots__)


def dyad_series(con: duckdb.DuckDBPyConnection, scope: Scope, weights: Weights, *,
                freq: str = "week", directed: bool = False, dyad: str | None = None,
                min_support: int = 0) -> list[SeriesRow]:
    """One row per (period, dyad) with story-weighted counts and the period's volume.

    Events count in the period of their event date (the day the text gives the act, else
    the publication date): "early in the morning of February 24, Russia launched ...",
    published on the 25th, is a February 24 event.  Corpus volume (articles, stories) is by
    publication.  The alert detectors (``daily_data``) place an event on the day it was
    published instead: that is when it could be known, and a replay must not look ahead.

    Periods between the first and last article of the scope appear even when the dyad has
    no events in them (zero rows), so gaps in coverage show as thin periods, not as calm.
    """
    if freq not in FREQS:
        raise ValueError(f"{freq!r}: expected one of {', '.join(FREQS)}")
    period = FREQS[freq]
    key = DYAD_KEYS[directed]
    se_sql, se_params = _weighted_story_events(scope)
    art_where, art_params = _until_clause(scope)
    dyad_filter = " AND dyad = ?" if dyad is not None else ""
    sql = f"""
        WITH se AS ({se_sql}),
        arts AS (SELECT article_id, story_id, date FROM {scope.members}{art_where}),
        raw AS (
            SELECT {key} AS dyad, period, count(*) AS n
            FROM (SELECT {SOURCE_KEY} AS source, {TARGET_KEY} AS target,
                         {period.format(col=RAW_EVENT_DAY)} AS period
                  FROM events e JOIN arts m ON m.article_id = e.article_id
                  WHERE e.modality = 'asserted' AND e.source IS NOT NULL
                    AND e.target IS NOT NULL
                    AND NOT list_contains(?, e.source) AND NOT list_contains(?, e.target))
            WHERE source <> target
            GROUP BY ALL
        ),
        dy AS (
            SELECT {key} AS dyad, {period.format(col='event_date')} AS period,
                   count(*) AS story_events,
                   count(*) FILTER (quad_class = 1) AS q1, count(*) FILTER (quad_class = 2) AS q2,
                   count(*) FILTER (quad_class = 3) AS q3, count(*) FILTER (quad_class = 4) AS q4,
                   sum(goldstein) AS goldstein_sum, avg(goldstein) AS goldstein_mean,
                   sum(weight) AS intensity, sum(num_articles) AS num_articles,
                   max(num_sources) AS num_sources
            FROM se
            WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
              AND NOT list_contains(?, source) AND NOT list_contains(?, target)
            GROUP BY ALL
        ),
        periods AS (
            SELECT CAST(p AS DATE) AS period FROM range(
                (SELECT CAST({period.format(col='min(date)')} AS TIMESTAMP) FROM arts),
                (SELECT CAST(max(date) AS TIMESTAMP) FROM arts) + INTERVAL 1 DAY,
                INTERVAL {'7' if freq == 'week' else '1'} DAY) t(p)
        ),
        vol AS (
            SELECT {period.format(col='date')} AS period, count(*) AS articles
            FROM arts GROUP BY ALL
        ),
        st AS (
            SELECT {period.format(col='first')} AS period, count(*) AS stories
            FROM (SELECT story_id, min(date) AS first FROM arts GROUP BY story_id)
            GROUP BY ALL
        ),
        tot AS (
            SELECT {period.format(col='event_date')} AS period, count(*) AS all_story_events
            FROM se GROUP BY ALL
        ),
        dyads AS (SELECT DISTINCT dyad FROM dy WHERE true{dyad_filter})
        SELECT p.period, d.dyad, coalesce(raw.n, 0), coalesce(dy.story_events, 0),
               coalesce(dy.q1, 0), coalesce(dy.q2, 0), coalesce(dy.q3, 0), coalesce(dy.q4, 0),
               coalesce(dy.goldstein_sum, 0), dy.goldstein_mean,
               CASE WHEN dy.story_events > 0 THEN (dy.q3 + dy.q4) / dy.story_events END,
               coalesce(dy.intensity, 0),
               CASE WHEN tot.all_story_events > 0
                    THEN coalesce(dy.intensity, 0) / tot.all_story_events END,
               coalesce(dy.num_articles, 0), coalesce(dy.num_sources, 0),
               coalesce(vol.articles, 0), coalesce(st.stories, 0),
               coalesce(tot.all_story_events, 0)
        FROM periods p CROSS JOIN dyads d
        LEFT JOIN dy ON dy.period = p.period AND dy.dyad = d.dyad
        LEFT JOIN raw ON raw.period = p.period AND raw.dyad = d.dyad
        LEFT JOIN vol ON vol.period = p.period
        LEFT JOIN st ON st.period = p.period
        LEFT JOIN tot ON tot.period = p.period
        ORDER BY d.dyad, p.period
    """
    excl = list(scope.exclude_actors)
    params: list[Any] = [*se_params, *art_params, excl, excl, excl, excl]
    if dyad is not None:
        params.append(dyad)
    with registered_weights(con, weights):
        rows = con.execute(sql, params).fetchall()
    return [SeriesRow(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5]), int(r[6]),
                      int(r[7]), float(r[8]), None if r[9] is None else float(r[9]),
                      None if r[10] is None else float(r[10]), float(r[11]),
                      None if r[12] is None else float(r[12]), int(r[13]), int(r[14]),
                      int(r[15]), int(r[16]), int(r[17]), int(r[17]) < min_support)
            for r in rows]


# --- dense daily arrays for the detectors ----------------------------------------------


@dataclass(frozen=True, slots=True)
class DailyData:
    """Dense per-day arrays over ``days`` (first to last article of the scope).

    ``totals`` counts all coded story-events of a day (every dyad and none), the
    denominator of every share; ``articles`` and ``stories`` are corpus volume.  Each dyad
    row of ``conflict``/``verbal``/``material`` holds weighted story-event sums, ``counts``
    the dyad's story-events of any kind.  ``force`` counts the dyad's story-events whose
    CAMEO root is one of the force roots (force posture, coercion, assault, fight, mass
    violence), and ``conflict_stories``/``force_stories`` the distinct stories behind its
    conflict and force story-events (a story has one date, so these add up over days).
    ``severe``/``severe_stories`` count the dyad's *severe* story-events (the roots and
    Goldstein ceiling of ``detectors.severe``: fighting, air and missile strikes, invasion,
    mass violence) and their stories; zero when no severe roots were asked for.
    """

    days: tuple[dt.date, ...]
    dyads: tuple[str, ...]
    directed: tuple[bool, ...]
    articles: FloatArray
    stories: FloatArray
    totals: FloatArray
    counts: FloatArray
    conflict_counts: FloatArray
    conflict: FloatArray
    verbal: FloatArray
    material: FloatArray
    conflict_stories: FloatArray
    force: FloatArray
    force_stories: FloatArray
    # force story-events by direction ("UKR>RUS"), each row pointing at its undirected dyad
    # in ``dyads`` (-1 when that dyad is not there): who attacks whom within a dyad
    front_dyads: tuple[str, ...] = ()
    front_parent: tuple[int, ...] = ()
    front_force: FloatArray | None = None
    front_stories: FloatArray | None = None
    severe: FloatArray | None = None
    severe_stories: FloatArray | None = None

    @property
    def covered(self) -> npt.NDArray[np.bool_]:
        """Days with at least one article: a day without any is a gap, not a calm day."""
        return np.asarray(self.articles > 0)

    def signal(self, name: str) -> FloatArray:
        if name not in ("conflict", "verbal", "material"):
            raise ValueError(f"{name!r}: expected conflict, verbal or material")
        value: FloatArray = getattr(self, name)
        return value


FORCE_ROOTS = ("15", "17", "18", "19", "20")  # the default of data/alerts/detectors.toml


@dataclass(frozen=True, slots=True)
class SevereActs:
    """Which story-events are *severe acts* (``detectors.severe``; see ``alerts/severe.py``):
    a root in ``roots``, the code's own Goldstein value at most ``max_goldstein``, a code
    not in ``exclude_codes``, the lede of some article of its first day (sentence index
    below ``lead_sentences``), and two armed parties: a state side (no sector or one of
    ``state_sectors``) against a state or an armed side (``armed_sectors``), or an armed
    side against a state side."""

    roots: tuple[str, ...]
    max_goldstein: float
    exclude_codes: tuple[str, ...]
    lead_sentences: int
    state_sectors: tuple[str, ...]
    armed_sectors: tuple[str, ...]

    def sql(self) -> tuple[str, list[Any]]:
        """A boolean SQL expression over a story-event row, with its parameters."""
        state = ["", *self.state_sectors]
        armed = list(self.armed_sectors)
        ss, ts = "coalesce(source_sector, '')", "coalesce(target_sector, '')"
        expr = (f"(list_contains(?, root) AND goldstein <= ? AND NOT list_contains(?, code) "
                f"AND lead_index < ? AND ((list_contains(?, {ss}) AND (list_contains(?, {ts}) "
                f"OR list_contains(?, {ts}))) OR (list_contains(?, {ss}) "
                f"AND list_contains(?, {ts}))))")
        return expr, [list(self.roots), self.max_goldstein, list(self.exclude_codes),
                      self.lead_sentences, state, state, armed, armed, state]


def daily_data(con: duckdb.DuckDBPyConnection, scope: Scope, weights: Weights, *,
               directions: Sequence[bool] = (False,), start: dt.date | None = None,
               force_roots: Sequence[str] = FORCE_ROOTS,
               severe: SevereActs | None = None) -> DailyData:
    """Per-day volume and per-dyad weighted conflict sums, densified with numpy.

    With ``severe``, the dyads' severe acts are counted too (else they are all zero).

    Story-events sit on their first publication day (what was known that day); an act the
    text dates more than a few days back never gets here (it is background, not coded)."""
    se_sql, se_params = _weighted_story_events(scope)
    art_where, art_params = _until_clause(scope)
    excl = list(scope.exclude_actors)
    roots = list(force_roots)
    severe_expr, severe_params = severe.sql() if severe is not None else ("false", [])
    with registered_weights(con, weights):
        volume = con.execute(
            f"SELECT date, count(*), count(DISTINCT story_id) FILTER (first_of_story) "
            f"FROM (SELECT date, story_id, "
            f"  date = min(date) OVER (PARTITION BY story_id) AS first_of_story "
            f"  FROM {scope.members}{art_where}) GROUP BY date ORDER BY date",
            art_params).fetchall()
        totals = con.execute(f"SELECT date, count(*) FROM ({se_sql}) GROUP BY date",
                             se_params).fetchall()
        per_dyad: list[tuple[Any, ...]] = []
        for directed in directions:
            per_dyad += [(*row, directed) for row in con.execute(
                f"""SELECT {DYAD_KEYS[directed]} AS dyad, date, count(*),
                           count(*) FILTER (quad_class IN (3, 4)),
                           coalesce(sum(weight) FILTER (quad_class IN (3, 4)), 0),
                           coalesce(sum(weight) FILTER (quad_class = 3), 0),
                           coalesce(sum(weight) FILTER (quad_class = 4), 0),
                           count(DISTINCT story_id) FILTER (quad_class IN (3, 4)),
                           count(*) FILTER (list_contains(?, root)),
                           count(DISTINCT story_id) FILTER (list_contains(?, root)),
                           count(*) FILTER (is_severe),
                           count(DISTINCT story_id) FILTER (is_severe)
                    FROM (SELECT *, {severe_expr} AS is_severe FROM ({se_sql}))
                    WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
                      AND NOT list_contains(?, source) AND NOT list_contains(?, target)
                    GROUP BY ALL""", [roots, roots, *severe_params, *se_params, excl, excl]
            ).fetchall()]
        fronts = con.execute(
            f"""SELECT {DYAD_KEYS[True]} AS dyad, date, count(*), count(DISTINCT story_id)
                FROM ({se_sql})
                WHERE source IS NOT NULL AND target IS NOT NULL AND source <> target
                  AND list_contains(?, root)
                  AND NOT list_contains(?, source) AND NOT list_contains(?, target)
                GROUP BY ALL""", [*se_params, roots, excl, excl]).fetchall()
    if not volume:
        empty = np.zeros((0,), dtype=np.float64)
        none = np.zeros((0, 0), dtype=np.float64)
        return DailyData((), (), (), empty, empty, empty, none, none, none, none, none,
                         none, none, none)
    first = start if start is not None else volume[0][0]
    # with a cut-off the axis runs to it (quiet days at the end are data too)
    last = scope.until if scope.until is not None else volume[-1][0]
    n = (last - first).days + 1
    days = tuple(first + dt.timedelta(days=i) for i in range(n))

    def dense(rows: Sequence[tuple[Any, ...]], column: int) -> FloatArray:
        out = np.zeros(n, dtype=np.float64)
        for row in rows:
            i = (row[0] - first).days
            if 0 <= i < n:
                out[i] = float(row[column])
        return out

    keys = sorted({(r[-1], r[0]) for r in per_dyad})
    index = {k: i for i, k in enumerate(keys)}
    mats = np.zeros((10, len(keys), n), dtype=np.float64)
    for dyad, date, *values, directed in per_dyad:
        j = (date - first).days
        if 0 <= j < n:
            mats[:, index[(directed, dyad)], j] = values
    front_keys = sorted({r[0] for r in fronts})
    front_index = {k: i for i, k in enumerate(front_keys)}
    front = np.zeros((2, len(front_keys), n), dtype=np.float64)
    for dyad, date, *values in fronts:
        j = (date - first).days
        if 0 <= j < n:
            front[:, front_index[dyad], j] = values
    pairs = [k.split(">", 1) for k in front_keys]
    parents = tuple(index.get((False, dyad_key(a, b, False)), -1) for a, b in pairs)
    return DailyData(
        days=days, dyads=tuple(k[1] for k in keys), directed=tuple(k[0] for k in keys),
        articles=dense(volume, 1), stories=dense(volume, 2), totals=dense(totals, 1),
        counts=mats[0], conflict_counts=mats[1], conflict=mats[2], verbal=mats[3],
        material=mats[4], conflict_stories=mats[5], force=mats[6], force_stories=mats[7],
        front_dyads=tuple(front_keys), front_parent=parents, front_force=front[0],
        front_stories=front[1], severe=mats[8], severe_stories=mats[9],
    )
