"""Live mode under load: documents arrive in an inbox while the API is queried.

    python bench/live.py                        # 2,000 headlines over 10 minutes, 2 req/s
    python bench/live.py --documents 300 --minutes 2

Starts ``foreshock watch INBOX --db FILE --serve`` (a subprocess, as a user would), then
for ``--minutes`` drops the documents into the inbox in small files (every few seconds,
in date order, some as lines appended to a growing JSON Lines file) while a client sends
``--rate`` requests per second to the dashboard's endpoints (health, dyads, alerts, series,
events, network).  At the end it waits for the watcher to catch up, stops it with Ctrl-C,
runs ``foreshock run`` + ``foreshock alerts`` over the same files into a second database
and compares articles, events, stories and alerts.

Corpus: the r/worldnews headlines of ``../shared/data/fwd_news_headlines`` (Nov 2021 -
Feb 2022, ``--column text=title``): ``--documents`` of them spread evenly over the period,
sent in date order.  Not a test: the
numbers go to BENCHMARKS.md with the command, machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data"
HEADLINES = SHARED / "fwd_news_headlines" / "headlines_2021-11-16_2022-02-12.jsonl"
BRIEFINGS = SHARED / "wh_briefings" / "wh_briefings_2021-09_2022-03.jsonl"
PATHS = ["/api/health", "/api/dyads", "/api/alerts", "/api/series?dyad=RUS-UKR",
         "/api/events?dyad=RUS-UKR&limit=20", "/api/network", "/api/alerts?dyad=RUS-UKR"]
COMPARE = {
    "articles": "SELECT article_id, date, text, locator FROM articles ORDER BY 1",
    "events": "SELECT event_id FROM events ORDER BY 1",
    "stories": "SELECT article_id, story_id FROM story_members ORDER BY 1",
    "alerts": "SELECT dyad, date, detector, signal, round(score, 9), evidence FROM alerts "
              "WHERE scope = 'all' ORDER BY 1, 2, 3, 4",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def foreshock(*args: str) -> list[str]:
    return [sys.executable, "-m", "foreshock", *args]


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {k: con.execute(sql).fetchall() for k, sql in COMPARE.items()}
    finally:
        con.close()


def corpus(documents: int) -> list[dict[str, str]]:
    """Briefings, then headlines (as our JSON shape) up to ``documents``, in date order."""
    keep = ("id", "date", "title", "text")
    rows = [{k: r[k] for k in keep if r.get(k)} for r in
            map(json.loads, BRIEFINGS.read_text(encoding="utf-8").splitlines())][:documents]
    heads = [json.loads(line) for line in HEADLINES.read_text(encoding="utf-8").splitlines()]
    heads.sort(key=lambda r: (r["date_utc"], r["link"]))
    wanted = documents - len(rows)
    if wanted > 0:
        step = max(len(heads) / wanted, 1.0)
        for i in range(min(wanted, len(heads))):
            h = heads[int(i * step)]
            rows.append({"date": h["date_utc"], "title": h["title"], "text": h["title"],
                         "url": h["link"], "source": h["domain"]})
    rows.sort(key=lambda r: (r["date"], r.get("id", ""), r["text"][:50]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2_000)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=2.0, help="requests per second")
    parser.add_argument("--batch", type=int, default=10, help="documents per arrival")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rows = corpus(args.documents)
    work = Path(tempfile.mkdtemp(prefix="foreshock-live-"))
    inbox = work / "inbox"
    inbox.mkdir()
    db, batch_db = work / "live.duckdb", work / "batch.duckdb"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    log = (work / "watch.log").open("w")
    watcher = subprocess.Popen(
        foreshock("watch", str(inbox), "--db", str(db), "--serve", "--port", str(port),
                  "--interval", "1"),
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(url + "/api/health", timeout=5).close()
            break
        except (urllib.error.URLError, ConnectionError):
            assert watcher.poll() is None and time.monotonic() < deadline, "no server"
            time.sleep(0.5)

    statuses: Counter[str] = Counter()
    failures: list[str] = []
    latencies: list[float] = []
    done = threading.Event()

    def client() -> None:
        pause = 1.0 / args.rate
        while not done.is_set():
            path = rng.choice(PATHS)
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url + path, timeout=30) as response:
                    response.read()
                    statuses[str(response.status)] += 1
            except urllib.error.HTTPError as exc:
                statuses[str(exc.code)] += 1
                failures.append(f"{path}: {exc.code} {exc.read()[:200]!r}")
            except OSError as exc:
                statuses["error"] += 1
                failures.append(f"{path}: {exc}")
            latencies.append(time.perf_counter() - started)
            done.wait(max(0.0, pause - (time.perf_counter() - started)))

    thread = threading.Thread(target=client)
    started = time.perf_counter()
    thread.start()
    arrivals = [rows[i:i + args.batch] for i in range(0, len(rows), args.batch)]
    gap = args.minutes * 60 / max(len(arrivals), 1)
    wire = inbox / "wire.jsonl"
    for number, chunk in enumerate(arrivals):
        text = "".join(json.dumps(r) + "\n" for r in chunk)
        if number % 3 == 2:  # every third arrival: lines appended to a growing file
            with wire.open("a", encoding="utf-8") as handle:
                handle.write(text)
        else:
            hidden = inbox / f".arrival-{number:04d}.jsonl"
            hidden.write_text(text, encoding="utf-8")
            os.replace(hidden, inbox / f"arrival-{number:04d}.jsonl")
        time.sleep(gap)
    # let the watcher catch up: the counts still for longer than a cycle takes
    last, steady = None, 0
    while steady < 45:
        with urllib.request.urlopen(url + "/api/health", timeout=30) as response:
            counts = json.loads(response.read())["counts"]
        steady = steady + 1 if counts == last else 0
        last = counts
        time.sleep(1)
    done.set()
    thread.join()
    elapsed = time.perf_counter() - started
    # SIGTERM, which `watch` treats as Ctrl-C: a background job may have SIGINT ignored
    watcher.send_signal(signal.SIGTERM)
    watcher.wait(120)
    log.close()

    for command in (foreshock("run", str(inbox), "--db", str(batch_db)),
                    foreshock("alerts", "--db", str(batch_db), "--format", "json")):
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    live, batch = snapshot(db), snapshot(batch_db)
    latencies.sort()
    print(f"# bench/live.py --documents {args.documents} --minutes {args.minutes} "
          f"--rate {args.rate} --batch {args.batch}")
    print(f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}; {elapsed:.0f} s of arrivals and queries")
    print(f"requests: {sum(statuses.values())} ({dict(statuses)}), errors: "
          f"{sum(v for k, v in statuses.items() if k != '200')}")
    if latencies:
        print(f"latency: median {latencies[len(latencies) // 2] * 1000:.0f} ms, p95 "
              f"{latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms, max "
              f"{latencies[-1] * 1000:.0f} ms")
    for name in COMPARE:
        same = live[name] == batch[name]
        print(f"{name}: live {len(live[name])}, batch {len(batch[name])}, "
              f"{'equal' if same else 'DIFFERENT'}")
    for failure in failures[:5]:
        print("  ", failure)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
