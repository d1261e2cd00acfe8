"""Inference of the learned event classifier: onnxruntime for the encoder, numpy for the head.

No torch at run time.  A model directory holds ``encoder.onnx`` (all-MiniLM-L6-v2 fine-tuned
on the project's annotations, int8), ``tokenizer.json``, ``head.npz`` and ``meta.json`` (labels,
decision threshold, training data hash, scores); ``foreshock train`` writes one.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from tokenizers import Encoding

from foreshock.errors import SettingsError
from foreshock.extract.learned.features import (
    MODALITIES,
    ROOTS,
    PairSpans,
    batches,
    layout_has_anchor,
    load_tokenizer,
    pad,
    pair_features,
)
from foreshock.extract.learned.gate import GATE_FILE, load_gate
from foreshock.nlp.blas import single_thread_blas
from foreshock.ontology.tsv import data_path, sha256_of

MODEL_FILES = ("encoder.onnx", "tokenizer.json", "head.npz", "meta.json")
#: sentences whose encoder output is kept (at most ~200 kB each): boilerplate recurs across
#: documents (37 of the 964 sentences encoded in 100 White House documents were repeats)
ENCODED_CACHE = 512


def default_model_dir() -> Path:
    return data_path("models") / "event-classifier"


@dataclass(frozen=True, slots=True)
class PairScore:
    """The classifier's reading of one pair: P(root) over ``ROOTS``, P(modality)."""

    roots: NDArray[np.float32]
    modality: NDArray[np.float32]

    @property
    def p_event(self) -> float:
        return float(1.0 - self.roots[0])

    @property
    def root(self) -> str:
        """The most likely root other than "none"."""
        return ROOTS[int(np.argmax(self.roots[1:])) + 1]

    @property
    def mode(self) -> str:
        return MODALITIES[int(np.argmax(self.modality))]


def model_version(directory: Path) -> str:
    """``<name>+<hash of the model files>`` (with the encoder gate's, if it has one): events
    coded by another model, or with another gate, differ in version."""
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    gate = [directory / GATE_FILE] if (directory / GATE_FILE).is_file() else []
    digest = sha256_of([directory / f for f in MODEL_FILES] + gate)[:8]
    return f"{meta.get('name', 'classifier')}+{digest}"


class EventClassifier:
    """Scores candidate pairs of sentences; holds only read-only loaded weights."""

    def __init__(self, directory: Path, threads: int = 1, batch_size: int = 1,
                 gate: bool = True) -> None:
        # one sentence per encoder call: the int8 encoder quantises its activations with one
        # range per call, so in a batch a sentence's scores moved with its neighbours (by up
        # to 0.15 in P, and events came and went between runs); alone they do not, and on
        # one thread it is as fast (296 against 310 sentences/s, measured)
        import onnxruntime as ort

        missing = [f for f in MODEL_FILES if not (directory / f).is_file()]
        if missing:
            raise SettingsError(
                f"E010 classifier model {directory} lacks {', '.join(missing)}: train one with "
                "`foreshock train` or use --coder rules")
        self.directory = directory
        self.meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
        self.threshold = float(self.meta.get("threshold", 0.5))
        # models before the anchor feature have no "features" key: their layout is v1
        self.anchor = layout_has_anchor(str(self.meta.get("features", "pairs.v1")))
        self.version = model_version(directory)
        self.tokenizer = load_tokenizer(str(directory / "tokenizer.json"))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(directory / "encoder.onnx"), options,
                                            providers=["CPUExecutionProvider"])
        # the head's products on one thread: the same scores whatever the number of cores
        single_thread_blas()
        head = np.load(directory / "head.npz")
        self.w1, self.b1 = head["w1"], head["b1"]
        self.w_root, self.b_root = head["w_root"], head["b_root"]
        self.w_mod, self.b_mod = head["w_mod"], head["b_mod"]
        self.batch_size = batch_size
        #: which sentences need not be encoded at all (None: every one is; ``gate=False``
        #: reads without it, as training a new gate does, whatever file is there)
        self.gate = load_gate(directory) if gate else None
        # alone, a sentence's encoding depends on its text only, so a repeat can reuse it;
        # in a batch it also depends on its neighbours, so batches are never cached
        self._encoded: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
        # one classifier may serve several threads (a Python-API coder in a thread pool, a
        # Dask worker with threads): the cache's look-up, reorder and eviction go together
        self._encoded_lock = threading.Lock()

    def encode(self, text: str, encoding: Encoding) -> NDArray[np.float32]:
        """The encoder's output for one sentence alone (tokens x width), remembered for the
        last ``ENCODED_CACHE`` distinct sentences."""
        with self._encoded_lock:
            hidden = self._encoded.get(text)
            if hidden is not None:
                self._encoded.move_to_end(text)
                return hidden
        ids, mask = pad([encoding])
        hidden = np.asarray(self.session.run(None, {"input_ids": ids,
                                                    "attention_mask": mask})[0][0],
                            dtype=np.float32)
        hidden.flags.writeable = False
        with self._encoded_lock:
            self._encoded[text] = hidden
            if len(self._encoded) > ENCODED_CACHE:
                self._encoded.popitem(last=False)
        return hidden

    def classify(self, items: Sequence[tuple[str, Sequence[PairSpans]]]
                 ) -> list[list[PairScore]]:
        """For each (sentence, pairs): one score per pair.  Sentences with no pair are not
        encoded."""
        out: list[list[PairScore]] = [[] for _ in items]
        todo = [i for i, (_, pairs) in enumerate(items) if pairs]
        if not todo:
            return out
        encodings = self.tokenizer.encode_batch([items[i][0] for i in todo])
        for group in batches([len(e.ids) for e in encodings], self.batch_size):
            if len(group) == 1 and self.batch_size == 1:
                hidden = self.encode(items[todo[group[0]]][0], encodings[group[0]])[None]
            else:
                ids, mask = pad([encodings[g] for g in group])
                hidden = self.session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            for row, g in enumerate(group):
                index = todo[g]
                feats = pair_features(hidden[row], encodings[g], items[index][1], self.anchor)
                roots, modality = self.head(feats)
                out[index] = [PairScore(r, m) for r, m in zip(roots, modality, strict=True)]
        return out

    def head(self, feats: NDArray[np.float32]
             ) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        hidden = np.maximum(feats @ self.w1 + self.b1, 0.0)
        return (_softmax(hidden @ self.w_root + self.b_root),
                _softmax(hidden @ self.w_mod + self.b_mod))


def _softmax(x: NDArray[np.float32]) -> NDArray[np.float32]:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    out: NDArray[np.float32] = (z / z.sum(axis=1, keepdims=True)).astype(np.float32)
    return out
