"""``foreshock watch``: live mode, where one process owns the database.

It ingests what arrives in inbox folders, codes it, keeps stories and alerts current and,
with ``--serve``, serves the dashboard and API from the same process: the requests read
through cursors of the writing connection, so reads and writes never fight over the file
(two processes, a ``serve`` and an ``ingest``, do).
"""

from __future__ import annotations

import datetime as dt
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import duckdb

from foreshock.cli._common import (
    ExampleCommand,
    db_option,
    detectors_option,
    ingest_options,
    settings_of,
)
from foreshock.cli.outcome import is_interrupt
from foreshock.cli.serve import allow_host_option, allowed_hosts, is_loopback
from foreshock.errors import Interrupted


@click.command("watch", cls=ExampleCommand)
@click.argument("inboxes", nargs=-1, required=True,
                type=click.Path(file_okay=False, exists=True))
@db_option
@ingest_options
@click.option("--serve", "serve_too", is_flag=True,
              help="Also serve the dashboard and API from this process.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="With --serve: address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="With --serve: port to listen on.")
@click.option("--token", envvar="FORESHOCK_TOKEN", default=None,
              help="With --serve: enable POST /api/code for this bearer token.")
@allow_host_option
@click.option("--interval", type=click.FloatRange(0.1), default=2.0, show_default=True,
              help="Seconds between looks at the inboxes.")
@click.option("--settle", type=click.FloatRange(0), default=1.0, show_default=True,
              help="A new file is read once unchanged for this many seconds (JSON "
                   "Lines files: their complete lines are read as they grow).")
@click.option("--once", is_flag=True,
              help="Read, code and analyse what is there now, then exit.")
@detectors_option
@click.pass_context
def watch(ctx: click.Context, inboxes: tuple[str, ...], db: str | None,
          default_date: dt.date | None, columns: dict[str, str], on_conflict: str,
          serve_too: bool, host: str, port: int, token: str | None,
          allow_host: tuple[str, ...], interval: float, settle: float, once: bool,
          detectors: str | None) -> None:
    """Live mode: ingest, code and analyse what arrives in INBOX folders, and serve.

    One process owns the database (creating it if needed): new files in the inboxes
    (and new lines appended to JSON Lines files) are ingested, coded, clustered into
    stories and checked for alerts as they come; with --serve the dashboard (which
    shows new alerts without a reload) and the API answer from the same process, so
    reads and writes never wait for each other.  Stop it with Ctrl-C and start it again
    at any time (SIGTERM stops it like Ctrl-C): it goes on where it stopped, with nothing
    lost or stored twice.

    Example:
        foreshock watch inbox/ --db live.duckdb --serve --port 8000
    """
    from foreshock.alerts.config import load_config
    from foreshock.pipeline import load_context
    from foreshock.runners.watch import Watcher, WatchOptions
    from foreshock.store.db import connect

    settings = settings_of(ctx, db=db)
    config = load_config(detectors)
    restore = _stop_on_sigterm()
    con = connect(settings.db)
    echo = _echo
    try:
        echo(f"loading the language model ({settings.model}) ...")
        context = load_context(settings)
        options = WatchOptions(inboxes, interval=interval, settle=settle,
                               default_date=default_date, csv_columns=columns or None,
                               on_conflict=on_conflict)
        watcher = Watcher(con, settings, options, context, config, log=echo)
        stop = threading.Event()
        with _serving(con, settings, serve_too, host, port, token,
                      allowed_hosts(host, allow_host), is_loopback(host)):
            echo(f"watching {', '.join(inboxes)} into {settings.db} every {interval:g}s"
                 + ("" if once else " (Ctrl-C stops)"))
            try:
                if once:
                    watcher.cycle()
                else:
                    watcher.run(stop)
            except BaseException as exc:
                if not is_interrupt(exc):
                    raise
                stop.set()
                raise _stopped(watcher) from None
        _summary(watcher)
    finally:
        con.close()
        restore()


COMMANDS = (watch,)


def _stop_on_sigterm() -> Callable[[], None]:
    """A service manager stops a watcher with SIGTERM: treat it as Ctrl-C (say what was
    kept), rather than dying mid-cycle (harmless too, but silent).  Returns what puts the
    previous handler back (the command may run inside a longer-lived process)."""

    def interrupt(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore


def _echo(message: str) -> None:
    click.echo(message, err=True)


def _stopped(watcher: Any) -> Interrupted:
    counts = watcher.counts()
    return Interrupted(
        f"stopped: this session stored {counts['added']} new articles, quarantined "
        f"{counts['quarantined']} records and coded {counts['coded']} articles; everything "
        "it finished is kept. Run the same command again to go on where it stopped.")


def _summary(watcher: Any) -> None:
    counts = watcher.counts()
    click.echo(f"watched {counts['cycles']} cycle(s): {counts['read']} records read, "
               f"{counts['added']} new articles, {counts['duplicates']} already stored, "
               f"{counts['quarantined']} quarantined; {counts['coded']} coded into "
               f"{counts['events']} events; {counts['alerts']} alerts")


@contextmanager
def _serving(con: duckdb.DuckDBPyConnection, settings: Any, enabled: bool, host: str,
             port: int, token: str | None, hosts: list[str], loopback: bool) -> Iterator[None]:
    """The web app in a thread of this process, reading through cursors of ``con``."""
    if not enabled:
        yield
        return
    import uvicorn

    from foreshock.api import create_app

    root = con.cursor()  # used only to open request cursors, one thread at a time
    lock = threading.Lock()

    def connector() -> duckdb.DuckDBPyConnection:
        with lock:
            return root.cursor()

    if token and not loopback:
        _echo(f"warning: serving on {host} over plain HTTP; the token is sent in "
              "clear (put a TLS proxy in front)")
    app = create_app(settings.db, token=token, settings=settings, connector=connector,
                     allowed_hosts=hosts, live=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                           server_header=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True, name="foreshock-serve")
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    if not server.started:
        raise click.ClickException(f"the server did not start on {host}:{port} (is the "
                                   "port in use?)")
    _echo(f"serving {settings.db} on http://{host}:{port}/ (live; API docs: /docs)")
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(10)
        root.close()

