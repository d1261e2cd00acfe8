"""Country names swapped while fine-tuning, so the classifier learns the act, not the names.

A sentence of the training annotations says "Russian troops shelled Kharkiv"; the label
(fight) does not depend on which country's troops did it, but a classifier trained on a few
thousand sentences can learn that "Russia" and "Ukraine" together mean force.  With a given
probability per sentence and epoch, every country named in the pairs' spans (a name,
adjective, demonym, short form or capital of ``actors/countries.tsv``) is replaced, wherever it
occurs in the sentence, by the alias of the same kind of another country drawn at random (one
country for each, never one already in the sentence); the spans move with the text and the
labels stay.  Inference never sees this: it only changes what training reads.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from functools import lru_cache

from foreshock.extract.learned.features import PairSpans
from foreshock.ontology.tsv import data_path, read_tsv
from foreshock.train.examples import Example

#: the kinds of alias that stand for a country as a whole and can be swapped for another's
KINDS = ("name", "short", "adjective", "demonym", "capital")
#: the kinds of a person's alias (``actors/people.tsv``): a name of several words, or one word
#: (mostly the surname); a person stands in only for a person, a country for a country
PERSON_KINDS = ("person", "surname")

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class NameTable:
    """Every swappable alias with its country and kind, and each country's first alias of
    each kind (the one a replacement uses)."""

    alias: Mapping[str, tuple[str, str]]  # alias -> (code, kind)
    first: Mapping[str, Mapping[str, str]]  # code -> kind -> alias
    pattern: re.Pattern[str]

    @classmethod
    def of(cls, rows: Sequence[tuple[str, str, str]]) -> NameTable:
        alias: dict[str, tuple[str, str]] = {}
        first: dict[str, dict[str, str]] = defaultdict(dict)
        for code, text, kind in rows:
            if kind not in KINDS + PERSON_KINDS or not text:
                continue
            alias.setdefault(text, (code, kind))
            first[code].setdefault(kind, text)
        # longest first, so "Russian Federation" wins over "Russian"
        words = sorted(alias, key=len, reverse=True)
        # a hyphen is a word's edge: "Russia-Ukraine talks" names both countries, and a
        # hyphenated one left unswapped would keep the name the rest of the sentence lost
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
        return cls(alias, {c: dict(k) for c, k in first.items()}, pattern)


@lru_cache(maxsize=2)
def bundled_names(people: bool = False) -> NameTable:
    """The countries of the bundled actor dictionary, and with ``people`` its people too."""
    rows = [(r.get("code"), r.get("alias"), r.get("kind"))
            for r in read_tsv(data_path("actors", "countries.tsv"), ("code", "alias", "kind"))]
    if people:
        for r in read_tsv(data_path("actors", "people.tsv"), ("code", "name")):
            name = r.get("name")
            key = f"person:{name}"  # one person, whatever their offices
            rows.append((key, name, "person"))
            for alias in filter(None, (r.get("aliases") or "").split("|")):
                rows.append((key, alias, "surname" if " " not in alias else "person"))
    return NameTable.of(rows)


def stand_ins(codes: Iterable[str], kinds: Mapping[str, set[str]], taken: Set[str],
              rng: random.Random, table: NameTable) -> dict[str, str]:
    """A different country (or person) for each of ``codes``, drawn at random among those
    with an alias of every kind the text uses for it, never one of ``taken`` nor one drawn
    for another; a code with no such stand-in is left out."""
    new: dict[str, str] = {}
    for code in sorted(codes):
        choices = sorted(c for c, have in table.first.items()
                         if c not in taken and c not in new.values()
                         and kinds[code] <= have.keys())
        if choices:
            new[code] = rng.choice(choices)
    return new


def stand_in(match: re.Match[str], alias: str, text: str) -> str:
    """The alias that replaces a match: "... sanctions on the U.S." ends the sentence with
    the alias's own full stop, which the replacement keeps."""
    if match.group().endswith(".") and match.end() == len(text) and not alias.endswith("."):
        return alias + "."
    return alias


def swap_names(example: Example, rng: random.Random, table: NameTable) -> Example:
    """The example with the countries (and the table's people) of its spans replaced by
    others (itself if none is named)."""
    spans = [s for pair in example.pairs for s in _pair_spans(pair)]
    found = list(table.pattern.finditer(example.text))
    named = {table.alias[m.group()][0] for m in found
             if any(m.start() < e and m.end() > s for s, e in spans)}
    if not named:
        return example
    kinds: dict[str, set[str]] = defaultdict(set)
    for m in found:
        code, kind = table.alias[m.group()]
        if code in named:
            kinds[code].add(kind)
    present = {table.alias[m.group()][0] for m in found}
    new = stand_ins(named, kinds, present, rng, table)
    edits = [(m.start(), m.end(), stand_in(m, table.first[new[code]][kind], example.text))
             for m in found for code, kind in [table.alias[m.group()]] if code in new]
    if not edits:
        return example
    text, move = _apply(example.text, edits)
    pairs = tuple(PairSpans(tuple(move(s) for s in p.source),
                            None if p.target is None else tuple(move(s) for s in p.target),
                            tuple(move(s) for s in p.anchor)) for p in example.pairs)
    return replace(example, text=text, pairs=pairs)


def swapped(items: Sequence[Example], share: float, rng: random.Random,
            table: NameTable | None = None) -> list[Example]:
    """One epoch's examples: each, with probability ``share``, with its countries (and the
    table's people) swapped."""
    if share <= 0:
        return list(items)
    names = table or bundled_names()
    return [swap_names(e, rng, names) if rng.random() < share else e for e in items]


def _pair_spans(pair: PairSpans) -> Iterator[Span]:
    yield from pair.source
    if pair.target is not None:
        yield from pair.target


def _apply(text: str, edits: Sequence[tuple[int, int, str]]
           ) -> tuple[str, Callable[[Span], Span]]:
    """The text with non-overlapping (start, end, replacement) edits made, and a function
    moving a character span of the old text onto the new one (a span's edge inside an
    edited stretch goes to that stretch's edge in the new text)."""
    parts: list[str] = []
    marks: list[tuple[int, int, int, int]] = []  # old start, old end, new start, new end
    at = shift = 0
    for start, end, new in sorted(edits):
        parts.append(text[at:start])
        marks.append((start, end, start + shift, start + shift + len(new)))
        parts.append(new)
        shift += len(new) - (end - start)
        at = end
    parts.append(text[at:])

    def point(x: int, edge: str) -> int:
        delta = 0
        for old_s, old_e, new_s, new_e in marks:
            if x <= old_s:
                break
            if x < old_e or (x == old_e and edge == "end"):
                return new_s if edge == "start" else new_e
            delta = new_e - old_e
        return x + delta

    def move(span: Span) -> Span:
        return point(span[0], "start"), point(span[1], "end")

    return "".join(parts), move
