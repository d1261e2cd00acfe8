"""``GET /api/stories/{story_id}``: one story with its articles and events."""


from typing import Annotated

from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.state import AppState, Con


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get("/api/stories/{story_id}", response_model=m.StoryResponse,
                responses={404: {"model": m.ErrorResponse}})
    def story(con: Con, story_id: Annotated[str, PathParam(min_length=1, max_length=200)]
              ) -> m.StoryResponse:
        """A story (near-duplicate articles) with its articles and its events counted once
        per story, source, target and CAMEO root."""
        found = q.story(con, story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id[:80]!r} (stories are stored by "
                                     "`foreshock code`)")
        return m.StoryResponse(**found)

    return router
