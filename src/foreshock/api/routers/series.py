"""``GET /api/series``: a dyad's series per week or day."""


from typing import Annotated, Literal

from fastapi import APIRouter, Query

from foreshock import analysis
from foreshock.api import models as m
from foreshock.api.params import (
    CutQuery,
    FirstPeriodQuery,
    RequiredDyadQuery,
    check_range,
    finite,
    parse_dyad,
)
from foreshock.api.state import AppState, Con


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/series", response_model=m.SeriesResponse)
    def series(con: Con, dyad: RequiredDyadQuery,
               freq: Annotated[Literal["week", "day"], Query(description="Period")] = "week",
               directed: Annotated[bool, Query(description="Source->target only")] = False,
               since: FirstPeriodQuery = None, until: CutQuery = None,
               exclude_reviewed: Annotated[bool, Query(description=(
                   "Leave out events a reviewer marked wrong"))] = False,
               ) -> m.SeriesResponse:
        """A dyad's series per week or day, as ``foreshock series`` computes it: story-
        weighted counts per QuadClass, Goldstein, conflict share and intensity, with the
        corpus volume of each period and thin periods flagged.  Only asserted events
        count, and a story reprinted by many outlets counts once."""
        check_range(since, until)
        pair = parse_dyad(con, "dyad", dyad, directed, state.settings.actors_dir)
        rows, _ = analysis.series_rows(con, state.config, dyad=pair, freq=freq,
                                       since=since, until=until,
                                       exclude_reviewed=exclude_reviewed)
        return m.SeriesResponse(dyad=pair.key, freq=freq, directed=pair.directed,
                                rows=[m.SeriesPoint(**finite(r.as_dict())) for r in rows])

    return router
