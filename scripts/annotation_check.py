#!/usr/bin/env python3
"""Check an annotation file against its pool batch and the guide's vocabularies.

    python scripts/annotation_check.py annotations/pool/batch-01.jsonl \
        annotations/work/batch-01.jsonl

Reports, with the line number: ids missing, doubled or not in the pool, text changed,
unknown CAMEO codes, actor codes that are neither ISO 3166-1 alpha-3 (as in
src/foreshock/data/actors/countries.tsv) nor one of the guide's organisation codes, unknown
sectors, malformed traps.  Exit 1 when anything is wrong.  It reads annotations only: it
never runs the coder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "foreshock" / "data"
ORGS = {"NATO", "EU", "UN", "OSCE", "AU", "ASEAN", "GCC", "ARL", "IAEA", "ICC", "WHO", "IMF",
        "WB", "OPEC", "CSTO", "SCO", "G7", "G20", "ECOWAS"}
SECTORS = {"GOV", "MIL", "REB", "OPP", "CVL", "MED", "BUS", "JUD", "LEG", "COP", "IGO"}


def _codes() -> set[str]:
    out = set()
    for line in (DATA / "cameo" / "codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#"):
            out.add(line.split("\t")[0])
    return out


def _countries() -> set[str]:
    out = set()
    for line in (DATA / "actors" / "countries.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        if line and not line.startswith("#"):
            out.add(line.split("\t")[0])
    return out


def check(pool_path: Path, work_path: Path) -> list[str]:
    codes, actors = _codes(), _countries() | ORGS
    pool = {}
    for line in pool_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        pool[rec["id"]] = rec
    problems: list[str] = []
    seen: set[str] = set()
    for n, line in enumerate(work_path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{work_path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON ({exc.msg})")
            continue
        rid = rec.get("id")
        if rid not in pool:
            problems.append(f"{where}: id {rid!r} is not in {pool_path.name}")
            continue
        if rid in seen:
            problems.append(f"{where}: id {rid!r} twice")
        seen.add(rid)
        if rec.get("text") != pool[rid]["text"]:
            problems.append(f"{where}: text differs from the pool")
        for key in ("events", "traps"):
            if not isinstance(rec.get(key), list):
                problems.append(f"{where}: {key!r} must be a list")
        for ev in rec.get("events") or []:
            for side in ("source", "target"):
                val = ev.get(side)
                if val is None and side == "target":
                    continue
                if val not in actors:
                    problems.append(f"{where}: {side} {val!r} is not an actor code")
                sec = ev.get(f"{side}_sector")
                if sec is not None and sec not in SECTORS:
                    problems.append(f"{where}: {side}_sector {sec!r} unknown")
            cs = ev.get("codes")
            if not isinstance(cs, list) or not cs:
                problems.append(f"{where}: codes must be a non-empty list")
            else:
                for c in cs:
                    if c not in codes:
                        problems.append(f"{where}: code {c!r} is not a CAMEO code")
        for tr in rec.get("traps") or []:
            if tr.get("source") not in actors:
                problems.append(f"{where}: trap source {tr.get('source')!r} is not an actor code")
            if tr.get("target") is not None and tr.get("target") not in actors:
                problems.append(f"{where}: trap target {tr.get('target')!r} is not an actor code")
            root = str(tr.get("root", ""))
            if len(root) != 2 or root not in codes:
                problems.append(f"{where}: trap root {root!r} must be a 2-digit CAMEO root")
    missing = sorted(set(pool) - seen)
    if missing:
        problems.append(f"{len(missing)} pool ids not yet annotated (first: {missing[0]})")
    return problems


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(Path(sys.argv[1]), Path(sys.argv[2]))
    for p in problems:
        print(p)
    print("ok" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
