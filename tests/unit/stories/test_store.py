"""Stories in the database: incremental updates by a writer, the same assignment computed
in memory for a read-only reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pytest

from foreshock.records import Article
from foreshock.store.db import connect, insert_articles, start_run
from foreshock.stories import store
from foreshock.stories.cluster import StoryParams
from foreshock.stories.store import (
    current_members,
    pending_members,
    stored_members,
    update_stories,
)

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


def test_current_members_equal_update_stories_without_writing(tmp_path: Path) -> None:
    path = str(tmp_path / "s.duckdb")
    con = connect(path)
    run = start_run(con, "test", [], {})
    insert_articles(con, [article("a", 7, WIRE, "Wire"), article("c", 8, OTHER, "Ledger")], run)
    update_stories(con, PARAMS)
    insert_articles(con, [article("b", 8, REPRINT, "Courier")], run)
    con.close()
    reader = duckdb.connect(path, read_only=True)
    assert pending_members(reader, PARAMS) == 1
    table = current_members(reader, PARAMS)
    assert pending_members(reader, PARAMS) == 1  # nothing was written
    reader.close()
    in_memory = dict(zip(table.column("article_id").to_pylist(),
                         table.column("story_id").to_pylist(), strict=True))
    assert in_memory == {"a": "a", "b": "a", "c": "c"}
    con = connect(path)
    update_stories(con, PARAMS)
    stored = dict(con.execute("SELECT article_id, story_id FROM story_members").fetchall())
    assert stored == in_memory
    assert pending_members(con, PARAMS) == 0
    assert pending_members(con, StoryParams(threshold=0.9)) == 3  # other params: all stale


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


def test_current_members_of_a_late_article_equal_a_batch_run(tmp_path: Path) -> None:
    """A reader computing stories in memory meets the late arrival as the writer does."""
    path = str(tmp_path / "late.duckdb")
    con = connect(path)
    run = start_run(con, "test", [], {})
    insert_articles(con, [article("b", 8, REPRINT, "Courier"),
                          article("c", 9, OTHER, "Ledger")], run)
    update_stories(con, PARAMS)
    insert_articles(con, [article("a", 7, WIRE, "Wire")], run)
    con.close()
    reader = duckdb.connect(path, read_only=True)
    table = current_members(reader, PARAMS)
    reader.close()
    in_memory = dict(zip(table.column("article_id").to_pylist(),
                         table.column("story_id").to_pylist(), strict=True))
    assert in_memory == {"a": "a", "b": "a", "c": "c"}
    con = connect(path)
    update_stories(con, PARAMS)
    assert dict(con.execute("SELECT article_id, story_id FROM story_members").fetchall()) \
        == in_memory
    con.close()


def test_update_stories_reports_each_article_clustered(tmp_path: Path) -> None:
    # clustering is the slow step after coding: progress must count it as it goes, across
    # chunks, so a piped run shows it at least every second
    con = connect(str(tmp_path / "p.duckdb"))
    run = start_run(con, "test", [], {})
    insert_articles(con, [article("a", 7, WIRE, "Wire"), article("b", 8, REPRINT, "Courier"),
                          article("c", 8, OTHER, "Ledger")], run)
    seen: list[tuple[int, int | None]] = []
    update_stories(con, PARAMS, chunk=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_signatures_hashed_in_processes_give_the_same_stories(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the suite hashes in its coding processes: same members, stories and signatures as
    # hashing in one, across chunk boundaries (chunk 2 of 5 articles: three chunks)
    texts = [WIRE, OTHER, REPRINT, OTHER + " Kyiv said.", WIRE + " Moscow said."]
    stored = []
    pools: list[int] = []
    real_pool = store.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        pools.append(1)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(store, "ProcessPoolExecutor", counted)
    for workers in (1, 2):
        con = connect(str(tmp_path / f"w{workers}.duckdb"))
        run = start_run(con, "test", [], {})
        insert_articles(con, [article(f"a{i}", 7 + i, text, f"Outlet {i % 2}")
                              for i, text in enumerate(texts)], run)
        update = update_stories(con, PARAMS, chunk=2, workers=workers)
        assert update.added == 5
        stored.append(con.execute("SELECT article_id, story_id, similarity, signature "
                                  "FROM story_members ORDER BY 1").fetchall())
        con.close()
    assert pools == [1]  # one pool, for the run with two workers
    assert stored[0] == stored[1]
    assert len({row[1] for row in stored[0]}) == 2  # the reprints joined their wires
