"""What one web app holds (where the data is, its limits, lazily loaded models) and the
dependencies routers take: the state and a read-only connection per request (or, in live
mode, a cursor of the writer's own connection)."""

from __future__ import annotations

import contextlib
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


class SharedLock:
    """Many readers or one writer, in this process.

    DuckDB refuses a read-write connection to a file while the same process holds a
    read-only one (and the other way round), so the one write the server makes (a review)
    waits until no request is reading, and requests wait while it writes.  Writers go first
    once waiting, so a stream of reads cannot starve them.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting = 0

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            self._cond.wait_for(lambda: not self._writing and not self._readers)
            self._waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


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
    access: SharedLock = field(default_factory=SharedLock)

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
        with contextlib.closing(state.connector()) as con:
            yield con
        return
    with state.access.reading(), contextlib.closing(
            connect(state.db, read_only=True, external_access=False, wait=READ_WAIT)) as con:
        yield con


@contextlib.contextmanager
def writing(state: AppState) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection for the server's one write (a review): a short read-write connection
    of its own while no request of this app is reading (waiting ``READ_WAIT`` seconds for
    another process's writer, then LockedError, a 503); in live mode, a cursor of the
    writer's connection."""
    if state.connector is not None:
        with contextlib.closing(state.connector()) as con:
            yield con
        return
    with state.access.writing(), contextlib.closing(
            connect(state.db, create=False, external_access=False, wait=READ_WAIT)) as con:
        yield con


Con = Annotated[duckdb.DuckDBPyConnection, Depends(database)]
