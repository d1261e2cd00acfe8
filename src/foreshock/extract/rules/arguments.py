"""Finding an event's actors beyond the pattern's own slot: the argument stage.

A verb or noun pattern names where its target usually is (the object, "on" X); when that
slot is empty or names no actor, these fallbacks look further: the first other actor the
trigger governs, a border's neighbour, the addressee of a light verb, the other parties of a
named agreement, or the country where a sector noun ("protesters") acts.
"""

from __future__ import annotations

from spacy.tokens import Token

from foreshock.extract.base import Actor
from foreshock.extract.rules.actors import QUANTITY_HEADS, Resolver
from foreshock.extract.rules.clauses import (
    EMBEDDED_DEPS,
    SUBJECT_DEPS,
    in_other_clause,
    in_own_clause,
    pobj,
)
from foreshock.extract.rules.codes import ARREST_CODE, NON_STATE, STATE, VERDICT_CODE
from foreshock.ontology.function_words import function_words
from foreshock.ontology.lexicons import Lexicon

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

BORDER_NOUNS = _WORDS.border_nouns
LOCATIVE = _WORDS.located_preps
AUDIENCE_NOUNS = _WORDS.audience_nouns
DOMESTIC_NOUNS = _WORDS.domestic_nouns
OTHER_EVENT_PREPS = _WORDS.other_event_preps
TOPIC_NOUNS = _WORDS.topic_nouns
TOPIC_PREPS = _WORDS.topic_preps
WH_WORDS = _WORDS.wh_words
CASUALTY_VERBS = _WORDS.casualty_verbs
CASUALTY_PREPS = _WORDS.casualty_preps
#: "rockets fired from Gaza": what is fired, and firing, has its launch site's side
LAUNCH_VERBS = _WORDS.launch_verbs
MUNITION_NOUNS = _WORDS.munition_nouns
#: "killed in a gunfight with Boko Haram": whom the fight was with
FOE_PREPS = _WORDS.foe_preps
#: "fighting for freedom": what force is used for, no one it is used on
CAUSE_PREPS = _WORDS.cause_preps
#: "cooperate at the UN", "within the SCO": an organisation there is the forum, no partner
FORUM_PREPS = _WORDS.forum_preps
VERB_FORUM_PREPS = _WORDS.verb_forum_preps
SANCTION_NOUNS = _WORDS.sanction_nouns
SANCTION_PREPS = _WORDS.sanction_preps
#: "fighting for its freedom against Russia": the one force is used on, even inside a cause
ENEMY_PREPS = _WORDS.enemy_preps
ALLY_PREPS = _WORDS.ally_preps
ALLY_NOUNS = _WORDS.ally_nouns
ALLY_NOUN_PREPS = _WORDS.ally_noun_preps
TALK_TOPIC_PREPS = _WORDS.talk_topic_preps
ALLY_FIGHT_VERBS = _WORDS.struggle_verbs
#: "missiles aimed at an air base", "airstrikes targeting Hezbollah": what force is aimed at
AIMING_PARTICIPLES = _WORDS.aiming_participles
#: prepositions of an aiming participle that name its target ("aimed at", "directed against")
AIMING_PREPS = _WORDS.aiming_preps
#: an ally's mentions that are places where the fighting is, not parties ("near Kyiv")
ALLY_PLACE_KINDS = frozenset({"capital", "place"})
#: "fighting for control of Bakhmut": a cause that is the place fought over
CONTEST_NOUNS = _WORDS.contest_nouns
#: kinds of actor that name a place where people are ("in Kunduz", "across Iran")
PLACE_KINDS = frozenset({"place", "capital", "name", "short", "located"})


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


def located(subject: Token, verb: Token, resolver: Resolver,
            crowd: str | None = None) -> list[Actor]:
    """ "Protesters gathered in Yerevan": a sector noun with no country takes the
    country where the verb happens.  With ``crowd`` (a protest), a bare count is people
    too: "More than 30,000 march in Madrid"."""
    sector = resolver.sector_of(subject)
    if sector is None and (subject.like_num or subject.lower_ in QUANTITY_HEADS):
        # "Thousands of people demonstrate in Athens": the people counted
        counted = [o for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                   for o in c.children if o.dep_ == "pobj"]
        sector = resolver.sector_nouns.get(counted[0].lemma_.lower()) if counted else crowd
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
                       spoken: bool = False, company: bool = False,
                       topics: bool = False, causes: bool = False,
                       forums: bool = False, sanctions: bool = False,
                       talks: bool = False) -> list[Actor]:
    """The first other actor named in what the trigger governs, outside its subject:
    "blames the surge in tensions on NATO", "fired a missile over northern Japan".  With
    ``topical`` (for cooperative acts: the nouns of conflict events), not an actor of
    another act the object tells of (``acts_elsewhere``): that is what the act is
    about, not whom it is aimed at.  With ``spoken`` (statements, appeals, talk), not
    one that only qualifies the act's audience (``in_audience``).  With ``company``
    (verbs of talking), one the act is done with comes first.  With ``topics`` (verbal
    cooperation), not one inside what is talked about (``in_topic``).  With ``causes``
    (force), not one inside what the force is used for (``in_cause``).  With ``forums``
    (cooperation), not an organisation it is done at or within ("cooperate closely at the
    UN", "dialogue within BRICS and the SCO"): where, not with whom.  With ``sanctions``
    (statements, appeals, cooperation, demands, criticism), not one that sanctions talked
    of are aimed at (``in_sanction``).  With ``talks`` (meetings and talks), not one that an
    "on" or "over" says the talk is about, unless it is the one talked "with"."""
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
    if talks and not company:
        # "held a meeting on security with Duda": the one met is no topic, wherever the
        # parser hung the "with"
        talked_with = {n.i for n in nodes if in_company(n, token)}
    if company:
        # "discussed the war crimes of Russian troops with President Duda": the one talked
        # with first, wherever the parser hung the "with"
        talked_with = {n.i for n in nodes if in_company(n, token)}
        nodes = [n for n in nodes if n.i in talked_with] + \
            [n for n in nodes if n.i not in talked_with]
    sided = {n.i for n in nodes
             if n.i in resolver.mentions and n.i not in excluded and on_side(n, token)}
    allies = {resolver.mentions[i].entry.code for i in sided}
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
        if topics and node.i not in talked_with and in_topic(node, token, talks):
            # the one talked with is no topic, even when the parser hangs the "with"
            # inside it ("discussed the question of Sweden's membership with Biden")
            continue
        if causes and in_cause(node, token):
            continue
        if node.i in sided:
            continue  # "fought alongside Ukrainian troops", "on Ukraine's side": an ally
        if resolver.mentions[node.i].entry.code in allies and \
                resolver.mentions[node.i].entry.kind in ALLY_PLACE_KINDS and \
                not under_prep(node, token, ENEMY_PREPS):
            continue  # "... alongside Ukrainian troops near Kyiv": nor the ally's places
        if sanctions and in_sanction(node, token):
            continue
        mention = resolver.mentions[node.i]
        if mention.span_end - 1 != node.i:
            continue
        if node.dep_ == "pobj" and node.head.lower_ == "from" and \
                mention.entry.code in {s.code for s in sources}:
            continue  # "Hezbollah launches drones from Lebanon": whence, not at whom
        rebels = mention.entry.kind == "group" and mention.entry.sector in NON_STATE
        if mention.entry.code in own and not rebels:
            continue  # but a state's own rebels are a dyad ("the fighting with the RSF")
        if not venues and node.dep_ == "pobj" and node.head.lower_ in {"in", "at"} and (
                mention.entry.kind in {"capital", "place", "name", "short"} or
                (mention.entry.kind == "organisation" and mention.entry.ambiguous)):
            continue  # "met in Washington", "a meeting in Brussels": where, not with whom
        if forums and in_forum(node, mention.entry.kind):
            continue
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


def in_forum(node: Token, kind: str) -> bool:
    """An organisation (or a conjunct of one) after a forum preposition: "at the UN",
    "within the SCO and BRICS", or "in" hung on the verb ("cooperating in the EAEU")."""
    head = node
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    if kind != "organisation" or head.dep_ != "pobj":
        return False
    prep = head.head
    return prep.lower_ in FORUM_PREPS or (
        prep.lower_ in VERB_FORUM_PREPS and prep.head.pos_ in {"VERB", "AUX"})


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


def in_topic(node: Token, trigger: Token, talks: bool = False) -> bool:
    """Whether ``node`` is inside what a statement, appeal or talk is about rather than
    whom it is aimed at: the complement of a topic noun ("stressed the need to recognise
    Russia as ...", "support for Ukraine's membership in NATO"), the object of a topic
    preposition ("dialogue within the G20"), or an indirect question ("discussed how to
    put pressure on Russia").  The one addressed is the verb's own argument; these name
    what the words are about, which in the releases is most often a third party.  With
    ``talks`` (meetings and talks) "on" and "over" name the topic too ("a meeting on the
    Russian offensive"); a gerund's object counts as the preposition's
    ("a meeting on countering Russian aggression")."""
    if node.pos_ in {"VERB", "AUX"}:
        return False
    preps = TOPIC_PREPS | TALK_TOPIC_PREPS if talks else TOPIC_PREPS
    child, node = node, node.head
    while node.i != trigger.i and child.i != node.i:
        if child.dep_ in {"pobj", "pcomp"} and node.lower_ in preps:
            return True
        # the owner of a topic noun ("Ukraine's membership") is no topic; its complements are
        if node.pos_ in {"NOUN", "PROPN"} and node.lemma_.lower() in TOPIC_NOUNS and \
                child.dep_ not in {"poss", "amod", "compound", "det"}:
            return True
        if node.pos_ in {"VERB", "AUX"} and node.dep_ in {"ccomp", "xcomp"} and any(
                c.lower_ in WH_WORDS and c.i < node.i for c in node.subtree):
            return True
        child, node = node, node.head
    return False


def in_sanction(node: Token, trigger: Token) -> bool:
    """Whether ``node`` is inside what a sanction or pressure noun is aimed at, on its way up
    to ``trigger``: "agreed on the sixth package of sanctions against Russia", "insists on a
    ban on transporting Russian oil", "called for more pressure on Russia".  Those who
    agree, insist or call address their partners; the sanctioned country is what they talk
    about (Zelenskyy's releases coded it the target of 030 and 100 on session 6's and 8's
    sheets).  Imposing the sanctions (16x) and threatening them (13x) are not read so."""
    child, head = node, node.head
    while child.i != trigger.i and child.i != head.i:
        if child.dep_ == "prep" and child.lower_ in SANCTION_PREPS and \
                head.lemma_.lower() in SANCTION_NOUNS:
            return True
        child, head = head, head.head
    return False


def in_cause(node: Token, trigger: Token) -> bool:
    """Whether ``node`` is inside a preposition of cause on its way up to ``trigger``:
    "fighting for the security of the European Union", "fighting for Crimea on
    international platforms" name what one fights for, never whom one fights.  But the
    object of an "against" or "with" hung inside the cause is the enemy ("fighting for its
    freedom against Russia"), and the place of a contest noun is what is fought over
    ("fighting for control of Bakhmut")."""
    child, node = node, node.head
    while child.i != trigger.i and child.i != node.i:
        if child.dep_ == "prep" and (child.lower_ in ENEMY_PREPS or
                                     node.lemma_.lower() in CONTEST_NOUNS):
            return False
        if child.dep_ == "prep" and child.lower_ in CAUSE_PREPS:
            return True
        child, node = node, node.head
    return False


def on_side(node: Token, trigger: Token) -> bool:
    """Whether ``node`` stands on the actor's side: inside the object of an "alongside" of
    the trigger itself, or the owner or complement of "side" in an "on" of the trigger when
    it is a verb of fighting ("fighting on Ukraine's side", "on the side of Russia").  Not
    across another preposition ("alongside rebels against the government": the government
    is the enemy), not a place ("drills alongside the Ukrainian border", "fought on the
    Ukrainian side of the border", "shelled positions on the Ukrainian side")."""
    fighting = trigger.lemma_.lower() in ALLY_FIGHT_VERBS
    while node.i != trigger.i and node.head.i != node.i:
        head = node.head
        if node.dep_ == "pobj" and head.lower_ in ALLY_PREPS and head.head.i == trigger.i:
            return node.lemma_.lower() not in BORDER_NOUNS
        if fighting and head.lemma_.lower() in ALLY_NOUNS and head.dep_ == "pobj" and \
                head.head.lower_ in ALLY_NOUN_PREPS and head.head.head.i == trigger.i:
            return not any(c.dep_ == "prep" and (o := pobj(c)) is not None and
                           o.lemma_.lower() in BORDER_NOUNS for c in head.children)
        if node.dep_ == "pobj" and head.dep_ == "prep" and not (
                head.lower_ == "of" and head.head.lemma_.lower() in ALLY_NOUNS):
            return False  # another preposition's object: "against", "near"
        node = head
    return False


def under_prep(node: Token, trigger: Token, preps: frozenset[str]) -> bool:
    """Whether ``node`` is (inside) the object of one of ``preps`` on its way up to
    ``trigger``."""
    while node.i != trigger.i and node.head.i != node.i:
        if node.dep_ == "pobj" and node.head.lower_ in preps:
            return True
        node = node.head
    return False


_WITH = frozenset({"with"})


def in_company(node: Token, trigger: Token) -> bool:
    """Whether ``node`` is (inside) the object of a "with" on its way up to ``trigger``."""
    return under_prep(node, trigger, _WITH)


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


def aimed_targets(objects: list[Token], sources: list[Actor], resolver: Resolver
                  ) -> list[Actor]:
    """The target of force named through a participle of its object: "launches 60 cruise
    missiles aimed at the air base in Homs", "carries out airstrikes targeting Hezbollah
    positions" (the participle's object, or its phrase of ``aiming_preps``).  Of a source's
    own country only the other side of a war, the state against its rebels or the rebels
    against the state ("Pakistan conducts strikes targeting Pakistani Taliban camps",
    "separatists fired mortars aimed at Ukrainian army checkpoints"): its city or people are
    not what it fires at ("the IDF intercepts a missile aimed at Tel Aviv")."""
    own = {s.code for s in sources}
    for obj in objects:
        for part in obj.children:
            if part.dep_ != "acl" or part.lemma_.lower() not in AIMING_PARTICIPLES:
                continue
            for child in part.children:
                inner = child if child.dep_ == "dobj" else pobj(child) if (
                    child.dep_ == "prep" and child.lower_ in AIMING_PREPS) else None
                found = [a for a in (resolver.actors(inner) if inner is not None else [])
                         if a.code not in own or any(
                             s.code == a.code and _war_sides(s.sector, a.sector)
                             for s in sources)]
                if found:
                    return found
    return []


def _war_sides(one: str | None, other: str | None) -> bool:
    """Two sectors of one country on two sides of a war: rebels and the state (the country,
    its government or its army)."""
    state = {None, "GOV", "MIL"}
    return (one == "REB" and other in state) or (other == "REB" and one in state)


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


def border_target(token: Token, resolver: Resolver, sources: list[Actor]) -> list[Actor]:
    """ "massing troops along the border with Ukraine" / "near Ukraine's border" / "near the
    Russia-Ukraine border": the country across the border, never the sources' own side."""
    own = {s.code for s in sources}
    for node in token.subtree:
        if node.lemma_.lower() in BORDER_NOUNS:
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ == "with":
                    return [a for a in resolver.actors(pobj(child)) if a.code not in own]
                if child.dep_ in {"poss", "amod", "compound", "nmod"}:
                    # "the India-Pakistan border": the first name hangs on the second
                    for name in [child, *(c for c in child.children
                                          if c.dep_ in {"compound", "nmod", "conj"})]:
                        actor = resolver.resolve(name)
                        if actor is not None and actor.code not in own:
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


def adjective_actor(token: Token, specs: tuple[str, ...], resolver: Resolver,
                    sector: str) -> list[Actor]:
    """ "Israeli airstrikes", "a Turkish drone strike": a nationality adjective modifying
    an event noun names the party that acts, though it resolves to no actor alone."""
    if not {"amod", "compound"} & set(specs):
        return []
    for child in token.children:
        if child.dep_ not in {"amod", "compound"}:
            continue
        mention = resolver.mentions.get(child.i)
        if mention is None or mention.entry.kind not in {"adjective", "demonym"} or \
                mention.span_end - 1 != child.i or _partisan(child):
            continue
        return [Actor(mention.entry.code, mention.entry.sector or sector, mention.text,
                      mention.entry.kind)]
    return []


def _partisan(token: Token) -> bool:
    """ "pro-Russian", "anti-Israeli": a stance, not the actor."""
    if token.i >= 2 and token.nbor(-1).text == "-" and token.nbor(-2).lower_ in {"pro", "anti"}:
        return True
    return any(c.lower_ in {"pro", "anti"} for c in token.children)


def launch_site(verb: Token, resolver: Resolver) -> list[Actor]:
    """ "Two rockets are fired from Gaza into Israel": munitions fired or launched from a
    place, with no one named, are that place's side's.  Only munitions: hostages "taken
    from Israel" were taken by others than Israel."""
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if verb.lemma_.lower() not in LAUNCH_VERBS and (
            subject is None or subject.lemma_.lower() not in MUNITION_NOUNS):
        return []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "from":
            where = pobj(child)
            mention = resolver.mentions.get(where.i) if where is not None else None
            if mention is not None and mention.entry.kind in PLACE_KINDS:
                return [Actor(mention.entry.code, None, mention.text, "located")]
    return []


def instrument_source(lexicon: Lexicon, verb: Token, resolver: Resolver) -> list[Actor]:
    """ "killed in an Israeli strike", "killed in an ambush by gunmen", "wounded by Russian
    shelling": a passive act of force with no agent named takes the party of the act of
    force it happened in or by."""
    for child in verb.children:
        if child.dep_ not in {"prep", "agent"} or child.lower_ not in {
                "in", "by", "during", "after"}:
            continue
        noun = pobj(child)
        if noun is None or (child.lower_ == "after" and not any(
                c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children)):
            continue  # "killed after the attack" may be another act; "after an ambush" not
        lemma = noun.lemma_.lower()
        patterns = None
        for mod in noun.children:
            if mod.dep_ in {"compound", "amod"}:
                patterns = lexicon.nouns.get(f"{mod.lemma_.lower()} {lemma}") or patterns
        patterns = patterns or lexicon.nouns.get(lemma) or lexicon.nouns.get(noun.lower_)
        if not patterns or int(patterns[0].code[:2]) < 18:
            continue
        pattern = patterns[0]
        preps = {c.lower_: c for c in noun.children if c.dep_ == "prep"}
        for spec in pattern.source:
            if spec == "self":
                continue
            found = by_spec(noun, spec, preps, resolver)
            if not found and spec == "prep:by" and "by" in preps:
                agent = pobj(preps["by"])
                if agent is not None:
                    found = located(agent, verb, resolver)
                    home = resolver.home_actor(agent) if not found else None
                    found = [home] if home is not None else found
            if found:
                return found
        found = adjective_actor(noun, pattern.source, resolver, "MIL")
        if found:
            return found
    return []


def home_targets(objects: list[Token], sources: list[Actor], resolver: Resolver
                 ) -> list[Actor]:
    """ "Police fired tear gas at protesters in Djibouti", "gunmen killed villagers", "police
    broke up a protest": the people an act of force or protest is done to, with no country
    named, are of the one country the sentence names, when it is the source's own."""
    codes = {s.code for s in sources}
    for obj in objects:
        home = resolver.home_actor(obj) or resolver.home_crowd(obj)
        if home is not None and home.code in codes and \
                all((home.code, home.sector) != (s.code, s.sector) for s in sources):
            return [home]
    return []


def protest_place(noun: Token, specs: tuple[str, ...], resolver: Resolver,
                  sector: str = "CVL") -> list[Actor]:
    """ "protests across Iran", "an anti-lockdown rally in Rotterdam", "Thai protests",
    "protests erupted in Austria": a protest with no one named as its source is by the
    people of the place it happens in (of the one country its sentence names, else); a
    suicide or car bombing likewise by insurgents (``sector`` REB) of its place."""
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children):
        return []  # "a demonstration of the deep relationship": another sense
    heads = [noun]
    if noun.dep_ in {"nsubj", "nsubjpass"} and noun.head.pos_ in {"VERB", "AUX"}:
        heads.append(noun.head)  # "protests erupted in Austria"
    for head in heads:
        for child in head.children:
            if child.dep_ != "prep" or child.lower_ not in LOCATIVE:
                continue
            # a place, not an institution ("outside the U.S. consulate in Erbil")
            where = pobj(child)
            places = [p for p in resolver.actors(where) if p.kind in PLACE_KINDS] if \
                where is not None and where.i in resolver.mentions else []
            if places:
                return [Actor(p.code, sector, noun.text, "located") for p in places]
    found = adjective_actor(noun, specs, resolver, sector)
    if found:
        return found
    if _said_of_by_an_actor(noun, resolver):
        return []  # "The United States condemned the protests": a reaction, not a protest
    home = resolver.home_actor_of_place(noun)
    return [Actor(home.code, sector, home.text, home.kind)] if home is not None else []


def _said_of_by_an_actor(noun: Token, resolver: Resolver) -> bool:
    """Whether ``noun`` is what a named actor does something about or with: the object (or
    a preposition's object) of a verb whose subject is an actor ("China opposes the
    protests", "Ukraine lodged a protest", "hosted talks on the protests")."""
    tok = noun
    while tok.dep_ in {"dobj", "pobj", "prep", "attr", "conj", "appos", "compound"} and \
            tok.head is not tok:
        tok = tok.head
        if tok.pos_ in {"VERB", "AUX"}:
            return any(c.dep_ in {"nsubj", "nsubjpass"} and (
                c.i in resolver.mentions or resolver.actors(c)) for c in tok.children)
    return False


def home_authority(objects: list[Token], code: str, resolver: Resolver,
                   verb: Token | None = None) -> tuple[list[Actor], Actor | None]:
    """ "300 people are arrested in Egypt", "opposition leader X is placed under house
    arrest": a passive arrest or repression with no agent named, of people of the one
    country the sentence names, is by that country's police (arrests) or government.  In a
    sentence that names several, the country the verb itself places the act in ("250
    anti-war protesters are detained in Russia for opposing the invasion of Ukraine").
    Returns the authority and its patient as the people of that country (if a noun says
    who: the target wherever the sentence's other country drew it)."""
    for patient in objects:
        if patient.dep_ != "nsubjpass":
            continue
        found = resolver.actors(patient)
        named = resolver.sentence_country()
        only = named or act_country(verb, resolver)
        home = found[0] if len(found) == 1 else resolver.home_actor(patient, only)
        if named is None and home is not None and home.sector not in {"CVL", "OPP"}:
            # with another country named, only a crowd or the opposition is surely the
            # place's own ("two journalists were detained in Iran, France said": French?)
            return [], None
        if home is None and not found and only is not None and patient.pos_ == "PROPN" and \
                patient.i not in resolver.mentions:
            # "Ivan Petrov is sentenced to ten years in Omsk": a person of no other country
            home = Actor(only, "CVL", patient.text, "located")
        if home is None or only is None or home.code != only or home.sector == "MIL":
            # soldiers detained or captured are more often the enemy's prisoners; an
            # official or a former president arrested at home is the state's own act
            return [], None
        sector = "COP" if code.startswith(ARREST_CODE) else \
            "JUD" if code.startswith(VERDICT_CODE) else "GOV"
        return [Actor(only, sector, "", "domestic")], resolver.home_actor(patient, only)
    return [], None


def act_country(verb: Token | None, resolver: Resolver) -> str | None:
    """The country of the place an "in" phrase on a verb or event noun names ("detained in
    Russia", "a crackdown on refugees in Karachi"), if it names one."""
    for child in verb.children if verb is not None else ():
        where = pobj(child) if child.dep_ == "prep" and child.lower_ == "in" else None
        mention = resolver.mentions.get(where.i) if where is not None else None
        if mention is not None and mention.entry.kind in PLACE_KINDS:
            return mention.entry.code
    return None


def home_sides(inner: Token, resolver: Resolver) -> list[Actor]:
    """ "between police and protesters": sides with no country named, of the one country
    the sentence names (two different sectors of it)."""
    sides: list[Actor] = []
    for item in [inner, *inner.conjuncts]:
        # each conjunct by itself: ``actors`` would read the whole coordination again, so
        # "Egyptian protesters and police" gave the protesters twice and no police
        actor = resolver.resolve(item) or resolver.home_actor(item)
        if actor is None:
            return []
        if all((actor.code, actor.sector) != (s.code, s.sector) for s in sides):
            sides.append(actor)
    return sides if len(sides) >= 2 else []


def home_place(verb: Token, sources: list[Actor], resolver: Resolver) -> list[Actor]:
    """ "Government forces shelled the northern Hama countryside", "the army bombed rebel
    positions near Idlib": force by a state on a named place of its own country, when the
    sentence names no other, is aimed at that place (whoever holds it)."""
    only = resolver.sentence_country()
    if only is None or any(s.code != only or s.sector not in STATE for s in sources):
        return []
    excluded = {t.i for c in verb.children if c.dep_ in SUBJECT_DEPS | {"agent"}
                for t in c.subtree}
    for node in verb.subtree:
        mention = resolver.mentions.get(node.i)
        if node.i in excluded or mention is None or mention.span_end - 1 != node.i or \
                mention.entry.kind not in {"place", "capital"} or \
                not in_own_clause(node, verb):
            continue
        return [Actor(only, None, mention.text, "place")]
    return []


def casualty_sides(noun: Token, preps: dict[str, Token], resolver: Resolver) -> list[Actor]:
    """ "Six soldiers and 34 Boko Haram gunmen are killed in a shootout in Borno, Nigeria",
    "Nine ELN guerrillas are killed in a gunfight with soldiers": the casualties of a fight
    name its sides (with whom the fight was, first); soldiers or police with no country named
    are those of the one country the sentence names.  Two opposed sides or none."""
    head = noun.head
    if noun.dep_ != "pobj" or head.lower_ not in CASUALTY_PREPS:
        return []
    verb = head.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in CASUALTY_VERBS:
        return []
    subject = next((c for c in verb.children if c.dep_ in {"nsubjpass", "nsubj"}), None)
    if subject is None:
        return []
    others = [o for k, p in preps.items() if k in FOE_PREPS and (o := pobj(p))]
    dead = _fighters([subject, *subject.conjuncts], resolver)
    foes = _fighters([x for o in others for x in (o, *o.conjuncts)], resolver)
    if not dead or foes is None:
        return []
    # whom the fight was with, when named, is the other side; else another of the dead
    foe = next((f for f in (foes or dead[1:]) if _opposed(dead[0], f)), None)
    return [dead[0], foe] if foe is not None else []


def _fighters(items: list[Token], resolver: Resolver) -> list[Actor] | None:
    """The sides among a fight's casualties, each read by its own words ("Pakistani troops
    and Baloch separatists" are two, though the parser lets the adjective reach over the
    "and"; "Indian and Chinese soldiers" are two, one noun with two countries); civilians
    are no side, and soldiers and police of one country are one.  None
    when a casualty names no actor."""
    sides: list[Actor] = []
    for item in items:
        actor = resolver.resolve(item) or resolver.home_side(item)
        if actor is None:
            return None
        # "Indian and Chinese soldiers are injured in a clash": one noun, two countries
        for one in (actor, *resolver.coordinated_modifiers(item, actor)):
            if one.sector != "CVL" and all(_side(one) != _side(s) for s in sides):
                sides.append(one)
    return sides


def _side(actor: Actor) -> tuple[str, str | None]:
    """A country's state forces (army, police, government) fight as one side."""
    return (actor.code, "STATE" if actor.sector in STATE else actor.sector)


def _opposed(one: Actor, other: Actor) -> bool:
    """Two sides of a fight: of two countries, or the state against those outside it."""
    return one.code != other.code or (one.sector in STATE) != (other.sector in STATE)
