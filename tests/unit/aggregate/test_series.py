"""Dyad series in SQL: story de-duplication, weights, volume, thin periods, cut-offs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from foreshock.aggregate.series import Scope, Weights, daily_data, dyad_key, dyad_series
from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.stories.cluster import StoryParams
from foreshock.stories.store import update_stories

WEIGHTS = Weights(quad=((1, 0.0), (2, 0.0), (3, 1.0), (4, 2.0)), root=(("13", 2.0),),
                  code=(("154", 3.0),))
GOLDSTEIN = {"042": (1.9, 1), "130": (-4.4, 3), "112": (-2.0, 3), "154": (-7.2, 4),
             "190": (-10.0, 4)}
WIRE = ("Russian officials warned Ukraine on Monday that any move in the east would be met "
        "with force, while Kyiv accused Moscow of massing troops near the border again.")


def article(article_id: str, date: dt.date, text: str, outlet: str) -> Article:
    return Article(article_id, date, dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC), text,
                   title=text[:40], outlet=outlet)


def event(article_id: str, n: int, date: dt.date, source: str, target: str, code: str,
          modality: Modality = Modality.ASSERTED) -> Event:
    goldstein, quad = GOLDSTEIN[code]
    return Event(f"{article_id}-{n}", article_id, date, n, f"{source} {code} {target}.", 0, 5,
                 source, None, target, None, code, code[:2], goldstein, quad, modality, None,
                 f"p.{code}", "test.v1")


def load(con: duckdb.DuckDBPyConnection, items: list[tuple[Article, list[Event]]]) -> None:
    run = start_run(con, "test", [], {})
    insert_articles(con, [a for a, _ in items], run)
    store_coded(con, [a.article_id for a, _ in items],
                events_table([e for _, es in items for e in es], run), "test.v1")
    update_stories(con, StoryParams())


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(str(tmp_path / "series.duckdb"))
    d = dt.date(2022, 1, 3)  # a Monday
    items: list[tuple[Article, list[Event]]] = []
    # one wire story in three outlets (two on the same day, one the next), each coded alike
    for n, (outlet, day) in enumerate([("Wire", 0), ("Ledger", 0), ("Courier", 1)]):
        aid = f"wire{n}"
        date = d + dt.timedelta(days=day)
        items.append((article(aid, date, WIRE, outlet),
                      [event(aid, 0, date, "RUS", "UKR", "130"),
                       event(aid, 1, date, "UKR", "RUS", "112")]))
    # unrelated background, a mobilisation, and non-asserted events that must not count
    for i in range(6):
        date = d + dt.timedelta(days=i)
        aid = f"bg{i}"
        items.append((article(aid, date, f"Background report number {i} about trade talks "
                              f"between partners {i * 7} times over.", "Ledger"),
                      [event(aid, 0, date, "USA", "CAN", "042"),
                       event(aid, 1, date, "RUS", "UKR", "190", Modality.HYPOTHETICAL)]))
    items.append((article("mob", d + dt.timedelta(days=8), "Russia mobilised reserves near the "
                          "border, officials said on Tuesday evening.", "Wire"),
                  [event("mob", 0, d + dt.timedelta(days=8), "RUS", "UKR", "154")]))
    # a quiet week with one article, so the range of weeks has a thin one in the middle
    items.append((article("late", d + dt.timedelta(days=21), "Talks resumed in Geneva.",
                          "Ledger"), [event("late", 0, d + dt.timedelta(days=21), "USA", "CAN",
                                            "042")]))
    load(con, items)
    return con


def test_a_reprinted_story_counts_once_with_articles_and_sources_beside(
        con: duckdb.DuckDBPyConnection) -> None:
    rows = dyad_series(con, Scope(), WEIGHTS, freq="week", dyad="RUS-UKR")
    first = rows[0]
    assert first.period == dt.date(2022, 1, 3)
    assert first.events == 6  # 3 articles x 2 asserted events
    assert first.story_events == 2  # RUS->UKR 13 and UKR->RUS 11, once each
    assert (first.q3, first.q4) == (2, 0)
    assert first.num_articles == 6 and first.num_sources == 3
    assert first.goldstein_sum == pytest.approx(-6.4)
    assert first.goldstein_mean == pytest.approx(-3.2)
    assert first.conflict_share == pytest.approx(1.0)
    assert first.intensity == pytest.approx(1 * 2.0 + 1 * 1.0)  # threat weighted twice
    # all coded story-events of the week: the two wire ones + 6 background (hypothetical
    # ones do not count)
    assert first.all_story_events == 8
    assert first.intensity_rate == pytest.approx(3.0 / 8)
    assert (first.articles, first.stories) == (9, 7)


def test_weeks_without_events_appear_and_thin_weeks_are_flagged(
        con: duckdb.DuckDBPyConnection) -> None:
    rows = dyad_series(con, Scope(), WEIGHTS, freq="week", dyad="RUS-UKR", min_support=2)
    assert [r.period for r in rows] == [dt.date(2022, 1, 3) + dt.timedelta(weeks=i)
                                        for i in range(4)]
    assert [r.story_events for r in rows] == [2, 1, 0, 0]
    assert rows[1].intensity == pytest.approx(2.0 * 3.0)  # quad 4 x code 154
    assert [r.thin for r in rows] == [False, True, True, True]
    assert rows[2].articles == 0


def test_directed_keys_and_daily_frequency(con: duckdb.DuckDBPyConnection) -> None:
    assert dyad_key("UKR", "RUS", directed=False) == "RUS-UKR"
    assert dyad_key("UKR", "RUS", directed=True) == "UKR>RUS"
    rows = dyad_series(con, Scope(), WEIGHTS, freq="day", directed=True, dyad="UKR>RUS")
    assert rows[0].period == dt.date(2022, 1, 3) and rows[0].story_events == 1
    assert sum(r.story_events for r in rows) == 1  # the reprint next day is the same story
    everything = dyad_series(con, Scope(), WEIGHTS, freq="week")
    assert {r.dyad for r in everything} == {"CAN-USA", "RUS-UKR"}


def test_until_cuts_everything_published_later(con: duckdb.DuckDBPyConnection) -> None:
    rows = dyad_series(con, Scope(until=dt.date(2022, 1, 3)), WEIGHTS, freq="week",
                       dyad="RUS-UKR")
    assert len(rows) == 1
    assert rows[0].events == 4 and rows[0].num_articles == 4  # the Courier reprint is later


def test_excluded_actors_and_hostile_dyad_strings(con: duckdb.DuckDBPyConnection) -> None:
    rows = dyad_series(con, Scope(exclude_actors=("CAN",)), WEIGHTS, freq="week")
    assert {r.dyad for r in rows} == {"RUS-UKR"}
    assert dyad_series(con, Scope(), WEIGHTS, dyad="RUS-UKR'; DROP TABLE events; --") == []
    assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] > 0
    with pytest.raises(ValueError, match="expected one of"):
        dyad_series(con, Scope(), WEIGHTS, freq="month")
    with pytest.raises(ValueError, match="expected one of"):
        dyad_series(con, Scope(members="articles; DROP TABLE events"), WEIGHTS)


def test_daily_data_is_dense_and_matches_the_sql_series(
        con: duckdb.DuckDBPyConnection) -> None:
    data = daily_data(con, Scope(), WEIGHTS, directions=(False, True))
    assert data.days[0] == dt.date(2022, 1, 3) and data.days[-1] == dt.date(2022, 1, 24)
    assert len(data.days) == 22
    assert data.totals.sum() == 8 + 1 + 1
    assert data.articles.sum() == 11 and data.stories.sum() == 9
    row = data.dyads.index("RUS-UKR")
    assert not data.directed[row]
    assert data.conflict[row].sum() == pytest.approx(3.0 + 6.0)
    assert data.verbal[row].sum() == pytest.approx(3.0)
    assert data.material[row].sum() == pytest.approx(6.0)
    assert data.counts[row].sum() == 3 and data.conflict_counts[row].sum() == 3
    directed = [i for i, (d, x) in enumerate(zip(data.dyads, data.directed, strict=True))
                if x and d == "RUS>UKR"]
    assert len(directed) == 1 and data.counts[directed[0]].sum() == 2
    cut = daily_data(con, Scope(until=dt.date(2022, 1, 30)), WEIGHTS,
                     start=dt.date(2022, 1, 1))
    assert cut.days[0] == dt.date(2022, 1, 1) and cut.days[-1] == dt.date(2022, 1, 30)


def test_weights_rule_in_python_matches_sql() -> None:
    assert WEIGHTS.of(4, "15", "154") == 6.0
    assert WEIGHTS.of(3, "13", "130") == 2.0
    assert WEIGHTS.of(3, "11", "112") == 1.0
    assert WEIGHTS.of(1, "04", "042") == 0.0


def test_domestic_dyads_need_an_armed_side_and_carry_force_by_direction(
        tmp_path: Path) -> None:
    con = connect(str(tmp_path / "domestic.duckdb"))
    d = dt.date(2023, 4, 15)

    def domestic(aid: str, n: int, source: tuple[str, str | None],
                 target: tuple[str, str | None], code: str) -> Event:
        goldstein, quad = GOLDSTEIN[code]
        return Event(f"{aid}-{n}", aid, d, n, "x.", 0, 1, source[0], source[1], target[0],
                     target[1], code, code[:2], goldstein, quad, Modality.ASSERTED, None,
                     "p", "test.v1")

    items = [
        (article("a", d, "The army fought the paramilitary in the capital today.", "W"),
         [domestic("a", 0, ("SDN", "MIL"), ("SDN", "REB"), "190"),
          domestic("a", 1, ("SDN", "REB"), ("SDN", "MIL"), "190")]),
        (article("b", d, "The government criticised the opposition party in parliament.", "W"),
         [domestic("b", 0, ("USA", "GOV"), ("USA", "CVL"), "112"),  # politics: no dyad
          domestic("b", 1, ("SDN", "MIL"), ("SDN", "MIL"), "042")]),  # one sector: none
    ]
    load(con, items)
    data = daily_data(con, Scope(), WEIGHTS)
    assert data.dyads == ("SDNMIL-SDNREB",)
    assert data.force[0].sum() == 2 and data.force_stories[0].sum() == 1
    assert data.front_dyads == ("SDNMIL>SDNREB", "SDNREB>SDNMIL")
    assert data.front_parent == (0, 0)
    assert data.front_force is not None and data.front_force.sum() == 2
    rows = dyad_series(con, Scope(), WEIGHTS, freq="day", dyad="SDNMIL-SDNREB")
    assert rows[0].events == 2 and rows[0].story_events == 2 and rows[0].q4 == 2


def test_series_count_an_event_in_the_week_of_its_event_date(tmp_path: Path) -> None:
    """Published on Monday 10 January about Saturday the 8th: the series puts the act in
    the week of 3 January; the daily detector data keep it on its publication day."""
    from dataclasses import replace

    con = connect(str(tmp_path / "dated.duckdb"))
    monday = dt.date(2022, 1, 10)
    dated = replace(event("d", 0, monday, "RUS", "UKR", "190"),
                    event_date=dt.date(2022, 1, 8), event_date_precision="day")
    undated = event("u", 0, monday, "RUS", "UKR", "190")
    load(con, [(article("first", dt.date(2022, 1, 3), "An earlier report on trade.", "Wire"),
                []),
               (article("d", monday, "Russian forces attacked on Saturday.", "Wire"),
                [dated]),
               (article("u", monday, "Russian forces attacked again, said the army.",
                        "Ledger"), [undated])])
    rows = {r.period: r for r in dyad_series(con, Scope(), WEIGHTS, freq="week",
                                              dyad="RUS-UKR")}
    assert rows[dt.date(2022, 1, 3)].story_events == 1
    assert rows[dt.date(2022, 1, 3)].events == 1
    assert rows[dt.date(2022, 1, 10)].story_events == 1
    data = daily_data(con, Scope(), WEIGHTS)
    assert data.counts[data.dyads.index("RUS-UKR")][data.days.index(monday)] == 2
