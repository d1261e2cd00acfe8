"""The web API's own read queries: events with article context, dyad rankings, the actor
network of a period, stories.

Every value is a bound parameter.  The only formatted SQL pieces are fixed fragments chosen
from allow-lists in this module (sort order, the WHERE clause that
``store.queries`` builds from fixed clauses, the story-event relation of
``store.stories_schema``), never text from a request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.records import Dyad
from foreshock.store import fetch_one
from foreshock.store.queries import EventFilter, where_clause
from foreshock.store.reviews import current_verdicts
from foreshock.store.stories_schema import has_analysis_schema, story_events_sql

#: sort orders a request may choose (the key picks the fragment; nothing else is formatted)
ORDERS = {
    "asc": "e.date, e.article_id, e.sentence_index, e.start_char, e.event_id",
    "desc": "e.date DESC, e.article_id, e.sentence_index, e.start_char, e.event_id",
}

# Rows of one page of events with their article's title and link.  ``window`` is the slice
# of the article that must contain the evidence sentence (see ``trigger_in_sentence``), so
# the span can be made sentence-relative without shipping whole articles out of DuckDB.
_EVENTS_PAGE = """
    SELECT e.event_id, e.date, e.source, e.source_sector, e.target, e.target_sector,
           e.code, e.root, e.quad_class, e.goldstein, e.modality, e.reported_by, e.pattern,
           e.trigger, e.sentence, e.sentence_index, e.start_char, e.end_char, e.article_id,
           e.event_date, e.place, e.place_country, e.place_lat, e.place_lon,
           a.title, a.url, a.outlet, {story} AS story_id,
           greatest(e.end_char - length(e.sentence), 0) AS window_start,
           substr(a.text, greatest(e.end_char - length(e.sentence), 0) + 1,
                  2 * length(e.sentence) + 2) AS window
    FROM (SELECT * FROM events{where}) e{only}
    LEFT JOIN articles a ON a.article_id = e.article_id{story_join}
    ORDER BY {order}
    LIMIT ? OFFSET ?
"""

_STORY_JOIN = " LEFT JOIN story_members m ON m.article_id = e.article_id"

# asserted events between two different, known actors: what counts as a dyad's activity
_DYAD_EVENTS = """
    SELECT least(source, target) AS a, greatest(source, target) AS b, date, quad_class,
           goldstein
    FROM events
    WHERE modality = 'asserted' AND source IS NOT NULL AND target IS NOT NULL
      AND source <> target
"""


def has_stories(con: duckdb.DuckDBPyConnection) -> bool:
    """True when ``foreshock alerts`` (or ``series``) has computed stories and alerts."""
    return has_analysis_schema(con)


def trigger_in_sentence(sentence: str, trigger: str | None, start: int, end: int,
                        window: str | None, window_start: int) -> tuple[int, int] | None:
    """The trigger span ``start:end`` (article offsets) as offsets within ``sentence``.

    ``window`` is the article text from ``window_start`` on, long enough to hold the
    sentence wherever it may sit around the span.  The sentence can occur twice in an
    article (a repeated quote), so the occurrence that contains the span wins.  Without
    the article text the trigger's first occurrence in the sentence is the best guess.
    """
    if window:
        pos = window.find(sentence)
        while pos >= 0:
            offset = window_start + pos
            if offset <= start and end <= offset + len(sentence):
                return start - offset, end - offset
            pos = window.find(sentence, pos + 1)
    if trigger:
        found = sentence.find(trigger)
        if found >= 0:
            return found, found + len(trigger)
    return None


@dataclass(frozen=True, slots=True)
class EventsPage:
    total: int
    rows: list[dict[str, Any]]


#: registered relations of event ids a page may be narrowed to (never a user string)
ONLY_RELATIONS = ("_fs_event_ids",)


def events_page(con: duckdb.DuckDBPyConnection, f: EventFilter, *, limit: int, offset: int,
                order: str = "asc", only: str | None = None) -> EventsPage:
    """One page of events matching ``f`` and the number of all matches; ``only`` narrows
    them to the ids of a registered relation (``ONLY_RELATIONS``).  Each row carries the
    latest review verdict of its event (None if never reviewed)."""
    if order not in ORDERS:
        raise ValueError(f"{order!r}: expected one of {', '.join(ORDERS)}")
    if only is not None and only not in ONLY_RELATIONS:
        raise ValueError(f"{only!r}: expected one of {', '.join(ONLY_RELATIONS)}")
    where, params = where_clause(f)
    semi = f" SEMI JOIN {only} USING (event_id)" if only else ""
    total_row = fetch_one(con, f"SELECT count(*) FROM (SELECT * FROM events{where}) e{semi}",
                          list(params))
    total = int(total_row[0]) if total_row else 0
    stories = has_stories(con)
    sql = _EVENTS_PAGE.format(where=where, order=ORDERS[order], only=semi,
                              story="m.story_id" if stories else "NULL",
                              story_join=_STORY_JOIN if stories else "")
    cursor = con.execute(sql, [*params, limit, offset])
    names = [d[0] for d in cursor.description]
    rows: list[dict[str, Any]] = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        span = trigger_in_sentence(row["sentence"], row["trigger"], row["start_char"],
                                   row["end_char"], row.pop("window"), row.pop("window_start"))
        row["trigger_start"], row["trigger_end"] = span if span else (None, None)
        rows.append(row)
    verdicts = current_verdicts(con, [r["event_id"] for r in rows]) if rows else {}
    for row in rows:
        row["review"] = verdicts.get(row["event_id"])
    return EventsPage(total, rows)


def date_range(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    row = fetch_one(con, "SELECT min(date), max(date) FROM articles")
    return (row[0], row[1]) if row else (None, None)


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Sizes of the stored tables (stories and alerts only when computed)."""
    row = fetch_one(con, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events),"
                         " (SELECT count(*) FROM events WHERE modality = 'asserted')")
    found = {"articles": 0, "events": 0, "asserted_events": 0}
    if row:
        found = {"articles": int(row[0]), "events": int(row[1]), "asserted_events": int(row[2])}
    if has_stories(con):
        extra = fetch_one(con, "SELECT (SELECT count(*) FROM stories), "
                               "(SELECT count(*) FROM alerts WHERE scope = 'all')")
        if extra:
            found["stories"], found["alerts"] = int(extra[0]), int(extra[1])
    return found


def alert_episodes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Alert episodes per undirected dyad in the whole-database scope (empty if none)."""
    if not has_stories(con):
        return {}
    rows = con.execute("SELECT dyad, count(DISTINCT episode_start) FROM alerts "
                       "WHERE scope = 'all' AND NOT directed GROUP BY dyad").fetchall()
    return {str(d): int(n) for d, n in rows}


def most_active(con: duckdb.DuckDBPyConnection, limit: int, since: dt.date | None = None,
                until: dt.date | None = None) -> list[dict[str, Any]]:
    """Undirected dyads by their number of asserted events in ``since..until``, most
    first."""
    rows = con.execute(
        f"SELECT a, b, count(*) AS events, count(*) FILTER (quad_class IN (3, 4)), "
        f"sum(goldstein), min(date), max(date) FROM ({_DYAD_EVENTS}) "
        "WHERE (? IS NULL OR date >= ?) AND (? IS NULL OR date <= ?) "
        "GROUP BY a, b ORDER BY events DESC, a, b LIMIT ?",
        [since, since, until, until, limit]).fetchall()
    return [{"dyad": f"{a}-{b}", "events": int(n), "conflict_events": int(c),
             "goldstein_sum": round(float(g), 3), "first_date": first, "last_date": last}
            for a, b, n, c, g, first, last in rows]


def most_escalating(con: duckdb.DuckDBPyConnection, limit: int, window_days: int,
                    min_events: int, as_of: dt.date | None = None
                    ) -> tuple[dt.date | None, list[dict[str, Any]]]:
    """Undirected dyads whose conflict share rose, by how much: recent window vs the one
    before.

    The windows end at the newest asserted event (on or before ``as_of``); the previous
    window is the ``window_days`` before the recent one.  Returns that newest date and the
    rows.
    """
    newest = fetch_one(con, "SELECT max(date) FROM events WHERE modality = 'asserted' "
                            "AND (? IS NULL OR date <= ?)", [as_of, as_of])
    if not newest or newest[0] is None:
        return None, []
    last: dt.date = newest[0]
    recent_from = last - dt.timedelta(days=window_days - 1)
    previous_from = recent_from - dt.timedelta(days=window_days)
    rows = con.execute(
        f"""
        WITH w AS (
            SELECT a, b,
                   count(*) FILTER (date >= ?) AS recent,
                   count(*) FILTER (date >= ? AND quad_class IN (3, 4)) AS recent_conflict,
                   count(*) FILTER (date >= ? AND date < ?) AS previous,
                   count(*) FILTER (date >= ? AND date < ? AND quad_class IN (3, 4))
                       AS previous_conflict
            FROM ({_DYAD_EVENTS}) WHERE date <= ? GROUP BY a, b
        )
        SELECT a, b, recent, recent_conflict, previous, previous_conflict,
               recent_conflict / recent AS recent_share,
               CASE WHEN previous > 0 THEN previous_conflict / previous ELSE 0 END
                   AS previous_share
        FROM w WHERE recent >= ? AND recent_conflict > 0
          AND recent_conflict / recent > CASE WHEN previous > 0
                                              THEN previous_conflict / previous ELSE 0 END
        ORDER BY recent_share - previous_share DESC, recent_conflict DESC, a, b
        """,
        [recent_from, recent_from, previous_from, recent_from, previous_from, recent_from,
         last, min_events]).fetchall()
    found = [{"dyad": f"{a}-{b}", "recent_events": int(r), "recent_conflict": int(rc),
              "previous_events": int(p), "previous_conflict": int(pc),
              "recent_share": round(float(rs), 4), "previous_share": round(float(ps), 4),
              "change": round(float(rs) - float(ps), 4)}
             for a, b, r, rc, p, pc, rs, ps in rows]
    return last, found[:limit] if limit else found


def network(con: duckdb.DuckDBPyConnection, since: dt.date | None, until: dt.date | None,
            limit: int, modality: str = "asserted") -> list[dict[str, Any]]:
    """The heaviest undirected actor-actor edges (events of ``modality``) of a period."""
    where, params = where_clause(EventFilter(since=since, until=until, modality=modality))
    rows = con.execute(
        f"SELECT least(source, target) AS a, greatest(source, target) AS b, count(*) AS n, "
        f"count(*) FILTER (quad_class IN (3, 4)), avg(goldstein) "
        f"FROM events{where}{' AND' if where else ' WHERE'} source IS NOT NULL "
        "AND target IS NOT NULL AND source <> target "
        "GROUP BY a, b ORDER BY n DESC, a, b LIMIT ?", [*params, limit]).fetchall()
    return [{"source": a, "target": b, "events": int(n), "conflict_events": int(c),
             "goldstein_mean": round(float(g), 3)} for a, b, n, c, g in rows]


def story(con: duckdb.DuckDBPyConnection, story_id: str) -> dict[str, Any] | None:
    """A story with its articles and its deduplicated (story-level) events, or None."""
    if not has_stories(con):
        return None
    row = fetch_one(con, "SELECT story_id, first_date, last_date, num_articles, num_sources, "
                         "title FROM stories WHERE story_id = ?", [story_id])
    if row is None:
        return None
    found: dict[str, Any] = dict(zip(
        ("story_id", "first_date", "last_date", "num_articles", "num_sources", "title"),
        row, strict=True))
    found["articles"] = _dicts(con, """
        SELECT m.article_id, m.date, m.published, a.outlet, m.similarity, a.title, a.url
        FROM story_members m JOIN articles a ON a.article_id = m.article_id
        WHERE m.story_id = ? ORDER BY m.date, m.published, m.article_id""", [story_id])
    # the relation is built by the stories module from an allow-listed member table
    found["events"] = _dicts(con, f"""
        SELECT event_id, date, source, target, root, code, goldstein, quad_class, sentence,
               article_id, num_mentions, num_articles, num_sources
        FROM ({story_events_sql()}) WHERE story_id = ?
        ORDER BY date, article_id, source, target, root, event_id""", [story_id])
    return found


def _dicts(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any]
           ) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# --- dyad search, the map, an alert's window, articles ---------------------------------


def dyad_search(con: duckdb.DuckDBPyConnection, first: Sequence[str] | None,
                second: Sequence[str] | None, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """Undirected dyads with one actor among ``first`` (and, given ``second``, the other
    among it), busiest first; and how many match in all.  ``first`` None: every dyad."""
    if first is None:
        matching, params = "true", []
    elif second is None:
        matching, params = "list_contains(?, a) OR list_contains(?, b)", [first, first]
    else:
        matching = ("(list_contains(?, a) AND list_contains(?, b)) OR "
                    "(list_contains(?, b) AND list_contains(?, a))")
        params = [first, second, first, second]
    rows = con.execute(
        f"""SELECT a, b, count(*) AS n, count(*) FILTER (quad_class IN (3, 4)), max(date),
                   count(*) OVER () AS total
            FROM ({_DYAD_EVENTS}) WHERE {matching}
            GROUP BY a, b ORDER BY n DESC, a, b LIMIT ?""",
        [*[list(p) for p in params], limit]).fetchall()
    total = int(rows[0][5]) if rows else 0
    return total, [{"a": a, "b": b, "events": int(n), "conflict_events": int(c),
                    "last_date": last} for a, b, n, c, last, _ in rows]


#: columns a database with event locations may name the country of action by (issue 11
#: stores ``place_country``; the map reads the first present)
ACTION_COLUMNS = ("place_country", "country_of_action")


def action_column(con: duckdb.DuckDBPyConnection) -> str | None:
    present = {str(r[0]) for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'events' "
        "AND table_schema = 'main'").fetchall()}
    return next((c for c in ACTION_COLUMNS if c in present), None)


def country_counts(con: duckdb.DuckDBPyConnection, countries: Sequence[str], f: EventFilter,
                   action: str | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Events per country of ``countries``: each event once for each country among its
    source and target, or (``action``: an allow-listed column) where it happened.  Returns
    the events with at least one country, and the rows, most events first."""
    where, params = where_clause(f)
    if action is not None:
        if action not in ACTION_COLUMNS:
            raise ValueError(f"{action!r}: expected one of {', '.join(ACTION_COLUMNS)}")
        located = f"SELECT event_id, {action} AS country, quad_class, goldstein FROM events{where}"
    else:
        located = (f"SELECT event_id, source AS country, quad_class, goldstein FROM events{where}"
                   f" UNION SELECT event_id, target, quad_class, goldstein FROM events{where}")
        params = [*params, *params]
    rows = con.execute(
        f"""WITH c AS (SELECT * FROM ({located}) WHERE list_contains(?, country))
            SELECT country, count(*), count(*) FILTER (quad_class IN (3, 4)), avg(goldstein),
                   (SELECT count(DISTINCT event_id) FROM c)
            FROM c GROUP BY country ORDER BY 2 DESC, country""",
        [*params, list(countries)]).fetchall()
    total = int(rows[0][4]) if rows else 0
    return total, [{"code": str(c), "events": int(n), "conflict_events": int(k),
                    "goldstein_mean": round(float(g), 3)} for c, n, k, g, _ in rows]


def window_event_ids(con: duckdb.DuckDBPyConnection, pair: Dyad, first: dt.date,
                     last: dt.date) -> list[str]:
    """Asserted conflict events (QuadClass 3-4) of the dyad published in ``first..last``:
    what an alert on that window weighed."""
    f = EventFilter(dyad=pair, since=first, until=last, modality="asserted")
    where, params = where_clause(f)
    rows = con.execute(f"SELECT event_id FROM events{where} AND quad_class IN (3, 4) "
                       "ORDER BY date, article_id, sentence_index, start_char",
                       params).fetchall()
    return [str(r[0]) for r in rows]


def events_by_id(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]
                 ) -> list[dict[str, Any]]:
    """Rows of ``events_page`` for these events, in date order."""
    if not event_ids:
        return []
    con.register("_fs_event_ids", pa.table({"event_id": pa.array(list(event_ids),
                                                                  pa.string())}))
    try:
        return events_page(con, EventFilter(modality="all"), limit=len(event_ids), offset=0,
                           only="_fs_event_ids").rows
    finally:
        con.unregister("_fs_event_ids")


def story_briefs(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]
                 ) -> list[dict[str, Any]]:
    if not story_ids or not has_stories(con):
        return []
    return _dicts(con, "SELECT story_id, title, first_date, num_articles, num_sources "
                       "FROM stories WHERE list_contains(?, story_id) "
                       "ORDER BY first_date, story_id", [list(story_ids)])


def article(con: duckdb.DuckDBPyConnection, article_id: str) -> dict[str, Any] | None:
    """An article with every event coded from it (text order) and its story, or None."""
    row = fetch_one(con, "SELECT article_id, date, title, url, outlet, text FROM articles "
                         "WHERE article_id = ?", [article_id])
    if row is None:
        return None
    found = dict(zip(("article_id", "date", "title", "url", "outlet", "text"), row,
                     strict=True))
    found["events"] = _dicts(con, """
        SELECT event_id, start_char, end_char, trigger, source, target, code, quad_class,
               goldstein, modality, sentence
        FROM events WHERE article_id = ?
        ORDER BY start_char, end_char, event_id""", [article_id])
    found["story"], found["other_articles"] = None, []
    if has_stories(con):
        story_row = fetch_one(con, "SELECT story_id FROM story_members WHERE article_id = ?",
                              [article_id])
        if story_row is not None:
            briefs = story_briefs(con, [str(story_row[0])])
            found["story"] = briefs[0] if briefs else None
            found["other_articles"] = _dicts(con, """
                SELECT m.article_id, m.date, a.outlet, a.title, a.url
                FROM story_members m JOIN articles a ON a.article_id = m.article_id
                WHERE m.story_id = ? AND m.article_id <> ?
                ORDER BY m.date, m.published, m.article_id""", [story_row[0], article_id])
    return found
