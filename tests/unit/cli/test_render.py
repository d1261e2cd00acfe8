"""Progress: plain lines with count, rate and ETA at most once per interval off a
terminal, and a closing line; output rows in the export formats."""

from __future__ import annotations

import io
import time

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
    with Reporter("code", "articles", terminal=False, stream=out, heartbeat=False) as update:
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
    with Reporter("ingest", "records", terminal=False, stream=out, heartbeat=False) as update:
        clock.now += 2
        update(500, None)
    # no total and no size to follow (stdin): the ETA is said to be unknown
    assert out.getvalue().splitlines()[0] == "ingest: 500 records, 250.0 records/s, ETA ?"


def test_an_ingest_that_stores_nothing_still_closes_its_count(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # every record was read (and quarantined): the last line must say how many, not the
    # first record's count, before E050 lists the reasons
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with pytest.raises(NothingStoredError), \
            Reporter("ingest", "records", terminal=False, stream=out, heartbeat=False) as update:
        update(1, None)
        clock.now += 0.5
        update(2, None)
        raise NothingStoredError("nothing stored: 2 records read, all quarantined")
    assert out.getvalue().splitlines()[-1] == "ingest: 2 records, done in 0:00:00, 4.0 records/s"


def test_an_interrupted_stage_says_no_done(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt), \
            Reporter("code", "articles", terminal=False, stream=out, heartbeat=False) as update:
        update(1, 10)
        raise KeyboardInterrupt
    assert "done" not in out.getvalue()


def test_ingest_eta_follows_the_bytes_read_of_the_input_files(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with Reporter("ingest", "records", terminal=False, stream=out, heartbeat=False) as update:
        clock.now += 2
        update.reading(500_000, 2_000_000)  # a quarter of the files in 2 s: 6 s to go
        update(1_000, None)
    assert out.getvalue().splitlines()[0] == (
        "ingest: 1,000 records (25% of 2.0 MB), 500.0 records/s, ETA 0:00:06")


def test_stdin_has_no_size_so_its_eta_is_a_question_mark(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with Reporter("ingest", "records", terminal=False, stream=out, heartbeat=False) as update:
        clock.now += 1
        update.reading(4_096, None)
        update(10, None)
    assert out.getvalue().splitlines()[0] == "ingest: 10 records, 10.0 records/s, ETA ?"


def test_the_heartbeat_says_what_a_step_without_a_count_is_doing(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # clustering or loading a model moves no count: a line must still come every second
    clock = Clock()
    monkeypatch.setattr(render.time, "monotonic", clock)
    out = io.StringIO()
    with Reporter("stories and alerts", "articles", terminal=False, stream=out,
                  heartbeat=False) as update:
        clock.now += 1.2
        update.tick()  # nothing reported yet
        update.status("running the alert detectors")
        clock.now += 0.5
        update.tick()  # a line was written half a second ago: nothing due
        clock.now += 0.6
        update.tick()
        clock.now += 1.0
        update.tick()
        update(40, 100)
        clock.now += 1.0
        update.tick()  # the count did not move: its line again, with the rate now
    assert out.getvalue().splitlines() == [
        "stories and alerts: starting (0:00:01)",
        "stories and alerts: running the alert detectors",
        "stories and alerts: running the alert detectors (0:00:01)",
        "stories and alerts: running the alert detectors (0:00:02)",
        "stories and alerts: 40/100 articles (40%), 0.0 articles/s",
        "stories and alerts: 40/100 articles (40%), 0.0 articles/s",
        "stories and alerts: 40/100 articles (40%), done in 0:00:04, 0.0 articles/s",
    ]


def test_a_piped_stage_that_blocks_still_prints_every_interval() -> None:
    # the real heartbeat thread and clock: the stage sleeps, lines keep coming
    out = io.StringIO()
    with Reporter("code", "articles", terminal=False, stream=out, interval=0.05) as update:
        update.status("loading the model")
        time.sleep(0.4)
    beats = [line for line in out.getvalue().splitlines() if line.endswith(")")]
    assert len(beats) >= 3, out.getvalue()
    assert all(line.startswith("code: loading the model (0:00:0") for line in beats)


def test_rows_in_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    table = pa.table({"code": ["042", None], "n": [1, 2],
                      "evidence": [[{"a": 1}], []]})
    emit_table(table, "csv", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines() == [
        "code,n,evidence", '"042",1,"[{""a"": 1}]"', ',2,"[]"']
    emit_table(table, "jsonl", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines()[0] == '{"code": "042", "n": 1, ' \
                                                      '"evidence": [{"a": 1}]}'
