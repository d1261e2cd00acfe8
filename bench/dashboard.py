"""First paint of the dashboard in Chromium, on the demo database and on a 10,000-article one.

    python bench/dashboard.py                     # both databases, 5 first loads each
    python bench/dashboard.py --articles 10000 --loads 7 --json /tmp/dashboard.json
    python bench/dashboard.py --coded             # the synthetic articles really coded
    python bench/dashboard.py --db a.duckdb --db b.duckdb   # databases you have, in turn

Builds (once, cached under --workdir) the demo database (``foreshock demo``) and a
database of ``--articles`` synthetic articles (``bench/synthetic.py``): by default as the
browser test builds it (``build_synthetic_database``: real ingest, stories and alerts,
events made from the generator's facts, 40-50 s), with ``--coded`` coded by
``foreshock run --workers 2`` (~450 s).  Serves each with ``foreshock.api.create_app`` on a
loopback port, and opens the dashboard ``--loads`` times in Debian's Chromium (Playwright),
each time in a fresh browser context (empty cache).  "First paint" is the page's own ready mark:
milliseconds from navigation until the overview (escalating dyads, the world map, the alert
timeline) is drawn (``document.body.dataset.readyMs``).  The server is warmed first (its
first plotly.js request compresses the file once).

The numbers are one machine's at one moment: its load average is printed with them.
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "integration"))
CHROMIUM = os.environ.get("FORESHOCK_CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def foreshock(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "foreshock", *args], check=True,
                   stdout=subprocess.DEVNULL)


def demo_database(workdir: Path) -> Path:
    db = workdir / "demo.duckdb"
    if not db.exists():
        foreshock("demo", "--db", str(db))
    return db


def synthetic_database(workdir: Path, articles: int, coded: bool) -> Path:
    db = workdir / f"synthetic-{articles}{'' if coded else '-premade'}.duckdb"
    if db.exists():
        return db
    if not coded:
        from live_server import build_synthetic_database

        print(f"built {db}: {build_synthetic_database(db, articles)}", flush=True)
        return db
    corpus = workdir / f"synthetic-{articles}.jsonl"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), "-n", str(articles),
                    "-o", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    foreshock("run", str(corpus), "--db", str(db), "--workers", "2")
    print(f"built {db} in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def first_loads(db: Path, loads: int) -> dict[str, object]:
    from live_server import serving
    from playwright.sync_api import sync_playwright

    from foreshock.api import create_app

    samples: list[int] = []
    with serving(create_app(str(db))) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            warm = browser.new_context()
            warm.new_page().goto(url + "/vendor/plotly.min.js")
            warm.close()
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = context.new_page()
                page.goto(url + "/")
                page.wait_for_selector("body[data-ready='1']", timeout=60_000)
                samples.append(int(page.evaluate("document.body.dataset.readyMs")))
                context.close()
        finally:
            browser.close()
    return {"database": db.name, "loads": loads, "first_paint_ms": samples,
            "median_ms": int(statistics.median(samples)), "min_ms": min(samples),
            "max_ms": max(samples)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=5)
    parser.add_argument("--workdir", default="/tmp/foreshock-bench-dashboard")
    parser.add_argument("--json", default=None, help="also write the results as JSON here")
    parser.add_argument("--db", action="append", default=[],
                        help="measure this database instead of building any (repeatable)")
    parser.add_argument("--coded", action="store_true",
                        help="code the synthetic articles with the coder (slow) instead of "
                             "making their events from the generator's facts")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    results = []
    databases = ([Path(db) for db in args.db] if args.db else
                 [demo_database(workdir), synthetic_database(workdir, args.articles, args.coded)])
    for db in databases:
        found = first_loads(db, args.loads)
        found["load_average"] = [round(x, 2) for x in os.getloadavg()]
        print(json.dumps(found), flush=True)
        results.append(found)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
