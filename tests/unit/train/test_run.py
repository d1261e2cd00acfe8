"""Choosing the hybrid's decision policy again for a trained model (``--policy-only``)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from foreshock.errors import SettingsError
from foreshock.extract.learned.classifier import default_model_dir
from foreshock.extract.learned.gate import GATE_FILE
from foreshock.pipeline import Context
from foreshock.train.policy import THRESHOLDS
from foreshock.train.run import _gate_command, rechoose_policy

REPO = Path(__file__).resolve().parents[3]


def test_policy_only_rewrites_the_policy_and_keeps_the_weights(tmp_path: Path,
                                                               ctx: Context) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    weights = hashlib.sha256((model / "encoder.onnx").read_bytes()).hexdigest()
    # 200 training sentences: their held-out tenth (by id, the model's seed) is about 20
    lines = (REPO / "annotations" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    annotations = tmp_path / "train.jsonl"
    annotations.write_text("\n".join(lines[:200]) + "\n", encoding="utf-8")
    notes: list[str] = []
    with pytest.raises(SettingsError, match="E010 --seed 7"):
        rechoose_policy(annotations, model, ctx, seed=7)  # its tenth would be training data
    meta = rechoose_policy(annotations, model, ctx, log=notes.append)  # the model's seed
    stored = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert stored["policy"] == meta["policy"]
    assert stored["policy"]["adds"] in ("any", "quiet")
    # both places to add, each threshold, with and without the modality downgrade
    assert len(stored["policy_grid"]) == 2 * len(THRESHOLDS) * 2
    assert isinstance(stored["policy"]["downgrade"], bool)
    # the chosen policy is the grid's best F1 less trap rate, whose distance from itself is 0;
    # every other row says how far it is in standard errors of the held-out tenth
    rows = stored["policy_grid"]
    chosen = [r for r in rows if all(r[k] == stored["policy"][k] for k in stored["policy"])]
    assert len(chosen) == 1 and chosen[0]["spread"] == 0.0
    best = max(round(r["f1"] - r["trap_rate"], 4) for r in rows)
    assert round(chosen[0]["f1"] - chosen[0]["trap_rate"], 4) == pytest.approx(best, abs=1e-4)
    assert all(r["spread"] >= 0.0 for r in rows) and stored["policy_rule"].startswith("best")
    assert stored["policy_command"].startswith("foreshock train --policy-only")
    assert hashlib.sha256((model / "encoder.onnx").read_bytes()).hexdigest() == weights
    # a file other than the training data is said to be one
    assert any("not the file the model was trained on" in n for n in notes)


def test_policy_only_removes_a_gate_calibrated_under_the_old_policy(tmp_path: Path,
                                                                    ctx: Context) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / GATE_FILE).write_bytes(b"stale")
    meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
    meta["gate"] = {"threshold": 0.0}
    (model / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    lines = (REPO / "annotations" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    annotations = tmp_path / "train.jsonl"
    annotations.write_text("\n".join(lines[:100]) + "\n", encoding="utf-8")
    notes: list[str] = []
    rechoose_policy(annotations, model, ctx, log=notes.append)
    assert not (model / GATE_FILE).exists()
    assert "gate" not in json.loads((model / "meta.json").read_text(encoding="utf-8"))
    assert any("removed the encoder gate" in n for n in notes)


def test_retraining_a_gated_model_names_the_command_of_its_gate(tmp_path: Path) -> None:
    # a full training or --policy-only into the bundled (gated) model removes the gate, and
    # says how to train it again: with the command its meta.json recorded
    model = tmp_path / "model"
    model.mkdir()
    (model / "meta.json").write_text(json.dumps({"gate": {"command": "foreshock train "
                                                          "--gate-only --out M --corpus F"}}),
                                     encoding="utf-8")
    assert _gate_command(model) is None  # no gate.npz: nothing is removed
    (model / GATE_FILE).write_bytes(b"gate")
    assert _gate_command(model) == "foreshock train --gate-only --out M --corpus F"
    (model / "meta.json").write_text("{}", encoding="utf-8")  # a gate with no record
    assert _gate_command(model) == f"foreshock train --gate-only --out {model} --corpus FILE ..."
