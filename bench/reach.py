"""Reach of the candidate stage on the training annotations (a script, not a test).

    PYTHONPATH=src .venv/bin/python bench/reach.py [--annotations annotations/train.jsonl]
        [--save /tmp/reach.json] [--load /tmp/reach.json] [--show KIND] [--limit N]

A gold event is *reached* when some candidate pair of its sentence can express it (the rule of
``foreshock.train.examples.coverage``, which this script reuses); the hybrid coder can never
find an unreached event.  The script runs the candidate stage over the annotations, prints
reach overall and on the fit part (the training side of ``foreshock train``'s held-out tenth),
and sorts the unreached events into kinds:

- ``no-pairs``: the candidate stage proposed no pair at all in the sentence;
- ``source-missing`` / ``target-missing`` / ``both-missing``: the gold actor code is not among
  the sentence's parties (the actor matcher did not find it);
- ``split``: both codes are parties, but of different sentence units (the splitter cut the
  sentence), so no unit pairs them;
- ``other``: both codes in one unit and still no pair (more parties than MAX_PARTIES).

Reached events whose sectors differ from every proposed party of that code are counted apart
(``sector-differs``; reach ignores sectors, the classifier's labels do not).

``--show KIND`` prints the unreached events of one kind with their sentences: run it on the
TRAINING annotations only (the iron rule: no error of validation or gold-dev is read one by
one; the script refuses other files for ``--show``).  ``--save`` writes the per-event result
so that ``--load`` can print other kinds without running the pipeline again.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TypedDict

from foreshock.evaluate.gold import GoldEvent, read_gold
from foreshock.train.examples import MEETING, Proposed, held_out, propose

KINDS = ("no-pairs", "source-missing", "target-missing", "both-missing", "split", "other")
SEED = 13  # ``foreshock train``'s default seed: the same held-out tenth


class Row(TypedDict):
    """One gold event and what the candidate stage made of its sentence."""

    id: str
    fit: bool
    text: str
    context: str
    event: str
    kind: str  # "reached", "sector-differs" or one of KINDS
    parties: list[str]


def _describe(event: GoldEvent) -> str:
    source = f"{event.source}/{event.source_sector or '-'}"
    target = f"{event.target}/{event.target_sector or '-'}" if event.target else "none"
    return f"{source} -> {target} {','.join(event.codes)}"


def _reaches(event: GoldEvent, keys: set[tuple[str, str | None]]) -> bool:
    """The rule of ``coverage``: the pair, the mirrored pair of a meeting, or for an event
    without target any pair with its source."""
    if (event.source, event.target) in keys:
        return True
    if event.target is not None and event.codes[0][:2] == MEETING:
        return (event.target, event.source) in keys
    return event.target is None and any(k[0] == event.source for k in keys)


def kind_of(event: GoldEvent, item: Proposed) -> str:
    """Why an event is (not) reached."""
    keys = {p.key for prop in item.proposals for p in prop.pairs}
    if _reaches(event, keys):
        sectors = {(party.code, party.actor.sector) for prop in item.proposals
                   for p in prop.pairs for party in (p.source, p.target) if party is not None}
        wanted = [(event.source, event.source_sector), (event.target, event.target_sector)]
        differs = any(code is not None and sector is not None and (code, sector) not in sectors
                      for code, sector in wanted)
        return "sector-differs" if differs else "reached"
    if not keys:
        return "no-pairs"
    codes = {party.code for prop in item.proposals for p in prop.pairs
             for party in (p.source, p.target) if party is not None}
    source_in = event.source in codes
    target_in = event.target is None or event.target in codes
    if not source_in and not target_in:
        return "both-missing"
    if not source_in:
        return "source-missing"
    if not target_in:
        return "target-missing"
    for prop in item.proposals:
        unit = {party.code for p in prop.pairs for party in (p.source, p.target)
                if party is not None}
        if event.source in unit and (event.target is None or event.target in unit):
            return "other"
    return "split"


def rows_of(proposed: Sequence[Proposed]) -> list[Row]:
    out: list[Row] = []
    for item in proposed:
        gold = item.gold
        parties = sorted({f"{party.code}/{party.actor.sector or '-'}:{party.actor.text}"
                          for prop in item.proposals for p in prop.pairs
                          for party in (p.source, p.target) if party is not None})
        for event in gold.events:
            out.append(Row(id=gold.sentence_id, fit=not held_out(gold.sentence_id, 0.1, SEED),
                           text=gold.text, context=gold.context, event=_describe(event),
                           kind=kind_of(event, item), parties=parties))
    return out


def report(rows: Sequence[Row]) -> None:
    for label, part in (("all", rows), ("fit", [r for r in rows if r["fit"]])):
        reached = sum(1 for r in part if r["kind"] in {"reached", "sector-differs"})
        total = len(part)
        share = reached / total if total else 0.0
        print(f"{label}: reached {reached}/{total} gold events ({share:.1%})")
    counts = Counter(r["kind"] for r in rows)
    unreached = sum(counts[k] for k in KINDS)
    print(f"unreached {unreached}:")
    for kind in KINDS:
        print(f"  {kind:15} {counts[kind]}")
    print(f"reached, a gold sector not among the parties (sector-differs): "
          f"{counts['sector-differs']}")


def show(rows: Sequence[Row], kind: str, limit: int, seed: int) -> None:
    chosen = [r for r in rows if r["kind"] == kind]
    random.Random(seed).shuffle(chosen)
    for row in chosen[:limit]:
        print(f"\n[{row['id']}] {row['event']}")
        if row["context"]:
            print(f"  context: {row['context'][:300]}")
        print(f"  text: {row['text']}")
        print(f"  parties: {'; '.join(row['parties']) or '(none)'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--annotations", default="annotations/train.jsonl")
    parser.add_argument("--save", default=None, help="Write the per-event rows (JSON).")
    parser.add_argument("--load", default=None,
                        help="Read rows written by --save instead of running the pipeline.")
    parser.add_argument("--show", choices=(*KINDS, "sector-differs"), default=None,
                        help="Print unreached events of this kind (training annotations only).")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0, help="Seed of the examples shown.")
    opts = parser.parse_args()
    source = opts.load or opts.annotations
    if opts.show and "train" not in Path(source).name:
        sys.exit("--show reads errors one by one: training annotations only")
    rows: list[Row]
    if opts.load:
        rows = json.loads(Path(opts.load).read_text(encoding="utf-8"))
    else:
        from foreshock.pipeline import load_context
        from foreshock.settings import load_settings

        ctx = load_context(load_settings(None, coder="rules"))
        rows = rows_of(propose(list(read_gold(Path(opts.annotations))), ctx))
        if opts.save:
            Path(opts.save).write_text(json.dumps(rows), encoding="utf-8")
    report(rows)
    if opts.show:
        show(rows, opts.show, opts.limit, opts.seed)


if __name__ == "__main__":
    main()
