"""The bearer token that guards the server's two non-reading endpoints (``POST /api/code``
loads a language model, ``POST /api/reviews`` writes): off unless the server was started
with ``--token`` (or ``FORESHOCK_TOKEN``), then required."""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from foreshock.api.state import AppState

bearer = HTTPBearer(auto_error=False, description="the token the server was started with")


def token_required(state: AppState, what: str
                   ) -> Callable[[HTTPAuthorizationCredentials | None], None]:
    """A dependency: 403 unless the request carries the app's token (``what`` names the
    feature in the message)."""

    def require(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
                ) -> None:
        if state.token is None:
            raise HTTPException(403, f"{what} is disabled: start the server with --token "
                                     "(or FORESHOCK_TOKEN) to enable it")
        given = credentials.credentials if credentials else ""
        # constant-time comparison: response timing must not reveal the token
        if not hmac.compare_digest(given.encode(), state.token.encode()):
            raise HTTPException(403, "missing or wrong bearer token")

    return require
