"""The web app: JSON routes over the library's queries, the dashboard and offline API docs.

Reads only: every request opens its own read-only DuckDB connection and closes it, so a
writer (``foreshock run`` / ``alerts``) can take the file between requests.  Coding posted
text is off unless the app has a token; the spaCy context then loads on first use.
"""

import datetime as dt
import functools
import gzip
import hashlib
import hmac
import html
import importlib.util
import logging
import math
import re
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator

from foreshock.api import models as m
from foreshock.api import queries as q
from foreshock.errors import StoreError
from foreshock.ontology.cameo import CameoTable, load_cameo
from foreshock.records import Article, Event
from foreshock.settings import Settings
from foreshock.store.db import connect
from foreshock.store.queries import EventFilter, parse_dyad
from foreshock.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.pipeline import Context

log = logging.getLogger("foreshock.api")

STATIC = Path(__file__).parent / "static"

# One pattern per parameter, used twice: published in the OpenAPI spec (so clients and
# fuzzers know the shape) and checked here with a message that says what was expected.
DYAD_RE = r"^[A-Za-z0-9]{2,16}[->][A-Za-z0-9]{2,16}$"
ACTOR_RE = r"^[A-Za-z0-9]{2,16}$"
ROOT_RE = r"^(0?[1-9]|1[0-9]|20)$"

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


def _matching(pattern: str, expected: str, transform: Callable[[str], str] = str.upper
              ) -> Callable[[str | None], str | None]:
    compiled = re.compile(pattern)

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        if not compiled.fullmatch(value):
            raise ValueError(f"{value[:40]!r}: expected {expected}")
        return transform(value)

    return check


DyadQuery = Annotated[str | None, Query(
    description="Two actor codes: RUS-UKR (either direction) or RUS>UKR (directed)",
    json_schema_extra={"pattern": DYAD_RE}, examples=["RUS-UKR"]),
    AfterValidator(_matching(DYAD_RE, "two actor codes like RUS-UKR or RUS>UKR"))]
ActorQuery = Annotated[str | None, Query(
    description="Events with this actor as source or target, e.g. RUS",
    json_schema_extra={"pattern": ACTOR_RE}),
    AfterValidator(_matching(ACTOR_RE, "an actor code of 2-16 letters or digits, e.g. RUS"))]
RootQuery = Annotated[str | None, Query(
    description="CAMEO root 01-20", json_schema_extra={"pattern": ROOT_RE}),
    AfterValidator(_matching(ROOT_RE, "a CAMEO root from 01 to 20",
                             lambda v: v.zfill(2)))]
SinceQuery = Annotated[m.IsoDate | None, Query(description="From this day on (YYYY-MM-DD)")]
UntilQuery = Annotated[m.IsoDate | None, Query(description="Up to this day (YYYY-MM-DD)")]
FirstPeriodQuery = Annotated[m.IsoDate | None, Query(
    description="First period shown (YYYY-MM-DD)")]
CutQuery = Annotated[m.IsoDate | None, Query(
    description="Ignore everything published after this day (YYYY-MM-DD)")]


@dataclass
class AppState:
    """What one app holds: where the data is, its limits, and lazily loaded models."""

    db: str
    token: str | None
    max_page: int
    max_text: int
    settings: Settings
    cameo: CameoTable
    _config: "AnalysisConfig | None" = None
    _context: "Context | None" = None
    _config_lock: threading.Lock = field(default_factory=threading.Lock)
    _context_lock: threading.Lock = field(default_factory=threading.Lock)
    # spaCy pipelines are not documented as thread-safe: one document at a time
    _code_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def config(self) -> "AnalysisConfig":
        with self._config_lock:
            if self._config is None:
                from foreshock.alerts.config import load_config

                self._config = load_config()
            return self._config

    def context(self) -> "Context":
        # loading takes seconds: one thread loads, the others wait for the same context
        with self._context_lock:
            if self._context is None:
                from foreshock.pipeline import load_context

                self._context = load_context(self.settings)
            return self._context

    def code_name(self, code: str) -> str | None:
        try:
            return self.cameo.get(code).name
        except KeyError:
            return None


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


def plotly_js() -> Path | None:
    """plotly.min.js of the installed plotly package (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=2)
def _gzipped(path: Path) -> tuple[bytes, str]:
    """The file compressed once per process (4.8 MB of plotly.js becomes about 1.4 MB:
    the dashboard's first paint waits for this download), with an ETag."""
    data = path.read_bytes()
    return gzip.compress(data, compresslevel=6), hashlib.sha1(data).hexdigest()[:16]


def _finite(row: dict[str, Any]) -> dict[str, Any]:
    """JSON has no NaN or infinity: such values become null."""
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v
            for k, v in row.items()}


def _invalid(name: str, value: object, message: str) -> RequestValidationError:
    """A 422 in FastAPI's own error shape, for checks that span two parameters."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", name),
                                    "msg": message, "input": value}])


def _check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise _invalid("until", str(until), f"until ({until}) is before since ({since})")


def _dyad_key(value: str, directed: bool) -> tuple[str, str, bool, str]:
    a, b = parse_dyad(value)
    directed = directed or ">" in value
    key = f"{a}>{b}" if directed else f"{min(a, b)}-{max(a, b)}"
    return a, b, directed, key


def create_app(db: str, *, token: str | None = None, max_page: int = 500,
               max_text: int = 20_000, settings: Settings | None = None,
               context: "Context | None" = None) -> FastAPI:
    """The web app over the database file ``db`` (opened read-only per request).

    ``token`` enables ``POST /api/code`` for clients that send it as a bearer token;
    ``max_page`` caps the rows of one page, ``max_text`` the characters of posted text;
    ``settings`` choose the model and dictionaries used to code posted text, or
    ``context`` is one already loaded (else it loads on the first coding request).
    """
    if max_page < 1 or max_text < 1:
        raise ValueError("max_page and max_text must be at least 1")
    # fail at start, not on the first request, if the file is missing or not ours
    connect(db, read_only=True).close()
    state = AppState(db=db, token=token or None, max_page=max_page, max_text=max_text,
                     settings=settings or Settings(db=db), cameo=load_cameo(),
                     _context=context)
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
    _handlers(app)
    _api_routes(app, state)
    _page_routes(app)
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StoreError)
    async def store_error(_: Request, exc: StoreError) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse({"detail": "database unavailable (missing, or locked by a "
                                       "writer): try again"}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(exc.errors())
        # one line a person can read, beside the structured list
        message = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: "
                            f"{e.get('msg', '')}" for e in errors)
        return JSONResponse({"detail": errors, "message": message}, status_code=422)


def _api_routes(app: FastAPI, state: AppState) -> None:
    def database() -> Iterator[duckdb.DuckDBPyConnection]:
        con = connect(state.db, read_only=True)
        try:
            yield con
        finally:
            con.close()

    Con = Annotated[duckdb.DuckDBPyConnection, Depends(database)]
    error = {"model": m.ErrorResponse}
    bearer = HTTPBearer(auto_error=False, description="the token the server was started with")

    @app.get("/api/health", response_model=m.Health, tags=["meta"])
    def health(con: Con) -> m.Health:
        """Liveness and what the database holds."""
        first, last = q.date_range(con)
        return m.Health(status="ok", version=package_version("foreshock"),
                        database=Path(state.db).name, schema_version=SCHEMA_VERSION,
                        analysis=q.has_stories(con), first_date=first, last_date=last,
                        counts=q.counts(con), coding_enabled=state.token is not None,
                        max_page=state.max_page, max_text=state.max_text)

    @app.get("/api/events", response_model=m.EventsResponse, tags=["events"])
    def events(con: Con, actor: ActorQuery = None, dyad: DyadQuery = None,
               directed: Annotated[bool, Query(
                   description="With dyad: only source->target")] = False,
               since: SinceQuery = None, until: UntilQuery = None, root: RootQuery = None,
               quad: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4")]
               = None,
               modality: Annotated[Literal["asserted", "negated", "hypothetical", "future",
                                           "all"], Query(description="Which modality")]
               = "asserted",
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
        the sentence and in the article), and the article's title and link."""
        _check_range(since, until)
        pair = None
        if dyad is not None:
            a, b, directed, _ = _dyad_key(dyad, directed)
            pair = (a, b)
        page = q.events_page(con, EventFilter(actor=actor, dyad=pair, directed=directed,
                                              since=since, until=until, root=root, quad=quad,
                                              modality=modality,
                                              country_of_action=country_of_action,
                                              undirected=undirected),
                             limit=limit, offset=offset, order=order)
        rows = [m.StoredEvent(**_finite(r), code_name=state.code_name(r["code"]))
                for r in page.rows]
        return m.EventsResponse(total=page.total, limit=limit, offset=offset, events=rows)

    @app.get("/api/series", response_model=m.SeriesResponse, tags=["analysis"],
             responses={409: error})
    def series(con: Con,
               dyad: Annotated[str, Query(
                   description="Two actor codes: RUS-UKR, or RUS>UKR for one direction",
                   json_schema_extra={"pattern": DYAD_RE}, examples=["RUS-UKR"]),
                   AfterValidator(_matching(DYAD_RE, "two actor codes like RUS-UKR"))],
               freq: Annotated[Literal["week", "day"], Query(description="Period")] = "week",
               directed: Annotated[bool, Query(description="Source->target only")] = False,
               since: FirstPeriodQuery = None, until: CutQuery = None,
               ) -> m.SeriesResponse:
        """A dyad's series per week or day, as ``foreshock series`` computes it: story-
        weighted counts per QuadClass, Goldstein, conflict share and intensity, with the
        corpus volume of each period and thin periods flagged.  Only asserted events
        count, and a story reprinted by many outlets counts once."""
        from foreshock.aggregate.series import Scope, dyad_series
        from foreshock.alerts.run import weights_of

        _check_range(since, until)
        _, _, directed, key = _dyad_key(dyad, directed)
        if not q.has_stories(con):
            raise HTTPException(409, "stories are not computed yet: run `foreshock alerts "
                                     "--db FILE` once, then reload")
        config = state.config
        support = config.series.min_window_events
        if freq == "day":
            support = math.ceil(support / config.series.window_days)
        rows = dyad_series(con, Scope(until=until, exclude_actors=config.series.exclude_actors),
                           weights_of(config), freq=freq, directed=directed, dyad=key,
                           min_support=support)
        points = [m.SeriesPoint(**_finite(r.as_dict())) for r in rows
                  if since is None or r.period >= since]
        return m.SeriesResponse(dyad=key, freq=freq, directed=directed, rows=points)

    @app.get("/api/alerts", response_model=m.AlertsResponse, tags=["analysis"])
    def alerts(con: Con, since: SinceQuery = None, until: UntilQuery = None,
               dyad: DyadQuery = None,
               limit: Annotated[int, Query(ge=1, le=state.max_page, description=(
                   f"At most this many (the newest), at most {state.max_page}"))] = 100,
               ) -> m.AlertsResponse:
        """Stored early-warning alerts of the whole database, oldest first, each with the
        conflict events (and sentences) behind it."""
        from foreshock.alerts.run import load_alerts

        _check_range(since, until)
        if not q.has_stories(con):
            return m.AlertsResponse(computed=False, alerts=[])
        key = _dyad_key(dyad, False)[3] if dyad is not None else None
        rows = load_alerts(con, since=since, until=until, dyad=key)[-limit:]
        return m.AlertsResponse(computed=True, alerts=[
            m.AlertItem(**_finite({k: v for k, v in r.items()
                                   if k not in ("scope", "basis", "created")}))
            for r in rows])

    @app.get("/api/dyads", response_model=m.DyadsResponse, tags=["analysis"])
    def dyads(con: Con,
              limit: Annotated[int, Query(ge=1, le=100, description="Dyads per list")] = 10,
              window_days: Annotated[int, Query(ge=1, le=366, description=(
                  "Length of the recent and the previous window"))] = 28,
              min_events: Annotated[int, Query(ge=1, le=10_000, description=(
                  "Asserted events a dyad needs in the recent window to rank"))] = 3,
              ) -> m.DyadsResponse:
        """The most active and the most escalating undirected dyads.

        *Most active*: the most asserted events between two different actors, all time.

        *Most escalating*: the windows end at the newest asserted event in the database.
        A dyad's conflict share is the part of its asserted events that are QuadClass 3
        or 4 (verbal or material conflict).  Dyads with at least ``min_events`` asserted
        events, one of them conflictual, in the recent ``window_days`` and a share higher
        than in the ``window_days`` before (0 when they had no events then) rank by the
        rise, then by recent conflict events.  Each row also carries the
        dyad's number of stored alert episodes (0 before ``foreshock alerts`` has run).
        """
        episodes = q.alert_episodes(con)
        active = [m.ActiveDyad(**r, alert_episodes=episodes.get(r["dyad"], 0))
                  for r in q.most_active(con, limit)]
        as_of, rising = q.most_escalating(con, limit, window_days, min_events)
        return m.DyadsResponse(as_of=as_of, window_days=window_days, most_active=active,
                               most_escalating=[
                                   m.EscalatingDyad(**r, alert_episodes=episodes.get(
                                       r["dyad"], 0)) for r in rising])

    @app.get("/api/network", response_model=m.NetworkResponse, tags=["analysis"])
    def network(con: Con, since: SinceQuery = None, until: UntilQuery = None,
                limit: Annotated[int, Query(ge=1, le=500, description="Heaviest edges kept")]
                = 60) -> m.NetworkResponse:
        """The actor network of a period: undirected edges weighted by asserted events."""
        _check_range(since, until)
        edges = q.network(con, since, until, limit)
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

    @app.get("/api/stories/{story_id}", response_model=m.StoryResponse, tags=["events"],
             responses={404: error})
    def story(con: Con, story_id: Annotated[str, PathParam(min_length=1, max_length=200)]
              ) -> m.StoryResponse:
        """A story (near-duplicate articles) with its articles and its events counted once
        per story, source, target and CAMEO root."""
        found = q.story(con, story_id)
        if found is None:
            raise HTTPException(404, f"no story {story_id[:80]!r} (stories exist after "
                                     "`foreshock alerts` has run)")
        return m.StoryResponse(**found)

    def require_token(credentials: Annotated[HTTPAuthorizationCredentials | None,
                                             Depends(bearer)]) -> None:
        if state.token is None:
            raise HTTPException(403, "coding is disabled: start the server with --token "
                                     "(or FORESHOCK_TOKEN) to enable it")
        given = credentials.credentials if credentials else ""
        # constant-time comparison: response timing must not reveal the token
        if not hmac.compare_digest(given.encode(), state.token.encode()):
            raise HTTPException(403, "missing or wrong bearer token")

    @app.post("/api/code", response_model=m.CodeResponse, tags=["coding"],
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
        with state._code_lock:
            result = code_document(article, ctx)
        return m.CodeResponse(
            extractor=ctx.extractor_version,
            events=[_coded(e, body.text, state) for e in result.events],
            problems=[m.CodingProblemItem(stage=p.stage, message=p.message)
                      for p in result.problems])


def _coded(event: Event, text: str, state: AppState) -> m.CodedEvent:
    start = max(event.end - len(event.sentence), 0)
    span = q.trigger_in_sentence(event.sentence, event.trigger, event.start, event.end,
                                 text[start:start + 2 * len(event.sentence) + 2], start)
    return m.CodedEvent(
        event_id=event.event_id, date=event.date, source=event.source,
        source_sector=event.source_sector, target=event.target,
        target_sector=event.target_sector, code=event.code,
        code_name=state.code_name(event.code), root=event.root, quad_class=event.quad_class,
        goldstein=event.goldstein, modality=event.modality.value,
        reported_by=event.reported_by, pattern=event.pattern, trigger=event.trigger,
        sentence=event.sentence, sentence_index=event.sentence_index,
        start_char=event.start, end_char=event.end,
        trigger_start=span[0] if span else None, trigger_end=span[1] if span else None)


def _page_routes(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    vendor = plotly_js()

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "dashboard.html", headers={"Cache-Control": "no-cache"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly(request: Request) -> Response:
        if vendor is None:
            raise HTTPException(404, "plotly is not installed: pip install plotly")
        # the file only changes with the plotly package: let the browser keep it
        cache = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" not in request.headers.get("accept-encoding", ""):
            return FileResponse(vendor, media_type="text/javascript", headers=cache)
        body, etag = _gzipped(vendor)
        return Response(body, media_type="text/javascript",
                        headers={**cache, "Content-Encoding": "gzip", "ETag": f'"{etag}"'})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))


def docs_page(spec: dict[str, Any]) -> str:
    """A self-contained HTML page listing the operations of an OpenAPI spec."""
    e = html.escape
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(str(info.get('title', 'API')))} API</title>",
        "<link rel='icon' href='data:,'><link rel='stylesheet' href='/static/dashboard.css'>"
        "</head><body class='docs'>",
        f"<h1>{e(str(info.get('title', 'API')))} API {e(str(info.get('version', '')))}</h1>",
        f"<p>{e(str(info.get('description', '')))}</p>",
        "<p>Machine-readable spec: <a href='/openapi.json'>/openapi.json</a> "
        "(OpenAPI " + e(str(spec.get("openapi", ""))) + "). Dashboard: <a href='/'>/</a>.</p>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            parts.append(f"<section class='op'><h2><code>{e(method.upper())} {e(path)}</code>"
                         f"</h2><p>{e(str(op.get('summary', '')))}</p>")
            if op.get("description"):
                parts.append(f"<pre class='desc'>{e(str(op['description']))}</pre>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>type</th>"
                             "<th>description</th></tr>")
                for p in params:
                    schema = p.get("schema", {})
                    parts.append(f"<tr><td><code>{e(str(p.get('name')))}</code>"
                                 f"{' (required)' if p.get('required') else ''}</td>"
                                 f"<td>{e(str(p.get('in')))}</td>"
                                 f"<td>{e(_schema_text(schema))}</td>"
                                 f"<td>{e(str(p.get('description', '')))}</td></tr>")
                parts.append("</table>")
            if "requestBody" in op:
                parts.append("<p>Body: JSON, see the spec.</p>")
            parts.append("<p>Responses: " + ", ".join(
                e(str(code)) for code in op.get("responses", {})) + "</p></section>")
    parts.append("</body></html>")
    return "".join(parts)


def _schema_text(schema: dict[str, Any]) -> str:
    text = str(schema.get("type", ""))
    if "anyOf" in schema:
        text = " or ".join(_schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        text += " one of " + ", ".join(str(v) for v in schema["enum"])
    for key in ("minimum", "maximum", "pattern", "format", "default"):
        if key in schema:
            text += f" {key} {schema[key]}"
    return text.strip()
