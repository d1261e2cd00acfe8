"""Accuracy of the coder on every gold set we hold, in one table (a script, not a test).

    .venv/bin/python bench/accuracy.py [--shared ../shared] [--lexicons] [--coder rules,hybrid]

Runs ``foreshock eval --json`` on the project's annotations (train: what the classifier and
the rules were fitted on; validation: frozen, never tuned on), gold-dev, the PLOVER gold
records, the PETRARCH2 validation records, the PETRARCH2 unit tests (with the PETRARCH
dictionaries they were written for) and the ConfliBERT test sentences, for each coder, and
prints precision, recall, F1, trap rate and speed.  With ``--lexicons`` it also compares our
verb lexicon with PETRARCH's on the same sets.
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
    parser.add_argument("--coder", default="rules,hybrid",
                        help="Comma-separated coders to score [default: rules,hybrid].")
    parser.add_argument("--classifier", default=None,
                        help="Classifier directory for hybrid [default: the bundled one].")
    opts = parser.parse_args()
    data = Path(opts.shared) / "data"
    dicts = data / "petrarch2" / "dictionaries"
    annotations = Path(__file__).resolve().parents[1] / "annotations"
    # (name, PETRARCH dictionary set the sentences need, default lexicon, eval arguments)
    sets = [
        ("annotations train", "", "own", ["eval", str(annotations / "train.jsonl")]),
        ("annotations valid.", "", "own", ["eval", str(annotations / "validation.jsonl")]),
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
    print(f"{'set':<20} {'coder':<7} {'actors':<9} {'lexicon':<9} {'sent':>5} {'gold':>5} "
          f"{'pred':>5} {'P':>6} {'R':>6} {'F1':>6} {'traps':>7} {'exact':>6} {'sector':>6} "
          f"{'sent/s':>7}")
    for name, dict_set, default, command in sets:
        # our own dictionaries alone, then with the PETRARCH ones the set was written for
        runs: list[tuple[str, list[str]]] = [("ours", [])] if dict_set in {"phoenix", ""} \
            else []
        for lexicon in (["own", "petrarch", "both"] if opts.lexicons and dict_set else
                        [default] if dict_set else []):
            runs.append((f"+{dict_set}", ["--petrarch", str(dicts), "--petrarch-set", dict_set,
                                          "--lexicon", lexicon]))
        for (actors, flags), coder in [(r, c) for r in runs for c in opts.coder.split(",")]:
            if dict_set == "validate" and coder != "rules":
                continue  # invented actors and verbs: the classifier has nothing to read
            extra = ["--classifier", opts.classifier] if opts.classifier else []
            result = next(iter(run(["--coder", coder, *extra, *flags, *command, "--show",
                                    "none"]).values()))
            lexicon = flags[-1] if flags else "own"
            print(f"{name:<20} {coder:<7} {actors:<9} {lexicon:<9} {result['sentences']:>5} "
                  f"{result['gold_events']:>5} {result['predicted_events']:>5} "
                  f"{result['precision']:>6.3f} {result['recall']:>6.3f} {result['f1']:>6.3f} "
                  f"{result['traps_hit']:>3}/{result['traps']:<3} "
                  f"{result['exact_code_share']:>6.3f} {result['sector_agreement']:>6.3f} "
                  f"{result['sentences_per_second']:>7}")
    for coder in opts.coder.split(","):
        extra = ["--classifier", opts.classifier] if opts.classifier else []
        quad = next(iter(run(["--coder", coder, *extra, "eval", "--format", "conflibert", str(
            data / "conflibert_cameo" / "cameo_class" / "test.tsv")]).values()))
        print(f"ConfliBERT test, {coder} (QuadClass agreement, 0=statement): "
              f"{quad['accuracy']:.3f} over {quad['sentences']} sentences; recall by class "
              f"{quad['recall_by_class']}")
    print("* the PETRARCH2 unit tests use invented actors: scored with PETRARCH's own "
          "validation dictionaries loaded at run time")


if __name__ == "__main__":
    main()
