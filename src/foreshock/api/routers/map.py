"""``GET /api/map``: events per country, for the dashboard's world map."""


import functools
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import SinceQuery, UntilQuery, check_range, invalid
from foreshock.api.routers.events import ModalityFilter
from foreshock.api.state import AppState, Con
from foreshock.ontology.tsv import data_path, read_tsv
from foreshock.records import Modality
from foreshock.store.queries import EventFilter


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Country codes of the actor dictionary (ISO 3166-1 alpha-3) and their names."""
    names: dict[str, str] = {}
    for row in read_tsv(data_path("actors", "countries.tsv"), ("code", "alias", "kind")):
        if row.get("kind") == "name":
            names.setdefault(row.get("code"), row.get("alias"))
    return names


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/map", response_model=m.MapResponse, responses={422: {
        "description": "a malformed parameter, or basis=action on a database without event "
                       "locations"}})
    def world(con: Con, since: SinceQuery = None, until: UntilQuery = None,
              modality: Annotated[ModalityFilter, Query(description="Which modality")]
              = Modality.ASSERTED.value,
              basis: Annotated[Literal["actors", "action"], Query(description=(
                  "actors: count an event for each country among its source and target; "
                  "action: for the country where it happened (needs event locations)"))]
              = "actors",
              ) -> m.MapResponse:
        """Events per country in a period.  Only actors that are countries count (NATO or
        the UN are no place on a map); an event between two countries counts for both.
        `basis=action` counts each event once, for the country it took place in, when the
        database stores event locations."""
        check_range(since, until)
        action = None
        if basis == "action":
            action = q.action_column(con)
            if action is None:
                raise invalid("basis", basis, "this database stores no event locations "
                                              "(country of action): use basis=actors")
        names = countries()
        total, rows = q.country_counts(
            con, sorted(names), EventFilter(since=since, until=until, modality=modality),
            action)
        return m.MapResponse(basis=basis, since=since, until=until, modality=modality,
                             events=total, countries=[
                                 m.CountryCount(**r, name=names.get(r["code"], r["code"]))
                                 for r in rows])

    return router
