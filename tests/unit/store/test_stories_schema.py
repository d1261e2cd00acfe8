"""The analysis schema upgrades an alerts table written before alerts.v2 in place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from foreshock.alerts.run import Alert, load_alerts, write_alerts
from foreshock.store.db import connect
from foreshock.store.stories_schema import ALERT_ADDED_COLUMNS, ensure_analysis_schema

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
