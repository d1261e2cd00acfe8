"""The rules extractor: verb and noun patterns over a dependency parse, stage by stage.

Source is the subject (inherited across conjuncts, control verbs and participles), target
the object named by the pattern; passives swap them; coordinated arguments give one event
each; meetings give both directions.  Every candidate carries its modality.

This module is the assembly of the stages and the sentence-to-sentence memory: each token
that matches a pattern becomes a trigger (``triggers``, with its actors from ``arguments``
and the parse helpers of ``clauses``), the triggers become events (``assembly``, with the
intentions, refusals and demands of ``derived``), and what the sentence named is remembered
in the paragraph's ``Discourse`` for pronouns and replies that follow.
"""

from __future__ import annotations

import datetime as dt

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate, Discourse
from foreshock.extract.rules.actors import (
    Mention,
    Resolver,
    coordinated_pairs,
    find_mentions,
    find_names,
)
from foreshock.extract.rules.assembly import assemble
from foreshock.extract.rules.codes import MEETING_ROOT
from foreshock.extract.rules.headline import repair_headline_verbs
from foreshock.extract.rules.modality import is_question
from foreshock.extract.rules.triggers import (
    Trigger,
    gerund_with_sides,
    noun_patterns,
    noun_trigger,
    pair_subjects,
    verb_trigger,
)
from foreshock.ontology.actors import ActorDictionary
from foreshock.ontology.lexicons import Lexicon
from foreshock.records import Modality

#: the version of the rules' logic, bumped by hand when a code change alters their output
#: (data files are versioned by their hashes)
VERSION = "rules.v42"


#: roots of cooperation (01-07) that a government's text never reports of its own country
#: towards itself as news
ASIDE_MAX_ROOT = 7


class RulesExtractor:
    """Dictionary-and-dependency extractor; holds only read-only compiled data."""

    name = "rules"
    version = VERSION

    def __init__(self, lexicon: Lexicon, actors: ActorDictionary, matcher: PhraseMatcher) -> None:
        self.lexicon = lexicon
        self.actors = actors
        self.matcher = matcher

    def mentions(self, sentence: Doc, day: dt.date) -> dict[int, Mention]:
        return find_mentions(sentence, self.matcher, self.actors, day)

    def extract(self, sentence: Doc, day: dt.date, discourse: Discourse) -> list[Candidate]:
        fixes = self.lexicon.lemmas
        for token in sentence:
            if token.pos_ in {"VERB", "AUX"} and token.lower_ in fixes:
                token.lemma_ = fixes[token.lower_]  # "staged" is not "stag"
        # "Police arrest 21 people": a headline's present tense the tagger read as a noun
        repair_headline_verbs(sentence, self.lexicon.verbs, self._actor_like)
        mentions = self.mentions(sentence, day)
        resolver = Resolver.of(self.actors, mentions, discourse,
                               find_names(sentence, self.matcher, self.actors, day))
        question = is_question(sentence.text)
        triggers: list[Trigger] = []
        for token in sentence:
            found = self._trigger(token, resolver, question)
            if found is not None:
                triggers.append(pair_subjects(found))
        candidates = assemble(self.lexicon, triggers, resolver, question, sentence)
        if discourse.domestic:
            # "I ask you to analyse this matter" at a meeting on road construction: the
            # speaker's act with no one named is addressed at home, no international event
            candidates = [c for c in candidates
                          if c.target is not None or c.source.kind != "speaker"]
        voice = discourse.speaker
        if voice is not None:
            # a government's own texts ("we", a president's site): its country cooperating
            # with itself (statements, consultations, praise, aid: roots 01-07) is a
            # speech's domestic aside ("we provided internet access to 3.5 million
            # Russians", "the meeting was attended by the Prime Minister"); its acts on its
            # own people (a pardon, an arrest) stay domestic events, as the guide has them
            # (its army and rebels are two sides of a war, not an aside: kept)
            candidates = [c for c in candidates if c.target is None or
                          int(c.code[:2]) > ASIDE_MAX_ROOT or c.source.code != voice.code or
                          not c.source.with_itself(c.target)]
        self._remember(sentence, mentions, resolver, discourse)
        discourse.dyads += [(c.source, c.target) for c in candidates if c.target is not None]
        introduced = len(discourse.pairs)
        for first, second in coordinated_pairs(sentence, mentions):
            one, other = resolver.resolve(first), resolver.resolve(second)
            if one is not None and other is not None:
                discourse.introduce_pair(one, other)
        for cand in candidates:
            if cand.target is not None and cand.code.startswith(MEETING_ROOT) and \
                    cand.modality == Modality.ASSERTED:
                discourse.introduce_pair(cand.source, cand.target, meeting=True)
        discourse.subject = self._main_subject(sentence, resolver)
        discourse.recent_pair = discourse.pairs[-1] if len(discourse.pairs) > introduced \
            else None
        return candidates

    def _trigger(self, token: Token, resolver: Resolver, question: bool) -> Trigger | None:
        """The event a word triggers, by its verb or noun patterns."""
        lemma = token.lemma_.lower()
        if gerund_with_sides(token):
            # "Fighting between the army and the RSF continued": a gerund the tagger read as
            # a verb, used as the noun; only nouns whose sides "between" names, else the verb
            sided = tuple(p for p in noun_patterns(self.lexicon, token, token.lower_)
                          if "between" in p.source)
            found = noun_trigger(self.lexicon, token, sided, resolver, question) \
                if sided else None
            if found is not None:
                return found
        if token.pos_ in {"VERB", "AUX"} and lemma in self.lexicon.verbs:
            return verb_trigger(self.lexicon, token, self.lexicon.verbs[lemma], resolver,
                                question)
        if token.pos_ in {"NOUN", "PROPN"} and (
            patterns := noun_patterns(self.lexicon, token, lemma)
        ):
            return noun_trigger(self.lexicon, token, patterns, resolver, question)
        return None

    def _actor_like(self, token: Token) -> bool:
        """A name, a sector noun ("police", "court") or an actor's alias: a word that can
        be a headline's subject."""
        return token.pos_ == "PROPN" or token.lemma_.lower() in self.actors.sector_nouns or \
            token.lower_ in self.actors.aliases

    def _main_subject(self, sentence: Doc, resolver: Resolver) -> Actor | None:
        """The actor that is the subject of the sentence's main verb, if any."""
        for token in sentence:
            if token.dep_ == "ROOT":
                for child in token.children:
                    if child.dep_ in {"nsubj", "nsubjpass"}:
                        found = resolver.actors(child)
                        return found[0] if len(found) == 1 else None
        return None

    def _remember(self, sentence: Doc, mentions: dict[int, Mention], resolver: Resolver,
                  discourse: Discourse) -> None:
        """Actors of this sentence, in order, for pronouns and bare surnames that follow."""
        discourse.last = []
        for token in sentence:
            mention = mentions.get(token.i)
            if mention is not None:
                if mention.span_end - 1 == token.i:
                    actor = resolver.resolve(token)
                    if actor is None and mention.entry.kind in {"adjective", "demonym"}:
                        # "An American drone strike": the adjective still names a party
                        actor = Actor(mention.entry.code, "GOV", mention.text, "adjective")
                    if actor is not None:
                        discourse.remember(actor)
                        discourse.last.append(actor)
            elif token.pos_ == "PROPN" and token.is_title and token.dep_ not in {
                "compound", "flat", "poss"
            } and token.text not in discourse.names:
                actor = resolver.resolve(token)
                if actor is not None and actor.kind not in {"place", "located"}:
                    discourse.introduce(token.text, Actor(actor.code, actor.sector,
                                                          token.text, "person"))
