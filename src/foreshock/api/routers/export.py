"""``GET /api/export``: what a dashboard view shows, as a CSV or Parquet file."""


import io
from typing import Annotated, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from fastapi import APIRouter, Query
from fastapi.responses import Response

from foreshock import analysis
from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import (
    ActorQuery,
    DyadQuery,
    RootQuery,
    SinceQuery,
    UntilQuery,
    check_range,
    invalid,
    known_actor,
    parse_dyad,
)
from foreshock.api.routers.alerts import find_alert
from foreshock.api.routers.events import ModalityFilter
from foreshock.api.state import AppState, Con
from foreshock.export.columns import events_arrow
from foreshock.export.writers import write_csv
from foreshock.records import Modality
from foreshock.store.queries import EventFilter

MEDIA = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def file_bytes(table: pa.Table, fmt: str) -> bytes:
    """The table as a CSV (the writer of `foreshock export`) or Parquet file."""
    if fmt == "parquet":
        sink = io.BytesIO()
        pq.write_table(table, sink, compression="zstd")
        return sink.getvalue()
    text = io.StringIO()
    write_csv(table.to_batches(), table.schema, text)
    return text.getvalue().encode("utf-8")


def file_name(what: str, dyad: str | None, since: object, until: object, fmt: str) -> str:
    parts = ["foreshock", what, (dyad or "").replace(">", "to"), str(since or ""),
             str(until or "")]
    return "-".join(p for p in parts if p) + f".{fmt}"


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["export"])
    actors_dir = state.settings.actors_dir

    @router.get("/api/export", response_class=Response, responses={
        200: {"description": "the file", "content": {t: {} for t in MEDIA.values()}},
        404: {"model": m.ErrorResponse, "description": "no such alert"},
        422: {"description": "a malformed parameter, or series without a dyad"}})
    def export(con: Con,
               what: Annotated[Literal["events", "alerts", "series"], Query(description=(
                   "events: the events table's columns (those of `foreshock export`); "
                   "alerts: the alerts with their evidence; series: a dyad's weekly "
                   "series"))] = "events",
               format: Annotated[Literal["csv", "parquet"], Query(
                   description="File format")] = "csv",
               dyad: DyadQuery = None,
               directed: Annotated[bool, Query(description="With dyad: only source->target")]
               = False,
               actor: ActorQuery = None, since: SinceQuery = None, until: UntilQuery = None,
               root: RootQuery = None,
               quad: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4")]
               = None,
               modality: Annotated[ModalityFilter, Query(description="Which modality")]
               = Modality.ASSERTED.value,
               exclude_reviewed: Annotated[bool, Query(description=(
                   "alerts and series: without the events a reviewer marked wrong"))] = False,
               alert: Annotated[str | None, Query(max_length=64, description=(
                   "events: those behind this alert (the events of its page); the other "
                   "filters are then ignored"))] = None,
               ) -> Response:
        """The rows a dashboard view shows, under the same filters as `/api/events`,
        `/api/alerts` and `/api/series`, as a file to download.  CSV quotes every text
        value and writes an alert's evidence as JSON text; Parquet keeps every type."""
        check_range(since, until)
        pair = parse_dyad(con, "dyad", dyad, directed, actors_dir) if dyad else None
        if what == "events" and alert:
            row, pair, first = find_alert(con, state, alert, exclude_reviewed)
            ids = q.window_event_ids(con, pair, first, row["date"])
            every = events_arrow(con, EventFilter(dyad=pair, since=first, until=row["date"]))
            table = every.filter(pc.is_in(every["event_id"], value_set=pa.array(ids, pa.string())))
            since, until = first, row["date"]
        elif what == "events":
            who = known_actor(con, "actor", actor, actors_dir) if actor else None
            table = events_arrow(con, EventFilter(actor=who, dyad=pair, since=since,
                                                  until=until, root=root, quad=quad,
                                                  modality=modality))
        elif what == "alerts":
            rows, _ = analysis.alert_rows(con, state.config, dyad=pair, since=since,
                                          until=until, exclude_reviewed=exclude_reviewed)
            table = analysis.alerts_table(rows)
        else:
            if pair is None:
                raise invalid("dyad", None, "series need a dyad, e.g. dyad=RUS-UKR")
            series, _ = analysis.series_rows(con, state.config, dyad=pair, since=since,
                                             until=until, exclude_reviewed=exclude_reviewed)
            table = analysis.series_table(series)
        name = file_name(what, pair.key if pair else None, since, until, format)
        return Response(file_bytes(table, format), media_type=MEDIA[format], headers={
            "Content-Disposition": f'attachment; filename="{name}"'})

    return router
