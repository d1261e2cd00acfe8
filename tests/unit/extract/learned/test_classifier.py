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


def test_a_repeated_sentence_is_encoded_once_with_the_same_scores() -> None:
    classifier = EventClassifier(default_model_dir())
    calls: list[int] = []
    run = classifier.session.run

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return run(*args, **kwargs)

    classifier.session.run = counted  # type: ignore[method-assign]
    first = classifier.classify([(TEXT, PAIR), (NEIGHBOURS[1], PAIR)])
    again = classifier.classify([(NEIGHBOURS[0], PAIR), (TEXT, PAIR)])
    assert len(calls) == 3
    fresh = EventClassifier(default_model_dir()).classify([(TEXT, PAIR)])[0][0]
    for score in (first[0][0], again[1][0]):
        np.testing.assert_array_equal(score.roots, fresh.roots)
        np.testing.assert_array_equal(score.modality, fresh.modality)


def test_the_encoding_cache_is_safe_across_threads(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # a Python-API coder in a thread pool shares one classifier: look-up, reorder and
    # eviction of the cache must not interleave (a KeyError before the lock)
    import sys
    import threading

    module = sys.modules[EventClassifier.__module__]
    monkeypatch.setattr(module, "ENCODED_CACHE", 2)
    classifier = EventClassifier(default_model_dir())
    hidden = np.zeros((4, 3), dtype=np.float32)
    monkeypatch.setattr(classifier.session, "run", lambda *_a, **_k: [hidden[None]],
                        raising=False)
    encoding = classifier.tokenizer.encode(TEXT)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for i in range(3000):
                classifier.encode(str((i * 7 + offset) % 5), encoding)
        except BaseException as error:  # the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often, so an unguarded cache breaks
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert errors == []
