"""``foreshock serve``: the web API and dashboard over a database, with uvicorn."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import click

from foreshock.cli._common import ExampleCommand, database, db_option

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


WILDCARDS = {"0.0.0.0", "::", ""}


def allowed_hosts(bind: str, extra: tuple[str, ...] = ()) -> list[str]:
    """Host header values to serve: the bind address (and localhost names on loopback),
    plus ``extra``; binding every interface (0.0.0.0) serves any host unless ``extra``
    narrows it."""
    if bind in WILDCARDS:
        return list(extra) if extra else ["*"]
    hosts = [bind]
    if is_loopback(bind):
        hosts += ["localhost", "127.0.0.1", "::1"]
    return [*hosts, *extra]


def allow_host_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--allow-host", "allow_host", multiple=True, metavar="NAME",
        help="Also serve requests whose Host header is NAME (repeatable; '*' for any). "
             "By default only the bind address (and localhost on loopback) is served, "
             "which stops DNS-rebinding pages.")(fn)


@click.command("serve", cls=ExampleCommand)
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback unless you mean to share it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@click.option("--token", envvar="FORESHOCK_TOKEN", default=None,
              help="Enable POST /api/code and POST /api/reviews (the dashboard's 'mark "
                   "wrong') for clients sending this bearer token [env FORESHOCK_TOKEN; "
                   "default: both disabled].")
@click.option("--max-page", type=click.IntRange(1, 10_000), default=500, show_default=True,
              help="Most events one /api/events page may return.")
@click.option("--max-text", type=click.IntRange(1, 1_000_000), default=20_000,
              show_default=True, help="Most characters of text POST /api/code accepts.")
@allow_host_option
@click.pass_context
def serve(ctx: click.Context, db: str | None, host: str, port: int, token: str | None,
          max_page: int, max_text: int, allow_host: tuple[str, ...]) -> None:
    """Serve the dashboard (/) and the JSON API (/api/...) over a database, read-only
    (with --token, a review is written in a short connection of its own).

    The OpenAPI spec is at /openapi.json and an offline page listing it at /docs.

    Stories and alerts are those `foreshock code` stored (computed per request when
    they are out of date).
    Everything is served from this machine: no CDN, no internet.  While another
    process writes the database, requests wait briefly, then answer 503; to ingest
    and serve at once, use `foreshock watch INBOX --db FILE --serve` instead.

    Example:
        foreshock serve --db demo.duckdb --port 8000   # then open http://127.0.0.1:8000/
    """
    import uvicorn

    from foreshock.api import create_app

    settings = database(ctx, db).settings
    if token and not is_loopback(host):
        # the token travels in clear over plain HTTP: say so rather than stay silent
        click.echo(f"warning: serving on {host} over plain HTTP; the token is "
                   "sent in clear (put a TLS proxy in front)", err=True)
    app = create_app(settings.db, token=token, max_page=max_page, max_text=max_text,
                     settings=settings, allowed_hosts=allowed_hosts(host, allow_host))
    click.echo(f"serving {settings.db} on http://{host}:{port}/ (API docs: /docs; "
               f"coding and reviews {'enabled' if token else 'disabled'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)


COMMANDS = (serve,)
