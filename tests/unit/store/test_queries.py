"""Named event queries: the filters on where an event happened and on mirrored pairs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.store.queries import EventFilter, select_events


def _event(eid: str, source: str, target: str | None, code: str, start: int,
           place_country: str | None = None) -> Event:
    return Event(eid, "a1", dt.date(2022, 3, 1), 0, "S.", start, start + 1, source, "GOV",
                 target, "GOV" if target else None, code, code[:2], 1.0, 1,
                 Modality.ASSERTED, None, "p", "v", place="Vienna" if place_country else None,
                 place_country=place_country)


def test_undirected_shows_a_mirrored_meeting_once_and_country_of_action_filters(
        tmp_path: Path) -> None:
    con = connect(str(tmp_path / "t.duckdb"))
    run = start_run(con, "test", [], {})
    day = dt.date(2022, 3, 1)
    insert_articles(con, [Article("a1", day, dt.datetime(2022, 3, 1, tzinfo=dt.UTC), "S.")],
                    run)
    events = [_event("m1", "USA", "CHN", "046", 0, "AUT"),
              _event("m2", "CHN", "USA", "046", 0, "AUT"),  # the mirror of m1
              _event("s1", "RUS", None, "010", 5),  # no target: always shown
              _event("c1", "UKR", "RUS", "112", 9),  # one direction only: shown
              _event("c2", "RUS", "UKR", "112", 12)]  # another act (another trigger)
    store_coded(con, ["a1"], events_table(events, run), "v")
    both = {r["event_id"] for r in select_events(con, EventFilter())}
    once = {r["event_id"] for r in select_events(con, EventFilter(undirected=True))}
    assert both == {"m1", "m2", "s1", "c1", "c2"}
    assert once == {"m2", "s1", "c1", "c2"}  # CHN->USA: the source sorts first
    located = select_events(con, EventFilter(country_of_action="AUT", undirected=True))
    assert [(r["event_id"], r["place"]) for r in located] == [("m2", "Vienna")]
