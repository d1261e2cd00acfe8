"""``foreshock train --gate-only``: the encoder gate of a trained classifier, from its own readings.

1. sentences: the fit part of the training annotations (not the held-out tenth that chose the
   policy) and a seeded sample of documents from each ``--corpus`` file, up to a word budget
   per file; sentences of the validation annotations are left out (their texts are read for
   that alone);
2. the real candidate stage proposes their pairs; of the sentences the hybrid would encode
   with no rule event, the classifier's own reading is the label: some pair at P(event) >=
   ``teacher`` in a mode other than background;
3. a class-balanced, L2-regularised logistic regression (numpy, full batch) is fitted on a
   seeded 80 % of them;
4. its threshold is the score that keeps ``keep`` of the sentences where the classifier adds
   an event, on the other 20 %;
5. ``gate.npz`` is written beside the model and ``meta.json`` records how (``gate``).

Needs no torch: the classifier runs through onnxruntime as in coding.
"""

from __future__ import annotations

import hashlib
import json
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from foreshock.errors import SettingsError
from foreshock.evaluate.gold import read_gold
from foreshock.extract.coder import (
    HybridCoder,
    Proposal,
    RulesCoder,
    gate_features,
    merge,
    reads,
    spans,
)
from foreshock.extract.learned.classifier import EventClassifier
from foreshock.extract.learned.gate import (
    GATE_FILE,
    GATE_LAYOUT,
    LEMMA_BINS,
    EncoderGate,
    GateInput,
)
from foreshock.pipeline import Context, propose_documents
from foreshock.records import Article
from foreshock.runners.local import stored_articles
from foreshock.train.examples import held_out, propose
from foreshock.train.run import trained_meta


@dataclass(frozen=True, slots=True)
class GateConfig:
    seed: int = 13
    #: a sentence is a positive when the classifier gives some pair at least this P(event),
    #: below the policy's threshold so that the gate learns a margin around it: 0.3 left 414
    #: of the 941 encoder calls on wh100 where 0.8 left 553, at the same keep (session 13)
    teacher: float = 0.3
    #: the share of the sentences where the classifier adds an event that the gate must read
    keep: float = 0.99
    #: inverse L2 strength per sentence (scikit-learn's C)
    c: float = 0.05
    #: words sampled from each corpus file
    words: int = 100_000
    calibration: float = 0.2
    steps: int = 600


@dataclass(frozen=True, slots=True)
class Readings:
    """The sentences a gate is learned from: features, the classifier's highest P(event) in
    a mode other than background, and how many events it added there."""

    inputs: tuple[GateInput, ...]
    p_max: NDArray[np.float32]
    added: NDArray[np.int64]


def read_sentences(proposals: Sequence[Proposal], coder: HybridCoder) -> Readings:
    """The classifier's reading of every proposal the hybrid would encode with no rule
    event (where the gate decides)."""
    todo = [p for p in proposals if p.pairs and not p.rules and reads(coder.policy, p)]
    scores = coder.classifier.classify([(p.sentence.text,
                                         [spans(x, p.sentence, coder.classifier.anchor)
                                          for x in p.pairs])
                                        for p in todo])
    p_max = np.array([max((s.p_event for s in row if s.mode != "background"), default=0.0)
                      for row in scores], dtype=np.float32)
    added = np.array([len(merge(p, row, coder.policy, coder.classifier.version))
                      for p, row in zip(todo, scores, strict=True)], dtype=np.int64)
    return Readings(tuple(gate_features(p) for p in todo), p_max, added)


def corpus_articles(path: Path, words: int, seed: int) -> list[Article]:
    """A seeded sample of ``path``'s documents (as ``foreshock ingest`` reads them) up to
    ``words`` words."""
    import foreshock

    with tempfile.TemporaryDirectory() as tmp:
        db = foreshock.open(Path(tmp) / "gate.duckdb", create=True)
        db.ingest([str(path)])
        with db.reading() as con:
            articles = stored_articles(con)
    random.Random(f"{seed}:{path.name}").shuffle(articles)
    out, total = [], 0
    for article in articles:
        if total >= words:
            break
        out.append(article)
        total += len(article.text.split())
    return out


def normalised(text: str) -> str:
    """A sentence as compared with the ones left out (whitespace does not tell them apart)."""
    return " ".join(text.split())


def corpus_proposals(articles: Sequence[Article], ctx: Context, leave_out: set[str],
                     chunk: int = 16) -> tuple[list[Proposal], int]:
    """The proposals of ``articles``' sentences, but those whose text is in ``leave_out``
    (normalised), and how many were left out."""
    proposer = replace(ctx, coder=RulesCoder(ctx.extractor, with_pairs=True))
    out: list[Proposal] = []
    left = 0
    for start in range(0, len(articles), chunk):
        proposed, _ = propose_documents(articles[start:start + chunk], proposer)
        for found, _problems in proposed:
            for _unit, proposal in found:
                if normalised(proposal.sentence.text) in leave_out:
                    left += 1
                else:
                    out.append(proposal)
    return out, left


def design(inputs: Sequence[GateInput]) -> tuple[NDArray[np.float32], NDArray[np.int64],
                                                  NDArray[np.int64]]:
    """Dense rows, and the lemma bins as (row, bin) pairs."""
    dense = np.stack([i.dense for i in inputs]).astype(np.float32)
    rows = np.concatenate([np.full(len(i.lemmas), n, dtype=np.int64)
                           for n, i in enumerate(inputs)])
    bins = np.concatenate([i.lemmas for i in inputs])
    return dense, rows, bins


def fit_gate(inputs: Sequence[GateInput], positive: NDArray[np.bool_], config: GateConfig
             ) -> EncoderGate:
    """Class-balanced logistic regression with L2 (penalty 1 / (2 C N)), by full-batch Adam
    with a decaying step; the threshold is left at 0 (``choose_threshold`` sets it)."""
    if positive.all() or not positive.any():
        raise SettingsError("E010 the encoder gate needs sentences of both kinds (events "
                            "added by the classifier and none) to learn from")
    dense, rows, bins = design(inputs)
    n = len(inputs)
    mean = dense.mean(axis=0)
    scale = dense.std(axis=0) + 1e-6
    x = (dense - mean) / scale
    y = positive.astype(np.float64)
    weight = np.where(positive, n / (2.0 * positive.sum()), n / (2.0 * (~positive).sum()))
    lam = 1.0 / (config.c * n)
    w_dense = np.zeros(x.shape[1])
    w_lemma = np.zeros(LEMMA_BINS)
    bias = 0.0
    moments = [np.zeros_like(w_dense), np.zeros_like(w_lemma), np.zeros(1)]
    squares = [np.zeros_like(w_dense), np.zeros_like(w_lemma), np.zeros(1)]
    for step in range(1, config.steps + 1):
        z = x @ w_dense + np.bincount(rows, weights=w_lemma[bins], minlength=n) + bias
        residual = weight * (1.0 / (1.0 + np.exp(-z)) - y) / n
        grads = [x.T @ residual + lam * w_dense,
                 np.bincount(bins, weights=residual[rows], minlength=LEMMA_BINS)
                 + lam * w_lemma,
                 np.array([residual.sum()])]
        rate = 0.05 / np.sqrt(step)
        for k, g in enumerate(grads):
            moments[k] = 0.9 * moments[k] + 0.1 * g
            squares[k] = 0.999 * squares[k] + 0.001 * g * g
            update = rate * (moments[k] / (1 - 0.9 ** step)) / (
                np.sqrt(squares[k] / (1 - 0.999 ** step)) + 1e-8)
            if k == 0:
                w_dense -= update
            elif k == 1:
                w_lemma -= update
            else:
                bias -= float(update[0])
    return EncoderGate(mean.astype(np.float32), scale.astype(np.float32),
                       w_dense.astype(np.float32), w_lemma.astype(np.float32), bias, 0.0)


def choose_threshold(gate: EncoderGate, inputs: Sequence[GateInput],
                     added: NDArray[np.int64], keep: float) -> float:
    """The highest threshold at which the gate reads ``keep`` of the sentences where the
    classifier added an event."""
    scores = np.array([gate.score(i) for i in inputs])
    positives = np.sort(scores[added > 0])
    if not len(positives):
        raise SettingsError("E010 no sentence of the gate's calibration part has an event "
                            "added by the classifier: sample more text (--gate-words)")
    lost = int(np.floor((1.0 - keep) * len(positives)))
    return float(positives[lost])


def train_gate(model: Path, annotations: Path, corpora: Sequence[Path], validation: Path | None,
               ctx: Context, config: GateConfig, log: Callable[[str], None] = print
               ) -> dict[str, object]:
    started = time.perf_counter()
    meta_path = model / "meta.json"
    meta, seed = trained_meta(model)
    # read without a gate (an old or broken one is replaced): the labels are the
    # classifier's readings of every sentence
    classifier = EventClassifier(model, gate=False)
    coder = HybridCoder(ctx.extractor, classifier)
    leave_out = ({normalised(s.text) for s in read_gold(validation)}
                 if validation is not None and validation.is_file() else set())
    fit_part = [s for s in read_gold(annotations) if not held_out(s.sentence_id, 0.1, seed)]
    sentences = [s for s in fit_part if normalised(s.text) not in leave_out]
    left_out = len(fit_part) - len(sentences)
    proposals = [p for item in propose(sentences, ctx) for p in item.proposals]
    sources = [f"{annotations} ({len(sentences)} sentences of the fit part)"]
    for path in corpora:
        articles = corpus_articles(path, config.words, config.seed)
        found, left = corpus_proposals(articles, ctx, leave_out)
        proposals += found
        left_out += left
        sources.append(f"{path} ({len(articles)} documents)")
        log(f"{path}: {len(articles)} documents sampled")
    readings = read_sentences(proposals, coder)
    n = len(readings.inputs)
    rng = np.random.default_rng(config.seed)
    calibration = rng.random(n) < config.calibration
    fit_rows = [i for i in range(n) if not calibration[i]]
    cal_rows = [i for i in range(n) if calibration[i]]
    gate = fit_gate([readings.inputs[i] for i in fit_rows],
                    readings.p_max[fit_rows] >= config.teacher, config)
    cal_inputs = [readings.inputs[i] for i in cal_rows]
    threshold = choose_threshold(gate, cal_inputs, readings.added[cal_rows], config.keep)
    gate = replace(gate, threshold=threshold, spacy_model=ctx.settings.model)
    read = np.array([gate.reads(i) for i in cal_inputs])
    added = readings.added[cal_rows] > 0
    gate.save(model / GATE_FILE)
    meta["gate"] = {
        "layout": GATE_LAYOUT,
        # every argument that shapes the gate, --out included, so that it runs as recorded
        "command": f"foreshock train --gate-only --out {model} --annotations "
                   f"{annotations} " + " ".join(f"--corpus {p}" for p in corpora)
                   + f" --gate-words {config.words} --gate-keep {config.keep:g}"
                   + f" --gate-teacher {config.teacher:g} --seed {config.seed}",
        "spacy_model": ctx.settings.model,
        "config": asdict(config),
        "sources": sources,
        "validation_sentences_left_out": left_out,
        "sources_sha256": {str(p): _sha256(p) for p in [annotations, *corpora]},
        "sentences": n, "teacher_positives": int((readings.p_max >= config.teacher).sum()),
        "with_added_events": int((readings.added > 0).sum()),
        "calibration": {"sentences": len(cal_rows), "read": round(float(read.mean()), 4),
                        "added_kept": f"{int((read & added).sum())}/{int(added.sum())}"},
        "threshold": round(threshold, 6),
        "train_seconds": round(time.perf_counter() - started, 1),
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log(f"gate: {n} sentences; on the calibration part it reads {read.mean():.3f} of them and "
        f"{int((read & added).sum())}/{int(added.sum())} where the classifier adds an event; "
        f"wrote {model / GATE_FILE}")
    return meta


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
