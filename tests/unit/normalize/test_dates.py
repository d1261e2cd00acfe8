"""Tests for foreshock.normalize.dates."""

from __future__ import annotations

import datetime as dt

import pytest

from foreshock.errors import DateRangeError
from foreshock.normalize.dates import (
    check_date,
    parse_date_option,
    parse_published,
    parse_published_checked,
    parse_relative,
)

UTC = dt.UTC
NOW = dt.datetime(2022, 1, 15, 12, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-12-02", utc(2021, 12, 2)),
        ("20211202", utc(2021, 12, 2)),
        ("2021-12-02T14:05:00", utc(2021, 12, 2, 14, 5)),
        ("2021-12-02T14:05:00Z", utc(2021, 12, 2, 14, 5)),
        ("2021-12-02T14:05:00.250Z", dt.datetime(2021, 12, 2, 14, 5, 0, 250_000, tzinfo=UTC)),
        ("2021-12-02 14:05:00", utc(2021, 12, 2, 14, 5)),
        ("  2021-12-02 14:05:00 \n", utc(2021, 12, 2, 14, 5)),
        ("Thu, 02 Dec 2021 14:05:00 GMT", utc(2021, 12, 2, 14, 5)),
        ("Thu, 02 Dec 2021 14:05:00 +0000", utc(2021, 12, 2, 14, 5)),
        ("December 2, 2021", utc(2021, 12, 2)),
        ("2 December 2021", utc(2021, 12, 2)),
        ("Dec. 2, 2021", utc(2021, 12, 2)),
        ("Dec 2, 2021 2:05 PM", utc(2021, 12, 2, 14, 5)),
        ("2021/12/02", utc(2021, 12, 2)),
        ("25/12/2021", utc(2021, 12, 25)),  # day first: 25 cannot be a month
        ("12/25/2021", utc(2021, 12, 25)),  # month first: 25 cannot be a month
        ("05/05/2021", utc(2021, 5, 5)),  # both orders give the same day
        ("25.12.2021 14:05", utc(2021, 12, 25, 14, 5)),
        ("1638453900", utc(2021, 12, 2, 14, 5)),
        ("1638453900000", utc(2021, 12, 2, 14, 5)),
    ],
)
def test_formats(value: str, expected: dt.datetime) -> None:
    parsed = parse_published(value, now=NOW)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-12-02T14:05:00+02:00", utc(2021, 12, 2, 12, 5)),
        ("2021-12-02T01:30:00+05:30", utc(2021, 12, 1, 20, 0)),  # crosses midnight
        ("2021-12-02T22:00:00-05:00", utc(2021, 12, 3, 3, 0)),
        ("Thu, 02 Dec 2021 14:05:00 EST", utc(2021, 12, 2, 19, 5)),
        ("Thu, 02 Dec 2021 14:05:00 -0800", utc(2021, 12, 2, 22, 5)),
        ("2 December 2021 14:05 CET", utc(2021, 12, 2, 13, 5)),
    ],
)
def test_time_zones_are_converted_to_utc(value: str, expected: dt.datetime) -> None:
    assert parse_published(value, now=NOW) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "hello",
        "12",  # dateutil alone would make this the 12th of the current month
        "2021",
        "Dec 2021",  # no day
        "2021-12",
        "2021-W48",  # an ISO week, not a day
        "December 2",  # no year
        "Dec 2, 21",  # two-digit year
        "02/12/2021",  # 2 December or February 12?
        "02/12/21",
        "13/13/2021",
        "2021-13-45",
        "2021-02-30",
        "Thursday",
        "yesterday",
        "123456789",  # 9 digits: neither an epoch we accept nor a date
        "1899-12-31",  # before 1900
        "2022-01-18",  # more than two days after NOW
        "2021-12-02" + " " * 5 + "x" * 100,  # far too long for a date
    ],
)
def test_garbage_and_implausible_dates_are_rejected(value: str) -> None:
    assert parse_published(value, now=NOW) is None


def test_future_limit_is_two_days() -> None:
    """By calendar day (UTC), the one range every date in Foreshock is held to."""
    assert parse_published("2022-01-17T23:59:00Z", now=NOW) == utc(2022, 1, 17, 23, 59)
    assert parse_published("2022-01-18T00:01:00Z", now=NOW) is None
    assert parse_published_checked("2022-01-18", now=NOW) == (
        "2022-01-18 is outside the plausible range of news dates, 1900-01-01 to 2022-01-17 "
        "(1900-01-01 to today + 2 days (UTC))")


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "9999-12-31", "2022-01-18"])
def test_one_range_for_files_options_and_the_api(value: str) -> None:
    """--date 0001-01-01 used to pass the command line (and then crash alerts and series)
    while the same date in a file was refused: now every path gives the same message."""
    from_file = parse_published_checked(value, now=NOW)
    assert isinstance(from_file, str)
    with pytest.raises(DateRangeError) as option:
        parse_date_option(value, now=NOW)
    assert option.value.message == from_file  # the same message, coded E006
    assert str(option.value) == f"E006 {from_file}"
    with pytest.raises(ValueError, match="outside the plausible range"):
        check_date(dt.date.fromisoformat(value), now=NOW)
    assert check_date(dt.date(1900, 1, 1), now=NOW) == dt.date(1900, 1, 1)
    with pytest.raises(DateRangeError, match="not a date; expected YYYY-MM-DD"):
        parse_date_option("2022-02-30")


def test_default_now_is_the_current_time() -> None:
    today = dt.datetime.now(UTC).date()
    assert parse_published(today.isoformat()) == utc(today.year, today.month, today.day)
    assert parse_published((today + dt.timedelta(days=5)).isoformat()) is None


# 2021-12-02 was a Thursday.
THURSDAY = dt.date(2021, 12, 2)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("today", THURSDAY),
        ("this morning", THURSDAY),
        ("yesterday", dt.date(2021, 12, 1)),
        ("Yesterday evening", dt.date(2021, 12, 1)),
        ("last night", dt.date(2021, 12, 1)),
        ("last week", dt.date(2021, 11, 25)),
        ("Thursday", THURSDAY),  # same weekday: the publication day itself
        ("on Thursday", THURSDAY),
        ("last Thursday", dt.date(2021, 11, 25)),
        ("on Monday", dt.date(2021, 11, 29)),
        ("on Monday night", dt.date(2021, 11, 29)),
        ("  On  Friday. ", dt.date(2021, 11, 26)),
        ("Wednesday", dt.date(2021, 12, 1)),
        ("next week", None),
        ("on Thursdays", None),
        ("in March", None),
        ("", None),
    ],
)
def test_parse_relative(phrase: str, expected: dt.date | None) -> None:
    assert parse_relative(phrase, THURSDAY) == expected
