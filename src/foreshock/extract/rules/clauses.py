"""Where a token stands in the parse: clauses, subjects, light verbs, background phrases.

Every stage asks the same questions of the dependency tree (whose subject is this, is this
phrase in another clause, is this noun the object of a light verb, does this clause date the
act to the past); the answers live here, free of actors and lexicons, so that the stages
read the tree one way.
"""

from __future__ import annotations

from spacy.tokens import Token

from foreshock.ontology.function_words import function_words

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
#: verbs whose object is the subject of their infinitive ("urged Russia to withdraw")
OBJECT_CONTROL = _WORDS.object_control_verbs
#: words of thanks: what they are "for" is the act of the one thanked
GRATITUDE = _WORDS.gratitude_words
#: "intention of attacking": the gerund is the intended act of the intention's holder
GERUND_INTENT_NOUNS = _WORDS.gerund_intent_nouns
CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "ccomp", "prep", "acomp", "oprd"})
CLAUSE_BOUNDARIES = frozenset({"relcl", "acl", "parataxis", "csubj"})
#: prepositions whose object is company or agent, not the one acted upon
LOOSE_PREPS = _WORDS.loose_preps
REFERENCE_PREPS = _WORDS.reference_preps
COUNT_NOUNS = _WORDS.count_nouns
PROMPT_PREPS = _WORDS.prompt_preps
PROMPT_NOUNS = _WORDS.prompt_nouns
PAST_TITLE_MARKS = _WORDS.past_title_marks
HYPHENS = frozenset({"-", "‑", "–"})
#: verbs that lend their subject to an event noun ("launched an attack", "held talks");
#: other verbs do not ("warned against an invasion" is not the warner's invasion)
SUPPORT_VERBS = _WORDS.support_verbs
FINITE_TAGS = frozenset({"VBZ", "VBD", "VBP"})
#: verbs whose subject is an event that happens: "clashes began between ..."
ASPECT_VERBS = _WORDS.aspect_verbs
TIME_MARKS = _WORDS.time_marks
#: "during the summit held two years ago": an occasion whose own clause dates it
OCCASION_PREPS = _WORDS.occasion_preps
#: "held", "hosted": a clause that dates the occasion itself, not a place ("built")
OCCASION_VERBS = _WORDS.occasion_verbs
#: "over the past 30 years", "in recent years": a span of years, not a day's news
SPAN_PREPS = _WORDS.span_preps
#: "in place", "in force": what keeps an act's result (``standing``)
STANDING_NOUNS = _WORDS.standing_nouns
STANDING_VERBS = _WORDS.standing_verbs
SPAN_MODIFIERS = _WORDS.span_modifiers
#: units of time long enough that "ago" or a span of them is history
YEAR_UNITS = frozenset({"year", "decade", "century"})


def subject_of(verb: Token) -> Token | None:
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
            return finite_subject(node.head)
        if node.dep_ == "conj" and finite(node) and node.head.dep_ == "ccomp":
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
                governor = governing_verb(head)
                if governor is None:
                    return None
                node = governor
                continue
            return head  # "separatists fighting Kiev"
        if node.dep_ == "relcl":
            return head
        if node.dep_ == "pcomp" and intention_of(head):
            # "Russia has no intention of attacking Ukraine": the holder of the intention
            # is the one who would act
            governor = governing_verb(head.head)
            if governor is None:
                return None
            node = governor
            continue
        if node.dep_ == "pcomp" and (word := thanked_for(head)) is not None:
            # "I am grateful to you for inviting me", "thanked Chile for supporting":
            # the one thanked did it, never the thanker
            return thanked(word)
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


def intention_of(prep: Token) -> bool:
    """Whether ``prep`` is the "of" of a noun of intention that takes a gerund ("no
    intention of attacking"): the gerund is the intended act of the intention's holder."""
    return prep.dep_ == "prep" and prep.lower_ == "of" and \
        prep.head.lemma_.lower() in GERUND_INTENT_NOUNS and \
        any(c.dep_ == "pcomp" for c in prep.children)


def thanked_for(prep: Token) -> Token | None:
    """The word of thanks whose "for" ``prep`` is ("thanked X for", "grateful for", and "am
    grateful ... for", where the parser hangs "for" on the copula)."""
    if prep.lower_ != "for" or prep.dep_ != "prep":
        return None
    head = prep.head
    if head.lemma_.lower() in GRATITUDE:
        return head
    if head.lemma_.lower() == "be":
        return next((c for c in head.children
                     if c.dep_ == "acomp" and c.lemma_.lower() in GRATITUDE), None)
    return None


def thanked(word: Token) -> Token | None:
    """Whom a word of thanks is addressed to: its object ("thank you"), or the object of
    its "to" ("grateful to you"); None when it names no one."""
    for child in word.children:
        if child.dep_ in {"dobj", "dative"}:
            return child
    for child in word.children:
        if child.dep_ == "prep" and child.lower_ == "to":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def in_own_clause(node: Token, trigger: Token) -> bool:
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


#: clauses that say more about a noun or set a circumstance, not what a verb is done to
EMBEDDED_DEPS = frozenset({"relcl", "acl", "advcl", "pcomp", "csubj", "parataxis"})


def predicated(verb: Token, objects: list[Token]) -> set[str]:
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


def is_each_other(node: Token) -> bool:
    """ "each other", "one another" (as an object or the object of a preposition)."""
    if node.dep_ == "prep":
        node = pobj(node) or node
    return (node.lower_ == "other" and any(c.lower_ == "each" for c in node.children)) or (
        node.lower_ == "another" and any(c.lower_ == "one" for c in node.children))


def finite_subject(node: Token) -> Token | None:
    for ancestor in (node, *node.ancestors):
        if finite(ancestor):
            for child in ancestor.children:
                if child.dep_ in SUBJECT_DEPS and child.dep_ != "nsubjpass":
                    return child
    return None


def in_other_clause(node: Token, top: Token, conj: bool) -> bool:
    """Whether the path from ``node`` up to ``top`` enters a coordinated verb (with ``conj``,
    for conflict) or else a time clause ("as soon as", "after", "when"; for conflict the
    clause is often the cause and names the target: "threatened to retaliate after Israeli
    strikes killed ...")."""
    while node.i != top.i and node.head.i != node.i:
        if node.pos_ in {"VERB", "AUX"} and (
            (conj and node.dep_ == "conj") or
            (not conj and node.dep_ == "advcl" and time_clause(node))
        ):
            return True
        node = node.head
    return False


def time_clause(verb: Token) -> bool:
    """ "after/when/as soon as X arrived" (a bare "as" may mean while, where company is
    named: "called for de-escalation as he began talks with Putin")."""
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if "as" in marks:
        return verb.head.lower_ == "soon" or any(c.lower_ == "soon" for c in verb.children)
    return bool(marks & TIME_MARKS)


def finite(verb: Token) -> bool:
    return verb.tag_ in {"VBZ", "VBD", "VBP"} or any(
        c.dep_ == "aux" and c.tag_ in {"VBZ", "VBD", "VBP", "MD"} for c in verb.children)


def is_reference(noun: Token) -> bool:
    """ "in retaliation for a visit", "after the attack", "since the invasion": an event noun
    inside such a phrase points at an event reported elsewhere, not a new one; so does the
    noun of "at the invitation of X", "at the request of X": what prompted the act."""
    if noun.dep_ == "pobj" and noun.head.lower_ in PROMPT_PREPS and \
            noun.lemma_.lower() in PROMPT_NOUNS:
        return True
    node = noun
    for _ in range(3):
        if node.dep_ == "pobj" and node.head.lower_ in REFERENCE_PREPS and \
                not _counted_run(node):
            return True
        if node.dep_ not in {"pobj", "prep", "conj"}:
            return False
        node = node.head
    return False


def _counted_run(node: Token) -> bool:
    """ "a second day of clashes", "a wave of airstrikes", "the third day of protests": an
    "of" whose count noun is indefinite or ordered counts a run of acts, no reference to an
    act told elsewhere; "the first day of the invasion" (a definite act) and "within hours
    of airstrikes" (time from an act) still are."""
    count = node.head.head
    if node.head.lower_ != "of" or count.lemma_.lower() not in COUNT_NOUNS:
        return False
    if any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in {"the", "this", "that"})
           for c in node.children):
        return False
    return any((c.dep_ == "det" and c.lower_ in {"a", "an", "another"}) or c.dep_ == "amod"
               for c in count.children)


def _then_titled(verb: Token) -> bool:
    """ "While deployed to Afghanistan, then-Staff Sergeant Plumlee responded", "the
    then-President ordered an attack": a subject titled by what it was then is told of in
    the past (a citation, a biography); a subjectless adverbial clause shares its head's."""
    clause = verb
    if verb.dep_ == "advcl" and verb.head.i != verb.i and \
            not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        clause = verb.head
    doc = verb.doc
    # the parser hangs "then" on the subject or, as here, on the verb ("then" advmod of
    # "responded"); the hyphen right after it is what makes it a title's
    subjects = [t for c in clause.children if c.dep_ in SUBJECT_DEPS for t in c.subtree]
    for token in [*subjects, *clause.children]:
        if token.lower_ in PAST_TITLE_MARKS and token.i + 1 < len(doc) and \
                doc[token.i + 1].text in HYPHENS:
            return True
    return False


def background_clause(verb: Token) -> bool:
    """ "Since Russia invaded ...", "... launched its war eight years ago": a clause that
    dates an act to the past is background, not news of the day."""
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "since"
                                    for c in verb.children):
        return True
    if _years_ago(verb) or _over_years(verb) or _dated_occasion(verb) or _then_titled(verb):
        return True
    # "what Russia did eight years ago, when it responded to ...": a when-clause or a
    # relative clause of an act dated to the past is as old as that act
    head = verb.head
    return verb.dep_ in {"advcl", "relcl"} and head.i != verb.i and _years_ago(head) and (
        verb.dep_ == "relcl" or any(c.lower_ in {"when", "as", "while"} for c in verb.children
                                    if c.dep_ in {"advmod", "mark"}))


def _years_ago(verb: Token) -> bool:
    return any(c.lower_ == "ago" and any(g.lemma_.lower() in YEAR_UNITS
                                         for g in c.children)
               for c in verb.children if c.dep_ == "advmod")


def _over_years(verb: Token) -> bool:
    """ "what we agreed to over the past 30 years", "in recent years Russia has supported
    ...": an act spread over years is a long-standing state of affairs, not an event."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in SPAN_PREPS:
            continue
        for span in prep.children:
            if span.dep_ == "pobj" and span.tag_ == "NNS" and \
                    span.lemma_.lower() in YEAR_UNITS and any(
                        c.dep_ == "amod" and c.lower_ in SPAN_MODIFIERS
                        for c in span.children):
                return True
    return False


def _dated_occasion(verb: Token) -> bool:
    """ "We talked with Buhari during the summit held in Sochi two years ago": the act is
    as old as the occasion its own clause dates (held, hosted: not "attacked soldiers at a
    checkpoint built two years ago", where only the place is old)."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in OCCASION_PREPS:
            continue
        for occasion in prep.children:
            if occasion.dep_ == "pobj" and any(
                    c.dep_ in {"acl", "relcl"} and c.lemma_.lower() in OCCASION_VERBS and
                    _years_ago(c) for c in occasion.children):
                return True
    return False


def standing(noun: Token, verb: Token) -> bool:
    """ "has sanctions in place against the Taliban", "the restrictions remain in force": an
    act's result held by "have", "remain" or "stay", with "in place" on the noun or the verb,
    is a standing state, not an act of the day ("put sanctions in place" is the act, "kept
    them in place on Monday" a decision)."""
    if verb.lemma_.lower() not in STANDING_VERBS:
        return False
    return any(prep.dep_ == "prep" and prep.lower_ == "in" and any(
        o.dep_ == "pobj" and o.lemma_.lower() in STANDING_NOUNS for o in prep.children)
        for node in (noun, verb) for prep in node.children)


def noun_year(noun: Token) -> int | None:
    """The four-digit number an event noun is dated by ("the 2014 annexation"), if any."""
    for c in noun.children:
        if c.like_num and len(c.text) == 4 and c.text.isdigit() and c.dep_ in {
                "nummod", "compound", "npadvmod", "amod", "nmod"}:
            return int(c.text)
    return None


def is_background(noun: Token) -> bool:
    """An event noun dated by a year ("the 2014 annexation") refers to the past."""
    return noun_year(noun) is not None


def support_verb(noun: Token) -> Token | None:
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


def governing_verb(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition."""
    head = noun.head
    if noun.dep_ in {"dobj", "nsubjpass", "attr"} and head.pos_ in {"VERB", "AUX"}:
        return head
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "AUX"}:
        return head.head
    return None


def pobj(prep: Token | None) -> Token | None:
    if prep is None:
        return None
    for child in prep.children:
        if child.dep_ in {"pobj", "pcomp"}:
            return child
    return None
