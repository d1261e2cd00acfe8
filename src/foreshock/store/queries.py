"""Named, parameterised queries.  No SQL is built from user strings: filters only choose
among fixed clauses, and every value is a bound parameter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb

from foreshock.records import MODALITY_FILTERS, Dyad
from foreshock.store import fetch_one

EVENT_FIELDS = ("event_id", "date", "event_date", "event_date_precision", "source",
                "source_sector", "code", "target", "target_sector", "goldstein", "quad_class",
                "modality", "reported_by", "pattern", "article_id", "sentence_index",
                "start_char", "end_char", "trigger", "place", "place_type", "place_adm1",
                "place_country", "place_lat", "place_lon", "place_id", "sentence")


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events: every field narrows the selection; None means any."""

    actor: str | None = None
    dyad: Dyad | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    root: str | None = None
    quad: int | None = None
    modality: str | None = "asserted"
    limit: int | None = None
    offset: int = 0
    #: where the event happened (ISO 3166-1 alpha-3 of its location)
    country_of_action: str | None = None
    #: one row per pair for symmetric acts (a meeting is stored in both directions)
    undirected: bool = False

    def __post_init__(self) -> None:
        if self.modality is not None and self.modality not in MODALITY_FILTERS:
            raise ValueError(f"modality {self.modality!r}: expected one of "
                             f"{', '.join(MODALITY_FILTERS)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")


def where_clause(f: EventFilter, alias: str = "") -> tuple[str, list[Any]]:
    """The WHERE clause and parameters for a filter; ``alias`` prefixes the event columns
    (``"e."`` when the events table is joined).  Shared by the CLI, the API and exports, so a
    filter means the same everywhere."""
    c = alias
    clauses: list[str] = []
    params: list[Any] = []
    if f.actor:
        clauses.append(f"({c}source = ? OR {c}target = ?)")
        params += [f.actor, f.actor]
    if f.dyad:
        one, other = f.dyad.codes
        if f.dyad.directed:
            clauses.append(f"({c}source = ? AND {c}target = ?)")
            params += [one, other]
        else:
            clauses.append(f"(({c}source = ? AND {c}target = ?) OR "
                           f"({c}source = ? AND {c}target = ?))")
            params += [one, other, other, one]
    if f.since:
        clauses.append(f"{c}date >= ?")
        params.append(f.since)
    if f.until:
        clauses.append(f"{c}date <= ?")
        params.append(f.until)
    if f.root:
        clauses.append(f"{c}root = ?")
        params.append(f.root.zfill(2))
    if f.quad:
        clauses.append(f"{c}quad_class = ?")
        params.append(f.quad)
    if f.modality and f.modality != "all":
        clauses.append(f"{c}modality = ?")
        params.append(f.modality)
    if f.country_of_action:
        clauses.append(f"{c}place_country = ?")
        params.append(f.country_of_action)
    if f.undirected:
        clauses.append(_UNDIRECTED.format(e=c or "events."))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


# a mirrored event (the same act of the same sentence with source and target swapped, as
# meetings are stored) is shown once: the row whose source sorts first
_UNDIRECTED = (
    "NOT coalesce({e}source > {e}target AND EXISTS (SELECT 1 FROM events mirror "
    "WHERE mirror.article_id = {e}article_id AND mirror.sentence_index = {e}sentence_index "
    "AND mirror.start_char = {e}start_char AND mirror.code = {e}code "
    "AND mirror.modality = {e}modality AND mirror.source = {e}target "
    "AND mirror.target = {e}source), false)")


def select_events(con: duckdb.DuckDBPyConnection, f: EventFilter) -> list[dict[str, Any]]:
    where, params = where_clause(f)
    sql = (f"SELECT {', '.join(EVENT_FIELDS)} FROM events{where} "
           "ORDER BY date, article_id, sentence_index, start_char, event_id")
    if f.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [f.limit, f.offset]
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True, slots=True)
class Summary:
    articles: int
    quarantined: int
    events: int
    by_quad: dict[int, int]
    by_modality: dict[str, int]
    top_dyads: list[tuple[str, str, int, float]]  # undirected: a, b, events, goldstein sum
    conflict_dyad: tuple[str, str, int, float] | None
    evidence: list[dict[str, Any]]


def summary(con: duckdb.DuckDBPyConnection, top: int = 8) -> Summary:
    def scalar(sql: str) -> int:
        row = fetch_one(con, sql)
        return int(row[0]) if row else 0

    by_quad = dict(con.execute(
        "SELECT quad_class, count(*) FROM events WHERE modality = 'asserted' "
        "GROUP BY 1 ORDER BY 1").fetchall())
    by_modality = dict(con.execute(
        "SELECT modality, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC").fetchall())
    dyads = con.execute(
        "SELECT least(source, target) a, greatest(source, target) b, count(*) n, "
        "sum(goldstein) g FROM events WHERE modality = 'asserted' AND target IS NOT NULL "
        "AND source <> target GROUP BY 1, 2 ORDER BY n DESC, a, b LIMIT ?", [top]).fetchall()
    worst = fetch_one(con,
        "SELECT least(source, target) a, greatest(source, target) b, count(*) n, "
        "sum(goldstein) g FROM events WHERE modality = 'asserted' AND target IS NOT NULL "
        "AND source <> target GROUP BY 1, 2 HAVING n >= 3 ORDER BY g ASC, n DESC LIMIT 1"
    )
    evidence: list[dict[str, Any]] = []
    if worst:
        evidence = select_events(con, EventFilter(dyad=Dyad(worst[0], worst[1]), limit=None))
        evidence = sorted(evidence, key=lambda e: (e["goldstein"], e["date"]))[:2]
    return Summary(
        articles=scalar("SELECT count(*) FROM articles"),
        quarantined=scalar("SELECT count(*) FROM quarantine"),
        events=scalar("SELECT count(*) FROM events"),
        by_quad={int(k): int(v) for k, v in by_quad.items()},
        by_modality={str(k): int(v) for k, v in by_modality.items()},
        top_dyads=[(str(a), str(b), int(n), float(g)) for a, b, n, g in dyads],
        conflict_dyad=(str(worst[0]), str(worst[1]), int(worst[2]), float(worst[3]))
        if worst else None,
        evidence=evidence,
    )
