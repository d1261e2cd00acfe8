"""``foreshock series | alerts | backtest | plot``: dyad series and early warning.

Thin commands over ``foreshock.analysis``, ``alerts`` and ``runners.backtest``.  ``series``,
``alerts`` and ``plot`` only read (a read-only connection): stories and alerts are stored
by ``foreshock code``, and computed in memory when what is stored is out of date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from foreshock import analysis
from foreshock.aggregate.series import Scope, SeriesRow, dyad_series
from foreshock.cli._common import (
    FORMATS,
    CommandError,
    ExampleCommand,
    console,
    database,
    db_option,
    detectors_option,
    ingest_options,
    parse_date,
)
from foreshock.cli.render import emit_rows, emit_table, progress
from foreshock.database import Database
from foreshock.records import Dyad

if TYPE_CHECKING:  # the analysis stack (datasketch, scipy) loads only when a command runs
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.runners.backtest import BacktestResult


def _when(published: object, event_date: object) -> str:
    """An evidence item's publication date, with the event date the text gives when it is
    another day ("2022-02-25 (event 2022-02-24)")."""
    if event_date is None or str(event_date) == str(published):
        return str(published)
    return f"{published} (event {event_date})"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _checked(db: Database, value: str, directed: bool = False) -> Dyad:
    """A dyad whose two codes the dictionaries (or the database) know."""
    pair = db.dyad(value, directed)
    assert pair is not None
    return pair


def series_table(rows: Sequence[SeriesRow], title: str) -> Table:
    table = Table(title=title)
    for name in ("period", "dyad", "articles", "stories", "coded", "events", "story-ev",
                 "q1/q2/q3/q4", "goldstein", "conflict", "intensity", "thin"):
        table.add_column(name, justify="left" if name in ("period", "dyad") else "right")
    for r in rows:
        table.add_row(str(r.period), r.dyad, str(r.articles), str(r.stories),
                      str(r.all_story_events), str(r.events), str(r.story_events),
                      f"{r.q1}/{r.q2}/{r.q3}/{r.q4}",
                      "" if r.goldstein_mean is None else f"{r.goldstein_mean:+.2f}",
                      _pct(r.conflict_share), _pct(r.intensity_rate), "thin" if r.thin else "")
    return table


def print_backtest(console: Console, result: BacktestResult, evidence: int) -> None:
    spec = result.spec
    seconds = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
    check = ("not run" if result.mismatches is None else
             "identical" if result.mismatches == 0 else f"{result.mismatches} DIFFER")
    console.print(f"[bold]{result.scope_name}[/bold]: {result.articles} articles, "
                  f"{result.stories} stories, {result.first_day} .. {result.last_day} "
                  f"({result.days} days, {result.judged_days} with enough volume and "
                  f"history to judge); onset {spec.onset}; mode {spec.mode}; "
                  f"replay vs single pass: {check}; {seconds}")
    table = Table(title="dyads (an alert is an episode: detector firings on one dyad within "
                        "episode_days of each other)")
    for name in ("dyad", "story-events", "conflict", "alerts", "firings", "first alert",
                 "lead days", "alerts before onset"):
        table.add_column(name, justify="left" if name == "dyad" else "right")
    for d in result.dyads:
        name = f"[bold]{d.dyad}[/bold]" if d.focus else d.dyad
        table.add_row(name, str(d.story_events), str(d.conflict_events), str(d.alerts),
                      str(d.firings), str(d.first_alert or "-"),
                      "-" if d.lead_days is None else str(d.lead_days),
                      str(d.alerts_before_onset))
    console.print(table)
    for dyad, rows in result.weeks.items():
        fired: dict[dt.date, list[str]] = {}
        for a in result.alerts:
            if a.dyad == dyad:
                week = a.date - dt.timedelta(days=a.date.weekday())
                fired.setdefault(week, []).append(f"{a.detector} {a.date:%m-%d}")
        weekly = Table(title=f"{dyad} by week, with the corpus volume beside the signal")
        for name in ("week", "articles", "stories", "coded", "dyad story-ev", "conflict",
                     "intensity", "thin", "alerts"):
            weekly.add_column(name, justify="left" if name in ("week", "alerts") else "right")
        for r in rows:
            weekly.add_row(str(r.period), str(r.articles), str(r.stories),
                           str(r.all_story_events), str(r.story_events), str(r.q3 + r.q4),
                           _pct(r.intensity_rate), "thin" if r.thin else "",
                           ", ".join(fired.get(r.period, [])))
        console.print(weekly)
    others = [a for a in result.alerts if a.dyad not in spec.focus]
    console.print(f"\n[bold]alerts on other dyads[/bold] ({len(others)}; read them: "
                  "escalation elsewhere, or a false alarm?)")
    for a in others:
        episode = ("new alert" if a.episode_start == a.date
                   else f"same alert as {a.episode_start}")
        console.print(f"  {a.date} {a.dyad} {a.kind}, {episode}: {a.explanation}",
                      soft_wrap=True, markup=False)
        for e in a.evidence[:evidence]:
            console.print(f"      {_when(e.date, e.event_date)} {e.source}->{e.target} {e.code} "
                          f"[{e.num_articles} art/{e.num_sources} src] {e.sentence.strip()}",
                          soft_wrap=True, markup=False)


def _plot_rows(con: Any, config: AnalysisConfig, dyad: Dyad, corpora: tuple[str, ...],
               until: dt.date | None) -> tuple[list[SeriesRow], list[Any]]:
    """Weekly rows and alerts of one dyad over the whole database or some corpora (read
    only: stories and alerts out of date are computed in memory)."""
    from foreshock.aggregate.plot import Marker
    from foreshock.alerts.run import weights_of
    from foreshock.runners.backtest import (
        MEMBERS,
        register_scope,
        scope_article_ids,
        single_pass,
    )
    from foreshock.stories.store import scope_members

    if not corpora:
        found, _ = analysis.alert_rows(con, config, dyad=dyad, until=until)
        markers = [Marker(a["date"], a["detector"], a["score"]) for a in found]
        rows, _ = analysis.series_rows(con, config, dyad=dyad, freq="week", until=until)
        return rows, markers
    members = [(m, o) for m, o in scope_members(con, config.stories,
                                                 scope_article_ids(con, corpora))
               if until is None or m.date <= until]
    markers = [Marker(a.date, a.detector, a.score)
               for a in single_pass(con, members, config, until=until) if a.dyad == dyad.key]
    register_scope(con, members, config)
    scope = Scope(MEMBERS, until=until, exclude_actors=config.series.exclude_actors)
    rows = dyad_series(con, scope, weights_of(config), freq="week", dyad=dyad.key,
                       directed=dyad.directed,
                       min_support=config.series.min_window_events)
    return rows, markers


exclude_reviewed_option = click.option(
    "--exclude-reviewed", is_flag=True,
    help="Compute without the events a reviewer marked wrong (the dashboard's 'mark "
         "wrong', Database.review); in memory, nothing stored changes.  Refused with a "
         "backtest --scope, whose alerts are read as stored.")


@click.command("series", cls=ExampleCommand)
@db_option
@click.option("--dyad", default=None, help="Two actor codes, e.g. RUS-UKR (all if absent).")
@click.option("--directed", is_flag=True, help="Source->target only (RUS>UKR).")
@click.option("--freq", type=click.Choice(["day", "week"]), default="week",
              help="Period length [default: week].")
@click.option("--since", callback=parse_date, default=None, help="First period (YYYY-MM-DD).")
@click.option("--until", callback=parse_date, default=None,
              help="Ignore everything published after this day (YYYY-MM-DD).")
@click.option("--format", "fmt", type=FORMATS, default="table", help="Output format.")
@exclude_reviewed_option
@detectors_option
@click.pass_context
def series(ctx: click.Context, db: str | None, dyad: str | None, directed: bool,
           freq: str, since: dt.date | None, until: dt.date | None, fmt: str,
           exclude_reviewed: bool, detectors: str | None) -> None:
    """Dyad series per day or week: story-weighted counts per QuadClass, Goldstein sum
    and mean, conflict share and intensity, with the corpus volume of each period.

    Only asserted events count; a story reprinted by many outlets counts once
    (events is the raw article-level count).  Thin periods are flagged.

    Example:
        foreshock series --dyad RUS-UKR --freq week --format csv > rus_ukr.csv
    """
    store = database(ctx, db, detectors=detectors)
    pair = _checked(store, dyad, directed) if dyad else None
    with store.reading() as con:
        rows, stored = analysis.series_rows(con, store.config, dyad=pair, freq=freq,
                                            directed=directed, since=since, until=until,
                                            exclude_reviewed=exclude_reviewed)
    if not rows:
        name = pair.key if pair else "any dyad"
        click.echo(f"note: no series rows for {name} (no asserted events between them"
                   f"{' in this period' if since or until else ''})", err=True)
    if fmt == "table":
        console().print(series_table(rows, f"{pair.key if pair else 'all dyads'} per {freq}"))
    else:
        emit_table(analysis.series_table(rows), fmt, console())
    if not stored and not exclude_reviewed:
        click.echo("note: stories were computed in memory (articles were added since "
                   "`foreshock code` stored them)", err=True)


@click.command("alerts", cls=ExampleCommand)
@db_option
@click.option("--since", callback=parse_date, default=None, help="Alerts from this day on.")
@click.option("--until", callback=parse_date, default=None, help="Alerts up to this day.")
@click.option("--dyad", default=None, help="Only this dyad, e.g. RUS-UKR.")
@click.option("--scope", default="all", show_default=True,
              help="Which alerts: 'all' (the whole database) or a backtest scope name.")
@click.option("--refresh", is_flag=True, help="Recompute (in memory) even if nothing changed.")
@click.option("--evidence", type=click.IntRange(0), default=2, show_default=True,
              help="Evidence sentences printed per alert (table format).")
@click.option("--format", "fmt", type=FORMATS, default="table",
              help="Output format (csv writes the evidence as JSON text).")
@exclude_reviewed_option
@detectors_option
@click.pass_context
def alerts(ctx: click.Context, db: str | None, since: dt.date | None,
           until: dt.date | None, dyad: str | None, scope: str, refresh: bool,
           evidence: int, fmt: str, exclude_reviewed: bool, detectors: str | None) -> None:
    """Early-warning alerts per dyad with the events (and sentences) behind them.

    Alerts are stored by `foreshock code`; when the coded data or the detector parameters
    changed since, they are recomputed in memory (nothing is written).

    Example:
        foreshock alerts --since 2021-12-01 --dyad RUS-UKR --evidence 3
    """
    store = database(ctx, db, detectors=detectors)
    pair = _checked(store, dyad) if dyad else None
    with store.reading() as con:
        rows, stored = analysis.alert_rows(con, store.config, scope=scope, dyad=pair,
                                           since=since, until=until, refresh=refresh,
                                           exclude_reviewed=exclude_reviewed)
    if fmt != "table":
        emit_rows([{k: r[k] for k in analysis.ALERT_FIELDS} for r in rows], fmt,
                  analysis.ALERT_SCHEMA, console())
        return
    out = console()
    state = ("as stored" if stored else "computed in memory without the events reviewed as "
             "wrong" if exclude_reviewed else "computed in memory (the stored ones are out "
             "of date)")
    out.print(f"{len(rows)} alerts in scope {scope}, {state}")
    for a in rows:
        state = ("new" if a["episode_start"] == a["date"]
                 else f"continues the alert of {a['episode_start']}")
        out.print(f"[bold]{a['date']} {a['dyad']} {a['kind']}[/bold] ({state})",
                  soft_wrap=True)
        out.print(f"    {a['explanation']}", soft_wrap=True, markup=False)
        for e in a["evidence"][:evidence]:
            out.print(f"    {_when(e['date'], e.get('event_date'))} "
                      f"{e['source']}->{e['target']} {e['code']} "
                      f"[{e['num_articles']} art/{e['num_sources']} src] "
                      f"{e['sentence'].strip()}", soft_wrap=True, markup=False)


@click.command("backtest", cls=ExampleCommand)
@click.argument("corpora", nargs=-1, required=True)
@click.option("--onset", callback=parse_date, required=True,
              help="The day the crisis broke out (YYYY-MM-DD): lead times count to it.")
@click.option("--dyad", "dyads", multiple=True,
              help="Dyad whose lead time is the point (repeatable), e.g. RUS-UKR.")
@click.option("--until", callback=parse_date, default=None, help="Last day replayed.")
@click.option("--mode", type=click.Choice(["replay", "single"]), default="replay",
              help="replay: day by day, data up to each day only [default]; "
                   "single: one causal pass.")
@click.option("--verify/--no-verify", default=True,
              help="Also run the other mode and report differences [default: verify].")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False), default=None,
              help="Write a PNG of the first --dyad's weekly series here.")
@click.option("--evidence", type=click.IntRange(0), default=3, show_default=True,
              help="Evidence sentences printed per alert on other dyads.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              help="Output format.")
@ingest_options
@db_option
@detectors_option
@click.pass_context
def backtest(ctx: click.Context, corpora: tuple[str, ...], onset: dt.date,
             dyads: tuple[str, ...], until: dt.date | None, mode: str, verify: bool,
             plot_path: str | None, evidence: int, fmt: str,
             default_date: dt.date | None, columns: dict[str, str], on_conflict: str,
             db: str | None, detectors: str | None) -> None:
    """Replay CORPORA day by day (only what was published up to each day) and report,
    per dyad, the first alert, the lead time before --onset and every alert raised.

    The corpora are ingested and coded first if they are not yet (that is the slow
    part; it is done once).  Only articles from CORPORA take part, so one database
    can hold several corpora and backtest them alone or together.

    Example:
        foreshock backtest ../shared/data/wh_briefings --onset 2022-02-24 \\
            --dyad RUS-UKR --db /tmp/crisis.duckdb --plot rus_ukr.png
    """
    from foreshock.aggregate.plot import Marker, render_plot
    from foreshock.cli.pipeline import do_code, do_ingest
    from foreshock.runners.backtest import BacktestSpec, result_dict, run_backtest

    store = database(ctx, db, create=True, detectors=detectors)
    out = console(stderr=fmt == "json")
    do_ingest(out, store, corpora, default_date, columns, "backtest", on_conflict)
    do_code(out, store, "backtest", analyze=False)
    focus = tuple(_checked(store, d).key for d in dyads)
    with store.writing() as con, progress("replay", "days") as update:
        result = run_backtest(con, BacktestSpec(
            onset=onset, focus=focus, corpora=corpora, until=until, mode=mode,
            verify=verify), store.config, progress=update)
    if plot_path and focus:
        dyad = focus[0]
        markers = [Marker(a.date, a.detector, a.score) for a in result.alerts
                   if a.dyad == dyad]
        report = result.report_for(dyad)
        lead = (f"first alert {report.first_alert}, {report.lead_days} days before onset"
                if report and report.lead_days is not None else "no alert before onset")
        render_plot(result.weeks.get(dyad, ()), markers, plot_path, onset=onset,
                    title=f"{dyad}: {result.scope_name} ({lead})")
    if fmt == "json":
        click.echo(json.dumps(result_dict(result), indent=1, default=str))
    else:
        print_backtest(console(), result, evidence)
        if plot_path and focus:
            console().print(f"plot written to {plot_path}")


@click.command("plot", cls=ExampleCommand)
@db_option
@click.option("--dyad", required=True, help="Two actor codes, e.g. RUS-UKR.")
@click.option("--directed", is_flag=True, help="Source->target only (RUS>UKR).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="PNG file to write.")
@click.option("--onset", callback=parse_date, default=None, help="Draw this day as the onset.")
@click.option("--until", callback=parse_date, default=None,
              help="Ignore everything published after this day.")
@click.option("--corpus", "corpora", multiple=True,
              help="Only articles from this corpus path (repeatable) [default: all].")
@detectors_option
@click.pass_context
def plot(ctx: click.Context, db: str | None, dyad: str, directed: bool, output: str,
         onset: dt.date | None, until: dt.date | None, corpora: tuple[str, ...],
         detectors: str | None) -> None:
    """Plot a dyad's weekly conflict intensity with alert markers, the onset line and
    the corpus volume per week, as a PNG.

    Example:
        foreshock plot --dyad RUS-UKR --onset 2022-02-24 -o rus_ukr.png
    """
    from foreshock.aggregate.plot import render_plot

    store = database(ctx, db, detectors=detectors)
    pair = _checked(store, dyad, directed)
    with store.reading() as con:
        rows, markers = _plot_rows(con, store.config, pair, corpora, until)
    if not rows:
        raise CommandError(
            f"no asserted events between {pair.a} and {pair.b} in {store.path}"
            f"{' from ' + ', '.join(corpora) if corpora else ''}: nothing to plot "
            f"(see `foreshock events --db {store.path} --dyad {pair.key}`)")
    where = " + ".join(corpora) if corpora else store.path
    render_plot(rows, markers, output, onset=onset, title=f"{pair.key}: {where}")
    console().print(f"{output}: {len(rows)} weeks, {len(markers)} alerts")


COMMANDS = (series, alerts, backtest, plot)
