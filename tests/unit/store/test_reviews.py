"""Reviews: appended, the latest verdict counts, and wrong events shadowed on a read-only
connection without a write."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from foreshock.store.reviews import (
    ReviewInput,
    add_review,
    current_verdicts,
    excluding_wrong,
    has_reviews,
    review_rows,
    wrong_count,
)

EVENTS = """CREATE TABLE events (event_id VARCHAR, article_id VARCHAR, date DATE,
    sentence VARCHAR, source VARCHAR, target VARCHAR, code VARCHAR, root VARCHAR,
    modality VARCHAR, start_char INTEGER, end_char INTEGER, extractor VARCHAR)"""


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "r.duckdb"
    con = duckdb.connect(str(path))
    con.execute(EVENTS)
    for n in range(3):
        con.execute("INSERT INTO events VALUES (?, 'a1', '2022-01-01', 'Russia attacked.', "
                    "'RUS', 'UKR', '190', '19', 'asserted', 7, 15, 'rules.v1')", [f"e{n}"])
    con.close()
    return path


def test_the_latest_review_counts_and_none_is_deleted(db: Path) -> None:
    con = duckdb.connect(str(db))
    assert not has_reviews(con) and current_verdicts(con) == {} and wrong_count(con) == 0
    t0 = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    first = add_review(con, ReviewInput("e1", "wrong", "a warning"), now=t0)
    assert first is not None and first["code"] == "190" and first["sentence"]
    assert add_review(con, ReviewInput("nothing", "wrong")) is None
    assert current_verdicts(con) == {"e1": "wrong"} and wrong_count(con) == 1
    add_review(con, ReviewInput("e1", "right"), now=t0 + dt.timedelta(minutes=1))
    assert current_verdicts(con, ["e1", "e2"]) == {"e1": "right"} and wrong_count(con) == 0
    assert [r["verdict"] for r in review_rows(con)] == ["right", "wrong"]
    with pytest.raises(ValueError, match="verdict"):
        ReviewInput("e1", "maybe")
    con.close()


def test_wrong_events_are_left_out_on_a_read_only_connection(db: Path) -> None:
    con = duckdb.connect(str(db))
    add_review(con, ReviewInput("e0", "wrong"))
    con.close()
    before = db.read_bytes()
    con = duckdb.connect(str(db), read_only=True)
    with excluding_wrong(con) as left_out:
        assert left_out == 1
        assert [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()
                ] == ["e1", "e2"]
    assert con.execute("SELECT count(*) FROM events").fetchall() == [(3,)]
    with excluding_wrong(con, active=False) as left_out:
        assert left_out == 0
        assert con.execute("SELECT count(*) FROM events").fetchall() == [(3,)]
    con.close()
    assert db.read_bytes() == before
