"""Property-based fuzzing of every reader and of ingest (Hypothesis, seeded, bounded).

Hostile corpora (quotes, every line ending, NUL, BOMs, lone surrogates, bad dates, wrong
types, stray CSV quotes, truncated files and archives, bad bytes, unknown file types) must
never crash a reader or the store, and must never lose a record without saying so: every
record written is found again at its place, and every record read is counted once.  CI
runs a bounded number of examples (``FORESHOCK_FUZZ_EXAMPLES``); ``bench/fuzz.py`` runs
the same properties over more than 10,000 records.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from foreshock.ingest import iter_raw
from foreshock.normalize.validate import content_id
from foreshock.records import Skipped
from foreshock.runners.ingest import IngestReport, ingest
from foreshock.settings import Settings
from foreshock.store.db import connect
from fuzzing import (
    FileSpec,
    Record,
    clean_date,
    clean_records,
    clean_text,
    files,
    merged,
    unaccounted,
    write_corpus,
)

EXAMPLES = int(os.environ.get("FORESHOCK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_readers(folder: Path, specs: list[FileSpec]) -> list[object]:
    corpus = write_corpus(folder, specs)
    skipped: list[Skipped] = []
    raws = list(iter_raw([str(folder)], on_skip=skipped.append))
    assert [Path(s.path).name for s in skipped] == ["notes.md"]
    missing = unaccounted(corpus, raws)
    assert not missing, f"records lost without a word: {missing[:3]}"
    swallowed = merged(corpus, raws)
    assert not swallowed, f"records merged into one without a word: {swallowed[:2]}"
    by_place = {(r.source_path, r.locator): r for r in raws}
    for place in clean_records(corpus):
        record = place.record
        found = [r for (path, _), r in by_place.items() if path == place.path
                 and r.problem is None and r.text == record.text]
        assert found, f"clean record not read as written: {place}"
        for raw in raws:  # every text that came out can be stored
            for value in (raw.source_path, raw.locator, raw.raw, raw.problem or ""):
                value.encode("utf-8")
    return raws


@seed(14)
@FUZZ
@given(st.lists(files, min_size=1, max_size=5))
def test_readers_never_crash_and_never_lose_a_record(specs: list[FileSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_readers(Path(tmp), specs)


@seed(141414)
@FUZZ
@given(st.lists(st.tuples(clean_date, clean_text), min_size=2, max_size=12),
       st.sampled_from(["\n", "\r\n", "\r"]), st.integers(0, 2**16))
def test_one_stray_quote_costs_at_most_its_own_row(rows: list[tuple[str, str]], ending: str,
                                                   where: int) -> None:
    """The issue's target: the broken row is quarantined (or stored), the others stored."""
    stray = where % len(rows)  # as write_corpus picks it (and quoting: where % 2)
    spec = FileSpec("csv", ending, "stray_quote", tuple(
        Record(True, None, date, text) for date, text in rows), where)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = write_corpus(Path(tmp), [spec])
        raws = list(iter_raw(corpus.paths))
    assert len(raws) == len(rows)
    for index, (place, raw) in enumerate(zip(corpus.placed, raws, strict=True)):
        if index != stray:
            assert (raw.problem, raw.article_id, raw.text) == (None, place.record.id,
                                                               place.record.text)


@seed(1414)
@settings(FUZZ, max_examples=max(EXAMPLES // 2, 5))
@given(st.lists(files, min_size=1, max_size=4))
def test_ingest_counts_every_record_once_and_twice_adds_nothing(specs: list[FileSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        corpus = write_corpus(folder, specs)
        db = str(Path(tmp) / "f.duckdb")
        con = connect(db)
        try:
            settings_ = Settings(db=db)
            first = ingest(con, [str(folder)], settings_, 1)
            assert_accounted(con, first)
            again = ingest(con, [str(folder)], settings_, 2)
            assert again.read == first.read and again.added == 0
            assert_accounted(con, first)  # the tables did not grow
            for place in clean_records(corpus):
                record = place.record
                date = dt.date.fromisoformat(str(record.date))
                key = record.id if not place.path.endswith((".txt", ".txt.gz")) else \
                    content_id(dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC),
                               str(record.text))
                stored = con.execute("SELECT date, text FROM articles WHERE article_id = ?",
                                     [key]).fetchall()
                assert stored == [(date, record.text)], place
        finally:
            con.close()


def assert_accounted(con: duckdb.DuckDBPyConnection, report: IngestReport) -> None:
    assert report.unaccounted == 0, report
    articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
    assert (articles, quarantined) == (report.added, report.quarantined), report
