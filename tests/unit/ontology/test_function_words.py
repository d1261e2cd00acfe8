"""The function words (data/lexicons/function_words.tsv): the lists load, the modules that
walk the parse use them, and a bad row names the file, line and value."""

from __future__ import annotations

from pathlib import Path

import pytest

from foreshock.errors import DataFileError
from foreshock.extract import when, where
from foreshock.extract.rules import actors, arguments, clauses, modality, triggers
from foreshock.ontology.function_words import (
    FILE_NAME,
    LIST_NAMES,
    function_words,
    load_function_words,
)
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import _coding_inputs
from foreshock.settings import Settings

HEADER = "# a comment\nlist\tword\n"


def _all_lists(skip: str = "") -> str:
    return "".join(f"{name}\tx{i}\n" for i, name in enumerate(LIST_NAMES) if name != skip)


def test_every_list_loads_with_words_once_per_process() -> None:
    words = function_words()
    assert words is function_words()
    for name in LIST_NAMES:
        values = getattr(words, name)
        assert isinstance(values, frozenset) and values, name
        assert all(w == w.lower() and " " not in w for w in values), name
    assert "urge" in words.object_control_verbs
    assert {"he", "she"} <= words.person_pronouns and "they" in words.group_pronouns


def test_the_modules_bind_the_file_s_lists() -> None:
    words = function_words()
    # one list of border nouns, where there were two copies
    assert actors.BORDER_NOUNS is arguments.BORDER_NOUNS is words.border_nouns
    pronouns = {**dict.fromkeys(words.person_pronouns, "person"),
                **dict.fromkeys(words.group_pronouns, "group")}
    assert pronouns == actors.PERSONAL
    assert clauses.SUPPORT_VERBS is words.support_verbs
    assert triggers.RECIPROCAL_VERBS is words.reciprocal_verbs
    assert modality.ADJUNCT_PREPS is words.scene_preps
    assert triggers.ADJUNCT_PREPS is words.adjunct_preps
    assert when.TIME_PREPS is words.time_preps
    assert where.PLACE_NOUNS is words.place_nouns


def test_the_file_is_hashed_into_the_extractor_version(tmp_path: Path) -> None:
    bundled = data_path("lexicons", FILE_NAME)
    assert bundled in _coding_inputs(Settings())
    # read from the bundled lexicons even when the lexicon directory is another one
    assert bundled in _coding_inputs(Settings(lexicon_dir=str(tmp_path)))


def test_a_small_file_loads(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(HEADER + _all_lists() + "border_nouns\tfrontier\n", encoding="utf-8")
    words = load_function_words(path)
    assert words.border_nouns == {f"x{LIST_NAMES.index('border_nouns')}", "frontier"}


@pytest.mark.parametrize(("row", "value", "expected"), [
    ("borders_nouns\tborder", "borders_nouns", "a list name"),
    ("border_nouns\tBorder", "Border", "one lower-case word"),
    ("border_nouns\tno man's land", "no man's land", "one lower-case word"),
    ("border_nouns\t", "", "one lower-case word"),
    ("border_nouns\tx0\n" + "border_nouns\tfrontier\nborder_nouns\tfrontier", "frontier",
     "a word not listed before in border_nouns"),
])
def test_a_bad_row_names_file_line_and_value(tmp_path: Path, row: str, value: str,
                                             expected: str) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(HEADER + _all_lists() + row + "\n", encoding="utf-8")
    line = 2 + len(LIST_NAMES) + row.count("\n") + 1
    with pytest.raises(DataFileError) as info:
        load_function_words(path)
    assert info.value.code == "E030"
    assert str(info.value).startswith(f"E030 {path}:{line}: bad value {value!r}")
    assert expected in str(info.value)


def test_a_stray_tab_and_a_missing_list_are_errors(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(HEADER + _all_lists() + "time_marks\tafter\tbefore\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=rf"{FILE_NAME}:{3 + len(LIST_NAMES)}:"):
        load_function_words(path)
    path.write_text(HEADER + _all_lists(skip="time_marks"), encoding="utf-8")
    with pytest.raises(DataFileError, match="'time_marks'; expected at least one row"):
        load_function_words(path)
    path.write_text("lists\tword\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"a header with columns list, word"):
        load_function_words(path)
