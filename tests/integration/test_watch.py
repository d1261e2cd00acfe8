"""Live mode: files arrive (whole, and line by line) while the API is queried; the
database ends equal to a batch run over the same files, and no request fails."""

from __future__ import annotations

import json
import os
import random
import threading
import time
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from live_server import serving

from foreshock.alerts.config import load_config
from foreshock.alerts.run import refresh_alerts
from foreshock.api import create_app
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import Context
from foreshock.runners.ingest import ingest
from foreshock.runners.local import code_pending
from foreshock.runners.watch import Watcher, WatchOptions, complete_lines
from foreshock.store.db import connect, start_run

TABLES = {
    "articles": "SELECT article_id, date, published, text, title, source_path, locator, "
                "coded_version FROM articles ORDER BY 1",
    "events": "SELECT event_id, article_id, code, source, target, modality FROM events "
              "ORDER BY 1",
    "quarantine": "SELECT quarantine_id, locator, reason FROM quarantine ORDER BY 1",
    "stories": "SELECT article_id, story_id, similarity FROM story_members ORDER BY 1",
    "alerts": "SELECT alert_id, dyad, date, detector, score, evidence FROM alerts ORDER BY 1",
}
QUERIES = ["/api/health", "/api/alerts", "/api/dyads", "/api/events?dyad=RUS-UKR",
           "/api/series?dyad=RUS-UKR", "/api/network", "/"]


def write_atomically(path: Path, text: str) -> None:
    hidden = path.with_name("." + path.name)  # hidden names are never read
    hidden.write_text(text, encoding="utf-8")
    os.replace(hidden, path)


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in TABLES.items()}
    finally:
        con.close()


def test_live_mode_serves_while_files_arrive_and_equals_a_batch_run(
        tmp_path: Path, ctx: Context) -> None:
    lines = (data_path("demo") / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    lines.append('{"id": "broken", "date": "2022-02-30", "text": "A bad date."}')
    random.Random(14).shuffle(lines)  # files arrive out of date order
    inbox = tmp_path / "inbox"
    (inbox / "feed").mkdir(parents=True)
    db = tmp_path / "live.duckdb"
    settings = replace(ctx.settings, db=str(db))
    con = connect(str(db))
    config = load_config()
    watcher = Watcher(con, settings, WatchOptions((str(inbox),), interval=0.1, settle=0.3),
                      ctx, config)
    root = con.cursor()
    lock = threading.Lock()

    def connector() -> duckdb.DuckDBPyConnection:
        with lock:
            return root.cursor()

    app = create_app(str(db), connector=connector, live=True, allowed_hosts=["127.0.0.1"])
    stop, done = threading.Event(), threading.Event()
    statuses: list[tuple[str, int]] = []
    with serving(app) as url:
        loop = threading.Thread(target=watcher.run, args=(stop,))
        loop.start()
        while watcher.cycles < 1:
            time.sleep(0.05)

        def query() -> None:
            while not done.is_set():
                for path in QUERIES:
                    try:
                        with urllib.request.urlopen(url + path, timeout=30) as response:
                            statuses.append((path, response.status))
                    except urllib.error.HTTPError as exc:
                        statuses.append((path, exc.code))
                time.sleep(0.05)

        client = threading.Thread(target=query)
        client.start()
        # whole files, one by one; and a JSON Lines file that grows, line by line
        for number in range(4):
            chunk = lines[number * 15:(number + 1) * 15]
            write_atomically(inbox / f"batch-{number}.jsonl", "\n".join(chunk) + "\n")
            time.sleep(0.3)
        feed = inbox / "feed" / "wire.jsonl"
        with feed.open("a", encoding="utf-8") as handle:
            for line in lines[60:]:
                half = len(line) // 2
                handle.write(line[:half])  # a line is read only once it is complete
                handle.flush()
                time.sleep(0.02)
                handle.write(line[half:] + "\n")
                handle.flush()
        expected = len(lines)
        deadline = time.monotonic() + 180
        while watcher.totals.ingest.read < expected or watcher.totals.code.articles < \
                watcher.totals.ingest.added:
            assert time.monotonic() < deadline, watcher.counts()
            time.sleep(0.1)
        time.sleep(0.5)  # one more cycle: alerts after the last coding
        done.set()
        client.join()
        stop.set()
        loop.join()
    root.close()
    con.close()
    assert len(statuses) > 20
    assert [s for s in statuses if s[1] != 200] == []
    live = snapshot(db)
    assert watcher.totals.ingest.unaccounted == 0
    assert len(live["articles"]) == expected - 1 and len(live["quarantine"]) == 1

    batch_db = tmp_path / "batch.duckdb"
    batch = connect(str(batch_db))
    run_id = start_run(batch, "batch", [], {})
    ingest(batch, [str(inbox)], replace(settings, db=str(batch_db)), run_id)
    code_pending(batch, ctx, run_id)
    refresh_alerts(batch, config)
    batch.close()
    assert live == snapshot(batch_db)


def test_restart_reads_only_what_is_new_and_counts_partial_lines_once(
        tmp_path: Path, ctx: Context) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    feed = inbox / "feed.jsonl"
    record = {"date": "2022-02-01", "text": "Russia warned Ukraine."}
    feed.write_text(json.dumps({**record, "id": "one"}) + "\n" + json.dumps(
        {**record, "id": "two"})[:20])  # the second line is still being written
    db = tmp_path / "w.duckdb"
    settings = replace(ctx.settings, db=str(db))
    options = WatchOptions((str(inbox),), settle=3600)  # never treat the tail as complete
    con = connect(str(db))
    first = Watcher(con, settings, options, ctx, None).cycle()
    assert (first.ingest.read, first.ingest.added) == (1, 1)
    con.close()
    with feed.open("a") as handle:
        handle.write(json.dumps({**record, "id": "two"})[20:] + "\r\n")
    con = connect(str(db))  # a restart: the state is in the database
    again = Watcher(con, settings, options, ctx, None)
    second = again.cycle()
    assert (second.ingest.read, second.ingest.added, second.ingest.duplicates) == (1, 1, 0)
    assert again.cycle().ingest.read == 0
    assert con.execute("SELECT locator FROM articles ORDER BY 1").fetchall() == [
        (f"{feed}:1",), (f"{feed}:2",)]
    con.close()


@pytest.mark.parametrize(("data", "through_end", "expected"), [
    (b"a\nb\n", False, (4, 2)), (b"a\nb", False, (2, 1)), (b"a\nb", True, (3, 2)),
    (b"a\r\nb\r", False, (3, 1)), (b"a\rb\r", True, (4, 2)), (b"", True, (0, 0)),
])
def test_complete_lines(tmp_path: Path, data: bytes, through_end: bool,
                        expected: tuple[int, int]) -> None:
    """A "\\r" at the end may yet be followed by "\\n": only settled files end there."""
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    assert complete_lines(str(path), 0, len(data), through_end=through_end) == expected
