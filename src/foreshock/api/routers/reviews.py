"""``GET /api/reviews``: what reviewers said of coded events; ``POST /api/reviews``: mark an
event wrong (or right again).

The server reads the database read-only.  A review is its one write: the request must carry
the server's token (``--token``), and the server then opens a short read-write connection
for that insert alone, while no request of its own is reading (``AppState.access``).  A
``foreshock code`` or another process holding the file makes the write fail with 503 until
it is done, as every request would.  In live mode (``foreshock watch --serve``) the review
is written through a cursor of the watcher's own connection.
"""


from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query

from foreshock.api import models as m
from foreshock.api.auth import token_required
from foreshock.api.state import AppState, Con, writing
from foreshock.store.reviews import ReviewInput, add_review, review_rows, wrong_count


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["reviews"])
    error = {"model": m.ErrorResponse}
    require_token = token_required(state, "reviewing")

    @router.get("/api/reviews", response_model=m.ReviewsResponse)
    def reviews(con: Con, event_id: Annotated[str | None, Query(
                    max_length=200, description="Only the reviews of this event")] = None,
                limit: Annotated[int, Query(ge=1, le=state.max_page, description=(
                    "At most this many, newest first"))] = 100) -> m.ReviewsResponse:
        """Reviews, newest first, each with a copy of the event as it was reviewed.  Reviews
        are never changed or deleted: the latest one of an event is its verdict."""
        return m.ReviewsResponse(
            wrong=wrong_count(con),
            reviews=[m.ReviewItem(**r) for r in review_rows(con, event_id=event_id,
                                                             limit=limit)])

    @router.post("/api/reviews", response_model=m.ReviewItem, status_code=201,
                 dependencies=[Depends(require_token)],
                 responses={400: error, 403: error, 404: error, 503: error})
    def review(body: m.ReviewRequest) -> m.ReviewItem:
        """Record a reviewer's verdict on a stored event: `wrong` (it should not have been
        coded) or `right` (takes a `wrong` back).  Needs `Authorization: Bearer TOKEN`.

        Series and alerts leave wrong events out when asked (`exclude_reviewed=true`), and
        `foreshock eval --reviews DB` scores the coder on them as extra gold.
        """
        with writing(state) as con:
            found = add_review(con, ReviewInput(body.event_id, body.verdict, body.note,
                                                body.reviewer))
        if found is None:
            raise HTTPException(404, f"no event {body.event_id[:80]!r}")
        return m.ReviewItem(**found)

    return router
