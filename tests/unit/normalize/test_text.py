"""Tests for foreshock.normalize.text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from foreshock.errors import DataFileError
from foreshock.normalize.text import clean_text, load_boilerplate


@pytest.fixture(scope="module")
def patterns() -> tuple[re.Pattern[str], ...]:
    return load_boilerplate()


def test_bundled_lexicon_loads() -> None:
    assert len(load_boilerplate()) == 8


def test_read_more_link_line_is_dropped(patterns: tuple[re.Pattern[str], ...]) -> None:
    text = (
        "Russia has massed troops near the border, officials said.\n"
        "news Ukraine Leader Calls for Talks with Russia Amid Invasion Fears Read more\n"
        "Moscow denies planning an attack."
    )
    assert clean_text(text, patterns) == (
        "Russia has massed troops near the border, officials said.\n\n"
        "Moscow denies planning an attack."
    )


@pytest.mark.parametrize(
    "line",
    [
        "news Ukraine Leader Calls for Talks with Russia Amid Invasion Fears Read more",
        "Kremlin says troops will return READ MORE »",
        "Read More:",
        "Click here to get the latest updates",
        "Subscribe to our newsletter",
        "Sign up for our daily briefing",
        "Advertisement",
        "ADVERTISEMENT - Scroll to continue",
        "Share this article",
        "Follow us on Twitter @example",
        "https://example.com/world/2021/12/02/story.html",
        "www.example.com",
    ],
)
def test_boilerplate_lines(patterns: tuple[re.Pattern[str], ...], line: str) -> None:
    assert clean_text(f"Kept sentence.\n\n{line}\n\nAlso kept.", patterns) == (
        "Kept sentence.\n\nAlso kept."
    )


@pytest.mark.parametrize(
    "line",
    [
        "Subscribers to the service complained about the outage.",
        "Officials said they wanted people to read more.",
        "He said readers should click here and there.",
        "The advertisement campaign was condemned by Moscow.",
        "See https://example.com for the full statement.",
        # A long paragraph that happens to end in "Read more" is content, not a link.
        "Kyiv said it was ready for talks. " * 10 + "Read more",
    ],
)
def test_content_lines_are_kept(patterns: tuple[re.Pattern[str], ...], line: str) -> None:
    assert clean_text(line, patterns) == line.strip()


def test_whitespace_and_hard_wraps(patterns: tuple[re.Pattern[str], ...]) -> None:
    text = (
        "  Kyiv\u00a0said on\tThursday it was  ready\r\n"
        "for talks\u2009with Moscow.\r\n"
        "\r\n"
        "\n"
        "   \n"
        "The Kremlin did\u00adnot com\u200bment.\n"
    )
    assert clean_text(text, patterns) == (
        "Kyiv said on Thursday it was ready for talks with Moscow.\n\nThe Kremlin didnot comment."
    )


def test_unicode_separators_and_controls(patterns: tuple[re.Pattern[str], ...]) -> None:
    text = "First\u2029Second\x0cThird\x00 part\u2028wrapped"
    assert clean_text(text, patterns) == "First\n\nSecond\n\nThird part wrapped"


def test_nfc_normalisation(patterns: tuple[re.Pattern[str], ...]) -> None:
    assert clean_text("Cafe\u0301 talks", patterns) == "Caf\u00e9 talks"


def test_boilerplate_line_breaks_a_paragraph(patterns: tuple[re.Pattern[str], ...]) -> None:
    assert clean_text("Line one\nAdvertisement\nline two", patterns) == "Line one\n\nline two"


def test_only_boilerplate_gives_empty_text(patterns: tuple[re.Pattern[str], ...]) -> None:
    assert clean_text("Advertisement\n\nShare this article\n", patterns) == ""


def test_default_patterns_are_loaded_when_none_given() -> None:
    assert clean_text("Text.\nAdvertisement\n") == "Text."


def test_custom_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.tsv"
    path.write_text("# comment\npattern\tnote\n^Photo:\tcaptions\n", encoding="utf-8")
    custom = load_boilerplate(path)
    assert clean_text("Photo: AP\nText.\nAdvertisement", custom) == "Text. Advertisement"


def test_bad_regex_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.tsv"
    path.write_text("pattern\tnote\n^ok$\tfine\n(unclosed\tbroken\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_boilerplate(path)
    assert (info.value.path, info.value.line, info.value.value) == (str(path), 3, "(unclosed")


def test_missing_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "boilerplate.tsv"
    path.write_text("^Advertisement$\tads\n", encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_boilerplate(path)
    assert info.value.line == 1


def test_missing_file_is_a_data_file_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_boilerplate(tmp_path / "absent.tsv")
