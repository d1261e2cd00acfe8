"""Parse-tree questions of the rules (extract/rules/clauses.py) on hand-built parses."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from foreshock.extract.rules.clauses import (
    background_clause,
    governing_verb,
    is_each_other,
    is_reference,
    pobj,
    subject_of,
    support_verb,
    time_clause,
)

VOCAB = spacy.blank("en").vocab


def parse(words: list[str], heads: list[int], deps: list[str], lemmas: list[str],
          pos: list[str] | None = None) -> Doc:
    return Doc(VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas,
               pos=pos or ["VERB" if d == "ROOT" else "NOUN" for d in deps])


def test_an_object_control_verb_lends_its_object_as_the_infinitive_s_subject() -> None:
    doc = parse(["The", "US", "urged", "Russia", "to", "withdraw"], [1, 2, 2, 2, 5, 2],
                ["det", "nsubj", "ROOT", "dobj", "aux", "xcomp"],
                ["the", "US", "urge", "Russia", "to", "withdraw"])
    subject = subject_of(doc[5])
    assert subject is not None and subject.text == "Russia"
    # other verbs lend their own subject: "promised Russia to withdraw" is the US's act
    doc = parse(["The", "US", "promised", "Russia", "to", "withdraw"], [1, 2, 2, 2, 5, 2],
                ["det", "nsubj", "ROOT", "dobj", "aux", "xcomp"],
                ["the", "US", "promise", "Russia", "to", "withdraw"])
    subject = subject_of(doc[5])
    assert subject is not None and subject.text == "US"


def test_a_light_verb_and_the_verb_governing_a_noun() -> None:
    doc = parse(["Russia", "launched", "an", "attack", "on", "Ukraine"], [1, 1, 3, 1, 3, 4],
                ["nsubj", "ROOT", "det", "dobj", "prep", "pobj"],
                ["Russia", "launch", "an", "attack", "on", "Ukraine"],
                ["PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN"])
    assert support_verb(doc[3]) == doc[1]
    assert governing_verb(doc[3]) == doc[1]
    assert pobj(doc[4]) == doc[5] and pobj(None) is None
    doc = parse(["Russia", "warned", "against", "an", "attack"], [1, 1, 1, 4, 2],
                ["nsubj", "ROOT", "prep", "det", "pobj"],
                ["Russia", "warn", "against", "an", "attack"],
                ["PROPN", "VERB", "ADP", "DET", "NOUN"])
    assert support_verb(doc[4]) is None  # "warned against an invasion" is no one's invasion
    assert governing_verb(doc[4]) == doc[1]


def test_background_and_reference_phrases() -> None:
    doc = parse(["Russia", "launched", "war", "eight", "years", "ago"], [1, 1, 1, 4, 5, 1],
                ["nsubj", "ROOT", "dobj", "nummod", "npadvmod", "advmod"],
                ["Russia", "launch", "war", "eight", "year", "ago"])
    assert background_clause(doc[1])
    doc = parse(["in", "retaliation", "for", "the", "attack"], [1, 1, 1, 4, 2],
                ["prep", "ROOT", "prep", "det", "pobj"],
                ["in", "retaliation", "for", "the", "attack"])
    assert is_reference(doc[4])


def test_time_clauses_and_each_other() -> None:
    doc = parse(["China", "protested", "after", "Pelosi", "arrived"], [1, 1, 4, 4, 1],
                ["nsubj", "ROOT", "mark", "nsubj", "advcl"],
                ["China", "protest", "after", "Pelosi", "arrive"])
    assert time_clause(doc[4])
    doc = parse(["China", "protested", "as", "Pelosi", "arrived"], [1, 1, 4, 4, 1],
                ["nsubj", "ROOT", "mark", "nsubj", "advcl"],
                ["China", "protest", "as", "Pelosi", "arrive"])
    assert not time_clause(doc[4])  # a bare "as" may mean while
    doc = parse(["They", "blamed", "each", "other"], [1, 1, 3, 1],
                ["nsubj", "ROOT", "det", "dobj"], ["they", "blame", "each", "other"])
    assert is_each_other(doc[3])


def test_what_prompted_an_act_is_no_new_event() -> None:
    # "at the invitation of Chile, Peru signed ...": the invitation came before (the Kremlin's
    # "at the invitation of President Putin, we approved ..." was coded an invitation)
    doc = parse(["At", "the", "invitation", "of", "Chile", ",", "Peru", "signed"],
                [7, 2, 0, 2, 3, 7, 7, 7],
                ["prep", "det", "pobj", "prep", "pobj", "punct", "nsubj", "ROOT"],
                ["at", "the", "invitation", "of", "Chile", ",", "Peru", "sign"])
    assert is_reference(doc[2])
    # an invitation extended is an event ("Chile sent an invitation to Peru")
    doc = parse(["Chile", "sent", "an", "invitation", "to", "Peru"], [1, 1, 3, 1, 3, 4],
                ["nsubj", "ROOT", "det", "dobj", "prep", "pobj"],
                ["Chile", "send", "an", "invitation", "to", "Peru"])
    assert not is_reference(doc[3])


def test_a_then_title_hung_on_the_verb_is_the_past() -> None:
    # "While deployed to Peru, then-Staff Sergeant Rojas instantly responded": the parser
    # hangs "then" on the verb and the hyphen on the name; both clauses tell of the past
    words = ["While", "deployed", "to", "Peru", ",", "then", "-", "Sergeant", "Rojas",
             "instantly", "responded"]
    doc = parse(words, [1, 10, 1, 2, 10, 10, 8, 8, 10, 10, 10],
                ["mark", "advcl", "prep", "pobj", "punct", "advmod", "punct", "compound",
                 "nsubj", "advmod", "ROOT"],
                ["while", "deploy", "to", "Peru", ",", "then", "-", "Sergeant", "Rojas",
                 "instantly", "respond"])
    assert background_clause(doc[10]) and background_clause(doc[1])
    # "then" with no hyphen is a time adverb of the story, not a title
    doc = parse(["Rojas", "then", "responded"], [2, 2, 2], ["nsubj", "advmod", "ROOT"],
                ["Rojas", "then", "respond"])
    assert not background_clause(doc[2])
