"""Trigger patterns (extract/rules/triggers.py) on hand-built parses."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from foreshock.extract.rules.triggers import noun_patterns
from foreshock.ontology.lexicons import Lexicon, NounPattern

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
