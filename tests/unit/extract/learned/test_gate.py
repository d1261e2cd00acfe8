"""The encoder gate: its features, its file, and what it does to the model's version."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from foreshock.errors import SettingsError
from foreshock.extract.learned.classifier import default_model_dir, model_version
from foreshock.extract.learned.gate import (
    COUNTS,
    GATE_FILE,
    LEMMA_BINS,
    EncoderGate,
    gate_input,
    load_gate,
)
from foreshock.pipeline import Context


def _gate(width: int, threshold: float = 0.0, lemma_weight: float = 0.0) -> EncoderGate:
    w_lemma = np.zeros(LEMMA_BINS, dtype=np.float32)
    w_lemma[2675] = lemma_weight  # the bin of "attack"
    return EncoderGate(np.zeros(width, np.float32), np.ones(width, np.float32),
                       np.zeros(width, np.float32), w_lemma, -1.0, threshold)


def test_the_lemma_bins_are_spacys_stable_hash(ctx: Context) -> None:
    # a gate trained on one machine reads the same bins on another: spaCy's lemma hash is
    # a MurmurHash of the string, not Python's per-process salted hash()
    doc = ctx.nlp("Russia will attack Ukraine.")
    item = gate_input(doc, 1, 1, False)
    assert 2675 in item.lemmas.tolist()
    assert item.lemmas.tolist() == sorted(set(item.lemmas.tolist()))
    width = doc.tensor.shape[1]
    assert item.dense.shape == (2 * width + len(COUNTS),)
    assert item.dense[-4:].tolist() == pytest.approx([np.log1p(1), np.log1p(1),
                                                      np.log1p(len(doc)), 0.0])


def test_a_word_the_gate_weighs_opens_it(ctx: Context) -> None:
    doc = ctx.nlp("Russia will attack Ukraine.")
    calm = ctx.nlp("Russia will host Ukraine.")
    width = doc.tensor.shape[1] * 2 + len(COUNTS)
    gate = _gate(width, threshold=0.0, lemma_weight=2.0)
    assert gate.reads(gate_input(doc, 1, 1, False))
    assert not gate.reads(gate_input(calm, 1, 1, False))


def test_a_gate_survives_its_file_and_changes_the_models_version(tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    (model / GATE_FILE).unlink(missing_ok=True)
    assert load_gate(model) is None
    before = model_version(model)
    gate = _gate(7, threshold=0.25, lemma_weight=1.5)
    gate.save(model / GATE_FILE)
    loaded = load_gate(model)
    assert loaded is not None and loaded.threshold == pytest.approx(0.25)
    np.testing.assert_array_equal(loaded.w_lemma, gate.w_lemma)
    # events coded with and without a gate may differ: they must not share a version
    assert model_version(model) != before


def test_a_gate_of_another_layout_is_refused(tmp_path: Path) -> None:
    gate = _gate(7)
    np.savez(tmp_path / GATE_FILE, layout=np.array("gate.v0"), mean=gate.mean,
             scale=gate.scale, w_dense=gate.w_dense, w_lemma=gate.w_lemma, bias=0.0,
             threshold=0.0)
    with pytest.raises(SettingsError, match=r"layout 'gate\.v0'"):
        load_gate(tmp_path)


def test_a_gate_of_another_width_says_so(ctx: Context) -> None:
    # a gate trained on another spaCy pipeline's vectors: a coded error, not a numpy trace
    doc = ctx.nlp("Russia will attack Ukraine.")
    with pytest.raises(SettingsError, match="E010 the encoder gate reads 7 features"):
        _gate(7).score(gate_input(doc, 1, 1, False))


def test_a_gate_of_another_spacy_model_is_not_used_when_coding(tmp_path: Path) -> None:
    # its weights expect another pipeline's token vectors: the classifier then reads every
    # sentence that can matter (so --model en_core_web_md works with the bundled gated
    # model), while a gate of the pipeline in use is kept
    from foreshock.pipeline import load_context
    from foreshock.settings import load_settings

    settings = load_settings(None, coder="hybrid")
    model = tmp_path / "model"
    shutil.copytree(default_model_dir(), model)
    gate = _gate(2 * 96 + len(COUNTS))
    for spacy_model, used in (("en_core_web_trf", False), (settings.model, True)):
        EncoderGate(gate.mean, gate.scale, gate.w_dense, gate.w_lemma, gate.bias,
                    gate.threshold, spacy_model).save(model / GATE_FILE)
        ctx = load_context(load_settings(None, coder="hybrid", model_dir=str(model)))
        assert (ctx.coder.classifier.gate is not None) is used, spacy_model  # type: ignore[attr-defined]
