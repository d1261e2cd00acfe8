"""``foreshock ingest | code | run | demo``: news into the database, coded.

Ctrl-C keeps what was stored and says so (``cli/outcome.py``); ``main`` exits with 130."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import click
from rich.console import Console

from foreshock.cli._common import (
    ExampleCommand,
    console,
    database,
    db_option,
    engine_options,
    ingest_options,
)
from foreshock.cli.outcome import (
    code_interrupted,
    ingest_interrupted,
    ingest_summary,
    is_interrupt,
)
from foreshock.cli.render import progress
from foreshock.database import CodeOutcome, Database
from foreshock.ontology.cameo import QUAD_NAMES
from foreshock.ontology.tsv import data_path
from foreshock.runners.ingest import IngestReport
from foreshock.runners.local import CodeReport


def do_ingest(out: Console, db: Database, inputs: tuple[str, ...],
              default_date: dt.date | None, columns: dict[str, str], command: str,
              on_conflict: str = "quarantine") -> IngestReport:
    report = IngestReport()
    try:
        with progress("ingest", "records") as update:
            db.ingest(list(inputs), date=default_date, columns=columns or None,
                      command=command, progress=update, on_conflict=on_conflict,
                      report=report, read_progress=update.reading)
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        raise ingest_interrupted(report) from None
    out.print(ingest_summary(report), soft_wrap=True, markup=False)
    problems = report.problems(skipped_files=False)
    if problems:
        out.print("\n".join(problems), markup=False, soft_wrap=True)
        out.print(f"(`foreshock quarantine --db {db.path}` lists every quarantined record)",
                  markup=False)
    return report


def do_code(out: Console, db: Database, command: str, engine: str = "local",
            workers: int = 1, scheduler: str | None = None, analyze: bool = True
            ) -> CodeOutcome:
    coded = CodeReport()
    try:
        with progress("code", "articles") as update:
            outcome = db.code_pending(engine=engine, workers=workers, scheduler=scheduler,
                                      command=command, progress=update, status=update.status,
                                      analyze=False, report=coded)
        if analyze and (coded.articles or not db.analysis_current()):
            # a stage of its own: its count (articles clustered) and steps, not the coder's
            with progress("stories and alerts", "articles") as update:
                stored = db.analyze(progress=update, status=update.status)
            outcome = replace(outcome, analysis=stored)
    except BaseException as exc:
        if not is_interrupt(exc):
            raise
        try:
            left: int | None = db.pending()
        except Exception:  # the interrupt is the news; the count is a courtesy
            left = None
        raise code_interrupted(coded, left) from None
    report = outcome.coding
    rate = report.articles / report.seconds if report.seconds else 0.0
    wrate = report.words / report.seconds if report.seconds else 0.0
    out.print(f"coded {report.articles} articles ({report.words} words) into "
              f"{report.events} events in {report.seconds:.1f}s "
              f"({rate:.1f} articles/s, {wrate:.0f} words/s); {report.problems} problems")
    if outcome.analysis is not None:
        out.print(f"stories and alerts stored: {outcome.analysis.alerts} alerts")
    return outcome


def print_summary(out: Console, db: Database) -> None:
    s = db.summary()
    out.print(f"\n[bold]{db.path}[/bold]: {s.articles} articles, {s.quarantined} quarantined, "
              f"{s.events} events ({', '.join(f'{k} {v}' for k, v in s.by_modality.items())})")
    out.print("asserted events by QuadClass:")
    for quad in (1, 2, 3, 4):
        out.print(f"  {quad} {QUAD_NAMES[quad]:<22} {s.by_quad.get(quad, 0):>6}")
    out.print("top dyads (asserted events, Goldstein sum):")
    for a, b, n, g in s.top_dyads:
        out.print(f"  {a}-{b:<8} {n:>5}  {g:+8.1f}")
    if s.conflict_dyad:
        a, b, n, g = s.conflict_dyad
        out.print(f"most conflictual dyad: [bold]{a}-{b}[/bold] ({n} events, "
                  f"Goldstein sum {g:+.1f}); evidence:")
        for e in s.evidence:
            out.print(f"  {e['date']} {e['source']}->{e['target']} {e['code']} "
                      f"({e['goldstein']:+.1f}): {e['sentence']}", soft_wrap=True)


@click.command(cls=ExampleCommand)
@click.argument("inputs", nargs=-1, required=True)
@ingest_options
@db_option
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], default_date: dt.date | None,
           columns: dict[str, str], on_conflict: str, db: str | None) -> None:
    """Read articles (text, JSONL, CSV, directories, .gz, - for stdin) into the database.

    Bad records go to the quarantine table with file, line and reason (see them with
    `foreshock quarantine`); the rest go on, and the summary accounts for every record
    read and every file not read.  Ingesting the same input twice adds nothing, but fills
    in a title, link or outlet the stored articles lack; a stored id arriving with other
    text is a conflict (see --on-conflict).  Exits with status 2, the reasons and a hint
    when no article could be stored; Ctrl-C keeps what was stored (exit 130).  Progress
    on stderr (a bar on a terminal, a line at least every second when piped): records
    read, rate, and an ETA from the bytes read of the files (ETA ? for stdin).

    Example:
        foreshock ingest news/ extra.jsonl.gz --db crisis.duckdb --date 2022-02-01
    """
    do_ingest(console(), database(ctx, db, create=True), inputs, default_date, columns,
              "ingest", on_conflict)


@click.command(cls=ExampleCommand)
@db_option
@engine_options
@click.pass_context
def code(ctx: click.Context, db: str | None, engine: str, workers: int,
         scheduler: str | None) -> None:
    """Code every article not yet coded by this extractor version into events, then store
    stories and alerts.  The database must exist (`foreshock ingest` makes it).  Progress
    on stderr (a bar on a terminal, a line at least every second when piped): articles
    coded, then articles clustered into stories and each step of the alerts.

    Example:
        foreshock code --db crisis.duckdb --engine dask --workers 2
    """
    do_code(console(), database(ctx, db), "code", engine, workers, scheduler)


@click.command(cls=ExampleCommand)
@click.argument("inputs", nargs=-1, required=True)
@ingest_options
@db_option
@engine_options
@click.pass_context
def run(ctx: click.Context, inputs: tuple[str, ...], default_date: dt.date | None,
        columns: dict[str, str], on_conflict: str, db: str | None, engine: str, workers: int,
        scheduler: str | None) -> None:
    """Ingest INPUTS, code them, and print a summary (progress on stderr as `ingest` and
    `code` show it).

    Example:
        foreshock run ../shared/data/wh_briefings/wh_briefings_2021-09_2022-03.jsonl
    """
    store = database(ctx, db, create=True)
    out = console()
    do_ingest(out, store, inputs, default_date, columns, "run", on_conflict)
    do_code(out, store, "run", engine, workers, scheduler)
    print_summary(out, store)


@click.command(cls=ExampleCommand)
@db_option
@click.pass_context
def demo(ctx: click.Context, db: str | None) -> None:
    """Run the bundled demo corpus (a fictionalised 2021-22 crisis) and print a summary.

    Example:
        foreshock demo --db demo.duckdb
    """
    store = database(ctx, db or "demo.duckdb", create=True)
    out = console()
    do_ingest(out, store, (str(data_path("demo")),), None, {}, "demo")
    do_code(out, store, "demo")
    print_summary(out, store)


COMMANDS = (ingest, code, run, demo)
