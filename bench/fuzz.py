"""The long fuzz run: hostile corpora of at least 10,000 records through every reader and
ingest, counting crashes and records lost without a word.

    python bench/fuzz.py                      # >= 10,000 records (about 10 minutes)
    python bench/fuzz.py --records 2000 --seed 7

It uses the strategies and checks of the CI fuzz suite (``tests/fuzzing.py``), drawn by
Hypothesis with a fixed seed, but tallies instead of stopping at the first failure:

- crashes: any exception from a reader, validation or the store;
- unaccounted: records written that no yielded record (or file problem) covers, or that
  were merged into another record without a word;
- ingest: records read but not counted (stored + already stored + quarantined + skipped),
  table sizes that differ from the counts, and a second ingest that adds anything;
- clean lost: clean records in undamaged files that were not stored as written.

Not a test: nothing here asserts; the numbers go to BENCHMARKS.md with the command, the
machine and the date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from foreshock.ingest import iter_raw  # noqa: E402
from foreshock.normalize.validate import content_id  # noqa: E402
from foreshock.runners.ingest import ingest  # noqa: E402
from foreshock.settings import Settings  # noqa: E402
from foreshock.store.db import connect  # noqa: E402
from fuzzing import (  # noqa: E402
    FileSpec,
    clean_records,
    files,
    merged,
    unaccounted,
    write_corpus,
)

TALLY: Counter[str] = Counter()
CRASHES: list[str] = []


def one_corpus(specs: list[FileSpec]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        corpus = write_corpus(folder, specs)
        TALLY["records"] += len(corpus.placed)
        TALLY["files"] += len(corpus.paths)
        TALLY["corrupted files"] += len(corpus.corrupted)
        try:
            raws = list(iter_raw([str(folder)]))
        except Exception:
            CRASHES.append(traceback.format_exc())
            TALLY["crashes"] += 1
            return
        TALLY["read"] += len(raws)
        TALLY["problems"] += sum(r.problem is not None for r in raws)
        TALLY["unaccounted"] += len(unaccounted(corpus, raws))
        TALLY["unaccounted"] += sum(len(inside) - 1 for _, inside in merged(corpus, raws))
        db = str(Path(tmp) / "f.duckdb")
        try:
            con = connect(db)
            settings = Settings(db=db)
            first = ingest(con, [str(folder)], settings, 1)
            articles = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
            quarantined = con.execute("SELECT count(*) FROM quarantine").fetchall()[0][0]
            TALLY["stored"] += first.added
            TALLY["already stored"] += first.duplicates
            TALLY["quarantined"] += first.quarantined
            TALLY["skipped"] += first.skipped
            TALLY["ingest unaccounted"] += abs(first.unaccounted)
            TALLY["table mismatches"] += int((articles, quarantined)
                                             != (first.added, first.quarantined))
            again = ingest(con, [str(folder)], settings, 2)
            TALLY["doubled on re-run"] += again.added
            TALLY["quarantine grew on re-run"] += con.execute(
                "SELECT count(*) FROM quarantine").fetchall()[0][0] - quarantined
            for place in clean_records(corpus):
                record = place.record
                date = dt.date.fromisoformat(str(record.date))
                key = record.id if not place.path.endswith((".txt", ".txt.gz")) else \
                    content_id(dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC),
                               str(record.text))
                stored = con.execute("SELECT date, text FROM articles WHERE article_id = ?",
                                     [key]).fetchall()
                TALLY["clean records"] += 1
                TALLY["clean lost"] += int(stored != [(date, record.text)])
            con.close()
        except Exception:
            CRASHES.append(traceback.format_exc())
            TALLY["crashes"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000,
                        help="keep drawing corpora until this many records were written")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    started = time.perf_counter()
    round_seed = args.seed
    while TALLY["records"] < args.records:
        @seed(round_seed)
        @settings(max_examples=200, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(st.lists(files, min_size=2, max_size=8))
        def run(specs: list[FileSpec]) -> None:
            one_corpus(specs)

        run()
        round_seed += 1
    seconds = time.perf_counter() - started
    print(f"# bench/fuzz.py --records {args.records} --seed {args.seed}")
    print(f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}, {seconds:.0f} s")
    for key in ("records", "files", "corrupted files", "read", "problems", "stored",
                "already stored", "quarantined", "skipped", "clean records", "crashes",
                "unaccounted", "ingest unaccounted", "table mismatches", "doubled on re-run",
                "quarantine grew on re-run", "clean lost"):
        print(f"{key:>26}: {TALLY[key]}")
    for crash in CRASHES[:3]:
        print(crash)


if __name__ == "__main__":
    main()
