"""``GET /api/health``: liveness and what the database holds."""


from importlib.metadata import version as package_version
from pathlib import Path

from fastapi import APIRouter

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.state import AppState, Con
from foreshock.store.schema import SCHEMA_VERSION


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["meta"])

    @router.get("/api/health", response_model=m.Health)
    def health(con: Con) -> m.Health:
        """Liveness and what the database holds."""
        first, last = q.date_range(con)
        return m.Health(status="ok", version=package_version("foreshock"),
                        database=Path(state.db).name, schema_version=SCHEMA_VERSION,
                        analysis=q.has_stories(con), first_date=first, last_date=last,
                        counts=q.counts(con), coding_enabled=state.token is not None,
                        max_page=state.max_page, max_text=state.max_text, live=state.live)

    return router
