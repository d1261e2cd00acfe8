#!/usr/bin/env python3
"""Assemble annotations/train.jsonl and annotations/validation.jsonl from the annotators' work.

    python scripts/annotation_merge.py

Reads the first annotation of every sentence (``annotations/work/batch-*.jsonl`` less their
version-1 White House sentences, which the sampler replaced, and
``annotations/work/wh2-batch-*.jsonl``, and the later tranches ``t2-batch-*.jsonl``,
``t3-batch-*.jsonl`` … ``t6-batch-*.jsonl``, training side only), the adjudicated records of
the doubly annotated sample where present (``adjudicated*.jsonl``; they replace the first
annotation of those ids), the second annotations (``double-b.jsonl``, ``double-wh2-b.jsonl``)
and the split fixed by the sampler (``annotations/pool/split.json``).  A record counts only
where its id and text are the ones drawn.  Writes the two parts in pool order, the first
annotation of the double sample as ``annotations/agreement/double-a.jsonl`` and the second
as ``double-b.jsonl`` (the third and fourth tranches' sample, ``work/double-t34-b.jsonl``,
as ``double-t34-a.jsonl`` and ``double-t34-b.jsonl``; the sixth's, ``work/double-t6-b.jsonl``,
likewise; where ``work/adjudicated-t34.jsonl`` / ``adjudicated-t6.jsonl`` exist, the adjudicated
sample as ``adjudicated-t34.jsonl`` / ``adjudicated-t6.jsonl``), and prints counts and the
validation file's sha256.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANN = ROOT / "annotations"
LICENCES = {
    "wcep": "CC BY-SA 4.0 (Wikipedia contributors, Portal:Current events)",
    "wh": "public domain (U.S. government work; corpus CC0)",
    "kremlin": "en.kremlin.ru (CC BY 4.0 as far as known, not verified)",
    "zelenskyy": "president.gov.ua (CC BY 4.0 as far as known, not verified)",
    "guardian": "© Guardian News & Media (short quotation for research)",
    "headlines": "headline of the linked article (short quotation for research)",
}
FIELDS = ("id", "date", "text", "context", "events", "traps", "corpus", "doc_id", "url")


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _clean(rec: dict[str, object]) -> dict[str, object]:
    out = {k: rec.get(k) for k in FIELDS}
    out["license"] = LICENCES[str(rec["corpus"])]
    return out


def main() -> int:
    split = json.loads((ANN / "pool" / "split.json").read_text(encoding="utf-8"))
    validation = set(split["validation_ids"])
    first: dict[str, dict[str, object]] = {}
    order: list[str] = []
    pools = [*sorted((ANN / "pool").glob("batch-*.jsonl")),
             *sorted((ANN / "pool").glob("wh2-batch-*.jsonl")),
             *sorted((ANN / "pool").glob("t2-batch-*.jsonl")),
             *sorted((ANN / "pool").glob("t3-batch-*.jsonl")),
             *sorted((ANN / "pool").glob("t4-batch-*.jsonl")),
             *sorted((ANN / "pool").glob("t5-batch-*.jsonl")),
             *sorted((ANN / "pool").glob("t6-batch-*.jsonl"))]
    drawn: dict[Path, dict[str, str]] = {}
    for path in pools:
        drawn[path] = {str(r["id"]): str(r["text"]) for r in _read(path)
                       if r["corpus"] != "wh" or not path.name.startswith("batch-")}
        order += list(drawn[path])
    text_of = {rid: text for d in drawn.values() for rid, text in d.items()}
    for path in pools:
        work = ANN / "work" / path.name
        if work.exists():
            # a record counts for its own pool file only, and only with the text drawn: a
            # dropped version-1 White House sentence can share its id (document and sentence
            # number) with a later draw of a different text from the re-split document
            first.update((str(r["id"]), r) for r in _read(work)
                         if drawn[path].get(str(r["id"])) == r["text"])
    missing = [i for i in order if i not in first]
    final = dict(first)
    ruled: dict[str, str] = {}  # id -> the adjudication file that decided it
    for path in sorted((ANN / "work").glob("adjudicated*.jsonl")):
        for r in _read(path):
            # two rulings on one sentence would let the file sorted last win silently
            assert str(r["id"]) not in ruled, f"{r['id']} in {ruled.get(str(r['id']))} and {path}"
            ruled[str(r["id"])] = path.name
        final.update((str(r["id"]), r) for r in _read(path)
                     if text_of.get(str(r["id"])) == r["text"])
    double_b = {}
    for name in ("double-b.jsonl", "double-wh2-b.jsonl"):
        if (ANN / "work" / name).exists():
            double_b.update((str(r["id"]), r) for r in _read(ANN / "work" / name)
                            if text_of.get(str(r["id"])) == r["text"])
    agreement = ANN / "agreement"
    agreement.mkdir(exist_ok=True)
    with (agreement / "double-a.jsonl").open("w", encoding="utf-8") as fa, \
            (agreement / "double-b.jsonl").open("w", encoding="utf-8") as fb:
        for rid in sorted(double_b):
            if rid in first:
                fa.write(json.dumps(_clean(first[rid]), ensure_ascii=False) + "\n")
                fb.write(json.dumps(_clean(double_b[rid]), ensure_ascii=False) + "\n")
    # the later tranches' own double samples (session 6: t34, session 7: t6), scored apart
    for tag in ("t34", "t6"):
        second = ANN / "work" / f"double-{tag}-b.jsonl"
        if not second.exists():
            continue
        b_recs = [r for r in _read(second) if text_of.get(str(r["id"])) == r["text"]]
        with (agreement / f"double-{tag}-a.jsonl").open("w", encoding="utf-8") as fa, \
                (agreement / f"double-{tag}-b.jsonl").open("w", encoding="utf-8") as fb:
            for rec in sorted(b_recs, key=lambda r: str(r["id"])):
                if str(rec["id"]) in first:
                    fa.write(json.dumps(_clean(first[str(rec["id"])]), ensure_ascii=False) + "\n")
                    fb.write(json.dumps(_clean(rec), ensure_ascii=False) + "\n")
        # session 8 adjudicated both samples (work/adjudicated-<tag>.jsonl): the sample as it
        # now stands in the corpus, the first annotation where the two agreed
        if (ANN / "work" / f"adjudicated-{tag}.jsonl").exists():
            with (agreement / f"adjudicated-{tag}.jsonl").open("w", encoding="utf-8") as fj:
                for rec in sorted(b_recs, key=lambda r: str(r["id"])):
                    if str(rec["id"]) in final:
                        fj.write(json.dumps(_clean(final[str(rec["id"])]), ensure_ascii=False)
                                 + "\n")
    counts = {"train": 0, "validation": 0}
    for part in ("train", "validation"):
        with (ANN / f"{part}.jsonl").open("w", encoding="utf-8") as fh:
            for rid in order:
                if rid in final and (rid in validation) == (part == "validation"):
                    fh.write(json.dumps(_clean(final[rid]), ensure_ascii=False) + "\n")
                    counts[part] += 1
    digest = hashlib.sha256((ANN / "validation.jsonl").read_bytes()).hexdigest()
    print(f"train {counts['train']}, validation {counts['validation']} "
          f"(sha256 {digest}); {len(missing)} pool sentences not annotated yet")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
