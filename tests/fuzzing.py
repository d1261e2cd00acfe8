"""Hostile corpora for the fuzz tests (``tests/unit/ingest/test_fuzz.py``) and the long
run in ``bench/fuzz.py``: Hypothesis strategies for records and files, a writer that notes
where each record lands (file, lines or array item), and the accounting check.

The check is the issue's promise: every record written is found again, either as a
record a reader yielded at that place (to be stored or quarantined) or inside a file-level
problem that names the place reading stopped; and every record read ends up counted once
(stored + already stored + quarantined + skipped = read), with the tables holding exactly
what the counts say.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

# Characters that broke (or could break) a reader: quotes, separators, every line ending,
# NUL and other controls, BOMs, Unicode line separators, combining marks, astral characters.
HOSTILE_CHARS = ['"', ",", "\n", "\r", "\r\n", "\t", "\x00", "\x0b", "\ufeff", "\u2028",
                 "\u0301", "\U0001f600", "\\", "{", "}", "date 2022-01-01", "é"]
WORDS = ["Russia", "attacked", "Ukraine", "China", "met", "Taiwan", "NATO", "warned",
         "talks", "Kyiv", "Moscow", "said", "on", "Monday", "the", "border", "troops"]
LINE_ENDINGS = ["\n", "\r\n", "\r"]
FORMATS = ["jsonl", "csv", "txt", "json", "jsonl.gz", "csv.gz", "txt.gz"]
CORRUPTIONS = ["none", "none", "none", "stray_quote", "truncate", "bad_byte"]


@dataclass(frozen=True)
class Record:
    clean: bool  # plain words, a plausible ISO date, a unique id: must be stored as given
    id: object
    date: object
    text: object
    title: object = None
    # a copy of an earlier clean record's id: the same article again (a duplicate), or
    # other text under that id (a conflict)
    repeat: int | None = None
    same: bool = True


@dataclass
class Placed:
    """Where a written record is: its file, lines (or array item) and first byte."""

    record: Record
    path: str
    first: int = 1
    last: int = 1
    item: int | None = None
    start: int = 0


@dataclass
class Corpus:
    placed: list[Placed] = field(default_factory=list)
    corrupted: set[str] = field(default_factory=set)  # files damaged on purpose
    paths: list[str] = field(default_factory=list)


hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE_CHARS), st.sampled_from(WORDS),
                                  st.text(max_size=8),
                                  # lone surrogates only survive as JSON escapes
                                  st.sampled_from(["\ud800", "\udfff", "\udcff"])),
                        max_size=30).map(" ".join)
hostile_date = st.one_of(
    st.none(), st.just(""), st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31",
                                             "2022-02-30", "02/03/2022", "2022-W05", "2022"]),
    st.dates().map(str), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.lists(st.integers(), max_size=3))
clean_date = st.dates(min_value=__import__("datetime").date(2000, 1, 1),
                      max_value=__import__("datetime").date(2024, 12, 31)).map(str)
clean_text = st.lists(st.sampled_from(WORDS), min_size=3, max_size=20).map(
    lambda words: " ".join(words) + ".")


@st.composite
def records(draw: st.DrawFn) -> Record:
    if draw(st.integers(0, 9)) == 0:
        return Record(False, None, None, None, repeat=draw(st.integers(0, 50)),
                      same=draw(st.booleans()))
    if draw(st.booleans()):
        return Record(True, None, draw(clean_date), draw(clean_text),
                      draw(st.one_of(st.none(), clean_text)))
    return Record(False, draw(st.one_of(st.none(), st.text(max_size=12), st.integers())),
                  draw(hostile_date), draw(st.one_of(hostile_text, st.none(), st.integers())),
                  draw(st.one_of(st.none(), hostile_text)))


@dataclass(frozen=True)
class FileSpec:
    fmt: str
    ending: str
    corruption: str
    records: tuple[Record, ...]
    seed: int


files = st.builds(FileSpec, st.sampled_from(FORMATS), st.sampled_from(LINE_ENDINGS),
                  st.sampled_from(CORRUPTIONS), st.lists(records(), max_size=12).map(tuple),
                  st.integers(0, 2**16))


def write_corpus(folder: Path, specs: Sequence[FileSpec], prefix: str = "") -> Corpus:
    """Write ``specs`` as files under ``folder``; clean records get unique ids."""
    corpus = Corpus()
    counter = 0
    cleans: list[Record] = []
    for number, spec in enumerate(specs):
        ids: list[Record] = []
        for record in spec.records:
            if record.repeat is not None:
                if not cleans:
                    continue
                earlier = cleans[record.repeat % len(cleans)]
                text = earlier.text if record.same else f"{earlier.text} Changed."
                ids.append(Record(False, earlier.id, earlier.date, text))
                continue
            if record.clean:
                counter += 1
                # longer than any hostile id can be, so a clean id never meets a hostile one
                record = Record(True, f"{prefix}clean-{counter:07d}", record.date,
                                record.text, record.title)
                cleans.append(record)
            ids.append(record)
        base = spec.fmt.removesuffix(".gz")
        if base == "txt":
            for index, record in enumerate(ids):
                path = folder / f"{prefix}f{number:03d}-{index}.{spec.fmt}"
                data = _text_file(record, spec.ending)
                _finish(path, spec, data, corpus, [Placed(record, str(path))])
            continue
        path = folder / f"{prefix}f{number:03d}.{spec.fmt}"
        if base == "jsonl":
            data, placed = _jsonl(ids, spec.ending, str(path))
        elif base == "json":
            data, placed = _json_array(ids, str(path))
        else:
            stray = spec.seed % len(ids) if spec.corruption == "stray_quote" and ids else None
            data, placed, malformed = _csv(ids, spec.ending, str(path), stray,
                                           quote_all=spec.seed % 2 == 1)
            if malformed or stray is not None:
                corpus.corrupted.add(str(path))
        _finish(path, spec, data, corpus, placed)
    (folder / f"{prefix}notes.md").write_text("not news: reported as skipped")
    return corpus


def _finish(path: Path, spec: FileSpec, data: bytes, corpus: Corpus,
            placed: list[Placed]) -> None:
    if spec.corruption == "bad_byte" and data:
        at = spec.seed % len(data)
        data = data[:at] + b"\xff" + data[at + 1:]
        corpus.corrupted.add(str(path))
    elif spec.corruption == "truncate" and data:
        corpus.corrupted.add(str(path))
        if not spec.fmt.endswith(".gz"):
            cut = spec.seed % len(data)
            data = data[:cut]
            # records cut off entirely are no longer in the file: nothing to find
            placed = [p for p in placed if p.start < cut]
    if spec.fmt.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
        if spec.corruption == "truncate" and len(data) > 20:
            data = data[:max(10, spec.seed % len(data))]
    path.write_bytes(data)
    corpus.paths.append(str(path))
    corpus.placed.extend(placed)


def _encode(text: str) -> bytes:
    # text with lone surrogates cannot be UTF-8: write them as the bytes a careless
    # encoder would (they must come back as "undecodable bytes", not crash anything)
    return text.encode("utf-8", "surrogatepass")


def _text_file(record: Record, ending: str) -> bytes:
    text = record.text if isinstance(record.text, str) else ""
    header = f"date {record.date}{ending}" if isinstance(record.date, str) else ""
    return _encode(header + text)


def _json_value(record: Record) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for key, item in (("id", record.id), ("date", record.date), ("text", record.text),
                      ("title", record.title)):
        if item is not None:
            value[key] = item
    return value


def _dumps(value: object) -> str:
    # ensure_ascii writes lone surrogates as escapes, which is how they reach real feeds
    return json.dumps(value, ensure_ascii=True)


def _jsonl(records: Sequence[Record], ending: str, path: str) -> tuple[bytes, list[Placed]]:
    lines = [_dumps(_json_value(r)) + ending for r in records]
    starts = [sum(len(line) for line in lines[:i]) for i in range(len(lines))]
    placed = [Placed(r, path, i + 1, i + 1, start=starts[i]) for i, r in enumerate(records)]
    return "".join(lines).encode("ascii"), placed


def _json_array(records: Sequence[Record], path: str) -> tuple[bytes, list[Placed]]:
    data = _dumps([_json_value(r) for r in records])
    return data.encode("ascii"), [Placed(r, path, item=i + 1) for i, r in enumerate(records)]


_EOL = re.compile(r"\r\n|\r|\n")


def _csv(records: Sequence[Record], ending: str, path: str, stray: int | None,
         quote_all: bool) -> tuple[bytes, list[Placed], bool]:
    """CSV as Python's writer makes it; returns whether the file is malformed anyway.

    With minimal quoting Python's writer leaves a "\\r" unquoted when the line ending is
    "\\n" (and the reverse), which splits the row on reading: such a file is fuzz input
    like any other, but its clean records are not promised to survive.
    """
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    out = io.StringIO()
    csv.writer(out, lineterminator=ending, quoting=quoting).writerow(
        ["id", "date", "text", "title"])
    line = 2
    placed: list[Placed] = []
    malformed = False
    for index, record in enumerate(records):
        row = ["" if v is None else str(v) for v in (record.id, record.date, record.text,
                                                      record.title)]
        malformed = malformed or (not quote_all and any(
            ("\r" in v or "\n" in v) for v in row))
        piece = io.StringIO()
        csv.writer(piece, lineterminator=ending, quoting=quoting).writerow(row)
        text = piece.getvalue()
        if index == stray:
            # the probe: one opening quote in the text column, never closed
            fields = text.split(",", 2)
            if len(fields) == 3:
                text = f'{fields[0]},{fields[1]},"{fields[2]}'
        start = len(_encode(out.getvalue()))
        out.write(text)
        breaks = len(_EOL.findall(text))
        placed.append(Placed(record, path, line, line + breaks - 1, start=start))
        line += breaks
    return _encode(out.getvalue()), placed, malformed


# --- the accounting check ------------------------------------------------------------------

_CSV_LOCATOR = re.compile(r":row \d+ \(lines? (\d+)(?:-(\d+))?\)$")
_LINE_LOCATOR = re.compile(r":(\d+)$")
_ITEM_LOCATOR = re.compile(r":item (\d+)$")


@dataclass
class Coverage:
    lines: dict[str, set[int]] = field(default_factory=dict)
    items: dict[str, set[int]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # files covered from the start
    from_line: dict[str, int] = field(default_factory=dict)  # file problems: from here on


def coverage(raws: Sequence[Any]) -> Coverage:
    """What the records a reader yielded cover, by their locators."""
    found = Coverage()
    for raw in raws:
        path, locator = raw.source_path, raw.locator
        rest = locator[len(path):]
        if rest in ("", ":header"):
            found.whole.add(path)
        elif (m := _CSV_LOCATOR.search(rest)) is not None:
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            found.lines.setdefault(path, set()).update(range(first, last + 1))
        elif (m := _ITEM_LOCATOR.search(rest)) is not None:
            found.items.setdefault(path, set()).add(int(m.group(1)))
        elif (m := _LINE_LOCATOR.search(rest)) is not None:
            number = int(m.group(1))
            found.lines.setdefault(path, set()).add(number)
            if raw.problem is not None and raw.problem.startswith("cannot read file"):
                found.from_line[path] = min(found.from_line.get(path, number), number)
        else:
            raise AssertionError(f"unknown locator form {locator!r}")
    return found


def unaccounted(corpus: Corpus, raws: Sequence[Any]) -> list[Placed]:
    """Written records that no yielded record (or file problem) covers."""
    cover = coverage(raws)
    missing = []
    for place in corpus.placed:
        path = place.path
        if path in cover.whole:
            continue
        if place.item is not None:
            if place.item not in cover.items.get(path, set()):
                missing.append(place)
            continue
        if cover.from_line.get(path, 10**12) <= place.last:
            continue  # the file broke at or before this record, and said so
        lines = cover.lines.get(path, set())
        if not any(n in lines for n in range(place.first, place.last + 1)):
            missing.append(place)
    return missing


def merged(corpus: Corpus, raws: Sequence[Any]) -> list[tuple[str, list[Placed]]]:
    """Records yielded as good that swallowed several written records (a runaway quote
    that went unnoticed): the swallowed ones would be lost without a word."""
    starts: dict[str, list[Placed]] = {}
    for place in corpus.placed:
        if place.item is None:
            starts.setdefault(place.path, []).append(place)
    found = []
    for raw in raws:
        if raw.problem is not None:
            continue
        m = _CSV_LOCATOR.search(raw.locator[len(raw.source_path):])
        if m is None:
            continue
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        inside = [p for p in starts.get(raw.source_path, []) if first <= p.first <= last]
        if len(inside) > 1:
            found.append((raw.locator, inside))
    return found


def clean_records(corpus: Corpus) -> list[Placed]:
    """Clean records in files that were not damaged: these must be stored as written."""
    return [p for p in corpus.placed if p.record.clean and p.path not in corpus.corrupted]
