"""Progress: plain lines with count, rate and ETA at most once per interval off a
terminal, and a closing line; output rows in the export formats."""

from __future__ import annotations

import io
import multiprocessing
import time
from pathlib import Path

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


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The progress module's clock, moved by hand (``clock.now += 2``)."""
    fake = Clock()
    monkeypatch.setattr(render.time, "monotonic", fake)
    return fake


@pytest.fixture
def out() -> io.StringIO:
    return io.StringIO()


def plain(label: str, unit: str, out: io.StringIO) -> Reporter:
    """Progress lines off a terminal, without the heartbeat thread (tests call tick())."""
    return Reporter(label, unit, terminal=False, stream=out, heartbeat=False)


def test_plain_progress_has_rate_eta_and_a_final_line(clock: Clock, out: io.StringIO
                                                       ) -> None:
    with plain("code", "articles", out) as update:
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


def test_unknown_totals_show_count_and_rate(clock: Clock, out: io.StringIO) -> None:
    with plain("ingest", "records", out) as update:
        clock.now += 2
        update(500, None)
    # no total and no size to follow (stdin): the ETA is said to be unknown
    assert out.getvalue().splitlines()[0] == "ingest: 500 records, 250.0 records/s, ETA ?"


def test_an_ingest_that_stores_nothing_still_closes_its_count(
        clock: Clock, out: io.StringIO) -> None:
    # every record was read (and quarantined): the last line must say how many, not the
    # first record's count, before E050 lists the reasons
    with pytest.raises(NothingStoredError), \
            plain("ingest", "records", out) as update:
        update(1, None)
        clock.now += 0.5
        update(2, None)
        raise NothingStoredError("nothing stored: 2 records read, all quarantined")
    assert out.getvalue().splitlines()[-1] == "ingest: 2 records, done in 0:00:00, 4.0 records/s"


def test_an_interrupted_stage_says_no_done(out: io.StringIO) -> None:
    with pytest.raises(KeyboardInterrupt), \
            plain("code", "articles", out) as update:
        update(1, 10)
        raise KeyboardInterrupt
    assert "done" not in out.getvalue()


def test_ingest_eta_follows_the_bytes_read_of_the_input_files(
        clock: Clock, out: io.StringIO) -> None:
    with plain("ingest", "records", out) as update:
        clock.now += 2
        update.reading(500_000, 2_000_000)  # a quarter of the files in 2 s: 6 s to go
        update(1_000, None)
    assert out.getvalue().splitlines()[0] == (
        "ingest: 1,000 records (25% of 2.0 MB), 500.0 records/s, ETA 0:00:06")


def test_stdin_has_no_size_so_its_eta_is_a_question_mark(
        clock: Clock, out: io.StringIO) -> None:
    with plain("ingest", "records", out) as update:
        clock.now += 1
        update.reading(4_096, None)
        update(10, None)
    assert out.getvalue().splitlines()[0] == "ingest: 10 records, 10.0 records/s, ETA ?"


def test_the_heartbeat_says_what_a_step_without_a_count_is_doing(
        clock: Clock, out: io.StringIO) -> None:
    # clustering or loading a model moves no count: a line must still come every second
    with plain("stories and alerts", "articles", out) as update:
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


def test_a_piped_stage_that_blocks_still_prints_every_interval(out: io.StringIO) -> None:
    # the real heartbeat thread and clock: the stage sleeps, lines keep coming
    with Reporter("code", "articles", terminal=False, stream=out, interval=0.05) as update:
        update.status("loading the model")
        time.sleep(0.4)
    beats = [line for line in out.getvalue().splitlines() if line.endswith(")")]
    assert len(beats) >= 3, out.getvalue()
    assert all(line.startswith("code: loading the model (0:00:0") for line in beats)


def _in_a_forked_worker(update: Reporter) -> None:
    # what a multiprocessing worker handed the reporter (or inheriting it) might do
    update(999, 1000)
    update.status("in the child")
    update.reading(1, 2)
    update.tick()
    time.sleep(0.3)  # long enough for a heartbeat, had the child one, to write
    update.__exit__(None, None, None)


def test_a_forked_child_never_writes_to_the_parents_stream(tmp_path: Path) -> None:
    # the parent's heartbeat thread holds the lock at the fork: a child that took it
    # would block for good; a child that wrote would mix its lines into the parent's
    log = tmp_path / "progress.log"
    with log.open("a", encoding="utf-8") as stream, \
            Reporter("code", "articles", terminal=False, stream=stream, interval=0.05) as update:
        update(1, 1000)
        with update._lock:
            child = multiprocessing.get_context("fork").Process(
                target=_in_a_forked_worker, args=(update,))
            child.start()
        child.join(10)
        if child.is_alive():  # blocked on the lock: do not leave it behind
            child.kill()
            child.join()
        assert child.exitcode == 0, "the forked child blocked or failed"
        time.sleep(0.2)  # the parent's own heartbeat goes on
    lines = log.read_text(encoding="utf-8").splitlines()
    assert not any("999" in line or "in the child" in line or "done" in line
                   for line in lines[:-1]), lines
    assert lines[-1].startswith("code: 1/1,000 articles (0%), done in ")


def test_rows_in_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    table = pa.table({"code": ["042", None], "n": [1, 2],
                      "evidence": [[{"a": 1}], []]})
    emit_table(table, "csv", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines() == [
        "code,n,evidence", '"042",1,"[{""a"": 1}]"', ',2,"[]"']
    emit_table(table, "jsonl", Console(file=io.StringIO()))
    assert capsys.readouterr().out.splitlines()[0] == '{"code": "042", "n": 1, ' \
                                                      '"evidence": [{"a": 1}]}'
