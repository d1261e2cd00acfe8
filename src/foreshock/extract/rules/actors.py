"""Finding actor mentions in a parsed sentence and resolving arguments to actors.

Actors come from our dictionaries (a PhraseMatcher over aliases), never from NER: the
small English model tags "Kiev" as a PERSON and "Lavrov" as an ORG.  An argument token is
resolved through its noun phrase: its own alias, a possessor or adjective ("Russia's
army", "Russian troops"), a prepositional complement ("the government of Ukraine"), an
appositive, a relative pronoun's antecedent or a pronoun's referent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from foreshock.extract.base import Actor, Discourse
from foreshock.ontology.actors import BREAKAWAY, TRANSNATIONAL, ActorDictionary, ActorEntry
from foreshock.ontology.function_words import function_words

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

#: kinds whose bare mention as an argument stands for the government
COUNTRY_KINDS = frozenset({"name", "short", "capital", "seat"})
MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})
LOCATIVE_PREPS = _WORDS.owner_preps
PERSONAL = {**{word: "person" for word in sorted(_WORDS.person_pronouns)},
            **{word: "group" for word in sorted(_WORDS.group_pronouns)}}
#: plural nouns that, with "both" or "two", stand for the two parties just named
PAIR_NOUNS = _WORDS.pair_nouns
PAIR_PLURALS = _WORDS.pair_plurals
#: "both sides", "the two countries": the words that make a plural the pair itself
PAIR_DETERMINERS = _WORDS.pair_determiners
#: bare plural subjects of a readout that stand for the pair just introduced
READOUT_NOUNS = _WORDS.readout_nouns
#: "its partners", "their allies": these belong to someone else
RELATIONAL = _WORDS.relational_nouns
RELATIVE = _WORDS.relative_pronouns
FIRST_PERSON = _WORDS.first_person_pronouns
#: pair nouns that stand for people ("the two leaders", "both presidents")
PERSON_PAIR_NOUNS = _WORDS.person_pair_nouns
REPORTING = _WORDS.reporting_verbs
COUNTERPARTS = _WORDS.counterpart_nouns
PLACE_KINDS = frozenset({"place", "venue", "named"})
#: prepositions of where ("in Syria", "across Iraq")
LOCATED_PREPS = _WORDS.located_preps
BORDER_NOUNS = _WORDS.border_nouns
#: words of likeness after a hyphen ("Canada-style"): the name before them is no actor
MANNER_SUFFIXES = _WORDS.manner_suffixes
#: what joins a compound word ("Canada-style"); not the en dash of a parenthesis
JOINING_HYPHENS = frozenset({"-", "‑"})
#: offices and units of a US state ("the governor of Georgia")
STATE_NOUNS = _WORDS.state_nouns
#: alias kinds of a country's own name (not its capital or people)
COUNTRY_NAME_KINDS = frozenset({"name", "short"})
#: kinds of alias that block shorter matches inside them and are no actor themselves: places
#: of talks ("in Geneva") and names that contain a place ("the Minsk agreements")
BLOCKING_KINDS = frozenset({"venue", "named"})
#: kinds of place alias that a following noun such as "agreements" turns into a name
NAMEABLE_KINDS = frozenset({"capital", "place"})
NAME_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "npadvmod"})
QUANTITY_HEADS = _WORDS.quantity_heads
#: sectors that act at home: a sector noun of these with no country belongs to the one
#: country its sentence names (troops and officials may well be foreign)
HOME_SECTORS = frozenset({"COP", "CVL", "REB", "OPP", "MED", "JUD"})
#: sectors of a state's own force abroad (None: "the Russian occupiers", "Russia"), whose
#: unnamed victims in an outlet's voice are the outlet's people (``speaker_side``); not the
#: police, who act at home (HOME_SECTORS): "Belarusian police beat protesters"
SPEAKER_SIDE_SECTORS = frozenset({"GOV", "MIL", None})
#: "government forces", "regime troops": modifiers that make troops the home army
HOME_MODIFIERS = _WORDS.home_modifiers
CROWD_NOUNS = _WORDS.crowd_nouns


@dataclass(frozen=True, slots=True)
class Mention:
    entry: ActorEntry
    span_start: int  # token indices in the sentence doc
    span_end: int
    text: str


def build_matcher(nlp: Language, actors: ActorDictionary) -> PhraseMatcher:
    """One PhraseMatcher over every alias; the match id is the alias itself."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for alias in actors.aliases:
        matcher.add(alias, [nlp.make_doc(alias)])
    return matcher


def find_mentions(
    doc: Doc | Span, matcher: PhraseMatcher, actors: ActorDictionary, day: dt.date
) -> dict[int, Mention]:
    """Token index -> the longest valid actor mention covering it."""
    strings = doc.vocab.strings
    spans: list[Span] = []
    entries: dict[tuple[int, int], ActorEntry] = {}
    matches = matcher(doc)
    # tokens of names that are actors, not places ("Russia, Georgia" is a list; "Atlanta,
    # Georgia" a city in a state)
    matched = {i for match_id, start, end in matches
               if (e := actors.lookup(strings[match_id], day)) is not None and
               e.kind not in PLACE_KINDS for i in range(start, end)}
    for match_id, start, end in matches:
        entry = actors.lookup(strings[match_id], day)
        if entry is None:
            continue
        span = doc[start:end] if isinstance(doc, Doc) else doc.doc[start:end]
        if entry.ambiguous and not _plausible(span):
            continue
        if entry.ambiguous and _qualifies_a_place(span, matched):
            continue  # "Atlanta, Georgia": the state of a city, no actor
        if entry.ambiguous and entry.kind == "organisation" and _owned(span, matched):
            continue  # "the Russian Security Council": that country's body, not the UN's
        if _manner(span):
            continue  # "a Canada-style convoy", "Soviet-style rule": a likeness, no actor
        if entry.ambiguous and entry.kind in COUNTRY_NAME_KINDS and \
                _names_a_state(span, actors.state_names):
            continue  # "the governor of Georgia", "Florida and Georgia": the US state
        spans.append(span)
        entries[(span.start, span.end)] = entry
    found: dict[int, Mention] = {}
    for span in filter_spans(spans):
        entry = entries[(span.start, span.end)]
        if entry.kind in BLOCKING_KINDS:
            continue  # it blocked shorter matches; it is no actor itself
        if entry.kind in NAMEABLE_KINDS and in_name(span, actors.name_heads):
            continue  # "the Moscow format", "the Vienna talks": a name, not the place
        mention = Mention(entry, span.start, span.end, span.text)
        for index in range(span.start, span.end):
            found[index] = mention
    return _located_groups(found, doc if isinstance(doc, Doc) else doc.doc)


#: kinds of mention that say where a sentence happens, and whether only inside a phrase of
#: place ("in Kabul", "in the village of Ras Baalbek", "in Syria"): places and capitals
#: there first, then country names there, then a place named anywhere (not a capital: "Moscow
#: says its jets struck Islamic State positions" is Russia's government).  A country named
#: outside a phrase of place is as often the group's enemy ("U.S. fighters bomb ISIS"), a
#: nationality its victims' ("two Russian soldiers ISIL captured").
_WHERE_KINDS = ((frozenset({"place", "capital"}), True), (frozenset({"name", "short"}), True),
                (frozenset({"place"}), False))


def _located_groups(found: dict[int, Mention], doc: Doc) -> dict[int, Mention]:
    """A transnational group (groups.tsv role) is the country the sentence places it in:
    "Islamic State claims the bombing in Kabul" is AFG REB, "ISIS attacks a church in Egypt"
    EGY REB (the brief: a group is coded as the country it operates in); "ISIS militants in
    Syria shelled Kilis" SYR REB (the city shelled is the target).  With no place, or two
    countries' places at the first level that names any, the group keeps its own code."""
    groups = {m for m in found.values() if m.entry.role == TRANSNATIONAL}
    if not groups:
        return found
    others = [m for m in set(found.values()) if m.entry.role != TRANSNATIONAL]
    where = None
    for kinds, phrase_only in _WHERE_KINDS:
        codes = {m.entry.code for m in others if m.entry.kind in kinds and (
            not phrase_only or _in_place_phrase(doc[m.span_start:m.span_end].root))}
        if len(codes) > 1:
            return found  # two countries' places: which is the group's is not said
        if codes:
            where = next(iter(codes))
            break
    if where is None:
        return found
    moved = {m: replace(m, entry=replace(m.entry, code=where)) for m in groups}
    return {i: moved.get(m, m) for i, m in found.items()}


def _in_place_phrase(token: Token) -> bool:
    """Whether a name is (part of) the object of a preposition of place, through the nouns
    it names ("the Aleppo Governorate", "the village of Ras Baalbek")."""
    while token.dep_ in {"compound", "appos", "amod"} or (
            token.dep_ == "pobj" and token.head.lower_ == "of" and
            token.head.head.pos_ in {"NOUN", "PROPN"}):
        token = token.head.head if token.dep_ == "pobj" else token.head
    return token.head.dep_ == "prep" and token.head.lower_ in LOCATED_PREPS


def find_names(doc: Doc, matcher: PhraseMatcher, actors: ActorDictionary, day: dt.date
               ) -> list[Mention]:
    """Named agreements with known parties in the sentence ("the Minsk agreements")."""
    strings = doc.vocab.strings
    out: list[Mention] = []
    for match_id, start, end in matcher(doc):
        entry = actors.lookup(strings[match_id], day)
        if entry is not None and entry.parties:
            out.append(Mention(entry, start, end, doc[start:end].text))
    return out


def in_name(span: Span, heads: frozenset[str]) -> bool:
    """Whether a place is a modifier in a name ending in a noun such as "agreements",
    "format" or "talks" ("the Minsk peace agreements"); a country name is never (the
    parties of "the Russia-Ukraine talks" are actors)."""
    node = span[-1]
    for _ in range(3):
        if node.dep_ not in NAME_MODIFIER_DEPS or node.head.i <= node.i:
            return False
        node = node.head
        if node.lemma_.lower() in heads or node.lower_ in heads:
            return True
    return False


def _qualifies_a_place(span: Span, matched: set[int]) -> bool:
    """ "Atlanta, Georgia", "Paris, Texas": an ambiguous name right after a comma and a
    proper noun that names no actor qualifies that place."""
    doc = span.doc
    if span.start < 2 or doc[span.start - 1].text != ",":
        return False
    before = doc[span.start - 2]
    return before.pos_ == "PROPN" and before.i not in matched


def _manner(span: Span) -> bool:
    """Whether a name is joined by a hyphen to a word of likeness ("Canada-style",
    "Soviet-type", "Iraq-like"): it describes a manner and names no actor."""
    doc = span.doc
    # joined with no space: "out of Syria – like – very soon" is a dash of speech
    return span.end + 1 < len(doc) and doc[span.end].text in JOINING_HYPHENS and \
        not span[-1].whitespace_ and not doc[span.end].whitespace_ and \
        doc[span.end + 1].lower_ in MANNER_SUFFIXES


def _names_a_state(span: Span, states: frozenset[str]) -> bool:
    """Whether a country's name that a US state shares is the state here: in a list with
    another state ("Florida, North Carolina and Georgia"), or beside a US state's own office
    or unit ("the governor of Georgia", "Georgia Governor Kemp")."""
    if not states or span.text.lower() not in states:
        return False
    token = span[-1]
    if any(_state_name(t) in states for t in _listed_with(token)):
        return True
    holder = token.head
    if token.dep_ == "pobj" and holder.dep_ == "prep":
        holder = holder.head  # "the governor of Georgia"
    elif token.dep_ not in {"compound", "poss", "nmod", "amod"}:
        return False
    return any(t.lemma_.lower() in STATE_NOUNS or t.lower_ in STATE_NOUNS
               for t in (holder, *(c for c in holder.children if c.dep_ == "compound"))
               if t.i != token.i)


def _listed_with(token: Token) -> list[Token]:
    """The other members of the coordination ``token`` is in."""
    first = token
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head
    members = [first]
    stack = [first]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ == "conj":
                members.append(child)
                stack.append(child)
    return [m for m in members if m.i != token.i]


def _state_name(token: Token) -> str:
    """A token with its compounds before it ("North Carolina"), lower case."""
    parts = [c for c in token.children if c.dep_ == "compound" and c.i < token.i]
    return " ".join(t.lower_ for t in (*parts, token))


def _owned(span: Span, matched: set[int]) -> bool:
    """Whether an actor names whose body an ambiguous organisation's alias is: an adjective
    or a possessive right before it ("the Russian Security Council", "Kazakhstan's Security
    Council") or an "of" complement ("the Security Council of the Russian Federation")."""
    doc = span.doc
    before = span.start - 1
    if before >= 0 and doc[before].lower_ in {"'s", "’s"}:
        before -= 1
    if before >= 0 and before in matched:
        return True
    return any(child.dep_ == "prep" and child.lower_ == "of" and
               any(o.dep_ == "pobj" and o.i in matched for o in child.children)
               for child in span[-1].children)


def _plausible(span: Span) -> bool:
    """An ambiguous alias counts unless it ends a person's name ("Michael Jordan") or the
    sentence is in capitals (where "US" may be the pronoun)."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "PROPN" and before.is_title:
        return False
    letters = [c for c in doc.text if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return not (letters and upper / len(letters) > 0.6)


def _actor(mention: Mention, sector: str | None) -> Actor:
    return Actor(mention.entry.code, sector, mention.text, mention.entry.kind)


def _default_sector(entry: ActorEntry) -> str | None:
    if entry.sector:
        return entry.sector
    if entry.kind in COUNTRY_KINDS:
        return "GOV"
    return None


@dataclass(frozen=True, slots=True)
class Resolver:
    """Resolves argument tokens of one sentence to actors."""

    mentions: dict[int, Mention]
    sector_nouns: dict[str, str]
    discourse: Discourse
    anaphors: dict[str, str] = field(default_factory=dict)
    #: named agreements of the sentence with their parties ("the Minsk agreements")
    names: list[Mention] = field(default_factory=list)
    #: participles naming who operates a thing ("an Israeli-launched drone"; participles.tsv)
    operators: frozenset[str] = frozenset()
    #: projectiles whose doer is who fired them ("missiles that hit bases"; weapons.tsv)
    weapons: frozenset[str] = frozenset()
    #: nouns whose possessor force acts upon ("violated its airspace"; possessions.tsv)
    possessions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, dictionary: ActorDictionary, mentions: dict[int, Mention], discourse: Discourse,
           names: list[Mention] | None = None) -> Resolver:
        """A resolver with the dictionary's word lists."""
        return cls(mentions, dictionary.sector_nouns, discourse, dictionary.anaphors,
                   names or [], dictionary.operator_participles, dictionary.weapons,
                   dictionary.possessions)

    def actors(self, token: Token | None) -> list[Actor]:
        """The actors of an argument and of its coordinated conjuncts ("Israel and Hamas")."""
        if token is None:
            return []
        if is_pair(token):
            return self._pair(token)
        readout = self._readout_pair(token)
        if readout:
            return readout
        recent = self.discourse.recent_pair
        if recent is not None and token.lower_ == "they" and token.dep_ == "nsubj" and \
                not any(m.entry.kind not in PLACE_KINDS for i, m in self.mentions.items()
                        if i < token.i):
            # "Putin had a telephone conversation with Lukashenko. They expressed concern
            # ...": both participants
            return list(recent)
        found: list[Actor] = []
        members = [token, *token.conjuncts]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in {"including", "like"} and \
                    token.i not in self.mentions:
                members += [o for o in child.children if o.dep_ == "pobj"]
                members += [c for o in child.children if o.dep_ == "pobj" for c in o.conjuncts]
        for item in members:
            actor = self.resolve(item)
            if actor is not None and actor not in found:
                found.append(actor)
                found += [a for a in self.coordinated_modifiers(item, actor)
                          if a not in found]
            if actor is not None and actor.kind in COUNTRY_KINDS:
                # "Washington and the Western military alliance NATO": the parser hangs the
                # organisation on the first conjunct as an appositive
                for child in item.children:
                    mention = self.mentions.get(child.i)
                    if child.dep_ == "appos" and mention is not None and \
                            mention.entry.kind == "organisation" and \
                            mention.entry.code != actor.code:
                        extra = _actor(mention, _default_sector(mention.entry))
                        if extra not in found:
                            found.append(extra)
        return found

    def _readout_pair(self, token: Token) -> list[Actor]:
        """ "Putin spoke with Macron by phone. The leaders discussed ...": a bare plural
        subject naming participants ("the leaders", "the interlocutors", "the heads of
        state"), with no actor named before it, stands for the pair just introduced."""
        bare_two = token.lower_ == "two" and token.pos_ == "NUM"  # "The two discussed"
        if token.dep_ not in {"nsubj", "nsubjpass"} or token.i in self.mentions or not (
                bare_two or (token.tag_ == "NNS" and
                             token.lemma_.lower() in READOUT_NOUNS)):
            return []
        definite = False
        for child in token.children:
            if child.dep_ == "det" and child.lower_ == "the":
                definite = True
            elif child.dep_ == "nummod" and child.lower_ == "two":
                continue
            elif not (child.dep_ == "prep" and child.lower_ == "of" and all(
                    o.lemma_.lower() in {"state", "government"} for o in child.children)):
                return []  # "the leaders of the G7", "the opposition parties"
        if not definite or any(i < token.i and m.entry.kind not in PLACE_KINDS
                               for i, m in self.mentions.items()):
            return []
        pair = self.discourse.latest_pair(meeting=True)
        if pair is not None:
            return list(pair)
        # "The President thanked the Italian Prime Minister. The parties discussed ...":
        # the outlet's own leader and the other party the paragraph named last
        speaker = self.discourse.speaker
        if speaker is None:
            return []
        for actor in reversed([*self.discourse.last, *self.discourse.groups,
                               *self.discourse.people]):
            if actor.code != speaker.code and actor.kind not in {"place", "located"}:
                return [speaker, actor]
        return []

    def coordinated_modifiers(self, token: Token, actor: Actor) -> list[Actor]:
        """ "Senior Hungarian and Romanian officials", "officials from India and Bangladesh":
        one noun, two countries."""
        extra: list[Actor] = []
        modifiers = [c for c in token.children if c.dep_ in {"amod", "compound", "nmod"}]
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS:
                modifiers += [o for o in child.children if o.dep_ == "pobj"]
        for child in modifiers:
            if child.i not in self.mentions:
                continue
            for conj in child.conjuncts:
                mention = self.mentions.get(conj.i)
                if mention is not None and mention.entry.code != actor.code:
                    extra.append(Actor(mention.entry.code, actor.sector, mention.text,
                                       mention.entry.kind))
        return extra

    def resolve(self, token: Token, depth: int = 0) -> Actor | None:
        if depth > 4:
            return None
        lower = token.lower_
        if token.i not in self.mentions and (token.like_num or lower in QUANTITY_HEADS):
            # "hundreds of protesters", "dozens of Russian troops": the "of" phrase acts
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return self.resolve(obj, depth + 1)
        if lower in RELATIVE and token.head.dep_ == "relcl":
            antecedent = token.head.head
            found = self.resolve(antecedent, depth + 1)
            if found is None and token.dep_ == "nsubj" and \
                    antecedent.lemma_.lower() in self.weapons and antecedent.dep_ == "dobj":
                # "Iran fired missiles that hit bases": what the missiles did, Iran did
                for child in antecedent.head.children:
                    if child.dep_ == "nsubj":
                        return self.resolve(child, depth + 1)
            return found
        if lower in PERSONAL and token.i not in self.mentions:
            return self._pronoun(PERSONAL[lower], token)
        if lower in FIRST_PERSON and self.discourse.speaker is not None and \
                token.pos_ == "PRON":
            # "my administration authorized", "we condemn": the outlet's own voice, unless
            # the words are quoted from someone named ('"We will supply MLRS," Olaf Scholz
            # said')
            speaker = self._quoted_speaker(token, depth) or self.discourse.speaker
            return Actor(speaker.code, speaker.sector, token.text, "speaker")
        own = self.mentions.get(token.i)
        if own is None and token.lemma_.lower() in BORDER_NOUNS:
            # "to its border with Lithuania": the other side of a border is the one it faces
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "with":
                    for obj in child.children:
                        if obj.dep_ == "pobj":
                            return self.resolve(obj, depth + 1)
        if own is None:
            operator = self._operator(token)
            if operator is not None:
                return operator
        if own is None and token.lemma_.lower() in COUNTERPARTS:
            other = self._counterpart(token)
            if other is not None:
                return other
        if own is None and _definite(token) and token.lemma_.lower() in self.anaphors:
            return self._antecedent(self.anaphors[token.lemma_.lower()], token)
        if own is not None and own.entry.kind == "seat":
            # "the Chancellery of the President of the Republic of Poland": the "of" phrase
            # says whose seat it is
            other = self._country_in_phrase(token, depth, frozenset({"of"}))
            if other is not None and other.code != own.entry.code:
                return Actor(other.code, "GOV", other.text, _as_member(other.kind))
        sector = self._sector_of(token)
        if sector is None and token.lemma_.lower() in COUNTERPARTS:
            sector = "GOV"  # "his Turkish counterpart" is an official
        if own is not None and own.entry.kind not in {"adjective", "demonym"}:
            if own.entry.kind in {"person", "organisation", "group", "seat", "capital", "place"}:
                return _actor(own, own.entry.sector or sector or _default_sector(own.entry))
            return _actor(own, sector or _default_sector(own.entry))
        if own is not None and own.entry.kind == "demonym":
            return _actor(own, sector or own.entry.sector or "CVL")
        if own is not None and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj", "conj"}:
            # "Israeli has since begun strikes": an adjective standing as a noun
            return _actor(own, sector or "GOV")
        if own is None and sector is None:
            for child in token.children:
                # "his Russian counterpart Vladimir Putin": the named person says more
                if child.dep_ == "appos" and child.i in self.mentions:
                    named = self.resolve(child, depth + 1)
                    if named is not None:
                        return named
        country = self._country_in_phrase(token, depth, LOCATIVE_PREPS - {"in"})
        if country is not None:
            if country.sector == "REB" and country.kind == "place" and \
                    sector in {None, "GOV", "MIL", "COP"}:
                sector = "REB"  # "Abkhazia's leader", "the Karabakh authorities"
            return Actor(country.code, sector or country.sector, country.text,
                         _as_member(country.kind))
        for child in token.children:
            if child.dep_ == "appos":
                named = self.resolve(child, depth + 1)
                if named is not None:
                    return named
        # "officials in Kyiv": where someone is says less than whose they are, so last
        country = self._country_in_phrase(token, depth, frozenset({"in"}))
        if country is not None:
            return Actor(country.code, sector or country.sector, country.text,
                         _as_member(country.kind))
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in {"including", "like"}:
                # "some countries including the US and UK": the named members act
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return self.resolve(obj, depth + 1)
        if token.pos_ == "PROPN" and token.text in self.discourse.names:
            return self.discourse.names[token.text]  # "Peskov", introduced earlier
        if sector is not None and token.pos_ in {"NOUN", "PROPN"}:
            # "Security forces attacked the protesters" in a paragraph about Armenia alone:
            # a sector noun with no country belongs to the one country the paragraph names
            only = self._sole_country()
            if only is not None:
                return Actor(only, sector, token.text, "located")
        return None

    def home_actor(self, token: Token | None, country: str | None = None) -> Actor | None:
        """ "Police shoot tear gas at thousands of people ... in Djibouti": police,
        civilians, gunmen with no country named act in the one country their sentence names
        (troops and officials may well be foreign), or in ``country`` where the caller knows
        where the act was."""
        if token is None or token.pos_ != "NOUN" or token.i in self.mentions:
            return None
        if token.like_num or token.lower_ in QUANTITY_HEADS:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    return self.home_actor(next(
                        (o for o in child.children if o.dep_ == "pobj"), None), country)
        sector = self._sector_of(token)
        only = country or self.sentence_country()
        if sector == "MIL" and any(c.dep_ in {"amod", "compound"} and
                                   c.lemma_.lower() in HOME_MODIFIERS for c in token.children):
            pass  # "government forces", "regime troops": the home army
        elif sector not in HOME_SECTORS or only is None:
            return None
        if only is None:
            return None
        return Actor(only, sector, token.text, "located")

    def home_crowd(self, token: Token | None) -> Actor | None:
        """ "Police broke up a protest in Algiers", "fired upon demonstrations in Juliaca":
        a gathering force is done to stands for the people in it, the civilians of the one
        country the sentence names."""
        if token is None or token.pos_ != "NOUN" or token.i in self.mentions or \
                token.lemma_.lower() not in CROWD_NOUNS:
            return None
        return self.home_actor_of_place(token)

    def home_side(self, token: Token | None) -> Actor | None:
        """A side of a fight at home: as ``home_actor``, and soldiers with no country named
        are the army of the one country the sentence names (a fight's casualties, not
        troops on the move, who may well be foreign)."""
        actor = self.home_actor(token)
        if actor is not None or token is None or token.pos_ != "NOUN" or \
                token.i in self.mentions:
            return actor
        only = self.sentence_country()
        sector = self._sector_of(token)
        return Actor(only, sector, token.text, "located") \
            if only is not None and sector == "MIL" else None

    def speaker_side(self, sources: list[Actor]) -> Actor | None:
        """The people of the outlet's own country, as the ones a foreign state's force acts
        upon when the sentence names none: "Russian troops are killing civilians", said by
        Ukraine's president, kills Ukrainians (the war is on the speaker's soil), not
        Russians.  None without an outlet voice (news), when the speaker is a source, when a
        source is not a state's own (rebels, civilians), or when the sentence names a place
        of the source's country ("in Belgorod"), where its own people may well be meant."""
        speaker = self.discourse.speaker
        codes = {s.code for s in sources}
        if speaker is None or not sources or speaker.code in codes or \
                any(s.sector not in SPEAKER_SIDE_SECTORS for s in sources):
            return None
        for mention in self.mentions.values():
            if mention.entry.code in codes and mention.entry.kind in PLACE_KINDS | {"capital"}:
                return None
        return Actor(speaker.code, "CVL", "", "domestic")

    def home_actor_of_place(self, token: Token) -> Actor | None:
        """The people (CVL) of the one country the sentence names."""
        only = self.sentence_country()
        return Actor(only, "CVL", token.text, "located") if only is not None else None

    def names_an_actor(self, token: Token | None) -> bool:
        """Whether a subject names a party (an actor alias, a sector noun such as
        "police", a pronoun), not a thing ("an earthquake in Iran", "a cyclone")."""
        if token is None:
            return False
        if token.lower_ in PERSONAL or token.lower_ in RELATIVE or token.i in self.mentions:
            return True
        if token.like_num or token.lower_ in QUANTITY_HEADS:
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    return any(self.names_an_actor(o) for o in child.children
                               if o.dep_ == "pobj")
        return self._sector_of(token) is not None or any(
            c.dep_ in {"amod", "compound", "poss"} and c.i in self.mentions
            for c in token.children)

    def sentence_country(self) -> str | None:
        """The one code this sentence names (countries, places, nationalities), if it names
        exactly one and no organisation."""
        codes = {m.entry.code for m in self.mentions.values()}
        kinds = {m.entry.kind for m in self.mentions.values()}
        if len(codes) != 1 or "organisation" in kinds:
            return None
        return next(iter(codes))

    def _operator(self, token: Token) -> Actor | None:
        """ "an Israeli-launched drone", "the Saudi-led coalition": the actor compounded with
        a participle of operating (never one of origin or support: "Iranian-made")."""
        for child in token.children:
            if child.dep_ == "acl" and child.tag_ == "VBN" and \
                    child.lemma_.lower() in self.operators:
                # "bases used by US troops", "positions held by the army"
                for agent in child.children:
                    if agent.dep_ == "agent":
                        for obj in agent.children:
                            if obj.dep_ == "pobj":
                                return self.resolve(obj, 3)
            if child.dep_ != "amod" or child.lemma_.lower() not in self.operators or \
                    child.tag_ != "VBN":
                continue
            for grand in child.children:
                mention = self.mentions.get(grand.i)
                if grand.dep_ in {"npadvmod", "compound", "nmod", "amod", "advmod"} and \
                        mention is not None and mention.entry.kind not in {"place", "venue"}:
                    return Actor(mention.entry.code, _default_sector(mention.entry) or "GOV",
                                 mention.text, mention.entry.kind)
        return None

    def _pair(self, token: Token) -> list[Actor]:
        """ "the two countries", "both sides": a pair coordinated earlier in this sentence,
        else the pair the text introduced last (coordinated actors, a meeting's or a call's
        participants), else the first two parties named before, in this sentence first, then
        in the latest dyad or sentence of the paragraph."""
        coordinated = self._coordinated_before(token)
        if coordinated:
            return coordinated
        # a bare "the parties", "the sides" is a readout's pair: the latest call's first
        introduced = self.discourse.latest_pair(meeting=not _counted(token))
        if token.lemma_.lower() in PERSON_PAIR_NOUNS:
            # "the two leaders" are the people of the latest call or meeting, not two
            # countries coordinated since ("relations between Russia and Ukraine")
            people = [p for p in reversed(self.discourse.pairs)
                      if {p[0].kind, p[1].kind} & {"person", "speaker"}]
            introduced = people[0] if people else introduced
        if introduced is not None:
            return list(introduced)
        named: list[Actor] = []
        for index in sorted(self.mentions):
            mention = self.mentions[index]
            if index >= token.i:
                break
            if mention.span_end - 1 == index and mention.entry.kind != "place":
                named.append(Actor(mention.entry.code, _default_sector(mention.entry) or "GOV",
                                   mention.text, mention.entry.kind))
        if self.discourse.dyads:
            named += list(self.discourse.dyads[-1])
        named += [a for a in self.discourse.last if a.kind != "place"]
        pair: list[Actor] = []
        for actor in named:
            if all(actor.code != other.code for other in pair):
                pair.append(actor)
        return pair[:2] if len(pair) >= 2 else []

    def _counterpart(self, token: Token) -> Actor | None:
        """ "his counterpart" with no nationality: the other member of the latest pair the
        text introduced with the possessor ("Erdogan spoke with Putin. He urged his
        counterpart ...")."""
        if any(c.dep_ in {"amod", "compound"} and c.i in self.mentions for c in token.children):
            return None  # "his Turkish counterpart": the adjective says who
        for child in token.children:
            if child.dep_ == "poss":
                owner = self.resolve(child, 3)
                if owner is None:
                    return None
                pair = self.discourse.latest_pair(owner.code)
                if pair is None:
                    return None
                other = pair[1] if pair[0].code == owner.code else pair[0]
                return Actor(other.code, other.sector or "GOV", token.text, other.kind)
        return None

    def _quoted_speaker(self, token: Token, depth: int) -> Actor | None:
        """The named actor whose reported words contain ``token``, when not the outlet's."""
        node = token
        for parent in token.ancestors:
            if node.dep_ in {"ccomp", "parataxis"} and parent.lemma_.lower() in REPORTING:
                for child in parent.children:
                    if child.dep_ == "nsubj" and child.pos_ != "PRON":
                        actor = self.resolve(child, depth + 1)
                        outlet = self.discourse.speaker
                        if actor is not None and actor.kind not in {"place", "located"} and \
                                outlet is not None and actor.code != outlet.code:
                            return actor
                return None
            node = parent
        return None

    def _speaker(self, kind: str, token: Token) -> Actor | None:
        subject = _reported_clause_subject(token)
        if subject is None or subject.lower_ in PERSONAL:
            return None
        actor = self.resolve(subject, 3)
        if actor is None or (actor.kind == "person") != (kind == "person") or \
                actor.kind in {"place", "located"}:
            return None
        return actor

    def _coordinated_before(self, token: Token) -> list[Actor]:
        """Two different actors coordinated in this sentence, before ``token`` ("Armenia
        and Azerbaijan said the two countries ...") or else after it ("Both leaders
        confirmed the partnership between Russia and Serbia")."""
        found = [p for p in coordinated_pairs(token.doc, self.mentions)
                 if p[0].i != token.i and p[1].i != token.i]
        found.sort(key=lambda p: (p[1].i > token.i, abs(p[0].i - token.i)))
        for first_token, second_token in found:
            first = _mention_actor(self.mentions[first_token.i])
            second = _mention_actor(self.mentions[second_token.i])
            if first.code != second.code:
                return [first, second]
        return []

    def _sole_country(self) -> str | None:
        """The one code named so far in the paragraph, if earlier sentences name exactly one
        and this sentence names no other."""
        earlier = {a.code for a in (*self.discourse.groups, *self.discourse.people)}
        here = {m.entry.code for m in self.mentions.values()}
        if len(earlier) != 1 or not here <= earlier:
            return None
        return next(iter(earlier))

    def sector_of(self, token: Token) -> str | None:
        """The sector a noun names, two-word nouns first ("suicide bomber": REB, where a
        bare "bomber" is an aircraft, MIL)."""
        nouns = self.sector_nouns
        for child in token.children:
            if child.dep_ in {"compound", "amod"}:
                pair = nouns.get(f"{child.lemma_.lower()} {token.lemma_.lower()}")
                if pair is not None:
                    return pair
        return nouns.get(token.lemma_.lower())

    def _sector_of(self, token: Token) -> str | None:
        found = self._head_sector(token)
        if found in {None, "GOV"}:
            # "Separatist officials", "military officials": the modifier says whose people
            for child in token.children:
                if child.dep_ in {"amod", "compound"}:
                    modifier = self.sector_nouns.get(child.lemma_.lower())
                    if modifier is not None and modifier != "GOV":
                        return modifier
        return found

    def _head_sector(self, token: Token) -> str | None:
        nouns = self.sector_nouns
        for child in token.children:
            if child.dep_ in {"compound", "amod"}:
                pair = f"{child.lemma_.lower()} {token.lemma_.lower()}"
                if pair in nouns:
                    return nouns[pair]
        for key in (token.lemma_.lower(), token.lower_):
            if key in nouns:
                return nouns[key]
        # "Defence Minister Sergei Shoigu": the title is a compound of the name
        for child in token.children:
            if child.dep_ == "compound":
                found = self._head_sector(child)
                if found:
                    return found
        return None

    def _country_in_phrase(self, token: Token, depth: int,
                           preps: frozenset[str] = LOCATIVE_PREPS) -> Actor | None:
        """A country or organisation named inside the noun phrase headed by ``token``."""
        ordered = sorted(
            (c for c in token.children if c.dep_ in MODIFIER_DEPS),
            key=lambda c: (c.dep_ != "poss", c.i),
        )
        for child in ordered:
            if _is_partisan(child):
                continue  # "pro-Russia separatists" are not Russian
            mention = self.mentions.get(child.i)
            if mention is not None:
                entry = mention.entry
                sector = entry.sector if entry.kind in {"person", "organisation", "group"} \
                    or entry.role == BREAKAWAY else None
                return Actor(entry.code, sector, mention.text, entry.kind)
            if child.dep_ == "poss" and child.lemma_.lower() in self.anaphors and \
                    child.i not in self.mentions and _definite(child):
                # "the country's armed forces"
                antecedent = self._antecedent(self.anaphors[child.lemma_.lower()], child)
                if antecedent is not None:
                    return antecedent
                continue
            if child.dep_ == "poss" and child.lower_ in PERSONAL and \
                    token.lemma_.lower() not in RELATIONAL:
                # "its air defense zone", "their troops": whose, by the pronoun rule
                owner = self._pronoun(PERSONAL[child.lower_], child)
                if owner is not None:
                    return owner
                continue
            if child.dep_ in {"compound", "poss"}:
                nested = self._country_in_phrase(child, depth + 1, preps) if depth < 4 \
                    else None
                if nested is not None:
                    return nested
        for child in token.children:
            if child.dep_ == "prep" and child.lower_ in preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        inner = self.resolve(obj, depth + 1)
                        if inner is not None:
                            return inner
        return None

    def _antecedent(self, refers: str, token: Token) -> Actor | None:
        """ "the alliance", "the country": the nearest earlier organisation or country, in
        this sentence first, then in the paragraph."""
        kinds = {"organisation"} if refers == "organisation" else COUNTRY_KINDS
        for index in range(token.i - 1, -1, -1):
            mention = self.mentions.get(index)
            if mention is not None and mention.span_end - 1 == index and \
                    mention.entry.kind in kinds:
                return _actor(mention, _default_sector(mention.entry))
        for actor in reversed(self.discourse.groups):
            if actor.kind in kinds:
                return actor
        return None

    def _pronoun(self, kind: str, token: Token,
                 exclude: frozenset[str] = frozenset()) -> Actor | None:
        """Deterministic: the speaker whose report the pronoun's clause is ("Georgian police
        said they had detained ..."), else the nearest compatible actor before the pronoun in
        its own sentence, else — for a subject — the previous sentence's subject ("Erdogan
        spoke with Putin. He urged ..."), else the latest one of the paragraph.  Codes in
        ``exclude`` are skipped ("India violated its airspace": not India's own)."""
        speaker = self._speaker(kind, token)
        if speaker is not None and speaker.code not in exclude:
            return speaker
        shared = _clause_subject_pronoun(token, kind)
        if shared is not None:
            # "He urged his counterpart": a possessive shares its clause's subject pronoun
            found = self._pronoun(kind, shared, exclude)
            if found is not None:
                return found
        for index in range(token.i - 1, -1, -1):
            mention = self.mentions.get(index)
            if mention is None or mention.span_end - 1 != index or \
                    mention.entry.code in exclude:
                continue
            if (mention.entry.kind == "person") == (kind == "person") and (
                mention.entry.kind not in {"adjective", "demonym"}
            ):
                return _actor(mention, _default_sector(mention.entry))
        previous = self.discourse.subject
        if kind == "person" and token.dep_ in {"nsubj", "nsubjpass"} and \
                previous is not None and previous.kind == "person" and \
                previous.code not in exclude:
            # "Erdogan spoke with Putin. He urged ...": a person stays the topic; "they" and
            # "it" are left to the latest group named (in speeches "they" is often a third
            # party named earlier)
            return previous
        pool = self.discourse.people if kind == "person" else self.discourse.groups
        for actor in reversed(pool):
            if actor.code not in exclude:
                return actor
        # "He lauded …" opening a White House readout: with no one named before, the person
        # is the one the outlet speaks for
        outlet = self.discourse.speaker
        if not pool and kind == "person" and outlet is not None and \
                outlet.code not in exclude:
            return Actor(outlet.code, outlet.sector, token.text, "speaker")
        return None

    def other_doer(self, token: Token | None, exclude: frozenset[str]) -> Actor | None:
        """A subject pronoun read again without the codes in ``exclude``: "They deported
        hundreds of thousands of Ukrainians", said by Ukraine, is not Ukraine's own act."""
        if token is None or token.lower_ not in PERSONAL or token.i in self.mentions:
            return None
        if self._speaker(PERSONAL[token.lower_], token) is not None:
            return None  # "police said they had detained protesters": their own
        return self._pronoun(PERSONAL[token.lower_], token, exclude)

    def other_owner(self, token: Token, exclude: frozenset[str]) -> Actor | None:
        """The owner named by a possessive pronoun in ``token``'s phrase, other than the
        codes in ``exclude`` ("India violated its airspace", said by Pakistan); only for
        possessions force acts upon ("its attacks" are the attacker's own)."""
        if token.lemma_.lower() not in self.possessions and \
                token.lower_ not in self.possessions:
            return None
        for child in token.children:
            if child.dep_ == "poss" and child.lower_ in PERSONAL:
                return self._pronoun(PERSONAL[child.lower_], child, exclude)
        return None


def _clause_subject_pronoun(token: Token, kind: str) -> Token | None:
    """For a possessive pronoun, a subject pronoun of the same kind before it in its clause
    ("He urged his counterpart")."""
    if token.dep_ != "poss":
        return None
    node = token.head
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"}:
            for child in node.children:
                if child.dep_ == "nsubj" and child.i < token.i and \
                        PERSONAL.get(child.lower_) == kind:
                    return child
            return None
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _reported_clause_subject(token: Token) -> Token | None:
    """For the subject pronoun of a reported clause ("police said they had detained"), or a
    possessive in that subject ("Armenian forces said four of their soldiers were killed"),
    the reporting verb's subject."""
    node = token
    if token.dep_ == "poss":
        node = token.head
        for _ in range(3):  # "four of their soldiers": up the "of" phrases to the subject
            if node.dep_ != "pobj" or node.head.dep_ != "prep" or node.head.lower_ != "of":
                break
            node = node.head.head
    verb = node.head
    if node.dep_ not in {"nsubj", "nsubjpass"} or verb.dep_ != "ccomp" or \
            verb.head.i > token.i:
        return None
    for child in verb.head.children:
        if child.dep_ == "nsubj" and child.i < token.i:
            return child
    return None


def coordinated_pairs(doc: Doc, mentions: dict[int, Mention]) -> list[tuple[Token, Token]]:
    """Actor mentions joined by a conjunction ("Colombia and Ecuador", "the French and
    Nigerian presidents", "Putin and Kishida"), as (first, second) name tokens; places are
    left out (they are where, not who)."""
    out: list[tuple[Token, Token]] = []
    for index, mention in mentions.items():
        token = doc[index]
        if mention.span_end - 1 != index or token.dep_ != "conj" or \
                mention.entry.kind in PLACE_KINDS:
            continue
        head = mentions.get(token.head.i)
        if head is not None and head.span_end - 1 == token.head.i and \
                head.entry.kind not in PLACE_KINDS:
            out.append((token.head, token))
    return out


def _mention_actor(mention: Mention) -> Actor:
    return Actor(mention.entry.code, _default_sector(mention.entry) or "GOV", mention.text,
                 mention.entry.kind)


def _definite(token: Token) -> bool:
    """ "the alliance", "this regime" (a bare definite noun; "the autonomous Azerbaijani
    republic of Nakhichevan" names something new)."""
    children = list(token.children)
    return any(c.dep_ == "det" and c.lower_ in {"the", "this", "that"} for c in children) and \
        not any(c.dep_ in {"amod", "compound", "prep", "appos", "nmod", "poss", "acl", "relcl"}
                for c in children)


def _counted(token: Token) -> bool:
    """ "both sides", "the two countries" (not a bare "the parties")."""
    return any(c.lower_ in PAIR_DETERMINERS for c in token.children)


def is_pair(token: Token) -> bool:
    """ "both sides", "the two countries"; and a bare "the presidents", "the leaders" as a
    subject (after "Putin had a call with Aliyev", they are the call's two parties)."""
    if token.tag_ != "NNS" or token.lemma_.lower() not in PAIR_NOUNS:
        return False
    if any(c.lower_ in PAIR_DETERMINERS and c.dep_ in {"det", "nummod", "amod", "predet"}
           for c in token.children):
        return True
    children = list(token.children)
    return token.dep_ in {"nsubj", "nsubjpass"} and len(children) == 1 and \
        children[0].lower_ == "the" and children[0].dep_ == "det"


def _as_member(kind: str) -> str:
    """ "officials in Donetsk" are people of Ukraine, not the place Donetsk."""
    return "located" if kind == "place" else kind


def _is_partisan(token: Token) -> bool:
    if token.lower_ in {"pro", "anti"}:
        return True
    # "pro-Tehran factions": the parser often hangs "pro", "-" and "Tehran" side by side
    # on the noun, so the prefix is two tokens back rather than a child
    split = token.i >= 2 and token.nbor(-1).text == "-" and token.nbor(-2).lower_ in {
        "pro", "anti"}
    return split or any(c.lower_ in {"pro", "anti"} for c in token.children) or \
        token.lower_.startswith(("pro-", "anti-"))
