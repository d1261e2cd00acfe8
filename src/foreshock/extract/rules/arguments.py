"""Finding an event's actors beyond the pattern's own slot: the argument stage.

A verb or noun pattern names where its target usually is (the object, "on" X); when that
slot is empty or names no actor, these fallbacks look further: the first other actor the
trigger governs, a border's neighbour, the addressee of a light verb, the other parties of a
named agreement, or the country where a sector noun ("protesters") acts.
"""

from __future__ import annotations

from spacy.tokens import Token

from foreshock.extract.base import Actor
from foreshock.extract.rules.actors import Resolver
from foreshock.extract.rules.clauses import (
    EMBEDDED_DEPS,
    SUBJECT_DEPS,
    in_other_clause,
    in_own_clause,
    pobj,
)
from foreshock.extract.rules.codes import NON_STATE
from foreshock.ontology.function_words import function_words
from foreshock.ontology.lexicons import Lexicon

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

BORDER_NOUNS = _WORDS.border_nouns
LOCATIVE = _WORDS.located_preps
AUDIENCE_NOUNS = _WORDS.audience_nouns
DOMESTIC_NOUNS = _WORDS.domestic_nouns
OTHER_EVENT_PREPS = _WORDS.other_event_preps


def noun_as_actor(lexicon: Lexicon, noun: Token, resolver: Resolver) -> list[Actor]:
    """ "Hundreds of protesters gathered in Yerevan": the noun, when it is (or is
    quantified by) a verb's subject, as an actor of its own or of where it acts."""
    subject = noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in {
            "nsubj"} and noun.head.head.i not in resolver.mentions:
        subject = noun.head.head  # "hundreds of protesters"
    if subject.dep_ != "nsubj" or subject.head.pos_ not in {"VERB", "AUX"} or \
            subject.head.lemma_.lower() in lexicon.verbs:
        # what they did, if it is an event of its own ("demonstrators rioted", "...
        # received weapons"), is the event; only gathering, marching, chanting is protest
        return []
    return resolver.actors(noun) or located(noun, subject.head, resolver)


def located(subject: Token, verb: Token, resolver: Resolver) -> list[Actor]:
    """ "Protesters gathered in Yerevan": a sector noun with no country takes the
    country where the verb happens."""
    sector = resolver.sector_nouns.get(subject.lemma_.lower())
    if sector is None:
        return []
    subject_part = {t.i for t in subject.subtree}
    # the trigger's own clause first, then the clause the subject belongs to ("crowds
    # took to the streets in Kazakhstan, protesting ...")
    for clause in (verb, subject.head):
        for node in clause.subtree:
            if node.i in subject_part or node.dep_ != "prep":
                continue
            # "From Egypt, the Foreign Ministry demanded ...": a fronted origin says whose
            # institution speaks ("troops withdrew from Kherson" says nothing of the kind)
            fronted = node.lower_ == "from" and node.head.i == clause.i and \
                node.i < subject.i
            if node.lower_ not in LOCATIVE and not fronted:
                continue
            for place in resolver.actors(pobj(node)):
                return [Actor(place.code, sector, subject.text, "located")]
    return []


def nearest_in_subtree(token: Token, sources: list[Actor], resolver: Resolver,
                       skip: Token | None = None, venues: bool = True,
                       own_clause: bool = False, verbal: bool = False,
                       conjoined: bool = False,
                       topical: frozenset[str] = frozenset(),
                       spoken: bool = False, company: bool = False) -> list[Actor]:
    """The first other actor named in what the trigger governs, outside its subject:
    "blames the surge in tensions on NATO", "fired a missile over northern Japan".  With
    ``topical`` (for cooperative acts: the nouns of conflict events), not an actor of
    another act the object tells of (``acts_elsewhere``): that is what the act is
    about, not whom it is aimed at.  With ``spoken`` (statements, appeals, talk), not
    one that only qualifies the act's audience (``in_audience``).  With ``company``
    (verbs of talking), one the act is done with comes first."""
    excluded = {token.i}
    for child in token.children:
        if child.dep_ in SUBJECT_DEPS or child.dep_ in {"agent", "appos"}:
            excluded.update(t.i for t in child.subtree)
    if skip is not None:
        excluded.update(t.i for t in skip.subtree)
    # non-state sources (separatists, protesters) act inside their own country
    domestic = all(s.sector in NON_STATE for s in sources)
    own = set() if domestic else {s.code for s in sources}
    nodes = list(token.subtree)
    talked_with: set[int] = set()
    if company:
        # "discussed the war crimes of Russian troops with President Duda": the one talked
        # with first, wherever the parser hung the "with"
        talked_with = {n.i for n in nodes if in_company(n, token)}
        nodes = [n for n in nodes if n.i in talked_with] + \
            [n for n in nodes if n.i not in talked_with]
    for node in nodes:
        if node.i in excluded or node.i not in resolver.mentions:
            continue
        if own_clause and node.i not in talked_with and not in_own_clause(node, token):
            continue  # "defends the values shared with the EU": another clause's actor
        if verbal and in_other_clause(node, token, conj=conjoined):
            continue
        if topical and acts_elsewhere(node, token, topical, clauses=not own_clause,
                                      talks=own_clause):
            continue
        if spoken and in_audience(node, token):
            continue
        mention = resolver.mentions[node.i]
        if mention.span_end - 1 != node.i:
            continue
        rebels = mention.entry.kind == "group" and mention.entry.sector in NON_STATE
        if mention.entry.code in own and not rebels:
            continue  # but a state's own rebels are a dyad ("the fighting with the RSF")
        if not venues and node.dep_ == "pobj" and node.head.lower_ in {"in", "at"} and (
                mention.entry.kind in {"capital", "place", "name", "short"} or
                (mention.entry.kind == "organisation" and mention.entry.ambiguous)):
            continue  # "met in Washington", "a meeting in Brussels": where, not with whom
        modifier = mention.entry.kind in {"adjective", "demonym"} and node.dep_ in {
            "amod", "compound"}
        actor = resolver.resolve(node.head if modifier else node)
        if actor is None and modifier:
            # "recognized as Azerbaijani territory": the adjective names the country
            actor = Actor(mention.entry.code, "GOV", mention.text, mention.entry.kind)
        if actor is not None and actor not in sources and (
                actor.code not in own or rebels):
            return [actor]
    return []


def acts_elsewhere(node: Token, trigger: Token, event_nouns: frozenset[str],
                   clauses: bool = True, talks: bool = False) -> bool:
    """Whether ``node`` is the actor of another act inside what ``trigger`` governs: the
    agent of a participle ("the crisis orchestrated by Minsk"), the subject of a relative
    or adverbial clause ("journalists who covered Russia's war"), or the owner of a
    conflict noun ("support since the first day of the Russian invasion", "defending
    Ukraine from the Russian occupiers"), or with ``talks`` its target ("discussing
    sanctions against Russia": the talks' topic; an appeal for sanctions against Russia
    is often read as aimed at Russia).  Without ``clauses`` only the last (a
    meeting's interlocutor is often misparsed into a purpose clause)."""
    head = node.head
    if head.i == trigger.i:
        return False
    if clauses and node.dep_ == "pobj" and head.dep_ == "agent" and head.head.i != trigger.i:
        return True
    if clauses and node.dep_ in {"nsubj", "nsubjpass"} and head.dep_ in EMBEDDED_DEPS:
        return True
    if talks and node.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in {
            "against", "on", "upon", "of", "into"}:
        head = head.head  # "a package of sanctions against Russia": Russia is its target
        node = head if head.pos_ in {"NOUN", "PROPN"} else node
        return node.lemma_.lower() in event_nouns
    return node.dep_ in {"amod", "compound", "poss"} and head.pos_ in {"NOUN", "PROPN"} and \
        head.lemma_.lower() in event_nouns


def in_company(node: Token, trigger: Token) -> bool:
    """Whether ``node`` is (inside) the object of a "with" on its way up to ``trigger``."""
    while node.i != trigger.i and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ == "with":
            return True
        node = node.head
    return False


def in_audience(node: Token, trigger: Token) -> bool:
    """ "said during a conversation with students of Israeli universities", "announced to
    journalists of a Canadian channel": an audience's country is not the one addressed,
    nor the party of another event the statement follows ("following talks with X")."""
    node = node.head
    while node.i != trigger.i and node.head.i != node.i:
        if node.pos_ in {"NOUN", "PROPN"} and node.lemma_.lower() in AUDIENCE_NOUNS:
            return True
        if node.dep_ == "prep" and node.lower_ in OTHER_EVENT_PREPS:
            return True  # "stated ... following talks with the Prime Minister of Croatia"
        node = node.head
    return False


def audience(noun: Token) -> bool:
    """ "a meeting with media representatives", "a conversation with journalists": the
    company of a meeting noun is an audience, not a party."""
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ == "with":
            inner = pobj(prep)
            if inner is None:
                return False
            words = [inner, *(c for c in inner.children if c.dep_ in {"compound", "amod"})]
            return any(w.lemma_.lower() in AUDIENCE_NOUNS for w in words)
    return False


def domestic_addressee(verb: Token) -> bool:
    """ "I ask the Government to draft", "urging our citizens", "called on people's
    deputies": an appeal, promise or agreement addressed to one's own institutions or
    people, with no foreign party, is no international event."""
    for child in verb.children:
        inner = child if child.dep_ in {"dobj", "dative"} else \
            pobj(child) if child.dep_ == "prep" and child.lower_ in {"to", "on", "with"} \
            else None
        if inner is not None and inner.pos_ in {"NOUN", "PROPN"} and \
                inner.lemma_.lower() in DOMESTIC_NOUNS:
            return True
    return False


def addressee(verb: Token, resolver: Resolver, skip: Token | None = None) -> list[Actor]:
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"} and child is not skip:
            found = resolver.actors(pobj(child) if child.pos_ == "ADP" else child)
            if found:
                return found
    return []


def pattern_targets(
    token: Token, specs: tuple[str, ...], objects: list[Token],
    object_nouns: frozenset[str], preps: dict[str, Token], resolver: Resolver, passive: bool,
) -> list[Actor]:
    for spec in specs:
        if spec == "none":
            return []
        if spec == "dobj":
            for obj in objects:
                if obj.dep_ == "nsubjpass" and not passive:
                    continue
                if obj.lemma_.lower() in object_nouns:
                    continue  # the object is the event noun ("imposed sanctions")
                found = resolver.actors(obj)
                if found:
                    return found
            continue
        found = by_spec(token, spec, preps, resolver)
        if found:
            return found
    return []


def by_spec(
    token: Token, spec: str, preps: dict[str, Token], resolver: Resolver
) -> list[Actor]:
    if spec.startswith("prep:"):
        prep = preps.get(spec[5:])
        return resolver.actors(pobj(prep)) if prep is not None else []
    if spec == "dative":
        for child in token.children:
            if child.dep_ == "dative":
                inner = pobj(child) if child.pos_ == "ADP" else child
                return resolver.actors(inner)
        return []
    if spec in {"poss", "amod", "compound"}:
        deps = {"poss"} if spec == "poss" else {"amod", "compound"}
        for child in token.children:
            if child.dep_ in deps:
                mention = resolver.mentions.get(child.i)
                if spec != "poss" and mention is None:
                    continue
                actor = resolver.resolve(child)
                if actor is not None:
                    return [actor]
        return []
    return []


def border_target(token: Token, resolver: Resolver) -> list[Actor]:
    """ "massing troops along the border with Ukraine" / "near Ukraine's border" """
    for node in token.subtree:
        if node.lemma_.lower() in BORDER_NOUNS:
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ == "with":
                    return resolver.actors(pobj(child))
                if child.dep_ in {"poss", "amod", "compound"}:
                    actor = resolver.resolve(child)
                    if actor is not None:
                        return [actor]
    return []


def all_same(sources: list[Actor], targets: list[Actor]) -> bool:
    codes = {s.code for s in sources}
    return bool(codes) and all(t.code in codes for t in targets)


def agreement_parties(token: Token, sources: list[Actor], resolver: Resolver) -> list[Actor]:
    """The parties, other than the sources, of a named agreement in what the trigger
    governs."""
    own = {s.code for s in sources}
    below = {t.i for t in token.subtree}
    for name in resolver.names:
        if name.span_start in below and own & set(name.entry.parties):
            return [Actor(code, "GOV", name.text, "party") for code in name.entry.parties
                    if code not in own]
    return []
