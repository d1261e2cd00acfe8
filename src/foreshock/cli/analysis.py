"""``foreshock series | alerts | backtest | plot``: dyad series and early warning.

Thin commands over ``aggregate``, ``alerts`` and ``runners.backtest``.  Each opens the
database for writing because stories (and stale alerts) are brought up to date first:
after ``foreshock code`` re-codes with a new extractor, these commands just work.
"""

from __future__ import annotations

import datetime as dt
import inspect
import json
import math
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Table

from foreshock.aggregate.series import SERIES_FIELDS, Scope, SeriesRow, dyad_key, dyad_series
from foreshock.store.queries import parse_dyad

if TYPE_CHECKING:  # the analysis stack (datasketch, scipy) loads only when a command runs
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.runners.backtest import BacktestResult

FORMATS = click.Choice(["table", "csv", "jsonl", "json"])
ALERT_FIELDS = ("date", "dyad", "detector", "signal", "score", "threshold", "value",
                "baseline", "window_events", "window_articles", "dyad_events",
                "episode_start", "evidence")


def _dyad(value: str | None, directed: bool) -> str | None:
    if value is None:
        return None
    try:
        a, b = parse_dyad(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--dyad") from None
    return dyad_key(a, b, directed or ">" in value)


def _when(published: object, event_date: object) -> str:
    """An evidence item's publication date, with the event date the text gives when it is
    another day ("2022-02-25 (event 2022-02-24)")."""
    if event_date is None or str(event_date) == str(published):
        return str(published)
    return f"{published} (event {event_date})"


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _console(stderr: bool = False) -> Console:
    # in a pipe rich assumes 80 columns, too narrow for these tables: give them room
    wide = None if sys.stdout.isatty() else 200
    return Console(highlight=False, width=wide, stderr=stderr)


def _tidy(command: click.Command) -> None:
    """Dedent the docstring so ExampleCommand prints the Example: paragraph as written."""
    command.help = inspect.cleandoc(command.help or "")


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


def _emit(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    from foreshock.cli.render import emit_rows

    emit_rows(rows, fmt, columns, _console())


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
        console.print(f"  {a.date} {a.dyad} {a.detector} score {a.score:.1f}, {episode} "
                      f"(share {_pct(a.value)} vs baseline {_pct(a.baseline)}; window: "
                      f"{a.window_articles} articles, {a.window_events} coded story-events, "
                      f"{a.dyad_events} of this dyad)", soft_wrap=True, markup=False)
        for e in a.evidence[:evidence]:
            console.print(f"      {_when(e.date, e.event_date)} {e.source}->{e.target} {e.code} "
                          f"[{e.num_articles} art/{e.num_sources} src] {e.sentence.strip()}",
                          soft_wrap=True, markup=False)


def _plot_rows(con: Any, config: AnalysisConfig, dyad: str, corpora: tuple[str, ...],
               until: dt.date | None) -> tuple[list[SeriesRow], list[Any]]:
    """Weekly rows and alerts of one dyad over the whole database or some corpora."""
    from foreshock.aggregate.plot import Marker
    from foreshock.alerts.run import load_alerts, refresh_alerts, weights_of
    from foreshock.runners.backtest import (
        MEMBERS,
        register_scope,
        scope_members,
        single_pass,
    )

    weights = weights_of(config)
    exclude = config.series.exclude_actors
    if not corpora:
        refresh_alerts(con, config)
        scope = Scope(until=until, exclude_actors=exclude)
        markers = [Marker(a["date"], a["detector"], a["score"])
                   for a in load_alerts(con, dyad=dyad, until=until)]
    else:
        members = scope_members(con, corpora, config, until)
        markers = [Marker(a.date, a.detector, a.score)
                   for a in single_pass(con, members, config, until=until) if a.dyad == dyad]
        register_scope(con, members, config)
        scope = Scope(MEMBERS, until=until, exclude_actors=exclude)
    rows = dyad_series(con, scope, weights, freq="week", dyad=dyad, directed=">" in dyad,
                       min_support=config.series.min_window_events)
    return rows, markers


def load_config(path: str | None) -> AnalysisConfig:
    from foreshock.alerts.config import load_config as load

    return load(path)


def register(cli: click.Group) -> None:
    from foreshock.cli.main import ExampleCommand, _columns, _date, _settings, db_option

    detectors_option = click.option(
        "--detectors", "detectors", type=click.Path(dir_okay=False, exists=True), default=None,
        help="Analysis parameters (TOML) [default: the bundled data/alerts/detectors.toml].")

    @cli.command("series", cls=ExampleCommand)
    @db_option
    @click.option("--dyad", default=None, help="Two actor codes, e.g. RUS-UKR (all if absent).")
    @click.option("--directed", is_flag=True, help="Source->target only (RUS>UKR).")
    @click.option("--freq", type=click.Choice(["day", "week"]), default="week",
                  help="Period length [default: week].")
    @click.option("--since", callback=_date, default=None, help="First period (YYYY-MM-DD).")
    @click.option("--until", callback=_date, default=None,
                  help="Ignore everything published after this day (YYYY-MM-DD).")
    @click.option("--format", "fmt", type=FORMATS, default="table", help="Output format.")
    @detectors_option
    @click.pass_context
    def series(ctx: click.Context, db: str | None, dyad: str | None, directed: bool,
               freq: str, since: dt.date | None, until: dt.date | None, fmt: str,
               detectors: str | None) -> None:
        """Dyad series per day or week: story-weighted counts per QuadClass, Goldstein sum
        and mean, conflict share and intensity, with the corpus volume of each period.

        Only asserted events count; a story reprinted by many outlets counts once
        (events is the raw article-level count).  Thin periods are flagged.

        Example:
            foreshock series --dyad RUS-UKR --freq week --format csv > rus_ukr.csv
        """
        from foreshock.alerts.run import weights_of
        from foreshock.normalize.stories import update_stories
        from foreshock.store.db import connect

        settings = _settings(ctx, db=db)
        config = load_config(detectors)
        key = _dyad(dyad, directed)
        con = connect(settings.db)
        update_stories(con, config.stories)
        support = config.series.min_window_events
        if freq == "day":
            support = math.ceil(support / config.series.window_days)
        rows = dyad_series(con, Scope(until=until, exclude_actors=config.series.exclude_actors),
                           weights_of(config), freq=freq, directed=directed or ">" in (dyad or ""),
                           dyad=key, min_support=support)
        con.close()
        rows = [r for r in rows if since is None or r.period >= since]
        if fmt == "table":
            _console().print(series_table(rows, f"{key or 'all dyads'} per {freq}"))
        else:
            _emit([r.as_dict() for r in rows], fmt, SERIES_FIELDS)

    @cli.command("alerts", cls=ExampleCommand)
    @db_option
    @click.option("--since", callback=_date, default=None, help="Alerts from this day on.")
    @click.option("--until", callback=_date, default=None, help="Alerts up to this day.")
    @click.option("--dyad", default=None, help="Only this dyad, e.g. RUS-UKR.")
    @click.option("--scope", default="all", show_default=True,
                  help="Which alerts: 'all' (the whole database) or a backtest scope name.")
    @click.option("--refresh", is_flag=True, help="Recompute even if nothing changed.")
    @click.option("--evidence", type=click.IntRange(0), default=2, show_default=True,
                  help="Evidence sentences printed per alert (table format).")
    @click.option("--format", "fmt", type=FORMATS, default="table", help="Output format.")
    @detectors_option
    @click.pass_context
    def alerts(ctx: click.Context, db: str | None, since: dt.date | None,
               until: dt.date | None, dyad: str | None, scope: str, refresh: bool,
               evidence: int, fmt: str, detectors: str | None) -> None:
        """Early-warning alerts per dyad with the events (and sentences) behind them.

        Alerts of the whole database are recomputed first when the coded data, the
        stories or the detector parameters changed since they were stored.

        Example:
            foreshock alerts --since 2021-12-01 --dyad RUS-UKR --evidence 3
        """
        from foreshock.alerts.run import load_alerts, refresh_alerts
        from foreshock.store.db import connect

        settings = _settings(ctx, db=db)
        config = load_config(detectors)
        key = _dyad(dyad, False) if dyad and ">" not in dyad else dyad
        con = connect(settings.db)
        report = None
        if scope == "all":
            report = refresh_alerts(con, config, force=refresh)
        rows = load_alerts(con, scope=scope, since=since, until=until, dyad=key)
        con.close()
        if fmt != "table":
            _emit(rows, fmt, ALERT_FIELDS)
            return
        console = _console()
        if report is not None:
            state = "recomputed" if report.computed else "up to date"
            console.print(f"alerts {state}: {report.alerts} in scope {scope}")
        for a in rows:
            console.print(f"[bold]{a['date']} {a['dyad']}[/bold] {a['detector']} "
                          f"score {a['score']:.1f} (threshold {a['threshold']:g}); share "
                          f"{_pct(a['value'])} vs baseline {_pct(a['baseline'])}; window: "
                          f"{a['window_articles']} articles, {a['window_events']} coded "
                          f"story-events, {a['dyad_events']} of this dyad; episode since "
                          f"{a['episode_start']}", soft_wrap=True)
            for e in a["evidence"][:evidence]:
                console.print(f"    {_when(e['date'], e.get('event_date'))} "
                              f"{e['source']}->{e['target']} {e['code']} "
                              f"[{e['num_articles']} art/{e['num_sources']} src] "
                              f"{e['sentence'].strip()}", soft_wrap=True, markup=False)

    @cli.command("backtest", cls=ExampleCommand)
    @click.argument("corpora", nargs=-1, required=True)
    @click.option("--onset", callback=_date, required=True,
                  help="The day the crisis broke out (YYYY-MM-DD): lead times count to it.")
    @click.option("--dyad", "dyads", multiple=True,
                  help="Dyad whose lead time is the point (repeatable), e.g. RUS-UKR.")
    @click.option("--until", callback=_date, default=None, help="Last day replayed.")
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
    @click.option("--date", "default_date", callback=_date, default=None,
                  help="Date for records without one (YYYY-MM-DD).")
    @click.option("--column", "columns", multiple=True, callback=_columns,
                  help="CSV column mapping FIELD=COLUMN (repeatable), e.g. text=body.")
    @db_option
    @detectors_option
    @click.pass_context
    def backtest(ctx: click.Context, corpora: tuple[str, ...], onset: dt.date,
                 dyads: tuple[str, ...], until: dt.date | None, mode: str, verify: bool,
                 plot_path: str | None, evidence: int, fmt: str,
                 default_date: dt.date | None, columns: dict[str, str], db: str | None,
                 detectors: str | None) -> None:
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
        from foreshock.cli.main import _do_code, _do_ingest
        from foreshock.runners.backtest import BacktestSpec, result_dict, run_backtest
        from foreshock.store.db import connect

        settings = _settings(ctx, db=db)
        config = load_config(detectors)
        focus = tuple(k for k in (_dyad(d, False) for d in dyads) if k is not None)
        console = _console(stderr=fmt == "json")
        _do_ingest(console, settings, corpora, default_date, columns, "backtest")
        _do_code(console, settings, "backtest")
        con = connect(settings.db)
        from foreshock.cli.render import progress_bar

        with progress_bar("replay", sys.stderr.isatty()) as update:
            result = run_backtest(con, BacktestSpec(
                onset=onset, focus=focus, corpora=corpora, until=until, mode=mode,
                verify=verify), config, progress=update)
        con.close()
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
            print_backtest(_console(), result, evidence)
            if plot_path and focus:
                _console().print(f"plot written to {plot_path}")

    @cli.command("plot", cls=ExampleCommand)
    @db_option
    @click.option("--dyad", required=True, help="Two actor codes, e.g. RUS-UKR.")
    @click.option("--directed", is_flag=True, help="Source->target only (RUS>UKR).")
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
                  help="PNG file to write.")
    @click.option("--onset", callback=_date, default=None, help="Draw this day as the onset.")
    @click.option("--until", callback=_date, default=None,
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
        from foreshock.store.db import connect

        settings = _settings(ctx, db=db)
        config = load_config(detectors)
        key = _dyad(dyad, directed)
        assert key is not None
        con = connect(settings.db)
        rows, markers = _plot_rows(con, config, key, corpora, until)
        con.close()
        where = " + ".join(corpora) if corpora else settings.db
        render_plot(rows, markers, output, onset=onset, title=f"{key}: {where}")
        _console().print(f"{output}: {len(rows)} weeks, {len(markers)} alerts")

    for command in (series, alerts, backtest, plot):
        _tidy(command)
