"""Inputs of the classifier, shared by training and coding so that both see the same thing.

A sentence is tokenised once (WordPiece, from the model's own ``tokenizer.json``) and encoded
once; a pair is then read off the token vectors: the mean of the whole sentence, the mean of
the source's tokens, the mean of the target's tokens (zeros and a flag when there is none),
and -- in the ``pairs.v2`` layout -- the mean of the anchor's tokens: the word of the parse
that links the two parties (their lowest common head, else the verb governing the source),
where the act is usually named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from tokenizers import Encoding, Tokenizer

from foreshock.errors import SettingsError

#: index 0 is "no event"; 1..20 are the CAMEO roots 01..20
ROOTS: tuple[str, ...] = ("none", *(f"{r:02d}" for r in range(1, 21)))
#: how the text presents the act of a pair that has one
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "future", "background")
MAX_TOKENS = 128
#: feature layouts a model can be trained with (meta.json ``features``); the value says
#: whether the anchor's vector is part of the pair's row
LAYOUTS: dict[str, bool] = {"pairs.v1": False, "pairs.v2": True}


def layout_has_anchor(name: str) -> bool:
    if name not in LAYOUTS:
        raise SettingsError(f"E010 classifier feature layout {name!r} is unknown to this "
                            f"version; known: {', '.join(LAYOUTS)}")
    return LAYOUTS[name]


@dataclass(frozen=True, slots=True)
class PairSpans:
    """Character spans of a pair's source, target (may be none) and anchor word in the
    sentence (the anchor is empty when it is not known)."""

    source: tuple[tuple[int, int], ...]
    target: tuple[tuple[int, int], ...] | None
    anchor: tuple[tuple[int, int], ...] = ()


def load_tokenizer(path: str) -> Tokenizer:
    tok = Tokenizer.from_file(path)
    tok.enable_truncation(MAX_TOKENS)
    tok.no_padding()
    return tok


def token_mask(encoding: Encoding | TokenRanges,
               spans: Sequence[tuple[int, int]]) -> NDArray[np.bool_]:
    """Which tokens of an encoding fall inside any of the character spans."""
    ranges = encoding if isinstance(encoding, TokenRanges) else TokenRanges.of(encoding)
    mask = np.zeros(len(ranges.starts), dtype=bool)
    for s, e in spans:
        mask |= (ranges.starts < e) & (ranges.ends > s)
    mask &= ranges.readable
    return mask


@dataclass(frozen=True, slots=True)
class TokenRanges:
    """An encoding's character offsets as arrays, read once per sentence (``offsets`` is
    built anew by the tokenizer at every access) for all of its pairs' masks."""

    starts: NDArray[np.int64]
    ends: NDArray[np.int64]
    #: neither a special token nor an empty one: the tokens a span may cover
    readable: NDArray[np.bool_]

    @classmethod
    def of(cls, encoding: Encoding) -> TokenRanges:
        offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
        special = np.asarray(encoding.special_tokens_mask, dtype=bool)
        starts, ends = offsets[:, 0], offsets[:, 1]
        return cls(starts, ends, ~special & (ends > starts))


def feature_width(width: int, anchor: bool) -> int:
    """Length of a pair's row for an encoder of ``width``."""
    return (4 if anchor else 3) * width + 1


def pair_features(hidden: NDArray[np.float32], encoding: Encoding,
                  pairs: Sequence[PairSpans], anchor: bool = False) -> NDArray[np.float32]:
    """One row per pair: [sentence mean, source mean, target mean, (anchor mean,)
    has-target flag].

    ``hidden`` is the encoder output of this one sentence (tokens x width), unpadded.
    """
    width = hidden.shape[1]
    n = len(encoding.ids)
    hidden = hidden[:n]
    sentence = hidden.mean(axis=0)
    ranges = TokenRanges.of(encoding)
    rows = np.zeros((len(pairs), feature_width(width, anchor)), dtype=np.float32)
    for k, pair in enumerate(pairs):
        rows[k, :width] = sentence
        rows[k, width:2 * width] = _mean(hidden, token_mask(ranges, pair.source), sentence)
        if pair.target is not None:
            rows[k, 2 * width:3 * width] = _mean(hidden, token_mask(ranges, pair.target),
                                                 sentence)
            rows[k, -1] = 1.0
        if anchor:
            rows[k, 3 * width:4 * width] = _mean(hidden, token_mask(ranges, pair.anchor),
                                                 sentence)
    return rows


def _mean(hidden: NDArray[np.float32], mask: NDArray[np.bool_],
          fallback: NDArray[np.float32]) -> NDArray[np.float32]:
    # an actor the sentence does not spell out (taken from the paragraph) reads as the sentence
    return hidden[mask].mean(axis=0) if mask.any() else fallback


def batches(lengths: Sequence[int], size: int) -> list[list[int]]:
    """Indices grouped by similar length, so that padding wastes little."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[i:i + size] for i in range(0, len(order), size)]


def pad(encodings: Sequence[Encoding]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    longest = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), longest), dtype=np.int64)
    mask = np.zeros((len(encodings), longest), dtype=np.int64)
    for row, enc in enumerate(encodings):
        ids[row, :len(enc.ids)] = enc.ids
        mask[row, :len(enc.ids)] = 1
    return ids, mask
