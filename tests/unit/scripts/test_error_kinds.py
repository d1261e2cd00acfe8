"""bench/error_kinds.py sorts missed and false events into kinds; every sentence here is
invented for the test."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _gold(sid: str, *events: tuple[str, str | None, str]) -> dict[str, object]:
    return {"id": sid, "text": "x", "events": [
        {"source": s, "target": t, "codes": [c]} for s, t, c in events], "traps": []}


def _pred(sid: str, *events: tuple[str, str | None, str, str]) -> dict[str, object]:
    return {"id": sid, "events": [
        {"source": s, "target": t, "code": c, "modality": m} for s, t, c, m in events]}


def test_each_kind_of_miss_and_false_event_is_counted(
        tmp_path: Path, script: Callable[[str], ModuleType]) -> None:
    gold = _write(tmp_path / "gold.jsonl", [
        _gold("a", ("PER", "CHL", "040")),  # matched the other way round (a meeting)
        _gold("b", ("PER", "CHL", "112")),  # same actors, another root
        _gold("c", ("PER", "CHL", "190")),  # the root between other actors
        _gold("d", ("PER", "CHL", "057")),  # only a hypothetical predicted: nothing asserted
        _gold("e"),  # no gold event
    ])
    pred = _write(tmp_path / "pred.jsonl", [
        _pred("a", ("CHL", "PER", "043", "asserted")),
        _pred("b", ("CHL", "PER", "130", "asserted")),
        _pred("c", ("BOL", "CHL", "190", "asserted")),
        _pred("d", ("PER", "CHL", "057", "hypothetical")),
        _pred("e", ("PER", None, "010", "asserted")),
    ])
    out = script("bench/error_kinds.py").kinds(gold, pred)
    assert out["matched"]["events"] == 1
    assert out["missed"] == {"the same actors, another root": 1,
                             "the gold root, other actors": 1,
                             "nothing asserted in the sentence": 1}
    assert out["false"] == {"the gold actors, another root": 1,
                            "a gold root, other actors": 1,
                            "a sentence with no gold event": 1}
    assert out["missed_root"] == {"11": 1, "19": 1, "05": 1}


def test_patterns_are_tallied_and_a_meeting_counts_once(
        tmp_path: Path, script: Callable[[str], ModuleType]) -> None:
    gold = _write(tmp_path / "gold.jsonl", [
        _gold("a", ("PER", "CHL", "040")),
        _gold("b", ("PER", "CHL", "112")),
        _gold("c"),
    ])
    rows: list[dict[str, object]] = [
        # a meeting coded both ways is one prediction, as the scorer counts it
        {"id": "a", "events": [
            {"source": "PER", "target": "CHL", "code": "040", "modality": "asserted",
             "pattern": "v.meet.with"},
            {"source": "CHL", "target": "PER", "code": "040", "modality": "asserted",
             "pattern": "v.meet.with"}]},
        {"id": "b", "events": [
            {"source": "PER", "target": "CHL", "code": "112", "modality": "asserted",
             "pattern": "v.accuse:reported"},
            {"source": "PER", "target": "CHL", "code": "040", "modality": "asserted",
             "pattern": "v.meet.with"}]},
        {"id": "c", "events": [
            {"source": "PER", "target": None, "code": "010", "modality": "asserted",
             "pattern": "model:minilm:0.91"}]},
    ]
    pred = _write(tmp_path / "pred.jsonl", rows)
    out = script("bench/error_kinds.py").kinds(gold, pred)
    assert out["matched"]["events"] == 2
    assert out["by_pattern"] == {"v.meet.with": 2, "v.accuse": 1, "model": 1}
    assert out["right_by_pattern"] == {"v.meet.with": 1, "v.accuse": 1}
    assert out["false:v.meet.with"] == {"the gold actors, another root": 1}
    assert out["false:model"] == {"a sentence with no gold event": 1}
