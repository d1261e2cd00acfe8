"""``POST /api/code``: code a posted text into events, without storing anything.

Off unless the app was started with a token; then the token is required as a bearer token.
"""


import datetime as dt
import hashlib

from fastapi import APIRouter, Depends, HTTPException

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.api.auth import token_required
from foreshock.api.state import AppState
from foreshock.records import Article, Event


def build(state: AppState) -> APIRouter:
    router = APIRouter(tags=["coding"])
    error = {"model": m.ErrorResponse}
    require_token = token_required(state, "coding")

    @router.post("/api/code", response_model=m.CodeResponse,
                 dependencies=[Depends(require_token)],
                 responses={400: error, 403: error, 413: error})
    def code(body: m.CodeRequest) -> m.CodeResponse:
        """Code a text published on ``date`` into events, without storing anything.

        Needs ``Authorization: Bearer TOKEN`` with the token the server was started
        with; without one the endpoint is disabled (403).  Offsets refer to the posted
        text.  The first call loads the language model (a few seconds).
        """
        from foreshock.pipeline import code_document

        if len(body.text) > state.max_text:
            raise HTTPException(413, f"text has {len(body.text)} characters; at most "
                                     f"{state.max_text} are accepted")
        ctx = state.context()
        digest = hashlib.sha1(f"{body.date}|{body.text}".encode("utf-8", "replace"))
        published = dt.datetime.combine(body.date, dt.time(), tzinfo=dt.UTC)
        article = Article(f"api-{digest.hexdigest()[:16]}", body.date, published, body.text)
        with state.code_lock:
            result = code_document(article, ctx)
        return m.CodeResponse(
            extractor=ctx.extractor_version,
            events=[_coded(e, body.text, state) for e in result.events],
            problems=[m.CodingProblemItem(stage=p.stage, message=p.message)
                      for p in result.problems])

    return router


def _coded(event: Event, text: str, state: AppState) -> m.CodedEvent:
    start = max(event.end - len(event.sentence), 0)
    span = q.trigger_in_sentence(event.sentence, event.trigger, event.start, event.end,
                                 text[start:start + 2 * len(event.sentence) + 2], start)
    return m.CodedEvent(
        event_id=event.event_id, date=event.date, source=event.source,
        source_sector=event.source_sector, target=event.target,
        target_sector=event.target_sector, code=event.code,
        code_name=state.code_name(event.code), root=event.root, quad_class=event.quad_class,
        goldstein=event.goldstein, modality=event.modality,
        reported_by=event.reported_by, pattern=event.pattern, trigger=event.trigger,
        sentence=event.sentence, sentence_index=event.sentence_index,
        start_char=event.start, end_char=event.end,
        trigger_start=span[0] if span else None, trigger_end=span[1] if span else None)


