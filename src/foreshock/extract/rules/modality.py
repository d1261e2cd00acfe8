"""Modality of a trigger: asserted, negated, hypothetical or future; and who reported it.

The trigger's own negation and modal auxiliaries count first; then the path from the trigger
up to the root is read for governing cues (a denial, a warning *against*, an intention, a
condition, a report).  Conjunct edges are crossed without reading the head's cue, because
"Moscow denied X and accuses NATO" does not deny the accusation.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from foreshock.extract.rules.clauses import intention_of, thanked_for
from foreshock.ontology.function_words import function_words
from foreshock.records import Modality

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

#: subjects whose negating determiner or "neither" negates their verb
SUBJECT_NEGATION_DEPS = frozenset({"nsubj", "nsubjpass"})
#: "during talks": an occasion that shares the time of the act it frames
OCCASION_PREPS = _WORDS.occasion_preps
#: "neither" before coordinated subjects (not "no": "no fewer than", "no one else but")
SUBJECT_NEGATORS = _WORDS.subject_negators
#: which modality wins when several cues apply
RANK = {Modality.ASSERTED: 0, Modality.FUTURE: 1, Modality.HYPOTHETICAL: 2, Modality.NEGATED: 3}
#: edges through which a governor's own negation or modal reaches the trigger; subjects
#: included: "incursions by Russia would trigger sanctions" leaves the incursions hypothetical
INHERIT_EDGES = frozenset({"xcomp", "ccomp", "pcomp", "acomp", "dobj", "pobj", "prep", "nsubj",
                           "nsubjpass", "attr", "csubj"})
#: prepositions that set the scene (time, place, occasion) rather than complete a verb
ADJUNCT_PREPS = _WORDS.scene_preps
COURTESY = _WORDS.courtesy_verbs
PERFORMATIVE = _WORDS.performative_verbs
#: "without revealing details": the act is not done
PRIVATIVE = _WORDS.privative_preps
FINITE = frozenset({"VBZ", "VBD", "VBP", "MD"})
#: a headline in title case makes nouns proper ("Plan to Seize")
NOUNS = frozenset({"NOUN", "PROPN"})
#: "in the event of an invasion", "in case of attack": a condition put as a noun
CONDITION_NOUNS = _WORDS.condition_nouns
CLAUSE_EDGES = frozenset({"xcomp", "ccomp", "advcl", "pcomp", "pobj", "dobj", "acomp", "prep",
                          "nsubj", "nsubjpass", "attr", "oprd", "acl", "csubj", "relcl",
                          "compound", "amod", "npadvmod", "appos", "dep", "parataxis"})


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: Modality
    reported_by: Token | None = None
    intent_cue: Token | None = None  # the intention/pledge word directly governing the trigger
    #: "intent" (plans, readiness), "pledge" (vows, threats), "announce" (the actor's own
    #: "will": "Washington will impose costs"), "refuse" (its own "will not") or "disavow"
    #: ("has no plan to", "does not intend to"), or "plan" (a headline's "X to do Y")
    intent_kind: str = ""
    obliged: bool = False  # "Y must withdraw": with a speaker, a demand on Y


def _child_prep(trigger: Token, governor: Token) -> str:
    """The preposition through which ``trigger`` hangs from ``governor``, if any."""
    node = trigger
    while node.head.i != node.i and node.head.i != governor.i:
        node = node.head
    return node.lower_ if node.dep_ == "prep" else ""


def node_below(trigger: Token, parent: Token) -> Token:
    """The node on the path from ``trigger`` that hangs from ``parent``."""
    node = trigger
    while node.head.i != parent.i and node.head.i != node.i:
        node = node.head
    return node


def _has_own_subject(clause: Token) -> bool:
    return any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in clause.children)


def _content_relative(clause: Token) -> bool:
    """ "a scenario where Putin invades Ukraine": a relative clause that spells out the
    noun's content (where, when, in which), not one that says more about it."""
    return any(c.dep_ == "advmod" and c.lower_ in {"where", "when", "whereby"}
               for c in clause.children)


def _negated_noun(noun: Token, cues: dict[str, str]) -> bool:
    """ "no plan", "no intention", "does not have any plans"."""
    if any(c.dep_ == "det" and cues.get(c.lower_) == "negation" for c in noun.children):
        return True
    head = noun.head
    return noun.dep_ in {"dobj", "attr"} and head.pos_ in {"VERB", "AUX"} and any(
        c.dep_ == "neg" for c in head.children)


def _conditional_consequent(trigger: Token, cues: dict[str, str]) -> bool:
    """ "If you continue to pay Russia, it is only a matter of time before Russian troops
    cross the borders": a clause (or one above it) with an if-clause of its own is the
    consequent of a condition, as hypothetical as the condition."""
    path = [trigger, *trigger.ancestors]
    on_path = {t.i for t in path}
    for node in path:
        for child in node.children:
            if child.i in on_path or child.dep_ != "advcl":
                continue
            if child.i < trigger.i and any(
                    m.dep_ == "mark" and cues.get(m.lower_) == "conditional"
                    for m in child.children):
                return True
    return False


def _stronger(a: Modality, b: Modality) -> Modality:
    return a if RANK[a] >= RANK[b] else b


def _backshifted(token: Token, cues: dict[str, str]) -> bool:
    """ "Lukashenko said he would support Putin": in reported speech "would" is the
    future seen from the past, not a condition."""
    return token.dep_ == "ccomp" and cues.get(token.head.lemma_.lower()) == "report" and \
        token.head.tag_ in {"VBD", "VBN"} and not any(
            c.dep_ == "advcl" and any(m.dep_ == "mark" and cues.get(m.lower_) == "conditional"
                                      for m in c.children) for c in token.children)


def _node_children(trigger: Token, parent: Token) -> list[Token]:
    """The children of the node on the path from ``trigger`` that hangs from ``parent``."""
    node = trigger
    while node.head.i != parent.i and node.head.i != node.i:
        node = node.head
    return list(node.children)


def _announces(token: Token, cues: dict[str, str]) -> bool:
    """ "will give", or "would give" in reported speech: the speaker's own future act."""
    return any(c.dep_ == "aux" and (cues.get(c.lower_) == "modal_future" or (
        c.lower_ == "would" and _backshifted(token, cues))) for c in token.children)


def headline_plan(root: Token, cues: dict[str, str]) -> Token | None:
    """The verb of a headline's plan: "France to send troops to Romania", "Biden and Putin to
    speak by phone" (the root: an infinitive with a subject of its own), or the same under a
    verb of saying ("Russia to free Ukrainian prisoners, Kremlin says", "Putin says Russia to
    free Ukrainian prisoners").  The annotators code the plan as an intention (03x) and the
    act as a planned trap; "How to force Russia to seek peace" has no one doing it."""
    verb = root
    if cues.get(root.lemma_.lower()) == "report":
        verb = next((c for c in root.children if c.dep_ == "ccomp"), root)
    if verb.tag_ != "VB" or any(c.dep_ == "mark" for c in verb.children):
        return None  # "calling for Netanyahu to step down": a clause the parser made root
    to = next((c for c in verb.children if c.dep_ == "aux" and c.tag_ == "TO"), None)
    # the subject's words end right before "to" ("U.S. VP Harris to attend")
    if to is None or not any(c.dep_ in {"nsubj", "nsubjpass"} and c.right_edge.i + 1 == to.i
                             for c in verb.children):
        return None
    # "Russia to withdraw its forces." (a demand in a list): a fragment of running text; a
    # headline has no full stop (checked last: it builds the sentence's text)
    last = root.sent[-1]
    while last.is_punct and last.text in {'"', "'", "”", "’", ")"} and last.i > root.sent.start:
        last = last.nbor(-1)
    return None if last.text.endswith(".") else verb


def conditioned(token: Token, cues: dict[str, str]) -> bool:
    """ "Britain to impose sanctions if Russia invades", "... in the event of an invasion":
    an act with a condition of its own."""
    for child in token.children:
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and cues.get(m.lower_) ==
                                         "conditional" for m in child.children):
            return True
        if child.dep_ == "prep" and child.lower_ == "in" and any(
                o.dep_ == "pobj" and o.lemma_.lower() in CONDITION_NOUNS
                for o in child.children):
            return True
    return any(conditioned(c, cues) for c in token.children
               if c.dep_ in {"dobj", "pobj", "prep"})


def _headline_act(trigger: Token, verb: Token) -> bool:
    """The planned act of a headline: its plan's verb, or a verb coordinated with it that
    has no subject of its own ("Harris to attend the conference, rally allies")."""
    return trigger.i == verb.i or (
        trigger.dep_ == "conj" and trigger.head.i == verb.i and trigger.pos_ == "VERB"
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in trigger.children))


def _shared_modal(verb: Token, cues: dict[str, str]) -> Modality:
    """ "The EU should impose an embargo and help Ukraine": a coordinated verb with no
    subject or auxiliary of its own shares its head's modal."""
    if verb.dep_ != "conj" or verb.pos_ not in {"VERB", "AUX"} or any(
            c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children):
        return Modality.ASSERTED
    result = Modality.ASSERTED
    for child in verb.head.children:
        kind = cues.get(child.lower_)
        if child.dep_ == "aux" and kind in {"modal_hyp", "obligation"}:
            result = _stronger(result, Modality.HYPOTHETICAL)
        elif child.dep_ == "aux" and kind == "modal_future":
            result = _stronger(result, Modality.FUTURE)
    return result


def _copular_cue(verb: Token, cues: dict[str, str]) -> str:
    """ "It is necessary to continue dialogue", "it is important to help": a copula's
    adjective governs the clause as a verb would ("need to")."""
    if verb.lemma_.lower() != "be":
        return ""
    for child in verb.children:
        if child.dep_ == "acomp" and cues.get(child.lemma_.lower()) == "hedge":
            return "hedge"
    return ""


def _announced(trigger: Token, parent: Token) -> bool:
    """ "will continue to stand up for Israel", "will provide assistance": the trigger is
    what the future verb does; not so an act told in a noun's content clause ("I will
    highlight the fact that our specialists delivered vaccines")."""
    below = node_below(trigger, parent)
    return below.i == trigger.i or below.pos_ not in NOUNS


def _no_case(prep: Token) -> bool:
    return any(g.dep_ == "pobj" and g.lemma_.lower() in {"circumstance", "case", "way", "means"}
               and any(d.dep_ == "det" and d.lower_ == "no" for d in g.children)
               for g in prep.children)


def own_modality(token: Token, cues: dict[str, str]) -> Modality:
    """Negation and modal auxiliaries attached to the token itself."""
    result = Modality.ASSERTED
    for child in token.children:
        kind = cues.get(child.lower_)
        if kind == "modal_hyp" and child.lower_ == "would" and _backshifted(token, cues):
            kind = "modal_future"
        if child.dep_ == "neg" or (child.dep_ == "det" and kind == "negation"):
            result = _stronger(result, Modality.NEGATED)
        elif child.dep_ in {"aux", "auxpass"} and kind in {"modal_hyp", "obligation"}:
            result = _stronger(result, Modality.HYPOTHETICAL)
        elif child.dep_ == "aux" and kind == "modal_future":
            result = _stronger(result, Modality.FUTURE)
        elif child.dep_ == "mark" and kind == "conditional":
            result = _stronger(result, Modality.HYPOTHETICAL)
        elif child.dep_ == "prep" and _no_case(child):
            # "under no circumstances will we give in", "in no way", "by no means"
            result = _stronger(result, Modality.NEGATED)
        elif child.dep_ == "advmod" and kind == "hedge":
            # "cyber actors likely have targeted": an assessment, not a reported fact
            result = _stronger(result, Modality.HYPOTHETICAL)
    if any(child.dep_ in SUBJECT_NEGATION_DEPS and any(
            d.dep_ in {"preconj", "det"} and d.lower_ in SUBJECT_NEGATORS
            for d in child.children) for child in token.children):
        # "Neither the US nor NATO proposed ...": the coordinated subject's "neither" says
        # no one of them did it
        result = _stronger(result, Modality.NEGATED)
    # "sent troops to attack", "postured to attack": an infinitive of purpose is intended,
    # not done
    if token.dep_ in {"advcl", "acl", "relcl"} and cues.get(token.lemma_.lower()) != \
            "purpose_done" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in token.children):
        result = _stronger(result, Modality.FUTURE)
    # "going to invade": the trigger is an xcomp of "going" with a progressive auxiliary
    head = token.head
    if token.dep_ == "xcomp" and head.lemma_ == "go" and head.tag_ == "VBG":
        result = _stronger(result, Modality.FUTURE)
    return result


def _future_occasion(noun: Token, cues: dict[str, str]) -> bool:
    """An event noun after an occasion preposition ("during talks") of a future verb."""
    prep = noun.head
    return noun.pos_ in NOUNS and noun.dep_ == "pobj" and prep.dep_ == "prep" and \
        prep.lower_ in OCCASION_PREPS and prep.head.pos_ in {"VERB", "AUX"} and \
        own_modality(prep.head, cues) == Modality.FUTURE


def is_question(text: str) -> bool:
    """A sentence that asks ("Q Is Prime Minister Netanyahu doing enough to stop this
    violence?") asserts none of the acts it names: the guide codes them as traps."""
    return text.rstrip().rstrip("\"'”’)").endswith("?")


def read_modality(trigger: Token, cues: dict[str, str], question: bool,
                  consequent: bool = True) -> ModalityReading:
    """``consequent=False`` reads an announcement itself: "If Russia invades, the US will
    impose sanctions" is a threat made now, though the sanctions are hypothetical."""
    modality = own_modality(trigger, cues)
    modality = _stronger(modality, _shared_modal(trigger, cues))
    root = trigger.sent.root
    plan_verb = headline_plan(root, cues)
    plan = plan_verb is not None and _headline_act(trigger, plan_verb)
    if plan:
        # "France to send troops to Romania": a headline's plan, told in the infinitive
        # (other acts in it keep the old reading: "after Zelensky met Scholz" is no plan)
        modality = _stronger(modality, Modality.FUTURE)
    elif root.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in root.children):
        # "How to force Russia to seek peace.": an infinitive with no finite verb over it
        modality = _stronger(modality, Modality.HYPOTHETICAL)
    if question:
        modality = _stronger(modality, Modality.HYPOTHETICAL)
    reported_by: Token | None = None
    intent_cue: Token | None = None
    intent_kind = ""
    if modality == Modality.NEGATED and _announces(trigger, cues) and any(
            c.dep_ == "neg" for c in trigger.children):
        # "Putin will not meet Zelensky": announcing that one will not do something
        # cooperative is a rejection (CAMEO 12x), made now
        intent_cue, intent_kind = trigger, "refuse"
    if modality == Modality.FUTURE and _announces(trigger, cues):
        # "Finland will give Tanzania a grant": announcing one's own future act is an
        # expression of intent (CAMEO 03x); the act itself stays future
        intent_cue, intent_kind = trigger, "announce"
    elif modality == Modality.FUTURE and plan:
        intent_cue, intent_kind = trigger, "plan"  # the same, told by a headline
    if consequent and _conditional_consequent(trigger, cues):
        modality = _stronger(modality, Modality.HYPOTHETICAL)
    if _future_occasion(trigger, cues):
        # "During talks with Modi, we will outline ...": the talks are the occasion of a
        # future act, still to come
        modality = _stronger(modality, Modality.FUTURE)
    node = trigger
    first = True
    while node.head.i != node.i:
        edge, parent = node.dep_, node.head
        if edge == "conj" and node.tag_ in FINITE and parent.tag_ not in FINITE and not any(
                c.dep_ == "aux" and c.tag_ == "MD" for c in parent.children):
            # "Putin denies plotting an attack and blames NATO": the parser hangs the finite
            # "blames" on the gerund; it is a sibling of "denies", not governed by it
            node = parent.head
            continue
        node = parent
        if edge == "pcomp" and parent.dep_ == "prep" and parent.lower_ in PRIVATIVE:
            # "Without revealing details, he stated ...": what is done without is not done
            modality = _stronger(modality, Modality.NEGATED)
        if edge in {"pcomp", "pobj"} and thanked_for(parent) is not None:
            # "I want to thank you for supporting us": what one is thanked for is done,
            # whatever wish or future governs the thanks
            break
        if edge == "conj":
            continue  # a sibling clause, not a governor
        if edge not in CLAUSE_EDGES:
            continue
        if edge == "prep" and node.i != trigger.i and _child_prep(trigger, parent) in ADJUNCT_PREPS:
            continue  # "In a phone call, they agreed to ...": a setting, not the agreed thing
        if any(c.dep_ == "mark" and cues.get(c.lower_) == "conditional" for c in parent.children):
            # anything inside an if-clause is hypothetical, whatever the path to it
            modality = _stronger(modality, Modality.HYPOTHETICAL)
        to_infinitive = edge == "acl" and cues.get(parent.lemma_.lower()) in {
            "intent", "pledge"} and any(c.dep_ == "aux" and c.tag_ == "TO"
                                        for c in _node_children(trigger, parent))
        # "Russia has no intention of attacking Ukraine": the gerund is the intended act
        gerund = edge == "prep" and intention_of(node_below(trigger, parent))
        if (to_infinitive or gerund) and parent.pos_ in NOUNS and intent_cue is None:
            # "approved the decision to send peacekeepers", "a plan to impose sanctions":
            # the noun states the intention, as the verb would
            intent_cue = parent
            intent_kind = cues[parent.lemma_.lower()] if to_infinitive else "intent"
            if _negated_noun(parent, cues):
                # "Beijing has no plan to use force": the intention is disavowed
                modality = _stronger(modality, Modality.NEGATED)
                intent_kind = "disavow"
            else:
                modality = _stronger(modality, Modality.FUTURE)
            continue
        if (edge == "acl" or (edge == "relcl" and _content_relative(node_below(trigger, parent))
                              )) and parent.pos_ in NOUNS and cues.get(
                parent.lemma_.lower()) in {"allege", "hedge", "denial"}:
            # "baseless claims that Ukraine was about to launch a war", "fears that ...":
            # a noun's content clause is as uncertain as the noun says
            kind = cues[parent.lemma_.lower()]
            modality = _stronger(modality, Modality.NEGATED if kind == "denial"
                                 else Modality.HYPOTHETICAL)
            continue
        if edge in {"advcl", "acl", "relcl", "parataxis"}:
            continue  # an adverbial or relative clause is not the governor's complement
        if edge == "xcomp" and parent.lemma_.lower() in COURTESY and \
                trigger.lemma_.lower() in PERFORMATIVE and node_below(trigger, parent) in (
                    trigger, trigger.head):
            # "I want to thank", "I would like to ask you", "want to thank and
            # congratulate": saying so is the act
            continue
        if edge == "xcomp" and parent.lemma_.lower() == "have" and any(
                c.dep_ == "aux" and c.tag_ == "TO" for c in node_below(trigger, parent).children):
            # "we have to meet somehow": an obligation, not done
            modality = _stronger(modality, Modality.HYPOTHETICAL)
        kind = cues.get(parent.lemma_.lower(), "")
        if not kind and edge in {"xcomp", "ccomp", "csubj"}:
            kind = _copular_cue(parent, cues)
        if kind in {"denial"}:
            modality = _stronger(modality, Modality.NEGATED)
        elif kind in {"allege", "hedge"}:
            modality = _stronger(modality, Modality.HYPOTHETICAL)
        elif kind == "intent" and edge == "ccomp" and _has_own_subject(node_below(
                trigger, parent)):
            # "Zelenskyy expects that partners will give more", "I hope Romania will ...":
            # what one expects or hopes of others is a forecast, not one's own intention
            modality = _stronger(modality, Modality.HYPOTHETICAL)
        elif kind in {"intent", "pledge"}:
            modality = _stronger(modality, Modality.FUTURE)
            if intent_cue is None and modality == Modality.FUTURE:
                intent_cue, intent_kind = parent, kind
            elif intent_cue is None and edge in {"xcomp", "pcomp", "prep"} and \
                    kind == "intent" and own_modality(parent, cues) == Modality.NEGATED:
                # "Russia does not intend to attack": a disavowed intention
                intent_cue, intent_kind = parent, "disavow"
        elif kind == "report" and reported_by is None:
            reported_by = parent
        # a governing clause's own negation or modal reaches what it governs
        if edge in INHERIT_EDGES:
            inherited = own_modality(parent, cues)
            if edge in {"xcomp", "dobj"} and intent_cue is None and \
                    inherited == Modality.FUTURE and _announced(trigger, parent) and \
                    modality == Modality.ASSERTED and _announces(parent, cues):
                # "the UK would continue to stand up for Israel": the announced act
                intent_cue, intent_kind = parent, "announce"
            if kind == "report" and inherited == Modality.NEGATED:
                inherited = Modality.HYPOTHETICAL  # "did not say that X attacked"
            modality = _stronger(modality, inherited)
        first = False
    del first
    obliged = any(c.dep_ == "aux" and cues.get(c.lower_) == "obligation"
                  for c in trigger.children)
    return ModalityReading(modality, reported_by, intent_cue, intent_kind, obliged)

