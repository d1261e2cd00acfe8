"""Cut the suite's corpora to the days its cases need, as JSON Lines in the cache folder.

A source (JSONL, JSONL.gz or CSV) is read once; records whose date falls in one of the
corpus's windows are written, with only the fields the suite maps (``text``, ``date``,
``id``, ``title``, ``url``, ``source``), to ``<cache>/corpora/<name>.jsonl``.  Nothing else
of the record is copied, so a field like WCEP's ``topic`` cannot reach the coder.  The
slice is rewritten only when the windows or the sources change (a small manifest beside it
records both), which keeps article ids and the coded database valid between runs.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from foreshock.errors import SourceError
from foreshock.suite.spec import CorpusSpec

CSV_FIELD_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Slice:
    corpus: str
    path: Path
    records: int
    written: bool  # False: the cached slice was still valid
    key: str = ""  # the manifest: sources, fields and windows the slice was cut from


def _open(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return path.open(encoding="utf-8", newline="")


def _records(path: Path) -> Iterator[dict[str, Any]]:
    name = path.name.removesuffix(".gz")
    if not path.exists():
        raise SourceError(str(path), "not found")
    with _open(path) as handle:
        if name.endswith(".csv"):
            csv.field_size_limit(CSV_FIELD_LIMIT)
            yield from csv.DictReader(handle)
        elif name.endswith((".jsonl", ".ndjson")):
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise SourceError(str(path), f"line {number}: {exc}") from exc
        else:
            raise SourceError(str(path), "expected .jsonl, .ndjson or .csv (optionally .gz)")


def record_day(value: Any) -> dt.date | None:
    """The calendar day of a date or timestamp string (its first ten characters)."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def in_windows(day: dt.date, windows: Sequence[tuple[dt.date, dt.date]]) -> bool:
    return any(a <= day <= b for a, b in windows)


def convert(record: dict[str, Any], corpus: CorpusSpec) -> dict[str, str]:
    """The record with our field names only (and the outlet)."""
    out: dict[str, str] = {}
    for ours, theirs in corpus.fields:
        value = record.get(theirs)
        if value is not None and value != "":
            out[ours] = str(value)
    outlet: Any = record.get(corpus.outlet_field) if corpus.outlet_field else None
    if isinstance(outlet, list):
        outlet = outlet[0] if outlet else None
    out["source"] = str(outlet) if outlet else out.get("source", corpus.outlet)
    return out


def _manifest(corpus: CorpusSpec, windows: Sequence[tuple[dt.date, dt.date]]) -> str:
    sources = [(str(p), p.stat().st_size, int(p.stat().st_mtime)) for p in corpus.paths
               if p.exists()]
    text = json.dumps({"fields": corpus.fields, "outlet": corpus.outlet,
                       "outlet_field": corpus.outlet_field, "sources": sources,
                       "windows": [(a.isoformat(), b.isoformat()) for a, b in windows]})
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_slice(corpus: CorpusSpec, windows: Sequence[tuple[dt.date, dt.date]],
                folder: Path) -> Slice:
    """Write (or reuse) the slice of ``corpus`` inside ``windows``."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{corpus.name}.jsonl"
    stamp = folder / f"{corpus.name}.manifest"
    key = _manifest(corpus, windows)
    if target.exists() and stamp.exists() and stamp.read_text().split()[0] == key:
        return Slice(corpus.name, target, int(stamp.read_text().split()[1]), False, key)
    date_key = corpus.field("date") or "date"
    count = 0
    partial = target.with_suffix(".part")
    with partial.open("w", encoding="utf-8") as out:
        for path in corpus.paths:
            for record in _records(path):
                day = record_day(record.get(date_key))
                if day is None or not in_windows(day, windows):
                    continue
                out.write(json.dumps(convert(record, corpus), ensure_ascii=False) + "\n")
                count += 1
    partial.replace(target)
    stamp.write_text(f"{key} {count}\n")
    return Slice(corpus.name, target, count, True, key)
