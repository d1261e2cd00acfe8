"""Pair features are read off one encoding of the sentence."""

from __future__ import annotations

import numpy as np

from foreshock.extract.learned.classifier import default_model_dir
from foreshock.extract.learned.features import (
    PairSpans,
    batches,
    load_tokenizer,
    pad,
    pair_features,
    token_mask,
)

TEXT = "Russia attacked Ukraine."


def _encoding():  # type: ignore[no-untyped-def]
    return load_tokenizer(str(default_model_dir() / "tokenizer.json")).encode(TEXT)


def test_token_mask_covers_exactly_the_span() -> None:
    enc = _encoding()
    mask = token_mask(enc, [(16, 23)])  # "Ukraine"
    chosen = [enc.tokens[i] for i in np.flatnonzero(mask)]
    assert "".join(t.removeprefix("##") for t in chosen) == "ukraine"


def test_pair_features_fall_back_to_the_sentence_for_an_unspelled_actor() -> None:
    enc = _encoding()
    hidden = np.random.default_rng(0).normal(size=(len(enc.ids), 4)).astype(np.float32)
    rows = pair_features(hidden, enc, [PairSpans(((0, 6),), ((16, 23),)),
                                       PairSpans((), None)])
    assert rows.shape == (2, 13)
    assert rows[0, -1] == 1.0 and rows[1, -1] == 0.0
    # no span: the source reads as the sentence mean; no target: zeros
    np.testing.assert_allclose(rows[1, 4:8], hidden.mean(axis=0), rtol=1e-6)
    assert not rows[1, 8:12].any()
    assert not np.allclose(rows[0, 4:8], rows[0, 8:12])


def test_batches_group_similar_lengths_and_pad() -> None:
    groups = batches([5, 50, 6, 49], 2)
    assert sorted(map(sorted, groups)) == [[0, 2], [1, 3]]
    tok = load_tokenizer(str(default_model_dir() / "tokenizer.json"))
    ids, mask = pad(tok.encode_batch(["a b", "a b c d e"]))
    assert ids.shape == mask.shape and mask.sum(axis=1).tolist()[0] < mask.sum(axis=1)[1]
