"""Run the early-warning backtest suite (bench/suite.toml) and time it.

    python bench/suite.py                  # reuse the coded database in bench/out/suite
    python bench/suite.py --fresh          # delete it first: slicing, ingest and coding timed
    python bench/suite.py --part tuning    # only the cases used to choose the parameters
    python bench/suite.py --set detectors.onset.threshold=6 --set state.war_jump=3

Prints the per-case table and the tuning / held-out summary, the time of each stage and the
peak memory; with ``--out`` writes suite.md, suite.json and one PNG per case.  ``--set``
runs with a modified copy of the bundled detectors.toml (for choosing parameters on the
tuning part; the shipped file is not touched).  Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from foreshock.alerts.config import default_path, load_config
from foreshock.settings import Settings
from foreshock.suite.prepare import database_path, prepare
from foreshock.suite.report import (
    cases_markdown,
    details_markdown,
    summary_markdown,
    write_report,
)
from foreshock.suite.run import run_suite
from foreshock.suite.spec import load_suite

REPO = Path(__file__).resolve().parents[1]


def variant(settings: Sequence[str], folder: Path) -> Path:
    """A copy of detectors.toml with ``section.key=value`` replaced."""
    text = default_path().read_text(encoding="utf-8")
    for item in settings:
        key, value = item.split("=", 1)
        section, name = key.rsplit(".", 1)
        header = re.escape(f"[{section}]")
        block = re.search(rf"^{header}$(.*?)(?=^\[|\Z)", text, flags=re.M | re.S)
        if block is None:
            raise SystemExit(f"no section for {key}")
        body, count = re.subn(rf"^{re.escape(name)} = .*$", f"{name} = {value}", block.group(1),
                              flags=re.M)
        if count != 1:
            raise SystemExit(f"no key {key}")
        text = text[:block.start(1)] + body + text[block.end(1):]
    path = folder / "detectors.toml"
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(REPO / "bench" / "suite.toml"))
    parser.add_argument("--fresh", action="store_true", help="delete the coded database first")
    parser.add_argument("--cache", default=None,
                        help="cache folder instead of the suite's (e.g. for a fresh timing run)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part", choices=["tuning", "held-out"], default=None)
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--set", action="append", default=[], dest="overrides",
                        help="section.key=value in a copy of detectors.toml")
    parser.add_argument("--out", default=None, help="write suite.md, suite.json, plots here")
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--coder", choices=["rules", "hybrid"], default=Settings().coder,
                        help="the coder of the corpora (default: the settings' default)")
    args = parser.parse_args(argv)
    suite = load_suite(args.suite)
    if args.cache:
        suite = replace(suite, cache=Path(args.cache).resolve())
    if args.fresh:
        for path in (database_path(suite), Path(f"{database_path(suite)}.wal")):
            path.unlink(missing_ok=True)
        shutil.rmtree(f"{database_path(suite)}.parts", ignore_errors=True)
        shutil.rmtree(suite.cache / "corpora", ignore_errors=True)
    load = os.getloadavg()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC {platform.node()} {os.cpu_count()} "
          f"cores, load {load[0]:.2f} {load[1]:.2f}; python {platform.python_version()}; "
          f"coder {args.coder}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(variant(args.overrides, Path(tmp)) if args.overrides else None)
    prepared = prepare(suite, Settings(coder=args.coder), workers=args.workers,
                       stories=config.stories, log=print)
    cases = [c.name for c in suite.cases if (args.part is None or c.part == args.part)
             and (not args.case or c.name in args.case)]
    result = run_suite(suite, config, prepared, cases=cases, log=print)
    result.seconds.update({f"prepare {k}": v for k, v in prepared.seconds.items()})
    result.seconds["total"] = time.perf_counter() - started
    print()
    print(summary_markdown(result))
    print(cases_markdown(result))
    if args.details:
        print(details_markdown(result))
    if args.out:
        folder = Path(args.out)
        write_report(result, folder)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in result.seconds.items()))
    print(f"peak RSS: this process {own:.0f} MB, largest coding worker {children:.0f} MB; "
          f"detectors {config.version} {config.fingerprint()}"
          + (f" with {', '.join(args.overrides)}" if args.overrides else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
