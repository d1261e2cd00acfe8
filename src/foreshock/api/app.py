"""The web app: one router per resource (``api/routers``), the dashboard and offline API
docs (``api/pages.py``).

Reads: every request opens its own read-only DuckDB connection (with no access to other
files or extensions) and closes it, so a writer (``foreshock run`` / ``code``) can take the
file between requests; while a writer holds it, a request waits briefly and then answers
503 with a Retry-After.  The one write is a review (``POST /api/reviews``, only with the
token), in a short connection of its own while no request of this app is reading
(``routers/reviews.py``).  In live mode (``foreshock watch --serve``) the requests (and
reviews) instead go through cursors of the one connection that also writes, so reads and
writes never fight over the file.  Series and alerts are those ``foreshock.analysis`` gives
the CLI and ``foreshock.open()``.  Coding posted text is off unless the app has a token;
the spaCy context then loads on first use.  With ``allowed_hosts`` the Host header of every
request must name one of them (a DNS-rebinding page cannot reach the API).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from foreshock.api.pages import add_pages
from foreshock.api.routers import ROUTERS
from foreshock.api.state import READ_WAIT, AppState, Connector
from foreshock.errors import LockedError, StoreError
from foreshock.ingest.readers import safe_text
from foreshock.ontology.cameo import load_cameo
from foreshock.settings import Settings
from foreshock.store.db import connect

if TYPE_CHECKING:
    from foreshock.pipeline import Context

log = logging.getLogger("foreshock.api")

# The dashboard needs inline styles (plotly writes them) and data: images (its icons);
# scripts come only from this server, so injected markup cannot run code.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
)


class SecurityHeaders:
    """Adds the headers in ``SECURITY_HEADERS`` to every HTTP response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
                       send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheck:
    """Refuses (400) requests whose Host header is not one of ``allowed`` ("*": any).

    A page on another site can make a browser send requests to a server on localhost by
    pointing its own domain name at 127.0.0.1 (DNS rebinding); its requests then carry that
    domain in the Host header, which this check refuses.
    """

    def __init__(self, app: Any, allowed: Sequence[str]) -> None:
        self.app = app
        self.allowed = {host.lower().strip("[]") for host in allowed}

    async def __call__(self, scope: MutableMapping[str, Any],
                       receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
                       send: Callable[[MutableMapping[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] in ("http", "websocket") and "*" not in self.allowed:
            headers = dict(scope.get("headers") or [])
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            if host not in self.allowed:
                response = JSONResponse(
                    {"detail": f"Host {host[:100]!r} is not served here; start the server "
                               "with --allow-host NAME to serve it"}, status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def host_name(header: str) -> str:
    """The host of a Host header, without port or IPv6 brackets, lower-cased."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:].split("]", 1)[0]
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def create_app(db: str, *, token: str | None = None, max_page: int = 500,
               max_text: int = 20_000, settings: Settings | None = None,
               context: Context | None = None, connector: Connector | None = None,
               allowed_hosts: Sequence[str] | None = None, live: bool = False) -> FastAPI:
    """The web app over the database file ``db`` (opened read-only per request).

    ``token`` enables ``POST /api/code`` for clients that send it as a bearer token;
    ``max_page`` caps the rows of one page, ``max_text`` the characters of posted text;
    ``settings`` choose the model and dictionaries used to code posted text, or
    ``context`` is one already loaded (else it loads on the first coding request).
    ``connector`` gives each request its connection instead (live mode: a cursor of the
    writer's own connection).  ``allowed_hosts`` lists the Host header values served.
    ``live`` tells the dashboard that the data grows, so it looks for news by itself.
    """
    if max_page < 1 or max_text < 1:
        raise ValueError("max_page and max_text must be at least 1")
    if connector is None:
        # fail at start, not on the first request, if the file is missing or not ours
        connect(db, read_only=True, external_access=False, wait=READ_WAIT).close()
    state = AppState(db=db, token=token or None, max_page=max_page, max_text=max_text,
                     settings=settings or Settings(db=db), cameo=load_cameo(),
                     connector=connector, live=live, _context=context)
    app = FastAPI(
        title="Foreshock",
        version=package_version("foreshock"),
        description="Political events (CAMEO) coded from dated news, with the sentence "
                    "behind each, dyad series and early-warning alerts. Read-only.",
        # the bundled Swagger UI loads from a CDN; /docs below is an offline page instead
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        # refuse bodies over this many bytes (413) before parsing them; a JSON-escaped
        # character takes at most 12 bytes (a \\uXXXX surrogate pair)
        max_body_size=max_text * 12 + 4096,
    )
    app.state.foreshock = state
    app.add_middleware(SecurityHeaders)
    if allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=list(allowed_hosts))
    _handlers(app)
    app.state.api_routes = []
    for resource in ROUTERS:
        router = resource.build(state)
        app.state.api_routes += router.routes
        app.include_router(router)
    add_pages(app)
    return app


def allowed_methods(routes: list[Any], path: str) -> list[str]:
    """Every method one of ``routes`` (the API's) serves at ``path``: Starlette's own 405
    names only the first route's, and /api/reviews has two, GET and POST."""
    methods: set[str] = set()
    for route in routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            methods = allowed_methods(app.state.api_routes, request.url.path)
            allow = ", ".join(methods) or (exc.headers or {}).get("Allow", "")
            return JSONResponse({"detail": exc.detail}, status_code=405,
                                headers={"Allow": allow})
        return await http_exception_handler(request, exc)

    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        if isinstance(exc, LockedError):
            who = f"process {exc.pid}" if exc.pid else "another process"
            detail = (f"database busy: {who} is writing it; try again shortly (serve with "
                      "`foreshock watch INBOX --db FILE --serve` so reads never wait for "
                      "writes)")
        else:
            detail = "database unavailable (missing, or locked by a writer): try again"
        return JSONResponse({"detail": detail}, status_code=503,
                            headers={"Retry-After": "5"})

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # the echo of the input may hold lone surrogates, which JSON cannot encode
        errors = _storable(jsonable_encoder(exc.errors()))
        # one line a person can read, beside the structured list
        message = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: "
                            f"{e.get('msg', '')}" for e in errors)
        return JSONResponse({"detail": errors, "message": message}, status_code=422)


def _storable(value: Any) -> Any:
    """``value`` (JSON-like) made encodable: lone surrogates escaped, and NaN or infinity
    (which a lenient client may send) written as text."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {safe_text(str(k)): _storable(v) for k, v in value.items()}
    return value
