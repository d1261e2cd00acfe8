"""scripts/annotation_merge.py: which annotation of a sentence goes into the corpus."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _item(rid: str, corpus: str, text: str) -> dict[str, object]:
    return {"id": rid, "corpus": corpus, "doc_id": "d", "date": "2024-01-01", "text": text,
            "context": None, "url": None}


def _annotated(item: dict[str, object], code: str) -> dict[str, object]:
    return {**item, "events": [{"source": "USA", "target": "MEX", "codes": [code]}],
            "traps": []}


@pytest.fixture
def merge(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
          script: Callable[[str], ModuleType]) -> ModuleType:
    module = script("scripts/annotation_merge.py")
    monkeypatch.setattr(module, "ANN", tmp_path)
    (tmp_path / "pool").mkdir()
    (tmp_path / "pool" / "split.json").write_text(json.dumps({"validation_ids": []}))
    return module


def _train(root: Path) -> dict[str, dict[str, object]]:
    lines = (root / "train.jsonl").read_text(encoding="utf-8").splitlines()
    return {str(r["id"]): r for r in map(json.loads, lines)}


def test_a_reused_id_takes_the_annotation_of_its_own_text(merge: ModuleType,
                                                           tmp_path: Path) -> None:
    # a dropped version-1 White House sentence and a later draw of another sentence of the
    # same document share the id (document hash and sentence number); the old annotation
    # must not stand for the new text
    old = _item("wh-1-s3", "wh", "The President met the Mexican president.")
    new = _item("wh-1-s3", "wh", "The President called the Mexican president.")
    _write(tmp_path / "pool" / "batch-01.jsonl", [old])
    _write(tmp_path / "work" / "batch-01.jsonl", [_annotated(old, "042")])
    _write(tmp_path / "pool" / "t3-batch-01.jsonl", [new])
    assert merge.main() == 0
    assert "wh-1-s3" not in _train(tmp_path)  # the new text is not annotated yet
    _write(tmp_path / "work" / "t3-batch-01.jsonl", [_annotated(new, "040")])
    assert merge.main() == 0
    record = _train(tmp_path)["wh-1-s3"]
    assert record["text"] == new["text"]
    assert record["events"] == [{"source": "USA", "target": "MEX", "codes": ["040"]}]


def test_a_record_with_a_changed_text_is_not_taken(merge: ModuleType, tmp_path: Path) -> None:
    item = _item("wcep-1-s0", "wcep", "Mexico and the United States sign a border accord.")
    _write(tmp_path / "pool" / "t4-batch-01.jsonl", [item])
    edited = {**_annotated(item, "057"), "text": "Mexico signs an accord."}
    _write(tmp_path / "work" / "t4-batch-01.jsonl", [edited])
    assert merge.main() == 0
    assert _train(tmp_path) == {}
