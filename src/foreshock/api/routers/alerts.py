"""``GET /api/alerts``: early-warning alerts with the events behind them."""


from typing import Annotated

from fastapi import APIRouter, Query

from foreshock import analysis
from foreshock.api import models as m
from foreshock.api.params import (
    DyadQuery,
    SinceQuery,
    UntilQuery,
    check_range,
    finite,
    parse_dyad,
)
from foreshock.api.state import AppState, Con


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/alerts", response_model=m.AlertsResponse)
    def alerts(con: Con, since: SinceQuery = None, until: UntilQuery = None,
               dyad: DyadQuery = None,
               limit: Annotated[int, Query(ge=1, le=state.max_page, description=(
                   f"At most this many (the newest), at most {state.max_page}"))] = 100,
               ) -> m.AlertsResponse:
        """Early-warning alerts of the whole database, oldest first, each with the
        conflict events (and sentences) behind it: as stored by ``foreshock code``, or
        computed now when the stored ones are out of date."""
        check_range(since, until)
        pair = parse_dyad(con, "dyad", dyad, False, state.settings.actors_dir) if dyad \
            else None
        rows, stored = analysis.alert_rows(con, state.config, dyad=pair, since=since,
                                           until=until)
        return m.AlertsResponse(computed=True, stored=stored, alerts=[
            m.AlertItem(**finite({k: r[k] for k in analysis.ALERT_FIELDS}))
            for r in rows[-limit:]])

    return router
