"""Triggers: the verb and noun patterns that fire on a token, with their actors.

A verb trigger matches a ``verbs.tsv`` row by particle, preposition, clause and object, and
takes its source from the (inherited) subject, its target from the row's slot and then the
argument fallbacks; passives and participle modifiers swap them.  A noun trigger
(``nouns.tsv``) takes its actors from its modifiers, its light verb or "between"; event
nouns that refer back to an event reported elsewhere give none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from foreshock.extract.base import Actor
from foreshock.extract.rules.actors import PAIR_NOUNS, READOUT_NOUNS, Resolver, is_pair
from foreshock.extract.rules.arguments import (
    act_country,
    addressee,
    adjective_actor,
    agreement_parties,
    aimed_targets,
    all_same,
    audience,
    border_target,
    by_spec,
    casualty_sides,
    domestic_addressee,
    home_authority,
    home_place,
    home_sides,
    home_targets,
    instrument_source,
    launch_site,
    located,
    nearest_in_subtree,
    noun_as_actor,
    pattern_targets,
    protest_place,
)
from foreshock.extract.rules.clauses import (
    SUBJECT_DEPS,
    SUPPORT_VERBS,
    background_clause,
    governing_verb,
    is_background,
    is_each_other,
    is_reference,
    pobj,
    predicated,
    standing,
    subject_of,
    support_verb,
)
from foreshock.extract.rules.codes import (
    ACCORD_CODE,
    AGREEMENT_ROOTS,
    BOMBING_CODE,
    CONTEXT_TARGET_CODES,
    CONTEXT_TARGET_ROOTS,
    DEPLOY_CODE,
    DOMESTIC_CODES,
    EMERGENCY_CODE,
    FORCE_ROOT,
    INTENT_ROOT,
    MEETING_ROOT,
    NON_STATE,
    OCCUPATION_CODE,
    OPINION_CODE,
    PLACE_CODES,
    PLACE_ROOTS,
    POSTURE_ROOT,
    PROTEST_ROOT,
    REPRESSION_CODE,
    SENTENCE_TARGET_ROOTS,
    STATE,
    THREAT_CODE,
    UNDIRECTED_ROOTS,
    VERDICT_CODE,
    VISIT_CODES,
    WEAPON_CODES,
    YIELD_ROOT,
    domestic_act,
    home_act,
)
from foreshock.extract.rules.modality import ModalityReading, own_modality, read_modality
from foreshock.ontology.function_words import function_words
from foreshock.ontology.lexicons import Lexicon, NounPattern, VerbPattern
from foreshock.records import Modality

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

#: in verbs.tsv's prep column: the row needs a clausal complement and no object
#: ("warned that Russia could invade" is a pessimistic comment, not a threat to someone)
CLAUSE = "<clause>"
#: "Israel and Hamas exchanged fire": coordinated subjects act on each other
RECIPROCAL_VERBS = _WORDS.reciprocal_verbs
WITH_MUTUAL_VERBS = _WORDS.with_mutual_verbs
DOCUMENT_NOUNS = _WORDS.document_nouns
DOER_MODIFIERS = _WORDS.doer_modifiers
#: the object word of verb rows (verbs.tsv) that stands for any named place or capital
PLACE_OBJECT = "@place"
PLACE_OBJECT_KINDS = frozenset({"place", "capital"})
QUANTITY_NOUNS = _WORDS.quantity_nouns
HAZARD_NOUNS = _WORDS.hazard_nouns
HAZARD_VERBS = _WORDS.hazard_verbs
CAUSE_LINKS = _WORDS.cause_links
#: verbs whose subject sends what an aiming participle of their object describes
AIMING_VERBS = _WORDS.aiming_verbs
#: prepositions of time and circumstance, never an event noun's argument
ADJUNCT_PREPS = _WORDS.adjunct_preps
#: subjects that deploy rather than visit
TROOP_NOUNS = _WORDS.troop_nouns
PERSON_PRONOUNS = _WORDS.person_pronouns
TOPIC_VERBS = _WORDS.topic_verbs
COUNTERPARTS = _WORDS.counterpart_nouns
#: verbs of agreeing: with no complement, or a that-clause of fact, an opinion shared
ACCORD_VERBS = _WORDS.accord_verbs
PAIR_DETERMINERS = _WORDS.pair_determiners
ORIGIN_PREPS = _WORDS.origin_preps
#: "concerns about Russia's build-up": a lasting state of force, still news under these
ONGOING_PREPS = _WORDS.ongoing_preps
#: "warned against travel to ...": an advisory, no threat
TRAVEL_WORDS = _WORDS.travel_words
#: "urged its citizens to leave": one's own people, told what to do
OWN_PEOPLE_NOUNS = _WORDS.own_people_nouns
#: verbs of protest that mean showing when they take an object ("demonstrated unity")
SHOW_VERBS = _WORDS.show_verbs
#: prepositions that name whom an appeal is made to ("called on", "called upon")
APPEAL_PREPS = _WORDS.appeal_preps
#: insurgents who bomb: what they attack with is a bomb
BOMBER_NOUNS = _WORDS.bomber_nouns
#: words for people addressed that name no actor ("assured him", "told journalists",
#: "informed his colleagues")
ADDRESSEE_PRONOUNS = _WORDS.addressee_pronouns
PERSON_NOUNS = _WORDS.audience_nouns | _WORDS.domestic_nouns
#: verbs of struggle whose "for" is the cause fought for ("fighting for freedom")
STRUGGLE_VERBS = _WORDS.struggle_verbs
#: repression, unconventional violence and mass violence (17, 18, 20): done by "they",
#: in a country's own voice, by the other side
THEIR_DEED_ROOTS = frozenset({"17", "18", "20"})
THEY_PRONOUNS = _WORDS.they_pronouns
#: the addressee of a formula of speech ("I assure you"), and what is asked that is no
#: appeal ("ask a question")
FORMULA_OBJECTS = _WORDS.formula_objects
INQUIRY_NOUNS = _WORDS.inquiry_nouns
#: ills fought that are no party ("fight disinformation")
CAMPAIGN_OBJECTS = _WORDS.campaign_objects
#: the verbs whose CAMPAIGN_OBJECTS are ills fought, not parties ("fight", "combat")
CAMPAIGN_VERBS = _WORDS.campaign_verbs
#: "defending ourselves", "protect their homeland": self-defence in war, no 052 nor 074
DEFENCE_VERBS = _WORDS.defence_verbs
HOMELAND_NOUNS = _WORDS.homeland_nouns
OPERATION_NOUNS = _WORDS.operation_nouns
DEFENCE_ROOTS = frozenset({"05", "07"})
#: "defended his country against criticism": words (disapproval, accusation) defended from
VERBAL_ATTACK_ROOTS = frozenset({"11"})
#: prepositions that name what force is aimed at ("fired tear gas at protesters")
AIMED_PREPS = _WORDS.aimed_preps | {"at"}


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


def verb_trigger(
    lexicon: Lexicon, token: Token, patterns: tuple[VerbPattern, ...], resolver: Resolver,
    question: bool,
) -> Trigger | None:
    if background_clause(token):
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
    object_lemmas |= predicated(token, objects)
    # two-word objects ("peacekeeping forces" are peacekeepers, not troops)
    object_lemmas |= {f"{m.lemma_.lower()} {o.lemma_.lower()}" for o in objects
                      for m in o.children if m.dep_ in {"amod", "compound"}}
    if any(resolver.mentions[o.i].entry.kind in PLACE_OBJECT_KINDS for o in objects
           if o.i in resolver.mentions):
        # "Russian troops capture Avdiivka": a named place taken is territory (192), as
        # "the town of" would say; rows list the class as the object word "@place"
        object_lemmas.add(PLACE_OBJECT)
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
    if chosen.code.startswith(DEPLOY_CODE) and not any(
            o.lemma_.lower() in TROOP_NOUNS for o in objects) and \
            _one_person(subject_of(token), resolver):
        return None  # "He has deployed five times to Iraq": a soldier's posting
    if chosen.code[:2] == YIELD_ROOT and not chosen.objects and any(
            o.dep_ == "dobj" and o.lemma_.lower() in DOCUMENT_NOUNS for o in objects):
        # "ISIL releases a video of two soldiers", "handed over the documents to the ICC": a
        # bare yielding row (release, hand over, return) with a text for its object yields
        # no one and nothing (on the training annotations the bare "release" row was 5
        # right of 15, session 22)
        return None
    if chosen.code[:2] == PROTEST_ROOT and token.lemma_.lower() in SHOW_VERBS and any(
            o.dep_ == "dobj" and o.i not in resolver.mentions for o in objects):
        # "Ukrainians demonstrated great unity", "the CSTO demonstrated its ability to
        # respond": with an object the verb means showing, not taking to the streets
        return None
    if int(chosen.code[:2]) <= 13 and _advisory(token, preps, resolver):
        # "warn against travel to Sudan", "advised against all trips to Iran": a travel
        # advisory to one's own people, no threat to the place
        return None
    if token.lemma_.lower() in DEFENCE_VERBS and chosen.code[:2] in DEFENCE_ROOTS and \
            _defends_its_own(token, objects) and \
            not _against_words(token, objects, lexicon):
        # "we have been defending ourselves for 47 days", "Ukrainians defending their
        # country", "the special military operation to protect Donbass": war, told as
        # self-defence, no verbal defence (052) nor protection given to anyone (074)
        return None
    if token.lemma_.lower() in CAMPAIGN_VERBS and any(
            o.lemma_.lower() in CAMPAIGN_OBJECTS and o.i not in resolver.mentions
            for o in [*objects, *filter(None, [pobj(preps.get("against"))])]):
        # "fight disinformation from Russia", "combating corruption": a campaign against
        # an ill, no force used on anyone
        return None
    if (lexicon.modality.get(token.lemma_.lower()) == "report"
            or chosen.code == "010") and any(
        c.dep_ in {"ccomp", "xcomp", "parataxis"} for c in token.children
    ):
        # "X said Y attacked Z": the saying is rarely the news (annotation guide); the
        # embedded events carry reported_by instead
        return None
    if chosen.code[:2] == "02" and not objects and not any(
            c.dep_ in {"ccomp", "xcomp", "dative", "prep", "advcl"} for c in token.children):
        # '"Why?" the President asked': a question, not an appeal
        return None
    if int(chosen.code[:2]) <= 5 and objects and all(
            o.lower_ in FORMULA_OBJECTS for o in objects) and not any(
            c.dep_ in {"ccomp", "xcomp", "prep", "advcl", "dative"} and c.i > token.i
            for c in token.children):
        # "... will find where to send all this, I assure you", "I tell you": a formula of
        # speech after what it vouches for, an aside, not an act addressed to anyone
        return None
    if chosen.code[:2] == "02" and any(o.lemma_.lower() in INQUIRY_NOUNS for o in objects):
        # "I would like to ask a big question", "they ask relevant questions": asking a
        # question is no appeal to anyone
        return None
    if chosen.code[:2] == "02" and token.tag_ == "VBN" and token.dep_ == "advcl" and \
            "by" not in preps and not any(c.dep_ in SUBJECT_DEPS | {"aux", "auxpass"}
                                          for c in token.children):
        # "Asked about a referendum, the President said ...": a question put to the main
        # clause's subject by someone unnamed (a journalist), no appeal by anyone
        return None
    if chosen.code[:2] == "02" and lexicon.modality.get(token.lemma_.lower()) == "intent" and \
            any(c.dep_ == "xcomp" for c in token.children):
        # "seeks to build", "will seek to demilitarise": an aim, not a request of anyone
        return None
    if token.lemma_.lower() in ACCORD_VERBS and chosen.code[:2] == "03" and not objects and \
            not particles and not preps and _opinion_only(token):
        # "Vladimir Putin: I agree.", "I agree that many issues remain": accord with a
        # view, no agreement to act
        return None
    if chosen.code == OPINION_CODE and token.tag_ == "VBG" and token.i == token.sent.start + \
            sum(1 for t in token.sent if t.i < token.i and t.is_punct):
        return None  # "Considering the lessons of the epidemic, we ...": given, no option
    if (int(chosen.code[:2]) >= 18 or chosen.code.startswith(EMERGENCY_CODE)) and \
            _hazard(token, chosen.code, passive):
        # "Cyclone Helen hits India killing six", "a plane crashes, killing all on board",
        # "declares a state of emergency after flooding": harm by nature or accident is no
        # actor's act (on the training annotations such kills and emergencies had no event)
        return None
    if chosen.prep == CLAUSE and token.lemma_.lower() == "warn" and \
            _warned_consequence(token, lexicon.modality, resolver):
        # "warns Europe will be dragged into conflict if Ukraine joins NATO", "Biden warns
        # the US will react decisively": what follows a condition, or what the warner's
        # own side will do, is a threat (13x, as the guide lists a warning of
        # consequences), not a pessimistic comment on others (012)
        chosen = replace(chosen, code=THREAT_CODE, pattern_id=f"{chosen.pattern_id}:threat")
    if chosen.code == OPINION_CODE and any(c.dep_ in {"ccomp", "oprd"} for c in token.children):
        # "I consider it important to note", "considers that the talks failed": an
        # opinion, not a policy option under consideration (014)
        return None
    patient: Actor | None = None  # the people a home authority's passive act is done to
    if passive:
        agent = preps.get("by")
        source_token = pobj(agent) if agent is not None else None
        sources = resolver.actors(source_token)
        if not sources and int(chosen.code[:2]) >= 18:
            sources = instrument_source(lexicon, token, resolver)
        if not sources and agent is None and chosen.objects and \
                chosen.code[:2] == FORCE_ROOT:
            # the row's object is the munition ("rockets are fired from Gaza"): its site
            sources = launch_site(token, resolver)
        home = resolver.home_actor(source_token) if not sources and \
            int(chosen.code[:2]) >= 14 else None
        sources = [home] if home is not None else sources
        if not sources and agent is None and (domestic_act(chosen.code) or
                                              chosen.code.startswith(VERDICT_CODE)):
            # "300 people are arrested in Egypt", "a former minister is convicted of
            # bribery": the state's own authorities
            sources, patient = home_authority(objects, chosen.code, resolver, token)
    else:
        subject = subject_of(token)
        sources = resolver.actors(subject)
        if not sources and subject is not None:
            sources = located(subject, token, resolver,
                              "CVL" if chosen.code[:2] == PROTEST_ROOT else None)
        home = resolver.home_actor(subject) if not sources and \
            int(chosen.code[:2]) >= 14 else None
        sources = [home] if home is not None else sources
    code, pattern_id = chosen.code, chosen.pattern_id
    subject = None if passive else subject_of(token)
    if subject is not None and code[:2] in THEIR_DEED_ROOTS and _own_side_they(
            subject, sources, resolver):
        # "They capture representatives of local self-government", said by Ukraine's
        # president: a speaker says "we" of his own side; "they" who abduct, kill or loot
        # are the other side named before, or no one the text names
        other = resolver.other_doer(subject, frozenset(s.code for s in sources))
        if other is None:
            return None
        sources = [other]
    if code.startswith(MEETING_ROOT) and subject is not None and \
            subject.lemma_.lower() in TROOP_NOUNS:
        # "Russian forces began arriving in Belarus": troops do not visit, they deploy
        code, pattern_id = DEPLOY_CODE, f"{pattern_id}:troops"
    doer = pobj(preps["by"]) if passive and "by" in preps else subject
    if code[:2] in {"18", "19"} and not code.startswith(BOMBING_CODE) and doer is not None \
            and doer.lemma_.lower() in BOMBER_NOUNS and sources and \
            all(s.sector == "REB" for s in sources):
        # "Two suicide bombers attack a market", "a car bomber kills ten": insurgents'
        # bombing (183), not an armed assault (19x) nor, on civilians, repression
        code, pattern_id = BOMBING_CODE, f"{pattern_id}:bomber"
    weapon = _weapon_code(lexicon, doer) if code[:2] in {"18", "19"} else None
    if weapon is not None and not weapon.startswith(BOMBING_CODE) and sources and \
            all(s.sector == "REB" for s in sources) and doer is not None and \
            doer.lemma_.lower() == "bombing":
        # "a Hamas bombing killed 12": insurgents' bombing is terror (183), as the noun's
        # own row says, not an air strike
        weapon = BOMBING_CODE
    if weapon is not None:
        # "a Rapid Support Forces missile strike kills ten civilians", "Russian shelling
        # wounds five": the killing is the strike, an act of that weapon (194 artillery,
        # 195 air or missile) and an attack whoever it hits, not repression
        code, pattern_id = weapon, f"{pattern_id}:weapon"
    if len(sources) >= 2 and any(is_each_other(o) for o in [*objects, *preps.values()]):
        # "Both sides blamed each other": every party acts on the others
        reading = read_modality(token, lexicon.modality, question)
        return Trigger(token, code, pattern_id, sources[:1], sources[1:],
                       reading, symmetric=True, group=True)
    targets = pattern_targets(token, chosen.target, objects, chosen.objects, preps, resolver,
                            passive)
    if patient is not None and all(t.code != patient.code for t in targets):
        # the home authority's passive act is on its own people, whatever other country
        # the sentence names ("protesters are detained in Russia for opposing the
        # invasion of Ukraine": Russians, not Ukraine)
        targets = [patient]
    if not targets and int(code[:2]) >= 15 and token.dep_ != "acl" and \
            token.lemma_.lower() in AIMING_VERBS and "down" not in particles:
        # only where the subject sends the weapon ("launched missiles aimed at"), not where
        # it acts on it ("intercepted drones aimed at Israel"); and not in a participle that
        # describes weapons ("missiles launched from Yemen targeting sites in the UAE"),
        # more often a past attack recalled than the news
        targets = aimed_targets(objects, sources, resolver)
    if (code == VISIT_CODES[1] or token.lemma_.lower() == "meet") and objects and not any(
            o.i in resolver.mentions or o.pos_ == "PROPN" or
            o.lemma_.lower() in resolver.sector_nouns or o.lemma_.lower() in COUNTERPARTS or
            any(c.i in resolver.mentions and c.dep_ in {"amod", "compound"}
                for c in o.children) for o in objects):
        # "received the allocation of assistance", "Russia meets 40 percent of Greece's
        # demand for gas": a thing received or met, no guest
        return None
    if code == ACCORD_CODE and not targets:
        return None  # "I agree with you that ...": accord with someone unnamed or a view
    if sources and targets and int(code[:2]) >= 15 and \
            {t.code for t in targets} <= {s.code for s in sources}:
        # "Russia amassing troops near the Russia-Ukraine border": force at a border is
        # aimed across it, not at one's own side
        targets = border_target(token, resolver, sources) or targets
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
    if sources and targets and int(code[:2]) >= 15 and not passive and \
            {s.code for s in sources} <= {t.code for t in targets}:
        # "They deported hundreds of thousands of Ukrainians" in a Ukrainian text: a
        # pronoun doing force to its own people is more often the other side
        other = resolver.other_doer(subject_of(token), frozenset(t.code for t in targets))
        if other is not None:
            sources = [other]
            own = {(s.code, s.sector) for s in sources}
    own_targets = targets
    targets = [t for t in targets if (t.code, t.sector) not in own]
    if not targets and sources and int(code[:2]) >= 14 and (resolver.names_an_actor(
            pobj(preps["by"]) if passive and "by" in preps else subject_of(token)) or
            all(s.kind == "domestic" for s in sources)):
        # "Police fired tear gas at protesters in Djibouti": the people acted upon at home
        aimed = [o for k, p in preps.items() if k in AIMED_PREPS and (o := pobj(p))]
        targets = home_targets([*objects, *aimed], sources, resolver)
    if not targets and code[:2] in {"02", "10"}:
        # "Greece demanded that its partners refuse ...": the demand is on the subject
        # of the demanded clause
        for child in token.children:
            if child.dep_ == "ccomp":
                targets = resolver.actors(subject_of(child))
                break
    if not targets and code[:2] in {"15", "19", "17", "18"}:
        targets = border_target(token, resolver, sources)
    # the target of a statement or a cooperative act is not in a time clause ("As soon as
    # Pelosi arrived, China announced"); that of a verbal conflict act is not in a
    # coordinated clause ("described the attack as reckless and said the UK would stand
    # up for Israel"), while its time clause often names the cause and so the target
    verbal = int(code[:2]) < 15
    conjoined = int(code[:2]) >= 10
    addressed = int(code[:2]) <= 5 and (_addressee_named(token, chosen.target, preps) or
                                        _person_addressed(token, chosen.target, resolver))
    if not targets and sources and not addressed and not (len(sources) >= 2 and (
            code.startswith(MEETING_ROOT) or token.lemma_.lower() in RECIPROCAL_VERBS)):
        # coordinated participants of a meeting or a mutual act are its parties ("the two
        # leaders discussed the situation around Ukraine" is not with Ukraine); else
        # the target of force must be what the act is done to, within its own clause
        targets = nearest_in_subtree(
            token, sources, resolver,
            venues=code[:2] in PLACE_ROOTS or code in PLACE_CODES,
            own_clause=int(code[:2]) >= 15 or code[:2] == MEETING_ROOT,
            verbal=verbal, conjoined=conjoined,
            topical=conflict_nouns(lexicon) if int(code[:2]) < 10 else frozenset(),
            spoken=int(code[:2]) <= 5,
            company=code[:2] == MEETING_ROOT and token.lemma_.lower() in TOPIC_VERBS,
            topics=int(code[:2]) <= 5,
            causes=int(code[:2]) >= 15 and token.lemma_.lower() in STRUGGLE_VERBS,
            forums=int(code[:2]) <= COOPERATION_MAX_ROOT,
            sanctions=sanction_topic(code),
            talks=code[:2] in TALK_ROOTS)
    if not targets and sources and code[:2] in SENTENCE_TARGET_ROOTS:
        # "Condemning the attack, the embassy said Russia's shelling ...": criticism
        # points at the other actor the sentence names
        targets = nearest_in_subtree(token.sent.root, sources, resolver,
                                           skip=subject_of(token), verbal=verbal,
                                           conjoined=conjoined,
                                           sanctions=sanction_topic(code))
    if not targets and sources and domestic_act(code):
        # protest and repression with no named target are domestic: protesters against
        # their own government, a government against its own people
        source = sources[0]
        targets = [Actor(source.code, "GOV" if code[:2] == "14" else "CVL",
                         "", "domestic")]
    if not targets and sources and home_act(code) and all(
            s.sector in STATE | {"JUD"} and s.code == resolver.sentence_country()
            for s in sources):
        # "Myanmar's junta pardons 2,153 prisoners", "a court convicts a former minister":
        # the people acted upon are the state's own when no other country is named
        targets = [Actor(sources[0].code, "CVL", "", "domestic")]
    if not targets and sources and code.startswith(OCCUPATION_CODE) and chosen.objects and \
            all(s.code == resolver.sentence_country() and s.sector in {"MIL", "REB"}
                for s in sources):
        # "Syrian rebels take control of the town of Saraqib": ground (a row's territory
        # object, not "seized fuel") taken by fighters (an army or rebels, not a ministry
        # "taking control of" a bank) in the one country the sentence names is taken in
        # that country (the brief: domestic events have the same country on both sides)
        targets = [Actor(sources[0].code, None, "", "domestic")]
    if not targets and sources and code[:2] in AGREEMENT_ROOTS:
        # "Kiev refused to fulfil the Minsk agreements": an act on a named agreement is
        # aimed at its other parties
        targets = agreement_parties(token, sources, resolver)
    if not targets and sources and (code[:2] in CONTEXT_TARGET_ROOTS or
                                    code in CONTEXT_TARGET_CODES):
        # a reply, a denial or a threat with no one named: aimed at the other party of
        # what the paragraph has just reported (annotators read the context too)
        other = resolver.discourse.counterpart(sources)
        targets = [other] if other is not None else []
    if not targets and sources and 18 <= int(code[:2]) <= 20:
        # "Government forces shelled the Hama countryside": a state's force on a place of
        # its own, in a sentence that names no other country
        targets = home_place(token, sources, resolver)
    if not targets and own_targets:
        targets = own_targets  # nothing better: as before (an act on oneself is no event)
    if sources and targets and int(code[:2]) >= 17 and \
            {t.code for t in targets} <= {s.code for s in sources} and \
            all(t.kind in {"located", "domestic"} for t in targets) and \
            not (code.startswith(DOMESTIC_CODES) and any(s.sector != "MIL" for s in sources)):
        # "Russian troops are killing civilians" in a Ukrainian president's speech: the
        # unnamed victims of a foreign force are the speaker's people, not the force's own;
        # but arrests, bans and repression by a state's civil arm ("the Russian authorities
        # arrested students", "the Kremlin banned newspapers") are done at home
        side = resolver.speaker_side(sources)
        targets = [side] if side is not None else targets
    pair_subject = subject_of(token) if not passive else None
    if not targets and len(sources) == 2 and int(code[:2]) <= 9 and \
            pair_subject is not None and pair_subject.i not in resolver.mentions and \
            pair_subject.pos_ in {"NOUN", "NUM"} and _stands_for_a_pair(pair_subject):
        # "The two leaders reaffirmed their commitment to ...", "Both sides welcomed the
        # progress": a subject that stands for a pair is each party towards the other
        return Trigger(token, code, pattern_id, sources[:1], sources[1:],
                       read_modality(token, lexicon.modality, question), symmetric=True,
                       group=True)
    if not targets and lexicon.modality.get(token.lemma_.lower()) == "report":
        return None  # a bare "X said" with no addressee is not an event
    if not targets and code[:2] in UNDIRECTED_ROOTS and domestic_addressee(token):
        return None  # "I ask the Government to draft measures": at home
    if int(code[:2]) <= 13 and _own_people_addressed(token, sources, resolver):
        # "Canada warns its citizens to leave Haiti", "urge their nationals to leave the
        # country": said to one's own people; the place they are told about is no party
        return None
    mutual = len(sources) >= 2 and (code.startswith(MEETING_ROOT) or
                                    token.lemma_.lower() in RECIPROCAL_VERBS)
    # a dyadic act with no one on the receiving end is more often another sense of the
    # verb ("fighting gun crime", "advance a strategy") than a real event
    emit = bool(targets) or mutual or code[:2] in UNDIRECTED_ROOTS
    reading = read_modality(token, lexicon.modality, question)
    if not emit and reading.modality == Modality.ASSERTED:
        return None
    return Trigger(token, code, pattern_id, sources, targets, reading,
                   symmetric=code.startswith(MEETING_ROOT) or
                   _mutual_with(token, sources, targets, resolver), emit=emit)


def _mutual_with(token: Token, sources: list[Actor], targets: list[Actor],
                 resolver: Resolver) -> bool:
    """ "Protesters clashed with police", "clashes with security forces": a mutual act
    (with_mutual_verbs) with its other side named after "with" is done by both sides, one
    event each way, as when both are the subject ("Thailand and Cambodia clash"; the brief:
    mutual acts of two named parties are one event per direction).  The other side is a
    target named there, or the state's own forces ("police", no country said) where the
    target is the sources' own country, named after "with" or beside the subject
    ("protesters and police clash")."""
    if not targets or token.lemma_.lower() not in WITH_MUTUAL_VERBS:
        return False
    keys = {(t.code, t.sector) for t in targets}
    home = {t.code for t in targets} <= {s.code for s in sources}
    subject = subject_of(token)
    # the object of "with" on the verb or on its object ("signed a deal with the US") and its
    # conjuncts, not their modifiers ("clashed with supporters of the army chief")
    heads = [token, *(c for c in token.children if c.dep_ == "dobj")]
    partners = [o for head in heads for prep in head.children
                if prep.dep_ == "prep" and prep.lower_ == "with"
                for o in prep.children if o.dep_ == "pobj"]
    words = [w for o in partners for w in (o, *o.conjuncts)] + \
        list(subject.conjuncts if subject is not None else ())
    # the partner's own head or its modifiers name the actor ("police", "Cambodian
    # soldiers", "an Australian group"), not a phrase it belongs to ("supporters of the army
    # chief")
    named = [w for w in words if w.i in resolver.mentions or resolver.sector_of(w) is not None
             or any(c.dep_ in {"amod", "compound"} and c.i in resolver.mentions
                    for c in w.children)]
    return any((a.code, a.sector) in keys for w in named for a in resolver.actors(w)) or (
        home and any(w.pos_ == "NOUN" and resolver.sector_of(w) in STATE for w in words))


#: roots of verbal and material cooperation (01-08): done at a forum, not with it
COOPERATION_MAX_ROOT = 8
#: meetings and talks: what an "on" or "over" names is what they are about ("a meeting on
#: the Russian offensive"); not intents or cooperation ("pledged to increase pressure on
#: Russia", "agreed on Ukraine's candidate status" are aimed at the one named)
TALK_ROOTS = frozenset({"04"})
#: roots (01-11) whose target is never the one the sanctions they talk of are aimed at
SANCTION_TOPIC_ROOT = 12


def sanction_topic(code: str) -> bool:
    """Whether a target inside what sanctions or pressure are aimed at is only the topic of
    an act with ``code`` ("insists on a ban on Russian oil" makes no demand of Russia).  An
    intention (``INTENT_ROOT``) to impose sanctions is aimed at the one they hit, as the gold
    sets code it: with 03 the rule cost gold-dev one event."""
    return int(code[:2]) < SANCTION_TOPIC_ROOT and code[:2] != INTENT_ROOT


def _against_words(verb: Token, objects: list[Token], lexicon: Lexicon) -> bool:
    """Whether the defence is against words ("defended his country against criticism",
    "against accusations from Uganda"): a noun of disapproval or accusation (root 11)
    after "against", on the verb or on its object; verbal defence (052) after all."""
    for head in [verb, *objects]:
        for prep in head.children:
            noun = pobj(prep) if prep.dep_ == "prep" and prep.lower_ == "against" else None
            if noun is not None and any(p.code[:2] in VERBAL_ATTACK_ROOTS
                                        for p in lexicon.nouns.get(noun.lemma_.lower(), ())):
                return True
    return False


def _defends_its_own(verb: Token, objects: list[Token]) -> bool:
    """Whether "defend" or "protect" is done for one's own: a reflexive object
    ("ourselves", "itself"), a homeland noun with a possessive ("their country", "our
    land"), or the purpose of an operation ("an operation to protect Donbass")."""
    for obj in objects:
        if obj.lower_.endswith(("self", "selves")) and obj.pos_ == "PRON":
            return True
        if obj.lemma_.lower() in HOMELAND_NOUNS and any(
                c.dep_ == "poss" and c.pos_ == "PRON" for c in obj.children):
            return True
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in OPERATION_NOUNS:
        return True
    # the parser often hangs "operation to protect" on the main verb: read the words
    return verb.i >= 2 and verb.nbor(-1).lower_ == "to" and \
        verb.nbor(-2).lemma_.lower() in OPERATION_NOUNS


_CONFLICT_NOUNS: dict[int, frozenset[str]] = {}


def conflict_nouns(lexicon: Lexicon) -> frozenset[str]:
    """The nouns of conflict events (roots 10-20) and of their agents ("occupiers")."""
    key = id(lexicon)
    if key not in _CONFLICT_NOUNS:
        _CONFLICT_NOUNS[key] = frozenset(
            lemma for lemma, patterns in lexicon.nouns.items()
            if int(patterns[0].code[:2]) >= 10) | _WORDS.agent_nouns
    return _CONFLICT_NOUNS[key]


def _topic_of_talk(noun: Token) -> bool:
    """Whether an event noun lies in what a verb of talking is about ("discussed the
    consequences of the invasion", "commented on the round of talks", "exchanged views
    on the situation with the recognition"): the talk's topic, reported elsewhere, not a
    new event of this sentence (a light verb's own noun, "held talks", is not a topic)."""
    node = noun
    for _ in range(6):
        head = node.head
        if head.i == node.i:
            return False
        if head.pos_ in {"VERB", "AUX"}:
            return head.lemma_.lower() in TOPIC_VERBS and not (
                node.i == noun.i and head.lemma_.lower() in SUPPORT_VERBS)
        if node.dep_ not in {"dobj", "pobj", "prep", "conj", "appos", "compound"}:
            return False
        node = head
    return False


def _governing_prep(noun: Token) -> Token | None:
    """The nearest preposition above a noun, through its conjuncts and compounds ("concerns
    about the troop build-up and deployments"); None when the noun hangs from no
    preposition ("discussed the build-up")."""
    node = noun
    for _ in range(3):
        if node.dep_ == "pobj":
            return node.head
        if node.dep_ not in {"conj", "compound"}:
            return None
        node = node.head
    return None


def _ongoing(noun: Token) -> bool:
    """Whether the noun's nearest preposition above it is one of a lasting state ("concerns
    about the build-up", "amid the deployment"), or there is none ("discussed the build-up")."""
    prep = _governing_prep(noun)
    return prep is None or prep.lower_ in ONGOING_PREPS


def _noun_modality(noun: Token, cues: dict[str, str]) -> Modality:
    """A noun's own modality: its negation, and hedging modifiers ("possible", "potential")."""
    if any(c.dep_ in {"amod", "advmod"} and cues.get(c.lemma_.lower()) == "hedge"
           for c in noun.children):
        return Modality.HYPOTHETICAL
    return own_modality(noun, cues)


def _worried_about(noun: Token, cues: dict[str, str]) -> bool:
    """Whether a noun is the object of a hedging noun ("concerns about the build-up")."""
    prep = _governing_prep(noun)
    return prep is not None and prep.lower_ in ONGOING_PREPS and \
        prep.head.pos_ == "NOUN" and cues.get(prep.head.lemma_.lower()) == "hedge"


def _advisory(verb: Token, preps: dict[str, Token], resolver: Resolver) -> bool:
    """ "warned against travel to Sudan", "advises against all trips": what is warned
    against is travelling, by no one named ("warned the United States against a visit by
    Pelosi to Taiwan" is a warning to a party)."""
    if any(c.dep_ in {"dobj", "dative"} and resolver.actors(c) for c in verb.children):
        return False
    against = preps.get("against")
    inner = pobj(against) if against is not None else None
    if inner is None and against is not None:
        inner = next((c for c in against.children if c.dep_ == "pcomp"), None)
    return inner is not None and inner.lemma_.lower() in TRAVEL_WORDS and not any(
        c.dep_ in {"poss", "prep"} and (c.lower_ == "by" or c.dep_ == "poss")
        and resolver.actors(pobj(c) if c.dep_ == "prep" else c) for c in inner.children)


def _own_people_addressed(verb: Token, sources: list[Actor], resolver: Resolver) -> bool:
    """Whether the verb's object is the sources' own people ("its citizens", "their
    nationals"): a noun of one's people that names no other actor."""
    own = {s.code for s in sources}
    for child in verb.children:
        if child.dep_ in {"dobj", "dative"} and child.lemma_.lower() in OWN_PEOPLE_NOUNS:
            if any(c.dep_ == "poss" and c.pos_ == "PRON" for c in child.children):
                return bool(own)  # "its/their citizens": the speaker's own
            named = resolver.actors(child)
            return bool(own) and all(a.code in own for a in named)
    return False


def _hazard(verb: Token, code: str, passive: bool) -> bool:
    """Whether an act of force's doer names natural or accidental harm (a noun, never a
    name: "Operation Al-Aqsa Flood", "Typhoon jets"), or the verb its participle hangs on is
    such harm ("crashes, killing"); for a state of emergency, whether its cause is ("after
    flooding", "as a result of the cold snap"; not "amid protests over economic collapse")."""
    if code.startswith(EMERGENCY_CODE):
        return any(_cause_of(t, verb) for t in verb.subtree if _hazard_noun(t))
    if passive:  # "were killed by Russian shelling": the agent, never a reporter's subject
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        return _hazard_noun(pobj(agent) if agent is not None else None)
    if _hazard_noun(_own_subject(verb)):
        return True
    head = verb.head if verb.dep_ in {"advcl", "xcomp", "conj", "acl"} and \
        verb.tag_ == "VBG" else None
    # "a bus crashes, killing 20" (read as a verb, or as the noun "crashes" it describes)
    return head is not None and (head.lemma_.lower() in HAZARD_VERBS or _hazard_noun(head)
                                 or _hazard_noun(_own_subject(head)))


def _hazard_noun(token: Token | None) -> bool:
    return token is not None and token.pos_ == "NOUN" and (
        token.lemma_.lower() in HAZARD_NOUNS or any(
            c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() in HAZARD_NOUNS
            for c in token.children))


def _own_subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in {"nsubj", "csubj"}), None)


def _cause_of(noun: Token, verb: Token) -> bool:
    """Whether a noun is reached from the verb (or its object) through prepositions only,
    the links of a cause ("after flooding", "as a result of the cold snap", "as part of an
    outbreak"), not as another noun's argument ("protests over economic collapse")."""
    node = noun
    if node.dep_ == "nsubj" and node.head.dep_ == "advcl" and node.head.head.i == verb.i:
        return True  # "after unprecedented flooding kills at least 99 people"
    for _ in range(4):
        # "following heavy storms": the parser makes "following" a preposition whose
        # object is a dobj
        if node.dep_ != "pobj" and not (node.dep_ == "dobj" and node.head.dep_ == "prep"):
            return False
        holder = node.head.head
        if holder.i == verb.i or (holder.head.i == verb.i and holder.dep_ == "dobj"):
            return True
        if holder.lemma_.lower() not in CAUSE_LINKS:
            return False
        node = holder
    return False


def _warned_consequence(verb: Token, cues: dict[str, str], resolver: Resolver) -> bool:
    """Whether the clause a verb of warning reports holds a condition ("if", "unless") or
    the warner's own side's future ("will", "would")."""
    warner = {a.code for a in resolver.actors(subject_of(verb))}
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        if any(t.dep_ == "mark" and cues.get(t.lower_) == "conditional"
               for t in clause.subtree):
            return True
        own = {a.code for a in resolver.actors(subject_of(clause))}
        if own and own <= warner and any(
                c.dep_ == "aux" and cues.get(c.lower_) in {"modal_future", "modal_hyp"}
                for c in clause.children):
            return True
    return False


def _opinion_only(verb: Token) -> bool:
    """No complement at all, or only a that-clause with no future or modal in it."""
    if any(c.dep_ in {"xcomp", "advcl", "dative"} for c in verb.children):
        return False
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        if any(c.dep_ == "aux" and c.tag_ == "MD" for c in clause.subtree) or any(
                c.lemma_.lower() == "go" and c.tag_ == "VBG" for c in clause.subtree):
            return False
    return True


def _weapon_code(lexicon: Lexicon, doer: Token | None) -> str | None:
    """The code of an act of force named by a verb's doer, when that names the weapon (an
    air strike, shelling: ``WEAPON_CODES``; a suicide or car bombing: 183x)."""
    if doer is None or (doer.pos_ not in {"NOUN", "PROPN"} and doer.tag_ != "VBG"):
        return None  # a gerund counts: the tagger reads "shelling" as a verb
    patterns = noun_patterns(lexicon, doer, doer.lemma_.lower())
    code = patterns[0].code if patterns else None
    return code if code is not None and (
        code[:3] in WEAPON_CODES or code.startswith(BOMBING_CODE)) else None


def gerund_with_sides(token: Token) -> bool:
    """A gerund standing as a noun phrase with "between X and Y" (a subject or an object,
    no subject of its own): "Fighting between Armenian and Azerbaijani forces continued"."""
    return token.tag_ == "VBG" and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"} and \
        any(c.dep_ == "prep" and c.lower_ == "between" for c in token.children) and \
        not any(c.dep_ in {"nsubj", "nsubjpass"} for c in token.children)


def noun_patterns(lexicon: Lexicon, token: Token, lemma: str) -> tuple[NounPattern, ...]:
    """Patterns for an event noun; a two-word entry ("hunger strike", "air strike")
    beats the head noun alone."""
    nouns = lexicon.nouns
    for child in token.children:
        if child.dep_ in {"compound", "amod"}:
            pair = nouns.get(f"{child.lemma_.lower()} {lemma}")
            if pair:
                return pair
    return nouns.get(lemma) or nouns.get(token.lower_) or ()


def _one_person(subject: Token | None, resolver: Resolver) -> bool:
    """Whether a subject is one person the dictionaries do not know as an actor: "he",
    "she", "then-Staff Sergeant Plumlee".  Such a person deploying, with no troops as the
    object, is a soldier posted in a biography or a citation ("He has deployed five times
    to Iraq and Somalia"), not a state's force posture; a leader deploying troops names
    them ("He deployed 3,000 troops to Poland")."""
    if subject is None:
        return False
    if subject.pos_ == "PRON":
        return subject.lower_ in PERSON_PRONOUNS
    return subject.pos_ == "PROPN" and subject.tag_ == "NNP" and \
        subject.i not in resolver.mentions and resolver.resolve(subject) is None


def noun_trigger(
    lexicon: Lexicon, token: Token, patterns: tuple[NounPattern, ...], resolver: Resolver,
    question: bool,
) -> Trigger | None:
    pattern = patterns[0]
    if token.dep_ == "compound" and \
            f"{token.lemma_.lower()} {token.head.lemma_.lower()}" in resolver.sector_nouns:
        return None  # "riot police" (a sector noun of two words): people, no act
    acting = "self" in pattern.source
    if pattern.code.startswith(MEETING_ROOT) and audience(token):
        return None  # "said during a meeting with media representatives": no party
    # a build-up of forces is a state that lasts while it is talked of: "discussed their
    # concerns about Russia's build-up around Ukraine" asserts it (annotators code it), as
    # talk about a past act or "after the attack" does not
    lasting = pattern.code.startswith(DEPLOY_CODE) and _ongoing(token)
    if not acting and is_reference(token) and not lasting:
        return None
    if not acting and _topic_of_talk(token) and not lasting:
        return None  # "exchanged views on the situation with Russia's recognition of ..."
    light = governing_verb(token)
    if light is not None and background_clause(light):
        return None  # "since Russia launched its war eight years ago"
    if light is not None and standing(token, light):
        return None  # "The United States has sanctions in place against the Taliban"
    if pattern.code.startswith(DEPLOY_CODE) and light is not None and \
            light.lemma_.lower() == "have" and _one_person(subject_of(light), resolver):
        return None  # "She has numerous overseas deployments": a soldier's record
    preps = {c.lower_: c for c in token.children if c.dep_ == "prep"}
    support = support_verb(token)
    if support is not None:
        # "made incursions into its zone", "clashes began between X and Y": the parser
        # often hangs the noun's preposition on the light verb
        for c in support.children:
            if c.dep_ == "prep" and c.lower_ not in ADJUNCT_PREPS:
                preps.setdefault(c.lower_, c)
    between = preps.get("between")
    if "between" in pattern.source and between is not None:
        inner = pobj(between)
        sides = resolver.actors(inner)
        if inner is not None and is_pair(inner) and int(pattern.code[:2]) >= 10:
            # "the war between the two countries" is background far more often than
            # news; talks "between the two countries" are news
            sides = []
        if len(sides) < 2 and inner is not None and not is_pair(inner):
            # "clashes between police and protesters in Gyumri, Armenia"
            sides = home_sides(inner, resolver)
        if len(sides) >= 2:
            reading = read_modality(token, lexicon.modality, question)
            return Trigger(token, pattern.code, pattern.pattern_id, sides[:1], sides[1:],
                           reading, symmetric=True, group=True)
    if "between" in pattern.source and 18 <= int(pattern.code[:2]) <= 20 and \
            not is_background(token):
        # "six soldiers and ten militants are killed in a shootout": the casualties (and
        # whom the fight was with) are its sides, each acting on the other
        sides = casualty_sides(token, preps, resolver)
        if sides:
            return Trigger(token, pattern.code, pattern.pattern_id, sides[:1], sides[1:],
                           read_modality(token, lexicon.modality, question), symmetric=True,
                           group=True)
    sources: list[Actor] = []
    for spec in pattern.source:
        sources = noun_as_actor(lexicon, token, resolver) if spec == "self" else \
            by_spec(token, spec, preps, resolver)
        if sources:
            break
    if not sources and (18 <= int(pattern.code[:2]) <= 20 or pattern.code[:2] == POSTURE_ROOT) \
            and not pattern.code.startswith(OCCUPATION_CODE):
        # "Israeli airstrikes", "the Russian military build-up", "Chinese drills": the
        # adjective of an act or posture of force is who strikes or deploys (of a
        # crackdown it is more often the victim: "the Uyghur crackdown")
        sources = adjective_actor(token, pattern.source, resolver, "MIL")
    if not sources and pattern.code[:2] == PROTEST_ROOT and not (
            acting and token.dep_ == "nsubj" and any(
                p.code[:2] == PROTEST_ROOT
                for p in lexicon.verbs.get(token.head.lemma_.lower(), ()))):
        # "protests across Iran", "Thai protests", "an anti-lockdown rally in Rotterdam":
        # the people of the place protest (protesters acted upon there too: annotators
        # record their protest beside the police's act; "protesters rallied in Atlanta":
        # the protest verb tells it)
        sources = protest_place(token, pattern.source, resolver)
    if not sources and pattern.code.startswith(BOMBING_CODE) and \
            (token.lemma_.lower() not in resolver.weapons or token.dep_ == "compound" or
             any(c.lower_ in DOER_MODIFIERS for c in token.children)):
        # "a suicide bombing in Kunduz, Afghanistan": bombers are insurgents of the place,
        # their victims its people.  Not a device with no one named ("a car bomb explodes
        # in Mogadishu"; "a car bomb attack" is an act, "a suicide car bomb" has its bomber):
        # the brief codes no event for an actor it cannot resolve, and on the training
        # annotations such bombs were 2 right of 10 (session 22)
        sources = protest_place(token, pattern.source, resolver, "REB")
        if sources:
            return Trigger(token, pattern.code, pattern.pattern_id, sources,
                           [Actor(sources[0].code, "CVL", "", "domestic")],
                           read_modality(token, lexicon.modality, question)) \
                if not is_background(token) else None
    if "self" in pattern.source and not sources:
        return None  # protesters acted upon ("police dispersed protesters") protest no more
    governor = governing_verb(token)
    if not sources and governor is not None and (
        governor.lemma_.lower() in SUPPORT_VERBS or pattern.code.startswith(MEETING_ROOT)
    ):
        # "Russia held talks with Ukraine", "Blinken told Lavrov in talks": the noun
        # belongs to a verb whose subject is the actor
        sources = resolver.actors(subject_of(governor))
    targets: list[Actor] = []
    for spec in pattern.target:
        targets = by_spec(token, spec, preps, resolver)
        if targets and not all_same(sources, targets):
            break
        targets = []
    reading = read_modality(token, lexicon.modality, question)
    if lasting and _worried_about(token, lexicon.modality):
        # "discussed concerns about Russia's build-up": the worry hedges what may come of
        # it, not the build-up, which is there whoever worries; only the noun's own words
        # ("possible deployments", "no build-up") say otherwise
        reading = ModalityReading(_noun_modality(token, lexicon.modality))
    if not targets and governor is not None and governor.lemma_.lower() not in {
        "hold", "have", "launch", "conduct", "stage"
    }:
        targets = [t for t in addressee(governor, resolver, skip=token)
                   if not all_same(sources, [t])]
    if not targets and sources:
        # "held negotiations in Vienna", "a meeting in Brussels": where, not with whom
        targets = nearest_in_subtree(
            token, sources, resolver,
            venues=pattern.code[:2] in PLACE_ROOTS or pattern.code in PLACE_CODES,
            forums=int(pattern.code[:2]) <= COOPERATION_MAX_ROOT,
            # "a meeting on the Russian offensive": what the talk is about
            topics=pattern.code[:2] in TALK_ROOTS, talks=pattern.code[:2] in TALK_ROOTS)
    if not sources and reading.reported_by is not None and 10 <= int(pattern.code[:2]) < 15:
        # "Moscow told Kiev that ... amounted to a direct threat": the threat is the
        # speaker's, addressed to whoever was told
        sources = resolver.actors(subject_of(reading.reported_by))
        if sources and (not targets or all_same(sources, targets)):
            targets = addressee(reading.reported_by, resolver)
    group = False
    if not targets and len(sources) >= 2 and pattern.code.startswith(MEETING_ROOT):
        sources, targets = sources[:1], sources[1:]  # "In a phone call, X and Y agreed"
        group = True
    if is_background(token):
        return None  # "Russia's 2014 annexation of Crimea": history, not news
    if not sources and pattern.code.startswith(REPRESSION_CODE):
        # "a violent crackdown against protesters in Cairo", "a crackdown on demonstrators
        # in Minsk, Belarus": a crackdown with no one named as its author is the state's
        # on its own people (as the brief codes repression)
        if not targets:
            home = [resolver.home_actor(pobj(preps.get(spec[5:])))
                    for spec in pattern.target if spec.startswith("prep:")]
            targets = [h for h in home if h is not None][:1]
        if targets and all(t.code == targets[0].code and t.sector in NON_STATE - {"REB"}
                           for t in targets) and \
                targets[0].code in {resolver.sentence_country(), act_country(token, resolver)}:
            # only where it happens: "a crackdown on Afghan refugees in Karachi, Pakistan"
            # is no crackdown by Afghanistan
            sources = [Actor(targets[0].code, "GOV", "", "domestic")]
    if sources and not targets and domestic_act(pattern.code):
        targets = [Actor(sources[0].code, "GOV" if pattern.code[:2] == "14" else "CVL",
                         "", "domestic")]  # a hunger strike, a crackdown: at home
    if not sources or not targets:
        # "Russia's veto", "the meeting": without a target an event noun is usually a
        # reference to something reported elsewhere, not an event of this sentence
        return None
    return Trigger(token, pattern.code, pattern.pattern_id, sources, targets, reading,
                   symmetric=pattern.code.startswith(MEETING_ROOT) or
                   _mutual_with(token, sources, targets, resolver), group=group)


def _addressee_named(token: Token, specs: tuple[str, ...], preps: dict[str, Token]) -> bool:
    """Whether the slot an appeal names its addressee in ("called on X") is filled by words
    that name no actor ("called on other democracies to help Ukraine fight Russia"): the
    appeal is made to them, so an actor further down is what is asked for, not its
    target."""
    for spec in specs:
        prep = preps.get(spec[5:]) if spec.startswith("prep:") else None
        if prep is not None and prep.lower_ in APPEAL_PREPS and prep.head.i == token.i:
            inner = pobj(prep)
            if inner is not None and inner.pos_ in {"NOUN", "PRON"}:
                return True
    return False


def _own_side_they(subject: Token, sources: list[Actor], resolver: Resolver) -> bool:
    """Whether a group pronoun subject ("they") was read as the country the text's voice
    speaks for."""
    speaker = resolver.discourse.speaker
    return speaker is not None and subject.lower_ in THEY_PRONOUNS and \
        subject.i not in resolver.mentions and bool(sources) and \
        all(s.code == speaker.code for s in sources)


def _person_addressed(token: Token, specs: tuple[str, ...], resolver: Resolver) -> bool:
    """Whether the object slot of a verbal act is a person no dictionary knows ("assured
    Kuninori Matsuda that ... ready to resist Russian aggression", "informed his colleagues
    about the concentration of Russian troops", "assured him"): the act is addressed to
    them, and an actor further down is what was said, not whom it was said to."""
    slots = {spec for spec in specs if spec in {"dobj", "dative"}}
    for child in token.children:
        if child.dep_ not in slots or child.i in resolver.mentions:
            continue
        if child.lower_ in ADDRESSEE_PRONOUNS:
            # a pronoun read as the acting country itself is a misreading, not an addressee
            return not resolver.actors(child)
        if child.pos_ == "PROPN" or child.lemma_.lower() in PERSON_NOUNS:
            return True
    return False


def _stands_for_a_pair(subject: Token) -> bool:
    """ "Both sides", "the two leaders", "the presidents": a subject that is the pair itself,
    not people of two named countries ("officials from France and Germany")."""
    if any(c.dep_ == "prep" and c.lower_ in ORIGIN_PREPS for c in subject.children):
        return False
    lemma = subject.lemma_.lower()
    return subject.pos_ == "NUM" or lemma in PAIR_NOUNS or lemma in READOUT_NOUNS or \
        any(c.lower_ in PAIR_DETERMINERS for c in subject.children)


def pair_subjects(trig: Trigger) -> Trigger:
    """ "Erdogan and Putin agreed to hold talks": a meeting among coordinated subjects."""
    reciprocal = trig.token.lemma_.lower() in RECIPROCAL_VERBS
    if trig.code.startswith(VISIT_CODES):
        return trig  # "the Polish and Lithuanian leaders arrived": co-visitors, not hosts
    if (trig.symmetric or reciprocal) and not trig.targets and len(trig.sources) >= 2:
        return Trigger(trig.token, trig.code, trig.pattern, trig.sources[:1], trig.sources[1:],
                       trig.reading, trig.symmetric or reciprocal, True, group=True)
    return trig
