"""PETRARCH dictionaries: hand-written fixtures always, the real files under ../shared if there."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from foreshock.errors import DataFileError
from foreshock.ontology.actors import ActorDictionary, ActorEntry
from foreshock.ontology.petrarch import (
    load_igo_codes,
    load_petrarch_actors,
    load_petrarch_agents,
    load_petrarch_verbs,
    parse_petrarch_date,
    petrarch_alias,
    read_petrarch_verbs,
    split_actor_code,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "petrarch"
SHARED = Path(__file__).parents[3] / ".." / "shared" / "data"
DICTS = SHARED / "petrarch2" / "dictionaries"
KNOWN = frozenset({"110", "111", "112", "150", "154", "163", "173", "190", "042", "043"})


def _shared(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return path


def _dictionary(table: dict[str, list[ActorEntry]]) -> ActorDictionary:
    return ActorDictionary({k: tuple(v) for k, v in table.items()}, {})


# -- codes, dates, aliases ----------------------------------------------------------------------


@pytest.mark.parametrize(("code", "expected"), [
    ("USAGOV", ("USA", "GOV")),
    ("RUS", ("RUS", None)),
    ("PSEGZACVL", ("PSE", "CVL")),
    ("USAGOVELI", ("USA", "GOV")),
    ("PSEREBHMSGOV", ("PSE", "REB")),
    ("GON", ("GON", None)),
    ("pse", ("PSE", None)),
    ("IGOUNO", ("UN", "IGO")),
    ("IGOUNOMIL", ("UN", "MIL")),
    ("IGOUNOIAE", ("IAEA", "IGO")),
    ("IGOEUREEC", ("EU", "IGO")),
    ("IGOWSTNAT", ("NATO", "IGO")),
    ("IGOPGSGCC", ("GCC", "IGO")),
    ("IGOCASCIS", ("CIS", "IGO")),
    ("IGOEUR", ("IGO", "IGO")),
    ("NGOHRW", ("HRW", "NGO")),
    ("NGOXYZ", ("NGO", "NGO")),
    ("---REB", None),
    ("---", None),
    ('"THE MINISTRY"', None),
    ("###", None),
    ("ELI", None),
])
def test_split_actor_code(code: str, expected: tuple[str, str | None] | None) -> None:
    assert split_actor_code(code) == expected


def test_igo_table_has_the_guide_organisations() -> None:
    codes = set(load_igo_codes().values())
    for code in ("UN", "EU", "NATO", "OSCE", "AU", "ASEAN", "GCC", "ARL", "IAEA", "ICC", "WHO",
                 "IMF", "WB", "OPEC", "G7", "ECOWAS"):
        assert code in codes


@pytest.mark.parametrize(("text", "expected"), [
    ("19950601", dt.date(1995, 6, 1)),
    ("950601", dt.date(1995, 6, 1)),
    ("080508", dt.date(2008, 5, 8)),
    ("300101", dt.date(2030, 1, 1)),
    ("310101", dt.date(1931, 1, 1)),
    ("20100931", None),
    ("2001017", None),
    ("201005011", None),
    ("", None),
])
def test_parse_petrarch_date(text: str, expected: dt.date | None) -> None:
    assert parse_petrarch_date(text) == expected


@pytest.mark.parametrize(("phrase", "alias"), [
    ("VLADIMIR_PUTIN_", "Vladimir Putin"),
    ("PRESIDENT_VLADIMIR_V._PUTIN", "President Vladimir V. Putin"),
    ("NATO_", "NATO"),
    ("UN_SECURITY_COUNCIL", "UN Security Council"),
    ("KGB", "KGB"),
    ("ORGANIZATION_OF_THE_ISLAMIC_CONFERENCE_", "Organization of the Islamic Conference"),
    ("JAVIER_DE_CUELLAR_", "Javier de Cuellar"),
    ("AL-QAEDA", "Al-Qaeda"),
    ("WOMEN'S_LEAGUE", "Women's League"),
    ("JOHN_O'NEIL", "John O'Neil"),
    ("ADEN_ISLAMIC_ARMY_(AAIA)_", "Aden Islamic Army (AAIA)"),
    ("U.S._ARMY", "U.S. Army"),
    ("CARLOS SANTOS_CRUZ_", "Carlos Santos Cruz"),
])
def test_petrarch_alias(phrase: str, alias: str) -> None:
    assert petrarch_alias(phrase) == alias


# -- actors -------------------------------------------------------------------------------------


def test_actor_fixture() -> None:
    stats: Counter[str] = Counter()
    table = load_petrarch_actors([FIXTURES / "actors.txt"], stats=stats)
    assert sorted(table) == [
        "Another Phrase", "Bad Date Person", "Blue Helmet Brigade", "Freedonia",
        "Freedonia City", "Freedonian",
        "Grand Alliance of the North", "Indented Name", "KGB Agency",
        "Northern Alliance Office", "President Blum", "Solo Without Code", "Zandor Blum"]
    assert table["Freedonia City"] == [ActorEntry("FRD", None, "name", "Freedonia")]
    blum = table["President Blum"]
    assert blum == table["Zandor Blum"]
    assert [(e.code, e.sector, e.kind, e.valid_from, e.valid_to) for e in blum] == [
        ("FRD", "ELI", "person", dt.date(1980, 1, 1), dt.date(1994, 12, 31)),
        ("FRD", "GOV", "person", dt.date(1995, 1, 1), dt.date(1999, 12, 31)),
        ("FRD", "ELI", "person", None, None),  # the default comes last
    ]
    assert table["KGB Agency"] == [ActorEntry("FRD", "SPY", "name", "KGB Agency")]
    assert table["Northern Alliance Office"] == [
        ActorEntry("NATO", "IGO", "name", "Grand Alliance of the North")]
    assert table["Blue Helmet Brigade"] == [ActorEntry("UN", "MIL", "name", "Blue Helmet Brigade")]
    # phrases with no code yet share the codes that follow them (PETRARCH's rule)
    assert table["Solo Without Code"] == table["Another Phrase"]
    assert [(e.code, e.sector, e.valid_from, e.valid_to) for e in table["Another Phrase"]] == [
        ("SYL", "MIL", None, dt.date(2000, 1, 1)), ("SYL", "REB", dt.date(2000, 1, 2), None)]
    assert table["Indented Name"] == [
        ActorEntry("XYZ", "GOV", "person", "Indented Name", dt.date(1990, 1, 1), None)]
    # the unreadable dated code is dropped, the default [SYLGOV] stays; [---] gives nothing
    assert table["Bad Date Person"] == [ActorEntry("SYL", "GOV", "name", "Bad Date Person")]
    assert "Nobody" not in table
    assert dict(stats) == {
        "blocks": 9, "entries": 11, "aliases": 13, "codes.bad_date": 1,
        "codes.unresolved": 1, "codes.bare_date": 1, "lines.indented_phrase": 1,
        "phrases.uncoded": 1,
    }


def test_actor_fixture_lookup_by_date() -> None:
    table = load_petrarch_actors([FIXTURES / "actors.txt"])
    dictionary = _dictionary(table)
    assert dictionary.lookup("Freedonian", dt.date(2020, 1, 1)) is not None
    blum_1996 = dictionary.lookup("Zandor Blum", dt.date(1996, 6, 1))
    blum_2005 = dictionary.lookup("Zandor Blum", dt.date(2005, 6, 1))
    assert blum_1996 is not None and blum_1996.sector == "GOV"
    assert blum_2005 is not None and blum_2005.sector == "ELI"


def test_actor_dates_are_inclusive() -> None:
    dictionary = _dictionary(load_petrarch_actors([FIXTURES / "actors.txt"]))
    last_gov = dictionary.lookup("President Blum", dt.date(1999, 12, 31))
    first_reb = dictionary.lookup("Another Phrase", dt.date(2000, 1, 2))
    assert last_gov is not None and last_gov.sector == "GOV"
    assert first_reb is not None and first_reb.sector == "REB"


def test_actor_unclosed_comment_raises() -> None:
    with pytest.raises(DataFileError) as info:
        load_petrarch_actors([FIXTURES / "open_comment.txt"])
    assert info.value.line == 2


# -- agents -------------------------------------------------------------------------------------


def test_agent_fixture() -> None:
    stats: Counter[str] = Counter()
    agents = load_petrarch_agents(FIXTURES / "agents.txt", stats=stats)
    assert agents == {
        "soldier": "MIL", "foreign minister": "GOV", "coastguardsman": "MIL",
        "coastguardsmen": "MIL", "human rights group": "NGO",
    }
    assert dict(stats) == {"agents": 5, "duplicates": 1, "skipped.no_sector": 1,
                           "skipped.no_code": 1}


# -- verbs --------------------------------------------------------------------------------------


def test_verb_fixture_patterns() -> None:
    verbs = load_petrarch_verbs(FIXTURES / "verbs.txt", KNOWN)
    assert sorted(verbs) == ["assemble", "blast", "condemn", "denounce", "gather", "lash"]
    rows = [(p.pattern_id, p.particle, p.prep, sorted(p.objects), p.target, p.code)
            for p in verbs["condemn"]]
    assert rows == [  # most specific first
        ("petr.condemn.4", "", "on", ["raid"], ("prep:on",), "112"),
        ("petr.condemn.5", "", "against", ["attack"], ("prep:against",), "112"),
        ("petr.condemn.3", "", "", ["sanctions"], ("dobj",), "163"),
        ("petr.condemn.2", "", "against", [], ("prep:against",), "111"),
        ("petr.condemn.1", "", "", [], ("dobj",), "111"),
    ]
    assert verbs["blast"][-1].code == "112"  # its own code
    assert [(p.pattern_id, p.particle, p.code) for p in verbs["lash"]] == [
        ("petr.lash.1", "out", "111")]
    assert [(p.pattern_id, p.particle, sorted(p.objects), p.code) for p in verbs["gather"]] == [
        ("petr.gather.2", "", ["troops"], "154"), ("petr.gather.1", "up", [], "150")]
    assert [p.code for p in verbs["assemble"]] == ["154", "150"]  # [999] is unknown: no bare


def test_verb_fixture_counts() -> None:
    result = read_petrarch_verbs(FIXTURES / "verbs.txt", KNOWN)
    assert dict(result.stats) == {
        "blocks": 2, "verbs": 6, "verbs.unknown_code": 1,
        "lines.pattern": 14, "lines.converted": 7,
        "skipped.code": 1, "skipped.complex": 4, "skipped.preverb": 1,
        "skipped.unconstrained": 1, "skipped.transformation": 1,
        "patterns.bare": 4, "patterns.constrained": 16, "patterns.conflict": 3,
    }
    assert result.converted == 20
    assert result.skipped == 8


def test_verb_file_without_blocks_raises() -> None:
    with pytest.raises(DataFileError):
        load_petrarch_verbs(FIXTURES / "no_blocks.txt", KNOWN)


# -- the real dictionaries ----------------------------------------------------------------------


def _known_cameo() -> frozenset[str]:
    path = _shared(SHARED / "cameo_lookups" / "CAMEO.eventcodes.txt")
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return frozenset(line.split("\t")[0] for line in lines if line.strip())


def test_real_phoenix_actors() -> None:
    paths = [_shared(DICTS / name) for name in (
        "Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
        "Phoenix.MilNonState.actors.txt")]
    stats: Counter[str] = Counter()
    table = load_petrarch_actors(paths, stats=stats)
    assert len(table) == 34330
    assert stats["entries"] == 37212
    assert stats["codes.bad_date"] == 7
    assert stats["codes.unresolved"] == 36
    putin = [(e.code, e.sector, e.kind, e.valid_from, e.valid_to) for e in table["Putin"]]
    assert putin == [
        ("RUS", "ELI", "person", dt.date(1970, 1, 1), dt.date(1999, 8, 9)),
        ("RUS", "GOV", "person", dt.date(1999, 12, 31), dt.date(2008, 5, 7)),
        ("RUS", "GOV", "person", dt.date(1999, 8, 9), dt.date(2000, 5, 7)),
        ("RUS", "GOV", "person", dt.date(2008, 5, 8), None),
        ("RUS", "ELI", "person", None, None),
    ]
    dictionary = _dictionary(table)
    for day, sector in ((dt.date(1995, 1, 1), "ELI"), (dt.date(2000, 1, 1), "GOV"),
                        (dt.date(2022, 2, 24), "GOV")):
        entry = dictionary.lookup("Vladimir Putin", day)
        assert entry is not None and (entry.code, entry.sector) == ("RUS", sector)
    nato = dictionary.lookup("North Atlantic Treaty Organization", dt.date(2021, 12, 1))
    assert nato is not None and (nato.code, nato.sector) == ("NATO", "IGO")
    kyiv = dictionary.lookup("Kyiv", dt.date(2021, 12, 1))
    assert kyiv is not None and (kyiv.code, kyiv.kind) == ("UKR", "name")


def test_real_phoenix_agents() -> None:
    stats: Counter[str] = Counter()
    agents = load_petrarch_agents(_shared(DICTS / "Phoenix.agents.txt"), stats=stats)
    assert len(agents) == 3228
    assert stats["skipped.no_sector"] == 112
    assert agents["soldier"] == "MIL"
    assert agents["foreign minister"] == "GOV"
    assert agents["rebel"] == "REB"


def test_real_cameo_verbs() -> None:
    result = read_petrarch_verbs(_shared(DICTS / "CAMEO.2.0.txt"), _known_cameo())
    assert result.stats["blocks"] == 397
    assert result.stats["lines.pattern"] == 4668
    assert result.stats["lines.converted"] == 2080
    assert result.stats["skipped.code"] == 614
    assert result.stats["skipped.transformation"] == 8
    impose = {(p.prep, tuple(sorted(p.objects)), p.code) for p in result.patterns["impose"]}
    assert ("", ("sanctions",), "163") in impose
    assert result.patterns["threaten"][-1].code == "130"


def test_real_tabari_style_verbs() -> None:
    path = _shared(DICTS / "CAMEO.verbpatterns.150430.txt")
    result = read_petrarch_verbs(path, _known_cameo())
    assert result.stats["lines.pattern"] == 11015
    assert result.stats["lines.converted"] == 1849
    assert result.stats["skipped.code"] == 1410
