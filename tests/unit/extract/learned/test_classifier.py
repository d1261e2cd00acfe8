"""The bundled classifier scores a sentence the same whatever is coded beside it."""

from __future__ import annotations

import numpy as np

from foreshock.extract.learned.classifier import EventClassifier, default_model_dir
from foreshock.extract.learned.features import PairSpans

TEXT = "Russia attacked Ukraine on Thursday."
PAIR = [PairSpans(((0, 6),), ((16, 23),), ((7, 15),))]
NEIGHBOURS = [
    "The minister thanked the delegation for a very long and detailed briefing on trade.",
    "Protesters marched in the capital.",
    "Officials from both countries met in Geneva on Monday to discuss a prisoner exchange "
    "and the reopening of the border crossings closed since the spring.",
]


def test_a_sentences_scores_do_not_depend_on_its_neighbours() -> None:
    # the int8 encoder quantises activations per call: batched, a sentence's scores moved
    # with the other sentences of its batch (and so with the run's chunking)
    classifier = EventClassifier(default_model_dir())
    alone = classifier.classify([(TEXT, PAIR)])[0][0]
    crowded = classifier.classify([(n, PAIR) for n in NEIGHBOURS[:2]] + [(TEXT, PAIR)]
                                  + [(NEIGHBOURS[2], PAIR)])[2][0]
    np.testing.assert_array_equal(alone.roots, crowded.roots)
    np.testing.assert_array_equal(alone.modality, crowded.modality)


def test_batched_encoding_is_what_made_scores_move() -> None:
    # the same comparison with batches of 32 differs: the test above can fail
    batched = EventClassifier(default_model_dir(), batch_size=32)
    alone = batched.classify([(TEXT, PAIR)])[0][0]
    crowded = batched.classify([(n, PAIR) for n in NEIGHBOURS[:2]] + [(TEXT, PAIR)]
                               + [(NEIGHBOURS[2], PAIR)])[2][0]
    assert not np.array_equal(alone.roots, crowded.roots)
