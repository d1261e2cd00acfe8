"""The command line end to end on real files: ingest, code, run, events, demo, help."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from foreshock.cli.main import cli
from foreshock.ontology.tsv import data_path

FIXTURES = Path(__file__).parents[1] / "fixtures"


def invoke(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), input=stdin, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    out = invoke("demo", "--db", str(db))
    assert "most conflictual dyad" in out
    return db


def test_demo_summary_and_idempotent_rerun(demo_db: Path) -> None:
    con = duckdb.connect(str(demo_db), read_only=True)
    articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
    events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    con.close()
    bundled = sum(1 for _ in (data_path("demo") / "articles.jsonl").open()) + 1
    assert articles == bundled
    assert events > articles  # a crisis corpus yields several events per article
    out = invoke("run", str(data_path("demo")), "--db", str(demo_db))
    assert f"0 new articles, {bundled} already stored" in out
    con = duckdb.connect(str(demo_db), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == events
    runs = con.execute("SELECT command, counts FROM runs ORDER BY run_id").fetchall()
    con.close()
    assert [r[0] for r in runs][:2] == ["demo", "demo"]
    assert json.loads(runs[-1][1])["articles"] == 0  # nothing left to code


def test_events_filters_and_formats(demo_db: Path) -> None:
    out = invoke("events", "--db", str(demo_db), "--dyad", "RUS-UKR", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows, "the demo crisis has RUS-UKR events"
    assert all({r["source"], r["target"]} == {"RUS", "UKR"} for r in rows)
    assert all(r["modality"] == "asserted" for r in rows)
    out = invoke("events", "--db", str(demo_db), "--actor", "RUS", "--quad", "4",
                 "--since", "2022-02-01", "--format", "jsonl")
    items = [json.loads(line) for line in out.splitlines()]
    assert items and all(i["quad_class"] == 4 and i["date"] >= "2022-02-01" for i in items)
    assert all("RUS" in (i["source"], i["target"]) for i in items)
    hyp = invoke("events", "--db", str(demo_db), "--modality", "hypothetical", "--format",
                 "json")
    assert all(e["modality"] == "hypothetical" for e in json.loads(hyp))


def test_bad_dyad_is_a_clear_error(demo_db: Path) -> None:
    result = CliRunner().invoke(cli, ["events", "--db", str(demo_db), "--dyad", "RUSSIA"])
    assert result.exit_code == 2
    assert "expected two actor codes like RUS-UKR" in result.output


def test_bad_inputs_are_quarantined_and_counted(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    out = invoke("ingest", str(FIXTURES / "ingest" / "bad"), "--db", str(db))
    assert "quarantined" in out
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT reason, source_path, locator FROM quarantine").fetchall()
    con.close()
    reasons = {r[0].split(":")[0].split(" (")[0] for r in rows}
    for reason in ("no date", "bad date", "empty text", "undecodable bytes", "malformed JSON"):
        assert reason in reasons, reasons
    assert all(r[1] and r[2] for r in rows), "every quarantined record names its file and place"
    again = invoke("ingest", str(FIXTURES / "ingest" / "bad"), "--db", str(db))
    assert "0 new articles" in again
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0] == len(rows)
    con.close()


def test_stdin_with_default_date(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    out = invoke("run", "-", "--date", "2022-02-10", "--db", str(db),
                 stdin="Russia massed troops near the border with Ukraine.\n")
    assert "1 new articles" in out


@pytest.mark.parametrize("command", ["ingest", "code", "run", "events", "demo", "eval", "watch",
                                     "series", "export", "alerts", "backtest", "plot"])
def test_every_help_ends_with_an_example(command: str) -> None:
    out = invoke(command, "--help")
    assert "Example:" in out
    assert "foreshock " + command in out.split("Example:")[1]


def test_stray_quote_csv_stores_the_other_rows_and_says_so(tmp_path: Path) -> None:
    """The issue's probe: `printf 'id,date,text\\n1,2022-02-01,"Russia attacked Ukraine.\\n
    2,...' > q.csv; foreshock ingest q.csv` stored 1 article and exited 0."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    source = inbox / "q.csv"
    source.write_text('id,date,text\n1,2022-02-01,"Russia attacked Ukraine.\n'
                      "2,2022-02-02,China met Taiwan.\n3,2022-02-03,NATO warned Russia.\n")
    (inbox / "notes.md").write_text("# not news")
    db = tmp_path / "q.duckdb"
    out = invoke("ingest", str(inbox), "--db", str(db))
    assert "ingested 3 records: 2 new articles, 0 already stored, 1 quarantined " \
           "(runaway quoted field: 1)" in out
    assert "skipped 1 file(s) not read" in out and "notes.md" in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT article_id FROM articles ORDER BY 1").fetchall() == [("2",),
                                                                                  ("3",)]
    assert con.execute("SELECT locator FROM quarantine").fetchall() == [
        (f"{source}:row 1 (line 2)",)]
    con.close()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_implausible_date_option_is_refused_like_in_a_file(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(cli, ["ingest", "-", "--date", value, "--db",
                                      str(tmp_path / "d.duckdb")], input="Text.\n")
    assert result.exit_code == 2
    assert f"{value} is outside the plausible range of news dates, 1900-01-01 to" in \
        result.output
    assert not (tmp_path / "d.duckdb").exists()


def test_on_conflict_choices(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text('{"id": "x", "date": "2022-02-01", "text": "First text."}\n')
    second.write_text('{"id": "x", "date": "2022-02-01", "text": "Second text."}\n')
    invoke("ingest", str(first), "--db", db)
    out = invoke("ingest", str(second), "--db", db)
    assert "0 new articles, 0 already stored, 1 quarantined (conflict: 1)" in out
    assert "1 skipped" in invoke("ingest", str(second), "--db", db, "--on-conflict", "keep")
    assert "1 stored articles replaced" in invoke("ingest", str(second), "--db", db,
                                                  "--on-conflict", "replace")
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT text FROM articles").fetchall() == [("Second text.",)]
    con.close()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_file_and_folder_names_that_are_not_utf8(tmp_path: Path) -> None:
    """A non-UTF-8 file name used to crash the ingest (the database refuses the name)."""
    folder = os.fsdecode(os.fsencode(str(tmp_path)) + b"/caf\xe9")
    os.makedirs(folder)
    with open(os.path.join(folder, os.fsdecode(b"x\xff.txt")), "w") as handle:
        handle.write("date 2022-02-01\nRussia attacked Ukraine.\n")
    db = str(tmp_path / "n.duckdb")
    assert "1 new articles" in invoke("ingest", folder, "--db", db)
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT source_path FROM articles").fetchall() == [
        (f"{tmp_path}/caf\\xe9/x\\xff.txt",)]
    assert json.loads(con.execute("SELECT inputs FROM runs").fetchall()[0][0]) == [
        f"{tmp_path}/caf\\xe9"]
    con.close()


def test_ctrl_c_mid_ingest_says_what_was_stored(tmp_path: Path) -> None:
    """A real SIGINT to the command: exit 130 and a message, not a blank line."""
    import signal
    import subprocess
    import sys
    import time

    source = tmp_path / "many.jsonl"
    with source.open("w") as handle:
        for i in range(200_000):
            handle.write(json.dumps({"id": f"m{i}", "date": "2022-02-01",
                                     "text": f"Russia and Ukraine, report {i}."}) + "\n")
    db = tmp_path / "c.duckdb"
    process = subprocess.Popen(
        [sys.executable, "-m", "foreshock", "ingest", str(source), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        # a background job inherits SIGINT ignored: give the command a terminal's default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the ingest finished before the interrupt (a very fast machine)")
    assert process.returncode == 130, err
    assert err.startswith("interrupted: "), err
    stored = int(err.split(" new articles")[0].rsplit(" ", 1)[1])
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == stored
    con.close()


def test_watch_once_reads_codes_and_analyses_an_inbox(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = (data_path("demo") / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (inbox / "a.jsonl").write_text("\n".join(lines[:6]) + "\n{broken\n", encoding="utf-8")
    (inbox / "notes.md").write_text("not news")
    db = str(tmp_path / "w.duckdb")
    result = CliRunner().invoke(cli, ["watch", str(inbox), "--db", db, "--once", "--settle",
                                      "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "watched 1 cycle(s): 7 records read, 6 new articles, 0 already stored, " \
           "1 quarantined; 6 coded into" in result.output
    assert "skipped" in result.output and "notes.md" in result.output
    again = CliRunner().invoke(cli, ["watch", str(inbox), "--db", db, "--once"],
                               catch_exceptions=False)
    assert "0 records read" in again.output  # a restart reads nothing twice
