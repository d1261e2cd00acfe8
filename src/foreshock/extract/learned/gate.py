"""A cheap gate before the encoder: which sentences the classifier need not read at all.

The hybrid encodes every sentence whose pairs could give a model event, and in White House
texts about 99 % of them give none (BENCHMARKS.md, session 12): the encoder's time went to
sentences it then left alone.  The gate is a logistic regression over what the parse already
computed -- spaCy's token vectors (``doc.tensor``, their mean and maximum), the sentence's
lemmas (hashed into ``LEMMA_BINS`` by spaCy's own stable lemma hash) and four counts -- trained
(``foreshock train --gate-only``) to predict whether the classifier would give any of the
sentence's pairs P(event) >= ``teacher`` in a mode other than background.  Its threshold keeps a
stated share of the sentences where the classifier adds an event, on sentences the gate was
not fitted on.  A model directory without ``gate.npz`` has no gate: every sentence is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from spacy.attrs import LEMMA
from spacy.tokens import Doc

from foreshock.errors import SettingsError

GATE_FILE = "gate.npz"
#: hashed lemma features (spaCy's lemma hash modulo this)
LEMMA_BINS = 4096
#: counts after the token vectors' mean and maximum
COUNTS = ("log pairs", "log pairs with a target", "log tokens", "question")
#: the layout of the features; a gate of another layout is refused
GATE_LAYOUT = "gate.v1"


@dataclass(frozen=True, slots=True)
class GateInput:
    """What the gate reads of one sentence: dense features and the hashed lemma bins."""

    dense: NDArray[np.float32]
    lemmas: NDArray[np.int64]


def gate_input(sentence: Doc, pairs: int, with_target: int, question: bool) -> GateInput:
    """The gate's features of a parsed sentence with ``pairs`` candidate pairs (``with_target``
    of them with a target)."""
    tensor = sentence.tensor
    if tensor is None or len(tensor) != len(sentence) or not len(sentence):
        raise SettingsError("E010 the encoder gate needs the parse's token vectors (a spaCy "
                            "pipeline with tok2vec)")
    counts = np.array([np.log1p(pairs), np.log1p(with_target), np.log1p(len(sentence)),
                       float(question)], dtype=np.float32)
    dense = np.concatenate([tensor.mean(axis=0), tensor.max(axis=0), counts]).astype(np.float32)
    # the lemma hashes in one array (building each Token to read it costs ten times more)
    lemmas = np.unique((sentence.to_array(LEMMA) % LEMMA_BINS).astype(np.int64))
    return GateInput(dense, lemmas)


@dataclass(frozen=True, slots=True)
class EncoderGate:
    """Weights of the gate: ``score = ((dense - mean) / scale) . w_dense + sum(w_lemma[bins])
    + bias``; a sentence is read when ``score >= threshold``."""

    mean: NDArray[np.float32]
    scale: NDArray[np.float32]
    w_dense: NDArray[np.float32]
    w_lemma: NDArray[np.float32]
    bias: float
    threshold: float
    #: the spaCy pipeline whose token vectors the gate was trained on (settings ``model``)
    spacy_model: str = ""

    def score(self, item: GateInput) -> float:
        if item.dense.shape != self.mean.shape:
            raise SettingsError(f"E010 the encoder gate reads {self.mean.shape[0]} features "
                                f"but this parse gives {item.dense.shape[0]}: it was trained "
                                f"with spaCy model {self.spacy_model or '?'}; train it again "
                                "with `foreshock train --gate-only` or use a model without it")
        dense = (item.dense - self.mean) / self.scale
        return float(dense @ self.w_dense + self.w_lemma[item.lemmas].sum() + self.bias)

    def reads(self, item: GateInput) -> bool:
        return self.score(item) >= self.threshold

    def save(self, path: Path) -> None:
        np.savez_compressed(path, layout=np.array(GATE_LAYOUT), mean=self.mean,
                            scale=self.scale, w_dense=self.w_dense, w_lemma=self.w_lemma,
                            bias=np.float32(self.bias), threshold=np.float32(self.threshold),
                            spacy_model=np.array(self.spacy_model))


def load_gate(directory: Path) -> EncoderGate | None:
    """The gate of a model directory, or None when it has none."""
    path = directory / GATE_FILE
    if not path.is_file():
        return None
    with np.load(path) as data:
        layout = str(data["layout"]) if "layout" in data else "?"
        if layout != GATE_LAYOUT:
            raise SettingsError(f"E010 encoder gate {path} has layout {layout!r}; this version "
                                f"reads {GATE_LAYOUT!r}: train it again with `foreshock train "
                                "--gate-only`")
        gate = EncoderGate(data["mean"].astype(np.float32), data["scale"].astype(np.float32),
                           data["w_dense"].astype(np.float32),
                           data["w_lemma"].astype(np.float32), float(data["bias"]),
                           float(data["threshold"]),
                           str(data["spacy_model"]) if "spacy_model" in data else "")
    if gate.w_lemma.shape != (LEMMA_BINS,) or gate.w_dense.shape != gate.mean.shape:
        raise SettingsError(f"E010 encoder gate {path} has weights of the wrong shape")
    return gate
