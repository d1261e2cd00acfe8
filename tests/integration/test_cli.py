"""The command line end to end on real files: ingest, code, run, events, demo, help."""

from __future__ import annotations

import csv
import io
import json
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


@pytest.mark.parametrize("command", ["ingest", "code", "run", "events", "demo", "eval",
                                     "series", "export", "alerts", "backtest", "plot"])
def test_every_help_ends_with_an_example(command: str) -> None:
    out = invoke(command, "--help")
    assert "Example:" in out
    assert "foreshock " + command in out.split("Example:")[1]
