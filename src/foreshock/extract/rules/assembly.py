"""Assembly: a sentence's triggers into its candidate events.

Derived events (intentions, demands) come first and replace the bare act they were derived
from; then each trigger gives one event per source and target (both directions for a
meeting, every pair for a coordinated group), minus consequences of another act of force and
nouns whose verb already tells the event.  Force by a state on its own civilians becomes
repression; a place stands for its country only for some roots; one event is kept per
source, target, root and modality, the most specific code.
"""

from __future__ import annotations

from spacy.tokens import Doc

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.rules.actors import CROWD_NOUNS, Resolver
from foreshock.extract.rules.clauses import subject_of
from foreshock.extract.rules.codes import (
    HEAVY_FORCE,
    PLACE_CODES,
    PLACE_ROOTS,
    PROTEST_ROOT,
    REPRESSION_CODE,
    RIOT_CODE,
    STATE,
    VISIT_CODES,
)
from foreshock.extract.rules.derived import demand_events, intent_events
from foreshock.extract.rules.triggers import Trigger
from foreshock.ontology.lexicons import Lexicon
from foreshock.records import Modality


def assemble(
    lexicon: Lexicon, triggers: list[Trigger], resolver: Resolver, question: bool, sentence: Doc
) -> list[Candidate]:
    out: list[Candidate] = []
    derived_from: set[int] = set()
    for trig in triggers:
        cue = trig.reading.intent_cue
        if cue is None:
            continue
        intent = intent_events(lexicon, trig, cue, resolver, question)
        if intent:
            if cue.i != trig.token.i:
                derived_from.add(cue.i)
            out.extend(intent)
    out.extend(demand_events(lexicon, sentence, resolver))
    verbs = {t.token.i: t.code for t in triggers if t.token.pos_ in {"VERB", "AUX"}}
    for trig in triggers:
        if trig.token.i in derived_from or not trig.emit:
            continue  # "threatened to invade": the derived 13x replaces the bare 130
        if _consequence(trig, triggers):
            continue  # "began air strikes on Gaza, destroying buildings": one attack
        if _in_instrument(trig, triggers):
            continue  # "were killed in an Israeli airstrike on Gaza": the strike says it
        if trig.token.pos_ not in {"VERB", "AUX"} and trig.token.dep_ in {
            "dobj", "nsubjpass"
        } and trig.token.head.i in verbs and not (
            # "police broke up a protest": the protest was held, an event of its own
            trig.code[:2] == PROTEST_ROOT and trig.token.lemma_.lower() in CROWD_NOUNS and
            _force_on_crowd(verbs[trig.token.head.i])
        ):
            continue  # "imposed sanctions", "suspended dialogue": the verb event says it
        reported = None
        if trig.reading.reported_by is not None:
            speaker = resolver.actors(subject_of(trig.reading.reported_by))
            reported = speaker[0].code if speaker else None
        for source in trig.sources:
            targets: list[Actor | None] = list(trig.targets) or [None]
            for target in targets:
                if target is not None and (target.code, target.sector) == (
                    source.code, source.sector
                ):
                    continue
                if target is not None and source.with_itself(target) and \
                        trig.code[:2] in {"01", "02", "03", "04", "05"}:
                    # a country talking to itself is no international event (its army and
                    # rebels agreeing to a truce are two sides: "The SAF and the RSF agreed
                    # to a ceasefire")
                    continue
                out.append(_candidate(trig, trig.code, source, target,
                                      trig.reading.modality, reported))
                if trig.symmetric and target is not None:
                    out.append(_candidate(trig, reverse_code(trig.code), target, source,
                                          trig.reading.modality, reported))
        if trig.symmetric and trig.group and len(trig.sources) + len(trig.targets) > 2:
            for a, b in _all_pairs(trig):
                out += [_candidate(trig, trig.code, a, b, trig.reading.modality, reported),
                        _candidate(trig, reverse_code(trig.code), b, a,
                                   trig.reading.modality, reported)]
    return _dedupe([c for c in out if _place_ok(c)])


def _force_on_crowd(code: str) -> bool:
    """Whether a verb's act on a gathering is force on people who met ("broke up a protest",
    "fired upon a crowd": 175, 18-20), not a ban on one that may never meet (172x)."""
    return code.startswith(REPRESSION_CODE) or code[:2] in {"18", "19", "20"}


def reverse_code(code: str) -> str:
    """The code of a meeting seen from its other side: both sides of talks consult (04x),
    but the host of a visit hosts it (043) while the visitor makes it (042)."""
    return VISIT_CODES[1] if code == VISIT_CODES[0] else \
        VISIT_CODES[0] if code == VISIT_CODES[1] else code


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


def _in_instrument(trig: Trigger, triggers: list[Trigger]) -> bool:
    """A passive act of force that happened in or by another act of force between the same
    parties ("three were killed in an Israeli airstrike on Gaza") is that act."""
    token = trig.token
    if token.pos_ not in {"VERB", "AUX"} or int(trig.code[:2]) < 18:
        return False
    pairs = {(s.code, t.code) for s in trig.sources for t in trig.targets}
    for other in triggers:
        noun = other.token
        if other is trig or int(other.code[:2]) < 18 or noun.dep_ != "pobj" or \
                noun.head.head.i != token.i or noun.head.dep_ not in {"prep", "agent"}:
            continue
        if pairs and pairs <= {(s.code, t.code) for s in other.sources for t in other.targets}:
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
    elif target is not None and target.code == source.code and source.sector == "CVL" and \
            target.sector in STATE and code[:2] in {"18", "19"} and \
            code[:3] not in HEAVY_FORCE:
        # protesters clashing with their own police: CAMEO's violent protest, a riot (145)
        code = RIOT_CODE
    return Candidate(code, source, target, modality, trig.pattern, start,
                     start + len(trig.token.text), trig.token.text, reported)


def _all_pairs(trig: Trigger) -> list[tuple[Actor, Actor]]:
    """ "The US, Russia and Switzerland met": every pair of participants, once."""
    people = [*trig.sources, *[t for t in trig.targets if t not in trig.sources]]
    return [(a, b) for i, a in enumerate(people) for b in people[i + 1:]]


def _place_ok(cand: Candidate) -> bool:
    if cand.code[:2] in PLACE_ROOTS or cand.code in PLACE_CODES:
        return True
    return cand.source.kind != "place" and (cand.target is None or cand.target.kind != "place")


def _dedupe(candidates: list[Candidate]) -> list[Candidate]:
    """One event per (source, target, root, modality), keeping the most specific code: two
    verbs for one act ("used tear gas to disperse") are one event.  Distinct acts of force
    ("took control ... after shelling it": 192 and 194) stay apart, and so do the two ways
    of a country's army and rebels."""
    best: dict[tuple[str, str | None, str, Modality, str | None], Candidate] = {}
    for cand in candidates:
        kind = cand.code[:3] if cand.code[:2] in {"17", "18", "19", "20"} else cand.code[:2]
        # an army and rebels of one country are two sides, each way one event, as two
        # countries are ("fighting between the army and the RSF": both fight)
        way = cand.source.sector if cand.target is not None and \
            cand.source.code == cand.target.code and \
            not cand.source.with_itself(cand.target) else None
        key = (cand.source.code, cand.target.code if cand.target else None, kind,
               cand.modality, way)
        kept = best.get(key)
        # a riot (145) is what a clash of protesters with police was, not a plain protest
        riot = kind == "14" and cand.code.startswith("145") and kept is not None and \
            not kept.code.startswith("145")
        if kept is None or len(cand.code) > len(kept.code) or riot:
            best[key] = cand
    # beside an army-rebels event, the same act with one of them named again by another
    # sector ("the RSF attacked the army and the police") is that act, one event as before
    armed = {key[:4] for key in best if key[4] is not None}
    best = {key: cand for key, cand in best.items()
            if key[4] is not None or key[0] != key[1] or key[:4] not in armed}
    # a target-less event is redundant beside the same source/root with a target
    with_target = {(c.source.code, c.code[:2], c.modality) for c in best.values() if c.target}
    return [c for c in best.values()
            if c.target is not None or (c.source.code, c.code[:2], c.modality) not in with_target]
