"""kill -9 at random points of ``ingest``, ``code``, ``run --workers 2`` and ``watch``:
after resuming, is anything lost, doubled or left running?

    python bench/crash.py                     # 5 trials per command, 20 in all
    python bench/crash.py --trials 8 --articles 400 --seed 7

For each command a clean run gives the reference database.  Each trial starts the command
on a fresh (or, for ``code``, freshly ingested) database in its own process group, kills
the whole command with SIGKILL at a random moment of its (measured) duration, checks that
no process of the group is left after 10 s (orphans), then runs the same command again to
the end and compares every table with the reference:

- lost: reference rows missing (articles, quarantine, events, story members, alerts);
- doubled: rows beyond the reference, or ids stored twice.

Synthetic corpora from ``bench/synthetic.py`` (a bigger one for ``ingest``, which is fast).
Not a test: nothing here asserts; the numbers go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
TABLES = {
    "articles": "SELECT article_id, date, text, source_path, locator, coded_version "
                "FROM articles",
    "quarantine": "SELECT quarantine_id FROM quarantine",
    "events": "SELECT event_id, article_id, code, source, target, modality FROM events",
    "story_members": "SELECT article_id, story_id FROM story_members",
    "alerts": "SELECT alert_id, dyad, date, detector FROM alerts",
}


def foreshock(*args: str) -> list[str]:
    return [PYTHON, "-m", "foreshock", *args]


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables"
                                           ).fetchall()}
        return {t: sorted(con.execute(sql).fetchall()) if t in names else []
                for t, sql in TABLES.items()}
    finally:
        con.close()


def compare(found: dict[str, list[tuple[object, ...]]],
            reference: dict[str, list[tuple[object, ...]]], tables: tuple[str, ...]
            ) -> tuple[int, int]:
    lost = doubled = 0
    for table in tables:
        mine, ref = found[table], reference[table]
        seen = set(mine)
        lost += sum(1 for row in set(ref) if row not in seen)
        doubled += len(mine) - len(seen) + sum(1 for row in seen if row not in set(ref))
    return lost, doubled


def group_alive(pgid: int) -> int:
    alive = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z" and int(fields[2]) == pgid:
                alive += 1
    return alive


def run_until_killed(command: list[str], delay: float, env: dict[str, str]) -> tuple[int, bool]:
    """Start ``command`` in its own group, SIGKILL the group after ``delay`` seconds."""
    process = subprocess.Popen(command, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=delay)
        return 0, False  # finished before the kill
    except subprocess.TimeoutExpired:
        pass
    os.kill(process.pid, signal.SIGKILL)  # the command only: its workers must follow
    process.wait()
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    orphans = group_alive(process.pid)
    if orphans:
        os.killpg(process.pid, signal.SIGKILL)  # clean up after counting them
    return orphans, True


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=5, help="trials per command")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--ingest-articles", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    work = Path(tempfile.mkdtemp(prefix="foreshock-crash-"))
    small, big = work / "small", work / "big"
    small.mkdir()
    big.mkdir()
    for folder, count in ((small, args.articles), (big, args.ingest_articles)):
        subprocess.run([PYTHON, str(HERE / "synthetic.py"), "-n", str(count), "-o",
                        str(folder / "corpus.jsonl")], check=True, stdout=subprocess.DEVNULL)
        with (folder / "corpus.jsonl").open("a") as handle:  # and some to quarantine
            handle.write('{"id": "bad-1", "date": "0001-01-01", "text": "x"}\n{broken\n')

    results: list[tuple[str, float, bool, int, int, int]] = []
    started = time.perf_counter()
    plans = {
        "ingest": (big, ("articles", "quarantine")),
        "code": (small, ("articles", "events")),
        "run --workers 2": (small, ("articles", "quarantine", "events")),
        "watch": (small, tuple(TABLES)),
    }
    for name, (corpus, tables) in plans.items():
        ref = work / f"ref-{name.split()[0]}.duckdb"
        if name == "watch":
            clean = foreshock("watch", str(corpus), "--db", str(ref), "--once", "--settle", "0")
        elif name == "code":
            subprocess.run(foreshock("ingest", str(corpus), "--db", str(ref)), env=env,
                           check=True, stdout=subprocess.DEVNULL)
            ingested = work / "ingested.duckdb"
            shutil.copy(ref, ingested)
            clean = foreshock("code", "--db", str(ref))
        elif name == "ingest":
            clean = foreshock("ingest", str(corpus), "--db", str(ref))
        else:
            clean = foreshock("run", str(corpus), "--db", str(ref), "--workers", "2")
        duration = timed(clean, env)
        reference = snapshot(ref)
        for trial in range(args.trials):
            db = work / f"trial-{name.split()[0]}-{trial}.duckdb"
            if name == "code":
                shutil.copy(work / "ingested.duckdb", db)
            command = [str(db) if part == str(ref) else part for part in clean]
            if name == "watch":
                command = foreshock("watch", str(corpus), "--db", str(db), "--settle", "0",
                                    "--interval", "0.5")
            delay = rng.uniform(0.2 * duration, 0.8 * duration)
            orphans, killed = run_until_killed(command, delay, env)
            resume = [str(db) if part == str(ref) else part for part in clean]
            subprocess.run(resume, env=env, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            lost, doubled = compare(snapshot(db), reference, tables)
            results.append((name, delay, killed, orphans, lost, doubled))
            print(f"{name:>16} trial {trial}: killed at {delay:5.1f}s of {duration:5.1f}s "
                  f"({'killed' if killed else 'had finished'}): orphans {orphans}, lost {lost}, "
                  f"doubled {doubled}", flush=True)
    seconds = time.perf_counter() - started
    print(f"\n# bench/crash.py --trials {args.trials} --articles {args.articles} "
          f"--ingest-articles {args.ingest_articles} --seed {args.seed}")
    print(f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}, {seconds:.0f} s")
    print("| command | trials | killed mid-run | orphans | lost | doubled |")
    print("|---|---|---|---|---|---|")
    for name in plans:
        rows = [r for r in results if r[0] == name]
        print(f"| `{name}` | {len(rows)} | {sum(r[2] for r in rows)} | "
              f"{sum(r[3] for r in rows)} | {sum(r[4] for r in rows)} | "
              f"{sum(r[5] for r in rows)} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
