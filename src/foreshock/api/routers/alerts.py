"""``GET /api/alerts``: early-warning alerts with the events behind them;
``GET /api/alerts/{alert_id}``: one alert explained, with its series, events and stories."""


import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi import Path as PathParam

from foreshock import analysis
from foreshock.api import explain
from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import (
    DyadQuery,
    SinceQuery,
    UntilQuery,
    check_range,
    finite,
    parse_dyad,
)
from foreshock.api.state import AppState, Con
from foreshock.records import Dyad

ExcludeReviewed = Annotated[bool, Query(description=(
    "Leave out events a reviewer marked wrong (POST /api/reviews): the alerts are then "
    "computed for this request"))]

#: weeks of the dyad's series shown before and after an alert
WEEKS_BEFORE, WEEKS_AFTER = 12, 4


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


def find_alert(con: Con, state: AppState, alert_id: str, exclude_reviewed: bool = False
               ) -> tuple[dict[str, Any], Dyad, dt.date]:
    """The alert, its dyad and the first day of the window it judged (404 if none)."""
    rows, _ = analysis.alert_rows(con, state.config, exclude_reviewed=exclude_reviewed)
    row = next((r for r in rows if r["alert_id"] == alert_id), None)
    if row is None:
        raise HTTPException(404, f"no alert {alert_id[:64]!r} (alerts are recomputed "
                                 "when the data changes: reload the overview)")
    window = int(row.get("window_days") or state.config.series.window_days)
    first = row["date"] - dt.timedelta(days=window - 1)
    a, _, b = row["dyad"].replace(">", "-").partition("-")
    return row, Dyad(a, b, bool(row["directed"])), first


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/alerts", response_model=m.AlertsResponse)
    def alerts(con: Con, since: SinceQuery = None, until: UntilQuery = None,
               dyad: DyadQuery = None,
               limit: Annotated[int, Query(ge=1, le=state.max_page, description=(
                   f"At most this many (the newest), at most {state.max_page} (the "
                   "default)"))] = state.max_page,
               exclude_reviewed: ExcludeReviewed = False,
               evidence: Annotated[int, Query(ge=0, le=100, description=(
                   "At most this many evidence events per alert (the strongest first)"))]
               = 100,
               ) -> m.AlertsResponse:
        """Early-warning alerts of the whole database, oldest first, each with the
        conflict events (and sentences) behind it: as stored by `foreshock code`, or
        computed now when the stored ones are out of date."""
        check_range(since, until)
        pair = parse_dyad(con, "dyad", dyad, False, state.settings.actors_dir) if dyad \
            else None
        rows, stored = analysis.alert_rows(con, state.config, dyad=pair, since=since,
                                           until=until, exclude_reviewed=exclude_reviewed)
        return m.AlertsResponse(computed=True, stored=stored, alerts=[
            m.AlertItem(**finite({**{k: r[k] for k in analysis.ALERT_FIELDS},
                                  "evidence": r["evidence"][:evidence]}))
            for r in rows[-limit:]])

    @router.get("/api/alerts/{alert_id}", response_model=m.AlertDetail,
                responses={404: {"model": m.ErrorResponse}})
    def alert(con: Con, alert_id: Annotated[str, PathParam(min_length=1, max_length=64)],
              exclude_reviewed: ExcludeReviewed = False) -> m.AlertDetail:
        """One alert, explained: every field it has, what it says in plain words, what its
        detector measures and with which settings, the dyad's weekly series around it, and
        every asserted conflict event of the dyad published in the window the detector
        judged (with their stories)."""
        row, pair, first = find_alert(con, state, alert_id, exclude_reviewed)
        day: dt.date = row["date"]
        series, _ = analysis.series_rows(
            con, state.config, dyad=pair, freq="week",
            since=day - dt.timedelta(weeks=WEEKS_BEFORE),
            until=day + dt.timedelta(weeks=WEEKS_AFTER), exclude_reviewed=exclude_reviewed)
        events = q.events_by_id(con, q.window_event_ids(con, pair, first, day))
        stories = sorted({e["story_id"] for e in events if e["story_id"]})
        return m.AlertDetail(
            alert=_jsonable(finite(dict(row))), reading=explain.reading(row, state.config),
            detector=m.DetectorInfo(
                name=row["detector"], summary=explain.detector_summary(row["detector"]),
                parameters=explain.detector_parameters(state.config, row["detector"])),
            window_start=first,
            series=[m.SeriesPoint(**finite(r.as_dict())) for r in series],
            events=[m.StoredEvent(**finite(e), code_name=state.code_name(e["code"]))
                    for e in events],
            stories=[m.StoryBrief(**s) for s in q.story_briefs(con, stories)])

    return router
