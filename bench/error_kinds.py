"""Aggregate kinds of the coder's errors on one annotated set (a script, not a test).

    foreshock eval annotations/validation.jsonl --show none --predictions /tmp/pred.jsonl
    python bench/error_kinds.py annotations/validation.jsonl /tmp/pred.jsonl
    python bench/error_kinds.py annotations/train.jsonl /tmp/pred.jsonl --by-pattern 30

Counts only, never sentences: this is the view of validation and gold-dev errors the project
allows (no rule is written from one sentence of them).  Asserted predictions are matched to
gold events greedily as the scorer matches them (source, target and a root among the gold
codes; a meeting either way round), and what is left is sorted into kinds:

- missed gold events: the coder asserted nothing in the sentence; it asserted an event of the
  same two actors with another root; of the gold root between other actors; something else;
- false events: in a sentence with no gold event; the gold actors with another root; a gold
  root between other actors; something else;

and both by CAMEO root.  ``--by-pattern N`` adds the N patterns (the rule or model that gave
an event, its ``pattern`` without what follows a colon) with the most false events: how many
asserted events each gave, how many were right, and the false ones by kind -- the count that
showed, on the training annotations, rows right less than a third of the time (session 24).
The kinds are a diagnosis, not the score: ``foreshock eval`` is.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

MEETING = "04"

Key = tuple[str, str | None, str]


def _key(source: str, target: str | None, root: str) -> Key:
    if root == MEETING and target:
        a, b = sorted((source, target))
        return (a, b, root)
    return (source, target or None, root)


def _same_actors(a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
    return a == b or {a[0], a[1]} == {b[0], b[1]}


#: names of the kinds: nothing on the other side, the same actors, a shared root, else
MISSED = ("nothing asserted in the sentence", "the same actors, another root",
          "the gold root, other actors", "other events only")
FALSE = ("a sentence with no gold event", "the gold actors, another root",
         "a gold root, other actors", "other")


def _kind(actors: tuple[str, str | None], roots: set[str],
          others: list[tuple[tuple[str, str | None], set[str]]], names: tuple[str, ...]
          ) -> str:
    """Why an unmatched event has no counterpart among ``others`` (the other side's events
    of its sentence, as actors and roots)."""
    if not others:
        return names[0]
    if any(_same_actors(actors, pair) for pair, _ in others):
        return names[1]
    if any(roots & theirs for _, theirs in others):
        return names[2]
    return names[3]


def kinds(gold_path: Path, pred_path: Path) -> defaultdict[str, Counter[str]]:
    gold = {}
    with gold_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                gold[str(record["id"])] = record
    pred: dict[str, list[tuple[str, str | None, str]]] = {}
    patterns: dict[str, list[str]] = {}
    with pred_path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                asserted = _once([e for e in record["events"]
                                  if e.get("modality") == "asserted"])
                pred[str(record["id"])] = [(e["source"], e.get("target"), e["code"][:2])
                                           for e in asserted]
                patterns[str(record["id"])] = [pattern_name(e.get("pattern"))
                                               for e in asserted]
    out: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for sid, record in gold.items():
        events = [(e["source"], e.get("target"), [c[:2] for c in e["codes"]])
                  for e in record["events"]]
        predicted = pred.get(sid, [])
        used: set[int] = set()
        for source, target, roots in events:
            hit = next((j for j, (s, t, r) in enumerate(predicted) if j not in used
                        and r in roots and _key(s, t, r) == _key(source, target, r)), None)
            if hit is not None:
                used.add(hit)
                out["matched"]["events"] += 1
                out["right_by_pattern"][patterns[sid][hit]] += 1
                continue
            others = [((s, t), {r}) for s, t, r in predicted]
            out["missed"][_kind((source, target), set(roots), others, MISSED)] += 1
            out["missed_root"][roots[0]] += 1
        for j, (s, t, r) in enumerate(predicted):
            out["by_pattern"][patterns[sid][j]] += 1
            if j in used:
                continue
            others = [((gs, gt), set(roots)) for gs, gt, roots in events]
            kind = _kind((s, t), {r}, others, FALSE)
            out["false"][kind] += 1
            out["false_root"][r] += 1
            out[f"false:{patterns[sid][j]}"][kind] += 1
    return out


def _once(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A meeting coded both ways counts once, as the scorer counts mirror pairs."""
    seen: set[Key] = set()
    out = []
    for event in events:
        root = str(event["code"])[:2]
        key = _key(str(event["source"]), event.get("target"), root)
        if root == MEETING and key in seen:
            continue
        seen.add(key)
        out.append(event)
    return out


def pattern_name(pattern: object) -> str:
    """A pattern without its detail: "v.kill:weapon" is "v.kill", every model event "model",
    a derived intention "intent"."""
    name = str(pattern or "?").split(":")[0]
    return "model" if name == "model" else name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("predictions", type=Path, help="written by foreshock eval --predictions")
    parser.add_argument("--by-pattern", type=int, default=0, metavar="N",
                        help="also the N patterns with the most false events")
    args = parser.parse_args()
    out = kinds(args.gold, args.predictions)
    missed, false = sum(out["missed"].values()), sum(out["false"].values())
    print(f"matched {out['matched']['events']}, missed {missed}, false {false}")
    for name, total in (("missed", missed), ("false", false)):
        print(f"{name}:")
        for kind, count in out[name].most_common():
            print(f"  {kind:36} {count:4}  ({count / max(total, 1):.0%})")
        roots = ", ".join(f"{r} {c}" for r, c in out[f"{name}_root"].most_common(10))
        print(f"  by root: {roots}")
    if args.by_pattern:
        print("patterns (asserted events, right, share right; false ones by kind):")
        wrong = {p: n - out["right_by_pattern"][p] for p, n in out["by_pattern"].items()}
        for pattern, _ in sorted(wrong.items(), key=lambda kv: -kv[1])[:args.by_pattern]:
            n, right = out["by_pattern"][pattern], out["right_by_pattern"][pattern]
            why = ", ".join(f"{k} {c}" for k, c in out[f"false:{pattern}"].most_common())
            print(f"  {pattern:28} {n:5} {right:5}  {right / n:.2f}  {why}")


if __name__ == "__main__":
    main()
