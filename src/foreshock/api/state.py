"""What one web app holds (where the data is, its limits, lazily loaded models) and the
dependencies routers take: the state and a read-only connection per request (or, in live
mode, a cursor of the writer's own connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated

import duckdb
from fastapi import Depends, Request

from foreshock.ontology.cameo import CameoTable
from foreshock.settings import Settings
from foreshock.store.db import connect

if TYPE_CHECKING:
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.pipeline import Context

#: seconds a request waits for a writer in another process to let go of the file
READ_WAIT = 2.0
Connector = Callable[[], duckdb.DuckDBPyConnection]


@dataclass
class AppState:
    """What one app holds: where the data is, its limits, and lazily loaded models."""

    db: str
    token: str | None
    max_page: int
    max_text: int
    settings: Settings
    cameo: CameoTable
    #: each request's connection in live mode (a cursor of the writer's connection)
    connector: Connector | None = None
    #: served by ``foreshock watch``: the data grows while the page is open
    live: bool = False
    _config: AnalysisConfig | None = None
    _context: Context | None = None
    _config_lock: threading.Lock = field(default_factory=threading.Lock)
    _context_lock: threading.Lock = field(default_factory=threading.Lock)
    # spaCy pipelines are not documented as thread-safe: one document at a time
    code_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def config(self) -> AnalysisConfig:
        with self._config_lock:
            if self._config is None:
                from foreshock.alerts.config import load_config

                self._config = load_config()
            return self._config

    def context(self) -> Context:
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


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.foreshock
    return state


State = Annotated[AppState, Depends(app_state)]


def database(state: State) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one request, closed after it (a writer can take the file
    between requests), without access to other files; while another process writes the
    file it waits ``READ_WAIT`` seconds, then LockedError (a 503).  In live mode, a cursor
    of the writer's connection instead."""
    if state.connector is not None:
        con = state.connector()
    else:
        con = connect(state.db, read_only=True, external_access=False, wait=READ_WAIT)
    try:
        yield con
    finally:
        con.close()


Con = Annotated[duckdb.DuckDBPyConnection, Depends(database)]
