"""Writing Arrow record batches as CSV, JSON Lines, JSON or Parquet, and reading our own
exports back with their types.

One writer per format serves the CLI's standard output and export files alike, so
``foreshock events --format csv`` and ``foreshock export --format csv`` give the same bytes.

CSV is written so that it reads back as written: every text value is quoted (DuckDB's
``read_csv`` then keeps ``"042"`` a string; pandas and pyarrow guess types whatever the
quotes say, so give them the schema: ``read_events`` does), an empty unquoted field is a
null and ``""`` an empty string, dates are ISO, nested values (an alert's evidence) are
JSON text.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from foreshock.export.columns import EVENT_SCHEMA, jsonable

TEXT_FORMATS = ("csv", "jsonl", "json")


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind)
                or pa.types.is_string_view(kind))


def _csv_cell(value: Any, quote: bool) -> str:
    text: str
    if value is None:
        return ""
    if isinstance(value, list | dict):
        text, quote = json.dumps(jsonable(value), ensure_ascii=False), True
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dt.date | dt.datetime):
        text = value.isoformat()
    elif isinstance(value, float):
        text = "" if not math.isfinite(value) else repr(value)
    else:
        text = str(value)
    if quote or any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def write_csv(batches: Iterable[pa.RecordBatch], schema: pa.Schema, out: IO[str]) -> int:
    """Header and rows; text (and nested) columns always quoted.  Returns rows written."""
    quoted = [_is_text(f.type) or pa.types.is_nested(f.type) for f in schema]
    out.write(",".join(_csv_cell(name, False) for name in schema.names) + "\r\n")
    rows = 0
    for batch in batches:
        columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        for values in zip(*columns, strict=True):
            out.write(",".join(_csv_cell(v, q) for v, q in zip(values, quoted, strict=True))
                      + "\r\n")
        rows += batch.num_rows
    return rows


def _json_rows(batches: Iterable[pa.RecordBatch]) -> Iterator[str]:
    for batch in batches:
        for row in batch.to_pylist():
            yield json.dumps({k: _finite(jsonable(v)) for k, v in row.items()},
                             ensure_ascii=False)


def _finite(value: Any) -> Any:
    return None if isinstance(value, float) and not math.isfinite(value) else value


def write_jsonl(batches: Iterable[pa.RecordBatch], schema: pa.Schema, out: IO[str]) -> int:
    rows = 0
    for line in _json_rows(batches):
        out.write(line + "\n")
        rows += 1
    return rows


def write_json(batches: Iterable[pa.RecordBatch], schema: pa.Schema, out: IO[str]) -> int:
    """One JSON array (for small results; JSON Lines streams)."""
    rows = 0
    out.write("[")
    for line in _json_rows(batches):
        out.write(("\n " if rows == 0 else ",\n ") + line)
        rows += 1
    out.write("\n]\n" if rows else "]\n")
    return rows


TEXT_WRITERS: dict[str, Callable[[Iterable[pa.RecordBatch], pa.Schema, IO[str]], int]] = {
    "csv": write_csv,
    "jsonl": write_jsonl,
    "json": write_json,
}


@contextmanager
def replacing(out: str | Path) -> Iterator[Path]:
    """A temporary name beside ``out``, renamed to it when the block completes (so a failed
    export never leaves half a file)."""
    target = Path(out)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_file(batches: Iterable[pa.RecordBatch], schema: pa.Schema, fmt: str,
               out: str | Path) -> int:
    """Write ``batches`` to ``out`` as csv, jsonl, json or parquet; returns rows written."""
    with replacing(out) as tmp:
        if fmt == "parquet":
            rows = 0
            with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
                for batch in batches:
                    writer.write_batch(batch)
                    rows += batch.num_rows
            return rows
        if fmt not in TEXT_WRITERS:
            raise ValueError(f"format {fmt!r}: expected parquet or one of "
                             f"{', '.join(TEXT_WRITERS)}")
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            return TEXT_WRITERS[fmt](batches, schema, handle)


def read_events(path: str | Path, schema: pa.Schema = EVENT_SCHEMA) -> pa.Table:
    """Read an events export (csv, jsonl or parquet, by its suffix) back with its types:
    CAMEO codes stay strings, dates are dates.  The same table ``Database.events()`` gives.
    """
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        return pq.read_table(file, schema=schema)
    if suffix == ".csv":
        return pacsv.read_csv(file, convert_options=pacsv.ConvertOptions(
            column_types=schema, strings_can_be_null=True, quoted_strings_can_be_null=False))
    if suffix in {".jsonl", ".ndjson"}:
        # JSON holds dates as ISO text: read them as text, then cast
        as_text = pa.schema([pa.field(f.name, pa.string()) if pa.types.is_temporal(f.type)
                             else f for f in schema])
        table = pajson.read_json(file, parse_options=pajson.ParseOptions(
            explicit_schema=as_text, unexpected_field_behavior="ignore"))
        return table.select(schema.names).cast(schema)
    raise ValueError(f"{file}: expected a .csv, .jsonl or .parquet export (for JSON, "
                     "export JSON Lines)")
