"""What every command shares: settings from the group's options, the database options,
argument callbacks, the help format and error display.  Command modules import this;
nothing here imports a command module (``cli/main.py`` assembles the group)."""

from __future__ import annotations

import datetime as dt
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import click
from rich.console import Console

from foreshock.database import Database, open_database
from foreshock.errors import ForeshockError, Interrupted
from foreshock.settings import Settings, load_settings

FORMATS = click.Choice(["table", "csv", "jsonl", "json"])
FIELDS = ("text", "date", "id", "title", "url", "source")

PETRARCH_SETS = {
    # the file names of the public PETRARCH2 distribution, as its own config lists them
    "phoenix": ("CAMEO.2.0.txt", ("Phoenix.Countries.actors.txt",
                                  "Phoenix.International.actors.txt",
                                  "Phoenix.MilNonState.actors.txt"), "Phoenix.agents.txt"),
    "validate": ("PETR.Validate.verbs.txt", ("PETR.Validate.actors.txt",),
                 "PETR.Validate.agents.txt"),
}


class CommandError(click.ClickException):
    """A ForeshockError shown as ``error: E0xx …`` with exit status 2."""

    exit_code = 2

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class ExampleCommand(click.Command):
    """Keeps the 'Example:' paragraph of a docstring as written (no rewrapping), and shows
    Foreshock's own errors as ``error: E0xx …`` (exit 2) instead of a traceback."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = inspect.cleandoc(self.help or "")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.help or ""
        formatter.write_paragraph()
        for line in text.strip().splitlines():
            formatter.write(f"  {line.strip() if not line.startswith('    ') else line}\n")

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except Interrupted:
            raise  # not an error: ``main`` prints what was kept and exits with 130
        except ForeshockError as exc:
            raise CommandError(str(exc)) from exc


def settings_of(ctx: click.Context, **overrides: Any) -> Settings:
    """Settings from the group's options (``--config``, ``--model``, ``--petrarch`` …) and
    the command's own overrides."""
    obj = ctx.find_root().params
    folder = obj.get("petrarch")
    if folder:
        verbs, actor_files, agents = PETRARCH_SETS[obj.get("petrarch_set") or "phoenix"]
        base = Path(folder)
        missing = [n for n in (verbs, *actor_files, agents) if not (base / n).exists()]
        if missing:
            raise click.BadParameter(f"{folder}: missing {', '.join(missing)}",
                                     param_hint="--petrarch")
        overrides.setdefault("petrarch_verbs", str(base / verbs))
        overrides.setdefault("petrarch_actors", tuple(str(base / a) for a in actor_files))
        overrides.setdefault("petrarch_agents", str(base / agents))
    overrides.setdefault("coder", obj.get("coder"))
    overrides.setdefault("model_dir", obj.get("classifier"))
    try:
        return load_settings(obj.get("config"), model=obj.get("model"),
                             lexicon=obj.get("lexicon"), **overrides)
    except ForeshockError as exc:
        raise CommandError(str(exc)) from exc


def database(ctx: click.Context, db: str | None, *, create: bool = False,
             detectors: str | None = None) -> Database:
    """The database of ``--db`` (default ./foreshock.duckdb); missing is E040 unless
    ``create`` (only commands that store input create one)."""
    settings = settings_of(ctx, db=db)
    try:
        return open_database(settings.db, create=create, detectors=detectors,
                             settings=settings)
    except ForeshockError as exc:
        raise CommandError(str(exc)) from exc


def parse_date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    """A ``YYYY-MM-DD`` option, held to the plausible range of news dates: the one date
    check of files, options and the API (``normalize.dates``)."""
    from foreshock.normalize.dates import parse_date_option

    if value is None:
        return None
    try:
        return parse_date_option(value)
    except ValueError as exc:  # DateRangeError (E006)
        raise click.BadParameter(str(exc)) from None


def parse_columns(_: click.Context, __: click.Parameter, value: tuple[str, ...]
                  ) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in value:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: expected FIELD=COLUMN, e.g. text=body")
        key, column = item.split("=", 1)
        if key not in FIELDS:
            raise click.BadParameter(f"{key!r}: fields are {', '.join(FIELDS)}")
        mapping[key] = column
    return mapping


db_option = click.option("--db", default=None, help="DuckDB file [default: ./foreshock.duckdb].")
detectors_option = click.option(
    "--detectors", "detectors", type=click.Path(dir_okay=False, exists=True), default=None,
    help="Analysis parameters (TOML) [default: the bundled data/alerts/detectors.toml].")


def ingest_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--date", "default_date", callback=parse_date, default=None,
                      help="Date for records without one (YYYY-MM-DD).")(fn)
    fn = click.option("--column", "columns", multiple=True, callback=parse_columns,
                      help="Field mapping FIELD=COLUMN for CSV columns or JSON keys "
                           "(repeatable), e.g. text=title.")(fn)
    fn = click.option("--on-conflict", type=click.Choice(["quarantine", "keep", "replace"]),
                      default="quarantine", show_default=True,
                      help="A stored id arriving with other text: quarantine the new "
                           "record, keep the stored one, or replace it.")(fn)
    return fn


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                      help="Where to code: this machine's processes, or a Dask cluster.")(fn)
    fn = click.option("--workers", type=click.IntRange(1), default=1,
                      help="Processes (local) or workers of a local Dask cluster.")(fn)
    fn = click.option("--scheduler", default=None,
                      help="Address of a running Dask scheduler (with --engine dask).")(fn)
    return fn


def console(stderr: bool = False) -> Console:
    # in a pipe rich assumes 80 columns, too narrow for tables: give them room
    wide = None if (sys.stderr if stderr else sys.stdout).isatty() else 200
    return Console(highlight=False, width=wide, stderr=stderr)
