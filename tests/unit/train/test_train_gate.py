"""Fitting the encoder gate and choosing its threshold (``train/gate.py``)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from foreshock.errors import SettingsError
from foreshock.extract.learned.classifier import default_model_dir, model_version
from foreshock.extract.learned.gate import GATE_FILE, GateInput, load_gate
from foreshock.pipeline import Context
from foreshock.train.gate import GateConfig, choose_threshold, fit_gate, train_gate

REPO = Path(__file__).resolve().parents[3]

CUE = 11  # the lemma bin that marks an event in the synthetic sentences


def _sentences(n: int, seed: int = 3) -> tuple[list[GateInput], np.ndarray]:
    rng = np.random.default_rng(seed)
    items, positive = [], []
    for _ in range(n):
        event = rng.random() < 0.2
        lemmas = set(rng.choice(np.arange(100, 400), size=8, replace=False).tolist())
        if event:
            lemmas.add(CUE)
        dense = rng.normal(size=5).astype(np.float32)
        items.append(GateInput(dense, np.array(sorted(lemmas), dtype=np.int64)))
        positive.append(event)
    return items, np.array(positive)


def test_the_gate_learns_the_word_that_marks_an_event() -> None:
    items, positive = _sentences(600)
    gate = fit_gate(items, positive, GateConfig(steps=300))
    scores = np.array([gate.score(i) for i in items])
    # every sentence with the cue scores above every sentence without it
    assert scores[positive].min() > scores[~positive].max()
    assert gate.w_lemma[CUE] == gate.w_lemma.max()


def test_the_threshold_keeps_the_asked_share_of_added_events() -> None:
    items, positive = _sentences(600)
    gate = fit_gate(items, positive, GateConfig(steps=300))
    added = positive.astype(np.int64)
    threshold = choose_threshold(gate, items, added, keep=0.99)
    read = np.array([gate.score(i) >= threshold for i in items])
    assert read[positive].mean() >= 0.99
    assert read.mean() < 0.5  # and it still leaves most sentences unread


def test_a_gate_needs_both_kinds_of_sentence() -> None:
    items, positive = _sentences(50)
    with pytest.raises(SettingsError, match="both kinds"):
        fit_gate(items, np.zeros(len(items), dtype=bool), GateConfig(steps=5))
    gate = fit_gate(items, positive, GateConfig(steps=5))
    with pytest.raises(SettingsError, match="no sentence"):
        choose_threshold(gate, items, np.zeros(len(items), dtype=np.int64), keep=0.99)


def test_gate_only_writes_a_gate_the_coder_loads_and_keeps_the_weights(
        tmp_path: Path, ctx: Context) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / GATE_FILE).unlink(missing_ok=True)
    weights = hashlib.sha256((model / "encoder.onnx").read_bytes()).hexdigest()
    before = model_version(model)
    lines = (REPO / "annotations" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    annotations = tmp_path / "train.jsonl"
    annotations.write_text("\n".join(lines[:400]) + "\n", encoding="utf-8")
    news = tmp_path / "news.jsonl"
    texts = [json.loads(line)["text"] for line in lines[400:440]]
    news.write_text("".join(json.dumps({"id": f"n{i}", "date": "2022-02-01", "text": t}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    # a validation sentence is left out of what the gate learns from, even inside a corpus
    validation = tmp_path / "validation.jsonl"
    validation.write_text(lines[405] + "\n", encoding="utf-8")  # names Turkey and the US
    # an old gate of another layout is replaced, not read (it would refuse to load)
    np.savez(model / GATE_FILE, layout=np.array("gate.v0"))
    meta = train_gate(model, annotations, [news], validation, ctx,
                      GateConfig(words=100_000, steps=50), log=lambda _line: None)
    gate = load_gate(model)
    assert gate is not None
    record = json.loads((model / "meta.json").read_text(encoding="utf-8"))["gate"]
    assert record == meta["gate"]
    # as recorded it runs: --out is required with --gate-only
    assert record["command"].startswith(f"foreshock train --gate-only --out {model} "
                                        "--annotations ")
    assert f"--corpus {news}" in record["command"]
    assert record["sources"][1] == f"{news} (40 documents)"
    assert record["validation_sentences_left_out"] == 1
    assert hashlib.sha256((model / "encoder.onnx").read_bytes()).hexdigest() == weights
    assert model_version(model) != before
