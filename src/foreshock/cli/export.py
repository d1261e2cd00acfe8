"""``foreshock export``: stored events as GDELT 2.0 rows, PLOVER JSON Lines, Parquet or CSV."""

from __future__ import annotations

import datetime as dt

import click

from foreshock.export.formats import FORMATS, MODALITIES, ExportFilter, export_events

HELP = """Write stored events in another format, for other tools.

gdelt: tab-separated, no header, the 61 columns of the GDELT 2.0 Event table in the
codebook's order (columns we have no value for are empty; see data/export/gdelt_columns.tsv;
ActionGeo holds where the event happened when its sentence names a place).
plover: one JSON record per event with a PLOVER type (CAMEO roots 01 and 02 have none and
are left out).  parquet, csv: the events table with the article's url.  Only asserted
events unless --modality says otherwise.  Meetings and other symmetric acts are stored,
and exported, in both directions (A->B and B->A).

Example:
    foreshock export --db crisis.duckdb --format gdelt -o events.tsv --since 2022-01-01
"""


def register(cli: click.Group) -> None:
    from foreshock.cli.main import ExampleCommand, _date, _settings, db_option

    @cli.command("export", cls=ExampleCommand, help=HELP)
    @db_option
    @click.option("--format", "fmt", type=click.Choice(FORMATS), required=True,
                  help="gdelt (GDELT 2.0 event rows), plover (JSON Lines), parquet or csv.")
    @click.option("-o", "--output", "output", required=True,
                  type=click.Path(dir_okay=False, writable=True),
                  help="File to write (replaced when the export is complete).")
    @click.option("--modality", type=click.Choice(MODALITIES), default="asserted",
                  help="Which modality to export [default: asserted].")
    @click.option("--since", callback=_date, default=None, help="From this date (YYYY-MM-DD).")
    @click.option("--until", callback=_date, default=None, help="Up to this date (YYYY-MM-DD).")
    @click.pass_context
    def export_command(ctx: click.Context, db: str | None, fmt: str, output: str,
                       modality: str, since: dt.date | None, until: dt.date | None) -> None:
        from foreshock.store.db import connect

        settings = _settings(ctx, db=db)
        try:
            chosen = ExportFilter(modality, since, until)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--since/--until") from None
        con = connect(settings.db, read_only=True)
        try:
            result = export_events(con, fmt, output, chosen)
        finally:
            con.close()
        skipped = (f"; {result.skipped} events without a PLOVER type left out"
                   if result.skipped else "")
        click.echo(f"wrote {result.rows} {modality} events as {fmt} to {output}{skipped}")
