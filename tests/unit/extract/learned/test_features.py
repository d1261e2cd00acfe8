"""Pair features are read off one encoding of the sentence."""

from __future__ import annotations

import numpy as np
import pytest

from foreshock.errors import SettingsError
from foreshock.extract.learned.classifier import default_model_dir
from foreshock.extract.learned.features import (
    PairSpans,
    batches,
    feature_width,
    layout_has_anchor,
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


def test_the_v2_layout_adds_the_anchor_words_vector() -> None:
    enc = _encoding()
    hidden = np.random.default_rng(1).normal(size=(len(enc.ids), 4)).astype(np.float32)
    pair = PairSpans(((0, 6),), ((16, 23),), ((7, 15),))  # anchor: "attacked"
    v1 = pair_features(hidden, enc, [pair])
    v2 = pair_features(hidden, enc, [pair], anchor=True)
    assert v1.shape == (1, feature_width(4, False)) == (1, 13)
    assert v2.shape == (1, feature_width(4, True)) == (1, 17)
    np.testing.assert_allclose(v2[0, :12], v1[0, :12])  # the v1 part is unchanged
    attacked = token_mask(enc, [(7, 15)])
    np.testing.assert_allclose(v2[0, 12:16], hidden[attacked].mean(axis=0), rtol=1e-6)
    # no anchor known: it reads as the sentence
    none = pair_features(hidden, enc, [PairSpans(((0, 6),), None)], anchor=True)
    np.testing.assert_allclose(none[0, 12:16], hidden.mean(axis=0), rtol=1e-6)


def test_an_unknown_layout_is_a_coded_error() -> None:
    with pytest.raises(SettingsError, match=r"E010 .*pairs\.v9"):
        layout_has_anchor("pairs.v9")
    assert layout_has_anchor("pairs.v2") and not layout_has_anchor("pairs.v1")


def _mask_token_by_token(enc, spans):  # type: ignore[no-untyped-def]
    """The mask as it was computed before it was done with arrays."""
    mask = np.zeros(len(enc.offsets), dtype=bool)
    for i, (start, end) in enumerate(enc.offsets):
        if not enc.special_tokens_mask[i] and end > start:
            mask[i] = any(start < e and end > s for s, e in spans)
    return mask


def test_token_mask_as_token_by_token() -> None:
    tok = load_tokenizer(str(default_model_dir() / "tokenizer.json"))
    enc = tok.encode("The E.U.'s envoy met Kyiv's   mayor in Lviv -- twice.")
    for spans in ([(0, 3)], [(4, 9), (25, 30)], [(2, 2)], [(30, 200)], [], [(0, 200)],
                  [(11, 12)]):
        assert token_mask(enc, spans).tolist() == _mask_token_by_token(enc, spans).tolist()
