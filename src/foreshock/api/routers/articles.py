"""``GET /api/articles/{article_id}``: an article's text with every event coded from it,
and the other articles of its story."""


from typing import Annotated

from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.params import finite
from foreshock.api.state import AppState, Con
from foreshock.store.reviews import current_verdicts


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["events"])

    @router.get("/api/articles/{article_id}", response_model=m.ArticleResponse,
                responses={404: {"model": m.ErrorResponse}})
    def article(con: Con, article_id: Annotated[str, PathParam(min_length=1, max_length=200)]
                ) -> m.ArticleResponse:
        """The article's text, every event coded from it (any modality) with the character
        span of its trigger in the text, the latest review of each, and the story it
        belongs to with the story's other articles (other outlets, later reprints)."""
        found = q.article(con, article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id[:80]!r}")
        verdicts = current_verdicts(con, [e["event_id"] for e in found["events"]])
        events = [m.ArticleEvent(**finite({**e, "review": verdicts.get(e["event_id"])}),
                                 code_name=state.code_name(e["code"]))
                  for e in found.pop("events")]
        return m.ArticleResponse(**found, events=events)

    return router
