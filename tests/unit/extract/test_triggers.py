"""Trigger patterns (extract/rules/triggers.py) on hand-built parses, and a gerund read as
its event noun on a parsed sentence."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from foreshock.extract.rules.triggers import gerund_with_sides, noun_patterns
from foreshock.ontology.lexicons import Lexicon, NounPattern
from foreshock.records import Event

VOCAB = spacy.blank("en").vocab
STRIKE = NounPattern("n.strike", "strike", "145", ("self",), ("none",))
AIR_STRIKE = NounPattern("n.air_strike", "air strike", "195", ("poss",), ("prep:on",))
LEXICON = Lexicon({}, {"strike": (STRIKE,), "air strike": (AIR_STRIKE,)}, {}, ())


def test_a_two_word_event_noun_beats_its_head_noun() -> None:
    doc = Doc(VOCAB, words=["an", "air", "strike"], heads=[2, 2, 2],
              deps=["det", "compound", "ROOT"], lemmas=["an", "air", "strike"])
    assert noun_patterns(LEXICON, doc[2], "strike") == (AIR_STRIKE,)
    doc = Doc(VOCAB, words=["a", "general", "strike"], heads=[2, 2, 2],
              deps=["det", "amod", "ROOT"], lemmas=["a", "general", "strike"])
    assert noun_patterns(LEXICON, doc[2], "strike") == (STRIKE,)
    assert noun_patterns(LEXICON, doc[1], "general") == ()


def _asserted(events: list[Event]) -> set[tuple[str | None, ...]]:
    return {(e.source, e.target, e.root) for e in events if e.modality.value == "asserted"}


def test_a_gerund_with_between_is_the_fighting_noun(code_text, ctx) -> None:  # type: ignore[no-untyped-def]
    """"Fighting" as a subject is tagged a verb; with "between X and Y" and no subject of its
    own it is the noun: both sides fight."""
    found = _asserted(code_text("Fighting between Armenian and Azerbaijani forces continued "
                                "in Nagorno-Karabakh.", "2020-09-28"))
    assert {("ARM", "AZE", "19"), ("AZE", "ARM", "19")} <= found
    # a gerund that is the clause's verb is a verb ("Russia is fighting between two fronts")
    doc = ctx.nlp("Russia is fighting between two fronts.")
    assert not gerund_with_sides(next(t for t in doc if t.lower_ == "fighting"))


def test_a_gerund_with_a_subject_of_its_own_stays_a_verb() -> None:
    words = ["rebels", "fighting", "between", "towns", "continued"]
    tags = ["NNS", "VBG", "IN", "NNS", "VBD"]
    doc = Doc(VOCAB, words=words, heads=[1, 4, 1, 2, 4],
              deps=["nsubj", "nsubj", "prep", "pobj", "ROOT"], tags=tags)
    assert not gerund_with_sides(doc[1])  # "rebels fighting between towns continued"
    doc = Doc(VOCAB, words=words[1:], heads=[3, 0, 1, 3],
              deps=["nsubj", "prep", "pobj", "ROOT"], tags=tags[1:])
    assert gerund_with_sides(doc[0])  # "fighting between towns continued"
