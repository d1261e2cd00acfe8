"""The analysis schema upgrades an alerts table written before alerts.v2 in place; the
story-event relation picks its representative mention by the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from foreshock.alerts.run import Alert, load_alerts, write_alerts
from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.store.stories_schema import (
    ALERT_ADDED_COLUMNS,
    ensure_analysis_schema,
    story_events_sql,
)

OLD_ALERTS = """
    CREATE TABLE alerts (
        alert_id VARCHAR PRIMARY KEY, scope VARCHAR NOT NULL, dyad VARCHAR NOT NULL,
        directed BOOLEAN NOT NULL, date DATE NOT NULL, detector VARCHAR NOT NULL,
        signal VARCHAR NOT NULL, score DOUBLE NOT NULL, threshold DOUBLE NOT NULL,
        value DOUBLE NOT NULL, baseline DOUBLE, window_events INTEGER NOT NULL,
        window_articles INTEGER NOT NULL, dyad_events INTEGER NOT NULL,
        episode_start DATE NOT NULL, evidence JSON NOT NULL, basis VARCHAR NOT NULL,
        created TIMESTAMPTZ NOT NULL)
"""


def test_an_old_alerts_table_gains_the_new_columns_and_takes_new_alerts(
        tmp_path: Path) -> None:
    con = connect(str(tmp_path / "old.duckdb"))
    con.execute(OLD_ALERTS)
    ensure_analysis_schema(con)
    columns = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'alerts'"
    ).fetchall()}
    assert {name for name, _ in ALERT_ADDED_COLUMNS} <= columns
    ensure_analysis_schema(con)  # idempotent
    day = dt.date(2022, 2, 24)
    alert = Alert("RUS-UKR", False, day, "onset", "force", 8.3, 4.0, 0.29, 0.02, 34, 40, 10,
                  episode_start=day, kind="onset", context="", stories=9, window_days=2,
                  explanation="onset: 10 force story-events from 9 stories")
    assert write_alerts(con, "all", [alert], "test") == 1
    stored = load_alerts(con)[0]
    assert (stored["kind"], stored["stories"], stored["window_days"]) == ("onset", 9, 2)
    assert stored["explanation"].startswith("onset: 10 force")


def test_a_story_event_is_shown_by_its_first_trigger_whatever_the_event_ids(
        tmp_path: Path) -> None:
    """One sentence with two acts of one dyad and root ("shelled ... and then stormed"): the
    story-event shows the first trigger in the text; its event id (which hashes the coder's
    version) must not choose, or a new version would change what a reader is shown."""
    day = dt.date(2022, 3, 1)
    sentence = "Russian forces shelled Kharkiv and then stormed Ukrainian positions."
    article = Article("a1", day, dt.datetime(2022, 3, 1, 12, tzinfo=dt.UTC), sentence,
                      title="t", outlet="Wire")
    shown = []
    for first_id, second_id in (("e-a", "e-b"), ("e-b", "e-a")):
        con = connect(str(tmp_path / f"{first_id}.duckdb"))
        run = start_run(con, "test", [], {})
        insert_articles(con, [article], run)
        shell = Event(first_id, "a1", day, 0, sentence, 15, 22, "RUS", "MIL", "UKR", None,
                      "195", "19", -10.0, 4, Modality.ASSERTED, None, "p", "test.v1")
        storm = replace(shell, event_id=second_id, start=40, end=47, code="192")
        store_coded(con, ["a1"], events_table([storm, shell], run), "test.v1")
        ensure_analysis_schema(con)
        con.execute("INSERT INTO story_members VALUES ('a1', 's1', ?, ?, 'Wire', 1.0, ''::BLOB,"
                    " 'p')", [day, article.published])
        shown.append(con.execute(
            f"SELECT code, event_id FROM ({story_events_sql()})").fetchall())
        con.close()
    assert [rows[0][0] for rows in shown] == ["195", "195"]  # the first trigger, both times
    assert [rows[0][1] for rows in shown] == ["e-a", "e-b"]
