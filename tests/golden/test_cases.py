"""Golden cases: one per modality and actor rule, each with its reason.

The sentences are written for these tests; the gold sets in ../shared are for measuring.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from foreshock.records import Event, Modality

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _hit(event: Event, source: str, target: str | None, root: str, undirected: bool) -> bool:
    if event.root != root or event.modality is not Modality.ASSERTED:
        return False
    if event.source == source and (target is None or event.target == target):
        return True
    return undirected and event.source == target and event.target == source


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(case: dict[str, object],
                     code_text: Callable[[str, str], list[Event]]) -> None:
    events = code_text(str(case["text"]), str(case["date"]))
    coded = [(e.source, e.target, e.code, e.modality.value) for e in events]
    for want in case["expect"]:  # type: ignore[attr-defined]
        assert any(_hit(e, want["source"], want["target"], r, want.get("undirected", False))
                   for e in events for r in want["roots"]), f"{case['why']} -- coded {coded}"
    for bad in case["forbid"]:  # type: ignore[attr-defined]
        assert not any(_hit(e, bad["source"], bad["target"], bad["root"], False)
                       for e in events), f"{case['why']} -- coded {coded}"
    if not case["expect"] and case["id"] == "no-event":
        assert events == []
