"""Backtest the early-warning detectors on the real corpora in ../shared/data.

    python bench/backtest.py                       # code once (if needed), all scopes
    python bench/backtest.py --fresh               # from an empty database: times coding too
    python bench/backtest.py --scopes combined --mode single
    python bench/backtest.py --markdown docs/backtest-summary.md --out docs/backtest

Scopes: each corpus alone (``wh_briefings``, ``kremlin_zelenskyy_press``, ``headlines``)
and all three together (``combined``).  One database holds them all; a backtest only sees
the articles of its scope (``foreshock backtest CORPUS...`` does the same).  The headline
corpus has titles and no text field, so it is converted once to JSONL with the title as
text (as bench/throughput.py does).

For every scope it prints the backtest report (per dyad: first alert, lead time before the
onset, alerts; RUS-UKR by week with the corpus volume; every alert on other dyads with its
evidence), writes a PNG of the RUS-UKR weekly series and a JSON of the result, and ends with
a summary table and the timings.  Dyads without RUS, UKR or BLR are counted as "calm" in
the summary (a person still has to read them).  Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console

import foreshock
from foreshock.aggregate.plot import Marker, render_plot
from foreshock.alerts.config import load_config
from foreshock.cli.analysis import print_backtest
from foreshock.runners.backtest import BacktestResult, BacktestSpec, result_dict, run_backtest
from foreshock.store.db import connect

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
WORK = Path("/tmp/foreshock-bench")
HEADLINES = SHARED / "fwd_news_headlines" / "headlines_2021-11-16_2022-02-12.jsonl"
WH = SHARED / "wh_briefings" / "wh_briefings_2021-09_2022-03.jsonl"
KREMLIN = SHARED / "kremlin_zelenskyy_press"
KREMLIN_COLUMNS = {"title": "headline", "url": "link"}  # text=body and date=date by default
ONSET = dt.date(2022, 2, 24)
FOCUS = "RUS-UKR"
CRISIS_ACTORS = {"RUS", "UKR", "BLR"}


def convert_headlines(target: Path) -> Path:
    """The headline JSONL with ``text`` = title (the reader needs a text field)."""
    if target.exists() and target.stat().st_mtime >= HEADLINES.stat().st_mtime:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with HEADLINES.open(encoding="utf-8") as src, target.open("w", encoding="utf-8") as out:
        for line in src:
            r = json.loads(line)
            out.write(json.dumps({"id": r["link"], "date": r["date_utc"], "title": r["title"],
                                  "text": r["title"], "url": r["link"],
                                  "source": r["domain"]}) + "\n")
    return target


def scopes(headlines: Path) -> dict[str, tuple[str, ...]]:
    return {
        "wh_briefings": (str(WH),),
        "kremlin_zelenskyy_press": (str(KREMLIN),),
        "headlines": (str(headlines),),
        "combined": (str(WH), str(KREMLIN), str(headlines)),
    }


def prepare(db: str, headlines: Path, console: Console) -> dict[str, float]:
    """Ingest the three corpora and code what is not coded yet (through the public API, as
    the CLI does); returns timings."""
    seconds: dict[str, float] = {}
    clock = time.perf_counter()
    coder = foreshock.load()
    seconds["load model"] = time.perf_counter() - clock
    store = foreshock.open(db, create=True)
    clock = time.perf_counter()
    for paths, columns in (([str(WH)], None), ([str(KREMLIN)], KREMLIN_COLUMNS),
                           ([str(headlines)], None)):
        report = store.ingest(paths, columns=columns, command="bench-backtest")
        console.print(f"ingest {paths[0]}: {report.read} read, {report.added} new, "
                      f"{report.quarantined} quarantined")
    seconds["ingest"] = time.perf_counter() - clock
    clock = time.perf_counter()
    coded = store.code_pending(coder=coder, command="bench-backtest", analyze=False).coding
    seconds["code"] = time.perf_counter() - clock
    console.print(f"coded {coded.articles} articles ({coded.words} words) into {coded.events} "
                  f"events in {coded.seconds:.1f}s (extractor {coder.version})")
    return seconds


def summarise(name: str, result: BacktestResult) -> dict[str, Any]:
    focus = result.report_for(FOCUS)
    calm = [d for d in result.dyads if not {*d.dyad.split("-")} & CRISIS_ACTORS and d.alerts]
    crisis = [d for d in result.dyads if {*d.dyad.split("-")} & CRISIS_ACTORS
              and d.dyad != FOCUS and d.alerts]
    return {
        "scope": name,
        "articles": result.articles,
        "stories": result.stories,
        "period": f"{result.first_day} .. {result.last_day}",
        "judged_days": f"{result.judged_days}/{result.days}",
        "first_alert": str(focus.first_alert) if focus and focus.first_alert else "-",
        "lead_days": focus.lead_days if focus and focus.lead_days is not None else "-",
        "focus_alerts": focus.alerts if focus else 0,
        "crisis_dyads_alerting": ", ".join(f"{d.dyad} {d.alerts}" for d in crisis) or "-",
        "calm_dyads_alerting": ", ".join(f"{d.dyad} {d.alerts}" for d in calm) or "-",
        "max_calm_alerts": max((d.alerts for d in calm), default=0),
        "replay_s": round(result.seconds.get("replay", result.seconds.get("single", 0.0)), 1),
        "total_s": round(result.seconds["total"], 1),
        "replay_equals_single_pass": result.mismatches == 0 if result.mismatches is not None
        else "-",
    }


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    head = list(rows[0])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[k]) for k in head) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(WORK / "backtest.duckdb"))
    parser.add_argument("--fresh", action="store_true", help="delete the database first")
    parser.add_argument("--scopes", default="wh_briefings,kremlin_zelenskyy_press,headlines,"
                                            "combined")
    parser.add_argument("--mode", choices=["replay", "single"], default="replay")
    parser.add_argument("--out", default=str(WORK), help="folder for PNG and JSON files")
    parser.add_argument("--markdown", default=None, help="also write the summary table here")
    parser.add_argument("--evidence", type=int, default=2)
    args = parser.parse_args(argv)
    console = Console(highlight=False, width=200)
    WORK.mkdir(parents=True, exist_ok=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.fresh:
        for suffix in ("", ".wal"):
            Path(args.db + suffix).unlink(missing_ok=True)
    load = os.getloadavg()
    console.print(f"{dt.datetime.now():%Y-%m-%d %H:%M} {platform.node()} "
                  f"{os.cpu_count()} cores, load {load[0]:.2f}; db {args.db}")
    headlines = convert_headlines(WORK / "fwd_news_headlines.jsonl")
    started = time.perf_counter()
    timings = prepare(args.db, headlines, console)
    config = load_config()
    rows = []
    con = connect(args.db)
    for name in args.scopes.split(","):
        corpora = scopes(headlines)[name]
        console.rule(f"[bold]{name}")
        clock = time.perf_counter()
        result = run_backtest(con, BacktestSpec(onset=ONSET, focus=(FOCUS,), corpora=corpora,
                                                mode=args.mode, verify=True), config)
        timings[f"backtest {name}"] = time.perf_counter() - clock
        print_backtest(console, result, args.evidence)
        report = result.report_for(FOCUS)
        lead = (f"first alert {report.first_alert}, {report.lead_days} days before onset"
                if report and report.lead_days is not None else "no alert before the onset")
        render_plot(result.weeks.get(FOCUS, ()),
                    [Marker(a.date, a.detector, a.score) for a in result.alerts
                     if a.dyad == FOCUS],
                    out / f"backtest-{name}-rus-ukr.png", onset=ONSET,
                    title=f"{FOCUS}, {name} ({lead})")
        (out / f"backtest-{name}.json").write_text(
            json.dumps(result_dict(result), indent=1, default=str), encoding="utf-8")
        rows.append(summarise(name, result))
    con.close()
    timings["total"] = time.perf_counter() - started
    console.rule("[bold]summary")
    table = markdown(rows)
    console.print(table, markup=False)
    console.print("timings: " + ", ".join(f"{k} {v:.1f}s" for k, v in timings.items()))
    if args.markdown:
        Path(args.markdown).write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
