"""Stories: shingles, MinHash signatures, causal LSH clustering, incremental DB updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from foreshock.normalize.stories import (
    Member,
    StoryParams,
    assign_stories,
    from_blob,
    shingles,
    signature,
    similarity,
    stored_members,
    to_blob,
    update_stories,
)
from foreshock.records import Article
from foreshock.store.db import connect, insert_articles, start_run

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


def article(article_id: str, day: int, text: str, outlet: str) -> Article:
    date = dt.date(2021, 12, day)
    return Article(article_id, date, dt.datetime(2021, 12, day, tzinfo=dt.UTC), text,
                   title=text[:30], outlet=outlet)


def test_update_stories_is_idempotent_incremental_and_rebuilds_on_new_params(
        tmp_path: Path) -> None:
    con = connect(str(tmp_path / "s.duckdb"))
    run = start_run(con, "test", [], {})
    insert_articles(con, [article("a", 7, WIRE, "Wire"), article("c", 8, OTHER, "Ledger")], run)
    first = update_stories(con, PARAMS)
    assert (first.added, first.stories, first.rebuilt) == (2, 2, False)
    assert update_stories(con, PARAMS).added == 0  # nothing new: nothing done
    before = con.execute("SELECT article_id, story_id, signature FROM story_members "
                         "ORDER BY 1").fetchall()
    insert_articles(con, [article("b", 8, REPRINT, "Courier")], run)
    second = update_stories(con, PARAMS)
    assert (second.added, second.stories) == (1, 2)
    after = con.execute("SELECT article_id, story_id, signature FROM story_members "
                        "ORDER BY 1").fetchall()
    assert [r for r in after if r[0] != "b"] == before
    assert dict((r[0], r[1]) for r in after)["b"] == "a"
    story = con.execute("SELECT num_articles, num_sources, first_date FROM stories "
                        "WHERE story_id = 'a'").fetchall()
    assert story == [(2, 2, dt.date(2021, 12, 7))]
    rebuilt = update_stories(con, StoryParams(threshold=0.9))
    assert rebuilt.rebuilt and rebuilt.added == 3 and rebuilt.stories == 3
    members = stored_members(con, ["b", "a"])
    assert [m.article_id for m, _ in members] == ["a", "b"]
    assert [o for _, o in members] == ["Wire", "Courier"]


def test_story_params_fingerprint_changes_with_any_value() -> None:
    assert StoryParams().fingerprint() == StoryParams().fingerprint()
    assert StoryParams().fingerprint() != StoryParams(window_days=4).fingerprint()


@pytest.mark.parametrize("text", ["", "   ", "!!!"])
def test_texts_without_words_still_get_a_signature(text: str) -> None:
    assert len(signature(text, PARAMS)) == PARAMS.num_perm


def test_an_article_arriving_late_gives_the_stories_of_a_batch_run(tmp_path: Path) -> None:
    """Live mode meets files out of date order: a reprint stored before its original must
    end in the original's story, exactly as if both had been clustered at once."""
    late = connect(str(tmp_path / "late.duckdb"))
    run = start_run(late, "test", [], {})
    insert_articles(late, [article("b", 8, REPRINT, "Courier"),
                           article("c", 9, OTHER, "Ledger")], run)
    update_stories(late, PARAMS)
    insert_articles(late, [article("a", 7, WIRE, "Wire")], run)
    assert update_stories(late, PARAMS).added == 1
    batch = connect(str(tmp_path / "batch.duckdb"))
    insert_articles(batch, [article("a", 7, WIRE, "Wire"), article("b", 8, REPRINT, "Courier"),
                            article("c", 9, OTHER, "Ledger")], start_run(batch, "t", [], {}))
    update_stories(batch, PARAMS)
    query = "SELECT article_id, story_id, similarity FROM story_members ORDER BY 1"
    assert late.execute(query).fetchall() == batch.execute(query).fetchall()
    assert dict((r[0], r[1]) for r in late.execute(query).fetchall())["b"] == "a"
