"""Accuracy of the coder on every gold set we hold, in one table (a script, not a test).

    .venv/bin/python bench/accuracy.py [--shared ../shared] [--lexicons]

Runs ``foreshock eval --json`` on gold-dev, the PLOVER gold records, the PETRARCH2 validation
records, the PETRARCH2 unit tests (with the PETRARCH dictionaries they were written for) and
the ConfliBERT test sentences, and prints precision, recall, F1, trap rate and speed.  With
``--lexicons`` it also compares our verb lexicon with PETRARCH's on the same sets.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
from pathlib import Path


def run(args: list[str]) -> dict[str, dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "foreshock", *args, "--json"],
                         check=True, capture_output=True, text=True).stdout
    result: dict[str, dict[str, object]] = json.loads(out)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--lexicons", action="store_true")
    opts = parser.parse_args()
    data = Path(opts.shared) / "data"
    dicts = data / "petrarch2" / "dictionaries"
    # (name, PETRARCH dictionary set the sentences need, default lexicon, eval arguments)
    sets = [
        ("gold-dev", "phoenix", "own", ["eval", str(data / "gold-dev" / "events.jsonl")]),
        ("PLOVER GSR", "phoenix", "own",
         ["eval", "--format", "plover", str(data / "plover" / "PLOVER_GSR_CAMEO.txt")]),
        ("PETR2 validation", "phoenix", "own",
         ["eval", "--format", "petrarch",
          str(data / "universalpetrarch" / "PETR2_GSR_validation.xml")]),
        ("PETR2 unit tests*", "validate", "petrarch",
         ["eval", "--format", "petrarch", str(data / "petrarch2" / "text" /
                                              "PETR.UnitTest.records.xml")]),
    ]
    print(f"# accuracy, {dt.date.today()}, {platform.node()}, Python {platform.python_version()}")
    print(f"{'set':<20} {'actors':<9} {'lexicon':<9} {'sent':>5} {'gold':>5} {'pred':>5} "
          f"{'P':>6} {'R':>6} {'F1':>6} {'traps':>7} {'exact':>6} {'sector':>6} {'sent/s':>7}")
    for name, dict_set, default, command in sets:
        # our own dictionaries alone, then with the PETRARCH ones the set was written for
        runs: list[tuple[str, list[str]]] = [("ours", [])] if dict_set == "phoenix" else []
        for lexicon in (["own", "petrarch", "both"] if opts.lexicons else [default]):
            runs.append((f"+{dict_set}", ["--petrarch", str(dicts), "--petrarch-set", dict_set,
                                          "--lexicon", lexicon]))
        for actors, flags in runs:
            result = next(iter(run([*flags, *command, "--show", "none"]).values()))
            lexicon = flags[-1] if flags else "own"
            print(f"{name:<20} {actors:<9} {lexicon:<9} {result['sentences']:>5} "
                  f"{result['gold_events']:>5} {result['predicted_events']:>5} "
                  f"{result['precision']:>6.3f} {result['recall']:>6.3f} {result['f1']:>6.3f} "
                  f"{result['traps_hit']:>3}/{result['traps']:<3} "
                  f"{result['exact_code_share']:>6.3f} {result['sector_agreement']:>6.3f} "
                  f"{result['sentences_per_second']:>7}")
    quad = next(iter(run(["eval", "--format", "conflibert", str(
        data / "conflibert_cameo" / "cameo_class" / "test.tsv")]).values()))
    print(f"ConfliBERT test (QuadClass agreement, 0=statement): {quad['accuracy']:.3f} over "
          f"{quad['sentences']} sentences; recall by class {quad['recall_by_class']}")
    print("* the PETRARCH2 unit tests use invented actors: scored with PETRARCH's own "
          "validation dictionaries loaded at run time")


if __name__ == "__main__":
    main()
