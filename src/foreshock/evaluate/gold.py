"""Reading gold records in the annotation guide's JSON Lines format."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from foreshock.errors import DataFileError


@dataclass(frozen=True, slots=True)
class GoldEvent:
    source: str
    target: str | None
    codes: tuple[str, ...]
    source_sector: str | None = None
    target_sector: str | None = None

    @property
    def roots(self) -> frozenset[str]:
        return frozenset(c[:2] for c in self.codes)


@dataclass(frozen=True, slots=True)
class Trap:
    source: str
    root: str
    target: str | None
    why: str = ""


@dataclass(frozen=True, slots=True)
class GoldSentence:
    sentence_id: str
    date: dt.date
    text: str
    context: str
    events: tuple[GoldEvent, ...]
    traps: tuple[Trap, ...]
    url: str | None = None  # where the sentence was published: tells who "we" is


def _event(item: dict[str, object], path: str, line: int) -> GoldEvent:
    codes = item.get("codes")
    if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
        raise DataFileError(path, line, str(codes), "a non-empty list of CAMEO code strings")
    source = item.get("source")
    if not isinstance(source, str) or not source:
        raise DataFileError(path, line, str(source), "a source actor code")
    target = item.get("target")
    return GoldEvent(source, target if isinstance(target, str) and target else None,
                     tuple(codes), _opt(item.get("source_sector")),
                     _opt(item.get("target_sector")))


def _opt(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def parse_gold_line(text: str, path: str, line: int) -> GoldSentence:
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(path, line, text[:80], f"a JSON object ({exc.msg})") from None
    if not isinstance(record, dict):
        raise DataFileError(path, line, text[:80], "a JSON object")
    try:
        day = dt.date.fromisoformat(str(record.get("date", ""))[:10])
    except ValueError:
        raise DataFileError(path, line, str(record.get("date")), "an ISO date") from None
    traps = []
    for trap in record.get("traps") or []:
        root = str(trap.get("root", "")).zfill(2)[:2]
        traps.append(Trap(str(trap.get("source", "")), root, _opt(trap.get("target")),
                          str(trap.get("why", ""))))
    return GoldSentence(
        str(record.get("id", f"line-{line}")), day, str(record.get("text", "")),
        str(record.get("context") or ""),
        tuple(_event(e, path, line) for e in record.get("events") or []), tuple(traps),
        _opt(record.get("url")))


def read_gold(path: Path) -> Iterator[GoldSentence]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                yield parse_gold_line(line, str(path), number)
