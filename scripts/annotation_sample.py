#!/usr/bin/env python3
"""Draw the sentences of the annotated corpus (annotations/) from ../shared/data.

Seeded and deterministic: the same data and seed give the same pool byte for byte.  The
split into train and a frozen validation part is made here, *before* any annotation,
training or rule writing, by document (sentences of one document never straddle the
split), and the hash of the validation id list is written to annotations/SPLIT.txt.

The only filter is neutral and does not use the coder: a sentence of 8–70 words that holds
at least one capitalised word after its first (a proper-noun hint), so that transcripts do
not fill the pool with "Thank you." and "Q: Okay.".  Everything else is random.

    python scripts/annotation_sample.py --shared ../shared/data --out annotations/pool

Writes ``pool/batch-NN.jsonl`` (sentences to annotate, mixed sources, shuffled, train and
validation mixed so that annotators cannot tell them apart), ``pool/double.jsonl`` (the
seeded sample for the second, independent annotation) and ``pool/split.json``.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

SEED = 20261205
QUOTAS = {  # sentences per source; WCEP ≥ 40 % of the corpus
    "wcep": 1450,
    "wh": 620,
    "kremlin": 230,
    "zelenskyy": 230,
    "guardian": 390,
    "headlines": 400,
}
#: the second tranche (training side only); drawn after the first was annotated
TRANCHE2 = {"wcep": 1250, "wh": 560, "kremlin": 200, "zelenskyy": 200, "guardian": 300,
            "headlines": 350}
T2_BATCHES = 7
#: the third tranche (training side only, session 6): weighted to the wire items (WCEP), the
#: stream whose recall the early-warning suite found thinnest; drawn before any annotation
TRANCHE3 = {"wcep": 1300, "wh": 380, "kremlin": 120, "zelenskyy": 120, "guardian": 180,
            "headlines": 230}
T3_BATCHES = 6
#: the fourth tranche (training side only, session 6), drawn after the third was annotated
TRANCHE4 = {"wcep": 1700, "wh": 500, "kremlin": 170, "zelenskyy": 170, "guardian": 220,
            "headlines": 260}
T4_BATCHES = 6
N_DOUBLE_T34 = 150
#: the fifth tranche (training side only, session 6), drawn after the fourth was annotated
TRANCHE5 = {"wcep": 2300, "wh": 600, "kremlin": 220, "zelenskyy": 220, "guardian": 250,
            "headlines": 300}
T5_BATCHES = 7
#: the sixth tranche (training side only, session 7), drawn after the fifth was annotated
TRANCHE6 = {"wcep": 2400, "wh": 620, "kremlin": 230, "zelenskyy": 230, "guardian": 260,
            "headlines": 300}
T6_BATCHES = 6
N_DOUBLE_T6 = 150
VALIDATION_SHARE = 0.20
N_BATCHES = 8
N_DOUBLE = 330

_ABBREV = [
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Gov",
    "Sen", "Rep", "St", "Jr", "Sr", "Inc", "Ltd", "Co", "Corp", "No", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K", "U.N", "E.U",
    "vs", "Vol", "Fig", "Rev", "Hon",
]
_SPLIT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’.-]*")


@dataclass(frozen=True)
class Item:
    id: str
    corpus: str
    doc_id: str
    date: str
    text: str
    context: str | None
    url: str | None


def sentences(text: str, wrapped: bool = False) -> list[str]:
    """A plain splitter: sentence ends that are not a known abbreviation or an initial.

    ``wrapped``: the text is hard-wrapped (White House markdown), so a line break followed
    by a capital is no paragraph; paragraphs end at blank lines and before bullets only.
    """
    out: list[str] = []
    breaks = r"\n\s*\n|\n(?=\s*(?:[-*•]\s|Q[:.]?\s))" if wrapped else r"\n\s*\n|\n(?=[A-Z•\-*Q])"
    for para in re.split(breaks, text):
        para = " ".join(para.split())
        if not para:
            continue
        start = 0
        for m in _SPLIT.finditer(para):
            prev = para[start : m.start()].rstrip(".!?\"”’)").split()
            last = prev[-1] if prev else ""
            if last.rstrip(".") in _ABBREV or re.fullmatch(r"[A-Z]", last.rstrip(".")):
                continue
            out.append(para[start : m.start()].strip())
            start = m.end()
        out.append(para[start:].strip())
    return [s for s in out if s]


def acceptable(sentence: str) -> bool:
    words = _WORD.findall(sentence)
    if not 8 <= len(words) <= 70:
        return False
    return any(w[0].isupper() for w in words[1:])


def pick_sentences(
    rng: random.Random, corpus: str, doc_id: str, date: str, text: str, url: str | None, k: int,
    wrapped: bool = False,
) -> list[Item]:
    sents = sentences(text, wrapped)
    idx = [i for i, s in enumerate(sents) if acceptable(s)]
    rng.shuffle(idx)
    items = []
    for i in sorted(idx[:k]):
        items.append(
            Item(
                id=f"{corpus}-{hashlib.sha1(doc_id.encode()).hexdigest()[:10]}-s{i}",
                corpus=corpus,
                doc_id=doc_id,
                date=date,
                text=sents[i],
                context=sents[i - 1] if i > 0 else None,
                url=url,
            )
        )
    return items


def read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def sample_wcep(rng: random.Random, shared: Path, n: int) -> list[Item]:
    rows = list(read_jsonl(shared / "wcep" / "wcep_2010-2026.jsonl.gz"))
    by_year: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_year.setdefault(str(r["date"])[:4], []).append(r)
    years = sorted(by_year)
    per_year = -(-n // len(years))
    out: list[Item] = []
    for y in years:
        pool = by_year[y]
        # stratify by category inside the year so that every kind of event is drawn
        by_cat: dict[str, list[dict[str, object]]] = {}
        for r in pool:
            by_cat.setdefault(str(r.get("category") or "Uncategorized"), []).append(r)
        cats = sorted(by_cat)
        chosen: list[dict[str, object]] = []
        while len(chosen) < per_year and any(by_cat.values()):
            for c in cats:
                if by_cat[c] and len(chosen) < per_year:
                    chosen.append(by_cat[c].pop(rng.randrange(len(by_cat[c]))))
        for r in chosen:
            sents = sentences(str(r["text"]))
            i = rng.randrange(len(sents))
            out.append(
                Item(
                    id=f"{r['id']}-s{i}",
                    corpus="wcep",
                    doc_id=str(r["id"]),
                    date=str(r["date"]),
                    text=sents[i],
                    context=sents[i - 1] if i > 0 else None,
                    url=None,
                )
            )
    rng.shuffle(out)
    return out[:n]


def sample_wh(rng: random.Random, shared: Path, n: int, wrapped: bool = False) -> list[Item]:
    docs: list[dict[str, object]] = list(
        read_jsonl(shared / "wh_briefings" / "wh_briefings_2021-09_2022-03.jsonl")
    )
    for p in sorted((shared / "wh_briefings_more").glob("*.jsonl.gz")):
        docs.extend(read_jsonl(p))
    statements = [d for d in docs if "statements-releases" in str(d["id"])]
    others = [d for d in docs if "statements-releases" not in str(d["id"])]
    out: list[Item] = []
    # readouts and statements first (70 %), briefings, remarks and speeches for the rest
    for pool, quota in ((statements, int(n * 0.7)), (others, n - int(n * 0.7))):
        order = list(range(len(pool)))
        rng.shuffle(order)
        got: list[Item] = []
        for j in order:
            if len(got) >= quota:
                break
            d = pool[j]
            url = d.get("url") or d.get("source_url")
            got.extend(
                pick_sentences(rng, "wh", str(d["id"]), str(d["date"]), str(d["text"]),
                               str(url) if url else None, 2, wrapped)
            )
        out.extend(got[:quota])
    return out


def _csv_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def sample_press(rng: random.Random, shared: Path, which: str, n: int) -> list[Item]:
    name = "putin_kremlin_en.csv" if which == "kremlin" else "zelenskyy_president_gov_ua_en.csv"
    rows = _csv_rows(shared / "kremlin_zelenskyy_press" / name)
    rng.shuffle(rows)
    out: list[Item] = []
    for r in rows:
        if len(out) >= n:
            break
        body = r.get("body") or ""
        out.extend(pick_sentences(rng, which, r["link"], r["date"][:10], body, r["link"], 2))
    return out[:n]


def sample_guardian(rng: random.Random, shared: Path, n: int) -> list[Item]:
    rows = _csv_rows(shared / "ngec" / "Guardian_SDF_sample.csv")
    per_doc = -(-n // len(rows)) + 1
    rng.shuffle(rows)
    out: list[Item] = []
    for r in rows:
        doc_id = f"guardian-{r['']}"
        out.extend(pick_sentences(rng, "guardian", doc_id, r["date"], r["text"], None, per_doc))
    rng.shuffle(out)
    return out[:n]


def sample_headlines(rng: random.Random, shared: Path, n: int) -> list[Item]:
    rows = list(read_jsonl(shared / "fwd_news_headlines" / "headlines_2021-11-16_2022-02-12.jsonl"))
    world = [r for r in rows if r["category"] == "worldnews"]
    rest = [r for r in rows if r["category"] != "worldnews"]
    chosen = rng.sample(world, int(n * 0.75)) + rng.sample(rest, n - int(n * 0.75))
    out = []
    for r in chosen:
        link = str(r["link"])
        out.append(
            Item(
                id=f"headlines-{hashlib.sha1(link.encode()).hexdigest()[:10]}",
                corpus="headlines",
                doc_id=link,
                date=str(r["date_utc"])[:10],
                text=" ".join(str(r["title"]).split()),
                context=None,
                url=link,
            )
        )
    return out


def draw_tranche(seed: int, quotas: dict[str, int], shared: Path, seen: set[str]) -> list[Item]:
    """A later tranche: every source drawn with its own seed, training-side documents only
    (the frozen validation part never grows), less what was drawn before, shuffled."""
    rng = random.Random(seed)
    more: list[Item] = []
    more += sample_wcep(rng, shared, quotas["wcep"])
    more += sample_wh(rng, shared, quotas["wh"], wrapped=True)
    more += sample_press(rng, shared, "kremlin", quotas["kremlin"])
    more += sample_press(rng, shared, "zelenskyy", quotas["zelenskyy"])
    more += sample_guardian(rng, shared, quotas["guardian"])
    more += sample_headlines(rng, shared, quotas["headlines"])
    drawn = _unique([it for it in more if not in_validation(it.doc_id)], seen)
    rng.shuffle(drawn)
    return drawn


def in_validation(doc_id: str) -> bool:
    h = hashlib.sha256(f"{SEED}:{doc_id}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64 < VALIDATION_SHARE


def _write(path: Path, items: list[Item]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(asdict(it), ensure_ascii=False) + "\n")


def _unique(items: list[Item], seen: set[str]) -> list[Item]:
    """The same sentence twice (a repeated headline, boilerplate) once only."""
    out = []
    for it in items:
        key = it.text.lower()
        if key not in seen and it.id not in seen:
            seen.update((key, it.id))
            out.append(it)
    return out


def _tranche(args: argparse.Namespace, name: str, seed: int, quotas: dict[str, int],
             batches: int, seen: set[str], before: list[Item]) -> list[Item]:
    """Draw a tranche after ``before`` (whose texts and ids it may not repeat) and write its
    batches ``NAME-batch-NN.jsonl``."""
    seen.update(x for it in before for x in (it.text.lower(), it.id))
    drawn = draw_tranche(seed, quotas, args.shared, seen)
    for b in range(batches):
        _write(args.out / f"{name}-batch-{b + 1:02d}.jsonl", drawn[b::batches])
    return drawn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("annotations/pool"))
    args = ap.parse_args()
    # -- version 1, as first drawn and annotated (batch-NN.jsonl, double.jsonl) ------------
    rng = random.Random(SEED)
    items: list[Item] = []
    items += sample_wcep(rng, args.shared, QUOTAS["wcep"])
    items += sample_wh(rng, args.shared, QUOTAS["wh"])
    items += sample_press(rng, args.shared, "kremlin", QUOTAS["kremlin"])
    items += sample_press(rng, args.shared, "zelenskyy", QUOTAS["zelenskyy"])
    items += sample_guardian(rng, args.shared, QUOTAS["guardian"])
    items += sample_headlines(rng, args.shared, QUOTAS["headlines"])
    v1 = _unique(items, set())
    rng.shuffle(v1)
    args.out.mkdir(parents=True, exist_ok=True)
    for b in range(N_BATCHES):
        _write(args.out / f"batch-{b + 1:02d}.jsonl", v1[b::N_BATCHES])
    double = rng.sample(v1, N_DOUBLE)
    _write(args.out / "double.jsonl", double)
    # -- version 2: White House sentences re-drawn -------------------------------------------
    # Version 1 split White House texts with a splitter that cut hard-wrapped lines (201 of
    # 610 sentences were fragments).  Its White House sentences are dropped from the corpus
    # and replaced by a draw of their own (seed + 1) with the line-joining splitter; the other
    # sources' draws, and their annotations, stay as they were.
    kept = [it for it in v1 if it.corpus != "wh"]
    seen: set[str] = set()
    for it in kept:
        seen.update((it.text.lower(), it.id))
    wh2 = _unique(sample_wh(random.Random(SEED + 1), args.shared, QUOTAS["wh"], wrapped=True),
                  seen)
    random.Random(SEED + 2).shuffle(wh2)
    for b in range(2):
        _write(args.out / f"wh2-batch-{b + 1:02d}.jsonl", wh2[b::2])
    n_wh_double = sum(1 for it in double if it.corpus == "wh")
    _write(args.out / "double-wh2.jsonl", random.Random(SEED + 3).sample(wh2, n_wh_double))
    # -- tranches 2-6: more training sentences (never validation) -----------------------------
    # Each a draw with its own seed, from documents on the training side of the split only,
    # so that the frozen validation part stays exactly as it was; each drawn after the one
    # before it was annotated (2: seed + 10; 3: + 20; 4: + 30; 5: + 50; 6: + 60, session 7).
    t2 = _tranche(args, "t2", SEED + 10, TRANCHE2, T2_BATCHES, seen, wh2)
    t3 = _tranche(args, "t3", SEED + 20, TRANCHE3, T3_BATCHES, seen, t2)
    t4 = _tranche(args, "t4", SEED + 30, TRANCHE4, T4_BATCHES, seen, t3)
    # a seeded sample of the two session-6 tranches for a second, independent annotation
    _write(args.out / "double-t34.jsonl", random.Random(SEED + 40).sample(t3 + t4, N_DOUBLE_T34))
    t5 = _tranche(args, "t5", SEED + 50, TRANCHE5, T5_BATCHES, seen, t4)
    t6 = _tranche(args, "t6", SEED + 60, TRANCHE6, T6_BATCHES, seen, t5)
    # its own seeded sample for a second, independent annotation (agreement per session)
    _write(args.out / "double-t6.jsonl", random.Random(SEED + 70).sample(t6, N_DOUBLE_T6))
    final = kept + wh2 + t2 + t3 + t4 + t5 + t6
    val_ids = sorted(it.id for it in final if in_validation(it.doc_id))
    digest = hashlib.sha256("\n".join(val_ids).encode()).hexdigest()
    split = {
        "seed": SEED,
        "validation_share": VALIDATION_SHARE,
        "sentences": len(final),
        "validation": len(val_ids),
        "validation_ids_sha256": digest,
        "validation_ids": val_ids,
    }
    (args.out / "split.json").write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    by_corpus: dict[str, int] = {}
    for it in final:
        by_corpus[it.corpus] = by_corpus.get(it.corpus, 0) + 1
    print(f"{len(final)} sentences {by_corpus}; validation {len(val_ids)} sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
