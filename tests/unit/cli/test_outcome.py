"""What the command line says on Ctrl-C, on a full disk, and at the end of an ingest."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from foreshock.cli import main as cli_main
from foreshock.cli import pipeline as cli_pipeline
from foreshock.cli.outcome import failure_message, ingest_summary
from foreshock.records import Skipped
from foreshock.runners import ingest as ingest_runner
from foreshock.runners import local
from foreshock.runners.ingest import IngestReport
from foreshock.store.db import connect


def after_progress(err: str) -> str:
    """stderr from the first line that is not a progress line ("ingest: 3 records, …",
    "code: loading …": off a terminal, progress is written as plain lines)."""
    lines = err.splitlines(keepends=True)
    while lines and lines[0].startswith(("ingest: ", "code: ", "stories and alerts: ")):
        lines.pop(0)
    return "".join(lines)


def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["foreshock", *args])
    with pytest.raises(SystemExit) as info:
        cli_main.main()
        raise SystemExit(0)
    return int(info.value.code or 0)


def test_ctrl_c_during_ingest_stores_what_was_read_and_says_how_to_resume(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C used to exit 130 with a blank line, saying nothing of what was kept."""
    source = tmp_path / "five.jsonl"
    source.write_text("".join(f'{{"id": "a{i}", "date": "2022-02-0{i}", "text": "Text {i}."}}\n'
                              for i in range(1, 6)))
    real = ingest_runner.to_article
    seen: list[int] = []

    def interrupt_at_four(raw, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(1)
        if len(seen) == 4:
            raise KeyboardInterrupt
        return real(raw, **kwargs)

    monkeypatch.setattr(ingest_runner, "to_article", interrupt_at_four)
    db = tmp_path / "i.duckdb"
    assert run_main(monkeypatch, "ingest", str(source), "--db", str(db)) == 130
    err = after_progress(capsys.readouterr().err)
    assert err.startswith("interrupted: 4 records read, 3 new articles and 0 quarantined "
                          "records stored before the interrupt. Run `foreshock ingest ")
    assert "again to resume" in err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall() == [(3,)]
    assert "interrupted" in con.execute("SELECT counts FROM runs").fetchall()[0][0]
    con.close()
    monkeypatch.setattr(ingest_runner, "to_article", real)
    assert run_main(monkeypatch, "ingest", str(source), "--db", str(db)) == 0
    assert "2 new articles, 3 already stored" in capsys.readouterr().out


def test_disk_full_says_so_instead_of_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def full(*_: object, **__: object) -> None:
        raise duckdb.IOException('IO Error: Could not write file "x.duckdb.wal": '
                                 "No space left on device")

    db = tmp_path / "x.duckdb"
    connect(str(db)).close()  # `code` needs a database to exist (E040 otherwise)
    monkeypatch.setattr(cli_pipeline, "do_code", full)
    assert run_main(monkeypatch, "code", "--db", str(db)) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: disk full (No space left on device).")
    assert "run the same command again to resume" in err
    assert failure_message(OSError(28, "No space left on device")) is not None
    assert failure_message(ValueError("other")) is None


def test_ingest_summary_accounts_for_every_record() -> None:
    report = IngestReport(read=10, added=5, duplicates=2, quarantined=2, skipped=1,
                          reasons={"bad date": 1, "conflict": 1},
                          skipped_files=[Skipped(f"f{i}.md", "unknown file type; read are x")
                                         for i in range(7)])
    text = ingest_summary(report)
    assert text.startswith("ingested 10 records: 5 new articles, 2 already stored, "
                           "2 quarantined (bad date: 1, conflict: 1), 1 skipped")
    assert "skipped 7 file(s) not read: f0.md, f1.md, f2.md, f3.md, f4.md and 2 more " \
           "(unknown file type; see runs.counts)" in text
    assert "unaccounted" not in text
    report.read = 11
    assert "warning: 1 records unaccounted for" in ingest_summary(report)


def test_ctrl_c_during_coding_says_what_was_coded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "two.jsonl"
    source.write_text('{"id": "a", "date": "2022-02-01", "text": "Russia attacked."}\n'
                      '{"id": "b", "date": "2022-02-02", "text": "Kyiv protested."}\n')
    db = tmp_path / "c.duckdb"
    assert run_main(monkeypatch, "ingest", str(source), "--db", str(db)) == 0

    def code_one_then_stop(con, ctx, run_id, *, progress=None, report=None):  # type: ignore[no-untyped-def]
        report.articles, report.events = 1, 2
        raise RuntimeError("Query interrupted")  # how Ctrl-C surfaces inside DuckDB

    import foreshock.pipeline

    monkeypatch.setattr(local, "code_pending", code_one_then_stop)
    fake = SimpleNamespace(extractor_version="v-test", nlp=SimpleNamespace(meta={}))
    monkeypatch.setattr(foreshock.pipeline, "load_context", lambda settings: fake)
    assert run_main(monkeypatch, "code", "--db", str(db)) == 130
    err = after_progress(capsys.readouterr().err)
    assert err.startswith("interrupted: 1 articles coded into 2 events were stored before "
                          "the interrupt; 2 articles still to code. Run `foreshock code")
