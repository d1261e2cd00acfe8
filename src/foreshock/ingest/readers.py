"""Read raw articles from text, JSON Lines, JSON and CSV files, directories and stdin.

Readers do not judge content, and they never lose a record without saying so: anything
wrong with one record (bad bytes, bad JSON, a lone surrogate, a short CSV row, a runaway
quoted field, a record over the size limit) becomes a RawArticle with ``problem`` set, and
anything wrong with one file (a corrupt or truncated ``.gz``, a dangling link, a FIFO, a
file that cannot be opened) becomes one problem record for that file, after the records
read before the damage.  Either way the record is quarantined with its locator and the run
goes on.  Only a path the user named that does not exist, or a named file of an unknown
type, raises SourceError (before anything is read, so a typo fails fast); files of unknown
type met inside a directory are reported through ``on_skip``.

Records are read in bounded pieces: a record larger than ``max_record_bytes`` is reported
as oversize without ever being held in memory whole.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import itertools
import json
import os
import re
import stat
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO, TypeAlias, cast

from foreshock.errors import SettingsError, SourceError
from foreshock.records import RawArticle, Skipped

RAW_LIMIT = 10_000  # characters of the original record kept for quarantine reports
STDIN = "-"
STDIN_NAME = "<stdin>"
# The size limit of one raw record scales with the text limit (``Settings.max_chars``): a
# character takes at most 12 bytes in a source (a JSON-escaped surrogate pair), and the
# margin leaves room for metadata.  Anything larger cannot hold an acceptable article.
BYTES_PER_CHAR = 12
RECORD_MARGIN = 64 * 1024
DEFAULT_MAX_CHARS = 200_000
# A ``.json`` file that is not JSON Lines is parsed as one document, in memory: beyond this
# size it is reported (and should be converted to JSON Lines) rather than risk the memory.
JSON_DOCUMENT_LIMIT = 64 * 1024 * 1024
_CHUNK = 64 * 1024  # bytes read at a time

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
SUPPORTED = ", ".join(sorted(_KINDS)) + " (each optionally .gz)"
_BOM = b"\xef\xbb\xbf"
# First line of a text file: "date 2021-12-02" or "date: <anything>".  Without a colon only
# an ISO date counts, so an article starting "Date night ..." keeps its first line.
_DATE_HEADER = re.compile(
    r"date(?:[ \t]*:[ \t]*|[ \t]+(?=\d{4}-\d{2}-\d{2}\b))(?P<date>\S.*)", re.IGNORECASE
)
_INLINE_DATE = re.compile(
    r"date[ \t]*:?[ \t]*(?P<date>\d{4}-\d{2}-\d{2})(?:[ \t]+(?P<text>\S.*))?", re.IGNORECASE
)
# Any line ending: "\r\n", "\n", or an old Mac "\r" on its own.
_EOL = re.compile(rb"\r\n|\r|\n")
_TEXT_EOL = re.compile(r"\r\n|\r|\n")
# Lone surrogates mark bytes that were not UTF-8 (decoded with errors="surrogateescape").
_SURROGATE = re.compile("[\udc80-\udcff]")
# Any lone surrogate, e.g. from a JSON escape "\ud800": not a character, cannot be stored.
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")
# Errors that mean the file itself cannot be read (I/O, corrupt or truncated gzip).
_READ_ERRORS = (OSError, EOFError, zlib.error)

_Stream: TypeAlias = TextIO | BinaryIO
SkipHandler = Callable[[Skipped], None]


@dataclass(slots=True)
class ReadMeter:
    """How far reading has got through the input files, in bytes on disk (compressed
    bytes for ``.gz``), against their total size: what an ETA for a record count not
    known ahead can follow.  ``total`` is None when a stream (stdin) is among the inputs,
    whose size is not known.  ``iter_raw`` fills it in as it reads."""

    total: int | None = 0
    finished: int = 0  # bytes of the files read to their end (their size when planned)
    current: BinaryIO | None = field(default=None, repr=False)  # the file being read

    def read(self) -> int:
        """Bytes read so far: the finished files and the open file's position."""
        if self.current is None:
            return self.finished
        try:  # the descriptor's offset: what the buffered (or gzip) reader has taken
            return self.finished + os.lseek(self.current.fileno(), 0, os.SEEK_CUR)
        except (OSError, ValueError):  # closed meanwhile
            return self.finished


def planned_size(entries: Iterable[tuple[str, str]]) -> int | None:
    """Bytes on disk of the (path, kind) entries to read; None when stdin is one."""
    total = 0
    for path, kind in entries:
        if kind == "stdin":
            return None
        if kind in _KINDS.values():
            with contextlib.suppress(OSError):  # a problem record says so when opened
                total += os.stat(path).st_size
    return total


def record_byte_limit(max_chars: int) -> int:
    """The largest raw record (bytes) worth reading for a text limit of ``max_chars``."""
    return max_chars * BYTES_PER_CHAR + RECORD_MARGIN


def iter_raw(
    paths: Sequence[str],
    *,
    csv_columns: Mapping[str, str] | None = None,
    stdin: TextIO | BinaryIO | None = None,
    max_record_bytes: int | None = None,
    on_skip: SkipHandler | None = None,
    meter: ReadMeter | None = None,
) -> Iterator[RawArticle]:
    """Yield one RawArticle per record of every path, in order.

    A path is a file (``.txt`` one article, ``.jsonl``/``.ndjson``/``.json`` one per line
    or array item, ``.csv`` one per row; any of them ``.gz``), a directory (searched
    recursively in sorted order, hidden entries skipped) or ``-`` for ``stdin`` (default
    ``sys.stdin``): JSON Lines if its first non-blank character is ``{``, else one text
    article.  ``csv_columns`` maps field names (text, date, id, title, url, source) to CSV
    column names or JSON keys (``text=title`` codes a headline-only feed).  Paths are
    checked before anything is read, so a typo fails fast.  ``max_record_bytes`` (default:
    ``record_byte_limit(200_000)``) bounds one record; ``on_skip`` hears of every file in
    a directory that is not read (unknown type, link to a directory).  ``meter`` (filled
    in place) follows the bytes read against the inputs' total size.
    """
    if isinstance(paths, str):
        raise TypeError("paths must be a sequence of paths, not one string")
    columns = _check_columns(csv_columns)
    limit = max_record_bytes if max_record_bytes is not None else record_byte_limit(
        DEFAULT_MAX_CHARS)
    if limit < 1:
        raise SettingsError(f"max_record_bytes must be at least 1, got {limit}")
    plan = [entry for path in paths for entry in _plan(path)]
    if meter is not None:
        meter.total = planned_size((e.path, e.kind) for e in plan)
    return _iter_plan(plan, columns, stdin, limit, on_skip, meter)


def display_path(path: str) -> str:
    """``path`` as storable text: bytes of a file name that are not UTF-8 become ``\\xNN``.

    File names are bytes on POSIX; Python hands undecodable ones over as lone surrogates,
    which no database (or terminal) accepts.  The escaped form still names the file.
    """
    if not _ANY_SURROGATE.search(path):
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return safe_text(path)


def safe_text(text: str) -> str:
    """``text`` with every lone surrogate written as its escape (``\\udcff``): storable."""
    if not _ANY_SURROGATE.search(text):
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _check_columns(csv_columns: Mapping[str, str] | None) -> dict[str, str]:
    columns = dict(csv_columns or {})
    unknown = sorted(set(columns) - set(FIELDS))
    if unknown:
        raise SettingsError(
            f"csv_columns names unknown field(s) {', '.join(unknown)}; "
            f"known fields: {', '.join(FIELDS)}"
        )
    return columns


def file_kind(path: str) -> str | None:
    """The reader for a file name (text, jsonl, json, csv), or None for an unknown type."""
    name = os.path.basename(path).lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return _KINDS.get(os.path.splitext(name)[1])


@dataclass(frozen=True, slots=True)
class _Entry:
    """One thing to read, or to report: ``kind`` is a reader, "skip" or "problem"."""

    path: str
    kind: str
    reason: str = ""


def plan(path: str) -> list[tuple[str, str, str]]:
    """What ``iter_raw`` would do with ``path``, in order: (path, kind, reason) with kind
    text, jsonl, json, csv, stdin, "skip" (not read: reason) or "problem" (reason)."""
    return [(e.path, e.kind, e.reason) for e in _plan(path)]


def read_file(path: str, kind: str, *, csv_columns: Mapping[str, str] | None = None,
              max_record_bytes: int | None = None) -> Iterator[RawArticle]:
    """The records of one planned file (see ``plan``), as ``iter_raw`` reads them."""
    limit = max_record_bytes if max_record_bytes is not None else record_byte_limit(
        DEFAULT_MAX_CHARS)
    if kind == "problem":
        source = display_path(path)
        return iter([_problem(source, source, "cannot list directory", "")])
    return _iter_file(path, kind, _check_columns(csv_columns), limit)


def read_json_lines(path: str, start: int, stop: int, first_line: int, *,
                    csv_columns: Mapping[str, str] | None = None,
                    max_record_bytes: int | None = None) -> Iterator[RawArticle]:
    """The records of bytes ``start``..``stop`` of a JSON Lines file, the first of them on
    line ``first_line``: what live mode reads of a file that grows.  Both offsets must be
    line boundaries; locators are those a read of the whole file gives."""
    limit = max_record_bytes if max_record_bytes is not None else record_byte_limit(
        DEFAULT_MAX_CHARS)
    source = display_path(path)
    opened = _open(path, source)
    if isinstance(opened, RawArticle):
        yield opened
        return
    position = _Position(line=first_line - 1)
    try:
        with opened as handle:
            handle.seek(start)
            yield from _counted(_iter_json_lines(
                _lines(_ranged(handle, stop - start), limit, position, first=first_line),
                source, csv_columns), position)
    except _READ_ERRORS as exc:
        yield _problem(source, f"{source}:{position.line + 1}",
                       f"cannot read file: {_describe(exc)}", "")


def _ranged(handle: BinaryIO, size: int) -> Iterator[bytes]:
    while size > 0:
        chunk = handle.read(min(_CHUNK, size))
        if not chunk:
            return
        size -= len(chunk)
        yield chunk


def _plan(path: str) -> list[_Entry]:
    """What to read for one user-given path."""
    if path == STDIN:
        return [_Entry(STDIN, "stdin")]
    if os.path.isdir(path):
        return _walk(path)
    if not os.path.lexists(path):
        raise SourceError(display_path(path), "no such file or directory")
    kind = file_kind(path)
    if kind is None:
        raise SourceError(display_path(path),
                          f"unknown file type; expected {SUPPORTED} or a directory")
    return [_Entry(path, kind)]


def _walk(directory: str) -> list[_Entry]:
    """Every file below ``directory`` in sorted order, hidden files and folders left out.

    Hidden entries are editor backups, ``.git`` or notebook checkpoints, never corpus data.
    A sub-directory that cannot be listed is one problem entry; links to directories are
    not followed (they could loop) and are reported, as are files of unknown type.
    """
    entries: list[_Entry] = []

    def fail(exc: OSError) -> None:
        where = exc.filename or directory
        entries.append(_Entry(where, "problem", f"cannot list directory: {exc.strerror}"))

    for root, dirs, files in os.walk(directory, onerror=fail):
        visible = [name for name in dirs if not name.startswith(".")]
        dirs[:] = visible
        for name in visible:
            sub = os.path.join(root, name)
            if os.path.islink(sub):
                entries.append(_Entry(sub, "skip", "link to a directory (not followed)"))
        for name in files:
            if name.startswith("."):
                continue
            file = os.path.join(root, name)
            kind = file_kind(file)
            if kind is None:
                entries.append(_Entry(file, "skip", f"unknown file type; read are {SUPPORTED}"))
            else:
                entries.append(_Entry(file, kind))

    # Sort on path components so the order does not depend on the file system's.
    return sorted(entries, key=lambda e: os.path.relpath(e.path, directory).split(os.sep))


def _iter_plan(plan: list[_Entry], columns: dict[str, str], stdin: _Stream | None,
               limit: int, on_skip: SkipHandler | None, meter: ReadMeter | None = None
               ) -> Iterator[RawArticle]:
    for entry in plan:
        if entry.kind == "stdin":
            yield from _iter_stdin(stdin, limit, columns)
        elif entry.kind == "skip":
            if on_skip is not None:
                on_skip(Skipped(display_path(entry.path), entry.reason))
        elif entry.kind == "problem":
            source = display_path(entry.path)
            yield _problem(source, source, entry.reason, "")
        else:
            yield from _iter_file(entry.path, entry.kind, columns, limit, meter)
            if meter is not None:
                meter.finished += planned_size([(entry.path, entry.kind)]) or 0


@dataclass(slots=True)
class _Position:
    """Where a reader is in its file, for the problem record when the file breaks."""

    line: int = 0
    records: int = 0


def _iter_file(path: str, kind: str, columns: dict[str, str], limit: int,
               meter: ReadMeter | None = None) -> Iterator[RawArticle]:
    source = display_path(path)
    opened = _open(path, source)
    if isinstance(opened, RawArticle):
        yield opened
        return
    position = _Position()
    try:
        with opened as handle, _metered(meter, handle):
            if kind == "text":
                yield _read_text(handle, source, limit)
            elif kind == "jsonl":
                yield from _counted(_iter_json_lines(_lines(handle, limit, position), source,
                                                     columns), position)
            elif kind == "json":
                yield from _counted(_read_json(handle, source, columns, limit, position),
                                    position)
            else:
                yield from _counted(_read_csv(handle, source, columns, limit, position),
                                    position)
    except _READ_ERRORS as exc:
        # Records before the damage were complete and have been yielded; say where it broke.
        where = f"{source}:{position.line + 1}" if position.line else source
        read = (f"; the {position.records} record(s) before it were read"
                if position.records else "")
        yield _problem(source, where, f"cannot read file: {_describe(exc)}{read}; nothing after "
                       "it could be read", "")


@contextlib.contextmanager
def _metered(meter: ReadMeter | None, handle: BinaryIO) -> Iterator[None]:
    """``meter`` follows ``handle`` while the block reads it."""
    if meter is None:
        yield
        return
    meter.current = handle
    try:
        yield
    finally:
        meter.current = None


def _counted(records: Iterator[RawArticle], position: _Position) -> Iterator[RawArticle]:
    for record in records:
        position.records += 1
        yield record


def _describe(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return f"truncated compressed file ({exc})"
    if isinstance(exc, gzip.BadGzipFile | zlib.error):
        return f"corrupt compressed file ({exc})"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _open(path: str, source: str) -> BinaryIO | RawArticle:
    """The file opened for binary reading, or a problem record saying why it cannot be.

    Opened without blocking and checked to be a regular file first: opening a FIFO named
    ``.txt`` for reading would otherwise wait forever for a writer.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        if os.path.islink(path):
            target = display_path(os.readlink(path))
            return _problem(source, source,
                            f"cannot open file: dangling link to {target!r}", "")
        return _problem(source, source, "cannot open file: it no longer exists", "")
    except OSError as exc:
        return _problem(source, source, f"cannot open file: {_describe(exc)}", "")
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            os.close(fd)
            what = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                    else "not a regular file")
            return _problem(source, source, f"not read: {what}, not a regular file", "")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        raw = os.fdopen(fd, "rb")
    except OSError as exc:
        os.close(fd)
        return _problem(source, source, f"cannot open file: {_describe(exc)}", "")
    if path.lower().endswith(".gz"):
        # GzipFile streams (nothing is decompressed up front) and is a binary file in all
        # but its declared type.
        return cast(BinaryIO, gzip.GzipFile(fileobj=raw, mode="rb"))
    return raw


# --- bounded line reading ----------------------------------------------------------------


def _fragments(handle: BinaryIO | Iterable[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(content, line ending) pieces of a byte stream; the ending is b"" mid-line.

    Pieces are at most a chunk long, so a line of any length streams through.  "\\r\\n",
    "\\n" and a lone "\\r" all end a line (files from old Mac software use the last).
    """
    chunks = _chunks(handle)
    for chunk in chunks:
        while chunk.endswith(b"\r"):
            # a "\r\n" split between two chunks is one line ending, not two
            more = next(chunks, b"")
            if not more:
                break
            chunk += more
        start = 0
        for match in _EOL.finditer(chunk):
            yield chunk[start:match.start()], match.group()
            start = match.end()
        if start < len(chunk):
            yield chunk[start:], b""


def _chunks(handle: BinaryIO | Iterable[bytes]) -> Iterator[bytes]:
    read = getattr(handle, "read", None)
    if read is not None:
        while True:
            chunk = read(_CHUNK)
            if not chunk:
                return
            yield bytes(chunk) if not isinstance(chunk, bytes) else chunk
    else:
        yield from handle


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    data: bytes | None  # None: longer than the limit (only ``head`` is kept)
    size: int
    head: bytes


def _lines(handle: BinaryIO | Iterable[bytes], limit: int,
           position: _Position | None = None, first: int = 1) -> Iterator[_Line]:
    """Physical lines without their endings, each held only up to ``limit`` bytes."""
    number = first
    parts: list[bytes] = []
    size = 0
    head: bytes | None = None  # set once the line is over the limit
    for content, ending in _fragments(handle):
        if content and head is None and size + len(content) <= limit:
            parts.append(content)
        elif content and head is None:
            head, parts = (b"".join(parts) + content)[:RAW_LIMIT * 4], []
        size += len(content)
        if ending:
            yield _make_line(number, parts, size, head)
            if position is not None:
                position.line = number
            number += 1
            parts, size, head = [], 0, None
    if size:
        yield _make_line(number, parts, size, head)
        if position is not None:
            position.line = number


def _make_line(number: int, parts: list[bytes], size: int, head: bytes | None) -> _Line:
    if head is not None:
        return _Line(number, None, size, head)
    return _Line(number, b"".join(parts), size, b"")


def _read_limited(handle: BinaryIO, limit: int) -> tuple[bytes, bool]:
    """Up to ``limit`` bytes of the stream, and whether there was more (not read)."""
    data = handle.read(limit + 1)
    return data[:limit], len(data) > limit


# --- stdin -----------------------------------------------------------------------------


def _iter_stdin(stream: _Stream | None, limit: int, columns: Mapping[str, str] | None = None
                ) -> Iterator[RawArticle]:
    if stream is None:
        if sys.stdin is None:
            raise SourceError(STDIN, "no standard input")
        # The byte stream, so undecodable input becomes a problem record, not a crash.
        stream = getattr(sys.stdin, "buffer", sys.stdin)
    chunks = _byte_chunks(stream)
    head: list[bytes] = []
    for chunk in chunks:
        head.append(chunk)
        if b"".join(head).removeprefix(_BOM).strip():
            break
    first = b"".join(head).removeprefix(_BOM).lstrip()
    rest = itertools.chain(head, chunks)
    if first.startswith(b"{"):
        # JSON Lines from a pipe take --column like a file (text=title for headlines)
        yield from _iter_json_lines(_lines(rest, limit), STDIN_NAME, columns)
        return
    data = b"".join(_capped(rest, limit + 1))
    if len(data) > limit:
        yield _problem(STDIN_NAME, STDIN_NAME, _oversize(None, limit), _lossy(data))
        return
    yield _text_record(data, STDIN_NAME, STDIN_NAME)


def _capped(chunks: Iterable[bytes], most: int) -> Iterator[bytes]:
    """Chunks until ``most`` bytes have been passed on."""
    seen = 0
    for chunk in chunks:
        if seen + len(chunk) >= most:
            yield chunk[:most - seen]
            return
        seen += len(chunk)
        yield chunk


def _byte_chunks(stream: _Stream) -> Iterator[bytes]:
    """A text or binary stream as byte chunks, so both go through one decoder."""
    try:
        if isinstance(stream, io.TextIOBase) or not hasattr(stream, "read"):
            for line in stream:
                yield line if isinstance(line, bytes) else _encode(line)
            return
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return
            yield chunk if isinstance(chunk, bytes) else _encode(chunk)
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


def _read_text(handle: BinaryIO, source: str, limit: int) -> RawArticle:
    data, more = _read_limited(handle, limit)
    if more:  # the rest of the file is never read: the limit is the point
        return _problem(source, source, _oversize(None, limit), _lossy(data))
    return _text_record(data, source, source)


def _text_record(data: bytes, source: str, locator: str) -> RawArticle:
    data = data.removeprefix(_BOM)
    try:
        content = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _problem(source, locator, f"undecodable bytes: {exc}", _lossy(data))
    parts = _TEXT_EOL.split(content, maxsplit=1)
    first = parts[0]
    rest = parts[1] if len(parts) > 1 else ""
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


def _iter_json_lines(lines: Iterable[_Line], source: str,
                     columns: Mapping[str, str] | None = None) -> Iterator[RawArticle]:
    """One record per non-blank line; decoded line by line so one bad line stays one."""
    for line in lines:
        data = line.data
        if line.number == 1 and data is not None:
            data = data.removeprefix(_BOM)
        locator = f"{source}:{line.number}"
        if data is None:
            yield _problem(source, locator, _oversize(line.size, None), _lossy(line.head))
            continue
        if not data.strip():
            continue
        yield json_line_record(data, source, locator, columns)


def json_line_record(data: bytes, source: str, locator: str,
                     columns: Mapping[str, str] | None = None) -> RawArticle:
    """One JSON Lines record (its bytes, without the line ending)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _problem(source, locator, f"undecodable bytes: {exc}", _lossy(data))
    return _json_record(text, source, locator, columns)


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


def _read_json(handle: BinaryIO, source: str, columns: Mapping[str, str], limit: int,
               position: _Position) -> Iterator[RawArticle]:
    """A ``.json`` file holds JSON Lines (streamed), one object, or an array of objects.

    It is JSON Lines when its first non-blank line is a complete JSON object on its own;
    otherwise the whole file is parsed as one document (so it is held in memory, up to
    ``JSON_DOCUMENT_LIMIT``).
    """
    lines = _lines(handle, max(limit, JSON_DOCUMENT_LIMIT), position)
    head: list[_Line] = []
    for line in lines:
        head.append(line)
        if line.data is None or line.data.removeprefix(_BOM).strip():
            break
    first = head[-1].data if head else b""
    if first is not None and first.removeprefix(_BOM).strip().startswith(b"{") \
            and _is_json_object(first.removeprefix(_BOM)):
        yield from _iter_json_lines(_relimit(itertools.chain(head, lines), limit), source,
                                    columns)
        return
    # one document: put the lines back together (their endings do not matter to JSON)
    size = 0
    parts: list[bytes] = []
    for line in itertools.chain(head, lines):
        size += line.size + 1
        if line.data is None or size > JSON_DOCUMENT_LIMIT:
            problem = (f"JSON document larger than {JSON_DOCUMENT_LIMIT} bytes: not read; "
                       "write it as JSON Lines (one object per line) instead")
            yield _problem(source, source, problem, "")
            return
        parts.append(line.data)
    data = b"\n".join(parts).removeprefix(_BOM)
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
            yield _item_record(item, source, f"{source}:item {number}", columns, limit)
    else:
        problem = f"malformed JSON: expected an object or array, got {_json_type(document)}"
        yield _problem(source, source, problem, content)


def _relimit(lines: Iterable[_Line], limit: int) -> Iterator[_Line]:
    """Lines read under the document limit, cut back to the record limit."""
    for line in lines:
        if line.data is not None and line.size > limit:
            yield _Line(line.number, None, line.size, line.data[:RAW_LIMIT * 4])
        else:
            yield line


def _item_record(item: object, source: str, locator: str, columns: Mapping[str, str],
                 limit: int) -> RawArticle:
    try:
        raw = json.dumps(item, ensure_ascii=False)
    except (ValueError, RecursionError) as exc:
        return _problem(source, locator, f"malformed JSON: {exc}", "")
    if len(raw) > limit:
        return _problem(source, locator, _oversize(len(raw), None), raw)
    if not isinstance(item, dict):
        problem = f"malformed JSON: expected an object, got {_json_type(item)}"
        return _problem(source, locator, problem, raw)
    return _mapping_record(item, source, locator, raw, columns)


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
    values = {name: pick(name) for name in ("date", "id", "title", "url", "source")}
    for key, value in [(text_key, text), *values.values()]:
        found = _ANY_SURROGATE.search(value) if isinstance(value, str) else None
        if found is not None:
            problem = (f"lone surrogate {ascii(found.group())[1:-1]} in {key!r} at character "
                       f"{found.start()}: a JSON escape that is not a character")
            return _problem(source, locator, problem, raw)
    return RawArticle(
        source_path=source,
        locator=locator,
        text=text,
        date_text=_date_value(values["date"][1]),
        article_id=_scalar(values["id"][1]),
        title=_scalar(values["title"][1]),
        url=_scalar(values["url"][1]),
        outlet=_scalar(values["source"][1]),
        raw=safe_text(raw[:RAW_LIMIT]),
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
    return safe_text(json.dumps(value))[:RAW_LIMIT]


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
#
# Record boundaries are found here, not by the csv module: a record is a run of physical
# lines that the csv module's own state machine (the default dialect) would read as one
# row.  Knowing the lines of each record lets a reader (1) report rows as "row N (lines
# A-B)", (2) stop holding a record once it passes the size limit while still finding where
# it ends, and (3) catch a runaway quoted field: a stray quote that would swallow the rest
# of the file into one field.  Each record's lines are then parsed by ``csv.reader``.

_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)


def _advance(state: int, text: str) -> int:
    """The CSV parser state after ``text`` (no line endings in it)."""
    i, n = 0, len(text)
    while i < n:
        if state == _QUOTED:
            j = text.find('"', i)
            if j < 0:
                return _QUOTED
            state, i = _QUOTE_IN_QUOTED, j + 1
        elif state == _FIELD:
            j = text.find(",", i)
            if j < 0:
                return _FIELD
            state, i = _START, j + 1
        else:  # the start of a field, or just after the closing quote of a quoted one
            char = text[i]
            if char == '"':
                state = _QUOTED
            elif char == ",":
                state = _START
            else:
                state = _FIELD
            i += 1
    return state


@dataclass(slots=True)
class _CsvLine:
    number: int
    text: str  # the whole line, or its first characters when it is over the limit
    ending: str
    size: int  # characters, without the ending
    whole: bool
    fresh: int  # parser state at its end when the line starts a record
    continued: int  # ... when it starts inside a quoted field


def _csv_lines(handle: BinaryIO, limit: int, position: _Position) -> Iterator[_CsvLine]:
    """Decoded physical lines with the parser state at their end, held up to ``limit``."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
    number = 1
    parts: list[str] = []
    size = 0
    over = False
    head = ""
    fresh, continued = _START, _QUOTED
    first = True

    def line(ending: str) -> _CsvLine:
        if over:
            return _CsvLine(number, head, ending, size, False, fresh, continued)
        text = "".join(parts)
        if '"' not in text:  # the common case: no quote, so no state to follow
            return _CsvLine(number, text, ending, size, True, _FIELD if text else _START,
                            _QUOTED)
        return _CsvLine(number, text, ending, size, True, _advance(_START, text),
                        _advance(_QUOTED, text))

    for content, ending in _fragments(handle):
        if first:
            content, first = content.removeprefix(_BOM), False
        # line endings are ASCII: a character is never split across two lines
        text = decoder.decode(content, final=bool(ending))
        if text and not over and size + len(text) <= limit:
            parts.append(text)
        elif text and not over:
            # going over the limit: keep a head for the report and only follow the states
            kept = "".join(parts) + text
            over, head, parts = True, kept[:RAW_LIMIT], []
            fresh, continued = _advance(_START, kept), _advance(_QUOTED, kept)
        elif text:
            fresh, continued = _advance(fresh, text), _advance(continued, text)
        size += len(text)
        if ending:
            yield line(ending.decode("ascii"))
            position.line = number
            number += 1
            parts, size, over, head, fresh, continued = [], 0, False, "", _START, _QUOTED
    tail = decoder.decode(b"", final=True)
    if tail and not over:
        parts.append(tail)
    size += len(tail)
    if size:
        yield line("")
        position.line = number


@dataclass(slots=True)
class _CsvRecord:
    lines: list[_CsvLine]
    size: int = 0
    problem: str | None = None

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number

    @property
    def whole(self) -> bool:
        return all(line.whole for line in self.lines)

    def texts(self) -> list[str]:
        return [line.text + line.ending for line in self.lines]

    def head(self) -> str:
        return "".join(itertools.islice(self.texts(), 0, 50))[:RAW_LIMIT]


class _CsvRecords:
    """Physical lines grouped into records, as the csv module would group them.

    A record that spans several lines is accepted only if it parses strictly into the
    header's number of fields.  Otherwise its opening quote was a stray one that swallowed
    the lines after it (a *runaway* quoted field): its first line is quarantined and the
    lines after it are read again as rows.  The same happens as soon as a record grows
    past the size limit while one of its lines looked like the start of a new row
    (``looks_like_row``); without such a line it is one oversize record.
    """

    def __init__(self, lines: Iterator[_CsvLine], limit: int) -> None:
        self.lines = lines
        self.limit = limit
        self.width: int | None = None  # fields per row, once the header is known
        self.looks_like_row: Callable[[str], bool] | None = None
        self._again: list[_CsvLine] = []  # lines to read again, in reverse order

    def _next(self) -> _CsvLine | None:
        if self._again:
            return self._again.pop()
        return next(self.lines, None)

    def __iter__(self) -> Iterator[_CsvRecord]:
        while (line := self._next()) is not None:
            if not line.size:
                continue  # a blank line between rows
            record = _CsvRecord([line], line.size + len(line.ending))
            if line.fresh != _QUOTED:
                yield record
                continue
            yield self._continue(record)

    def _continue(self, record: _CsvRecord) -> _CsvRecord:
        """Read the lines of a record whose quoted field is still open."""
        suspect: int | None = None  # index of the first line that looks like a row
        while True:
            line = self._next()
            if line is None:
                if len(record.lines) == 1:
                    record.problem = (f"unterminated quoted field: the quote opened on line "
                                      f"{record.first} is never closed")
                    return record
                return self._runaway(record, suspect, "is never closed")
            if suspect is None and self.looks_like_row is not None \
                    and self.looks_like_row(line.text):
                suspect = len(record.lines)
            record.lines.append(line)
            record.size += line.size + len(line.ending)
            if record.size > self.limit:
                if suspect is not None:
                    return self._runaway(record, suspect, "runs past the size limit")
                return self._oversize(record)
            if line.continued != _QUOTED:
                if self._parses(record):
                    return record
                return self._runaway(record, suspect, "closes where it cannot")

    def _parses(self, record: _CsvRecord) -> bool:
        try:
            rows = [row for row in csv.reader(record.texts(), strict=True) if row]
        except csv.Error:
            return False
        return len(rows) == 1 and (self.width is None or len(rows[0]) == self.width)

    def _runaway(self, record: _CsvRecord, suspect: int | None, how: str) -> _CsvRecord:
        keep = suspect if suspect else 1
        self._again.extend(reversed(record.lines[keep:]))
        bad = _CsvRecord(record.lines[:keep])
        bad.size = sum(line.size + len(line.ending) for line in bad.lines)
        bad.problem = (f"runaway quoted field: the quote opened on line {bad.first} {how}; "
                       f"this row is quarantined and reading goes on from line "
                       f"{record.lines[keep].number}")
        return bad

    def _oversize(self, record: _CsvRecord) -> _CsvRecord:
        """Follow an oversize record to its end, holding only its first lines."""
        line: _CsvLine | None = record.lines[-1]
        while line is not None and line.continued == _QUOTED:
            line = self._next()
            if line is not None:
                record.size += line.size + len(line.ending)
                if len(record.lines) < 50:
                    record.lines.append(line)
                else:
                    record.lines[-1] = line
        record.problem = _oversize(record.size, self.limit)
        return record


def _read_csv(handle: BinaryIO, source: str, columns: Mapping[str, str], limit: int,
              position: _Position) -> Iterator[RawArticle]:
    """One record per data row; rows with bytes that are not UTF-8 become problem records.

    Decoding with surrogateescape pins bad bytes to the rows that hold them; the CSV
    structure survives because delimiters and quotes are ASCII.
    """
    if csv.field_size_limit() < limit + 1:
        csv.field_size_limit(limit + 1)  # process-wide, but only ever raised
    records = _CsvRecords(_csv_lines(handle, limit, position), limit)
    header_locator = f"{source}:{HEADER}"
    stream = iter(records)
    first = next(stream, None)
    if first is None:
        return  # empty file: no records
    header = _parse_record(first)
    if isinstance(header, str):
        yield _problem(source, header_locator, header, _lossy_text(first.head()))
        return
    if any(_SURROGATE.search(name) for name in header):
        yield _problem(
            source, header_locator, f"undecodable bytes: {_decode_error(header)}",
            _lossy_text(json.dumps(header, ensure_ascii=False)),
        )  # fmt: skip
        return
    index, missing = _resolve_columns(header, columns)
    if missing is not None:
        yield _problem(source, header_locator, missing,
                       safe_text(json.dumps(header, ensure_ascii=False)))
        return
    records.width = len(header)
    records.looks_like_row = _row_check(header, index)
    for row_number, record in enumerate(stream, start=1):
        lines = (f"line {record.first}" if record.first == record.last
                 else f"lines {record.first}-{record.last}")
        locator = f"{source}:row {row_number} ({lines})"
        row = _parse_record(record)
        if isinstance(row, str):
            yield _problem(source, locator, row, _lossy_text(record.head()))
        else:
            yield _csv_record(header, row, index, source, locator)


def _parse_record(record: _CsvRecord) -> list[str] | str:
    """The fields of one record, or the problem with it."""
    if record.problem is not None:
        return record.problem
    if not record.whole:
        return _oversize(record.size, None)
    try:
        rows = [row for row in csv.reader(record.texts()) if row]
    except csv.Error as exc:
        return f"malformed CSV: {exc}"
    if len(rows) != 1:  # cannot happen if the boundaries above match the csv module's
        return f"malformed CSV: {len(rows)} rows where one was expected"
    return rows[0]


def _row_check(header: list[str], index: Mapping[str, int]) -> Callable[[str], bool] | None:
    """Does a line inside a quoted field look like the start of a new row?

    A line does when, read on its own, it has exactly the header's number of fields and
    the fields that identify a row hold plausible values (the date parses, the id is one
    token).  Without a date or id column there is nothing to recognise a row by.
    """
    from foreshock.normalize.dates import parse_published

    width = len(header)
    date_column, id_column = index.get("date"), index.get("id")
    if width < 2 or (date_column is None and id_column is None):
        return None

    def looks_like_row(line: str) -> bool:
        if line.count(",") < width - 1:
            return False
        try:
            fields = next(csv.reader([line]), [])
        except csv.Error:
            return False
        if len(fields) != width:
            return False
        if id_column is not None:
            value = fields[id_column].strip()
            if not value or len(value) > 200 or any(c.isspace() for c in value):
                return False
        return date_column is None or parse_published(fields[date_column]) is not None

    return looks_like_row


def _resolve_columns(
    header: list[str], columns: Mapping[str, str]
) -> tuple[dict[str, int], str | None]:
    """Column index per field, or a problem naming what the header lacks.

    Mapped names must match exactly; default names match case-insensitively.
    """
    exact = {name: i for i, name in reversed(list(enumerate(header)))}
    folded = {name.strip().casefold(): i for i, name in reversed(list(enumerate(header)))}
    index: dict[str, int] = {}
    for field_name in FIELDS:
        if field_name in columns:
            if columns[field_name] not in exact:
                return index, (
                    f"missing mapped column: {columns[field_name]!r} (mapped to {field_name}); "
                    f"columns: {', '.join(header)}"
                )
            index[field_name] = exact[columns[field_name]]
            continue
        for name in DEFAULT_NAMES[field_name]:
            if name.casefold() in folded:
                index[field_name] = folded[name.casefold()]
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

    def get(field_name: str) -> str | None:
        column = index.get(field_name)
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
    for value in fields:
        try:
            value.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeDecodeError as exc:
            return str(exc)
    return "invalid UTF-8"


# --- helpers ---------------------------------------------------------------------------


def is_file_problem(raw: RawArticle) -> bool:
    """A problem with a whole file (a CSV header without a text column), not a record."""
    return raw.problem is not None and raw.locator == f"{raw.source_path}:{HEADER}"


def _oversize(size: int | None, limit: int | None) -> str:
    if size is None:
        return f"oversize record: more than {limit} bytes (not read further)"
    if limit is None:
        return f"oversize record: {size} bytes or characters, over the record limit"
    return f"oversize record: {size} bytes or characters, over the record limit of {limit}"


def _problem(source: str, locator: str, problem: str, raw: str) -> RawArticle:
    return RawArticle(
        source_path=source,
        locator=locator,
        text=None,
        date_text=None,
        raw=safe_text(raw[:RAW_LIMIT]),
        problem=safe_text(problem),
    )


def _lossy(data: bytes) -> str:
    # Decode only what the cap can keep (a UTF-8 character is at most 4 bytes).
    return data[: RAW_LIMIT * 4].decode("utf-8", "replace")[:RAW_LIMIT]


def _lossy_text(text: str) -> str:
    """Text holding escaped bad bytes, made safe to store (bad bytes become U+FFFD)."""
    try:
        return _lossy(text[:RAW_LIMIT].encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        return safe_text(text[:RAW_LIMIT])
