"""``GET /api/dyads``: the most active and the most escalating dyads, with their latest
alerts; ``GET /api/dyads/search``: any dyad by actor code or name."""


import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query

from foreshock import analysis
from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import SinceQuery, UntilQuery, check_range
from foreshock.api.state import AppState, Con
from foreshock.ontology.actor_codes import ActorCodes, load_actor_codes


def latest_alerts(rows: list[dict[str, Any]], until: dt.date | None) -> dict[str, m.AlertBrief]:
    """The newest alert of each undirected dyad up to ``until``."""
    found: dict[str, m.AlertBrief] = {}
    for r in rows:  # oldest first: later ones replace earlier ones
        if r["directed"] or (until is not None and r["date"] > until):
            continue
        found[r["dyad"]] = m.AlertBrief(alert_id=r["alert_id"], date=r["date"],
                                        detector=r["detector"], score=r["score"],
                                        threshold=r["threshold"])
    return found


def matching_codes(codes: ActorCodes, stored: set[str], text: str) -> list[str]:
    """Codes a search term means: codes starting with it, and codes whose names or aliases
    contain it (``russia`` and ``kremlin`` find RUS)."""
    term = text.strip()
    upper = term.upper()
    found = {c for c in stored | set(codes.names) if c.startswith(upper)}
    if len(term) >= 3:
        found |= {match.code for match in codes.search(term, limit=200)}
    return sorted(found)


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/dyads", response_model=m.DyadsResponse)
    def dyads(con: Con,
              limit: Annotated[int, Query(ge=1, le=100, description="Dyads per list")] = 10,
              window_days: Annotated[int, Query(ge=1, le=366, description=(
                  "Length of the recent and the previous window"))] = 28,
              min_events: Annotated[int, Query(ge=1, le=10_000, description=(
                  "Asserted events a dyad needs in the recent window to rank"))] = 3,
              since: SinceQuery = None, until: UntilQuery = None,
              ) -> m.DyadsResponse:
        """The most active and the most escalating undirected dyads, with the newest alert
        of each.

        *Most active*: the most asserted events between two different actors in the
        period (`since`..`until`; all time without them).

        *Most escalating*: the windows end at the newest asserted event on or before
        `until` (the newest in the database without it). A dyad's conflict share is the
        part of its asserted events that are QuadClass 3 or 4 (verbal or material
        conflict). Dyads with at least `min_events` asserted events, one of them
        conflictual, in the recent `window_days` and a share higher than in the
        `window_days` before (0 when they had no events then) rank by the rise, then by
        recent conflict events.

        Each row also carries the dyad's number of stored alert episodes and its newest
        alert up to the end of the windows (none before `foreshock code` has run).
        """
        check_range(since, until)
        episodes = q.alert_episodes(con)
        alert_rows, _ = analysis.alert_rows(con, state.config) if q.has_stories(con) \
            else ([], True)
        as_of, rising = q.most_escalating(con, limit, window_days, min_events, until)
        newest = latest_alerts(alert_rows, as_of)
        active = [m.ActiveDyad(**r, alert_episodes=episodes.get(r["dyad"], 0),
                               latest_alert=newest.get(r["dyad"]))
                  for r in q.most_active(con, limit, since, until)]
        return m.DyadsResponse(as_of=as_of, window_days=window_days, most_active=active,
                               most_escalating=[
                                   m.EscalatingDyad(**r, alert_episodes=episodes.get(
                                       r["dyad"], 0), latest_alert=newest.get(r["dyad"]))
                                   for r in rising])

    @router.get("/api/dyads/search", response_model=m.DyadSearchResponse)
    def search(con: Con,
               q_: Annotated[str, Query(alias="q", max_length=80, description=(
                   "An actor code or name (RUS, russia, kremlin), or two joined by - "
                   "(RUS-UKR, russia-ukraine); empty: every dyad"),
                   examples=["russia"])] = "",
               limit: Annotated[int, Query(ge=1, le=500, description="Dyads listed")] = 20,
               ) -> m.DyadSearchResponse:
        """Every dyad with asserted events, searched by actor code or name, busiest first.

        The codes of a term are those starting with it and, from three letters on, those
        whose name or alias contains it, so `rus` finds RUS and `kremlin` finds RUS too.
        """
        codes = load_actor_codes(state.settings.actors_dir)
        stored = {str(r[0]) for r in con.execute(
            "SELECT DISTINCT source FROM events WHERE source IS NOT NULL UNION "
            "SELECT DISTINCT target FROM events WHERE target IS NOT NULL").fetchall()}
        parts = [p for p in re.split(r"\s*[->,]\s*", q_.strip()) if p][:2]
        lists = [matching_codes(codes, stored, p) for p in parts]
        first = lists[0] if lists else None
        second = lists[1] if len(lists) > 1 else None
        total, rows = q.dyad_search(con, first, second, limit)

        def name(code: str) -> str:
            return codes.names.get(code, code)

        return m.DyadSearchResponse(query=q_, total=total, dyads=[
            m.DyadMatch(dyad=f"{r['a']}-{r['b']}", names=f"{name(r['a'])} – {name(r['b'])}",
                        events=r["events"], conflict_events=r["conflict_events"],
                        last_date=r["last_date"]) for r in rows])

    return router
