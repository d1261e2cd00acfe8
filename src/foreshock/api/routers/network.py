"""``GET /api/network``: the actor network of a period."""


from typing import Annotated

from fastapi import APIRouter, Query

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import SinceQuery, UntilQuery, check_range
from foreshock.api.routers.events import ModalityFilter
from foreshock.api.state import AppState, Con
from foreshock.records import Modality


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["analysis"])

    @router.get("/api/network", response_model=m.NetworkResponse)
    def network(con: Con, since: SinceQuery = None, until: UntilQuery = None,
                limit: Annotated[int, Query(ge=1, le=500, description="Heaviest edges kept")]
                = 60,
                modality: Annotated[ModalityFilter, Query(description="Which modality")]
                = Modality.ASSERTED.value) -> m.NetworkResponse:
        """The actor network of a period: undirected edges weighted by events (asserted
        ones unless `modality` says otherwise)."""
        check_range(since, until)
        edges = q.network(con, since, until, limit, modality)
        nodes: dict[str, list[int]] = {}
        for e in edges:
            for actor in (e["source"], e["target"]):
                totals = nodes.setdefault(actor, [0, 0])
                totals[0] += e["events"]
                totals[1] += e["conflict_events"]
        return m.NetworkResponse(
            since=since, until=until,
            nodes=[m.NetworkNode(id=k, events=v[0], conflict_events=v[1])
                   for k, v in sorted(nodes.items(), key=lambda kv: (-kv[1][0], kv[0]))],
            edges=[m.NetworkEdge(**e) for e in edges])

    return router
