"""CPU time of the coder on a fixed sample of one corpus, for A/B runs of two checkouts.

    PYTHONPATH=OLD/src python bench/coder_cpu.py --db SUITE.duckdb --label old
    PYTHONPATH=NEW/src python bench/coder_cpu.py --db SUITE.duckdb --label new

Reads ``--n`` articles whose source path contains ``--corpus`` from a coded database (the
suite's), shuffled with ``--seed``, and codes them in batches of 16 in this process with
``--coder``; prints the process CPU seconds (not wall time: another job on the machine
barely moves it) and the number of events.  Run the two labels alternately, twice: a
machine's speed drifts within the hour.  Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import random
import time

import duckdb

from foreshock.pipeline import code_documents, load_context
from foreshock.records import Article
from foreshock.settings import Settings

BATCH = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a database with ingested articles")
    parser.add_argument("--corpus", default="wh", help="part of the articles' source path")
    parser.add_argument("--n", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--coder", default="hybrid", choices=("rules", "hybrid"))
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    con = duckdb.connect(args.db, read_only=True)
    rows = con.execute(
        "SELECT article_id, date, published, text, title, url, outlet, source_path "
        "FROM articles WHERE source_path LIKE ? ORDER BY article_id",
        [f"%{args.corpus}%"]).fetchall()
    con.close()
    random.Random(args.seed).shuffle(rows)
    articles = [Article(r[0], r[1], r[2], r[3], title=r[4], url=r[5], outlet=r[6],
                        source_path=r[7] or "") for r in rows[:args.n]]
    ctx = load_context(Settings(coder=args.coder))
    code_documents(articles[:2], ctx)  # first calls load lazily built tables
    started = time.process_time()
    events = 0
    for i in range(0, len(articles), BATCH):
        events += sum(len(r.events) for r in code_documents(articles[i:i + BATCH], ctx))
    print(f"{args.label or args.coder}: {len(articles)} articles, "
          f"{time.process_time() - started:.1f} CPU s, {events} events")


if __name__ == "__main__":
    main()
