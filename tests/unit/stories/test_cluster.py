"""Stories: shingles, MinHash signatures, causal LSH clustering."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from foreshock.stories.cluster import (
    Member,
    StoryParams,
    assign_stories,
    shingles,
    signature,
    similarity,
)
from foreshock.stories.store import from_blob, to_blob

PARAMS = StoryParams()

WIRE = ("President Biden and President Putin held a two-hour video call on Tuesday. Biden warned "
        "that the United States and its allies would respond with strong economic measures if "
        "Russia escalated militarily against Ukraine. Putin demanded legal guarantees that NATO "
        "would not expand further east. The two leaders agreed that their teams would follow up.")
REPRINT = ("President Biden and President Putin held a two-hour video call on Tuesday. Biden "
           "warned that Washington and its allies would respond with strong economic measures if "
           "Russia escalated militarily against Ukraine. Putin demanded legal guarantees that "
           "NATO would not expand further east. The two leaders agreed their teams would follow "
           "up, the Kremlin said.")
OTHER = ("Ukrainian forces reported shelling near Avdiivka on Thursday. Separatist units fired "
         "mortars at positions along the line of contact, the joint forces command said, and one "
         "soldier was wounded. Monitors from the OSCE recorded dozens of ceasefire violations "
         "in the Donetsk region over the previous day.")


def member(article_id: str, day: int, text: str, hour: int = 0) -> Member:
    date = dt.date(2021, 12, day)
    return Member(article_id, date, dt.datetime(2021, 12, day, hour, tzinfo=dt.UTC),
                  signature(text, PARAMS))


def test_shingles_are_word_trigrams_and_short_texts_one_shingle() -> None:
    assert shingles("Russia warns Ukraine again", 3) == {b"russia warns ukraine",
                                                         b"warns ukraine again"}
    assert shingles("Russia warns", 3) == {b"russia warns"}
    assert shingles("RUSSIA, warns... Ukraine", 3) == shingles("russia warns ukraine", 3)


def test_signature_is_deterministic_and_estimates_jaccard() -> None:
    a, b = signature(WIRE, PARAMS), signature(WIRE, PARAMS)
    assert a.dtype == np.uint32 and len(a) == PARAMS.num_perm
    assert np.array_equal(a, b)
    assert similarity(a, signature(REPRINT, PARAMS)) >= PARAMS.threshold
    assert similarity(a, signature(OTHER, PARAMS)) < 0.1
    assert not np.array_equal(a, signature(WIRE, StoryParams(seed=2)))
    assert np.array_equal(from_blob(to_blob(a)), a)


def test_signatures_with_shared_permutations_are_those_of_a_fresh_minhash() -> None:
    # signatures are stored: reusing one seed's permutations must not change a single slot
    from datasketch import MinHash

    for params in (PARAMS, StoryParams(seed=2, num_perm=64)):
        fresh = MinHash(num_perm=params.num_perm, seed=params.seed, scheme="affine32")
        fresh.update_batch(sorted(shingles(OTHER, params.shingle_words)))
        assert np.array_equal(signature(OTHER, params),
                              np.asarray(fresh.hashvalues, dtype=np.uint32))


def test_reprints_join_the_earliest_story_and_unrelated_articles_do_not() -> None:
    found = assign_stories([member("b", 8, REPRINT), member("a", 7, WIRE),
                            member("c", 8, OTHER)], PARAMS)
    stories = {a.article_id: a.story_id for a in found}
    assert stories == {"a": "a", "b": "a", "c": "c"}  # the earlier article founds the story
    joined = next(a for a in found if a.article_id == "b")
    assert PARAMS.threshold <= joined.similarity < 1.0


def test_same_text_outside_the_window_is_a_new_story() -> None:
    found = assign_stories([member("a", 1, WIRE), member("b", 1 + PARAMS.window_days + 1,
                                                         REPRINT)], PARAMS)
    assert [a.story_id for a in found] == ["a", "b"]


def test_assignment_of_a_prefix_does_not_depend_on_later_articles() -> None:
    early = [member("a", 7, WIRE), member("c", 8, OTHER)]
    later = [member("b", 9, REPRINT), member("d", 10, OTHER), member("e", 9, WIRE, hour=5)]
    alone = {a.article_id: a for a in assign_stories(early, PARAMS)}
    together = {a.article_id: a for a in assign_stories(early + later, PARAMS)}
    assert all(together[k] == v for k, v in alone.items())
    assert together["b"].story_id == "a" and together["e"].story_id == "a"


def test_story_params_fingerprint_changes_with_any_value() -> None:
    assert StoryParams().fingerprint() == StoryParams().fingerprint()
    assert StoryParams().fingerprint() != StoryParams(window_days=4).fingerprint()


@pytest.mark.parametrize("text", ["", "   ", "!!!"])
def test_texts_without_words_still_get_a_signature(text: str) -> None:
    assert len(signature(text, PARAMS)) == PARAMS.num_perm

