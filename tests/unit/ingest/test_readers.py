"""Tests for foreshock.ingest.readers.iter_raw."""

from __future__ import annotations

import gzip
import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO, TextIO

import pytest

from foreshock.errors import SettingsError, SourceError
from foreshock.ingest import iter_raw
from foreshock.ingest.readers import RAW_LIMIT, ReadMeter, is_file_problem
from foreshock.records import RawArticle, Skipped

FIXTURES = Path(__file__).parents[2] / "fixtures" / "ingest"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"

MAPPING = {
    "text": "story",
    "date": "pub_date",
    "id": "doc",
    "title": "headline",
    "url": "link",
    "source": "outlet",
}


def read(
    *paths: Path | str,
    csv_columns: Mapping[str, str] | None = None,
    stdin: TextIO | BinaryIO | None = None,
) -> list[RawArticle]:
    return list(iter_raw([str(path) for path in paths], csv_columns=csv_columns, stdin=stdin))


# --- plain text ---------------------------------------------------------------------------


def test_text_file_with_date_header() -> None:
    path = GOOD / "dated.txt"
    [raw] = read(path)
    assert raw.source_path == str(path)
    assert raw.locator == str(path)
    assert raw.date_text == "2021-12-02"
    assert raw.text == (
        "Kyiv said on Thursday it was ready\nfor talks with Moscow.\n\n"
        "The Kremlin did not comment.\n"
    )
    assert raw.article_id is None
    assert raw.problem is None
    assert raw.raw.startswith("date 2021-12-02\nKyiv")


@pytest.mark.parametrize(
    ("first_line", "expected"),
    [
        ("date 2021-12-02", "2021-12-02"),
        ("DATE\t2021-12-02", "2021-12-02"),
        ("Date: 2021-12-02", "2021-12-02"),
        ("date:2021-12-02", "2021-12-02"),
        ("  date 2021-12-02  ", "2021-12-02"),
        ("date: December 2, 2021", "December 2, 2021"),
        ("date 2021-13-45", "2021-13-45"),  # kept: validation reports the bad date
    ],
)
def test_text_date_header_forms(tmp_path: Path, first_line: str, expected: str) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"{first_line}\nBody text.\n", encoding="utf-8")
    [raw] = read(path)
    assert raw.date_text == expected
    assert raw.text == "Body text.\n"


@pytest.mark.parametrize(
    "first_line",
    ["Date night in Kyiv was quiet.", "date December 2, 2021", "updated 2021-12-02", "date"],
)
def test_text_without_date_header_keeps_first_line(tmp_path: Path, first_line: str) -> None:
    path = tmp_path / "a.txt"
    content = f"{first_line}\nBody text.\n"
    path.write_text(content, encoding="utf-8")
    [raw] = read(path)
    assert raw.date_text is None
    assert raw.text == content


def test_text_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfdate 2021-12-02\nBody.\n")
    [raw] = read(path)
    assert raw.date_text == "2021-12-02"
    assert raw.text == "Body.\n"


def test_undecodable_text_file_is_one_problem_record() -> None:
    path = BAD / "undecodable.txt"
    assert b"\xff" in path.read_bytes()  # the fixture must keep its invalid bytes
    [raw] = read(path)
    assert raw.problem == (
        "undecodable bytes: 'utf-8' codec can't decode byte 0xff in position 45: invalid start byte"
    )
    assert raw.text is None
    assert raw.locator == str(path)
    assert "\ufffd" in raw.raw  # lossy copy for the quarantine report


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_all_fields_and_alternative_keys() -> None:
    path = GOOD / "all_fields.jsonl"
    first, second = read(path)
    assert first == RawArticle(
        source_path=str(path),
        locator=f"{path}:1",
        text="Ukraine offered talks with Russia.",
        date_text="2021-12-02T14:05:00+02:00",
        article_id="ap-001",
        title="Talks offered",
        url="https://example.org/ap-001",
        outlet="Example Wire",
        raw=path.read_text(encoding="utf-8").splitlines()[0],
    )
    # Line 2 is blank and skipped, but line numbers stay those of the file.
    assert second.locator == f"{path}:3"
    assert second.text == "Russia rejected the offer."
    assert second.date_text == "Thu, 02 Dec 2021 09:00:00 GMT"
    assert (second.article_id, second.title, second.url, second.outlet) == (None,) * 4


def test_malformed_jsonl_lines_become_problems() -> None:
    path = BAD / "malformed.jsonl"
    records = read(path)
    assert [record.locator.rsplit(":", 1)[1] for record in records] == ["1", "2", "4", "5"]
    assert records[0].problem is None
    assert records[0].article_id == "m-1"
    assert records[1].problem == (
        "malformed JSON: Expecting ',' delimiter: line 1 column 61 (char 60)"
    )
    assert records[1].raw == '{"id": "m-2", "date": "2021-12-02", "text": "Missing brace."'
    assert records[2].problem == "malformed JSON: expected an object, got array"
    assert records[3].problem == ("missing text field: looked for text, body, content, "
                                  "article, full_text, maintext, story")


def test_undecodable_jsonl_line_affects_only_that_line() -> None:
    path = BAD / "undecodable.jsonl"
    assert b"\xc3\x28" in path.read_bytes()
    good, bad = read(path)
    assert good.problem is None
    assert good.text == "Clean line."
    assert bad.locator == f"{path}:2"
    assert bad.problem == (
        "undecodable bytes: 'utf-8' codec can't decode byte 0xc3 in position 54: "
        "invalid continuation byte"
    )
    assert bad.raw == '{"id": "u-2", "date": "2021-12-02", "text": "Bad byte \ufffd( here."}'


def test_jsonl_value_types(tmp_path: Path) -> None:
    path = tmp_path / "types.jsonl"
    lines = [
        {"id": 7, "date": 1638453900, "text": "Epoch date.", "title": None, "source": {"n": 1}},
        {"date": "2021-12-02", "text": ["not", "a", "string"]},
        {"date": [2021, 12, 2], "text": "Odd date."},
        {"datetime": "2021-12-02", "content": "Fallback keys.", "date": None},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    epoch, listed, odd_date, fallback = read(path)
    assert (epoch.article_id, epoch.date_text, epoch.title, epoch.outlet) == (
        "7",
        "1638453900",
        None,
        None,
    )
    assert listed.problem == "bad text field: 'text' is not a string (got array)"
    assert odd_date.date_text == "[2021, 12, 2]"  # passed on so validation says "bad date"
    assert (fallback.text, fallback.date_text) == ("Fallback keys.", "2021-12-02")


def test_raw_is_truncated(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"date": "2021-12-02", "text": "x" * 20_000}) + "\n")
    [raw] = read(path)
    assert len(raw.raw) == RAW_LIMIT
    assert raw.text == "x" * 20_000


def test_json_array_and_single_object(tmp_path: Path) -> None:
    array = tmp_path / "array.json"
    array.write_text(
        json.dumps([{"id": "a", "date": "2021-12-02", "text": "One."}, 5], indent=2),
        encoding="utf-8",
    )
    single = tmp_path / "single.json"
    single.write_text(json.dumps({"id": "s", "date": "2021-12-02", "text": "Two."}, indent=2))
    lines = tmp_path / "lines.json"
    lines.write_text('{"id": "l1", "date": "2021-12-02", "text": "Three."}\n{"id": "l2"\n')
    first, number, obj, line1, line2 = read(array, single, lines)
    assert (first.locator, first.article_id) == (f"{array}:item 1", "a")
    assert (number.locator, number.problem) == (
        f"{array}:item 2",
        "malformed JSON: expected an object, got number",
    )
    assert (obj.locator, obj.article_id, obj.text) == (str(single), "s", "Two.")
    assert (line1.locator, line1.article_id) == (f"{lines}:1", "l1")
    assert line2.locator == f"{lines}:2"
    assert line2.problem is not None and line2.problem.startswith("malformed JSON: ")


# --- CSV ----------------------------------------------------------------------------------


def test_csv_with_column_mapping_and_newline_in_field() -> None:
    path = GOOD / "mapped.csv"
    first, second = read(path, csv_columns=MAPPING)
    assert first == RawArticle(
        source_path=str(path),
        locator=f"{path}:row 1 (lines 2-3)",
        text="Russia massed troops near the border.\nKyiv protested.",
        date_text="2021-12-01",
        article_id="c-1",
        title="Troops massed",
        url="https://example.org/c-1",
        outlet="Example Times",
        raw=json.dumps(
            {
                "doc": "c-1",
                "headline": "Troops massed",
                "pub_date": "2021-12-01",
                "story": "Russia massed troops near the border.\nKyiv protested.",
                "link": "https://example.org/c-1",
                "outlet": "Example Times",
            },
            ensure_ascii=False,
        ),
    )
    assert second.locator == f"{path}:row 2 (line 4)"
    assert second.text == "NATO urged restraint, officials said."
    assert (second.title, second.url, second.outlet) == (None, None, None)  # empty cells


def test_csv_common_names_need_no_mapping() -> None:
    path = GOOD / "mapped.csv"
    first = read(path)[0]
    assert (first.article_id, first.title, first.date_text, first.url, first.outlet) == (
        None, "Troops massed", "2021-12-01", "https://example.org/c-1", "Example Times")
    assert first.text is not None and first.text.startswith("Russia massed troops")


def test_csv_without_a_text_column_is_one_file_problem(tmp_path: Path) -> None:
    path = tmp_path / "headlines.csv"
    path.write_text("doc,headline,pub_date\nc-1,Troops massed,2021-12-01\n", encoding="utf-8")
    [problem] = read(path)
    assert problem.locator == f"{path}:header"
    assert is_file_problem(problem)
    assert problem.problem == (
        "missing text column: looked for text, body, content, article, full_text, maintext, "
        "story; columns: doc, headline, pub_date"
    )


def test_csv_mapped_column_absent_from_header() -> None:
    path = GOOD / "mapped.csv"
    [problem] = read(path, csv_columns={**MAPPING, "date": "published_at"})
    assert problem.problem is not None
    assert problem.problem.startswith("missing mapped column: 'published_at' (mapped to date)")


def test_csv_default_names_are_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "alt.csv"
    path.write_text("Body,Published\n\nSome text.,2021-12-02\n", encoding="utf-8")
    [raw] = read(path)
    assert (raw.locator, raw.text, raw.date_text) == (
        f"{path}:row 1 (line 3)", "Some text.", "2021-12-02")


def test_csv_undecodable_row_and_short_and_long_rows(tmp_path: Path) -> None:
    path = BAD / "undecodable.csv"
    assert b"\xff" in path.read_bytes()
    clean, bad, after = read(path)
    assert clean.problem is None and after.problem is None
    assert (clean.article_id, after.article_id) == ("v-1", "v-3")
    assert bad.locator == f"{path}:row 2 (lines 3-4)"
    assert bad.problem == (
        "undecodable bytes: 'utf-8' codec can't decode byte 0xff in position 4: invalid start byte"
    )
    assert "\ufffd" in bad.raw

    ragged = tmp_path / "ragged.csv"
    ragged.write_text("id,date,text\nr-1,2021-12-02\nr-2,2021-12-02,Text.,extra\nr-3,,T.,\n")
    short, long, trailing = read(ragged)
    assert short.problem == "short row: no value for text column 'text'"
    assert long.problem == "ragged row: 4 fields but the header has 3"
    assert (trailing.problem, trailing.text, trailing.date_text) == (None, "T.", None)


def test_csv_large_field(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("date,text\n2021-12-02," + "y" * 300_000 + "\n", encoding="utf-8")
    [raw] = read(path)
    assert raw.problem is None
    assert raw.text is not None and len(raw.text) == 300_000


def test_unknown_csv_column_field_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="txt"):
        iter_raw([str(GOOD / "mapped.csv")], csv_columns={"txt": "story"})


# --- directories, gzip, stdin -------------------------------------------------------------


def test_directory_is_walked_recursively_in_sorted_order() -> None:
    corpus = GOOD / "corpus"
    records = read(corpus)
    assert [os.path.relpath(r.locator, corpus) for r in records] == [
        "a.txt",
        os.path.join("sub", "b.jsonl:1"),
        os.path.join("sub", "b.jsonl:2"),
        os.path.join("sub", "deeper", "c.csv:row 1 (line 2)"),
    ]  # notes.md (unknown type) and .hidden.txt are skipped
    assert [r.problem for r in records] == [None] * 4
    assert read(corpus) == records  # deterministic


def test_gzip_file_is_read_transparently() -> None:
    path = GOOD / "article.jsonl.gz"
    [raw] = read(path)
    assert (raw.locator, raw.article_id, raw.text) == (
        f"{path}:1",
        "gz-1",
        "Estonia recalled its ambassador.",
    )


def test_gzip_text_file(tmp_path: Path) -> None:
    path = tmp_path / "a.TXT.gz"
    path.write_bytes(gzip.compress(b"date 2021-12-02\nCompressed text.\n"))
    [raw] = read(path)
    assert (raw.date_text, raw.text) == ("2021-12-02", "Compressed text.\n")


def test_corrupt_gzip_is_one_problem_after_the_records_before_it(tmp_path: Path) -> None:
    """A truncated archive must not cost the records read before the damage, nor the run."""
    path = tmp_path / "broken.jsonl.gz"
    lines = b"".join(b'{"text": "x%d", "date": "2021-12-02"}\n' % i for i in range(3000))
    path.write_bytes(gzip.compress(lines)[:-12])
    after = tmp_path / "after.txt"
    after.write_text("date 2021-12-02\nStill read.\n")
    *records, problem, last = read(path, after)
    # what was decompressed before the damage is kept (the last chunk read is lost)
    assert len(records) > 1000 and all(r.problem is None for r in records)
    assert problem.locator == f"{path}:{len(records) + 1}"
    assert problem.problem is not None and problem.problem.startswith(
        "cannot read file: truncated compressed file")
    assert f"the {len(records)} record(s) before it were read" in problem.problem
    assert last.text == "Still read.\n"


def test_stdin_jsonl_binary() -> None:
    stream = io.BytesIO(b'\n  {"id": "s-1", "date": "2021-12-02", "text": "From a pipe."}\n{bad\n')
    good, bad = read("-", stdin=stream)
    assert (good.source_path, good.locator, good.article_id) == ("<stdin>", "<stdin>:2", "s-1")
    assert bad.locator == "<stdin>:3"
    assert bad.problem is not None and bad.problem.startswith("malformed JSON: ")


def test_stdin_text() -> None:
    stream = io.StringIO("date 2021-12-02\nTyped into\na terminal.\n")
    [raw] = read("-", stdin=stream)
    assert (raw.source_path, raw.locator) == ("<stdin>", "<stdin>")
    assert (raw.date_text, raw.text) == ("2021-12-02", "Typed into\na terminal.\n")


def test_stdin_text_with_undecodable_bytes() -> None:
    [raw] = read("-", stdin=io.BytesIO(b"date 2021-12-02\nBad \xff byte.\n"))
    assert raw.problem is not None and raw.problem.startswith("undecodable bytes: ")


def test_empty_stdin_is_one_empty_text_record() -> None:
    [raw] = read("-", stdin=io.BytesIO(b""))
    assert (raw.text, raw.date_text, raw.problem) == ("", None, None)


# --- source errors ------------------------------------------------------------------------


def test_missing_path_fails_before_anything_is_read(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file or directory") as info:
        iter_raw([str(GOOD / "dated.txt"), str(tmp_path / "missing.txt")])
    assert info.value.path == str(tmp_path / "missing.txt")


@pytest.mark.parametrize("name", ["notes.md", "archive.gz", "data.xml.gz", "README"])
def test_unknown_extension_is_a_source_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x")
    with pytest.raises(SourceError, match="unknown file type"):
        iter_raw([str(path)])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file_is_a_problem_record(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("date 2021-12-02\nText.\n")
    path.chmod(0)
    [raw] = read(path)
    assert raw.problem == "cannot open file: Permission denied"


def test_one_string_instead_of_a_list_is_refused() -> None:
    with pytest.raises(TypeError):
        iter_raw(str(GOOD / "dated.txt"))


def test_strict_text_stdin_that_cannot_decode_is_a_source_error() -> None:
    stream = io.TextIOWrapper(io.BytesIO(b'{"text": "\xff"}\n'), encoding="utf-8")
    with pytest.raises(SourceError, match="cannot decode input"):
        read("-", stdin=stream)


def test_stdin_jsonl_text_stream_and_ndjson_extension(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    line = '{"id": "n-1", "date": "2021-12-02", "text": "Line."}\n'
    path.write_text(line, encoding="utf-8")
    from_stdin, from_file = read("-", path, stdin=io.StringIO(line))
    assert (from_stdin.locator, from_stdin.article_id) == ("<stdin>:1", "n-1")
    assert (from_file.locator, from_file.article_id) == (f"{path}:1", "n-1")


def test_date_and_text_on_the_first_line(tmp_path: Path) -> None:
    """The seed article's format: ' date 2021-12-02 Top U.S. diplomat ...' on one line."""
    path = tmp_path / "inline.txt"
    path.write_text(" date 2021-12-02 Top diplomat warned Russia.\n\nMore text.\n",
                    encoding="utf-8")
    (raw,) = list(iter_raw([str(path)]))
    assert raw.date_text == "2021-12-02"
    assert raw.text is not None and raw.text.startswith("Top diplomat warned Russia.\n")
    assert "More text." in raw.text


def test_field_mapping_applies_to_json_lines(tmp_path: Path) -> None:
    """A headline-only feed: the title is the text, and the date key is named differently."""
    path = tmp_path / "headlines.jsonl"
    path.write_text('{"title": "Russia masses troops", "date_utc": "2021-11-16T05:51:31Z"}\n',
                    encoding="utf-8")
    (plain,) = list(iter_raw([str(path)]))
    assert plain.problem is not None and plain.problem.startswith("missing text field")
    (mapped,) = list(iter_raw([str(path)], csv_columns={"text": "title", "date": "date_utc"}))
    assert (mapped.text, mapped.date_text, mapped.problem) == (
        "Russia masses troops", "2021-11-16T05:51:31Z", None)


def test_common_feed_names_map_by_default(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text("Headline,Link,pubDate,body\nTalks,https://x.org/1,2022-02-01,"
                    "Russia and Ukraine met.\n", encoding="utf-8")
    (record,) = list(iter_raw([str(path)]))
    assert (record.title, record.url, record.date_text) == (
        "Talks", "https://x.org/1", "2022-02-01")
    lines = tmp_path / "feed.jsonl"
    lines.write_text(json.dumps({"headline": "Talks", "link": "https://x.org/2",
                                 "pubdate": "2022-02-02", "content": "Body."}) + "\n",
                     encoding="utf-8")
    (record,) = list(iter_raw([str(lines)]))
    assert (record.title, record.url, record.date_text, record.text) == (
        "Talks", "https://x.org/2", "2022-02-02", "Body.")


# --- hostile input: nothing is lost without a word ----------------------------------------


def test_csv_stray_quote_quarantines_one_row_and_keeps_the_others(tmp_path: Path) -> None:
    """The issue's case: one stray quote used to merge the rest of the file into row 1."""
    path = tmp_path / "q.csv"
    path.write_text('id,date,text\n1,2022-02-01,"Russia attacked Ukraine.\n'
                    "2,2022-02-02,China met Taiwan.\n3,2022-02-03,NATO warned Russia.\n")
    bad, second, third = read(path)
    assert bad.locator == f"{path}:row 1 (line 2)"
    assert bad.problem is not None and bad.problem.startswith(
        "runaway quoted field: the quote opened on line 2 is never closed")
    assert "reading goes on from line 3" in bad.problem
    assert (second.article_id, second.text) == ("2", "China met Taiwan.")
    assert (third.article_id, third.locator) == ("3", f"{path}:row 3 (line 4)")


def test_csv_stray_quote_closed_by_a_later_quote_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "q.csv"
    path.write_text('id,date,text\n1,2022-02-01,"Russia attacked\n2,2022-02-02,China met.\n'
                    '3,2022-02-03,"NATO warned, again."\n')
    bad, second, third = read(path)
    assert bad.problem is not None and "closes where it cannot" in bad.problem
    assert (second.text, third.text) == ("China met.", "NATO warned, again.")


def test_csv_multiline_field_with_a_row_like_line_stays_one_record(tmp_path: Path) -> None:
    """A quoted article may hold a line that looks like a row: if the record parses
    strictly into the header's fields, it is one article, not a runaway."""
    path = tmp_path / "ok.csv"
    path.write_text('id,date,text\n1,2022-02-01,"Figures:\n2,2022-02-02,up\nend."\n'
                    "2,2022-02-03,Next.\n")
    first, second = read(path)
    assert first.problem is None and first.text == "Figures:\n2,2022-02-02,up\nend."
    assert first.locator == f"{path}:row 1 (lines 2-4)"
    assert second.text == "Next."


def test_csv_unterminated_last_row(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_text('id,date,text\n1,2022-02-01,Fine.\n2,2022-02-02,"Never closed')
    good, bad = read(path)
    assert good.problem is None
    assert bad.problem == ("unterminated quoted field: the quote opened on line 3 is "
                           "never closed")


def test_csv_oversize_field_drops_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text('id,date,text\n1,2022-02-01,"' + "word, " * 5_000 + '"\n'
                    "2,2022-02-02,After the big one.\n")
    big, after = iter_raw([str(path)], max_record_bytes=10_000)
    assert big.problem is not None and big.problem.startswith("oversize record: 30")
    assert big.locator == f"{path}:row 1 (line 2)"
    assert len(big.raw) <= RAW_LIMIT
    assert (after.article_id, after.text) == ("2", "After the big one.")


def test_csv_oversize_multiline_field_is_followed_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    body = "\n".join("a line of the article" for _ in range(2_000))
    path.write_text(f'id,date,text\n1,2022-02-01,"{body}"\n2,2022-02-02,After.\n')
    big, after = iter_raw([str(path)], max_record_bytes=5_000)
    assert big.locator == f"{path}:row 1 (lines 2-2001)"
    assert big.problem is not None and big.problem.startswith("oversize record")
    assert after.text == "After."


@pytest.mark.parametrize("name", ["cr.txt", "cr.jsonl", "cr.csv"])
def test_carriage_return_line_endings(tmp_path: Path, name: str) -> None:
    """Files from old Mac software end lines with a lone "\\r"."""
    content = {
        "cr.txt": "date 2022-02-01\rRussia attacked Ukraine.\r",
        "cr.jsonl": '{"date": "2022-02-01", "text": "One."}\r{"date": "2022-02-02", '
                    '"text": "Two."}\r',
        "cr.csv": "date,text\r2022-02-01,One.\r2022-02-02,Two.\r",
    }[name]
    path = tmp_path / name
    path.write_bytes(content.encode())
    records = read(path)
    assert all(r.problem is None for r in records)
    if name == "cr.txt":
        assert (records[0].date_text, records[0].text) == ("2022-02-01",
                                                           "Russia attacked Ukraine.\r")
    else:
        assert [r.text for r in records] == ["One.", "Two."]
        assert records[1].locator.endswith(":2" if name == "cr.jsonl" else "(line 3)")


def test_lone_surrogate_escape_in_json_is_a_problem_record(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text('{"date": "2022-02-01", "text": "Bad \\ud800 char."}\n'
                    '{"date": "2022-02-01", "text": "Fine.", "title": "x\\udfff"}\n'
                    '{"date": "2022-02-01", "text": "Pair \\ud83d\\ude00 is fine."}\n')
    text, title, pair = read(path)
    assert text.problem == ("lone surrogate \\ud800 in 'text' at character 4: a JSON escape "
                            "that is not a character")
    assert title.problem is not None and "in 'title'" in title.problem
    assert pair.problem is None and pair.text == "Pair \U0001f600 is fine."
    array = tmp_path / "a.json"
    array.write_text('[{"date": "2022-02-01", "text": "x\\ud800"}]')
    [item] = read(array)
    assert item.problem is not None and item.problem.startswith("lone surrogate")
    item.raw.encode("utf-8")  # storable: the surrogate is written as its escape


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_undecodable_file_name_is_read_and_named_with_escapes(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("date 2022-02-01\nText.\n")
    [raw] = read(tmp_path)
    assert raw.problem is None
    assert raw.source_path == str(tmp_path / "caf\\xe9.txt")
    raw.source_path.encode("utf-8")


@pytest.mark.skipif(os.name != "posix", reason="needs symbolic links and FIFOs")
def test_dangling_link_and_fifo_are_problems_and_the_rest_is_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2022-02-01\nFirst.\n")
    (tmp_path / "b.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "c.txt")  # would block forever if opened for reading
    (tmp_path / "d.txt").write_text("date 2022-02-02\nLast.\n")
    first, link, fifo, last = read(tmp_path)
    assert (first.text, last.text) == ("First.\n", "Last.\n")
    assert link.problem == f"cannot open file: dangling link to {str(tmp_path / 'gone.txt')!r}"
    assert fifo.problem == "not read: a FIFO, not a regular file"


def test_unknown_types_and_directory_links_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("date 2022-02-01\nFirst.\n")
    (tmp_path / "notes.md").write_text("# notes")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("<p>x</p>")
    skipped: list[Skipped] = []
    [raw] = iter_raw([str(tmp_path)], on_skip=skipped.append)
    assert raw.text == "First.\n"
    assert [(os.path.basename(s.path), s.reason.split(";")[0]) for s in skipped] == [
        ("notes.md", "unknown file type"), ("page.html", "unknown file type")]
    if os.name == "posix":
        (tmp_path / "link").symlink_to(tmp_path / "sub")
        skipped.clear()
        list(iter_raw([str(tmp_path)], on_skip=skipped.append))
        assert ("link", "link to a directory (not followed)") in [
            (os.path.basename(s.path), s.reason) for s in skipped]


def test_oversize_records_are_not_read_whole(tmp_path: Path) -> None:
    jsonl = tmp_path / "big.jsonl"
    jsonl.write_text(json.dumps({"date": "2022-02-01", "text": "x" * 500_000}) + "\n"
                     + json.dumps({"date": "2022-02-01", "text": "Small."}) + "\n")
    big, small = iter_raw([str(jsonl)], max_record_bytes=1_000)
    assert big.problem is not None and big.problem.startswith("oversize record: 500")
    assert big.locator == f"{jsonl}:1" and len(big.raw) <= RAW_LIMIT
    assert small.text == "Small."
    text = tmp_path / "big.txt"
    text.write_text("date 2022-02-01\n" + "y" * 5_000)
    [raw] = iter_raw([str(text)], max_record_bytes=1_000)
    assert raw.problem == "oversize record: more than 1000 bytes (not read further)"
    [piped] = iter_raw(["-"], stdin=io.BytesIO(b"z" * 5_000), max_record_bytes=1_000)
    assert piped.problem == raw.problem


def test_a_meter_follows_the_bytes_read_against_the_files_total(tmp_path: Path) -> None:
    # what the ingest ETA follows: the record count is not known ahead, the files' size is
    first = tmp_path / "a.jsonl"
    first.write_text("".join(json.dumps({"text": f"Article {i}. " * 40, "date": "2022-01-02"})
                             + "\n" for i in range(300)), encoding="utf-8")
    second = tmp_path / "b.jsonl.gz"
    second.write_bytes(gzip.compress(first.read_bytes()))
    meter = ReadMeter()
    seen: list[int] = []
    for _ in iter_raw([str(first), str(second)], meter=meter):
        seen.append(meter.read())
    total = first.stat().st_size + second.stat().st_size
    assert meter.total == total
    assert seen == sorted(seen) and 0 < seen[0] < total  # read in pieces, never backwards
    assert meter.read() == total


def test_stdin_has_no_total_for_the_meter(tmp_path: Path) -> None:
    meter = ReadMeter()
    records = list(iter_raw(["-"], stdin=io.BytesIO(b'{"text": "x", "date": "2022-01-02"}\n'),
                            meter=meter))
    assert len(records) == 1 and meter.total is None


def test_stdin_json_lines_take_the_column_mapping() -> None:
    # the E050 hint says "add --column text=title": that must work on a pipe too
    feed = io.BytesIO(b'{"title": "Russia warns Ukraine", "published": "2022-01-02"}\n')
    (record,) = iter_raw(["-"], stdin=feed, csv_columns={"text": "title"})
    assert record.problem is None and record.text == "Russia warns Ukraine"
