"""Argument fallbacks for acts of force (extract/rules/arguments.py) on hand-built parses:
a nationality adjective as the party of an event noun, the party of the act of force a
passive killing happened in."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from foreshock.extract.base import Actor, Discourse
from foreshock.extract.rules.actors import Mention, Resolver
from foreshock.extract.rules.arguments import (
    adjective_actor,
    home_authority,
    home_place,
    home_sides,
    home_targets,
    instrument_source,
    located,
    protest_place,
)
from foreshock.ontology.actors import ActorEntry
from foreshock.ontology.lexicons import Lexicon, NounPattern

VOCAB = spacy.blank("en").vocab
STRIKE = NounPattern("n.strike", "strike", "190", ("poss", "amod", "compound", "prep:by"),
                     ("prep:on",))
LEXICON = Lexicon({}, {"strike": (STRIKE,)}, {}, ())
ADJ = ActorEntry("ISR", None, "adjective", "Israeli")


def _resolver(doc: Doc, index: int) -> Resolver:
    mentions = {index: Mention(ADJ, index, index + 1, doc[index].text)}
    return Resolver(mentions, {}, Discourse())


def test_a_nationality_adjective_names_who_strikes() -> None:
    doc = Doc(VOCAB, words=["an", "Israeli", "strike"], heads=[2, 2, 2],
              deps=["det", "amod", "ROOT"], lemmas=["an", "israeli", "strike"])
    found = adjective_actor(doc[2], STRIKE.source, _resolver(doc, 1), "MIL")
    assert [(a.code, a.sector) for a in found] == [("ISR", "MIL")]


def test_a_partisan_adjective_names_no_one() -> None:
    doc = Doc(VOCAB, words=["a", "pro", "-", "Israeli", "strike"], heads=[4, 3, 3, 4, 4],
              deps=["det", "advmod", "punct", "amod", "ROOT"],
              lemmas=["a", "pro", "-", "israeli", "strike"])
    assert adjective_actor(doc[4], STRIKE.source, _resolver(doc, 3), "MIL") == []


def test_a_passive_killing_takes_the_party_of_the_strike_it_happened_in() -> None:
    words = ["civilians", "were", "killed", "in", "an", "Israeli", "strike"]
    doc = Doc(VOCAB, words=words, heads=[2, 2, 2, 2, 6, 6, 3],
              deps=["nsubjpass", "auxpass", "ROOT", "prep", "det", "amod", "pobj"],
              lemmas=["civilian", "be", "kill", "in", "an", "israeli", "strike"])
    found = instrument_source(LEXICON, doc[2], _resolver(doc, 5))
    assert [a.code for a in found] == ["ISR"]


def test_a_place_phrase_is_no_instrument() -> None:
    words = ["civilians", "were", "killed", "in", "the", "Israeli", "town"]
    doc = Doc(VOCAB, words=words, heads=[2, 2, 2, 2, 6, 6, 3],
              deps=["nsubjpass", "auxpass", "ROOT", "prep", "det", "amod", "pobj"],
              lemmas=["civilian", "be", "kill", "in", "the", "israeli", "town"])
    assert instrument_source(LEXICON, doc[2], _resolver(doc, 5)) == []


def _readout(words: list[str], heads: list[int], deps: list[str], tags: list[str],
             pair: bool = True) -> list[str]:
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, tags=tags,
              lemmas=[w.lower().rstrip("s") for w in words])
    discourse = Discourse()
    if pair:
        discourse.introduce_pair(Actor("ZAF", "GOV", "Ramaphosa", "person"),
                                 Actor("BRA", "GOV", "Lula", "person"))
    return [a.code for a in Resolver({}, {}, discourse).actors(doc[1])]


def test_the_leaders_of_a_readout_are_the_pair_just_introduced() -> None:
    words = ["The", "leaders", "discussed", "trade"]
    args = ([1, 2, 2, 2], ["det", "nsubj", "ROOT", "dobj"], ["DT", "NNS", "VBD", "NN"])
    assert _readout(words, *args) == ["ZAF", "BRA"]
    assert _readout(words, *args, pair=False) == []


def test_leaders_with_a_modifier_are_no_readout_pair() -> None:
    words = ["The", "leaders", "of", "NATO", "discussed", "trade"]
    heads = [1, 4, 1, 2, 4, 4]
    deps = ["det", "nsubj", "prep", "pobj", "ROOT", "dobj"]
    tags = ["DT", "NNS", "IN", "NNP", "VBD", "NN"]
    assert _readout(words, heads, deps, tags) == []


PERU = ActorEntry("PER", None, "name", "Peru")


def _home(words: list[str], heads: list[int], deps: list[str], pos: list[str],
          lemmas: list[str]) -> tuple[Doc, Resolver]:
    doc = Doc(VOCAB, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas)
    last = len(words) - 1
    mentions = {last: Mention(PERU, last, last + 1, words[last])}
    sectors = {"gunman": "REB", "villager": "CVL", "soldier": "MIL"}
    return doc, Resolver(mentions, sectors, Discourse())


def test_home_actors_belong_to_the_one_country_the_sentence_names() -> None:
    words = ["gunmen", "killed", "villagers", "soldiers", "in", "Peru"]
    doc, resolver = _home(words, [1, 1, 1, 1, 1, 4],
                          ["nsubj", "ROOT", "dobj", "dobj", "prep", "pobj"],
                          ["NOUN", "VERB", "NOUN", "NOUN", "ADP", "PROPN"],
                          ["gunman", "kill", "villager", "soldier", "in", "Peru"])
    gunmen = resolver.home_actor(doc[0])
    assert gunmen is not None and (gunmen.code, gunmen.sector) == ("PER", "REB")
    assert resolver.home_actor(doc[3]) is None  # troops may well be foreign
    assert [(a.code, a.sector) for a in home_targets([doc[2]], [gunmen], resolver)] == [
        ("PER", "CVL")]
    assert resolver.names_an_actor(doc[0])


def test_a_thing_names_no_actor() -> None:
    words = ["an", "earthquake", "killed", "villagers", "in", "Peru"]
    doc, resolver = _home(words, [1, 2, 2, 2, 2, 4],
                          ["det", "nsubj", "ROOT", "dobj", "prep", "pobj"],
                          ["DET", "NOUN", "VERB", "NOUN", "ADP", "PROPN"],
                          ["an", "earthquake", "kill", "villager", "in", "Peru"])
    assert not resolver.names_an_actor(doc[1])


def test_a_protest_is_by_the_people_of_its_place() -> None:
    words = ["protests", "across", "Peru"]
    doc = Doc(VOCAB, words=words, heads=[0, 0, 1], deps=["ROOT", "prep", "pobj"],
              pos=["NOUN", "ADP", "PROPN"], lemmas=["protest", "across", "Peru"])
    resolver = Resolver({2: Mention(PERU, 2, 3, "Peru")}, {}, Discourse())
    found = protest_place(doc[0], ("poss", "amod"), resolver)
    assert [(a.code, a.sector) for a in found] == [("PER", "CVL")]


def test_a_demonstration_of_something_is_no_protest() -> None:
    words = ["a", "demonstration", "of", "resolve", "in", "Peru"]
    doc = Doc(VOCAB, words=words, heads=[1, 1, 1, 2, 1, 4],
              deps=["det", "ROOT", "prep", "pobj", "prep", "pobj"],
              pos=["DET", "NOUN", "ADP", "NOUN", "ADP", "PROPN"],
              lemmas=["a", "demonstration", "of", "resolve", "in", "Peru"])
    resolver = Resolver({5: Mention(PERU, 5, 6, "Peru")}, {}, Discourse())
    assert protest_place(doc[1], ("poss", "amod"), resolver) == []


def test_a_passive_arrest_at_home_is_by_the_police() -> None:
    words = ["villagers", "were", "detained", "in", "Peru"]
    doc, resolver = _home(words, [2, 2, 2, 2, 3],
                          ["nsubjpass", "auxpass", "ROOT", "prep", "pobj"],
                          ["NOUN", "AUX", "VERB", "ADP", "PROPN"],
                          ["villager", "be", "detain", "in", "Peru"])
    found, patient = home_authority([doc[0]], "173", resolver)
    assert [(a.code, a.sector) for a in found] == [("PER", "COP")]
    assert home_authority([doc[0]], "175", resolver)[0][0].sector == "GOV"
    # the villagers are the act's patient, the people of that country
    assert patient is not None and (patient.code, patient.sector) == ("PER", "CVL")


def test_sides_of_a_clash_at_home() -> None:
    words = ["clashes", "between", "gunmen", "and", "villagers", "in", "Peru"]
    doc, resolver = _home(words, [0, 0, 1, 2, 2, 0, 5],
                          ["ROOT", "prep", "pobj", "cc", "conj", "prep", "pobj"],
                          ["NOUN", "ADP", "NOUN", "CCONJ", "NOUN", "ADP", "PROPN"],
                          ["clash", "between", "gunman", "and", "villager", "in", "Peru"])
    assert [(a.code, a.sector) for a in home_sides(doc[2], resolver)] == [
        ("PER", "REB"), ("PER", "CVL")]


def test_a_bombing_is_by_insurgents_of_its_place() -> None:
    words = ["a", "bombing", "in", "Peru"]
    doc = Doc(VOCAB, words=words, heads=[1, 1, 1, 2], deps=["det", "ROOT", "prep", "pobj"],
              pos=["DET", "NOUN", "ADP", "PROPN"], lemmas=["a", "bombing", "in", "Peru"])
    resolver = Resolver({3: Mention(PERU, 3, 4, "Peru")}, {}, Discourse())
    found = protest_place(doc[1], ("poss",), resolver, "REB")
    assert [(a.code, a.sector) for a in found] == [("PER", "REB")]


def test_state_force_on_a_place_of_its_own() -> None:
    town = ActorEntry("PER", None, "place", "Ayacucho")
    words = ["troops", "shelled", "Ayacucho"]
    doc = Doc(VOCAB, words=words, heads=[1, 1, 1], deps=["nsubj", "ROOT", "dobj"],
              pos=["NOUN", "VERB", "PROPN"], lemmas=["troop", "shell", "Ayacucho"])
    resolver = Resolver({2: Mention(town, 2, 3, "Ayacucho")}, {}, Discourse())
    army = Actor("PER", "MIL", "troops", "located")
    assert [a.code for a in home_place(doc[1], [army], resolver)] == ["PER"]
    rebels = Actor("PER", "REB", "rebels", "located")
    assert home_place(doc[1], [rebels], resolver) == []


def test_a_person_of_no_other_country_is_arrested_at_home() -> None:
    words = ["Sorokin", "was", "jailed", "in", "Peru"]
    doc, resolver = _home(words, [2, 2, 2, 2, 3],
                          ["nsubjpass", "auxpass", "ROOT", "prep", "pobj"],
                          ["PROPN", "AUX", "VERB", "ADP", "PROPN"],
                          ["Sorokin", "be", "jail", "in", "Peru"])
    assert [a.code for a in home_authority([doc[0]], "173", resolver)[0]] == ["PER"]


def test_the_people_counted_act_where_the_verb_happens() -> None:
    words = ["thousands", "of", "villagers", "marched", "in", "Peru"]
    doc, resolver = _home(words, [3, 0, 1, 3, 3, 4],
                          ["nsubj", "prep", "pobj", "ROOT", "prep", "pobj"],
                          ["NOUN", "ADP", "NOUN", "VERB", "ADP", "PROPN"],
                          ["thousand", "of", "villager", "march", "in", "Peru"])
    assert [(a.code, a.sector) for a in located(doc[0], doc[3], resolver)] == [
        ("PER", "CVL")]
