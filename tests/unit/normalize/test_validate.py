"""Tests for foreshock.normalize.validate.to_article, including fixture files end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest

from foreshock.ingest import iter_raw
from foreshock.normalize.text import load_boilerplate
from foreshock.normalize.validate import NO_DATE, derived_id, to_article
from foreshock.records import Article, Quarantined, RawArticle

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"
UTC = dt.UTC


@pytest.fixture(scope="module")
def patterns() -> tuple[re.Pattern[str], ...]:
    return load_boilerplate()


def raw_article(**fields: str | None) -> RawArticle:
    base: dict[str, str | None] = {
        "source_path": "s.jsonl",
        "locator": "s.jsonl:1",
        "text": "Ukraine offered talks.",
        "date_text": "2021-12-02",
    }
    base.update(fields)
    return RawArticle(**base)  # type: ignore[arg-type]


def expected_id(day: str, text: str) -> str:
    return "sha1:" + hashlib.sha1(f"{day}\n{text}".encode()).hexdigest()[:16]


def only(path: Path) -> RawArticle:
    [raw] = list(iter_raw([str(path)]))
    return raw


# --- bad inputs: one fixture per kind, each ends in quarantine with its reason ------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("no_date.txt", NO_DATE),
        ("bad_date.txt", "bad date: '2021-13-45'"),
        ("empty_text.txt", "empty text"),
        (
            "undecodable.txt",
            "undecodable bytes: 'utf-8' codec can't decode byte 0xff in position 45: "
            "invalid start byte",
        ),
    ],
)
def test_bad_text_fixtures_are_quarantined(
    patterns: tuple[re.Pattern[str], ...], name: str, reason: str
) -> None:
    path = BAD / name
    result = to_article(only(path), patterns=patterns)
    assert isinstance(result, Quarantined)
    assert (result.reason, result.source_path, result.locator) == (reason, str(path), str(path))
    assert result.raw  # the original record travels with the reason


def test_bad_date_does_not_fall_back_to_default(patterns: tuple[re.Pattern[str], ...]) -> None:
    result = to_article(
        only(BAD / "bad_date.txt"), default_date=dt.date(2021, 12, 2), patterns=patterns
    )
    assert isinstance(result, Quarantined)
    assert result.reason == "bad date: '2021-13-45'"


def test_no_date_uses_default_date(patterns: tuple[re.Pattern[str], ...]) -> None:
    result = to_article(
        only(BAD / "no_date.txt"), default_date=dt.date(2021, 12, 5), patterns=patterns
    )
    assert isinstance(result, Article)
    assert result.date == dt.date(2021, 12, 5)
    assert result.published == dt.datetime(2021, 12, 5, tzinfo=UTC)


def test_bad_jsonl_fixtures(patterns: tuple[re.Pattern[str], ...]) -> None:
    records = list(iter_raw([str(BAD / "malformed.jsonl"), str(BAD / "undecodable.jsonl")]))
    results = [to_article(raw, patterns=patterns) for raw in records]
    # malformed.jsonl: lines 1, 2, 4, 5; undecodable.jsonl: lines 1, 2 (A = Article)
    kinds = ["A" if isinstance(result, Article) else "Q" for result in results]
    assert kinds == ["A", "Q", "Q", "Q", "A", "Q"]
    reasons = [result.reason for result in results if isinstance(result, Quarantined)]
    assert reasons == [
        "malformed JSON: Expecting ',' delimiter: line 1 column 61 (char 60)",
        "malformed JSON: expected an object, got array",
        "missing text field: looked for text, body, content, article, full_text, maintext, "
        "story",
        "undecodable bytes: 'utf-8' codec can't decode byte 0xc3 in position 54: "
        "invalid continuation byte",
    ]
    assert [result.locator for result in results if isinstance(result, Quarantined)] == [
        f"{BAD / 'malformed.jsonl'}:2",
        f"{BAD / 'malformed.jsonl'}:4",
        f"{BAD / 'malformed.jsonl'}:5",
        f"{BAD / 'undecodable.jsonl'}:2",
    ]


def test_bad_csv_fixtures(patterns: tuple[re.Pattern[str], ...]) -> None:
    results = [
        to_article(raw, patterns=patterns)
        for raw in iter_raw([str(BAD / "no_text_column.csv"), str(BAD / "undecodable.csv")])
    ]
    assert [type(result).__name__ for result in results] == [
        "Quarantined",
        "Article",
        "Quarantined",
        "Article",
    ]
    header, _, row, _ = results
    assert isinstance(header, Quarantined) and isinstance(row, Quarantined)
    assert header.reason == (
        "missing text column: looked for text, body, content, article, full_text, maintext, "
        "story; columns: id, date, headline"
    )
    assert row.locator == f"{BAD / 'undecodable.csv'}:row 2 (lines 3-4)"
    assert row.reason.startswith("undecodable bytes: ")


def test_oversize_text(patterns: tuple[re.Pattern[str], ...]) -> None:
    raw = only(GOOD / "dated.txt")
    # The cleaned text is 87 characters long.
    assert isinstance(to_article(raw, max_chars=87, patterns=patterns), Article)
    result = to_article(raw, max_chars=86, patterns=patterns)
    assert isinstance(result, Quarantined)
    assert result.reason == "oversize text: 87 characters > 86"


# --- good path ----------------------------------------------------------------------------


def test_text_fixture_becomes_article(patterns: tuple[re.Pattern[str], ...]) -> None:
    path = GOOD / "dated.txt"
    result = to_article(only(path), patterns=patterns)
    text = (
        "Kyiv said on Thursday it was ready for talks with Moscow.\n\nThe Kremlin did not comment."
    )
    assert result == Article(
        article_id=expected_id("2021-12-02", text),
        date=dt.date(2021, 12, 2),
        published=dt.datetime(2021, 12, 2, tzinfo=UTC),
        text=text,
        source_path=str(path),
        locator=str(path),
    )
    assert result.article_id == "sha1:cc3b825d3f18386e"  # stable across releases


def test_jsonl_fixture_carries_metadata(patterns: tuple[re.Pattern[str], ...]) -> None:
    path = GOOD / "all_fields.jsonl"
    first, second = (to_article(raw, patterns=patterns) for raw in iter_raw([str(path)]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.article_id, first.title, first.url, first.outlet) == (
        "ap-001",
        "Talks offered",
        "https://example.org/ap-001",
        "Example Wire",
    )
    assert first.published == dt.datetime(2021, 12, 2, 12, 5, tzinfo=UTC)
    assert first.locator == f"{path}:1"
    assert second.article_id == expected_id("2021-12-02", "Russia rejected the offer.")


def test_published_date_is_the_utc_day(patterns: tuple[re.Pattern[str], ...]) -> None:
    raw = raw_article(date_text="2021-12-02T23:30:00-05:00")
    result = to_article(raw, patterns=patterns)
    assert isinstance(result, Article)
    assert result.date == dt.date(2021, 12, 3)
    assert result.published == dt.datetime(2021, 12, 3, 4, 30, tzinfo=UTC)


def test_content_id_is_idempotent(patterns: tuple[re.Pattern[str], ...]) -> None:
    first = to_article(raw_article(text="Same  text.\n", locator="a:1"), patterns=patterns)
    again = to_article(raw_article(text="Same text.", locator="b:7"), patterns=patterns)
    later = to_article(raw_article(text="Same text.", date_text="2021-12-03"), patterns=patterns)
    assert isinstance(first, Article) and isinstance(again, Article)
    assert isinstance(later, Article)
    assert first.article_id == again.article_id == expected_id("2021-12-02", "Same text.")
    assert later.article_id != first.article_id


def test_given_id_is_stripped_and_blank_metadata_dropped(
    patterns: tuple[re.Pattern[str], ...],
) -> None:
    raw = raw_article(article_id="  x-1 ", title="  ", url=" https://e.org/x ", outlet="")
    result = to_article(raw, patterns=patterns)
    assert isinstance(result, Article)
    assert (result.article_id, result.title, result.url, result.outlet) == (
        "x-1",
        None,
        "https://e.org/x",
        None,
    )
    blank_id = to_article(raw_article(article_id="   "), patterns=patterns)
    assert isinstance(blank_id, Article) and blank_id.article_id.startswith("sha1:")


def test_blank_date_text_counts_as_absent(patterns: tuple[re.Pattern[str], ...]) -> None:
    assert to_article(raw_article(date_text="  "), patterns=patterns) == Quarantined(
        source_path="s.jsonl", locator="s.jsonl:1", reason=NO_DATE, raw="Ukraine offered talks."
    )


def test_problem_wins_over_everything(patterns: tuple[re.Pattern[str], ...]) -> None:
    raw = raw_article(problem="malformed JSON: boom", raw='{"x"')
    assert to_article(raw, default_date=dt.date(2021, 1, 1), patterns=patterns) == Quarantined(
        source_path="s.jsonl", locator="s.jsonl:1", reason="malformed JSON: boom", raw='{"x"'
    )


def test_boilerplate_only_text_is_empty(patterns: tuple[re.Pattern[str], ...]) -> None:
    result = to_article(raw_article(text="Advertisement\nRead more"), patterns=patterns)
    assert isinstance(result, Quarantined)
    assert result.reason == "empty text"


def test_none_text_is_empty() -> None:
    result = to_article(raw_article(text=None))
    assert isinstance(result, Quarantined) and result.reason == "empty text"


def test_the_same_body_at_two_links_is_two_articles() -> None:
    day = "2022-02-01"
    one = to_article(RawArticle("f", "f:1", "The same release.", day, url="https://a.org/1"))
    two = to_article(RawArticle("f", "f:2", "The same release.", day, url="https://a.org/2"))
    bare = to_article(RawArticle("f", "f:3", "The same release.", day))
    assert isinstance(one, Article) and isinstance(two, Article) and isinstance(bare, Article)
    assert len({one.article_id, two.article_id, bare.article_id}) == 3
    assert derived_id(one) and derived_id(bare)
    given = to_article(RawArticle("f", "f:4", "The same release.", day, article_id="x-1"))
    assert isinstance(given, Article) and not derived_id(given)
