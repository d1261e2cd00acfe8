"""Choose detector parameters on the TUNING part of the suite only (a small grid).

    python bench/suite_tune.py                       # the grid below, tuning cases only
    python bench/suite_tune.py --grid onset.threshold=4.0,5.0 --grid state.war_jump=2.0,3.0
    python bench/suite_tune.py --grid series.force_roots=18+19+20,15+17+18+19+20

Every combination runs the tuning cases of bench/suite.toml on the cached coded database
(run bench/suite.py once first) and is scored by the issue's targets, in this order:
1. RUS-UKR in the White House texts warns >= 60 days ahead, calm dyads raise <= 0.5 alerts
   per calm dyad-year and no war dyad gets more than one new alert in 30 days (must);
2. the most surprise onsets reported on their day and alerted within a day (more is better);
3. the fewest alerts on calm dyads, then the fewest new alerts in wars.
The held-out cases are never run here.  The table is printed best first; the chosen row is
what data/alerts/detectors.toml holds.  Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from foreshock.alerts.config import AnalysisConfig, load_config
from foreshock.settings import Settings
from foreshock.suite.prepare import prepare
from foreshock.suite.report import markdown_table, summary
from foreshock.suite.run import Clustered, run_suite
from foreshock.suite.spec import load_suite

REPO = Path(__file__).resolve().parents[1]
GRID: dict[str, list[Any]] = {
    "series.force_roots": [("18", "19", "20"), ("15", "17", "18", "19", "20")],
    "onset.min_events": [2, 3],
    "onset.threshold": [3.0, 4.0, 5.0],
    "onset.min_rate": [0.001, 0.002],
    "series.min_stories": [1, 2],
    "state.war_jump": [2.0, 3.0],
}


def with_values(config: AnalysisConfig, values: dict[str, Any]) -> AnalysisConfig:
    sections: dict[str, Any] = {}
    for key, value in values.items():
        section, name = key.split(".", 1)
        part = sections.get(section, getattr(config, section))
        sections[section] = replace(part, **{name: value})
    return replace(config, **sections)


def parse(items: Sequence[str]) -> dict[str, list[Any]]:
    grid: dict[str, list[Any]] = {}
    for item in items:
        key, values = item.split("=", 1)
        if key.endswith("roots"):  # alternatives of "+"-joined CAMEO roots: 18+19+20,...
            grid[key] = [tuple(sorted(v.split("+"))) for v in values.split(",")]
        else:
            grid[key] = [float(v) if "." in v else int(v) for v in values.split(",")]
    return grid


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", default=str(REPO / "bench" / "suite.toml"))
    parser.add_argument("--grid", action="append", default=[],
                        help="key=v1,v2 (replaces the built-in grid)")
    args = parser.parse_args(argv)
    grid = parse(args.grid) if args.grid else GRID
    suite = load_suite(args.suite)
    base = load_config()
    prepared = prepare(suite, Settings(), stories=base.stories)
    tuning = [c.name for c in suite.cases if c.part == "tuning"]
    clustered: dict[tuple[str, ...], Clustered] = {}
    rows = []
    for combo in itertools.product(*grid.values()):
        values = dict(zip(grid, combo, strict=True))
        if values.get("onset.min_stories", 1) > values.get("onset.min_events", 9):
            continue  # more stories than events: the same as min_stories = min_events
        result = run_suite(suite, with_values(base, values), prepared, cases=tuning,
                           clustered=clustered)
        s = summary(result.results)
        wh = s["rus_ukr_lead_days"].get("rus-ukr-2022-wh")
        rate = s["calm_alerts_per_dyad_year"] or 0.0
        must = (wh or 0) >= 60 and rate <= 0.5 and s["war_most_in_30_days"] <= 1
        rows.append((not must, -s["alert_within_1_day_of_those"], s["calm_alerts"],
                     s["war_new_alerts"], values, s, wh))
        print(values, "ok" if must else "fails a must", s["alert_within_1_day_of_those"],
              "onsets;", s["calm_alerts"], "calm alerts;", s["war_new_alerts"], "in war",
              flush=True)
    rows.sort(key=lambda r: r[:4])
    table = [{**{k: str(v) for k, v in r[4].items()},
              "must": "yes" if not r[0] else "no",
              "RUS-UKR wh lead": str(r[6]),
              "onsets on time": f"{r[5]['alert_within_1_day_of_those']}/"
                                f"{r[5]['onsets_reported_on_the_day']}",
              "calm alerts": f"{r[5]['calm_alerts']} ({r[5]['calm_alerts_per_dyad_year']}"
                             "/dyad-year)",
              "war new alerts": f"{r[5]['war_new_alerts']} (max {r[5]['war_most_in_30_days']}"
                                " in 30 days)"} for r in rows]
    print()
    print(markdown_table(table, list(table[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
