"""Publication dates and relative date phrases.

``parse_published`` turns the date strings found in news data into aware UTC datetimes and
refuses anything it would have to guess (ambiguous day/month order, missing year, dates far
outside the range news can have).  A wrong date silently shifts events between days, so
``None`` (the record is quarantined) is the safer answer.

Every date that enters Foreshock - from a file, a command-line option (``--date``,
``--since``, ...) or a web request - is held to one plausible range, checked by
``check_date`` with one message: from 1900-01-01 to today + 2 days (UTC).  Dates outside
it are clock or parsing errors, and year 1 or 9999 overflow the date arithmetic of series
and alerts.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as dateutil_parser

from foreshock.errors import DateRangeError

UTC = dt.UTC

# Nothing in a news corpus predates 1900; later dates than "today + 2 days" are clock or
# parsing errors (two days leave room for time zones and embargoed releases).
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=UTC)
EARLIEST_DATE = EARLIEST.date()
FUTURE_SLACK = dt.timedelta(days=2)
DATE_RANGE = "1900-01-01 to today + 2 days (UTC)"

# Date strings are short; a long value is a misplaced field, and dateutil is slow on it.
_MAX_LENGTH = 100

_EPOCH_SECONDS = re.compile(r"\d{10}")
_EPOCH_MILLISECONDS = re.compile(r"\d{13}")
_ISO_BASIC_DATE = re.compile(r"\d{8}")  # 20211202
# fromisoformat accepts a bare ISO week ("2021-W48") as its Monday: that day is a guess.
_ISO_WEEK_ONLY = re.compile(r"\d{4}-?W\d{2}")
# Numeric day/month forms ("02/12/2021", "02.12.2021", "2-12-2021"): the order differs by
# country, so the first two numbers are inspected before dateutil sees the string.
_NUMERIC_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d+)(?=$|[\sT])")
# dateutil turns "21" into 2021 and "12" into the 12th of this month: insist on a 4-digit year.
_FOUR_DIGIT_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")

# Two different defaults: a component missing from the string shows up as a difference
# between the two parses (dateutil otherwise silently fills it from "today").
_DEFAULT_A = dt.datetime(2004, 1, 1)
_DEFAULT_B = dt.datetime(2005, 2, 2)

_H = 3600
# Abbreviations common in English-language news.  Ambiguous ones (IST: India, Ireland or
# Israel) are left out and read as UTC, which is off by hours, never by more than a day.
_TZ_ABBREVIATIONS: dict[str, int] = {
    "UTC": 0, "UT": 0, "GMT": 0, "Z": 0,
    "EST": -5 * _H, "EDT": -4 * _H, "CST": -6 * _H, "CDT": -5 * _H,
    "MST": -7 * _H, "MDT": -6 * _H, "PST": -8 * _H, "PDT": -7 * _H,
    "BST": 1 * _H, "CET": 1 * _H, "CEST": 2 * _H, "EET": 2 * _H, "EEST": 3 * _H,
    "MSK": 3 * _H, "JST": 9 * _H, "KST": 9 * _H, "AEST": 10 * _H, "AEDT": 11 * _H,
}  # fmt: skip


def latest_date(now: dt.datetime | None = None) -> dt.date:
    """The last plausible news date: today (UTC) plus ``FUTURE_SLACK``."""
    return _latest(now).date()


def _latest(now: dt.datetime | None) -> dt.datetime:
    latest = (now if now is not None else dt.datetime.now(UTC)) + FUTURE_SLACK
    return latest if latest.tzinfo is not None else latest.replace(tzinfo=UTC)


def date_range_problem(value: dt.date, *, now: dt.datetime | None = None) -> str | None:
    """Why ``value`` is not a plausible news date, or None if it is (the one message)."""
    day = value.date() if isinstance(value, dt.datetime) else value
    latest = latest_date(now)
    if EARLIEST_DATE <= day <= latest:
        return None
    return (f"{day.isoformat()} is outside the plausible range of news dates, "
            f"{EARLIEST_DATE.isoformat()} to {latest.isoformat()} ({DATE_RANGE})")


def check_date(value: dt.date, *, now: dt.datetime | None = None) -> dt.date:
    """``value`` if it is a plausible news date; else DateRangeError saying the range."""
    problem = date_range_problem(value, now=now)
    if problem is not None:
        raise DateRangeError(problem)
    return value


def parse_date_option(text: str, *, now: dt.datetime | None = None) -> dt.date:
    """A ``YYYY-MM-DD`` option value, checked against the plausible range.

    Raises DateRangeError (a ValueError) with the message every entry point shows.
    """
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise not_a_date(text) from None
    return check_date(value, now=now)


def not_a_date(text: object) -> DateRangeError:
    """The one error for a value that is no ``YYYY-MM-DD`` day (options and the web API)."""
    return DateRangeError(f"{str(text)[:40]!r} is not a date; expected YYYY-MM-DD")


def parse_published(value: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """Parse a publication date/time; return it as an aware UTC datetime, or None.

    Accepts ISO 8601 (with or without time and offset, ``Z``), ``2021-12-02 14:05:00``,
    RFC 2822, ``December 2, 2021``, ``2 December 2021``, ``Dec. 2, 2021``, ``2021/12/02``,
    day/month forms whose order is unambiguous (``25/12/2021``) and 10-digit Unix epoch
    seconds (13 digits: milliseconds).  Naive values are taken as UTC.  ``now`` (default:
    the current time) bounds the future; dates before 1900 are rejected too.
    """
    found = parse_published_checked(value, now=now)
    return found if isinstance(found, dt.datetime) else None


def parse_published_checked(value: str, *, now: dt.datetime | None = None
                            ) -> dt.datetime | str:
    """As ``parse_published``, but saying why not: "unparseable" or the range message."""
    text = " ".join(value.split())
    if not text or len(text) > _MAX_LENGTH:
        return "unparseable"
    try:
        parsed = _parse_any(text)
    except (OverflowError, ValueError):  # e.g. an epoch beyond year 9999
        return "unparseable"
    if parsed is None:
        return "unparseable"
    try:
        published = _to_utc(parsed)
    except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range
        return f"{parsed.date().isoformat()} is outside the plausible range of news dates, " \
               f"{EARLIEST_DATE.isoformat()} to {latest_date(now).isoformat()} ({DATE_RANGE})"
    problem = date_range_problem(published.date(), now=now)
    return published if problem is None else problem


def _parse_any(text: str) -> dt.datetime | None:
    if text.isdigit():
        return _parse_digits(text)
    if _ISO_WEEK_ONLY.fullmatch(text):
        return None
    try:
        # The stdlib parser is strict and fast and covers the ISO forms most feeds use.
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    numeric = _NUMERIC_DMY.match(text)
    if numeric is None:
        return _parse_dateutil(text, dayfirst=False)
    first, second, year = (int(part) for part in numeric.groups())
    if len(numeric.group(3)) != 4:
        return None  # "02/12/21": neither the order nor the century is known
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first or first == second:
        day, month = second, first
    else:
        return None  # both orders possible (or both impossible)
    parsed = _parse_dateutil(text, dayfirst=day == first)
    # Guard against dateutil reading the string differently from the decision above.
    if parsed is None or (parsed.year, parsed.month, parsed.day) != (year, month, day):
        return None
    return parsed


def _parse_digits(digits: str) -> dt.datetime | None:
    if _ISO_BASIC_DATE.fullmatch(digits):
        try:
            return dt.datetime.fromisoformat(digits)
        except ValueError:
            return None
    if _EPOCH_SECONDS.fullmatch(digits):
        return dt.datetime.fromtimestamp(int(digits), UTC)
    if _EPOCH_MILLISECONDS.fullmatch(digits):
        return dt.datetime.fromtimestamp(int(digits) / 1000, UTC)
    return None  # other digit strings ("12", "2021") do not name a day


def _parse_dateutil(text: str, *, dayfirst: bool) -> dt.datetime | None:
    if _FOUR_DIGIT_YEAR.search(text) is None:
        return None
    try:
        first = dateutil_parser.parse(text, default=_DEFAULT_A, dayfirst=dayfirst, tzinfos=_tzinfo)
        second = dateutil_parser.parse(text, default=_DEFAULT_B, dayfirst=dayfirst, tzinfos=_tzinfo)
    except (ValueError, OverflowError, TypeError):
        return None
    if not isinstance(first, dt.datetime) or not isinstance(second, dt.datetime):
        return None
    if (first.year, first.month, first.day) != (second.year, second.month, second.day):
        return None  # year, month or day was missing from the string
    return first


def _tzinfo(name: str | None, offset: int | None) -> dt.tzinfo | None:
    """Time zone for dateutil; a callable so it never falls back to the machine's zone."""
    if offset is not None:
        return dt.timezone(dt.timedelta(seconds=offset))
    if name is not None and name.upper() in _TZ_ABBREVIATIONS:
        return dt.timezone(dt.timedelta(seconds=_TZ_ABBREVIATIONS[name.upper()]))
    return None


def _to_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_WEEKDAY_PHRASE = re.compile(
    rf"(?:on\s+)?(?P<last>last\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)}){_PART_OF_DAY}"
)
_SAME_DAY = re.compile(r"today|tonight|earlier today|this\s+(?:morning|afternoon|evening)")
_DAY_BEFORE = re.compile(rf"yesterday{_PART_OF_DAY}|last\s+night")


def parse_relative(phrase: str, published: dt.date) -> dt.date | None:
    """Resolve a relative date phrase against the publication date; None if not understood.

    A bare weekday ("on Thursday", "Monday night") is the most recent such day on or before
    publication, as news reports past events; "last Thursday" is strictly before it.
    """
    text = " ".join(phrase.lower().split()).strip(" .,;:")
    if _SAME_DAY.fullmatch(text):
        return published
    if _DAY_BEFORE.fullmatch(text):
        return published - dt.timedelta(days=1)
    if text == "last week":
        return published - dt.timedelta(days=7)
    match = _WEEKDAY_PHRASE.fullmatch(text)
    if match is None:
        return None
    days_back = (published.weekday() - _WEEKDAYS.index(match.group("weekday"))) % 7
    if days_back == 0 and match.group("last"):
        days_back = 7
    return published - dt.timedelta(days=days_back)
