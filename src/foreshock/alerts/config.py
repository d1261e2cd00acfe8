"""Typed loader for ``data/alerts/detectors.toml`` (or a user copy of it).

Every key is checked: an unknown key or a value of the wrong type names the file, the line
and what was expected, so a typo cannot silently fall back to a default.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

from foreshock.alerts.state import StateParams
from foreshock.errors import DataFileError
from foreshock.ontology.tsv import data_path
from foreshock.stories.cluster import StoryParams

SIGNALS = ("conflict", "verbal", "material")


@dataclass(frozen=True, slots=True)
class SeriesParams:
    window_days: int
    min_window_events: int
    min_dyad_events: int
    history_weeks: int
    min_history_events: int
    min_stories: int
    lookback_weeks: int
    force_roots: tuple[str, ...]
    directed: bool
    quad_weights: tuple[tuple[int, float], ...]
    root_weights: tuple[tuple[str, float], ...]
    code_weights: tuple[tuple[str, float], ...]
    exclude_actors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RobustZParams:
    enabled: bool
    signals: tuple[str, ...]
    baseline_weeks: int
    min_baseline: int
    min_rate: float
    threshold: float
    refractory_days: int


@dataclass(frozen=True, slots=True)
class CusumParams:
    enabled: bool
    signals: tuple[str, ...]
    baseline_weeks: int
    min_baseline: int
    min_rate: float
    ratio: float
    threshold: float


@dataclass(frozen=True, slots=True)
class OnsetParams:
    enabled: bool
    window_days: int
    history_days: int
    min_history_events: int
    min_events: int
    min_stories: int
    min_share: float
    min_rate: float
    threshold: float


@dataclass(frozen=True, slots=True)
class SevereParams:
    """One severe act between two states (or a state and an armed group) with little recent
    history of such acts between them (at most ``max_history_acts``): an onset on a single
    report (``alerts/severe.py``)."""

    enabled: bool
    roots: tuple[str, ...]
    max_goldstein: float
    exclude_codes: tuple[str, ...]
    lead_sentences: int
    window_days: int
    history_days: int
    min_history_events: int
    max_history_acts: int
    min_events: int
    state_sectors: tuple[str, ...]
    armed_sectors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AlertParams:
    evidence_events: int
    min_report_events: int


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    version: str
    path: str
    stories: StoryParams
    series: SeriesParams
    robust_z: RobustZParams
    cusum: CusumParams
    onset: OnsetParams
    severe: SevereParams
    state: StateParams
    alerts: AlertParams

    def fingerprint(self) -> str:
        """A hash of the values (not the file path), stored with alerts to spot stale ones."""
        values = {k: v for k, v in asdict(self).items() if k != "path"}
        return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()
                              ).hexdigest()[:12]


def default_path() -> Path:
    return data_path("alerts", "detectors.toml")


def load_config(path: str | Path | None = None) -> AnalysisConfig:
    """Parse and check the analysis parameters (the bundled file when ``path`` is None)."""
    file = Path(path) if path is not None else default_path()
    try:
        text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise DataFileError(str(file), 0, "", f"a readable TOML file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(file), 0, "", f"valid TOML ({exc})") from exc
    reader = _Reader(str(file), text)
    reader.keys("", data, {"version", "stories", "series", "detectors", "state", "alerts"})
    detectors = reader.table("", data, "detectors")
    reader.keys("detectors", detectors, {"robust_z", "cusum", "onset", "severe"})
    series = reader.table("", data, "series")
    series_params = reader.build(SeriesParams, "series", series, {
        "quad_weights": lambda v: _weights(reader, "series.quad_weights", v, int),
        "root_weights": lambda v: _weights(reader, "series.root_weights", v, str),
        "code_weights": lambda v: _weights(reader, "series.code_weights", v, str),
        "exclude_actors": lambda v: _strings(reader, "series.exclude_actors", v),
        "force_roots": lambda v: _roots(reader, "series.force_roots", v),
    })
    config = AnalysisConfig(
        version=str(reader.value("", data, "version", str)),
        path=str(file),
        stories=reader.build(StoryParams, "stories", reader.table("", data, "stories")),
        series=series_params,
        robust_z=reader.build(RobustZParams, "detectors.robust_z",
                              reader.table("detectors", detectors, "robust_z"),
                              {"signals": lambda v: _signals(reader, "robust_z.signals", v)}),
        cusum=reader.build(CusumParams, "detectors.cusum",
                           reader.table("detectors", detectors, "cusum"),
                           {"signals": lambda v: _signals(reader, "cusum.signals", v)}),
        onset=reader.build(OnsetParams, "detectors.onset",
                           reader.table("detectors", detectors, "onset")),
        severe=reader.build(SevereParams, "detectors.severe",
                            reader.table("detectors", detectors, "severe"), {
                                "roots": lambda v: _roots(reader, "severe.roots", v),
                                "exclude_codes": lambda v: _strings(
                                    reader, "severe.exclude_codes", v),
                                "state_sectors": lambda v: _strings(
                                    reader, "severe.state_sectors", v),
                                "armed_sectors": lambda v: _strings(
                                    reader, "severe.armed_sectors", v),
                            }),
        state=reader.build(StateParams, "state", reader.table("", data, "state")),
        alerts=reader.build(AlertParams, "alerts", reader.table("", data, "alerts")),
    )
    _check_ranges(reader, config)
    return config


T = TypeVar("T")
K = TypeVar("K", int, str)


def _weights(reader: _Reader, where: str, value: Any, key_type: type[K]
             ) -> tuple[tuple[K, float], ...]:
    if not isinstance(value, Mapping):
        raise reader.fail(where, value, "a table of code = weight")
    pairs: list[tuple[K, float]] = []
    for key, weight in value.items():
        if not isinstance(weight, int | float) or isinstance(weight, bool) or weight < 0:
            raise reader.fail(where, weight, "a weight >= 0")
        try:
            typed = key_type(key)
        except ValueError:
            raise reader.fail(where, key, f"a key of type {key_type.__name__}") from None
        pairs.append((typed, float(weight)))
    return tuple(sorted(pairs))


def _strings(reader: _Reader, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise reader.fail(where, value, "a list of strings")
    return tuple(x.upper() for x in value)


def _roots(reader: _Reader, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(x, str) and x.isdigit() and len(x) == 2 and 1 <= int(x) <= 20
            for x in value):
        raise reader.fail(where, value, "a non-empty list of CAMEO roots \"01\"..\"20\"")
    return tuple(sorted(value))


def _signals(reader: _Reader, where: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or any(x not in SIGNALS for x in value):
        raise reader.fail(where, value, f"a non-empty list of {', '.join(SIGNALS)}")
    return tuple(str(x) for x in value)


def _check_ranges(reader: _Reader, c: AnalysisConfig) -> None:
    checks: list[tuple[str, Any, bool, str]] = [
        ("stories.threshold", c.stories.threshold, 0.05 <= c.stories.threshold <= 0.95,
         "0.05 <= t <= 0.95 (an LSH needs at least two bands)"),
        ("stories.num_perm", c.stories.num_perm, c.stories.num_perm >= 16, ">= 16"),
        ("stories.shingle_words", c.stories.shingle_words, c.stories.shingle_words >= 1, ">= 1"),
        ("stories.window_days", c.stories.window_days, c.stories.window_days >= 0, ">= 0"),
        ("series.window_days", c.series.window_days, c.series.window_days >= 1, ">= 1"),
        ("detectors.robust_z.min_baseline", c.robust_z.min_baseline,
         1 <= c.robust_z.min_baseline <= c.robust_z.baseline_weeks, "1..baseline_weeks"),
        ("detectors.cusum.min_baseline", c.cusum.min_baseline,
         1 <= c.cusum.min_baseline <= c.cusum.baseline_weeks, "1..baseline_weeks"),
        ("detectors.cusum.ratio", c.cusum.ratio, c.cusum.ratio > 1, "> 1"),
        ("detectors.robust_z.min_rate", c.robust_z.min_rate, 0 < c.robust_z.min_rate < 1,
         "0 < r < 1"),
        ("detectors.cusum.min_rate", c.cusum.min_rate, 0 < c.cusum.min_rate < 1, "0 < r < 1"),
        ("alerts.evidence_events", c.alerts.evidence_events, c.alerts.evidence_events >= 1,
         ">= 1"),
        ("series.min_stories", c.series.min_stories, c.series.min_stories >= 1, ">= 1"),
        ("series.lookback_weeks", c.series.lookback_weeks,
         c.series.lookback_weeks >= max(c.robust_z.baseline_weeks, c.cusum.baseline_weeks),
         ">= the detectors' baseline_weeks"),
        ("detectors.onset.window_days", c.onset.window_days, c.onset.window_days >= 1, ">= 1"),
        ("detectors.onset.history_days", c.onset.history_days, c.onset.history_days >= 1,
         ">= 1"),
        ("detectors.onset.min_events", c.onset.min_events, c.onset.min_events >= 1, ">= 1"),
        ("detectors.onset.min_stories", c.onset.min_stories, c.onset.min_stories >= 1,
         ">= 1"),
        ("detectors.onset.min_share", c.onset.min_share, 0 <= c.onset.min_share < 1,
         "0 <= s < 1"),
        ("detectors.onset.min_rate", c.onset.min_rate, 0 < c.onset.min_rate < 1, "0 < r < 1"),
        ("detectors.severe.max_goldstein", c.severe.max_goldstein,
         -10 <= c.severe.max_goldstein <= 10, "-10 <= g <= 10 (a Goldstein weight)"),
        ("detectors.severe.lead_sentences", c.severe.lead_sentences,
         c.severe.lead_sentences >= 1, ">= 1"),
        ("detectors.severe.window_days", c.severe.window_days, c.severe.window_days >= 1,
         ">= 1"),
        ("detectors.severe.history_days", c.severe.history_days,
         c.severe.history_days >= 1, ">= 1"),
        ("detectors.severe.max_history_acts", c.severe.max_history_acts,
         c.severe.max_history_acts >= 0, ">= 0"),
        ("detectors.severe.min_events", c.severe.min_events, c.severe.min_events >= 1,
         ">= 1"),
        ("detectors.severe.armed_sectors", c.severe.armed_sectors,
         bool(c.severe.armed_sectors), "at least one sector"),
        ("state.episode_days", c.state.episode_days, c.state.episode_days >= 0, ">= 0"),
        ("state.war_days", c.state.war_days, c.state.war_days >= 1, ">= 1"),
        ("state.war_min_events", c.state.war_min_events, c.state.war_min_events >= 1,
         ">= 1"),
        ("state.war_min_stories", c.state.war_min_stories, c.state.war_min_stories >= 1,
         ">= 1"),
        ("state.war_jump", c.state.war_jump, c.state.war_jump >= 1, ">= 1"),
        ("state.war_episode_days", c.state.war_episode_days, c.state.war_episode_days >= 0,
         ">= 0"),
        # a burst in a war is judged against the onset's past: that past must be the war's
        ("state.war_burst_days", c.state.war_burst_days,
         c.state.war_burst_days >= c.onset.history_days + c.onset.window_days,
         ">= detectors.onset.history_days + window_days"),
    ]
    for where, value, ok, expected in checks:
        if not ok:
            raise reader.fail(where, value, expected)
    quads = {q for q, _ in c.series.quad_weights}
    if quads != {1, 2, 3, 4}:
        raise reader.fail("series.quad_weights", sorted(quads), "weights for quads 1, 2, 3, 4")


class _Reader:
    """Typed access to parsed TOML that reports file:line for a bad key."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def line_of(self, key: str) -> int:
        name = key.rsplit(".", 1)[-1]
        pattern = re.compile(rf"^\s*\[?\s*(?:[\w.]+\.)?{re.escape(name)}\s*[=\]]")
        for number, line in enumerate(self.lines, start=1):
            if pattern.match(line):
                return number
        return 0

    def fail(self, where: str, value: Any, expected: str) -> DataFileError:
        return DataFileError(self.path, self.line_of(where), str(value), f"{where}: {expected}")

    def keys(self, where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                name = f"{where}.{key}" if where else key
                raise self.fail(name, key, f"one of {', '.join(sorted(allowed))}")
        for key in allowed:
            if key not in table:
                raise self.fail(where or key, "(missing)", f"a key {key!r}")

    def table(self, where: str, data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
        value = data.get(key)
        if not isinstance(value, Mapping):
            raise self.fail(f"{where}.{key}" if where else key, value, "a table")
        return value

    def value(self, where: str, data: Mapping[str, Any], key: str, kind: type) -> Any:
        value = data.get(key)
        name = f"{where}.{key}" if where else key
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, bool):
            raise self.fail(name, value, "an integer")
        if not isinstance(value, kind):
            raise self.fail(name, value, f"a value of type {kind.__name__}")
        return value

    def build(self, cls: type[T], where: str, data: Mapping[str, Any],
              convert: Mapping[str, Any] | None = None) -> T:
        names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
        self.keys(where, data, set(names))
        kinds = {f.name: f.type for f in fields(cls)}  # type: ignore[arg-type]
        values: dict[str, Any] = {}
        for name in names:
            if convert and name in convert:
                values[name] = convert[name](data[name])
            else:
                kind = {"int": int, "float": float, "bool": bool, "str": str}[str(kinds[name])]
                values[name] = self.value(where, data, name, kind)
        return cls(**values)
