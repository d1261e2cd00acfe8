"""foreshock.open(): Arrow tables in the export column set, checked arguments, readers that
never write, analysis in memory equal to the stored one, ingest that says why."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

import foreshock
from foreshock.analysis import ALERT_SCHEMA, SERIES_SCHEMA, STORY_SCHEMA
from foreshock.coding import EventCoder
from foreshock.database import Database
from foreshock.errors import SettingsError
from foreshock.export.columns import EVENT_SCHEMA
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import Context

FEW = ("demo-006", "demo-011", "demo-016", "demo-020", "demo-021", "demo-022", "demo-025",
       "demo-048", "demo-063", "demo-072")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = (data_path("demo") / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path_factory.mktemp("corpus") / "few.jsonl"
    path.write_text("\n".join(line for line in lines if json.loads(line)["id"] in FEW)
                    + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, corpus: Path, ctx: Context) -> Database:
    store = foreshock.open(tmp_path_factory.mktemp("db") / "few.duckdb", create=True)
    report = store.ingest(corpus)
    assert report.added == len(FEW)
    outcome = store.code_pending(coder=EventCoder(ctx))
    assert outcome.coding.articles == len(FEW) and outcome.analysis is not None
    return store


def test_open_never_creates_without_being_asked(tmp_path: Path) -> None:
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(foreshock.StoreError, match=r"^E040 .*no such database"):
        foreshock.open(missing)
    assert not missing.exists()
    other = tmp_path / "other.duckdb"
    import duckdb

    duckdb.connect(str(other)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(foreshock.StoreError, match=r"^E042 .*not a Foreshock database"):
        foreshock.open(other)


def test_a_new_and_empty_file_is_a_new_database_for_writers_only(tmp_path: Path) -> None:
    """`mktemp x.duckdb` or a DuckDB file without tables is new and empty: a writer (create)
    fills it (ingest used to refuse both with E042), a reader still refuses it, and a file
    with other tables stays refused and untouched."""
    import duckdb

    blank = tmp_path / "blank.duckdb"
    duckdb.connect(str(blank)).close()
    empty = tmp_path / "empty.duckdb"
    empty.touch()
    for path in (blank, empty):
        with pytest.raises(foreshock.StoreError, match=r"^E042 "):
            foreshock.open(path)
        news = tmp_path / f"{path.stem}.jsonl"
        news.write_text(json.dumps({"id": "a", "date": "2022-02-01",
                                    "text": "Russia attacked Ukraine."}) + "\n")
        assert foreshock.open(path, create=True).ingest(news).added == 1
        assert foreshock.open(path).summary().articles == 1
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INT)").close()
    with pytest.raises(foreshock.StoreError, match=r"^E042 .*not a Foreshock database"):
        foreshock.open(other, create=True)
    con = duckdb.connect(str(other), read_only=True)
    assert con.execute("SHOW TABLES").fetchall() == [("t",)]
    con.close()


def test_tables_have_their_schemas(db: Database) -> None:
    events = db.events(dyad="RUS-UKR")
    assert events.schema == EVENT_SCHEMA and events.num_rows > 0
    assert set(events.column("modality").to_pylist()) == {"asserted"}
    assert all(isinstance(c, str) for c in events.column("code").to_pylist())
    assert db.events(dyad="RUS>UKR").num_rows <= events.num_rows
    assert db.events(actor="rus", modality="all", limit=3).num_rows == 3
    assert db.series("RUS-UKR").schema == SERIES_SCHEMA
    assert db.alerts().schema == ALERT_SCHEMA
    assert db.stories().schema == STORY_SCHEMA
    assert db.quarantine().num_rows == 0


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda d: d.events(actor="Russia"), foreshock.UnknownActorError, r"RUS \(Russia\)"),
    (lambda d: d.events(dyad="Russia-UKR"), foreshock.UnknownActorError, r"RUS \(Russia\)"),
    (lambda d: d.series("RUSSIA"), foreshock.BadDyadError, "E005"),
    (lambda d: d.alerts(dyad="RUS-Ukrain"), foreshock.UnknownActorError, "UKR"),
    (lambda d: d.events(since="2022-02-30"), foreshock.SettingsError, "not a date"),
    (lambda d: d.events(root="21"), foreshock.SettingsError, "CAMEO root"),
    (lambda d: d.events(modality="reported"), foreshock.SettingsError, "modality"),
])
def test_arguments_are_checked(db: Database, call, error, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call(db)


def test_readers_never_write_and_compute_stale_analysis_in_memory(
        db: Database, corpus: Path, tmp_path: Path, ctx: Context) -> None:
    stored_series = db.series("RUS-UKR")
    stored_stories = db.stories()
    before = Path(db.path).read_bytes()
    # a copy whose stored stories are gone: the same results, computed in memory
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(before)
    import duckdb

    con = duckdb.connect(str(copy))
    con.execute("DELETE FROM story_members")
    con.execute("DELETE FROM analysis_state")
    con.close()
    stale = foreshock.open(copy)
    frozen = copy.read_bytes()
    # equal up to the order of float sums
    fresh = stale.series("RUS-UKR").to_pylist()
    assert len(fresh) == len(stored_series) and all(
        a == pytest.approx(b) for a, b in zip(fresh, stored_series.to_pylist(), strict=True))
    assert stale.stories().sort_by("story_id").equals(stored_stories.sort_by("story_id"))
    assert stale.alerts().num_rows == db.alerts().num_rows
    assert copy.read_bytes() == frozen  # nothing written
    assert Path(db.path).read_bytes() == before
    assert stale.analyze().computed
    assert copy.read_bytes() != frozen


def test_ingest_reports_and_raises_when_nothing_is_stored(tmp_path: Path) -> None:
    store = foreshock.open(tmp_path / "i.duckdb", create=True)
    bad = tmp_path / "headlines.jsonl"
    bad.write_text(json.dumps({"title": "Russia warns", "date": "2022-02-01"}) + "\n",
                   encoding="utf-8")
    with pytest.raises(foreshock.NothingStoredError, match="--column text=title") as info:
        store.ingest(bad)
    assert info.value.code == "E050" and info.value.report.quarantined == 1
    report = store.ingest(bad, columns={"text": "title"})
    assert report.added == 1
    table = store.quarantine(reason="missing text")
    assert table.num_rows == 1 and table.column("locator").to_pylist() == [f"{bad}:1"]


def test_the_coder_codes_a_text(ctx: Context) -> None:
    coder = EventCoder(ctx)
    coded = coder.code("Russian troops attacked Ukrainian positions near Kharkiv.",
                       dt.date(2022, 3, 1))
    assert [(e.source, e.target, e.root) for e in coded] == [("RUS", "UKR", "19")]
    table = coded.to_arrow()
    assert table.schema == EVENT_SCHEMA and table.num_rows == len(coded)
    assert table.column("code_label").to_pylist()[0]
    assert isinstance(coded[0], foreshock.Event) and coded.problems == ()
    with pytest.raises(foreshock.SettingsError, match="date"):
        coder.code("text", "yesterday")


def test_load_passes_settings_through_load_settings() -> None:
    with pytest.raises(foreshock.SettingsError, match="E002 unknown setting 'codr'"):
        foreshock.load(codr="rules")
    with pytest.raises(foreshock.SettingsError, match="coder must be rules or hybrid"):
        foreshock.load(coder="neural")
    assert isinstance(pa.table({"x": [1]}), pa.Table)


def test_reviews_from_python(db: Database, tmp_path: Path) -> None:
    copy = tmp_path / "reviewed.duckdb"
    shutil.copy(db.path, copy)
    store = foreshock.open(copy)
    assert store.reviews().num_rows == 0
    conflict = store.events(dyad="RUS-UKR", quad=4).to_pylist()[0]
    made = store.review(conflict["event_id"], "wrong", note="a warning")
    assert made["verdict"] == "wrong" and made["sentence"] == conflict["sentence"]
    assert store.reviews().column("note").to_pylist() == ["a warning"]
    with pytest.raises(SettingsError, match=r"E001.*no stored event"):
        store.review("nothing")
    with pytest.raises(SettingsError, match=r"E001.*verdict"):
        store.review(conflict["event_id"], "maybe")
    for event in store.events(dyad="RUS-UKR", quad=4).to_pylist()[1:]:
        store.review(event["event_id"], "wrong")
    before = store.series("RUS-UKR").column("q4").to_pylist()
    after = store.series("RUS-UKR", exclude_reviewed=True).column("q4").to_pylist()
    assert sum(before) > 0 and sum(after) == 0  # every material conflict marked wrong
    assert store.alerts(exclude_reviewed=True).schema == store.alerts().schema


def test_exclude_reviewed_is_refused_for_a_backtest_scope(db: Database) -> None:
    # a backtest's alerts are read as stored: leaving reviewed events out would change
    # nothing, so asking for it is an error rather than silently ignored
    with pytest.raises(SettingsError, match=r"E001 .*scope 'backtest-x'.*'all'"):
        db.alerts(scope="backtest-x", exclude_reviewed=True)
    assert db.alerts(scope="backtest-x").num_rows == 0  # without it the scope reads as usual


def test_analyze_reports_articles_clustered_and_names_each_step(
        db: Database, corpus: Path, tmp_path: Path) -> None:
    # the stage after coding: a count (articles clustered into stories) and its steps, so
    # that progress can show it at least every second
    copy = tmp_path / "steps.duckdb"
    shutil.copy(db.path, copy)
    import duckdb

    con = duckdb.connect(str(copy))
    con.execute("DELETE FROM story_members")
    con.execute("DELETE FROM analysis_state")
    con.close()
    stale = foreshock.open(copy)
    assert not stale.analysis_current()
    counts: list[tuple[int, int | None]] = []
    steps: list[str] = []
    stale.analyze(progress=lambda done, total: counts.append((done, total)),
                  status=steps.append)
    assert counts[-1] == (len(FEW), len(FEW)) and len(counts) == len(FEW)
    assert steps[0] == "clustering new articles into stories"
    assert "running the alert detectors" in steps and steps[-1].startswith("storing ")
    assert stale.analysis_current()


def test_ingest_reports_bytes_read_of_its_files(corpus: Path, tmp_path: Path) -> None:
    store = foreshock.open(tmp_path / "b.duckdb", create=True)
    read: list[tuple[int, int | None]] = []
    store.ingest(corpus, read_progress=lambda done, total: read.append((done, total)))
    size = corpus.stat().st_size
    assert len(read) == len(FEW) and {total for _, total in read} == {size}
    assert read[-1][0] == size


def test_a_file_whose_tables_are_in_another_schema_is_not_empty(tmp_path: Path) -> None:
    # a DuckDB database keeping its tables outside "main" is still someone else's: a writer
    # must refuse it rather than add Foreshock's tables beside them
    import duckdb

    other = tmp_path / "schema.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE SCHEMA s")
    con.execute("CREATE TABLE s.data (x INT)")
    con.close()
    with pytest.raises(foreshock.StoreError, match=r"^E042 .*not a Foreshock database.*s\.data"):
        foreshock.open(other, create=True)
