"""How much a coder leans on which countries a sentence names: the same annotated sentences
with their countries swapped for others, the annotation's codes swapped with them.

    python bench/name_swap.py annotations/validation.jsonl --out DIR [--seed 7]
    foreshock --coder hybrid eval DIR/original.jsonl --show none
    foreshock --coder hybrid eval DIR/swapped.jsonl --show none

A sentence is kept (in both files) when at least one country its annotation codes is named
in its text by a name, adjective, demonym, short form or capital (``actors/countries.tsv``),
and no other alias of that country's (a seat, a person, a group, a place) is in the text or
its context, which would still point to the old country. Each such country becomes another
(same kinds of alias available, never one the sentence names), in text, context, events and
traps. A coder that reads acts scores the same on both files; one that learned which
countries do what loses on the swapped one. Written for session 19 (BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from foreshock.ontology.tsv import data_path, read_tsv
from foreshock.train.augment import KINDS, bundled_names, stand_in, stand_ins


def _other_aliases() -> dict[str, set[str]]:
    """Every alias of each country that a swap of its names would leave behind."""
    out: dict[str, set[str]] = defaultdict(set)
    for r in read_tsv(data_path("actors", "countries.tsv"), ("code", "alias", "kind")):
        if r.get("kind") not in KINDS:
            out[r.get("code")].add(r.get("alias"))
    for r in read_tsv(data_path("actors", "people.tsv"), ("code", "name")):
        out[r.get("code")].update([r.get("name"), *filter(None, (r.get("aliases") or "")
                                                          .split("|"))])
    for r in read_tsv(data_path("actors", "groups.tsv"), ("code", "alias")):
        out[r.get("code")].add(r.get("alias"))
    for r in read_tsv(data_path("actors", "places.tsv"), ("code", "alias")):
        out[r.get("code")].add(r.get("alias"))
    return out


def _present(alias: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(alias) + r"(?!\w)", text) is not None


def swap_record(record: dict[str, Any], rng: random.Random,
                others: dict[str, set[str]]) -> dict[str, Any] | None:
    table = bundled_names()
    text, context = record["text"], record.get("context") or ""
    found = list(table.pattern.finditer(text)) + list(table.pattern.finditer(context))
    named = {table.alias[m.group()][0] for m in found}
    coded = {e.get(k) for e in record["events"] + record["traps"] for k in ("source", "target")}
    candidates = sorted(c for c in named & coded
                        if not any(_present(a, text) or _present(a, context)
                                   for a in others.get(c, ())))
    if not candidates:
        return None
    kinds: dict[str, set[str]] = defaultdict(set)
    for m in found:
        code, kind = table.alias[m.group()]
        kinds[code].add(kind)
    new = stand_ins(candidates, kinds, named | coded, rng, table)
    if not new:
        return None

    def swap(s: str) -> str:
        def one(m: re.Match[str]) -> str:
            code, kind = table.alias[m.group()]
            return stand_in(m, table.first[new[code]][kind], s) if code in new else m.group()
        return table.pattern.sub(one, s)

    def recode(item: dict[str, Any]) -> dict[str, Any]:
        return {k: (new.get(v, v) if k in ("source", "target") else v) for k, v in item.items()}

    return {**record, "id": record["id"] + "~swap", "text": swap(text),
            "context": swap(context) if record.get("context") else record.get("context"),
            "events": [recode(e) for e in record["events"]],
            "traps": [recode(t) for t in record["traps"]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    others = _other_aliases()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    kept = total = 0
    with (out / "original.jsonl").open("w", encoding="utf-8") as orig, \
            (out / "swapped.jsonl").open("w", encoding="utf-8") as swapped:
        for line in Path(args.gold).read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            total += 1
            changed = swap_record(record, rng, others)
            if changed is None:
                continue
            kept += 1
            orig.write(json.dumps(record, ensure_ascii=False) + "\n")
            swapped.write(json.dumps(changed, ensure_ascii=False) + "\n")
    print(f"{kept} of {total} sentences have a coded country that could be swapped; "
          f"wrote {out}/original.jsonl and {out}/swapped.jsonl")


if __name__ == "__main__":
    main()
