"""Actor dictionaries: countries, organisations, armed groups, people, sector nouns.

Every alias maps to one or more date-bounded entries; an actor's code depends on the
event date (Blinken is USA GOV only from 2021-01-26).  Aliases are matched as token
sequences, case-sensitively, by the extractor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from foreshock.ontology.tsv import Row, data_path, parse_date, read_tsv

SECTORS = frozenset(
    {"GOV", "MIL", "REB", "OPP", "CVL", "MED", "BUS", "JUD", "LEG", "COP", "IGO", "NGO",
     "SPY", "EDU", "REL", "ELI", "LAB", "HLH", "REF", "AGR", "ENV", "CRM", "UAF", "IRC"}
)

#: which entry an alias with several valid entries stands for, most specific first
KIND_ORDER = {"person": 0, "group": 1, "organisation": 2, "seat": 3, "capital": 4, "place": 6}
#: the role of a place run by de facto authorities (places.tsv kind breakaway)
BREAKAWAY = "breakaway"
#: the role of a group that fights in many countries (groups.tsv): coded as the country the
#: sentence places it in
TRANSNATIONAL = "transnational"
#: kinds of country aliases that stand for a government ("Moscow said" -> RUS GOV)
GOVERNMENT_KINDS = frozenset({"capital", "seat"})


@dataclass(frozen=True, slots=True)
class ActorEntry:
    code: str
    sector: str | None
    kind: str  # name, short, adjective, demonym, capital, seat, organisation, group, person
    name: str
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    ambiguous: bool = False
    role: str = ""
    #: for a named agreement ("the Minsk agreements"): the codes of its parties
    parties: tuple[str, ...] = ()

    def valid_on(self, day: dt.date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return not (self.valid_to is not None and day > self.valid_to)


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    aliases: dict[str, tuple[ActorEntry, ...]]
    sector_nouns: dict[str, str]
    #: "the alliance", "the country": noun -> the kind of actor it points back to
    anaphors: dict[str, str] = field(default_factory=dict)
    #: URL host -> the actor an outlet speaks for (its first person); speakers.tsv
    speakers: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: nouns that make a city, capital or venue compounded with them part of a name ("the
    #: Moscow format", "the Doha agreement"): no actor of that place (place_names.tsv)
    name_heads: frozenset[str] = frozenset()
    #: participles that make an actor compounded with them the operator of their noun ("an
    #: Israeli-launched drone"): participles.tsv
    operator_participles: frozenset[str] = frozenset()
    #: projectiles whose doer is who fired them ("missiles that hit bases"): weapons.tsv
    weapons: frozenset[str] = frozenset()
    #: nouns whose possessor is acted upon by force ("violated its airspace"):
    #: possessions.tsv
    possessions: frozenset[str] = frozenset()
    #: names of US states, lower case (data/geo/regions.tsv, type 2): "Florida and
    #: Georgia" is a list of states, not a country
    state_names: frozenset[str] = frozenset()

    def speaker(self, url: str | None) -> tuple[str, str | None] | None:
        """The actor that speaks in the first person in a text from this URL, if known."""
        if not url:
            return None
        host = urlsplit(url).hostname or ""
        parts = host.lower().split(".")
        for i in range(len(parts) - 1):
            found = self.speakers.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def lookup(self, alias: str, day: dt.date) -> ActorEntry | None:
        """The entry for ``alias`` valid on ``day``; people out of office resolve to nothing."""
        entries = self.aliases.get(alias, ())
        if len(entries) == 1:  # most aliases: no choice to make (profiled: a hot path)
            return entries[0] if entries[0].valid_on(day) else None
        candidates = [e for e in entries if e.valid_on(day)]
        if not candidates:
            return None
        # Prefer the most specific kind: a person, then organisations and groups, then
        # country names; stable otherwise, so file order breaks ties.
        return min(candidates, key=lambda e: KIND_ORDER.get(e.kind, 5))


def _code(row: Row, key: str = "code") -> str:
    code = row.get(key)
    if not (code.isalnum() and code.isupper() and 2 <= len(code) <= 8):
        raise row.fail(key, "an upper-case actor code such as RUS or NATO")
    return code


def _group_role(row: Row) -> str:
    value = row.get("role")
    if value not in {"", TRANSNATIONAL}:
        raise row.fail("role", f"{TRANSNATIONAL} or nothing")
    return value


def _sector(row: Row, key: str = "sector") -> str | None:
    value = row.get(key)
    if not value:
        return None
    if value not in SECTORS:
        raise row.fail(key, f"one of {', '.join(sorted(SECTORS))} or nothing")
    return value


def _add(table: dict[str, list[ActorEntry]], alias: str, entry: ActorEntry) -> None:
    if alias:
        table[alias].append(entry)


def _alias(row: Row, key: str = "alias") -> str:
    value = row.get(key)
    if not value or any(ch in value for ch in "{}[]|\t"):
        raise row.fail(key, "an alias as written in news, without {}[]| characters")
    return value


def load_actors(directory: Path | None = None) -> ActorDictionary:
    base = directory or data_path("actors")
    table: dict[str, list[ActorEntry]] = defaultdict(list)
    countries = base / "countries.tsv"
    for row in read_tsv(countries, ("code", "alias", "kind")):
        kind = row.get("kind")
        if kind not in {"name", "short", "adjective", "demonym", "capital", "seat"}:
            raise row.fail("kind", "name, short, adjective, demonym, capital or seat")
        sector = _sector(row)
        if kind in GOVERNMENT_KINDS and sector is None:
            sector = "GOV"
        _add(table, _alias(row), ActorEntry(
            _code(row), sector, kind, row.get("alias"),
            ambiguous="ambiguous" in row.get("note").lower()))
    for row in read_tsv(base / "organisations.tsv", ("code", "alias")):
        _add(table, row.get("alias"), ActorEntry(
            _code(row), _sector(row) or "IGO", "organisation", row.get("alias"),
            ambiguous="ambiguous" in row.get("note").lower()))
    for row in read_tsv(base / "groups.tsv", ("code", "sector", "alias")):
        _add(table, row.get("alias"), ActorEntry(
            _code(row), _sector(row), "group", row.get("alias"),
            parse_date(row, "valid_from"), parse_date(row, "valid_to"),
            role=_group_role(row)))
    for row in read_tsv(base / "people.tsv", ("code", "sector", "name", "aliases")):
        entry = ActorEntry(
            _code(row), _sector(row), "person", row.get("name"),
            parse_date(row, "valid_from"), parse_date(row, "valid_to"),
            role=row.get("role"))
        for alias in [row.get("name"), *row.get("aliases").split("|")]:
            _add(table, alias.strip(), entry)
    places = base / "places.tsv"
    if places.exists():
        for row in read_tsv(places, ("code", "alias", "kind")):
            if row.get("kind") not in {"city", "region", "territory", "site", "venue",
                                       "breakaway"}:
                raise row.fail("kind", "city, region, territory, site, venue or breakaway")
            # a venue is kept so that it blocks shorter matches inside it ("Gulf of Aden"),
            # but it resolves to no actor: talks "in Geneva" are not about Switzerland
            kind = "venue" if row.get("kind") == "venue" else "place"
            # a breakaway territory's de facto authorities are the state's rebels
            breakaway = row.get("kind") == "breakaway"
            _add(table, _alias(row), ActorEntry(
                _code(row), "REB" if breakaway else "CVL", kind, row.get("alias"),
                ambiguous="ambiguous" in row.get("note").lower(),
                role=BREAKAWAY if breakaway else ""))
    sectors: dict[str, str] = {}
    for row in read_tsv(base / "sectors.tsv", ("lemma", "sector")):
        sector = _sector(row)
        if sector is None:
            raise row.fail("sector", "a sector code")
        sectors[row.get("lemma").lower()] = sector
    anaphors: dict[str, str] = {}
    for row in read_tsv(base / "anaphors.tsv", ("noun", "refers")):
        if row.get("refers") not in {"organisation", "country"}:
            raise row.fail("refers", "organisation or country")
        anaphors[row.get("noun").lower()] = row.get("refers")
    speakers: dict[str, tuple[str, str | None]] = {}
    if (base / "speakers.tsv").exists():
        for row in read_tsv(base / "speakers.tsv", ("host", "code")):
            speakers[row.get("host").lower()] = (_code(row), _sector(row))
    heads = _place_names(base / "place_names.tsv", table)
    operators: set[str] = set()
    if (base / "participles.tsv").exists():
        operators = {row.get("lemma").lower()
                     for row in read_tsv(base / "participles.tsv", ("lemma",))}
    return ActorDictionary({k: tuple(v) for k, v in table.items()}, sectors, anaphors,
                           speakers=speakers, name_heads=heads,
                           operator_participles=frozenset(operators),
                           weapons=_nouns(base / "weapons.tsv"),
                           possessions=_nouns(base / "possessions.tsv"),
                           state_names=_state_names())


def _state_names() -> frozenset[str]:
    """The US states of the bundled regions (GDELT geo type 2), lower case."""
    return frozenset(row.get("name").lower()
                     for row in read_tsv(data_path("geo", "regions.tsv"), ("name", "type"))
                     if row.get("type") == "2")


def _nouns(path: Path) -> frozenset[str]:
    """A one-column word list (column ``noun``); empty if the file is absent."""
    if not path.exists():
        return frozenset()
    return frozenset(row.get("noun").lower() for row in read_tsv(path, ("noun",)))


NAME_KINDS = frozenset({"agreement", "format", "talks", "treaty", "process", "event", "group"})


def _place_names(path: Path, table: dict[str, list[ActorEntry]]) -> frozenset[str]:
    """Names that contain a place but are no actor of it ("the Minsk agreements"): each
    becomes a ``named`` entry that blocks the place inside it (or the actor it stands for,
    "the OSCE Minsk Group"); ``head`` rows are returned as the nouns that do the same for
    any compounded city or capital."""
    heads: set[str] = set()
    if not path.exists():
        return frozenset()
    for row in read_tsv(path, ("name", "kind")):
        kind = row.get("kind")
        if kind == "head":
            heads.add(row.get("name").lower())
            continue
        if kind not in NAME_KINDS:
            raise row.fail("kind", f"head or one of {', '.join(sorted(NAME_KINDS))}")
        parties = tuple(p.strip() for p in row.get("parties").split("|") if p.strip())
        for party in parties:
            if not (party.isalnum() and party.isupper()):
                raise row.fail("parties", "actor codes separated by |, e.g. RUS|UKR")
        name = _alias(row, "name")
        if row.get("code"):
            entry = ActorEntry(_code(row), "IGO", "organisation", name, parties=parties)
        else:
            entry = ActorEntry("", None, "named", name, parties=parties)
        for alias in _name_variants(name):
            _add(table, alias, entry)
    return frozenset(heads)


def _name_variants(name: str) -> list[str]:
    """ "Minsk agreements" as written, and with the words after the place capitalised or
    in lower case ("Minsk Agreements")."""
    first, _, rest = name.partition(" ")
    if not rest:
        return [name]
    variants = [name, f"{first} {rest.title()}", f"{first} {rest.lower()}"]
    return list(dict.fromkeys(variants))


def actor_files(directory: Path | None = None) -> list[Path]:
    base = directory or data_path("actors")
    return sorted(base.glob("*.tsv"))
