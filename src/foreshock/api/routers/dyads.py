"""``GET /api/dyads``: the most active and the most escalating dyads."""


from typing import Annotated

from fastapi import APIRouter, Query

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.state import AppState, Con


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/dyads", response_model=m.DyadsResponse)
    def dyads(con: Con,
              limit: Annotated[int, Query(ge=1, le=100, description="Dyads per list")] = 10,
              window_days: Annotated[int, Query(ge=1, le=366, description=(
                  "Length of the recent and the previous window"))] = 28,
              min_events: Annotated[int, Query(ge=1, le=10_000, description=(
                  "Asserted events a dyad needs in the recent window to rank"))] = 3,
              ) -> m.DyadsResponse:
        """The most active and the most escalating undirected dyads.

        *Most active*: the most asserted events between two different actors, all time.

        *Most escalating*: the windows end at the newest asserted event in the database.
        A dyad's conflict share is the part of its asserted events that are QuadClass 3
        or 4 (verbal or material conflict).  Dyads with at least ``min_events`` asserted
        events, one of them conflictual, in the recent ``window_days`` and a share higher
        than in the ``window_days`` before (0 when they had no events then) rank by the
        rise, then by recent conflict events.  Each row also carries the
        dyad's number of stored alert episodes (0 before ``foreshock code`` has run).
        """
        episodes = q.alert_episodes(con)
        active = [m.ActiveDyad(**r, alert_episodes=episodes.get(r["dyad"], 0))
                  for r in q.most_active(con, limit)]
        as_of, rising = q.most_escalating(con, limit, window_days, min_events)
        return m.DyadsResponse(as_of=as_of, window_days=window_days, most_active=active,
                               most_escalating=[
                                   m.EscalatingDyad(**r, alert_episodes=episodes.get(
                                       r["dyad"], 0)) for r in rising])

    return router
