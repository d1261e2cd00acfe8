"""Backtest end to end on synthetic coded corpora, and the analysis commands.

The synthetic corpus has calm dyads with a steady trickle of conflict, a news-volume burst
(ten times the articles for a week, same mix), wire stories reprinted by several outlets,
and a RUS-UKR escalation that starts weeks before the onset.  The coding step is skipped
(events are written directly), so these tests exercise stories, series, detectors and the
replay exactly, without depending on the extractor's accuracy.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from foreshock.alerts.config import AnalysisConfig, load_config
from foreshock.alerts.run import Alert, load_alerts, refresh_alerts
from foreshock.cli.main import cli
from foreshock.ontology.tsv import data_path
from foreshock.records import Article, Event, Modality
from foreshock.runners.backtest import BacktestSpec, compare, run_backtest
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded

START = dt.date(2021, 9, 6)
CRISIS = dt.date(2021, 12, 6)
ONSET = dt.date(2022, 2, 24)
BURST = (dt.date(2021, 11, 15), dt.date(2021, 11, 21))
CALM = [("USA", "CAN"), ("FRA", "DEU"), ("JPN", "AUS"), ("IND", "BGD"), ("BRA", "ARG"),
        ("KEN", "TZA")]
CODES = {"042": (1.9, 1), "057": (8.0, 2), "112": (-2.0, 3), "130": (-4.4, 3),
         "138": (-7.0, 3), "154": (-7.2, 4), "190": (-10.0, 4)}
OUTLETS = ["Demo Wire", "Northern Ledger", "Baltic Courier", "Pacific Daily"]


class Corpus:
    """Deterministic synthetic coded articles, day by day."""

    def __init__(self, seed: int = 3) -> None:
        self.rng = random.Random(seed)
        self.items: list[tuple[Article, list[Event]]] = []
        self.serial = 0

    def _text(self, aid: str) -> str:
        # unique vocabulary per article so only deliberate reprints are near-duplicates
        words = [f"w{aid}x{i}" for i in range(30)]
        return "Report " + " ".join(words) + "."

    def add(self, day: dt.date, events: list[tuple[str, str, str]], *, text: str | None = None,
            outlet: str | None = None) -> str:
        self.serial += 1
        aid = f"a{self.serial:05d}"
        article = Article(aid, day, dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
                          text or self._text(aid), title=f"title {aid}",
                          outlet=outlet or self.rng.choice(OUTLETS))
        coded = []
        for n, (source, target, code) in enumerate(events):
            goldstein, quad = CODES[code]
            coded.append(Event(f"{aid}-{n}", aid, day, n, f"{source} did {code} to {target}.",
                               0, 5, source, None, target, None, code, code[:2], goldstein,
                               quad, Modality.ASSERTED, None, f"p.{code}", "synthetic.v1"))
        self.items.append((article, coded))
        return aid

    def background(self, day: dt.date, count: int) -> None:
        for _ in range(count):
            a, b = self.rng.choice(CALM)
            roll = self.rng.random()
            code = "112" if roll < 0.08 else "057" if roll < 0.3 else "042"
            events = [(a, b, code)]
            if self.rng.random() < 0.08:
                events.append(("RUS", "UKR", "042" if self.rng.random() < 0.7 else "112"))
            self.add(day, events)

    def crisis(self, day: dt.date) -> None:
        weeks = (day - CRISIS).days / 7
        for _ in range(1 + int(weeks / 2)):
            code = self.rng.choice(["130", "154", "138", "190", "130"])
            text = f"Crisis wire {self.serial} " + " ".join(
                f"c{self.serial}y{i}" for i in range(30))
            self.add(day, [("RUS", "UKR", code)], text=text, outlet="Demo Wire")
            # reprinted by two more outlets, the second one a day later
            self.add(day, [("RUS", "UKR", code)], text=text + " Reprinted.",
                     outlet="Northern Ledger")
            self.add(day + dt.timedelta(days=1), [("RUS", "UKR", code)],
                     text=text + " Reprinted again.", outlet="Baltic Courier")

    def build(self, until: dt.date) -> None:
        day = START
        while day <= until:
            busy = BURST[0] <= day <= BURST[1]
            self.background(day, 80 if busy else 8)
            if day >= CRISIS:
                self.crisis(day)
            day += dt.timedelta(days=1)


def store(con: duckdb.DuckDBPyConnection, items: list[tuple[Article, list[Event]]]) -> None:
    run = start_run(con, "synthetic", [], {})
    insert_articles(con, [a for a, _ in items], run)
    store_coded(con, [a.article_id for a, _ in items],
                events_table([e for _, es in items for e in es], run), "synthetic.v1")


def corpus_db(path: Path, until: dt.date) -> tuple[duckdb.DuckDBPyConnection, Corpus]:
    corpus = Corpus()
    corpus.build(until)
    con = connect(str(path))
    store(con, corpus.items)
    return con, corpus


@pytest.fixture(scope="module")
def config() -> AnalysisConfig:
    return load_config()


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory, config: AnalysisConfig):  # type: ignore[no-untyped-def]
    con, _ = corpus_db(tmp_path_factory.mktemp("bt") / "full.duckdb", ONSET)
    spec = BacktestSpec(onset=ONSET, focus=("RUS-UKR",), mode="single", verify=True)
    result = run_backtest(con, spec, config)
    yield con, result
    con.close()


def test_escalation_is_flagged_weeks_before_the_onset(full) -> None:  # type: ignore[no-untyped-def]
    _, result = full
    report = result.report_for("RUS-UKR")
    assert report is not None and report.first_alert is not None
    assert CRISIS <= report.first_alert < ONSET
    assert report.lead_days is not None and report.lead_days >= 30
    assert result.mismatches == 0  # one causal pass == the day-by-day replay


def test_volume_burst_and_calm_dyads_raise_no_more_than_one_alert(full) -> None:  # type: ignore[no-untyped-def]
    _, result = full
    in_burst = [a for a in result.alerts
                if BURST[0] <= a.date <= BURST[1] + dt.timedelta(days=6)]
    assert in_burst == [], [(a.dyad, a.date, a.detector) for a in in_burst]
    for a, b in CALM:
        key = f"{min(a, b)}-{max(a, b)}"
        episodes = {x.episode_start for x in result.alerts if x.dyad == key}
        assert len(episodes) <= 1, (key, sorted(episodes))
    # the burst is real in the raw counts: a count detector would have fired
    weeks = {r.period: r for r in result.weeks["RUS-UKR"]}
    assert weeks[BURST[0]].articles > 5 * weeks[BURST[0] - dt.timedelta(weeks=1)].articles


def test_alerts_carry_evidence_counted_as_of_their_day(full) -> None:  # type: ignore[no-untyped-def]
    _, result = full
    first = min((a for a in result.alerts if a.dyad == "RUS-UKR"), key=lambda a: a.date)
    assert first.evidence, "an alert without the events behind it cannot be judged"
    for item in first.evidence:
        assert {item.source, item.target} == {"RUS", "UKR"}
        assert item.sentence and item.date <= first.date
        assert first.date - item.date < dt.timedelta(days=7)
        assert 1 <= item.num_articles <= 3 and item.num_sources <= item.num_articles
    weights = [e.weight for e in first.evidence]
    assert weights == sorted(weights, reverse=True)
    assert first.window_articles > 0 and first.window_events >= first.dyad_events


def _mutual_clashes(tmp: Path, *, reverse_ids: bool) -> duckdb.DuckDBPyConnection:
    """The synthetic corpus where every crisis report codes its act both ways in one
    sentence ("the two armies exchanged fire": RUS->UKR and UKR->RUS, the same code, the
    same trigger): two story-events alike in every weight.  With ``reverse_ids`` each pair's
    event ids sort the other way, as a new coder version (its ids hash it) may make them."""
    corpus = Corpus()
    corpus.build(CRISIS + dt.timedelta(days=45))
    items = []
    for article, events in corpus.items:
        coded: list[Event] = []
        for e in events:
            if (e.source, e.target) != ("RUS", "UKR"):
                coded.append(e)
                continue
            back = replace(e, source="UKR", target="RUS")
            first, second = ("b", "a") if reverse_ids else ("a", "b")
            coded += [replace(e, event_id=f"{e.event_id}-{first}"),
                      replace(back, event_id=f"{e.event_id}-{second}")]
        items.append((article, coded))
    con = connect(str(tmp / ("reversed.duckdb" if reverse_ids else "plain.duckdb")))
    store(con, items)
    return con


def test_the_evidence_of_an_alert_does_not_depend_on_event_ids(
        tmp_path: Path, config: AnalysisConfig) -> None:
    """Two story-events of an undirected dyad alike in weight, date and sentence are ordered
    by what the text says, not by their ids: re-coding the same text under a new coder
    version (new ids) must show the same evidence (it flipped RUS->UKR and UKR->RUS in the
    suite's top evidence on a version bump)."""
    shown = []
    for reverse_ids in (False, True):
        con = _mutual_clashes(tmp_path, reverse_ids=reverse_ids)
        spec = BacktestSpec(onset=ONSET, focus=("RUS-UKR",), mode="single")
        result = run_backtest(con, spec, config)
        con.close()
        alerts = [a for a in result.alerts if a.dyad == "RUS-UKR"]
        assert alerts and all(a.evidence for a in alerts)
        shown.append([[(x.date, x.article_id, x.source, x.target, x.code) for x in a.evidence]
                      for a in alerts])
        # both ways of each clash are there, as two story-events of the dyad
        assert {(x.source, x.target) for a in alerts for x in a.evidence} == {
            ("RUS", "UKR"), ("UKR", "RUS")}
    assert shown[0] == shown[1]


def test_appending_later_documents_changes_no_earlier_alert(
        tmp_path: Path, config: AnalysisConfig) -> None:
    """The no-look-ahead test: alerts dated up to a cut-off are identical before and after
    documents published later are added (including reprints of earlier stories and a
    large late volume that would shift any global normalisation)."""
    cutoff = dt.date(2022, 1, 20)
    con, corpus = corpus_db(tmp_path / "grow.duckdb", cutoff)
    spec = BacktestSpec(onset=ONSET, focus=("RUS-UKR",), mode="replay")
    before = run_backtest(con, spec, config).alerts
    refresh_alerts(con, config)
    stored_before = load_alerts(con)
    assert before and any(a.dyad == "RUS-UKR" for a in before)

    old = len(corpus.items)
    day = cutoff + dt.timedelta(days=1)
    # reprints of the last crisis stories, published after the cut-off (they join the
    # earlier story, so its article count grows, but not as of earlier days)
    for article, events in corpus.items[-6:]:
        corpus.add(day, [(e.source or "", e.target or "", e.code) for e in events],
                   text=article.text + " Late reprint.", outlet="Pacific Daily")
    while day <= ONSET:
        corpus.background(day, 40)
        corpus.crisis(day)
        day += dt.timedelta(days=1)
    store(con, corpus.items[old:])
    after = run_backtest(con, spec, config).alerts

    early_before = [a for a in before if a.date <= cutoff]
    early_after = [a for a in after if a.date <= cutoff]
    assert compare(early_before, early_after) == 0
    assert [a.alert_id for a in early_before] == [a.alert_id for a in early_after]
    assert len(after) > len(early_after)  # the later documents did add later alerts

    assert refresh_alerts(con, config).computed  # new data: stale alerts recomputed
    assert not refresh_alerts(con, config).computed  # nothing changed since
    stored_after = [a for a in load_alerts(con) if a["date"] <= cutoff]
    assert [(a["alert_id"], a["score"], a["evidence"]) for a in stored_after] == \
        [(a["alert_id"], a["score"], a["evidence"]) for a in stored_before]
    con.close()


def test_the_no_look_ahead_check_can_fail() -> None:
    """``compare`` notices a changed score or evidence, so the test above is not vacuous."""
    alert = Alert("RUS-UKR", False, dt.date(2022, 1, 5), "cusum", "conflict", 9.0, 8.0, 0.1,
                  0.01, 100, 50, 5)
    assert compare([alert], [alert]) == 0
    assert compare([alert], [replace(alert, score=9.5)]) == 1
    assert compare([alert], []) == 1


def test_backtest_on_a_corpus_subset(full, config: AnalysisConfig) -> None:  # type: ignore[no-untyped-def]
    con, _ = full
    spec = BacktestSpec(onset=ONSET, focus=("RUS-UKR",), corpora=("/nowhere/else",),
                        mode="single")
    result = run_backtest(con, spec, config, write=False)
    assert result.articles == 0 and result.alerts == ()
    assert result.report_for("RUS-UKR") is not None  # reported, with nothing found


# --- commands --------------------------------------------------------------------------


def invoke(*args: str) -> str:
    if "backtest" not in cli.commands:  # until cli/main.py registers the analysis commands
        from foreshock.cli import analysis

        analysis.register(cli)
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["series", "alerts", "backtest", "plot"])
def test_every_command_help_ends_with_an_example(command: str) -> None:
    out = invoke(command, "--help")
    text = out.split("Options:")[0].rstrip()
    assert "Example:" in text
    example = text.split("Example:")[1]
    assert "foreshock " + command in example  # the example is the last paragraph
    assert "\n\n" not in example.strip()


def test_series_alerts_and_plot_commands(full, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    con, _ = full
    db = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                     "current_database()").fetchall()[0][0]
    con.close()  # the commands open the file themselves
    out = invoke("series", "--db", db, "--dyad", "UKR-RUS", "--format", "csv")
    header = out.splitlines()[0].split(",")
    assert header[:3] == ["period", "dyad", "events"] and "intensity_rate" in header
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(row["dyad"] == "RUS-UKR" for row in rows)
    out = invoke("alerts", "--db", db, "--dyad", "RUS-UKR", "--format", "jsonl")
    assert '"detector"' in out and '"evidence"' in out
    table = list(csv.DictReader(io.StringIO(invoke("alerts", "--db", db, "--format", "csv"))))
    assert table, "the corpus has alerts"
    for row in table:  # nested evidence is JSON text, not a Python repr
        evidence = json.loads(row["evidence"])
        assert evidence and {"event_id", "sentence", "code"} <= set(evidence[0])
    out = invoke("alerts", "--db", db, "--since", "2021-12-01", "--evidence", "1")
    assert "RUS-UKR" in out and "share" in out
    png = tmp_path / "rus_ukr.png"
    out = invoke("plot", "--db", db, "--dyad", "RUS-UKR", "--onset", "2022-02-24", "-o",
                 str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "alerts" in out


def test_backtest_command_on_the_demo_corpus(tmp_path: Path) -> None:
    db = tmp_path / "demo.duckdb"
    png = tmp_path / "demo.png"
    out = invoke("backtest", str(data_path("demo")), "--onset", "2022-02-24", "--dyad",
                 "RUS-UKR", "--db", str(db), "--plot", str(png))
    assert "replay vs single pass: identical" in out
    assert "RUS-UKR by week" in out and "coded" in out
    assert png.read_bytes()[:4] == b"\x89PNG"
    again = invoke("backtest", str(data_path("demo")), "--onset", "2022-02-24", "--dyad",
                   "RUS-UKR", "--db", str(db), "--format", "json", "--no-verify")
    assert '"onset": "2022-02-24"' in again
