"""Read raw articles from text, JSON Lines, JSON and CSV files, directories and stdin.

Readers do not judge content: anything wrong with one record (bad bytes, bad JSON, a short
CSV row) becomes a RawArticle with ``problem`` set, so one bad line cannot stop a corpus and
the record can be quarantined with its locator.  Only a source that cannot be read at all
(missing, unreadable, unknown format) raises SourceError.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import json
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO, TextIO, TypeAlias, cast

from foreshock.errors import SettingsError, SourceError
from foreshock.records import RawArticle

RAW_LIMIT = 10_000  # characters of the original record kept for quarantine reports
STDIN = "-"
STDIN_NAME = "<stdin>"
# Real news CSVs hold whole articles in one field; the csv default (128 KiB) is too small.
CSV_FIELD_LIMIT = 50 * 1024 * 1024

FIELDS = ("text", "date", "id", "title", "url", "source")
# Key/column names tried in order when the caller gives no mapping for a field.
# Common names of news feeds and exports (RSS, GDELT, NewsAPI, scrapers) are included;
# ``--column`` overrides them.
DEFAULT_NAMES: Mapping[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "maintext", "story"),
    "date": ("date", "published", "publish_date", "datetime", "pubdate", "pub_date",
             "published_at", "publishedAt", "date_published", "publication_date", "seendate",
             "timestamp"),
    "id": ("id", "article_id", "guid", "uuid"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "sourceurl", "href", "uri"),
    "source": ("source", "outlet", "publisher", "source_name", "domain"),
}
#: the locator suffix of a problem with a whole CSV file (its header), not with one record
HEADER = "header"
_KINDS = {".txt": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv"}
_SUPPORTED = ", ".join(sorted(_KINDS)) + " (each optionally .gz)"
_BOM = b"\xef\xbb\xbf"
# First line of a text file: "date 2021-12-02" or "date: <anything>".  Without a colon only
# an ISO date counts, so an article starting "Date night ..." keeps its first line.
_DATE_HEADER = re.compile(
    r"date(?:[ \t]*:[ \t]*|[ \t]+(?=\d{4}-\d{2}-\d{2}\b))(?P<date>\S.*)", re.IGNORECASE
)
_INLINE_DATE = re.compile(
    r"date[ \t]*:?[ \t]*(?P<date>\d{4}-\d{2}-\d{2})(?:[ \t]+(?P<text>\S.*))?", re.IGNORECASE
)
# Lone surrogates mark bytes that were not UTF-8 (decoded with errors="surrogateescape").
_SURROGATE = re.compile("[\udc80-\udcff]")
# Errors that mean the file itself cannot be read (I/O, corrupt or truncated gzip).
_READ_ERRORS = (OSError, EOFError, zlib.error)

_Stream: TypeAlias = TextIO | BinaryIO


def iter_raw(
    paths: Sequence[str],
    *,
    csv_columns: Mapping[str, str] | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[RawArticle]:
    """Yield one RawArticle per record of every path, in order.

    A path is a file (``.txt`` one article, ``.jsonl``/``.ndjson``/``.json`` one per line
    or array item, ``.csv`` one per row; any of them ``.gz``), a directory (searched
    recursively in sorted order, hidden entries skipped) or ``-`` for ``stdin`` (default
    ``sys.stdin``): JSON Lines if its first non-blank character is ``{``, else one text
    article.  ``csv_columns`` maps field names (text, date, id, title, url, source) to CSV
    column names or JSON keys (``text=title`` codes a headline-only feed).  Paths are
    checked before anything is read, so a typo fails fast.
    """
    if isinstance(paths, str):
        raise TypeError("paths must be a sequence of paths, not one string")
    columns = _check_columns(csv_columns)
    plan = [entry for path in paths for entry in _plan(path)]
    return _iter_plan(plan, columns, stdin)


def _check_columns(csv_columns: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(csv_columns or {})
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise SettingsError(
            f"csv_columns names unknown field(s) {', '.join(unknown)}; "
            f"known fields: {', '.join(FIELDS)}"
        )
    return columns


def _kind(path: str) -> str | None:
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return _KINDS.get(os.path.splitext(name)[1])


def _plan(path: str) -> list[tuple[str, str]]:
    """(path, kind) pairs to read for one user-given path."""
    if path == STDIN:
        return [(STDIN, "stdin")]
    if os.path.isdir(path):
        return [(file, kind) for file in _walk(path) if (kind := _kind(file)) is not None]
    if not os.path.exists(path):
        raise SourceError(path, "no such file or directory")
    kind = _kind(path)
    if kind is None:
        raise SourceError(path, f"unknown file type; expected {_SUPPORTED} or a directory")
    return [(path, kind)]


def _walk(directory: str) -> list[str]:
    """All files below ``directory`` in sorted order, skipping hidden files and folders.

    Hidden entries are editor backups, ``.git`` or notebook checkpoints, never corpus data.
    """

    def fail(exc: OSError) -> None:
        raise SourceError(exc.filename or directory, f"cannot list directory: {exc.strerror}")

    found: list[str] = []
    for root, dirs, files in os.walk(directory, onerror=fail):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(os.path.join(root, name) for name in files if not name.startswith("."))
    # Sort on path components so the order does not depend on the file system's.
    return sorted(found, key=lambda file: os.path.relpath(file, directory).split(os.sep))


def _iter_plan(
    plan: list[tuple[str, str]], columns: dict[str, str], stdin: _Stream | None
) -> Iterator[RawArticle]:
    for path, kind in plan:
        if kind == "stdin":
            yield from _iter_stdin(stdin)
        else:
            yield from _iter_file(path, kind, columns)


def _iter_file(path: str, kind: str, columns: dict[str, str]) -> Iterator[RawArticle]:
    readers: dict[str, Callable[[BinaryIO, str], Iterator[RawArticle]]] = {
        "text": _read_text,
        "jsonl": lambda handle, source: _iter_json_lines(handle, source, columns),
        "json": lambda handle, source: _read_json(handle, source, columns),
        "csv": lambda handle, source: _read_csv(handle, source, columns),
    }
    try:
        with _open_binary(path) as handle:
            yield from readers[kind](handle, path)
    except _READ_ERRORS as exc:
        raise SourceError(path, f"cannot read: {exc}") from exc


def _open_binary(path: str) -> BinaryIO:
    if path.lower().endswith(".gz"):
        # GzipFile streams (nothing is decompressed up front) and is a binary file in all
        # but its declared type.
        return cast(BinaryIO, gzip.open(path, "rb"))
    return open(path, "rb")


# --- stdin -----------------------------------------------------------------------------


def _iter_stdin(stream: _Stream | None) -> Iterator[RawArticle]:
    if stream is None:
        if sys.stdin is None:
            raise SourceError(STDIN, "no standard input")
        # The byte stream, so undecodable input becomes a problem record, not a crash.
        stream = getattr(sys.stdin, "buffer", sys.stdin)
    lines = _byte_lines(stream)
    head: list[bytes] = []
    for line in lines:
        head.append(line)
        if line.removeprefix(_BOM).strip():
            break
    first = b"".join(head).removeprefix(_BOM).lstrip()
    rest = itertools.chain(head, lines)
    if first.startswith(b"{"):
        yield from _iter_json_lines(rest, STDIN_NAME)
    else:
        yield _text_record(b"".join(rest), STDIN_NAME, STDIN_NAME)


def _byte_lines(stream: _Stream) -> Iterator[bytes]:
    """Lines of a text or binary stream as bytes, so both go through one decoder."""
    try:
        for line in stream:
            if isinstance(line, bytes):
                yield line
            else:
                yield _encode(line)
    except UnicodeDecodeError as exc:
        # A strict text stream already failed to decode: nothing after this can be read.
        raise SourceError(STDIN, f"cannot decode input ({exc}); pass a binary stream") from exc
    except OSError as exc:
        raise SourceError(STDIN, f"cannot read: {exc}") from exc


def _encode(text: str) -> bytes:
    # surrogateescape gives back the original bytes of a stream decoded that way (Python's
    # stdin under a C locale); other lone surrogates pass through and fail decoding later.
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


# --- plain text ------------------------------------------------------------------------


def _read_text(handle: BinaryIO, source: str) -> Iterator[RawArticle]:
    yield _text_record(handle.read(), source, source)


def _text_record(data: bytes, source: str, locator: str) -> RawArticle:
    data = data.removeprefix(_BOM)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _problem(source, locator, f"undecodable bytes: {exc}", _lossy(data))
    first, _, rest = content.partition("\n")
    header = _DATE_HEADER.fullmatch(first.strip())
    inline = _INLINE_DATE.match(first.strip())
    if header is not None and inline is not None and inline.group("text"):
        # "date 2021-12-02 Top U.S. diplomat ...": the seed's own format puts the text on
        # the date line, so the date is the ISO token and the rest of the line is text
        date_text, text = inline.group("date"), inline.group("text") + "\n" + rest
    elif header is None:
        date_text, text = None, content
    else:
        date_text, text = header.group("date"), rest
    return RawArticle(
        source_path=source,
        locator=locator,
        text=text,
        date_text=date_text,
        raw=content[:RAW_LIMIT],
    )


# --- JSON Lines and JSON ---------------------------------------------------------------


def _iter_json_lines(lines: Iterable[bytes], source: str,
                     columns: Mapping[str, str] | None = None) -> Iterator[RawArticle]:
    """One record per non-blank line; decoded line by line so one bad line stays one."""
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.removeprefix(_BOM)
        if not line.strip():
            continue
        locator = f"{source}:{number}"
        try:
            text = line.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError as exc:
            problem = f"undecodable bytes: {exc}"
            yield _problem(source, locator, problem, _lossy(line.rstrip(b"\r\n")))
            continue
        yield _json_record(text, source, locator, columns)


def _json_record(text: str, source: str, locator: str,
                 columns: Mapping[str, str] | None = None) -> RawArticle:
    try:
        value: object = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return _problem(source, locator, f"malformed JSON: {exc}", text)
    if not isinstance(value, dict):
        problem = f"malformed JSON: expected an object, got {_json_type(value)}"
        return _problem(source, locator, problem, text)
    return _mapping_record(value, source, locator, text, columns)


def _read_json(handle: BinaryIO, source: str,
               columns: Mapping[str, str] | None = None) -> Iterator[RawArticle]:
    """A ``.json`` file holds JSON Lines (streamed), one object, or an array of objects.

    It is JSON Lines when its first non-blank line is a complete JSON object on its own;
    otherwise the whole file is parsed as one document (so it is held in memory).
    """
    head: list[bytes] = []
    for line in handle:
        head.append(line)
        if line.removeprefix(_BOM).strip():
            break
    first = b"".join(head).removeprefix(_BOM).strip()
    if first.startswith(b"{") and _is_json_object(first):
        yield from _iter_json_lines(itertools.chain(head, handle), source, columns)
        return
    data = (b"".join(head) + handle.read()).removeprefix(_BOM)
    if not data.strip():
        return
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        yield _problem(source, source, f"undecodable bytes: {exc}", _lossy(data))
        return
    try:
        document: object = json.loads(content)
    except (ValueError, RecursionError) as exc:
        yield _problem(source, source, f"malformed JSON: {exc}", content)
        return
    if isinstance(document, dict):
        yield _mapping_record(document, source, source, content, columns)
    elif isinstance(document, list):
        for number, item in enumerate(document, start=1):
            locator = f"{source}:item {number}"
            raw = json.dumps(item, ensure_ascii=False)
            if isinstance(item, dict):
                yield _mapping_record(item, source, locator, raw, columns)
            else:
                problem = f"malformed JSON: expected an object, got {_json_type(item)}"
                yield _problem(source, locator, problem, raw)
    else:
        problem = f"malformed JSON: expected an object or array, got {_json_type(document)}"
        yield _problem(source, source, problem, content)


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _mapping_record(
    record: Mapping[str, object], source: str, locator: str, raw: str,
    columns: Mapping[str, str] | None = None,
) -> RawArticle:
    """A JSON object as a record; ``columns`` maps our fields to its keys (as for CSV)."""
    mapping = columns or {}

    def names(field: str) -> tuple[str, ...]:
        return (mapping[field],) if field in mapping else DEFAULT_NAMES[field]

    def pick(field: str) -> tuple[str, object]:
        for key in names(field):
            if record.get(key) is not None:
                return key, record[key]
        return names(field)[0], None

    text_key, text = pick("text")
    if text is None:
        names_text = ", ".join(names("text"))
        return _problem(source, locator, f"missing text field: looked for {names_text}", raw)
    if not isinstance(text, str):
        problem = f"bad text field: {text_key!r} is not a string (got {_json_type(text)})"
        return _problem(source, locator, problem, raw)
    return RawArticle(
        source_path=source,
        locator=locator,
        text=text,
        date_text=_date_value(pick("date")[1]),
        article_id=_scalar(pick("id")[1]),
        title=_scalar(pick("title")[1]),
        url=_scalar(pick("url")[1]),
        outlet=_scalar(pick("source")[1]),
        raw=raw[:RAW_LIMIT],
    )


def _date_value(value: object) -> str | None:
    """A date as text; numbers are epoch timestamps, anything else goes on as JSON text.

    Passing odd values on (rather than dropping them) makes the record fail as "bad date"
    instead of silently taking a default date.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return json.dumps(value)


def _scalar(value: object) -> str | None:
    """Optional metadata: strings and numbers as text; nested values are not metadata."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _json_type(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


# --- CSV -------------------------------------------------------------------------------


def _read_csv(handle: BinaryIO, source: str, columns: Mapping[str, str]) -> Iterator[RawArticle]:
    """One record per data row; rows with bytes that are not UTF-8 become problem records.

    Decoding with surrogateescape keeps the file streaming and pins bad bytes to the rows
    that hold them; the CSV structure survives because delimiters and quotes are ASCII.
    """
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)  # process-wide, but only ever raised
    stream = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="surrogateescape", newline="")
    reader = csv.reader(stream)
    header_locator = f"{source}:{HEADER}"
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield _problem(source, header_locator, f"malformed CSV: {exc}", "")
        return
    if header is None:
        return  # empty file: no records
    if any(_SURROGATE.search(name) for name in header):
        yield _problem(
            source, header_locator, f"undecodable bytes: {_decode_error(header)}",
            _lossy_text(json.dumps(header, ensure_ascii=False)),
        )  # fmt: skip
        return
    index, missing = _resolve_columns(header, columns)
    if missing is not None:
        yield _problem(source, header_locator, missing, json.dumps(header, ensure_ascii=False))
        return
    row_number = 0
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            # The reader's position after an error is unreliable: stop with one problem.
            locator = f"{source}:row {row_number + 1}"
            yield _problem(source, locator, f"malformed CSV: {exc}", "")
            return
        if row is None:
            return
        if not row:
            continue  # blank line between rows
        row_number += 1
        yield _csv_record(header, row, index, source, f"{source}:row {row_number}")


def _resolve_columns(
    header: list[str], columns: Mapping[str, str]
) -> tuple[dict[str, int], str | None]:
    """Column index per field, or a problem naming what the header lacks.

    Mapped names must match exactly; default names match case-insensitively.
    """
    exact = {name: i for i, name in reversed(list(enumerate(header)))}
    folded = {name.strip().casefold(): i for i, name in reversed(list(enumerate(header)))}
    index: dict[str, int] = {}
    for field in FIELDS:
        if field in columns:
            if columns[field] not in exact:
                return index, (
                    f"missing mapped column: {columns[field]!r} (mapped to {field}); "
                    f"columns: {', '.join(header)}"
                )
            index[field] = exact[columns[field]]
            continue
        for name in DEFAULT_NAMES[field]:
            if name.casefold() in folded:
                index[field] = folded[name.casefold()]
                break
    if "text" not in index:
        return index, (
            f"missing text column: looked for {', '.join(DEFAULT_NAMES['text'])}; "
            f"columns: {', '.join(header)}"
        )
    return index, None


def _csv_record(
    header: list[str], row: list[str], index: Mapping[str, int], source: str, locator: str
) -> RawArticle:
    record: dict[str, object] = dict(zip(header, row, strict=False))
    if len(row) > len(header):
        record["_extra"] = row[len(header) :]
    raw = json.dumps(record, ensure_ascii=False)
    if _SURROGATE.search(raw):
        problem = f"undecodable bytes: {_decode_error(row)}"
        return _problem(source, locator, problem, _lossy_text(raw))
    if any(row[len(header) :]):
        # More non-empty fields than columns: a quote went astray and fields are shifted.
        problem = f"ragged row: {len(row)} fields but the header has {len(header)}"
        return _problem(source, locator, problem, raw)
    text_column = index["text"]
    if text_column >= len(row):
        problem = f"short row: no value for text column {header[text_column]!r}"
        return _problem(source, locator, problem, raw)

    def get(field: str) -> str | None:
        column = index.get(field)
        if column is None or column >= len(row) or not row[column].strip():
            return None
        return row[column]

    return RawArticle(
        source_path=source,
        locator=locator,
        text=row[text_column],
        date_text=get("date"),
        article_id=get("id"),
        title=get("title"),
        url=get("url"),
        outlet=get("source"),
        raw=raw[:RAW_LIMIT],
    )


def _decode_error(fields: list[str]) -> str:
    """The strict decoder's message for the first field holding undecodable bytes."""
    for field in fields:
        try:
            field.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError as exc:
            return str(exc)
    return "invalid UTF-8"


# --- helpers ---------------------------------------------------------------------------


def is_file_problem(raw: RawArticle) -> bool:
    """A problem with a whole file (a CSV header without a text column), not a record."""
    return raw.problem is not None and raw.locator == f"{raw.source_path}:{HEADER}"


def _problem(source: str, locator: str, problem: str, raw: str) -> RawArticle:
    return RawArticle(
        source_path=source,
        locator=locator,
        text=None,
        date_text=None,
        raw=raw[:RAW_LIMIT],
        problem=problem,
    )


def _lossy(data: bytes) -> str:
    # Decode only what the cap can keep (a UTF-8 character is at most 4 bytes).
    return data[: RAW_LIMIT * 4].decode("utf-8", "replace")[:RAW_LIMIT]


def _lossy_text(text: str) -> str:
    """Text holding escaped bad bytes, made safe to store (bad bytes become U+FFFD)."""
    return _lossy(text.encode("utf-8", "surrogateescape"))
