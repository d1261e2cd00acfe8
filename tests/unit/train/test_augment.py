"""Country swaps while fine-tuning: the text changes, the spans follow it, the labels stay."""

from __future__ import annotations

import random

import pytest

from foreshock.extract.learned.features import PairSpans
from foreshock.train.augment import NameTable, _apply, bundled_names, swap_names, swapped
from foreshock.train.examples import Example

TEXT = "Russian troops shelled Kharkiv on Monday, Ukraine said, as Moscow denied it."


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def _example(text: str = TEXT) -> Example:
    source = (_span(text, "Russian troops"), _span(text, "Moscow"))
    target = (_span(text, "Ukraine"),)
    return Example("s1", text, (PairSpans(source, target, (_span(text, "shelled"),)),
                                PairSpans(target, None)),
                   (("RUS", "UKR"), ("UKR", None)), (19, 0), (0, 0))


def _read(example: Example) -> list[tuple[list[str], list[str], list[str]]]:
    def words(spans: tuple[tuple[int, int], ...] | None) -> list[str]:
        return [example.text[s:e] for s, e in spans or ()]
    return [(words(p.source), words(p.target), words(p.anchor)) for p in example.pairs]


TABLE = NameTable.of([
    ("RUS", "Russia", "name"), ("RUS", "Russian Federation", "name"),
    ("RUS", "Russian", "adjective"), ("RUS", "Moscow", "capital"),
    ("UKR", "Ukraine", "name"), ("UKR", "Ukrainian", "adjective"), ("UKR", "Kyiv", "capital"),
    ("CHL", "Chile", "name"), ("CHL", "Chilean", "adjective"), ("CHL", "Santiago", "capital"),
    ("PER", "Peru", "name"), ("PER", "Peruvian", "adjective"), ("PER", "Lima", "capital"),
    ("NRU", "Nauru", "name"),  # no adjective, no capital: cannot stand in for Russia here
    ("RUS", "Kremlin", "seat"),  # a seat is no alias to swap
])


def test_swaps_every_named_country_and_moves_the_spans_with_the_text() -> None:
    out = swap_names(_example(), random.Random(0), TABLE)
    (source, target, anchor), (alone, none, _) = _read(out)
    assert anchor == ["shelled"]
    assert target == alone and none == []
    # each country has become one other country, the same one everywhere, kinds kept (Nauru
    # has no adjective or capital, so it can stand in for Ukraine only)
    assert (source[0], source[1]) in (("Chilean troops", "Santiago"),
                                      ("Peruvian troops", "Lima"))
    assert target[0] in ("Chile", "Peru", "Nauru") and target[0][:4] != source[0][:4]
    assert "Russia" not in out.text and "Moscow" not in out.text and "Ukraine" not in out.text
    assert out.roots == (19, 0) and out.keys == (("RUS", "UKR"), ("UKR", None))


def test_a_country_without_the_needed_kind_is_never_the_replacement() -> None:
    seen = {swap_names(_example(), random.Random(seed), TABLE).text.split()[0]
            for seed in range(40)}
    assert seen == {"Chilean", "Peruvian"}


def test_longest_alias_wins_and_parts_of_words_are_left_alone() -> None:
    text = "The Russian Federation warned Ukraine; Russianness and Chile-born envoys aside."
    ex = Example("s2", text, (PairSpans((_span(text, "The Russian Federation"),),
                                        (_span(text, "Ukraine"),)),), (("RUS", "UKR"),),
                 (13,), (0,))
    out = swap_names(ex, random.Random(3), TABLE)
    assert "Russianness" in out.text and "Chile-born" in out.text
    (source, target, _), = _read(out)
    assert source[0] in ("The Chile", "The Peru", "The Nauru")
    assert target[0] in ("Chile", "Peru", "Nauru") and source[0][4:] != target[0]


def test_countries_outside_the_spans_only_block_their_own_reuse() -> None:
    # Chile is named but is no party: it stays, and nobody becomes Chile
    text = "Russia attacked Ukraine, a diplomat in Chile said."
    ex = Example("s3", text, (PairSpans((_span(text, "Russia"),), (_span(text, "Ukraine"),)),),
                 (("RUS", "UKR"),), (19,), (0,))
    small = NameTable.of([("RUS", "Russia", "name"), ("UKR", "Ukraine", "name"),
                          ("CHL", "Chile", "name"), ("PER", "Peru", "name")])
    out = swap_names(ex, random.Random(0), small)
    # two parties and one free country: Russia (first by code) takes it, Ukraine finds none
    assert out.text == "Peru attacked Ukraine, a diplomat in Chile said."
    assert _read(out) == [(["Peru"], ["Ukraine"], [])]


def test_a_sentence_without_a_country_in_its_spans_is_the_same_object() -> None:
    text = "Police dispersed protesters in Chile."
    ex = Example("s4", text, (PairSpans((_span(text, "Police"),),
                                        (_span(text, "protesters"),)),), (("CHL", "CHL"),),
                 (14,), (0,))
    assert swap_names(ex, random.Random(0), TABLE) is ex


def test_share_draws_per_sentence_and_zero_leaves_all() -> None:
    items = [_example() for _ in range(200)]
    assert swapped(items, 0.0, random.Random(1), TABLE) == items
    changed = sum(o.text != i.text for o, i in zip(swapped(items, 0.5, random.Random(1), TABLE),
                                                   items, strict=True))
    assert 70 < changed < 130


def test_a_swapped_country_is_swapped_outside_the_spans_and_in_hyphenated_forms_too() -> None:
    # only "Russian troops" and "Kyiv" are spans; "Russia" in the hyphenated heading and in
    # "Russia said" must not keep the name the party lost
    text = "Russia-Ukraine talks: Russian troops shelled Kyiv, Russia said."
    ex = Example("s5", text, (PairSpans((_span(text, "Russian troops"),),
                                        (_span(text, "Kyiv"),)),), (("RUS", "UKR"),),
                 (19,), (0,))
    out = swap_names(ex, random.Random(0), TABLE)
    assert "Russia" not in out.text and "Ukraine" not in out.text and "Kyiv" not in out.text
    (source, target, _), = _read(out)
    country = {"Chilean troops": "Chile", "Peruvian troops": "Peru"}[source[0]]
    assert out.text.startswith(f"{country}-") and out.text.endswith(f", {country} said.")
    assert target[0] in ("Santiago", "Lima") and target[0] not in source[0]


def test_no_free_country_leaves_the_example_as_it_is() -> None:
    small = NameTable.of([("RUS", "Russia", "name"), ("UKR", "Ukraine", "name")])
    text = "Russia attacked Ukraine."
    ex = Example("s6", text, (PairSpans((_span(text, "Russia"),), (_span(text, "Ukraine"),)),),
                 (("RUS", "UKR"),), (19,), (0,))
    assert swap_names(ex, random.Random(0), small) is ex


def test_an_alias_ending_the_sentence_keeps_its_full_stop() -> None:
    small = NameTable.of([("USA", "U.S.", "short"), ("USA", "United States", "name"),
                          ("SAU", "KSA", "short"), ("SAU", "Saudi Arabia", "name")])
    text = "China imposed sanctions on the U.S."
    ex = Example("s7", text, (PairSpans((_span(text, "China"),), (_span(text, "U.S."),)),),
                 (("CHN", "USA"),), (16,), (0,))
    out = swap_names(ex, random.Random(0), small)
    assert out.text == "China imposed sanctions on the KSA."
    # the span covered the alias with its stop, and covers the stand-in with it
    assert _read(out) == [(["China"], ["KSA."], [])]


@pytest.mark.parametrize(("span", "moved"), [
    ((0, 3), (0, 3)),      # before the edit
    ((4, 10), (4, 9)),     # exactly the edited stretch
    ((4, 7), (4, 9)),      # an edge inside it goes to the stretch's edge
    ((11, 15), (10, 14)),  # after it, shifted
    ((0, 15), (0, 14)),    # around it
    ((10, 15), (9, 14)),   # starting where the edit ends: not pulled into it
    ((6, 15), (4, 14)),    # starting inside it: from the replacement's start
    ((0, 4), (0, 4)),      # ending where it starts
])
def test_spans_move_with_the_edits(span: tuple[int, int], moved: tuple[int, int]) -> None:
    text, move = _apply("The Russia bear", [(4, 10, "Peru!")])
    assert text == "The Peru! bear"
    assert move(span) == moved


def test_the_bundled_table_reads_countries_tsv() -> None:
    table = bundled_names()
    assert table.alias["Russia"] == ("RUS", "name")
    assert table.alias["Kyiv"][0] == "UKR"
    assert "Kremlin" not in table.alias  # seats are not swapped
    assert table.first["FRA"]["adjective"] == "French"


def test_people_swap_for_people_and_surnames_for_surnames() -> None:
    table = NameTable.of([
        ("RUS", "Russia", "name"), ("CHL", "Chile", "name"),
        ("person:Vladimir Putin", "Vladimir Putin", "person"),
        ("person:Vladimir Putin", "Putin", "surname"),
        ("person:Gabriel Boric", "Gabriel Boric", "person"),
        ("person:Gabriel Boric", "Boric", "surname"),
        ("person:Ban Ki-moon", "Ban Ki-moon", "person"),  # no one-word alias
    ])
    text = "Vladimir Putin warned Chile; Putin said Russia would respond."
    spans = ((_span(text, "Vladimir Putin"), _span(text, "Putin", 1)),)
    ex = Example("s8", text, (PairSpans(spans[0], (_span(text, "Chile"),)),),
                 (("RUS", "CHL"),), (13,), (0,))
    for seed in range(10):
        out = swap_names(ex, random.Random(seed), table)
        # Chile is named, so Russia (outside the spans) stays; a person never becomes a
        # country, and only a person with a one-word alias can stand in for "Putin"
        assert out.text == "Gabriel Boric warned Chile; Boric said Russia would respond."


def test_the_bundled_table_with_people() -> None:
    table = bundled_names(people=True)
    assert table.alias["Putin"] == ("person:Vladimir Putin", "surname")
    assert table.first["person:Vladimir Putin"]["person"] == "Vladimir Putin"
    assert table.alias["Russia"] == ("RUS", "name")  # the countries are there too
    assert "Putin" not in bundled_names().alias
