"""Who, when and where on the real corpora (issue 11): targets, agreement names, event dates,
event locations, and seeded samples to read by hand.  A script, not a test.

    # code the corpora (bench/backtest.py --db BT; foreshock run WCEP --db WCEP), then
    python bench/who_when_where.py report --db BT --db WCEP [--before-db OLD ...]
    python bench/who_when_where.py sample --db BT --db WCEP --out bench/sheets
    python bench/who_when_where.py score bench/sheets/*.tsv

``report`` prints, per corpus, the asserted events and the share with no target, the events
with Belarus that come from an agreement's name ("the Minsk agreements"), and the share of
events (and of material-conflict events) with a location.  ``sample`` writes two seeded
sheets: 100 asserted events of the Kremlin/Zelenskyy releases and 100 located asserted
events; a person fills the ``ok`` column (y/n) and ``note``.  ``score`` reads filled sheets
and prints precision with a 95 % Wilson interval.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import re
import sys
from pathlib import Path
from typing import Any

import duckdb

SEED = 11
#: a Belarus actor read off an agreement's or format's name
AGREEMENT_NAME = re.compile(r"\bMinsk\s*(?:-?\s*(?:II|2)\b|(?:peace\s+)?(?:agreements?|"
                            r"accords?|protocols?|package|format|process|talks|group)\b)",
                            re.IGNORECASE)
CORPUS = """CASE
    WHEN a.source_path LIKE '%putin_kremlin%' THEN 'kremlin'
    WHEN a.source_path LIKE '%zelenskyy%' THEN 'zelenskyy'
    WHEN a.source_path LIKE '%wh_briefings%' THEN 'white_house'
    WHEN a.source_path LIKE '%headlines%' THEN 'headlines'
    WHEN a.source_path LIKE '%wcep%' THEN 'wcep'
    ELSE 'other' END"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
          ) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _has_places(con: duckdb.DuckDBPyConnection) -> bool:
    return any(r[0] == "place" for r in con.execute("DESCRIBE events").fetchall())


def report(paths: list[str], label: str) -> None:
    print(f"## {label}")
    print(f"{'corpus':<12} {'asserted':>9} {'no target':>10} {'share':>6} {'located':>8} "
          f"{'share':>6} {'q4':>6} {'q4 loc':>7} {'share':>6} {'dated':>6} "
          f"{'BLR':>5} {'BLR name':>9}")
    for path in paths:
        con = duckdb.connect(path, read_only=True)
        places = _has_places(con)
        located = "count(*) FILTER (e.place IS NOT NULL)" if places else "0"
        q4_located = ("count(*) FILTER (e.place IS NOT NULL AND e.quad_class = 4)"
                      if places else "0")
        dated = "count(*) FILTER (e.event_date IS NOT NULL)" if places else "0"
        rows = _rows(con, f"""
            SELECT {CORPUS} AS corpus, count(*) AS n,
                   count(*) FILTER (e.target IS NULL) AS no_target,
                   {located} AS located,
                   count(*) FILTER (e.quad_class = 4) AS q4, {q4_located} AS q4_located,
                   {dated} AS dated
            FROM events e JOIN articles a USING (article_id)
            WHERE e.modality = 'asserted' GROUP BY 1 ORDER BY 1""")
        blr = _rows(con, f"""
            SELECT {CORPUS} AS corpus, e.source, e.target, e.source_text, e.target_text,
                   e.sentence
            FROM events e JOIN articles a USING (article_id)
            WHERE e.modality = 'asserted' AND (e.source = 'BLR' OR e.target = 'BLR')""")
        con.close()
        for r in rows:
            mine = [b for b in blr if b["corpus"] == r["corpus"]]
            named = sum(1 for b in mine if _from_agreement_name(b))
            print(f"{r['corpus']:<12} {r['n']:>9} {r['no_target']:>10} "
                  f"{r['no_target'] / r['n']:>6.3f} {r['located']:>8} "
                  f"{r['located'] / r['n']:>6.3f} {r['q4']:>6} {r['q4_located']:>7} "
                  f"{(r['q4_located'] / r['q4']) if r['q4'] else 0:>6.3f} {r['dated']:>6} "
                  f"{len(mine):>5} {named:>9}")


def _from_agreement_name(event: dict[str, Any]) -> bool:
    """A Belarus actor whose text is "Minsk" in a sentence that names a Minsk agreement,
    format or group, and no other Minsk."""
    texts = [event["source_text"] if event["source"] == "BLR" else "",
             event["target_text"] if event["target"] == "BLR" else ""]
    if not any(t == "Minsk" for t in texts):
        return False
    sentence = str(event["sentence"])
    return bool(AGREEMENT_NAME.search(sentence)) and \
        len(re.findall(r"\bMinsk\b", sentence)) == len(AGREEMENT_NAME.findall(sentence))


SHEET_FIELDS = ("n", "ok", "note", "event_id", "corpus", "date", "event_date", "source",
                "source_sector", "code", "target", "target_sector", "trigger", "place",
                "place_country", "place_lat", "place_lon", "sentence")


def sample(paths: list[str], out: Path, seed: int = SEED) -> None:
    """Two seeded sheets to read by hand."""
    asserted: list[dict[str, Any]] = []
    located: list[dict[str, Any]] = []
    for path in paths:
        con = duckdb.connect(path, read_only=True)
        base = f"""
            SELECT e.event_id, {CORPUS} AS corpus, e.date, e.event_date, e.source,
                   e.source_sector, e.code, e.target, e.target_sector, e.trigger, e.place,
                   e.place_country, e.place_lat, e.place_lon, e.sentence
            FROM events e JOIN articles a USING (article_id)
            WHERE e.modality = 'asserted'"""
        asserted += _rows(con, base + " AND (a.source_path LIKE '%kremlin_zelenskyy%')")
        located += _rows(con, base + " AND e.place IS NOT NULL")
        con.close()
    out.mkdir(parents=True, exist_ok=True)
    for name, pool in (("kremlin-zelenskyy-asserted", asserted),
                       ("located-events", _stratified(located, seed))):
        pool = sorted(pool, key=lambda r: str(r["event_id"]))
        picked = random.Random(seed).sample(pool, min(100, len(pool)))
        path = out / f"{name}-100.tsv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, SHEET_FIELDS, delimiter="\t",
                                    extrasaction="ignore")
            writer.writeheader()
            for n, row in enumerate(picked, start=1):
                writer.writerow({**row, "n": n, "ok": "", "note": "",
                                 "sentence": " ".join(str(row["sentence"]).split())})
        print(f"{path}: {len(picked)} of {len(pool)} events (seed {seed})")


def _stratified(rows: list[dict[str, Any]], seed: int = SEED) -> list[dict[str, Any]]:
    """Located events: half from the world news stream (WCEP), half from the crisis
    corpora, so that neither dominates the sample."""
    wcep = sorted((r for r in rows if r["corpus"] == "wcep"), key=lambda r: str(r["event_id"]))
    rest = sorted((r for r in rows if r["corpus"] != "wcep"), key=lambda r: str(r["event_id"]))
    rng = random.Random(seed)
    return rng.sample(wcep, min(50, len(wcep))) + rng.sample(rest, min(50, len(rest)))


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def score(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle, delimiter="\t"))
        judged = [r for r in rows if r["ok"].strip().lower() in {"y", "n"}]
        hits = sum(1 for r in judged if r["ok"].strip().lower() == "y")
        low, high = wilson(hits, len(judged))
        print(f"{path}: {hits}/{len(judged)} correct = {hits / max(len(judged), 1):.3f} "
              f"(95% CI {low:.3f}-{high:.3f}); {len(rows) - len(judged)} not judged")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report")
    rep.add_argument("--db", action="append", default=[])
    rep.add_argument("--before-db", action="append", default=[])
    sam = sub.add_parser("sample")
    sam.add_argument("--db", action="append", default=[])
    sam.add_argument("--out", default="bench/sheets")
    sam.add_argument("--seed", type=int, default=SEED,
                     help=f"the sample's seed (default {SEED}, the first sheets')")
    sco = sub.add_parser("score")
    sco.add_argument("sheets", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "report":
        if args.before_db:
            report(args.before_db, "before")
        report(args.db, "after")
    elif args.command == "sample":
        sample(args.db, Path(args.out), args.seed)
    else:
        score(args.sheets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
