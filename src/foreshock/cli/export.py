"""``foreshock export``: stored events as GDELT 2.0 rows, PLOVER JSON Lines, Parquet or CSV."""

from __future__ import annotations

import datetime as dt

import click

from foreshock.cli._common import ExampleCommand, database, db_option, parse_date
from foreshock.export.formats import FORMATS, MODALITIES

HELP = """Write stored events in another format, for other tools.

gdelt: tab-separated, no header, the 61 columns of the GDELT 2.0 Event table in the
codebook's order (columns we have no value for are empty; see data/export/gdelt_columns.tsv;
ActionGeo holds where the event happened when its sentence names a place).
plover: one JSON record per event with a PLOVER type (CAMEO roots 01 and 02 have none and
are left out).  parquet, csv, jsonl: the columns `foreshock events --format csv` prints
(CAMEO code and label as text, event date and place, title, url; see docs/python-api.md),
read back typed with foreshock.read_events(FILE).  Only asserted events unless --modality
says otherwise.  Meetings and other symmetric acts are stored, and exported, in both
directions (A->B and B->A).

Example:
    foreshock export --db crisis.duckdb --format gdelt -o events.tsv --since 2022-01-01
"""


@click.command("export", cls=ExampleCommand, help=HELP)
@db_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
              help="gdelt (GDELT 2.0 event rows), plover (JSON Lines), parquet, csv or jsonl.")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, writable=True),
              help="File to write (replaced when the export is complete).")
@click.option("--modality", type=click.Choice(MODALITIES), default="asserted",
              help="Which modality to export [default: asserted].")
@click.option("--since", callback=parse_date, default=None, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=parse_date, default=None, help="Up to this date (YYYY-MM-DD).")
@click.pass_context
def export_command(ctx: click.Context, db: str | None, fmt: str, output: str,
                   modality: str, since: dt.date | None, until: dt.date | None) -> None:
    if since and until and since > until:
        raise click.BadParameter(f"since {since} is after until {until}",
                                 param_hint="--since/--until")
    result = database(ctx, db).export(fmt, output, modality=modality, since=since,
                                      until=until)
    skipped = (f"; {result.skipped} events without a PLOVER type left out"
               if result.skipped else "")
    click.echo(f"wrote {result.rows} {modality} events as {fmt} to {output}{skipped}")


COMMANDS = (export_command,)
