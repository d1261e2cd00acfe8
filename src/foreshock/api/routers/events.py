"""``GET /api/events``: stored events, a page at a time, with their evidence."""


from typing import Annotated, Literal

from fastapi import APIRouter, Query

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import (
    ActorQuery,
    DyadQuery,
    RootQuery,
    SinceQuery,
    UntilQuery,
    check_range,
    finite,
    known_actor,
    parse_dyad,
)
from foreshock.api.state import AppState, Con
from foreshock.records import MODALITY_FILTERS, Modality
from foreshock.store.queries import EventFilter

ModalityFilter = Literal["asserted", "negated", "hypothetical", "future", "all"]
assert set(ModalityFilter.__args__) == set(MODALITY_FILTERS)  # type: ignore[attr-defined]


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["events"])
    actors_dir = state.settings.actors_dir

    @router.get("/api/events", response_model=m.EventsResponse, responses={422: {
        "description": "a parameter is malformed, or an actor code is unknown (with "
                       "suggestions)"}})
    def events(con: Con, actor: ActorQuery = None, dyad: DyadQuery = None,
               directed: Annotated[bool, Query(
                   description="With dyad: only source->target")] = False,
               since: SinceQuery = None, until: UntilQuery = None, root: RootQuery = None,
               quad: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4")]
               = None,
               modality: Annotated[ModalityFilter, Query(description="Which modality")]
               = Modality.ASSERTED.value,
               limit: Annotated[int, Query(ge=1, le=state.max_page,
                                           description=f"Page size, at most {state.max_page}")]
               = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
               order: Annotated[Literal["asc", "desc"], Query(
                   description="By date: oldest (asc) or newest (desc) first")] = "asc",
               country_of_action: Annotated[str | None, Query(
                   description="Only events located in this country (ISO alpha-3, e.g. UKR)",
                   pattern="^[A-Z]{3}$")] = None,
               undirected: Annotated[bool, Query(
                   description="One row per pair for symmetric acts (meetings are stored "
                               "in both directions)")] = False,
               ) -> m.EventsResponse:
        """Stored events with their evidence sentence, the trigger span in it (offsets in
        the sentence and in the article), and the article's title and link.  Unknown actor
        codes ("Russia") are a 422 that suggests the code (RUS)."""
        check_range(since, until)
        pair = parse_dyad(con, "dyad", dyad, directed, actors_dir) if dyad else None
        who = known_actor(con, "actor", actor, actors_dir) if actor else None
        page = q.events_page(con, EventFilter(actor=who, dyad=pair, since=since, until=until,
                                              root=root, quad=quad, modality=modality,
                                              country_of_action=country_of_action,
                                              undirected=undirected),
                             limit=limit, offset=offset, order=order)
        rows = [m.StoredEvent(**finite(r), code_name=state.code_name(r["code"]))
                for r in page.rows]
        return m.EventsResponse(total=page.total, limit=limit, offset=offset, events=rows)

    return router
