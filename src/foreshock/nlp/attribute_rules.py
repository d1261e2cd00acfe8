"""The attribute ruler's matches found by a lookup instead of spaCy's ``Matcher``.

The English models' ``attribute_ruler`` (tag map, morph rules, a few exceptions: about 180
rule groups) finds its matches with a general ``Matcher``, which tries every pattern at every
token: a third of the parse once the network has run (1.25 of 3.9 s on the sentences of 100
White House documents).  Its patterns are short sequences of tests of ``TAG``, ``LOWER``,
``DEP`` and ``IS_SPACE`` (equality, ``IN``, ``NOT_IN``, ``REGEX``), so the patterns worth
trying at a token can be looked up by its values.  The matches are the same
(``tests/unit/nlp``), sorted as the ruler sorts them, and the ruler sets the attributes as
before; a model whose patterns test anything else keeps spaCy's matcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore, get_string_id
from spacy.tokens import Doc

#: the token attributes a pattern may test, by name, and their column in ``Doc.to_array``
COLUMNS: dict[str, int] = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}
ARRAY_ATTRS = [LOWER, TAG, DEP, IS_SPACE]

Match = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Test:
    """One test of one pattern token, as spaCy's matcher makes it: the value of ``column``
    is one of ``allowed`` (equality, ``IN``), none of ``forbidden`` (``NOT_IN``), or its
    string matches ``regex`` (``REGEX``, searched anywhere as ``re.search`` does)."""

    column: int
    allowed: frozenset[int] | None = None
    forbidden: frozenset[int] | None = None
    regex: re.Pattern[str] | None = None

    def passes(self, value: int, strings: StringStore) -> bool:
        if self.allowed is not None:
            return value in self.allowed
        if self.forbidden is not None:
            return value not in self.forbidden
        assert self.regex is not None
        return self.regex.search(strings[value]) is not None


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern of one rule group: ``group`` is the ruler's attribute id."""

    group: int
    match_id: int
    tokens: tuple[tuple[Test, ...], ...]

    def first(self, column: int) -> frozenset[int] | None:
        """The values the first token must have in ``column``, if it is an equality test."""
        for test in self.tokens[0]:
            if test.column == column and test.allowed is not None:
                return test.allowed
        return None


class IndexedMatcher:
    """The matches of an ``AttributeRuler``'s patterns.  A pattern is tried only where its
    first token's lowercase form, else its tag, dependency or being a space, is right (the
    few patterns with none of these equality tests are tried everywhere).  One-token
    patterns depend on nothing but the token's four tested values, so what they match is
    remembered per combination of values (most tokens of a text repeat one)."""

    #: the columns a pattern's first token is looked up by, in order of preference
    KEYS = (COLUMNS["LOWER"], COLUMNS["TAG"], COLUMNS["DEP"], COLUMNS["IS_SPACE"])
    #: combinations of values remembered (a bound on memory, not a tuning knob)
    CACHE = 100_000

    def __init__(self, rules: Sequence[Rule], strings: StringStore) -> None:
        self.strings = strings
        self.single = _Index([rule for rule in rules if len(rule.tokens) == 1], self.KEYS)
        self.longer = _Index([rule for rule in rules if len(rule.tokens) > 1], self.KEYS)
        self._seen: dict[tuple[int, ...], tuple[tuple[int, int], ...]] = {}

    def _passes(self, rule: Rule, rows: Sequence[Sequence[int]], start: int) -> bool:
        return start + len(rule.tokens) <= len(rows) and all(
            test.passes(rows[start + k][test.column], self.strings)
            for k, tests in enumerate(rule.tokens) for test in tests)

    def _one_token(self, values: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """(group, match id) of each one-token pattern a token with ``values`` matches."""
        hits = self._seen.get(values)
        if hits is None:
            hits = tuple((rule.group, rule.match_id)
                         for rule in self.single.candidates(values)
                         if self._passes(rule, [values], 0))
            if len(self._seen) >= self.CACHE:
                self._seen.clear()
            self._seen[values] = hits
        return hits

    def __call__(self, doc: Doc) -> list[Match]:
        """``AttributeRuler.match``: (group, match id, start, end), sorted."""
        if not len(doc):
            return []
        rows = [tuple(row) for row in np.asarray(doc.to_array(ARRAY_ATTRS)).tolist()]
        found: set[Match] = set()
        for start, values in enumerate(rows):
            for group, match_id in self._one_token(values):
                found.add((group, match_id, start, start + 1))
            for rule in self.longer.candidates(values):
                if self._passes(rule, rows, start):
                    found.add((rule.group, rule.match_id, start, start + len(rule.tokens)))
        return sorted(found)


class _Index:
    """Rules by the value their first token must have in the first of ``keys`` it tests
    for equality."""

    def __init__(self, rules: Sequence[Rule], keys: Sequence[int]) -> None:
        self.keys = keys
        self.tables: list[dict[int, list[Rule]]] = [{} for _ in keys]
        self.everywhere: list[Rule] = []
        for rule in rules:
            for column, table in zip(keys, self.tables, strict=True):
                values = rule.first(column)
                if values is not None:
                    for value in values:
                        table.setdefault(value, []).append(rule)
                    break
            else:
                self.everywhere.append(rule)
        self.used = [(column, table) for column, table in zip(keys, self.tables, strict=True)
                     if table]

    def candidates(self, values: Sequence[int]) -> list[Rule]:
        found = list(self.everywhere)
        for column, table in self.used:
            found += table.get(values[column], ())
        return found


def _test(column: int, value: Any, strings: StringStore) -> Test | None:
    """The test of one attribute of a pattern token, or None if it is beyond these."""
    space = column == COLUMNS["IS_SPACE"]
    if isinstance(value, bool):
        return Test(column, allowed=frozenset({int(value)})) if space else None
    if isinstance(value, str):
        return None if space else Test(column, allowed=frozenset({strings.add(value)}))
    if not isinstance(value, dict) or len(value) != 1 or space:
        return None
    (operator, operand), = value.items()
    if operator == "REGEX" and isinstance(operand, str):
        return Test(column, regex=re.compile(operand))
    if operator not in ("IN", "NOT_IN") or not isinstance(operand, list) or \
            not all(isinstance(v, str) for v in operand):
        return None
    # spaCy compares string ids (the empty string, an unset value, is id 0)
    values = frozenset(get_string_id(v) for v in operand)
    return Test(column, allowed=values) if operator == "IN" else Test(column, forbidden=values)


def _tests(spec: dict[str, Any], strings: StringStore) -> tuple[Test, ...] | None:
    """A pattern token's tests, or None if it uses anything else."""
    tests = []
    for name, value in spec.items():
        column = COLUMNS.get(name.upper()) if isinstance(name, str) else None
        test = _test(column, value, strings) if column is not None else None
        if test is None:
            return None
        tests.append(test)
    return tuple(tests)


def indexed_rules(ruler: AttributeRuler) -> list[Rule] | None:
    """The ruler's patterns as rules, or None if one of them is beyond equality tests."""
    rules: list[Rule] = []
    for group, entry in enumerate(ruler.patterns):
        match_id = ruler.vocab.strings.add(str(group))
        patterns: Iterable[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
        for pattern in patterns:
            tokens = [_tests(spec, ruler.vocab.strings) for spec in pattern]
            if not tokens or any(t is None or not t for t in tokens):
                return None
            rules.append(Rule(group, match_id, tuple(t for t in tokens if t is not None)))
    return rules


def index_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Give the pipeline's attribute ruler the indexed matcher; False (and spaCy's matcher
    kept) when there is no such component or its patterns are not all equality tests."""
    if name not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe(name)
    if not isinstance(ruler, AttributeRuler):
        return False
    rules = indexed_rules(ruler)
    if rules is None:
        return False
    ruler.match = IndexedMatcher(rules, ruler.vocab.strings)  # type: ignore[method-assign]
    return True
