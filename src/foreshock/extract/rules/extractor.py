"""The rules extractor: verb and noun patterns over a dependency parse.

Source is the subject (inherited across conjuncts, control verbs and participles), target
the object named by the pattern; passives swap them; coordinated arguments give one event
each; meetings give both directions.  Every candidate carries its modality.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate, Discourse
from foreshock.extract.rules.actors import (
    Mention,
    Resolver,
    coordinated_pairs,
    find_mentions,
    find_names,
    is_pair,
)
from foreshock.extract.rules.modality import ModalityReading, read_modality
from foreshock.ontology.actors import ActorDictionary
from foreshock.ontology.lexicons import Lexicon, NounPattern, VerbPattern
from foreshock.records import Modality

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: verbs whose object is the subject of their infinitive ("urged Russia to withdraw")
OBJECT_CONTROL = frozenset({"urge", "ask", "call", "tell", "order", "force", "press", "push",
                            "warn", "accuse", "invite", "encourage", "persuade", "pressure",
                            "request", "allow", "help", "caution", "blame", "demand", "appeal"})
CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "ccomp", "prep", "acomp", "oprd"})
BORDER_NOUNS = frozenset({"border", "frontier", "borders", "boundary"})
MEETING_ROOT = "04"
#: CAMEO's make a visit and host a visit: the two sides are a visitor and a host
VISIT_CODES = ("042", "043")
#: in verbs.tsv's prep column: the row needs a clausal complement and no object
#: ("warned that Russia could invade" is a pessimistic comment, not a threat to someone)
CLAUSE = "<clause>"
DEMAND_CODE = "100"  # CAMEO "make a demand, not specified below"
DENIAL_CODE = "016"  # CAMEO "deny responsibility": also a disavowed intention to attack
DISAVOWED_ROOT = 13  # only threats and force are disavowed this way
THREAT_CUES = frozenset({"threaten", "warn"})
DOMESTIC_ROOTS = frozenset({"14", "17"})
#: coercion that, with no one named, is done at home: confiscation, administrative
#: sanctions, arrests, repression ("police detained demonstrators"); destroying property
#: or expelling people names no victim of one's own ("they destroyed hospitals")
DOMESTIC_CODES = ("1711", "172", "173", "175")
#: roots that may stand without a target: statements, appeals, intentions, threats
UNDIRECTED_ROOTS = frozenset({"01", "02", "03", "13"})
SENTENCE_TARGET_ROOTS = frozenset({"10", "11", "12", "17"})
#: roots (and codes) whose missing target may come from the paragraph before
CONTEXT_TARGET_ROOTS = frozenset({"10", "11", "12", "13"})
CONTEXT_TARGET_CODES = frozenset({"016"})
#: roots whose missing target may be the other parties of a named agreement they act on
#: (intent to implement, sign, reject, violate)
AGREEMENT_ROOTS = frozenset({"03", "05", "12", "16"})
#: roots for which a place (a city, a region) may stand for its country: attacks on Kharkiv,
#: aid to Gaza; a meeting *in* New York or a statement *about* Crimea is not with the US or UKR
PLACE_ROOTS = frozenset({"07", "08", "15", "16", "17", "18", "19", "20"})
#: a denial of responsibility is about an act done somewhere: "denied killing civilians in Bucha"
PLACE_CODES = frozenset({"016"})
NON_STATE = frozenset({"REB", "OPP", "CVL"})
CLAUSE_BOUNDARIES = frozenset({"relcl", "acl", "parataxis", "csubj"})
#: prepositions whose object is company or agent, not the one acted upon
LOOSE_PREPS = frozenset({"with", "by", "like", "as", "than", "despite"})
REFERENCE_PREPS = frozenset({"for", "after", "following", "since", "amid", "despite", "before",
                             "over", "about", "against", "of"})
LOCATIVE = frozenset({"in", "across", "throughout", "near", "around", "outside", "at"})
#: "Israel and Hamas exchanged fire": coordinated subjects act on each other
RECIPROCAL_VERBS = frozenset({"exchange", "clash", "trade", "battle", "skirmish", "agree",
                              "sign", "cooperate", "negotiate", "discuss", "reconcile",
                              "share"})
QUANTITY_NOUNS = frozenset({"round", "series", "wave", "string", "number", "set", "barrage",
                            "volley", "fusillade", "salvo", "spate", "flurry", "batch",
                            "package", "couple", "dozen", "hundred", "thousand", "kind",
                            "type", "new", "fresh"})
#: verbs that lend their subject to an event noun ("launched an attack", "held talks");
#: other verbs do not ("warned against an invasion" is not the warner's invasion)
SUPPORT_VERBS = frozenset({"hold", "launch", "conduct", "carry", "stage", "begin", "start",
                           "continue", "mount", "have", "impose", "make", "pay", "resume",
                           "open", "step", "intensify", "escalate", "undertake", "join",
                           "announce", "order", "approve", "unleash", "wage", "commit",
                           "perpetrate", "execute", "complete", "sign", "conclude", "reach",
                           "give", "provide", "send", "deliver", "offer", "extend", "issue",
                           "deploy", "host", "attend", "lead", "ramp", "increase", "boost",
                           "expand", "accelerate", "speed", "tighten", "strengthen",
                           "reinforce"})
FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP"})
#: verbs whose subject is an event that happens: "clashes began between ..."
ASPECT_VERBS = frozenset({"begin", "start", "continue", "erupt", "break", "occur", "resume",
                          "intensify", "escalate", "happen", "take", "flare"})
#: prepositions of time and circumstance, never an event noun's argument
ADJUNCT_PREPS = frozenset({"on", "in", "at", "during", "after", "before", "amid", "since",
                           "until", "following", "despite", "throughout", "ahead", "for"})
STATE = frozenset({"GOV", "MIL", "COP"})
#: artillery and air strikes on one's own people stay attacks (civil war), not repression
HEAVY_FORCE = frozenset({"194", "195", "196"})
REPRESSION_CODE = "175"
TIME_MARKS = frozenset({"after", "when", "before", "since", "while", "once", "until",
                        "whenever"})
#: subjects that deploy rather than visit
TROOP_NOUNS = frozenset({"troop", "soldier", "force", "unit", "hardware", "warship", "tank",
                         "paratrooper", "battalion", "brigade", "contingent", "convoy"})
DEPLOY_CODE = "154"  # CAMEO: mobilize or increase armed forces
VERSION = "rules.v2"


@dataclass(frozen=True, slots=True)
class Trigger:
    token: Token
    code: str
    pattern: str
    sources: list[Actor]
    targets: list[Actor]
    reading: ModalityReading
    symmetric: bool = False
    #: False for an action that is no event of its own (no target) but may still carry an
    #: intention or a demand ("agreed to resign", "Sudan must return the helicopter")
    emit: bool = True
    #: the participants are one coordinated group ("Russia, Turkey and Iran met", "talks
    #: between A, B and C"): every pair of them takes part.  Not so for a subject and a
    #: list of objects ("spoke with the leaders of A, B and C") or co-visitors of a host
    group: bool = False


class RulesExtractor:
    """Dictionary-and-dependency extractor; holds only read-only compiled data."""

    name = "rules"
    version = VERSION

    def __init__(self, lexicon: Lexicon, actors: ActorDictionary, matcher: PhraseMatcher) -> None:
        self.lexicon = lexicon
        self.actors = actors
        self.matcher = matcher

    # -- public ---------------------------------------------------------------------------
    def mentions(self, sentence: Doc, day: dt.date) -> dict[int, Mention]:
        return find_mentions(sentence, self.matcher, self.actors, day)

    def extract(self, sentence: Doc, day: dt.date, discourse: Discourse) -> list[Candidate]:
        fixes = self.lexicon.lemmas
        for token in sentence:
            if token.pos_ in {"VERB", "AUX"} and token.lower_ in fixes:
                token.lemma_ = fixes[token.lower_]  # "staged" is not "stag"
        mentions = self.mentions(sentence, day)
        resolver = Resolver.of(self.actors, mentions, discourse,
                               find_names(sentence, self.matcher, self.actors, day))
        question = sentence.text.rstrip().rstrip("\"'”’)").endswith("?")
        triggers: list[Trigger] = []
        for token in sentence:
            lemma = token.lemma_.lower()
            if token.pos_ in {"VERB", "AUX"} and lemma in self.lexicon.verbs:
                found = self._verb_trigger(token, self.lexicon.verbs[lemma], resolver, question)
            elif token.pos_ in {"NOUN", "PROPN"} and (
                patterns := self._noun_patterns(token, lemma)
            ):
                found = self._noun_trigger(token, patterns, resolver, question)
            else:
                found = None
            if found is not None:
                triggers.append(_pair_subjects(found))
        candidates = self._assemble(triggers, resolver, question, sentence)
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
                discourse.introduce_pair(cand.source, cand.target)
        discourse.subject = self._main_subject(sentence, resolver)
        discourse.recent_pair = discourse.pairs[-1] if len(discourse.pairs) > introduced \
            else None
        return candidates

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

    # -- triggers -------------------------------------------------------------------------
    def _verb_trigger(
        self, token: Token, patterns: tuple[VerbPattern, ...], resolver: Resolver, question: bool
    ) -> Trigger | None:
        if _background_clause(token):
            return None
        particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
        preps = {c.lower_: c for c in token.children if c.dep_ in {"prep", "agent", "dative"}}
        passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in token.children)
        objects = [c for c in token.children if c.dep_ in {"dobj", "attr", "oprd"}]
        if passive:
            objects += [c for c in token.children if c.dep_ == "nsubjpass"]
        elif token.dep_ == "acl" and token.tag_ == "VBN" and token.head.pos_ in {"NOUN", "PROPN"}:
            if token.i > 0 and token.nbor(-1).text == ",":
                return None  # "Israel, backed by the United States, ...": a description
            # "soldiers killed in Ukraine", "a Hamas member jailed a year ago": a past
            # participle modifier is passive; its noun is the one acted upon
            passive = True
            objects.append(token.head)
        for obj in list(objects):
            # "held the next round of negotiations", "fired a barrage of rockets"
            if obj.lemma_.lower() in QUANTITY_NOUNS:
                for prep in obj.children:
                    if prep.dep_ == "prep" and prep.lower_ == "of":
                        objects += [o for o in prep.children if o.dep_ == "pobj"]
        object_lemmas = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
        object_lemmas |= _predicated(token, objects)
        # two-word objects ("peacekeeping forces" are peacekeepers, not troops)
        object_lemmas |= {f"{m.lemma_.lower()} {o.lemma_.lower()}" for o in objects
                          for m in o.children if m.dep_ in {"amod", "compound"}}
        for obj in objects:  # prepositions of the object: "imposed sanctions on Russia"
            for c in obj.children:
                if c.dep_ == "prep":
                    preps.setdefault(c.lower_, c)
        chosen: VerbPattern | None = None
        for pattern in patterns:
            if particles and pattern.particle not in particles:
                continue
            if pattern.particle and pattern.particle not in particles:
                continue
            if pattern.prep == CLAUSE:
                if objects or not any(c.dep_ == "ccomp" for c in token.children):
                    continue
            elif pattern.prep and pattern.prep not in preps:
                continue
            if pattern.objects and not (pattern.objects & object_lemmas):
                continue
            chosen = pattern
            break
        if chosen is None:
            return None
        if (self.lexicon.modality.get(token.lemma_.lower()) == "report"
                or chosen.code == "010") and any(
            c.dep_ in {"ccomp", "xcomp", "parataxis"} for c in token.children
        ):
            # "X said Y attacked Z": the saying is rarely the news (annotation guide); the
            # embedded events carry reported_by instead
            return None
        if passive:
            agent = preps.get("by")
            source_token = _pobj(agent) if agent is not None else None
            sources = resolver.actors(source_token)
        else:
            subject = self._subject(token)
            sources = resolver.actors(subject)
            if not sources and subject is not None:
                sources = self._located(subject, token, resolver)
        code, pattern_id = chosen.code, chosen.pattern_id
        subject = None if passive else self._subject(token)
        if code.startswith(MEETING_ROOT) and subject is not None and \
                subject.lemma_.lower() in TROOP_NOUNS:
            # "Russian forces began arriving in Belarus": troops do not visit, they deploy
            code, pattern_id = DEPLOY_CODE, f"{pattern_id}:troops"
        if len(sources) >= 2 and any(_is_each_other(o) for o in [*objects, *preps.values()]):
            # "Both sides blamed each other": every party acts on the others
            reading = read_modality(token, self.lexicon.modality, question)
            return Trigger(token, code, pattern_id, sources[:1], sources[1:],
                           reading, symmetric=True, group=True)
        targets = self._targets(token, chosen.target, objects, chosen.objects, preps, resolver,
                                passive)
        # "From Egypt, the Foreign Ministry demanded ...": the source itself is no target;
        # look further
        own = {(s.code, s.sector) for s in sources}
        if sources and int(code[:2]) >= 15 and all((t.code, t.sector) in own for t in targets):
            # "Pakistan says India violated its airspace": force is not done to one's own
            # airspace; the possessive points to someone else
            for obj in objects:
                other = resolver.other_owner(obj, frozenset(s.code for s in sources))
                if other is not None:
                    targets = [other]
                    break
        own_targets = targets
        targets = [t for t in targets if (t.code, t.sector) not in own]
        if not targets and code[:2] in {"02", "10"}:
            # "Greece demanded that its partners refuse ...": the demand is on the subject
            # of the demanded clause
            for child in token.children:
                if child.dep_ == "ccomp":
                    targets = resolver.actors(self._subject(child))
                    break
        if not targets and code[:2] in {"15", "19", "17", "18"}:
            targets = self._border_target(token, resolver)
        # the target of a statement or a cooperative act is not in a time clause ("As soon as
        # Pelosi arrived, China announced"); that of a verbal conflict act is not in a
        # coordinated clause ("described the attack as reckless and said the UK would stand
        # up for Israel"), while its time clause often names the cause and so the target
        verbal = int(code[:2]) < 15
        conjoined = int(code[:2]) >= 10
        if not targets and sources and not (len(sources) >= 2 and (
                code.startswith(MEETING_ROOT) or token.lemma_.lower() in RECIPROCAL_VERBS)):
            # coordinated participants of a meeting or a mutual act are its parties ("the two
            # leaders discussed the situation around Ukraine" is not with Ukraine); else
            # the target of force must be what the act is done to, within its own clause
            targets = self._nearest_in_subtree(
                token, sources, resolver,
                venues=code[:2] in PLACE_ROOTS or code in PLACE_CODES,
                own_clause=int(code[:2]) >= 15 or code[:2] == MEETING_ROOT,
                verbal=verbal, conjoined=conjoined)
        if not targets and sources and code[:2] in SENTENCE_TARGET_ROOTS:
            # "Condemning the attack, the embassy said Russia's shelling ...": criticism
            # points at the other actor the sentence names
            targets = self._nearest_in_subtree(token.sent.root, sources, resolver,
                                               skip=self._subject(token), verbal=verbal,
                                               conjoined=conjoined)
        if not targets and sources and _domestic(code):
            # protest and repression with no named target are domestic: protesters against
            # their own government, a government against its own people
            source = sources[0]
            targets = [Actor(source.code, "GOV" if code[:2] == "14" else "CVL",
                             "", "domestic")]
        if not targets and sources and code[:2] in AGREEMENT_ROOTS:
            # "Kiev refused to fulfil the Minsk agreements": an act on a named agreement is
            # aimed at its other parties
            targets = _agreement_parties(token, sources, resolver)
        if not targets and sources and (code[:2] in CONTEXT_TARGET_ROOTS or
                                        code in CONTEXT_TARGET_CODES):
            # a reply, a denial or a threat with no one named: aimed at the other party of
            # what the paragraph has just reported (annotators read the context too)
            other = resolver.discourse.counterpart(sources)
            targets = [other] if other is not None else []
        if not targets and own_targets:
            targets = own_targets  # nothing better: as before (an act on oneself is no event)
        if not targets and self.lexicon.modality.get(token.lemma_.lower()) == "report":
            return None  # a bare "X said" with no addressee is not an event
        mutual = len(sources) >= 2 and (code.startswith(MEETING_ROOT) or
                                        token.lemma_.lower() in RECIPROCAL_VERBS)
        # a dyadic act with no one on the receiving end is more often another sense of the
        # verb ("fighting gun crime", "advance a strategy") than a real event
        emit = bool(targets) or mutual or code[:2] in UNDIRECTED_ROOTS
        reading = read_modality(token, self.lexicon.modality, question)
        if not emit and reading.modality == Modality.ASSERTED:
            return None
        return Trigger(token, code, pattern_id, sources, targets, reading,
                       symmetric=code.startswith(MEETING_ROOT), emit=emit)

    def _noun_patterns(self, token: Token, lemma: str) -> tuple[NounPattern, ...]:
        """Patterns for an event noun; a two-word entry ("hunger strike", "air strike")
        beats the head noun alone."""
        nouns = self.lexicon.nouns
        for child in token.children:
            if child.dep_ in {"compound", "amod"}:
                pair = nouns.get(f"{child.lemma_.lower()} {lemma}")
                if pair:
                    return pair
        return nouns.get(lemma) or nouns.get(token.lower_) or ()

    def _noun_trigger(
        self, token: Token, patterns: tuple[NounPattern, ...], resolver: Resolver, question: bool
    ) -> Trigger | None:
        pattern = patterns[0]
        acting = "self" in pattern.source
        if not acting and _is_reference(token):
            return None
        light = _governing_verb(token)
        if light is not None and _background_clause(light):
            return None  # "since Russia launched its war eight years ago"
        preps = {c.lower_: c for c in token.children if c.dep_ == "prep"}
        support = _support_verb(token)
        if support is not None:
            # "made incursions into its zone", "clashes began between X and Y": the parser
            # often hangs the noun's preposition on the light verb
            for c in support.children:
                if c.dep_ == "prep" and c.lower_ not in ADJUNCT_PREPS:
                    preps.setdefault(c.lower_, c)
        between = preps.get("between")
        if "between" in pattern.source and between is not None:
            inner = _pobj(between)
            sides = resolver.actors(inner)
            if inner is not None and is_pair(inner) and int(pattern.code[:2]) >= 10:
                # "the war between the two countries" is background far more often than
                # news; talks "between the two countries" are news
                sides = []
            if len(sides) >= 2:
                reading = read_modality(token, self.lexicon.modality, question)
                return Trigger(token, pattern.code, pattern.pattern_id, sides[:1], sides[1:],
                               reading, symmetric=True, group=True)
        sources: list[Actor] = []
        for spec in pattern.source:
            sources = self._acting(token, resolver) if spec == "self" else \
                self._by_spec(token, spec, preps, resolver)
            if sources:
                break
        if "self" in pattern.source and not sources:
            return None  # protesters acted upon ("police dispersed protesters") protest no more
        governor = _governing_verb(token)
        if not sources and governor is not None and (
            governor.lemma_.lower() in SUPPORT_VERBS or pattern.code.startswith(MEETING_ROOT)
        ):
            # "Russia held talks with Ukraine", "Blinken told Lavrov in talks": the noun
            # belongs to a verb whose subject is the actor
            sources = resolver.actors(self._subject(governor))
        targets: list[Actor] = []
        for spec in pattern.target:
            targets = self._by_spec(token, spec, preps, resolver)
            if targets and not _all_same(sources, targets):
                break
            targets = []
        reading = read_modality(token, self.lexicon.modality, question)
        if not targets and governor is not None and governor.lemma_.lower() not in {
            "hold", "have", "launch", "conduct", "stage"
        }:
            targets = [t for t in self._addressee(governor, resolver, skip=token)
                       if not _all_same(sources, [t])]
        if not targets and sources:
            # "held negotiations in Vienna", "a meeting in Brussels": where, not with whom
            targets = self._nearest_in_subtree(
                token, sources, resolver,
                venues=pattern.code[:2] in PLACE_ROOTS or pattern.code in PLACE_CODES)
        if not sources and reading.reported_by is not None and 10 <= int(pattern.code[:2]) < 15:
            # "Moscow told Kiev that ... amounted to a direct threat": the threat is the
            # speaker's, addressed to whoever was told
            sources = resolver.actors(self._subject(reading.reported_by))
            if sources and (not targets or _all_same(sources, targets)):
                targets = self._addressee(reading.reported_by, resolver)
        group = False
        if not targets and len(sources) >= 2 and pattern.code.startswith(MEETING_ROOT):
            sources, targets = sources[:1], sources[1:]  # "In a phone call, X and Y agreed"
            group = True
        if _is_background(token):
            return None  # "Russia's 2014 annexation of Crimea": history, not news
        if sources and not targets and _domestic(pattern.code):
            targets = [Actor(sources[0].code, "GOV" if pattern.code[:2] == "14" else "CVL",
                             "", "domestic")]  # a hunger strike, a crackdown: at home
        if not sources or not targets:
            # "Russia's veto", "the meeting": without a target an event noun is usually a
            # reference to something reported elsewhere, not an event of this sentence
            return None
        return Trigger(token, pattern.code, pattern.pattern_id, sources, targets, reading,
                       symmetric=pattern.code.startswith(MEETING_ROOT), group=group)

    def _acting(self, noun: Token, resolver: Resolver) -> list[Actor]:
        """ "Hundreds of protesters gathered in Yerevan": the noun, when it is (or is
        quantified by) a verb's subject, as an actor of its own or of where it acts."""
        subject = noun
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in {
                "nsubj"} and noun.head.head.i not in resolver.mentions:
            subject = noun.head.head  # "hundreds of protesters"
        if subject.dep_ != "nsubj" or subject.head.pos_ not in {"VERB", "AUX"} or \
                subject.head.lemma_.lower() in self.lexicon.verbs:
            # what they did, if it is an event of its own ("demonstrators rioted", "...
            # received weapons"), is the event; only gathering, marching, chanting is protest
            return []
        return resolver.actors(noun) or self._located(noun, subject.head, resolver)

    def _located(self, subject: Token, verb: Token, resolver: Resolver) -> list[Actor]:
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
                for place in resolver.actors(_pobj(node)):
                    return [Actor(place.code, sector, subject.text, "located")]
        return []

    def _nearest_in_subtree(self, token: Token, sources: list[Actor], resolver: Resolver,
                            skip: Token | None = None, venues: bool = True,
                            own_clause: bool = False, verbal: bool = False,
                            conjoined: bool = False) -> list[Actor]:
        """The first other actor named in what the trigger governs, outside its subject:
        "blames the surge in tensions on NATO", "fired a missile over northern Japan"."""
        excluded = {token.i}
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS or child.dep_ in {"agent", "appos"}:
                excluded.update(t.i for t in child.subtree)
        if skip is not None:
            excluded.update(t.i for t in skip.subtree)
        # non-state sources (separatists, protesters) act inside their own country
        domestic = all(s.sector in NON_STATE for s in sources)
        own = set() if domestic else {s.code for s in sources}
        for node in token.subtree:
            if node.i in excluded or node.i not in resolver.mentions:
                continue
            if own_clause and not _in_own_clause(node, token):
                continue  # "defends the values shared with the EU": another clause's actor
            if verbal and _in_other_clause(node, token, conj=conjoined):
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

    def _addressee(self, verb: Token, resolver: Resolver, skip: Token | None = None
                   ) -> list[Actor]:
        for child in verb.children:
            if child.dep_ in {"dobj", "dative"} and child is not skip:
                found = resolver.actors(_pobj(child) if child.pos_ == "ADP" else child)
                if found:
                    return found
        return []

    # -- arguments ------------------------------------------------------------------------
    def _subject(self, verb: Token) -> Token | None:
        """The subject of ``verb``, inherited through conjuncts, control and participles."""
        node = verb
        for _ in range(8):
            for child in node.children:
                if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
                    return child
            if node.dep_ == "conj" and node.tag_ in FINITE_TAGS and \
                    node.head.tag_ not in FINITE_TAGS:
                # "imposed sanctions meant to cripple its economy and ramped up supplies":
                # the parser hangs the finite "ramped" on the infinitive; it is a sibling of
                # the nearest finite clause that has a subject
                return _finite_subject(node.head)
            if node.dep_ == "conj" and _finite(node) and node.head.dep_ == "ccomp":
                # "Moscow has said its movements are defensive and has accused Kyiv": a finite
                # conjunct hung on the reported clause is the speaker's second act
                node = node.head.head
                continue
            head = node.head
            if head.i == node.i:
                return None
            if node.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"}:
                if any(c.dep_ == "aux" and c.tag_ == "TO" for c in node.children):
                    # "approved the decision to send peacekeepers": the decider acts
                    governor = _governing_verb(head)
                    if governor is None:
                        return None
                    node = governor
                    continue
                return head  # "separatists fighting Kiev"
            if node.dep_ == "relcl":
                return head
            if node.dep_ in {"xcomp", "pcomp", "prep"} or (
                node.dep_ == "pcomp" and head.dep_ == "prep"
            ):
                governor = head.head if head.dep_ == "prep" else head
                if governor.lemma_.lower() in OBJECT_CONTROL:
                    for child in governor.children:
                        if child.dep_ in {"dobj", "dative"}:
                            return child
            if node.dep_ not in CLIMB_DEPS:
                return None
            node = head
        return None

    def _targets(
        self, token: Token, specs: tuple[str, ...], objects: list[Token],
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
            found = self._by_spec(token, spec, preps, resolver)
            if found:
                return found
        return []

    def _by_spec(
        self, token: Token, spec: str, preps: dict[str, Token], resolver: Resolver
    ) -> list[Actor]:
        if spec.startswith("prep:"):
            prep = preps.get(spec[5:])
            return resolver.actors(_pobj(prep)) if prep is not None else []
        if spec == "dative":
            for child in token.children:
                if child.dep_ == "dative":
                    inner = _pobj(child) if child.pos_ == "ADP" else child
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

    def _border_target(self, token: Token, resolver: Resolver) -> list[Actor]:
        """ "massing troops along the border with Ukraine" / "near Ukraine's border" """
        for node in token.subtree:
            if node.lemma_.lower() in BORDER_NOUNS:
                for child in node.children:
                    if child.dep_ == "prep" and child.lower_ == "with":
                        return resolver.actors(_pobj(child))
                    if child.dep_ in {"poss", "amod", "compound"}:
                        actor = resolver.resolve(child)
                        if actor is not None:
                            return [actor]
        return []

    # -- assembly -------------------------------------------------------------------------
    def _assemble(
        self, triggers: list[Trigger], resolver: Resolver, question: bool, sentence: Doc
    ) -> list[Candidate]:
        out: list[Candidate] = []
        derived_from: set[int] = set()
        for trig in triggers:
            cue = trig.reading.intent_cue
            if cue is None:
                continue
            intent = self._intent(trig, cue, resolver, question)
            if intent:
                if cue.i != trig.token.i:
                    derived_from.add(cue.i)
                out.extend(intent)
        out.extend(self._demands(sentence, resolver))
        verbs = {t.token.i for t in triggers if t.token.pos_ in {"VERB", "AUX"}}
        for trig in triggers:
            if trig.token.i in derived_from or not trig.emit:
                continue  # "threatened to invade": the derived 13x replaces the bare 130
            if _consequence(trig, triggers):
                continue  # "began air strikes on Gaza, destroying buildings": one attack
            if trig.token.pos_ not in {"VERB", "AUX"} and trig.token.dep_ in {
                "dobj", "nsubjpass"
            } and trig.token.head.i in verbs:
                continue  # "imposed sanctions", "suspended dialogue": the verb event says it
            reported = None
            if trig.reading.reported_by is not None:
                speaker = resolver.actors(self._subject(trig.reading.reported_by))
                reported = speaker[0].code if speaker else None
            for source in trig.sources:
                targets: list[Actor | None] = list(trig.targets) or [None]
                for target in targets:
                    if target is not None and (target.code, target.sector) == (
                        source.code, source.sector
                    ):
                        continue
                    if target is not None and target.code == source.code and \
                            trig.code[:2] in {"01", "02", "03", "04", "05"}:
                        continue  # a country talking to itself is no international event
                    out.append(_candidate(trig, trig.code, source, target,
                                          trig.reading.modality, reported))
                    if trig.symmetric and target is not None:
                        out.append(_candidate(trig, trig.code, target, source,
                                              trig.reading.modality, reported))
            if trig.symmetric and trig.group and len(trig.sources) + len(trig.targets) > 2:
                for a, b in _all_pairs(trig):
                    out += [_candidate(trig, trig.code, a, b, trig.reading.modality, reported),
                            _candidate(trig, trig.code, b, a, trig.reading.modality, reported)]
        return _dedupe([c for c in out if _place_ok(c)])

    def _demands(self, doc: Doc, resolver: Resolver) -> list[Candidate]:
        """ "Russia said Sudan must return the helicopter": Russia demands of Sudan, whatever
        the demanded act is (it need not be in the lexicon)."""
        cues = self.lexicon.modality
        out: list[Candidate] = []
        for verb in doc:
            if verb.dep_ != "ccomp" or not any(
                c.dep_ == "aux" and cues.get(c.lower_) == "obligation" for c in verb.children
            ):
                continue
            speaker_verb = verb.head
            if cues.get(speaker_verb.lemma_.lower()) != "report":
                continue
            speakers = resolver.actors(self._subject(speaker_verb))
            obliged = resolver.actors(self._subject(verb))
            reading = read_modality(speaker_verb, cues, False)
            start = speaker_verb.idx - doc[0].idx
            out += [Candidate(DEMAND_CODE, speaker, target, reading.modality, "demand:must",
                              start, start + len(speaker_verb.text), speaker_verb.text)
                    for speaker in speakers for target in obliged
                    if target.code != speaker.code]
        return out

    def _intent(
        self, trig: Trigger, cue: Token, resolver: Resolver, question: bool
    ) -> list[Candidate]:
        root = int(trig.code[:2])
        kind = trig.reading.intent_kind
        if kind == "refuse":
            return self._refusal(trig, cue, resolver)
        if kind == "disavow":
            return self._disavowal(trig, cue, resolver, question)
        if root >= 10 and kind != "pledge" and not (
            kind == "announce" and root >= 15 and self._own_word(trig, resolver)
        ):
            # "Washington would increase costs on Iran", said by Washington, is a threat; the
            # same future told by someone else is a forecast, and plans are often alleged
            return []
        code = self.lexicon.intent_code(trig.code)
        if code is None:
            return []
        if code.startswith("03") and cue.lemma_.lower() in THREAT_CUES:
            code = "130"  # "threatened to deliver blows": whatever is delivered, it is a threat
        subject = self._subject(cue)
        sources = resolver.actors(subject) or trig.sources
        reading = read_modality(cue, self.lexicon.modality, question, consequent=False)
        modality = reading.modality
        if kind == "announce" and modality == Modality.FUTURE:
            modality = Modality.ASSERTED  # "will give": the announcement is made now
        start = cue.idx - cue.doc[0].idx
        targets: list[Actor | None] = list(trig.targets) or [None]
        if not trig.targets and len(sources) >= 2 and cue.lemma_.lower() in RECIPROCAL_VERBS:
            # "Armenia and Azerbaijan have agreed to extend the ceasefire": each intends it
            # towards the other
            targets = list(sources)
        pairs: list[tuple[Actor, Actor | None]] = [
            (source, target) for source in sources for target in targets
            if target is None or target.code != source.code]
        if trig.symmetric:  # "X and Y agreed to meet": both intend it
            pairs += [(t, s) for s, t in pairs
                      if t is not None and t in sources and (t, s) not in pairs]
        return [Candidate(code, source, target, modality, f"intent:{trig.pattern}", start,
                          start + len(cue.text), cue.text) for source, target in pairs]


    def _disavowal(self, trig: Trigger, cue: Token, resolver: Resolver, question: bool
                   ) -> list[Candidate]:
        """ "Beijing has no plan to use force against Taiwan": denying an intention to act
        against someone is a denial (016) aimed at them; the act stays negated."""
        if int(trig.code[:2]) < DISAVOWED_ROOT:
            return []
        reading = read_modality(cue, self.lexicon.modality, question)
        modality = Modality.ASSERTED if reading.modality == Modality.NEGATED else \
            reading.modality
        subject = self._subject(cue)
        if subject is None and cue.pos_ == "NOUN":  # "Beijing has no plan": the haver
            governor = _governing_verb(cue)
            subject = self._subject(governor) if governor is not None else None
        sources = resolver.actors(subject) or trig.sources
        start = cue.idx - cue.doc[0].idx
        targets: list[Actor | None] = list(trig.targets) or [None]
        return [Candidate(DENIAL_CODE, source, target, modality, f"disavow:{trig.pattern}",
                          start, start + len(cue.text), cue.text)
                for source in sources for target in targets
                if target is None or target.code != source.code]

    def _refusal(self, trig: Trigger, cue: Token, resolver: Resolver) -> list[Candidate]:
        code = self.lexicon.refusal_code(trig.code)
        if code is None or not self._own_word(trig, resolver):
            return []
        start = cue.idx - cue.doc[0].idx
        targets: list[Actor | None] = list(trig.targets) or [None]
        return [Candidate(code, source, target, Modality.ASSERTED, f"refuse:{trig.pattern}",
                          start, start + len(cue.text), cue.text)
                for source in trig.sources for target in targets
                if target is None or target.code != source.code]

    def _own_word(self, trig: Trigger, resolver: Resolver) -> bool:
        """Whether every reporting verb of the sentence has a source of ``trig`` as speaker
        (or there is none): a threat is made by the one who will act."""
        own = {s.code for s in trig.sources}
        cues = self.lexicon.modality
        reporters = [t for t in trig.token.sent if t.i != trig.token.i and (
            t == trig.reading.reported_by or (t.dep_ in {"ROOT", "parataxis"} and
                                              cues.get(t.lemma_.lower()) == "report"))]
        for verb in reporters:
            speakers = resolver.actors(self._subject(verb))
            if not any(s.code in own for s in speakers):
                return False
        return bool(own)


def _consequence(trig: Trigger, triggers: list[Trigger]) -> bool:
    """A participle clause telling what an act of force did ("..., destroying buildings",
    "..., injuring 38") is part of that act, not another event."""
    token = trig.token
    if token.dep_ != "advcl" or token.tag_ != "VBG" or int(trig.code[:2]) < 17:
        return False
    head = token.head
    pairs = {(s.code, t.code) for s in trig.sources for t in trig.targets}
    for other in triggers:
        if other is trig or int(other.code[:2]) < 18:
            continue
        near = other.token.i == head.i or other.token.head.i == head.i
        if near and pairs <= {(s.code, t.code) for s in other.sources for t in other.targets}:
            return True
    return False


def _candidate(
    trig: Trigger, code: str, source: Actor, target: Actor | None, modality: Modality,
    reported: str | None,
) -> Candidate:
    start = trig.token.idx - trig.token.doc[0].idx
    if target is not None and target.code == source.code and source.sector in STATE and \
            target.sector in {"CVL", "OPP"} and code[:2] in {"18", "19"} and \
            code[:3] not in HEAVY_FORCE:
        # police or troops beating their own protesters or citizens: CAMEO's violent
        # repression (175), not an armed attack between parties
        code = REPRESSION_CODE
    return Candidate(code, source, target, modality, trig.pattern, start,
                     start + len(trig.token.text), trig.token.text, reported)


def _pair_subjects(trig: Trigger) -> Trigger:
    """ "Erdogan and Putin agreed to hold talks": a meeting among coordinated subjects."""
    reciprocal = trig.token.lemma_.lower() in RECIPROCAL_VERBS
    if trig.code.startswith(VISIT_CODES):
        return trig  # "the Polish and Lithuanian leaders arrived": co-visitors, not hosts
    if (trig.symmetric or reciprocal) and not trig.targets and len(trig.sources) >= 2:
        return Trigger(trig.token, trig.code, trig.pattern, trig.sources[:1], trig.sources[1:],
                       trig.reading, trig.symmetric or reciprocal, True, group=True)
    return trig


def _domestic(code: str) -> bool:
    """Whether an act with no target named is one against the actor's own country."""
    return code[:2] == "14" or code.startswith(DOMESTIC_CODES)


def _all_pairs(trig: Trigger) -> list[tuple[Actor, Actor]]:
    """ "The US, Russia and Switzerland met": every pair of participants, once."""
    people = [*trig.sources, *[t for t in trig.targets if t not in trig.sources]]
    return [(a, b) for i, a in enumerate(people) for b in people[i + 1:]]


def _in_own_clause(node: Token, trigger: Token) -> bool:
    """Whether ``node`` is an argument of the trigger's own clause: the path up to the
    trigger crosses no clause boundary and no preposition that only adds company or topic."""
    while node.i != trigger.i:
        if node.dep_ in CLAUSE_BOUNDARIES:
            return False
        if node.dep_ == "pobj" and node.head.lower_ in LOOSE_PREPS:
            return False
        if node.head.i == node.i:
            return False
        node = node.head
    return True


def _predicated(verb: Token, objects: list[Token]) -> set[str]:
    """What the object is called: "described the attack as reckless", "called it an act of
    aggression" (so a pattern can require an evaluation word)."""
    found: set[str] = set()
    for obj in [verb, *objects]:  # "as" hangs on the verb or on the object
        for child in obj.children:
            if child.dep_ == "prep" and child.lower_ == "as":
                found |= {g.lemma_.lower() for g in child.children
                          if g.dep_ in {"pobj", "amod", "acomp"}}
        if obj.dep_ == "oprd":
            found |= {c.lemma_.lower() for c in obj.children if c.dep_ == "amod"}
            found |= {g.lemma_.lower() for c in obj.children if c.dep_ == "prep"
                      and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"}
    return found


def _is_each_other(node: Token) -> bool:
    """ "each other", "one another" (as an object or the object of a preposition)."""
    if node.dep_ == "prep":
        node = _pobj(node) or node
    return (node.lower_ == "other" and any(c.lower_ == "each" for c in node.children)) or (
        node.lower_ == "another" and any(c.lower_ == "one" for c in node.children))


def _finite_subject(node: Token) -> Token | None:
    for ancestor in (node, *node.ancestors):
        if _finite(ancestor):
            for child in ancestor.children:
                if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
                    return child
    return None


def _in_other_clause(node: Token, top: Token, conj: bool) -> bool:
    """Whether the path from ``node`` up to ``top`` enters a coordinated verb (with ``conj``,
    for conflict) or else a time clause ("as soon as", "after", "when"; for conflict the
    clause is often the cause and names the target: "threatened to retaliate after Israeli
    strikes killed ...")."""
    while node.i != top.i and node.head.i != node.i:
        if node.pos_ in {"VERB", "AUX"} and (
            (conj and node.dep_ == "conj") or
            (not conj and node.dep_ == "advcl" and _time_clause(node))
        ):
            return True
        node = node.head
    return False


def _time_clause(verb: Token) -> bool:
    """ "after/when/as soon as X arrived" (a bare "as" may mean while, where company is
    named: "called for de-escalation as he began talks with Putin")."""
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if "as" in marks:
        return verb.head.lower_ == "soon" or any(c.lower_ == "soon" for c in verb.children)
    return bool(marks & TIME_MARKS)


def _finite(verb: Token) -> bool:
    return verb.tag_ in {"VBZ", "VBD", "VBP"} or any(
        c.dep_ == "aux" and c.tag_ in {"VBZ", "VBD", "VBP", "MD"} for c in verb.children)


def _is_reference(noun: Token) -> bool:
    """ "in retaliation for a visit", "after the attack", "since the invasion": an event noun
    inside such a phrase points at an event reported elsewhere, not a new one."""
    node = noun
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in REFERENCE_PREPS:
            return True
        if node.dep_ not in {"pobj", "prep", "conj"}:
            return False
        node = node.head
    return False


def _background_clause(verb: Token) -> bool:
    """ "Since Russia invaded ...", "... launched its war eight years ago": a clause that
    dates an act to the past is background, not news of the day."""
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since"
                                    for c in verb.children):
        return True
    return any(c.lower_ == "ago" and any(g.lemma_.lower() in {"year", "decade", "century"}
                                         for g in c.children)
               for c in verb.children if c.dep_ == "advmod")


def _is_background(noun: Token) -> bool:
    """An event noun dated by a year ("the 2014 annexation") refers to the past."""
    return any(c.like_num and len(c.text) == 4 and c.text.isdigit() and c.dep_ in {
        "nummod", "compound", "npadvmod", "amod", "nmod"} for c in noun.children)


def _support_verb(noun: Token) -> Token | None:
    """The light verb an event noun is the object (or, for aspect verbs, the subject) of."""
    head = noun.head
    if head.pos_ not in {"VERB", "AUX"}:
        return None
    lemma = head.lemma_.lower()
    if noun.dep_ in {"dobj", "nsubjpass"} and lemma in SUPPORT_VERBS:
        return head
    if noun.dep_ == "nsubj" and lemma in ASPECT_VERBS:
        return head
    return None


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition."""
    head = noun.head
    if noun.dep_ in {"dobj", "nsubjpass", "attr"} and head.pos_ in {"VERB", "AUX"}:
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        return head.head
    return None


def _all_same(sources: list[Actor], targets: list[Actor]) -> bool:
    codes = {s.code for s in sources}
    return bool(codes) and all(t.code in codes for t in targets)


def _pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    for child in prep.children:
        if child.dep_ in {"pobj", "pcomp"}:
            return child
    return None


def _agreement_parties(token: Token, sources: list[Actor], resolver: Resolver) -> list[Actor]:
    """The parties, other than the sources, of a named agreement in what the trigger
    governs."""
    own = {s.code for s in sources}
    below = {t.i for t in token.subtree}
    for name in resolver.names:
        if name.span_start in below and own & set(name.entry.parties):
            return [Actor(code, "GOV", name.text, "party") for code in name.entry.parties
                    if code not in own]
    return []


def _place_ok(cand: Candidate) -> bool:
    if cand.code[:2] in PLACE_ROOTS or cand.code in PLACE_CODES:
        return True
    return cand.source.kind != "place" and (cand.target is None or cand.target.kind != "place")


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """One event per (source, target, root, modality), keeping the most specific code: two
    verbs for one act ("used tear gas to disperse") are one event.  Distinct acts of force
    ("took control ... after shelling it": 192 and 194) stay apart."""
    best: dict[tuple[str, str | None, str, Modality], Candidate] = {}
    for cand in candidates:
        kind = cand.code[:3] if cand.code[:2] in {"17", "18", "19", "20"} else cand.code[:2]
        key = (cand.source.code, cand.target.code if cand.target else None, kind,
               cand.modality)
        kept = best.get(key)
        if kept is None or len(cand.code) > len(kept.code):
            best[key] = cand
    # a target-less event is redundant beside the same source/root with a target
    with_target = {(c.source.code, c.code[:2], c.modality) for c in best.values() if c.target}
    return [c for c in best.values()
            if c.target is not None or (c.source.code, c.code[:2], c.modality) not in with_target]
