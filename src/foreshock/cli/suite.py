"""``foreshock suite SUITE.toml``: many backtests in one go, one table."""

from __future__ import annotations

import time
from pathlib import Path

import click
from rich.table import Table

from foreshock.cli._common import ExampleCommand, console, detectors_option, settings_of


@click.command("suite", cls=ExampleCommand)
@click.argument("suite_file", type=click.Path(dir_okay=False, exists=True))
@click.option("--case", "cases", multiple=True,
              help="Run only this case (repeatable) [default: all].")
@click.option("--workers", type=click.IntRange(1), default=2, show_default=True,
              help="Processes that code new articles (coding is done once and cached).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Write suite.md, suite.json and one PNG per case here.")
@click.option("--details/--no-details", default=False,
              help="Also print every alert on the cases' dyads, on calm dyads and in "
                   "wars, with its explanation and evidence.")
@detectors_option
@click.pass_context
def suite(ctx: click.Context, suite_file: str, cases: tuple[str, ...], workers: int,
          out_dir: str | None, details: bool, detectors: str | None) -> None:
    """Run the backtest cases of SUITE_FILE and print one table: lead or delay per case,
    alerts per calm dyad-year, new alerts during wars, the tuning and the held-out
    cases side by side.

    The corpora are cut to the cases' windows, ingested and coded into a database in
    the suite's cache folder the first time (the slow part) and reused after that;
    each case then replays its own articles with the same detector parameters.

    Example:
        foreshock suite bench/suite.toml --out bench/out/suite/report
    """
    from foreshock.alerts.config import load_config
    from foreshock.suite.prepare import prepare
    from foreshock.suite.report import (
        case_row,
        details_markdown,
            summary_markdown,
        write_report,
    )
    from foreshock.suite.run import run_suite
    from foreshock.suite.spec import load_suite

    out = console()
    started = time.perf_counter()
    spec = load_suite(suite_file)
    unknown = sorted(set(cases) - {c.name for c in spec.cases})
    if unknown:
        raise click.BadParameter(f"no case named {', '.join(unknown)} in {suite_file}",
                                 param_hint="--case")
    config = load_config(detectors)
    prepared = prepare(spec, settings_of(ctx), workers=workers, stories=config.stories,
                       log=lambda m: out.print(m, markup=False))
    result = run_suite(spec, config, prepared, cases=cases,
                       log=lambda m: out.print(m, markup=False))
    result.seconds.update({f"prepare {k}": v for k, v in prepared.seconds.items()})
    result.seconds["total"] = time.perf_counter() - started
    table = Table(title=f"{suite_file}: {len(result.results)} cases, detectors "
                        f"{config.version} ({config.fingerprint()})")
    rows = [case_row(r) for r in result.results]
    columns = [c for c in rows[0] if c != "first alert's top evidence"] if rows else []
    for name in columns:
        table.add_column(name, overflow="fold")
    for row in rows:
        table.add_row(*[row[c] for c in columns])
    out.print(table)
    out.print(summary_markdown(result), markup=False)
    if details:
        out.print(details_markdown(result), markup=False)
    out.print("seconds: " + ", ".join(f"{k} {v:.1f}"
                                          for k, v in result.seconds.items()))
    if out_dir:
        folder = Path(out_dir)
        write_report(result, folder)
        out.print(f"wrote {folder}/suite.md, suite.json and "
                      f"{len(result.results)} plots")


COMMANDS = (suite,)
