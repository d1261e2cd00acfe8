"""Derived events: what an intention, a refusal, a disavowal or a demand makes of an act.

"threatened to invade" is a threat (13x), "agreed to meet" an intention (03x), "will not
meet", said by the one who would meet, a rejection, "has no plan to use force" a denial
(016), "X said Y must ..." a demand by X of Y.  These read the modality cue that governs a
trigger (or the sentence's reporting verbs) and give events of their own.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.rules.actors import Resolver
from foreshock.extract.rules.clauses import governing_verb, subject_of
from foreshock.extract.rules.codes import DEMAND_CODE, DENIAL_CODE, DISAVOWED_ROOT
from foreshock.extract.rules.modality import conditioned, read_modality
from foreshock.extract.rules.triggers import RECIPROCAL_VERBS, Trigger
from foreshock.ontology.function_words import function_words
from foreshock.ontology.lexicons import Lexicon
from foreshock.records import Modality

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

THREAT_CUES = _WORDS.threat_verbs
PLEDGE_STRUGGLE_VERBS = _WORDS.pledge_struggle_verbs
#: "Russia's side", "Serbia's leadership": possessed nouns that stand for the party itself
PARTY_NOUNS = _WORDS.pair_nouns | _WORDS.readout_nouns
#: intentions told as one's own future act: "will give" ("announce") or a headline's "X to
#: give" ("plan")
ANNOUNCED = frozenset({"announce", "plan"})


def demand_events(lexicon: Lexicon, doc: Doc, resolver: Resolver) -> list[Candidate]:
    """ "Russia said Sudan must return the helicopter": Russia demands of Sudan, whatever
    the demanded act is (it need not be in the lexicon)."""
    cues = lexicon.modality
    out: list[Candidate] = []
    for verb in doc:
        if verb.dep_ != "ccomp" or not any(
            c.dep_ == "aux" and cues.get(c.lower_) == "obligation" for c in verb.children
        ):
            continue
        speaker_verb = verb.head
        if cues.get(speaker_verb.lemma_.lower()) != "report":
            continue
        speakers = resolver.actors(subject_of(speaker_verb))
        obliged_subject = subject_of(verb)
        if obliged_subject is not None and \
                _possessed_thing(obliged_subject, resolver, lexicon):
            # "Restricting Russia's access to funds should weaken its readiness": a thing
            # of Russia's is obliged to nothing; its owner is no one a demand is made of
            continue
        obliged = resolver.actors(obliged_subject)
        reading = read_modality(speaker_verb, cues, False)
        start = speaker_verb.idx - doc[0].idx
        out += [Candidate(DEMAND_CODE, speaker, target, reading.modality, "demand:must",
                          start, start + len(speaker_verb.text), speaker_verb.text)
                for speaker in speakers for target in obliged
                if target.code != speaker.code]
    return out


def _possessed_thing(noun: Token, resolver: Resolver, lexicon: Lexicon) -> bool:
    """A noun that names no party itself, only its owner ("Iran's access"), unlike "the
    Russian side", "Iran's forces", "Serbia's leadership" (nouns that stand for a party)
    or "Israel's attacks" (an act of the owner's, which the demand is made of)."""
    children = list(noun.children)
    lemma = noun.lemma_.lower()
    if lemma in PARTY_NOUNS or lemma in lexicon.nouns:
        return False
    return noun.pos_ in {"NOUN", "PROPN"} and noun.i not in resolver.mentions and \
        resolver.sector_of(noun) is None and any(c.dep_ == "poss" for c in children) and \
        not any(c.dep_ in {"amod", "compound"} and c.i in resolver.mentions
                for c in children)


def intent_events(
    lexicon: Lexicon, trig: Trigger, cue: Token, resolver: Resolver, question: bool
) -> list[Candidate]:
    root = int(trig.code[:2])
    kind = trig.reading.intent_kind
    if kind == "refuse":
        return refusal_events(lexicon, trig, cue, resolver)
    if kind == "disavow":
        return disavowal_events(lexicon, trig, cue, resolver, question)
    if root >= 10 and kind != "pledge" and not (
        kind == "announce" and root >= 15 and own_word(lexicon, trig, resolver)
    ) and not (kind == "plan" and root >= 15 and conditioned(trig.token, lexicon.modality)):
        # "Washington would increase costs on Iran", said by Washington, is a threat; the
        # same future told by someone else is a forecast, and plans are often alleged; a
        # headline's plan of force ("Russia to conduct missile tests") is the paper's word,
        # a threat only with its condition ("Britain to impose sanctions if Russia invades")
        return []
    code = lexicon.intent_code(trig.code)
    if code is None:
        return []
    if code.startswith("03") and cue.lemma_.lower() in THREAT_CUES:
        code = "130"  # "threatened to deliver blows": whatever is delivered, it is a threat
    subject = subject_of(cue)
    outlet = resolver.discourse.speaker
    if kind in ANNOUNCED and outlet is not None and trig.reading.reported_by is None and \
            all(s.code != outlet.code for s in trig.sources):
        # "They will supply weapons to Ukraine" in a speech: the speaker's forecast about
        # another party, not an intention that party announced
        return []
    if kind in ANNOUNCED and subject is not None and subject.pos_ in {"NOUN", "PROPN"} and \
            subject.lemma_.lower() in lexicon.nouns and subject.i not in resolver.mentions:
        return []  # "the Russian invasion will destroy more families": a forecast, no threat
    sources = resolver.actors(subject) or trig.sources
    if not trig.targets and trig.token.lemma_.lower() in PLEDGE_STRUGGLE_VERBS and \
            sources and all(s.kind == "speaker" or (outlet is not None and s.code == outlet.code)
                            for s in sources):
        # "We will defend our land", "we shall fight in the air": a rallying cry in the
        # speaker's own voice, with no one it is aimed at, is no threat nor an intent; so is
        # the outlet's own country named ("Ukraine will continue to fight" in Zelenskyy's
        # releases was 1384 three times on session 6's final sheet)
        return []
    reading = read_modality(cue, lexicon.modality, question, consequent=False)
    modality = reading.modality
    if kind in ANNOUNCED and modality == Modality.FUTURE:
        modality = Modality.ASSERTED  # "will give": the announcement is made now
    start = cue.idx - cue.doc[0].idx
    targets: list[Actor | None] = list(trig.targets) or [None]
    if not trig.targets and len(sources) >= 2 and cue.lemma_.lower() in RECIPROCAL_VERBS:
        # "Armenia and Azerbaijan have agreed to extend the ceasefire": each intends it
        # towards the other
        targets = list(sources)
    elif not trig.targets and not (kind == "intent" and cue.lemma_.lower() == "ready"):
        # "will help create jobs", "stands ready to provide any necessary assistance", "I
        # want to discuss this matter": an intention with no one it is aimed at is policy
        # talk, not an event (on the training annotations 1 of 24 announced ones was right,
        # session 5; of every kind, 2 of 38, session 24); the act itself keeps its reading
        return []
    pairs: list[tuple[Actor, Actor | None]] = [
        (source, target) for source in sources for target in targets
        if target is None or target.code != source.code]
    if trig.symmetric:  # "X and Y agreed to meet": both intend it
        pairs += [(t, s) for s, t in pairs
                  if t is not None and t in sources and (t, s) not in pairs]
    return [Candidate(code, source, target, modality, f"intent:{trig.pattern}", start,
                      start + len(cue.text), cue.text) for source, target in pairs]


def disavowal_events(
    lexicon: Lexicon, trig: Trigger, cue: Token, resolver: Resolver, question: bool
) -> list[Candidate]:
    """ "Beijing has no plan to use force against Taiwan": denying an intention to act
    against someone is a denial (016) aimed at them; the act stays negated."""
    if int(trig.code[:2]) < DISAVOWED_ROOT:
        return []
    reading = read_modality(cue, lexicon.modality, question)
    modality = Modality.ASSERTED if reading.modality == Modality.NEGATED else \
        reading.modality
    subject = subject_of(cue)
    if subject is None and cue.pos_ == "NOUN":  # "Beijing has no plan": the haver
        governor = governing_verb(cue)
        subject = subject_of(governor) if governor is not None else None
    sources = resolver.actors(subject) or trig.sources
    start = cue.idx - cue.doc[0].idx
    targets: list[Actor | None] = list(trig.targets) or [None]
    return [Candidate(DENIAL_CODE, source, target, modality, f"disavow:{trig.pattern}",
                      start, start + len(cue.text), cue.text)
            for source in sources for target in targets
            if target is None or target.code != source.code]


def refusal_events(
    lexicon: Lexicon, trig: Trigger, cue: Token, resolver: Resolver
) -> list[Candidate]:
    code = lexicon.refusal_code(trig.code)
    if code is None or not own_word(lexicon, trig, resolver) or not trig.targets:
        # "we will never forgive those who ...": a rejection needs someone rejected (12x
        # is no root that stands without a target)
        return []
    start = cue.idx - cue.doc[0].idx
    targets: list[Actor | None] = list(trig.targets) or [None]
    return [Candidate(code, source, target, Modality.ASSERTED, f"refuse:{trig.pattern}",
                      start, start + len(cue.text), cue.text)
            for source in trig.sources for target in targets
            if target is None or target.code != source.code]


def own_word(lexicon: Lexicon, trig: Trigger, resolver: Resolver) -> bool:
    """Whether every reporting verb of the sentence has a source of ``trig`` as speaker
    (or there is none): a threat is made by the one who will act."""
    own = {s.code for s in trig.sources}
    cues = lexicon.modality
    reporters = [t for t in trig.token.sent if t.i != trig.token.i and (
        t == trig.reading.reported_by or (t.dep_ in {"ROOT", "parataxis"} and
                                          cues.get(t.lemma_.lower()) == "report"))]
    for verb in reporters:
        speakers = resolver.actors(subject_of(verb))
        if not any(s.code in own for s in speakers):
            return False
    return bool(own)
