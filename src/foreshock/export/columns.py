"""The one column set of events leaving Foreshock: ``foreshock events``, ``foreshock export
--format csv|jsonl|parquet``, ``Database.events()`` and ``EventCoder.code()`` all give these
columns, in this order, with these types.

Text that is empty is null (one way to say "none", so CSV reads back the same).  Adding
a column is one line in ``EVENT_COLUMNS`` (its name, the SQL over ``events e``,
``articles a`` and the CAMEO labels, its Arrow type and what it means); every output and
the round-trip test follow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.ontology.cameo import load_cameo
from foreshock.store.queries import EventFilter, where_clause


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    sql: str  # over events e, articles a and the CAMEO label lookups c, c3, c2
    type: pa.DataType
    description: str


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "e.event_id", pa.string(),
           "stable id: article, sentence, pattern, extractor version and actors"),
    Column("date", "e.date", pa.date32(),
           "the article's publication day (UTC): what series and alerts count by"),
    Column("event_date", "e.event_date", pa.date32(),
           "the day the text says the event happened ('on Thursday', 'last week'), resolved "
           "against publication (extract/when.py); empty if the text does not date it"),
    Column("event_date_precision", "nullif(e.event_date_precision, '')", pa.string(),
           "how precise event_date is: day, week (its Monday), month or year"),
    Column("source", "nullif(e.source, '')", pa.string(), "source actor code (RUS, NATO, …)"),
    Column("source_sector", "nullif(e.source_sector, '')", pa.string(),
           "source sector (GOV, MIL, …)"),
    Column("source_text", "nullif(e.source_text, '')", pa.string(), "the source as written"),
    Column("target", "nullif(e.target, '')", pa.string(), "target actor code; empty for no target"),
    Column("target_sector", "nullif(e.target_sector, '')", pa.string(), "target sector"),
    Column("target_text", "nullif(e.target_text, '')", pa.string(), "the target as written"),
    Column("code", "e.code", pa.string(), "CAMEO event code, a string ('042', '1951')"),
    Column("code_label", "coalesce(c.name, c3.name, c2.name)", pa.string(),
           "the CAMEO name of the code"),
    Column("root", "e.root", pa.string(), "CAMEO root, a string ('04')"),
    Column("quad_class", "e.quad_class", pa.int8(),
           "1 verbal cooperation, 2 material cooperation, 3 verbal conflict, "
           "4 material conflict"),
    Column("goldstein", "e.goldstein", pa.float64(), "Goldstein scale, -10 to +10"),
    Column("modality", "e.modality", pa.string(),
           "asserted, negated, hypothetical or future"),
    Column("reported_by", "nullif(e.reported_by, '')", pa.string(),
           "who the text attributes it to"),
    Column("trigger", "nullif(e.trigger, '')", pa.string(), "the words that triggered the event"),
    Column("sentence", "e.sentence", pa.string(), "the evidence sentence"),
    Column("sentence_index", "e.sentence_index", pa.int32(), "sentence number in the article"),
    Column("start_char", "e.start_char", pa.int32(), "trigger start in the article text"),
    Column("end_char", "e.end_char", pa.int32(), "trigger end in the article text"),
    Column("pattern", "e.pattern", pa.string(), "id of the pattern that fired"),
    Column("extractor", "e.extractor", pa.string(), "coder version"),
    Column("place", "nullif(e.place, '')", pa.string(),
           "where it happened, when the text names a place (gazetteer name; extract/where.py)"),
    Column("place_type", "e.place_type", pa.int8(),
           "GDELT geo type of the place: 1 country, 2 US state, 3 US city, 4 world city, "
           "5 world region"),
    Column("place_adm1", "nullif(e.place_adm1, '')", pa.string(),
           "admin-1 code of the place (FIPS country + admin-1, as GDELT)"),
    Column("place_country", "nullif(e.place_country, '')", pa.string(),
           "ISO 3166-1 alpha-3 country of the place (what --country-of-action selects)"),
    Column("place_lat", "e.place_lat", pa.float64(), "latitude of the place"),
    Column("place_lon", "e.place_lon", pa.float64(), "longitude of the place"),
    Column("place_id", "TRY_CAST(nullif(e.place_id, '') AS BIGINT)", pa.int64(),
           "the GeoNames id of the place (null for places of our own list without one)"),
    Column("article_id", "e.article_id", pa.string(), "the article's id"),
    Column("title", "nullif(a.title, '')", pa.string(), "the article's title"),
    Column("url", "nullif(a.url, '')", pa.string(), "the article's link"),
    Column("outlet", "nullif(a.outlet, '')", pa.string(), "the article's outlet"),
)

EVENT_SCHEMA = pa.schema([(c.name, c.type) for c in EVENT_COLUMNS])
EVENT_NAMES = tuple(c.name for c in EVENT_COLUMNS)
#: the columns ``foreshock events`` shows in a terminal table
TABLE_NAMES = ("date", "event_date", "source", "code", "code_label", "target", "goldstein",
               "modality", "place", "sentence")

ORDER = " ORDER BY e.date, e.article_id, e.sentence_index, e.start_char, e.event_id"
_FROM = (" FROM events e LEFT JOIN articles a ON a.article_id = e.article_id"
         " LEFT JOIN _fs_cameo c ON c.code = e.code"
         " LEFT JOIN _fs_cameo c3 ON c3.code = substr(e.code, 1, 3)"
         " LEFT JOIN _fs_cameo c2 ON c2.code = e.root")


def events_query(f: EventFilter) -> tuple[str, list[Any]]:
    """SQL (and its parameters) giving the chosen events in ``EVENT_COLUMNS``; it needs the
    CAMEO labels registered (``with cameo_labels(con):``)."""
    where, params = where_clause(f, "e.")
    select = ", ".join(f"{c.sql} AS {c.name}" for c in EVENT_COLUMNS)
    sql = f"SELECT {select}{_FROM}{where}{ORDER}"
    if f.limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, f.limit, f.offset]
    return sql, params


def _labels() -> pa.Table:
    table = load_cameo()
    codes = sorted(table.codes)
    return pa.table({"code": pa.array(codes, pa.string()),
                     "name": pa.array([table.codes[c].name for c in codes], pa.string())})


@contextmanager
def cameo_labels(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """The CAMEO code -> name lookup registered as ``_fs_cameo`` (works read-only)."""
    con.register("_fs_cameo", _labels())
    try:
        yield
    finally:
        con.unregister("_fs_cameo")


def event_batches(con: duckdb.DuckDBPyConnection, f: EventFilter, rows: int = 20_000
                  ) -> Iterator[pa.RecordBatch]:
    """The chosen events as record batches of ``EVENT_SCHEMA`` (streamed, not all held)."""
    sql, params = events_query(f)
    with cameo_labels(con):
        reader = con.sql(sql, params=params).to_arrow_reader(rows)
        for batch in reader:
            yield batch.cast(EVENT_SCHEMA) if batch.schema != EVENT_SCHEMA else batch


def events_arrow(con: duckdb.DuckDBPyConnection, f: EventFilter) -> pa.Table:
    """The chosen events as one Arrow table of ``EVENT_SCHEMA``."""
    batches = list(event_batches(con, f))
    return pa.Table.from_batches(batches, schema=EVENT_SCHEMA)


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: dates as ISO text, the rest as it is."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value
