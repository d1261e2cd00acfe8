"""Golden cases: one per modality and actor rule, each with its reason.

The sentences are written for these tests; the gold sets in ../shared are for measuring.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from foreshock.records import Event

CASES = [json.loads(line) for line in
         (Path(__file__).parent / "cases.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]


def _hit(event: Event, source: str, target: str | None, root: str, undirected: bool,
         modalities: frozenset[str] = frozenset({"asserted"})) -> bool:
    if event.root != root or event.modality.value not in modalities:
        return False
    if event.source == source and (target is None or event.target == target):
        return True
    return undirected and event.source == target and event.target == source


def _fits(event: Event, want: dict[str, Any]) -> bool:
    """Optional keys of an expected event: the sentence it comes from (0-based), its exact
    CAMEO code, its parties' sectors, its event date, and where it happened (place name and
    country)."""
    if "code" in want and event.code != want["code"]:
        return False
    if "source_sector" in want and event.source_sector != want["source_sector"]:
        return False
    if "target_sector" in want and event.target_sector != want["target_sector"]:
        return False
    if "sentence" in want and event.sentence_index != want["sentence"]:
        return False
    if "event_date" in want and str(event.event_date) != str(want["event_date"]):
        return False
    if "place" in want and event.place != want["place"]:
        return False
    return "place_country" not in want or event.place_country == want["place_country"]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_golden_case(case: dict[str, Any],
                     code_text: Callable[[str, str, str | None], list[Event]]) -> None:
    # an optional "url" names the outlet (a president's site speaks in its country's voice)
    events = code_text(str(case["text"]), str(case["date"]), case.get("url"))
    coded = [(e.sentence_index, e.source, e.target, e.code, e.modality.value,
              str(e.event_date or ""), e.place or "") for e in events]
    for want in case["expect"]:
        assert any(_hit(e, want["source"], want["target"], r, want.get("undirected", False))
                   and _fits(e, want)
                   for e in events for r in want["roots"]), f"{case['why']} -- coded {coded}"
    for bad in case["forbid"]:
        modalities = frozenset(bad.get("modalities", ["asserted"]))
        assert not any(_hit(e, bad["source"], bad["target"], bad["root"], False, modalities)
                       for e in events), f"{case['why']} -- coded {coded}"
    if not case["expect"] and case["id"] == "no-event":
        assert events == []
