"""Progress: plain lines with count, rate and ETA at most once per interval off a
terminal, and a closing line; output rows in the export formats."""

from __future__ import annotations

import io

import pyarrow as pa
import pytest
from rich.console import Console

from foreshock.cli import render
from foreshock.cli.render import Reporter, emit_table
from foreshock.errors import NothingStoredError


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_progress_has_rate_eta_and_a_final_line(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with Reporter("code", "articles", terminal=False, stream=out) as update:
        update(0, 100)  # the total is known before the model loads
        update.status("loading the model")
        clock.now += 5  # loading is not work: the rate starts after it
        update(0, 100)
        for done in range(10, 101, 10):
            clock.now += 0.5
            update(done, 100)
    lines = out.getvalue().splitlines()
    assert lines[0] == "code: 0/100 articles (0%), 0.0 articles/s"
    assert lines[1] == "code: loading the model"
    assert "code: 30/100 articles (30%), 20.0 articles/s, ETA 0:00:04" in lines
    # at most one line a second while counting: 10 updates over 5 s
    counting = [line for line in lines[2:-1] if "ETA" in line]
    assert 3 <= len(counting) <= 6
    assert lines[-1] == "code: 100/100 articles (100%), done in 0:00:10, 20.0 articles/s"


def test_unknown_totals_show_count_and_rate(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with Reporter("ingest", "records", terminal=False, stream=out) as update:
        clock.now += 2
        update(500, None)
    assert out.getvalue().splitlines()[0] == "ingest: 500 records, 250.0 records/s"


def test_an_ingest_that_stores_nothing_still_closes_its_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # every record was read (and quarantined): the last line must say how many, not the
    # first record's count, before E050 lists the reasons
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with pytest.raises(NothingStoredError), \
            Reporter("ingest", "records", terminal=False, stream=out) as update:
        update(1, None)
        clock.now += 0.5
        update(2, None)
        raise NothingStoredError("nothing stored: 2 records read, all quarantined")
    assert out.getvalue().splitlines()[-1] == "ingest: 2 records, done in 0:00:00, 4.0 records/s"


def test_an_interrupted_stage_says_no_done(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), \
            Reporter("code", "articles", terminal=False, stream=out) as update:
        update(1, 10)
        raise KeyboardInterrupt
    assert "done" not in out.getvalue()


def test_rows_in_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    table = pa.table({"code": ["042", None], "n": [1, 2],
                      "evidence": [[{"a": 1}], []]})
    emit_table(table, "csv", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines() == [
        "code,n,evidence", '"042",1,"[{""a"": 1}]"', ',2,"[]"']
    emit_table(table, "jsonl", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines()[0] == '{"code": "042", "n": 1, ' \
                                                      '"evidence": [{"a": 1}]}'
