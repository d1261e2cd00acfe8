"""Exports: GDELT 2.0 column order and values, stable integer ids, PLOVER mapping,
Parquet/CSV/JSON Lines round trips through DuckDB and pyarrow, and modality/date filtering,
on a database built by the store."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner

from foreshock.export.columns import EVENT_NAMES, EVENT_SCHEMA, events_arrow
from foreshock.export.formats import (
    ExportFilter,
    export_events,
    gdelt_columns,
    global_event_id,
    plover_type,
)
from foreshock.export.writers import read_events
from foreshock.ontology.cameo import load_cameo
from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.store.queries import EventFilter

# The GDELT 2.0 Event table, typed out from the codebook independently of the data file.
OFFICIAL = (
    "GlobalEventID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_Fullname", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_Fullname", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_Fullname", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
# 0-based positions of a few columns in a GDELT row
EVENT_CODE, QUAD, GOLDSTEIN, SOURCEURL = 26, 29, 30, 60

TEXT_1 = ("Russian troops attacked Ukrainian positions near Kharkiv, officials said.\n\n"
          "Moscow said on Monday that it wanted \"dialogue, not war\".")
TEXT_2 = "Blinken visited Berlin on Thursday.\n\nNATO forces shelled Russian units, Kyiv said."
ATTACK = "0123456789abcdef0123"  # hex, like the pipeline's ids
STATEMENT = "fedcba98765432100000"
VISIT = "aaaaaaaaaaaaaaaa1111"
ASSAULT_1951 = "hand-made-id"  # not hex: the id goes through MD5
DENIED = "bbbbbbbbbbbbbbbb2222"


def _article(article_id: str, day: dt.date, text: str, url: str | None) -> Article:
    return Article(article_id, day, dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC), text,
                   title=None, url=url, outlet="Test Wire")


def _event(eid: str, article_id: str, day: dt.date, text: str, trigger: str, source: str,
           source_sector: str | None, target: str | None, target_sector: str | None,
           code: str, modality: Modality = Modality.ASSERTED, index: int = 0) -> Event:
    entry = load_cameo().get(code)
    start = text.index(trigger)
    sentence = text.split("\n\n")[1 if start > text.find("\n\n") else 0]
    return Event(eid, article_id, day, index, sentence, start, start + len(trigger), source,
                 source_sector, target, target_sector, code, code[:2], entry.goldstein,
                 entry.quad_class, modality, None, f"v.{trigger}", "v1", trigger,
                 source.title(), (target or "").title())


@pytest.fixture()
def db(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    d1, d2 = dt.date(2022, 1, 10), dt.date(2022, 2, 5)
    insert_articles(con, [_article("a1", d1, TEXT_1, "https://example.org/a1"),
                          _article("a2", d2, TEXT_2, None)], run)
    events_1 = [
        replace(_event(ATTACK, "a1", d1, TEXT_1, "attacked", "RUS", "MIL", "UKR", "MIL", "190"),
                event_date=dt.date(2022, 1, 9), event_date_precision="day", place="Kharkiv",
                place_type=4, place_adm1="UP07", place_country="UKR", place_lat=49.98081,
                place_lon=36.25272, place_id="706483"),
        _event(STATEMENT, "a1", d1, TEXT_1, "said on", "RUS", "GOV", None, None, "010",
               index=1),
    ]
    events_2 = [
        _event(VISIT, "a2", d2, TEXT_2, "visited", "USA", "GOV", "DEU", "GOV", "042"),
        _event(ASSAULT_1951, "a2", d2, TEXT_2, "shelled", "NATO", "IGO", "RUS", "MIL", "1951",
               index=1),
        _event(DENIED, "a2", d2, TEXT_2, "shelled", "UKR", "MIL", "RUS", "MIL", "190",
               Modality.NEGATED, index=1),
    ]
    store_coded(con, ["a1"], events_table(events_1, run), "v1")
    store_coded(con, ["a2"], events_table(events_2, run), "v1")
    return con


def _gdelt(con: duckdb.DuckDBPyConnection, tmp_path: Path,
           f: ExportFilter | None = None) -> dict[str, list[str]]:
    out = tmp_path / "events.gdelt.tsv"
    result = export_events(con, "gdelt", out, f)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert result.rows == len(lines)
    rows = [line.split("\t") for line in lines]
    by_id = {row[0]: row for row in rows}
    assert len(by_id) == len(rows)
    return {eid: by_id[str(global_event_id(eid))] for eid in
            (ATTACK, STATEMENT, VISIT, ASSAULT_1951, DENIED)
            if str(global_event_id(eid)) in by_id}


def test_gdelt_column_file_is_the_official_order() -> None:
    columns = gdelt_columns()
    assert tuple(c.name for c in columns) == OFFICIAL
    assert len(columns) == 61
    assert [c.position for c in columns] == list(range(1, 62))
    names = [c.name for c in columns]
    assert (names.index("EventCode"), names.index("QuadClass"), names.index("GoldsteinScale"),
            names.index("SOURCEURL")) == (EVENT_CODE, QUAD, GOLDSTEIN, SOURCEURL)


def test_gdelt_rows_have_61_columns_with_our_values_in_place(
        db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    rows = _gdelt(db, tmp_path)
    assert set(rows) == {ATTACK, STATEMENT, VISIT, ASSAULT_1951}  # asserted only
    for row in rows.values():
        assert len(row) == 61
    attack = rows[ATTACK]
    assert attack[EVENT_CODE] == "190" and attack[27] == "190" and attack[28] == "19"
    assert attack[QUAD] == "4"
    assert float(attack[GOLDSTEIN]) == -10.0
    assert attack[SOURCEURL] == "https://example.org/a1"
    assert attack[1:5] == ["20220110", "202201", "2022", "2022.0274"]
    assert attack[5:9] == ["RUSMIL", "RUS", "RUS", ""]  # code, name, country, known group
    assert attack[12] == "MIL" and attack[15] == "UKRMIL" and attack[17] == "UKR"
    assert attack[25] == "1"  # first paragraph
    assert attack[31:35] == ["1", "1", "1", ""]  # mentions, sources, articles, no tone
    assert attack[35] == "0" and attack[36:43] == [""] * 7  # no actor geography
    # where the attack happened: a world city, FIPS country code, GeoNames coordinates
    assert attack[51:59] == ["4", "Kharkiv, Ukraine", "UP", "UP07", "", "49.98081",
                             "36.25272", "706483"]
    assert len(attack[59]) == 14 and attack[59].isdigit()  # DATEADDED YYYYMMDDHHMMSS
    statement = rows[STATEMENT]
    assert statement[15:25] == [""] * 10  # no target: every Actor2 column empty
    assert statement[51:59] == ["0", "", "", "", "", "", "", ""]  # no place named
    assert statement[25] == "0"  # second paragraph
    nato = rows[ASSAULT_1951]
    assert nato[5:9] == ["IGOWSTNAT", "NATO", "", "NAT"]
    assert nato[EVENT_CODE] == "1951" and nato[27] == "195"
    assert rows[VISIT][SOURCEURL] == ""  # the article has no url


def test_gdelt_ids_are_stable_63_bit_integers(db: duckdb.DuckDBPyConnection,
                                             tmp_path: Path) -> None:
    assert global_event_id(ATTACK) == int("0123456789abcdef", 16) >> 1
    assert global_event_id(ATTACK) == global_event_id(ATTACK)
    ids = [global_event_id(e) for e in (ATTACK, STATEMENT, VISIT, ASSAULT_1951, DENIED)]
    assert len(set(ids)) == 5
    assert all(0 <= i < 2**63 for i in ids)
    first = _gdelt(db, tmp_path, ExportFilter("all"))
    again = _gdelt(db, tmp_path, ExportFilter("all"))
    assert set(first) == set(again) == {ATTACK, STATEMENT, VISIT, ASSAULT_1951, DENIED}
    assert all(first[e][0] == again[e][0] == str(global_event_id(e)) for e in first)


def test_plover_maps_types_and_skips_statements(db: duckdb.DuckDBPyConnection,
                                                tmp_path: Path) -> None:
    cameo = load_cameo()
    attack_type = plover_type("190", cameo, {"190": ("military",)})
    assert attack_type is not None and attack_type.event == "ASSAULT"
    assert attack_type.context == ("military",)
    parent = plover_type("1951", cameo)  # absent from the conversion table: parent 195
    assert parent is not None and parent.event == "ASSAULT"
    assert plover_type("010", cameo) is None and plover_type("042", cameo) is not None

    out = tmp_path / "events.jsonl"
    result = export_events(db, "plover", out)
    records = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert set(records) == {ATTACK, VISIT, ASSAULT_1951}
    assert result.rows == 3 and result.skipped == 1  # the 010 statement
    attack = records[ATTACK]
    assert attack["event"] == "ASSAULT" and attack["cameo"] == "190"
    assert "military" in attack["context"]
    assert attack["date"] == "2022-01-10"
    assert attack["source"] == [{"actorText": "Rus", "code": "RUS", "sector": "MIL"}]
    assert attack["target"][0]["code"] == "UKR" and attack["target"][0]["sector"] == "MIL"
    assert attack["text"].startswith("Russian troops attacked")
    assert attack["url"] == "https://example.org/a1"
    assert records[VISIT]["event"] == "CONSULT"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_table_exports_read_back_equal_with_duckdb_and_pyarrow(
        db: duckdb.DuckDBPyConnection, tmp_path: Path, fmt: str) -> None:
    """Every export of the events column set reads back as written: codes stay strings
    ('042', '010'), dates dates, nulls nulls, quotes and commas intact."""
    for modality, expected in (("asserted", 4), ("all", 5)):
        out = tmp_path / f"{modality}.{fmt}"
        result = export_events(db, fmt, out, ExportFilter(modality))
        want = events_arrow(db, EventFilter(modality=modality))
        assert result.rows == want.num_rows == expected
        assert want.schema == EVENT_SCHEMA
        # pyarrow, told the schema (as foreshock.read_events does)
        assert read_events(out).equals(want)
        # DuckDB on its own: no schema given, types from the file
        reader = {"parquet": "read_parquet", "csv": "read_csv", "jsonl": "read_json"}[fmt]
        back = duckdb.sql(f"SELECT * FROM {reader}(?)", params=[str(out)])
        assert back.columns == list(EVENT_NAMES)
        rows = back.fetchall()
        assert [tuple(r) for r in rows] == [tuple(r.values()) for r in want.to_pylist()]
    codes = dict(zip(want.column("event_id").to_pylist(), want.column("code").to_pylist(),
                     strict=True))
    assert codes[VISIT] == "042" and codes[STATEMENT] == "010" and codes[ASSAULT_1951] == "1951"
    labels = dict(zip(want.column("event_id").to_pylist(),
                      want.column("code_label").to_pylist(), strict=True))
    assert labels[ATTACK] == load_cameo().get("190").name
    assert labels[ASSAULT_1951] == load_cameo().get("1951").name  # a sub-code: its parent's
    sentences = dict(zip(want.column("event_id").to_pylist(),
                         want.column("sentence").to_pylist(), strict=True))
    assert sentences[STATEMENT] == 'Moscow said on Monday that it wanted "dialogue, not war".'


def test_csv_quotes_every_text_value(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    out = tmp_path / "e.csv"
    export_events(db, "csv", out, ExportFilter("all"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[:3] == ["event_id", "date", "event_date"]
    visit = next(line for line in lines if line.startswith(f'"{VISIT}"'))
    assert ',"042","Consult, not specified below",' in visit or ',"042",' in visit
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["url"] for r in rows if r["event_id"] == VISIT] == [""]  # no url: empty


def test_modality_and_date_filters(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    assert set(_gdelt(db, tmp_path, ExportFilter("negated"))) == {DENIED}
    assert set(_gdelt(db, tmp_path, ExportFilter("all", since=dt.date(2022, 2, 1)))) == {
        VISIT, ASSAULT_1951, DENIED}
    assert set(_gdelt(db, tmp_path, ExportFilter(until=dt.date(2022, 1, 31)))) == {
        ATTACK, STATEMENT}
    assert _gdelt(db, tmp_path, ExportFilter(since=dt.date(2023, 1, 1))) == {}
    assert (tmp_path / "events.gdelt.tsv").read_text() == ""
    with pytest.raises(ValueError, match="modality"):
        ExportFilter("reported")
    with pytest.raises(ValueError, match="after"):
        ExportFilter(since=dt.date(2022, 2, 1), until=dt.date(2022, 1, 1))
    with pytest.raises(ValueError, match="format"):
        export_events(db, "xml", tmp_path / "x.xml")


def test_export_command(db: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    from foreshock.cli.export import COMMANDS

    path = db.execute("SELECT file FROM pragma_database_list WHERE name = current_database()"
                      ).fetchall()[0][0]
    db.close()
    group = click.Group("foreshock", commands=list(COMMANDS))
    runner = CliRunner()
    out = tmp_path / "cli.tsv"
    result = runner.invoke(group, ["export", "--db", path, "--format", "gdelt", "-o", str(out),
                                   "--modality", "all", "--since", "2022-02-01"])
    assert result.exit_code == 0, result.output
    assert "wrote 3 all events as gdelt" in result.output
    assert len(out.read_text().splitlines()) == 3
    help_text = runner.invoke(group, ["export", "--help"]).output
    assert "foreshock export" in help_text.split("Example:")[1]
    bad = runner.invoke(group, ["export", "--db", path, "--format", "gdelt", "-o", str(out),
                                "--since", "2022-02-30"])
    assert bad.exit_code != 0 and "not a date" in bad.output
