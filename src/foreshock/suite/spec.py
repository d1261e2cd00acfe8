"""A backtest suite file (TOML): corpora, cases and where the coded database is cached.

One file describes many backtests at once::

    version = "suite.v1"
    cache = "out/suite"                   # relative to the suite file (gitignored)

    [corpora.wcep]                        # a name cases refer to
    paths = ["../../shared/data/wcep/wcep_2010-2026.jsonl.gz"]
    fields = { text = "text", date = "date", id = "id" }
    outlet = "WCEP"                       # outlet of every item (or `outlet_field`)
    style = "wire"                        # wire | transcript | release | headline (report only)

    [[cases]]
    name = "rus-ukr-2022-wcep"
    kind = "warn"                         # warn | detect | calm
    part = "tuning"                       # tuning | held-out
    corpora = ["wcep"]
    window = ["2021-09-01", "2022-04-30"] # articles published in these days take part
    onset = "2022-02-24"
    dyads = ["RUS-UKR"]

Every key is checked; a wrong key or value names the file, the line and what was expected
(``DataFileError``), so a typo cannot silently drop a case.  Paths are relative to the suite
file.  Corpora are read only inside the union of their cases' windows: that is what keeps a
fresh run of the suite short.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from foreshock.errors import DataFileError
from foreshock.normalize.dates import date_range_problem

KINDS = ("warn", "detect", "calm")
PARTS = ("tuning", "held-out")
STYLES = ("wire", "transcript", "release", "headline")
FIELD_NAMES = ("text", "date", "id", "title", "url", "source")
# Fields of a source that must never reach the coder or a detector.  WCEP's `topic` is the
# heading above an item, often written or renamed after the fact ("Prelude to the ...").
FORBIDDEN_SOURCE_FIELDS = frozenset({"topic"})
_DYAD = re.compile(r"^[A-Z0-9]{2,12}-[A-Z0-9]{2,12}$")


@dataclass(frozen=True, slots=True)
class CorpusSpec:
    name: str
    paths: tuple[Path, ...]
    fields: tuple[tuple[str, str], ...]  # (our field, the source's key or column)
    outlet: str  # outlet of every record when ``outlet_field`` is empty or missing
    outlet_field: str  # a source key holding the outlet (a list: its first element)
    style: str

    def field(self, name: str) -> str | None:
        return dict(self.fields).get(name)


@dataclass(frozen=True, slots=True)
class CaseSpec:
    name: str
    kind: str
    part: str
    corpora: tuple[str, ...]
    start: dt.date
    end: dt.date
    onset: dt.date | None  # warn/detect: the day the crisis broke out
    dyads: tuple[str, ...]  # the dyads that matter (warn/detect)
    score_from: dt.date  # first day counted by the metrics (earlier days are warm-up)
    war_until: dt.date | None  # detect/warn: the war goes on until here (ongoing-war metric)
    wars: tuple[str, ...]  # dyads at war throughout the window (ongoing-war metric)
    exclude: tuple[str, ...]  # calm: dyads in a known conflict or crisis, not counted calm
    exclude_actors: tuple[str, ...]  # calm: actors at war in the stretch (their dyads too)
    note: str

    @property
    def days(self) -> int:
        return (self.end - self.score_from).days + 1


@dataclass(frozen=True, slots=True)
class Suite:
    path: Path
    version: str
    cache: Path
    corpora: Mapping[str, CorpusSpec]
    cases: tuple[CaseSpec, ...]
    calm_min_events: int  # story-events a dyad needs in a calm stretch to count as calm

    def windows(self, corpus: str) -> list[tuple[dt.date, dt.date]]:
        """The merged date windows in which ``corpus`` is read (union over its cases)."""
        spans = sorted((c.start, c.end) for c in self.cases if corpus in c.corpora)
        merged: list[tuple[dt.date, dt.date]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1] + dt.timedelta(days=1):
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged


def load_suite(path: str | Path) -> Suite:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise DataFileError(str(file), 0, "", f"a readable suite file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(file), 0, "", f"valid TOML ({exc})") from exc
    check = _Checker(str(file), text)
    check.keys("", data, required={"version", "cache", "corpora", "cases"},
               optional={"calm_min_events"})
    base = file.resolve().parent
    corpora: dict[str, CorpusSpec] = {}
    tables = data["corpora"]
    if not isinstance(tables, Mapping) or not tables:
        raise check.fail("corpora", tables, "a table of corpora")
    for name, table in tables.items():
        corpora[name] = _corpus(check, base, str(name), table)
    cases_data = data["cases"]
    if not isinstance(cases_data, list) or not cases_data:
        raise check.fail("cases", cases_data, "an array of [[cases]] tables")
    cases = tuple(_case(check, c, corpora) for c in cases_data)
    names = [c.name for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise check.fail("name", dupes[0], "a case name used once")
    min_events = data.get("calm_min_events", 12)
    if not isinstance(min_events, int) or isinstance(min_events, bool) or min_events < 1:
        raise check.fail("calm_min_events", min_events, "an integer >= 1")
    return Suite(path=file, version=check.string("version", data["version"]),
                 cache=(base / check.string("cache", data["cache"])).resolve(),
                 corpora=corpora, cases=cases, calm_min_events=min_events)


def _corpus(check: _Checker, base: Path, name: str, table: Any) -> CorpusSpec:
    where = f"corpora.{name}"
    if not isinstance(table, Mapping):
        raise check.fail(where, table, "a table")
    check.keys(where, table, required={"paths", "fields"},
               optional={"outlet", "outlet_field", "style"})
    paths = table["paths"]
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise check.fail("paths", paths, "a non-empty list of paths")
    fields = table["fields"]
    if not isinstance(fields, Mapping):
        raise check.fail("fields", fields, "a table of field = source key")
    pairs: list[tuple[str, str]] = []
    for key, value in fields.items():
        if key not in FIELD_NAMES:
            raise check.fail("fields", key, f"one of {', '.join(FIELD_NAMES)}")
        if not isinstance(value, str) or value in FORBIDDEN_SOURCE_FIELDS:
            raise check.fail("fields", value, "a source key other than "
                             + ", ".join(sorted(FORBIDDEN_SOURCE_FIELDS)))
        pairs.append((key, value))
    if not {"text", "date"} <= {k for k, _ in pairs}:
        raise check.fail("fields", sorted(k for k, _ in pairs), "at least text and date")
    outlet_field = table.get("outlet_field", "")
    if outlet_field in FORBIDDEN_SOURCE_FIELDS:
        raise check.fail("outlet_field", outlet_field, "not a forbidden field")
    style = table.get("style", "wire")
    if style not in STYLES:
        raise check.fail("style", style, f"one of {', '.join(STYLES)}")
    return CorpusSpec(name=name, paths=tuple((base / p).resolve() for p in paths),
                      fields=tuple(sorted(pairs)),
                      outlet=check.string("outlet", table.get("outlet", name)),
                      outlet_field=check.string("outlet_field", outlet_field), style=style)


def _case(check: _Checker, table: Any, corpora: Mapping[str, CorpusSpec]) -> CaseSpec:
    if not isinstance(table, Mapping):
        raise check.fail("cases", table, "a table")
    check.keys("cases", table, required={"name", "kind", "part", "corpora", "window"},
               optional={"onset", "dyads", "score_from", "war_until", "wars", "exclude",
                         "exclude_actors", "note"})
    name = check.string("name", table["name"])
    kind = table["kind"]
    if kind not in KINDS:
        raise check.fail("kind", kind, f"one of {', '.join(KINDS)}")
    part = table["part"]
    if part not in PARTS:
        raise check.fail("part", part, f"one of {', '.join(PARTS)}")
    names = table["corpora"]
    if not isinstance(names, list) or not names or any(n not in corpora for n in names):
        raise check.fail("corpora", names, f"names of corpora ({', '.join(corpora)})")
    window = table["window"]
    if not isinstance(window, list) or len(window) != 2:
        raise check.fail("window", window, "[first day, last day]")
    start, end = (check.date("window", w) for w in window)
    if end < start:
        raise check.fail("window", window, "a first day before the last")
    onset = check.date("onset", table["onset"]) if "onset" in table else None
    if kind != "calm" and onset is None:
        raise check.fail("onset", "(missing)", f"an onset date for a {kind} case")
    dyads = check.dyads("dyads", table.get("dyads", []))
    if kind != "calm" and not dyads:
        raise check.fail("dyads", "(missing)", f"the dyads of a {kind} case")
    score_from = check.date("score_from", table["score_from"]) if "score_from" in table \
        else start
    if not start <= score_from <= end:
        raise check.fail("score_from", score_from, "a day inside the window")
    war_until = check.date("war_until", table["war_until"]) if "war_until" in table else None
    actors = table.get("exclude_actors", [])
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        raise check.fail("exclude_actors", actors, "a list of actor codes")
    return CaseSpec(name=name, kind=kind, part=part, corpora=tuple(names), start=start,
                    end=end, onset=onset, dyads=dyads, score_from=score_from,
                    war_until=war_until, wars=check.dyads("wars", table.get("wars", [])),
                    exclude=check.dyads("exclude",
                                                             table.get("exclude", [])),
                    exclude_actors=tuple(a.upper() for a in actors),
                    note=check.string("note", table.get("note", "")))


class _Checker:
    """Typed access to the parsed TOML that reports file:line for a bad key."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key: str, value: Any = None) -> int:
        pattern = re.compile(rf"^\s*\[*\s*(?:[\w.]+\.)?{re.escape(key)}\s*[=\]]")
        shown = str(value) if value is not None else None
        fallback = 0
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                if shown is None or shown in line:
                    return number
                fallback = fallback or number
        return fallback

    def fail(self, key: str, value: Any, expected: str) -> DataFileError:
        name = key.rsplit(".", 1)[-1]
        return DataFileError(self.path, self.line_of(name, value), str(value),
                             f"{key}: {expected}")

    def keys(self, where: str, table: Mapping[str, Any], *, required: set[str],
             optional: set[str]) -> None:
        allowed = required | optional
        for key in table:
            if key not in allowed:
                raise self.fail(key, key, f"one of {', '.join(sorted(allowed))}"
                                + (f" in {where}" if where else ""))
        for key in sorted(required - set(table)):
            raise self.fail(key, "(missing)", f"a key {key!r}" + (f" in {where}" if where
                                                                  else ""))

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(key, value, "a string")
        return value

    def date(self, key: str, value: Any) -> dt.date:
        day: dt.date | None = None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            day = value
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                day = dt.date.fromisoformat(value)
        if day is None:
            raise self.fail(key, value, "a date YYYY-MM-DD")
        # the one date range of files, options and the API: year 1 or 9999 would overflow
        # the backtest's day arithmetic
        problem = date_range_problem(day)
        if problem is not None:
            raise self.fail(key, value, problem)
        return day

    def dyads(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, value, "a list of dyads like RUS-UKR or SDNMIL-SDNREB")
        out: list[str] = []
        for item in value:
            if not _DYAD.match(item.upper()):
                raise self.fail(key, item, "a dyad like RUS-UKR or SDNMIL-SDNREB")
            a, b = item.upper().split("-")
            out.append(f"{min(a, b)}-{max(a, b)}")
        return tuple(out)


def parts_of(cases: Sequence[CaseSpec]) -> dict[str, list[CaseSpec]]:
    """Cases grouped by part, tuning first."""
    return {p: [c for c in cases if c.part == p] for p in PARTS}
