"""Gold-set importers: hand-written fixtures always; the real files under ../shared if present."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from foreshock.errors import DataFileError, SourceError
from foreshock.evaluate.gold import GoldEvent, GoldSentence
from foreshock.evaluate.importers import (
    DUMMY_DATE,
    FORMATS,
    load,
    load_plover,
    load_quad_labels,
    normalise_event_code,
    plover_codes,
    read_cameo2plover,
)

FIXTURES = Path(__file__).parents[2] / "fixtures" / "gold"
SHARED = Path(__file__).parents[3] / ".." / "shared" / "data"


def _shared(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path} is not present")
    return path


def test_unknown_format_lists_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match="plover, petrarch, conflibert"):
        load("acled", FIXTURES / "conflibert.tsv")
    assert FORMATS == ("plover", "petrarch", "conflibert")


@pytest.mark.parametrize(("raw", "code"), [
    ("42", "042"), ("042", "042"), ("0841", "0841"), ("1", None), ("190", "190"),
    (" 15 ", "015"), ("903", None), ("345", None), ("212", None), ("", None), ("04a", None),
    ("12345", None),
])
def test_normalise_event_code(raw: str, code: str | None) -> None:
    assert normalise_event_code(raw) == code


# -- PLOVER -------------------------------------------------------------------------------------


def test_plover_mapping_table() -> None:
    table = read_cameo2plover(FIXTURES / "plover" / "CAMEO2PLOVER-2021.txt")
    assert [(r.cameo, r.event, r.mode, r.context) for r in table] == [
        ("040", "CONSULT", "", ""), ("042", "CONSULT", "visit", ""),
        ("043", "CONSULT", "visit", ""), ("111", "ACCUSE", "disapprove", ""),
        ("1121", "ACCUSE", "allege", "crime"), ("160", "SANCTION", "", ""),
        ("163", "COERCE", "restrict", "diplomatic"), ("172", "COERCE", "restrict", ""),
        ("190", "ASSAULT", "", "military"),
    ]
    assert plover_codes(table, "COERCE") == (("163", "172"), True)
    assert plover_codes(table, "CONSULT", "visit") == (("042", "043"), True)
    assert plover_codes(table, "CONSULT", "phone") == (("040", "042", "043"), False)
    assert plover_codes(table, "CONSULT", "host", legacy=True) == (("042", "043"), True)
    assert plover_codes(table, "DISAPPROVE") == (("1121", "111"), True)
    assert plover_codes(table, "SANCTION", legacy=True) == (("160", "163"), True)
    assert plover_codes(table, "SANCTION") == (("160",), True)


def test_plover_fixture() -> None:
    problems: list[str] = []
    gold = list(load("plover", FIXTURES / "plover" / "gsr.json", problems))
    assert [g.sentence_id for g in gold] == [
        "T-CONSULT-0001", "T-SANCTION-0001", "T-DISAPPROVE-0001", "T-NOSOURCE-0001",
        "T-FIGHT-0001", "T-FIGHT-0001#2"]
    consult, sanction, disapprove, nosource, fight, fight2 = gold
    assert consult == GoldSentence(
        "T-CONSULT-0001", dt.date(2021, 3, 4), "The Freedonian envoy visited Sylvania.", "",
        (GoldEvent("FRD", "SYL", ("042", "043"), "GOV", None),), ())
    assert sanction.events == (
        GoldEvent("UN", "SYL", ("160", "163"), "GOV", "CVL"),
        GoldEvent("UN", "FRD", ("160", "163"), "GOV", "MED"),
        GoldEvent("JPN", "SYL", ("160", "163"), None, "CVL"),
        GoldEvent("JPN", "FRD", ("160", "163"), None, "MED"),
    )
    assert disapprove.date == DUMMY_DATE
    assert disapprove.events == (GoldEvent("FRD", None, ("112", "1121", "111"), None, None),)
    assert nosource.events == ()
    assert fight.events == (GoldEvent("NGO", None, ("190",), None, None),)
    assert fight2.events == (GoldEvent("SYL", None, ("190",), "MIL", None),)
    assert fight2.date == dt.date(2000, 1, 2)
    assert all(g.traps == () and g.context == "" for g in gold)
    messages = [p.split(": ", 1)[1] for p in problems]
    assert messages == [
        "PLOVER type 'AID' has no CAMEO code in the table",
        "no usable source; kept with no events",
        "mode 'artillery' not in the table; all FIGHT codes used",
        "source organisation 'a club' kept as NGO",
        "target is the string 'diplomatic', not a list of actors",
        "repeated id",
        "bad date '01/02/2000'; record skipped",
    ]


def test_plover_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_plover(FIXTURES / "plover_not_array.json",
                    mapping=FIXTURES / "plover" / "CAMEO2PLOVER-2021.txt")
    with pytest.raises(SourceError):
        load_plover(FIXTURES / "plover_not_array.json")  # no table beside it
    broken = tmp_path / "gsr.json"
    broken.write_text('[{"id": "a"},\n{"id": ]\n', encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_plover(broken, mapping=FIXTURES / "plover" / "CAMEO2PLOVER-2021.txt")
    assert info.value.line == 2
    bad_table = tmp_path / "table.txt"
    bad_table.write_text("030 AGREE\n", encoding="utf-8")
    with pytest.raises(DataFileError):
        read_cameo2plover(bad_table)


def test_real_plover_gold() -> None:
    path = _shared(SHARED / "plover" / "PLOVER_GSR_CAMEO.txt")
    problems: list[str] = []
    gold = list(load("plover", path, problems))
    assert len(gold) == 322
    assert sum(1 for g in gold if g.events) == 321
    assert sum(len(g.events) for g in gold) == 362
    assert len(problems) == 20
    assert {g.date for g in gold} == {dt.date(2000, 1, 1)}
    by_id = {g.sentence_id: g for g in gold}
    assert by_id["PLOVER-GSR01-ASSAULT-0009"].events == ()
    assert "PLOVER-GSR01-COERCE-0004#2" in by_id
    iaea = by_id["PLOVER-GSR01-INVESTIGATE-0001"].events
    assert [(e.source, e.target, e.codes[:2]) for e in iaea] == [("IAEA", "IRN", ("090", "091"))]
    roots = Counter(r for g in gold for e in g.events for r in e.roots)
    assert (roots["18"], roots["19"], roots["20"], roots["16"]) == (15, 32, 8, 21)
    assert "01" not in roots and "02" not in roots


# -- PETRARCH -----------------------------------------------------------------------------------


def test_petrarch_fixture() -> None:
    problems: list[str] = []
    gold = list(load("petrarch", FIXTURES / "petrarch.xml", problems))
    assert gold == [
        GoldSentence("S1", dt.date(2015, 6, 9),
                     "Freedonia's leaders travelled to Sylvania & met officials.", "",
                     (GoldEvent("FRD", "SYL", ("042",), "GOV", None),), ()),
        GoldSentence("S2", dt.date(1995, 1, 2), "Blue helmets freed the hostages.", "",
                     (GoldEvent("UN", None, ("0841",), "MIL", None),), ()),
        GoldSentence("S1#2", dt.date(2015, 6, 9), "Nothing happened here.", "", (), ()),
    ]
    assert [p.split(": ", 1)[1] for p in problems] == [
        "source '---REB' unresolved; dropped",
        "six-digit date '950102' read as 1995-01-02",
        "source '\"SOME TEXT\"' unresolved; dropped",
        "target '---CVL' unresolved; read as none",
        "event code '903' is not CAMEO; dropped",
        "repeated id 'S1'",
        "bad date '2015XX09'; sentence skipped",
    ]
    assert problems[0].endswith(":6: source '---REB' unresolved; dropped")


def test_petrarch_bad_files() -> None:
    with pytest.raises(DataFileError) as info:
        list(load("petrarch", FIXTURES / "petrarch_open_text.xml"))
    assert info.value.line == 2
    with pytest.raises(DataFileError):
        load("petrarch", FIXTURES / "no_sentences.xml")


def test_real_petr2_validation() -> None:
    path = _shared(SHARED / "universalpetrarch" / "PETR2_GSR_validation.xml")
    problems: list[str] = []
    gold = list(load("petrarch", path, problems))
    assert len(gold) == 78
    assert sum(1 for g in gold if g.events) == 60
    assert sum(len(g.events) for g in gold) == 73
    assert len(problems) == 9
    first = gold[0]
    assert (first.sentence_id, first.date) == ("AFP0808020625_4", dt.date(2008, 8, 4))
    assert first.events == (GoldEvent("USA", "CHN", ("042",), None, None),)
    assert first.text.startswith("The stopover came as the US leader prepared")
    by_id = {g.sentence_id: g for g in gold}
    assert by_id["TEST_8"].events == (GoldEvent("INTERPOL", None, ("036",), "IGO", None),)


def test_real_petrarch_unit_tests() -> None:
    path = _shared(SHARED / "petrarch2" / "text" / "PETR.UnitTest.records.xml")
    problems: list[str] = []
    gold = list(load("petrarch", path, problems))
    assert len(gold) == 284
    assert sum(1 for g in gold if g.events) == 197
    assert sum(len(g.events) for g in gold) == 283
    assert sum("is not CAMEO" in p for p in problems) == 59
    assert gold[0].sentence_id == "DEMO-00"
    assert gold[0].events == (GoldEvent("ARN", "GON", ("064",), None, None),)
    assert len({g.sentence_id for g in gold}) == 284


# -- ConfliBERT ---------------------------------------------------------------------------------


def test_conflibert_fixture() -> None:
    problems: list[str] = []
    path = FIXTURES / "conflibert.tsv"
    assert list(load_quad_labels(path, problems)) == [
        ("conflibert-conflibert-1", "The envoy praised the accord.", 1),
        ("conflibert-conflibert-2", 'A "quoted" sentence, oddly.', 3),
        ("conflibert-conflibert-3", "Troops shelled the town.", 4),
        ("conflibert-conflibert-5", "Officials said nothing new.", None),
    ]
    assert len(problems) == 2 and problems[0].startswith(f"{path}:6: ")
    gold = list(load("conflibert", path))
    assert [g.sentence_id for g in gold] == [
        "conflibert-conflibert-1", "conflibert-conflibert-2", "conflibert-conflibert-3",
        "conflibert-conflibert-5"]
    assert all(g.events == () and g.traps == () and g.date == DUMMY_DATE for g in gold)


def test_conflibert_file_without_valid_lines() -> None:
    with pytest.raises(DataFileError) as info:
        list(load_quad_labels(FIXTURES / "conflibert_bad.tsv"))
    assert info.value.line == 1


@pytest.mark.parametrize(("name", "counts"), [
    ("test.tsv", {None: 56, 1: 80, 2: 57, 3: 150, 4: 108}),
    ("train.tsv", {None: 240, 1: 248, 2: 303, 3: 337, 4: 221}),
])
def test_real_conflibert(name: str, counts: dict[int | None, int]) -> None:
    path = _shared(SHARED / "conflibert_cameo" / "cameo_class" / name)
    problems: list[str] = []
    labels = list(load_quad_labels(path, problems))
    assert dict(Counter(quad for _, _, quad in labels)) == counts
    assert problems == []
    assert len({sentence_id for sentence_id, _, _ in labels}) == len(labels)
    assert all('""' not in text for _, text, _ in labels)
