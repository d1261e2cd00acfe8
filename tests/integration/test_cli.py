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
    bundled = sum(1 for name in ("articles.jsonl", "background.jsonl")
                  for _ in (data_path("demo") / name).open()) + 1  # + the .txt article
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


def fails(*args: str, stdin: str | None = None) -> str:
    """Run a command that must fail with Foreshock's exit status 2; returns its output."""
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    return result.output


def test_bad_dyad_is_a_clear_error(demo_db: Path) -> None:
    out = fails("events", "--db", str(demo_db), "--dyad", "RUSSIA")
    assert "E005 bad dyad 'RUSSIA': expected two actor codes like RUS-UKR" in out


@pytest.mark.parametrize(("args", "value", "meant"), [
    (("events", "--dyad", "Russia-Ukraine"), "Russia", "RUS (Russia)"),
    (("events", "--actor", "Russia"), "Russia", "RUS (Russia)"),
    (("events", "--dyad", "RU-UA"), "RU", "RUS (Russia)"),
    (("series", "--dyad", "Russia-Ukraine"), "Russia", "RUS (Russia)"),
    (("alerts", "--dyad", "RUS-Ukraine"), "Ukraine", "UKR (Ukraine)"),
    (("plot", "--dyad", "Russia-Ukraine", "-o", "x.png"), "Russia", "RUS (Russia)"),
])
def test_unknown_actor_codes_are_errors_with_suggestions(demo_db: Path, args: tuple[str, ...],
                                                         value: str, meant: str) -> None:
    out = fails(*args, "--db", str(demo_db))
    assert f"error: E004 unknown actor code {value!r}. Did you mean " in out
    assert meant in out and "foreshock actors --search" in out


def test_actors_search_lists_codes() -> None:
    out = invoke("actors", "--search", "russia", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["code"] == "RUS" and rows[0]["name"] == "Russia"
    putin = list(csv.DictReader(io.StringIO(invoke("actors", "--search", "putin",
                                                   "--format", "csv"))))
    assert {r["code"] for r in putin} == {"RUS"} and putin[0]["kind"] == "person"
    assert "error: " in fails("actors", "--search", "zzzzqqq")


@pytest.mark.parametrize("command", [
    ("events",), ("series",), ("alerts",), ("plot", "--dyad", "RUS-UKR", "-o", "x.png"),
    ("code",), ("export", "--format", "csv", "-o", "x.csv"), ("quarantine",), ("serve",),
])
def test_a_mistyped_db_is_an_error_and_creates_nothing(tmp_path: Path,
                                                      command: tuple[str, ...]) -> None:
    missing = tmp_path / "crisis.duckbd"
    out = fails(command[0], "--db", str(missing), *command[1:])
    assert f"error: E040 {missing}: no such database" in out
    assert not missing.exists()


def test_an_empty_plot_is_an_error(demo_db: Path, tmp_path: Path) -> None:
    png = tmp_path / "empty.png"
    out = fails("plot", "--db", str(demo_db), "--dyad", "FJI-ISL", "-o", str(png))
    assert "no asserted events between FJI and ISL" in out and not png.exists()


def test_ingest_that_stores_nothing_fails_with_reasons_and_hints(tmp_path: Path) -> None:
    db = tmp_path / "h.duckdb"
    headlines = tmp_path / "headlines.jsonl"
    headlines.write_text("\n".join(json.dumps({"title": f"Russia warns Ukraine {n}",
                                               "date": "2022-02-01"}) for n in range(3))
                         + "\n", encoding="utf-8")
    out = fails("ingest", str(headlines), "--db", str(db))
    assert "error: E050 nothing stored: 3 records read, all quarantined" in out
    assert "3 × missing text field" in out
    assert "hint: the text is in another field: add --column text=title" in out
    assert "foreshock quarantine --db" in out
    no_text = tmp_path / "feed.csv"
    no_text.write_text("id,date,summary\nx-1,2021-12-02,Russia warns Ukraine\n",
                       encoding="utf-8")
    out = fails("ingest", str(no_text), "--db", str(db))
    assert "nothing stored: no record could be read" in out  # the header is no record
    assert f"{no_text}: skipped: missing text column" in out
    assert "add --column text=summary" in out
    undated = tmp_path / "undated.jsonl"
    undated.write_text(json.dumps({"text": "Russia warns Ukraine.", "when": "2022-02-01"})
                       + "\n", encoding="utf-8")
    out = fails("ingest", str(undated), "--db", str(db))
    assert "no date" in out and "add --column date=when" in out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no records found" in fails("ingest", str(empty), "--db", str(db))
    ok = invoke("ingest", str(headlines), "--db", str(db), "--column", "text=title")
    assert "3 new articles" in ok


def test_quarantine_lists_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    invoke("ingest", str(FIXTURES / "ingest" / "bad"), "--db", str(db))
    table = invoke("quarantine", "--db", str(db))
    assert "quarantined records" in table and "no date" in table
    rows = list(csv.DictReader(io.StringIO(invoke("quarantine", "--db", str(db),
                                                  "--format", "csv"))))
    assert rows and all(r["source_path"] and r["locator"] and r["reason"] for r in rows)
    dated = invoke("quarantine", "--db", str(db), "--reason", "date", "--format", "jsonl")
    assert dated and all("date" in json.loads(line)["reason"]
                         for line in dated.splitlines())
    out = tmp_path / "refused.parquet"
    invoke("quarantine", "--db", str(db), "-o", str(out))
    import pyarrow.parquet as pq

    assert pq.read_table(out).num_rows == len(rows)


def test_reingest_fills_in_metadata_and_keeps_links_apart(tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    feed = tmp_path / "feed.csv"
    feed.write_text("permalink,when,story_title,text\n"
                    "https://x.org/1,2022-02-01,Talks,Russia and Ukraine held talks.\n"
                    "https://x.org/2,2022-02-01,Talks again,Russia and Ukraine held talks.\n",
                    encoding="utf-8")
    first = invoke("ingest", str(feed), "--db", str(db), "--column", "date=when")
    assert "1 new articles" in first  # no link known: one text, one article
    again = invoke("ingest", str(feed), "--db", str(db), "--column", "date=when",
                   "--column", "title=story_title", "--column", "url=permalink")
    assert "1 new articles, 1 already stored, 1 filled in" in again
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT url, title FROM articles ORDER BY url").fetchall()
    con.close()
    assert rows == [("https://x.org/1", "Talks"), ("https://x.org/2", "Talks again")]


def test_a_writer_elsewhere_is_a_clear_error_and_a_notebook_locks_nothing(
        demo_db: Path) -> None:
    import subprocess
    import sys
    import time

    import foreshock

    notebook = foreshock.open(demo_db)  # holds no connection between calls
    assert notebook.events(dyad="RUS-UKR").num_rows > 0
    assert "RUS" in invoke("events", "--db", str(demo_db), "--dyad", "RUS-UKR")
    holder = subprocess.Popen([sys.executable, "-c",
                               "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); time.sleep(60)", str(demo_db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        out = fails("series", "--db", str(demo_db), "--dyad", "RUS-UKR")
        assert "error: E041" in out and "in use by another process" in out
        assert "foreshock.open(path)" in out
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert notebook.alerts().num_rows >= 0


def test_series_and_alerts_can_leave_out_events_reviewed_as_wrong(demo_db: Path,
                                                                  tmp_path: Path) -> None:
    import shutil

    import foreshock

    db = tmp_path / "reviewed.duckdb"
    shutil.copy(demo_db, db)  # the module's database stays unreviewed
    first = json.loads(invoke("alerts", "--db", str(db), "--dyad", "RUS-USA",
                              "--format", "json"))[0]
    wrong = first["evidence"][0]["event_id"]
    foreshock.open(db).review(wrong, "wrong", note="a warning, not a threat")

    def week_events(*flags: str) -> int:
        rows = json.loads(invoke("series", "--db", str(db), "--dyad", "RUS-USA", "--format",
                                 "json", *flags))
        return sum(r["events"] for r in rows)

    assert week_events("--exclude-reviewed") < week_events()
    kept = json.loads(invoke("alerts", "--db", str(db), "--dyad", "RUS-USA", "--format",
                             "json", "--exclude-reviewed"))
    assert all(wrong not in {e["event_id"] for e in a["evidence"]} for a in kept)
    assert "without the events reviewed as wrong" in invoke(
        "alerts", "--db", str(db), "--exclude-reviewed")
    stored = json.loads(invoke("alerts", "--db", str(db), "--dyad", "RUS-USA",
                               "--format", "json"))
    assert wrong in {e["event_id"] for e in stored[0]["evidence"]}  # nothing stored changed


def test_eval_reads_reviews_with_their_article_context(demo_db: Path, tmp_path: Path) -> None:
    import shutil

    import foreshock

    db = tmp_path / "reviewed.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db), read_only=True)
    (event_id,) = con.execute(  # 'He' is the US official the sentence before names
        "SELECT event_id FROM events WHERE sentence LIKE 'He warned Moscow against %' "
        "AND source = 'USA' AND target = 'RUS' ORDER BY event_id LIMIT 1").fetchall()[0]
    con.close()
    foreshock.open(db).review(event_id, "right")
    out = invoke("eval", "--reviews", str(db))  # the coder that coded the demo
    assert "1 events confirmed right, recall 1.000" in " ".join(out.split())


def test_events_and_export_share_one_column_set(demo_db: Path, tmp_path: Path) -> None:
    printed = invoke("events", "--db", str(demo_db), "--dyad", "RUS-UKR", "--modality", "all",
                     "--format", "csv")
    out = tmp_path / "all.csv"
    invoke("export", "--db", str(demo_db), "--format", "csv", "--modality", "all", "-o",
           str(out))
    exported = out.read_text(encoding="utf-8")
    assert printed.splitlines()[0] == exported.splitlines()[0]
    assert set(printed.splitlines()[1:]) <= set(exported.splitlines()[1:])
    header = printed.splitlines()[0].split(",")
    assert {"code", "code_label", "event_date", "title", "url"} <= set(header)
    first = next(csv.DictReader(io.StringIO(printed)))
    assert ',"' + first["code"] + '",' in printed.splitlines()[1]  # codes quoted


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
                                     "watch", "series", "export", "alerts", "backtest", "plot",
                                     "actors", "quarantine", "serve"])
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
    # off a terminal progress comes as plain lines ("ingest: 12,345 records, …") first
    lines = err.splitlines(keepends=True)
    while lines and lines[0].startswith("ingest: "):
        lines.pop(0)
    assert "".join(lines).startswith("interrupted: "), err
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
