"""``foreshock events | actors | quarantine``: what is stored, and the codes to ask for."""

from __future__ import annotations

import datetime as dt

import click
from rich.table import Table

from foreshock.cli._common import (
    FORMATS,
    CommandError,
    ExampleCommand,
    console,
    database,
    db_option,
    parse_date,
    settings_of,
)
from foreshock.cli.render import emit_table
from foreshock.export.columns import TABLE_NAMES
from foreshock.export.writers import write_file
from foreshock.ontology.actor_codes import load_actor_codes
from foreshock.records import MODALITY_FILTERS


@click.command(cls=ExampleCommand)
@db_option
@click.option("--actor", default=None, help="Events with this actor code as source or target.")
@click.option("--dyad", default=None, help="Events between two actor codes, e.g. RUS-UKR.")
@click.option("--directed", is_flag=True, help="With --dyad: only source->target.")
@click.option("--since", callback=parse_date, default=None, help="From this date (YYYY-MM-DD).")
@click.option("--until", callback=parse_date, default=None, help="Up to this date (YYYY-MM-DD).")
@click.option("--root", default=None, help="CAMEO root, e.g. 19.")
@click.option("--quad", type=click.IntRange(1, 4), default=None, help="QuadClass 1-4.")
@click.option("--modality", default="asserted", type=click.Choice(MODALITY_FILTERS),
              help="Which modality [default: asserted].")
@click.option("--country-of-action", "country_of_action", default=None,
              help="Only events that happened in this country (ISO 3166-1 alpha-3, e.g. "
                   "UKR): where the text places them, not who took part.")
@click.option("--undirected", is_flag=True,
              help="One row per pair for symmetric acts: a meeting or a mutual act is "
                   "stored in both directions (A->B and B->A).")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many rows.")
@click.option("--format", "fmt", type=FORMATS, default="table",
              help="table, or csv/jsonl/json with the columns of `foreshock export`.")
@click.pass_context
def events(ctx: click.Context, db: str | None, actor: str | None, dyad: str | None,
           directed: bool, since: dt.date | None, until: dt.date | None, root: str | None,
           quad: int | None, modality: str, country_of_action: str | None, undirected: bool,
           limit: int | None, fmt: str) -> None:
    """List stored events with their evidence sentence, the event date the text gives
    (when it dates the act) and the place it names.

    Actors are codes (RUS, UKR, NATO): find them with `foreshock actors --search NAME`.
    csv, jsonl and json have the columns of `foreshock export --format csv`.  Meetings and
    other symmetric acts are stored once per direction; --undirected shows each pair once.

    Example:
        foreshock events --dyad RUS-UKR --since 2022-01-01 --quad 4 --format csv
        foreshock events --country-of-action UKR --root 19 --undirected
    """
    table = database(ctx, db).events(actor=actor, dyad=dyad, directed=directed, since=since,
                                     until=until, root=root, quad=quad, modality=modality,
                                     limit=limit, country_of_action=country_of_action,
                                     undirected=undirected)
    emit_table(table, fmt, console(), TABLE_NAMES)


@click.command(cls=ExampleCommand)
@click.option("--search", "text", default=None,
              help="Part of a name, alias or code (any case), e.g. russia, Putin, NATO.")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="At most this many entries.")
@click.option("--format", "fmt", type=FORMATS, default="table", help="Output format.")
@click.pass_context
def actors(ctx: click.Context, text: str | None, limit: int, fmt: str) -> None:
    """Actor codes from the actor dictionaries: the code to give --actor and --dyad.

    Without --search, every code and its name.

    Example:
        foreshock actors --search russia
    """
    import pyarrow as pa

    codes = load_actor_codes(settings_of(ctx).actors_dir)
    if text is None:
        names = [{"code": c, "name": n} for c, n in codes.names.items()]
        emit_table(pa.Table.from_pylist(names, schema=pa.schema(
            [("code", pa.string()), ("name", pa.string())])), fmt, console())
        return
    found = codes.search(text, limit)
    if not found:
        raise CommandError(f"no actor matches {text!r}; try part of a name "
                           "(e.g. 'russ') or list all codes with `foreshock actors`")
    rows = [{"code": m.code, "name": m.name, "alias": m.alias, "kind": m.kind,
             "sector": m.sector, "role": m.role or None,
             "valid_from": m.valid_from, "valid_to": m.valid_to} for m in found]
    schema = pa.schema([("code", pa.string()), ("name", pa.string()), ("alias", pa.string()),
                        ("kind", pa.string()), ("sector", pa.string()), ("role", pa.string()),
                        ("valid_from", pa.date32()), ("valid_to", pa.date32())])
    emit_table(pa.Table.from_pylist(rows, schema=schema), fmt, console())


@click.command(cls=ExampleCommand)
@db_option
@click.option("--reason", default=None, help="Only reasons containing this text, e.g. 'date'.")
@click.option("--source", default=None, help="Only files whose path contains this text.")
@click.option("--limit", type=click.IntRange(1), default=None, help="At most this many rows.")
@click.option("--format", "fmt", type=FORMATS, default="table",
              help="Output format (csv, jsonl and json include the raw record).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Write the records to this file (.csv, .jsonl, .json or .parquet).")
@click.pass_context
def quarantine(ctx: click.Context, db: str | None, reason: str | None, source: str | None,
               limit: int | None, fmt: str, output: str | None) -> None:
    """List (or export) the records ingest refused, with file, place and reason.

    The table groups them by reason; csv, jsonl and json list every record with its raw
    text, so it can be fixed and ingested again.

    Example:
        foreshock quarantine --db crisis.duckdb --reason date --format csv > refused.csv
    """
    table = database(ctx, db).quarantine(reason=reason, source=source, limit=limit)
    if output:
        suffix = output.rsplit(".", 1)[-1].lower()
        if suffix not in ("csv", "jsonl", "json", "parquet"):
            raise click.BadParameter(f"{output}: expected a .csv, .jsonl, .json or .parquet "
                                     "file", param_hint="--output")
        rows = write_file(table.to_batches(), table.schema, suffix, output)
        click.echo(f"wrote {rows} quarantined records to {output}", err=True)
        return
    if fmt != "table":
        emit_table(table, fmt, console())
        return
    out = console()
    if table.num_rows == 0:
        out.print("no quarantined records")
        return
    groups: dict[str, list[dict[str, object]]] = {}
    for row in table.to_pylist():
        groups.setdefault(str(row["reason"]).split(":")[0], []).append(row)
    view = Table(title=f"{table.num_rows} quarantined records")
    for name in ("reason", "records", "first", "example"):
        view.add_column(name, overflow="fold")
    for key, members in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        view.add_row(key, str(len(members)), str(members[0]["locator"]),
                     str(members[0]["reason"]))
    out.print(view)
    out.print("every record with its raw text: --format csv (or -o refused.jsonl)")


COMMANDS = (events, actors, quarantine)
