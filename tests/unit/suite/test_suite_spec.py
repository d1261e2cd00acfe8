"""Suite files load strictly; corpora are cut to the cases' windows and nothing else."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from foreshock.errors import DataFileError
from foreshock.suite.corpora import write_slice
from foreshock.suite.spec import load_suite

SUITE = """
version = "suite.v1"
cache = "cache"

[corpora.wire]
paths = ["wire.jsonl.gz"]
fields = { text = "text", date = "date", id = "id" }
outlet_field = "outlets"

[[cases]]
name = "war"
kind = "detect"
part = "tuning"
corpora = ["wire"]
window = ["2020-01-01", "2020-03-31"]
onset = "2020-03-01"
dyads = ["UKR-RUS", "SDNREB-SDNMIL"]

[[cases]]
name = "quiet"
kind = "calm"
part = "held-out"
corpora = ["wire"]
window = ["2020-03-15", "2020-06-30"]
score_from = "2020-04-01"
exclude_actors = ["syr"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "suite.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_suite_loads_with_sorted_dyads_and_merged_windows(tmp_path: Path) -> None:
    suite = load_suite(write(tmp_path, SUITE))
    war, quiet = suite.cases
    assert war.dyads == ("RUS-UKR", "SDNMIL-SDNREB")
    assert war.score_from == war.start  # default: the window's first day
    assert quiet.exclude_actors == ("SYR",) and quiet.days == 91
    assert suite.cache == (tmp_path / "cache").resolve()
    assert suite.corpora["wire"].paths == ((tmp_path / "wire.jsonl.gz").resolve(),)
    # the two windows overlap: the corpus is read once over their union
    assert suite.windows("wire") == [(dt.date(2020, 1, 1), dt.date(2020, 6, 30))]


@pytest.mark.parametrize(("old", "new", "expected"), [
    ('kind = "detect"', 'kind = "guess"', "one of warn, detect, calm"),
    ('part = "tuning"', 'part = "train"', "one of tuning, held-out"),
    ('onset = "2020-03-01"\n', "", "an onset date"),
    ('"UKR-RUS"', '"UKR+RUS"', "a dyad like RUS-UKR"),
    ('fields = { text = "text"', 'fields = { text = "topic"', "other than topic"),
    ('corpora = ["wire"]\nwindow = ["2020-01-01"', 'corpora = ["news"]\nwindow = ["2020-01-01"',
     "names of corpora"),
    ('score_from = "2020-04-01"', 'score_from = "2021-04-01"', "a day inside the window"),
    ('name = "quiet"', 'name = "war"', "a case name used once"),
    ('exclude_actors', 'exclude_actor', "one of"),
    # the one date range of files, options and the API (year 1 used to pass)
    ('window = ["2020-01-01"', 'window = ["0001-01-01"',
     "window: 0001-01-01 is outside the plausible range of news dates, 1900-01-01 to"),
    ('onset = "2020-03-01"', 'onset = "9999-12-31"', "onset: 9999-12-31 is outside"),
])
def test_a_bad_value_names_file_line_and_what_was_expected(tmp_path: Path, old: str,
                                                             new: str, expected: str) -> None:
    assert old in SUITE
    path = write(tmp_path, SUITE.replace(old, new, 1))
    with pytest.raises(DataFileError, match=expected) as info:
        load_suite(path)
    assert info.value.path == str(path)


def test_the_slice_keeps_the_windows_and_the_mapped_fields_only(tmp_path: Path) -> None:
    records = [
        {"id": "a", "date": "2019-12-31", "text": "before", "topic": "x", "outlets": ["R"]},
        {"id": "b", "date": "2020-02-01", "text": "inside", "topic": "Prelude to war",
         "outlets": ["BBC", "Reuters"]},
        {"id": "c", "date": "2020-07-01T10:00:00Z", "text": "after", "outlets": []},
        {"id": "d", "date": "2020-06-30T23:00:00Z", "text": "last day", "outlets": []},
    ]
    with gzip.open(tmp_path / "wire.jsonl.gz", "wt", encoding="utf-8") as out:
        out.writelines(json.dumps(r) + "\n" for r in records)
    suite = load_suite(write(tmp_path, SUITE))
    corpus = suite.corpora["wire"]
    first = write_slice(corpus, suite.windows("wire"), tmp_path / "out")
    lines = [json.loads(x) for x in first.path.read_text().splitlines()]
    assert [r["id"] for r in lines] == ["b", "d"] and first.written
    assert lines[0] == {"id": "b", "date": "2020-02-01", "text": "inside", "source": "BBC"}
    assert lines[1]["source"] == "wire"  # no outlet: the corpus name
    assert all("topic" not in r for r in lines)
    again = write_slice(corpus, suite.windows("wire"), tmp_path / "out")
    assert not again.written and again.records == 2  # unchanged: the cached slice is kept
    wider = write_slice(corpus, [(dt.date(2019, 1, 1), dt.date(2021, 1, 1))], tmp_path / "out")
    assert wider.written and wider.records == 4
