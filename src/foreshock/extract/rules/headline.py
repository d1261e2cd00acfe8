"""Headline grammar: present-tense verbs that the tagger read as nouns.

Wire items and headlines report past acts in the bare present ("Police arrest 21 people",
"A court sentences X to ten years", "Dutch police arrest quarantine escapees").  After a
plural or compound subject spaCy often tags such a verb NOUN and hangs it either as the
sentence's root (with its subject and object still attached as nsubj/dobj, appos or
npadvmod) or as a compound of its object noun.  The patterns read verbs, so the token is
repaired in place before they run: tagged as a verb and, where it was a compound, re-hung
as the head of its subject and its object.  Only word forms of a present tense of a verb
of the lexicon are repaired, and only where the noun reading has no determiner: "the
court's sentences" and "a police arrest operation" stay nouns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from spacy.tokens import Doc, Token

from foreshock.ontology.function_words import function_words

#: the closed word lists of data/lexicons/function_words.tsv
_WORDS = function_words()
#: "a police arrest": an indefinite article before a bare form makes it a noun phrase
INDEFINITE_ARTICLES = _WORDS.indefinite_articles
#: "one march": a count of one agrees with a noun, not a plural crowd
SINGULAR_COUNTS = _WORDS.singular_counts
#: "Hamas attack survivors": those who suffered an act are no object of the verb repaired
VICTIM_NOUNS = _WORDS.victim_nouns
#: "Police in Karachi arrest suspects": the preposition of where a headline's subject is
PLACE_PREPS = _WORDS.headline_place_preps

#: dependency labels of a noun's left modifier that, in a misparsed headline, is the subject
SUBJECT_LIKE = frozenset({"nsubj", "compound", "nmod"})
#: dependency labels of a misparsed root's right dependant that is its object
OBJECT_LIKE = frozenset({"dobj", "appos", "npadvmod"})
#: determiners and possessives mark a noun phrase, never a verb
NOMINAL_MARKS = frozenset({"det", "poss", "nummod", "case"})


def present_lemma(token: Token, verbs: Mapping[str, object]) -> str | None:
    """The verb lemma of which the token is a present-tense form ("arrest", "sentences",
    "fires"), if the lexicon has the verb."""
    form = token.lower_
    for lemma in (token.lemma_.lower(), form, form[:-1], form[:-2], form[:-3] + "y"):
        if lemma and lemma in verbs and form in {lemma, lemma + "s", lemma + "es",
                                                 lemma[:-1] + "ies"}:
            return lemma
    return None


def repair_headline_verbs(doc: Doc, verbs: Mapping[str, object],
                          actor_like: Callable[[Token], bool]) -> list[Token]:
    """Re-tag (and re-hang) present-tense verbs misread as nouns; returns the repaired."""
    repaired: list[Token] = []
    for token in doc:
        if token.pos_ != "NOUN" or token.tag_ not in {"NN", "NNS"}:
            continue
        lemma = present_lemma(token, verbs)
        if lemma is not None and _counted_crowd(token, lemma):
            _as_verb(token, lemma)
            repaired.append(token)
            continue
        if lemma is None or not _marks_of_subject(token, lemma, actor_like):
            continue
        shape = {"ROOT": _root_verb, "compound": _compound_verb}.get(token.dep_)
        if shape is not None and shape(token, actor_like):
            _as_verb(token, lemma)
            repaired.append(token)
    return repaired


def _marks_of_subject(token: Token, lemma: str, actor_like: Callable[[Token], bool]) -> bool:
    """No determiner of the token's own: one before its subject ("A Tunisian court
    sentences X", parsed with "A" on the verb) is the subject's and moves to it; "a"
    before a bare form ("a police arrest") reads as a noun phrase."""
    marks = [c for c in token.children if c.dep_ in NOMINAL_MARKS]
    if not marks:
        return True
    subject = _subject_candidate(token, actor_like)
    if subject is None or any(m.i > subject.i for m in marks):
        return False
    if token.lower_ == lemma and any(m.lower_ in INDEFINITE_ARTICLES for m in marks):
        return False
    for mark in marks:
        mark.head = subject
    return True


def _counted_crowd(token: Token, lemma: str) -> bool:
    """ "More than 30,000 march in Madrid", "Thousands rally in Tbilisi": a bare plural count
    before the plain form of a verb (a noun would agree: "two marches") at the root, followed
    by a preposition, is the count doing it; the count becomes the subject."""
    counts = [c for c in token.children if c.dep_ == "nummod"]
    if token.dep_ != "ROOT" or token.lower_ != lemma or len(counts) != 1 or \
            counts[0].lower_ in SINGULAR_COUNTS or \
            any(c.dep_ in {"det", "poss", "nsubj", "compound", "amod"} for c in token.children) \
            or not any(c.dep_ == "prep" and c.i > token.i for c in token.children):
        return False
    counts[0].dep_ = "nsubj"
    return True


def _subject_candidate(token: Token, actor_like: Callable[[Token], bool]) -> Token | None:
    """The nearest left dependant (or left neighbour in the same compound chain) that
    names an actor: the headline's subject."""
    left = [c for c in token.lefts if c.dep_ in SUBJECT_LIKE]
    if left:
        return left[-1] if actor_like(left[-1]) else None
    if token.i == 0:
        return None
    before = token.nbor(-1)
    if before.dep_ in SUBJECT_LIKE and before.head.i > token.i and actor_like(before) and \
            not any(c.dep_ in NOMINAL_MARKS for c in before.children):
        return before
    return None


def _root_verb(token: Token, actor_like: Callable[[Token], bool]) -> bool:
    """ "Mexican police arrest 21 people" parsed as a noun root with nsubj and dobj, or
    "A court sentences X" with the court as compound and X as appos/npadvmod."""
    if not any(c.dep_ == "nsubj" for c in token.children):
        subject = _subject_candidate(token, actor_like)
        if subject is None:
            return False
        subject.dep_ = "nsubj"
    if not any(c.dep_ == "dobj" for c in token.children):
        for c in token.rights:
            if c.dep_ in OBJECT_LIKE and c.pos_ in {"NOUN", "PROPN"}:
                c.dep_ = "dobj"
                break
    return True


def _compound_verb(token: Token, actor_like: Callable[[Token], bool]) -> bool:
    """ "Dutch police arrest quarantine hotel escapees": the verb is a compound of its
    object's head; the subject is its own left compound or its left neighbour."""
    top = token.head
    if top.i < token.i or top.pos_ not in {"NOUN", "PROPN"}:
        return False
    while top.dep_ == "compound" and top.head.i > top.i:
        top = top.head
    if any(c.dep_ in NOMINAL_MARKS and c.i < token.i for c in top.children):
        return False  # "a police arrest operation": one noun phrase
    if top.lemma_.lower() in VICTIM_NOUNS or top.lower_ in VICTIM_NOUNS:
        return False  # "Hamas attack survivors": the survivors of an attack, a noun phrase
    if _in_subject(top):
        return False  # "Brazil and Argentina trade war escalates": the phrase has its verb
    pair = _coordinated_subjects(token, top, actor_like)
    if pair is not None:
        return _coordinated_verb(token, top, *pair)
    subject = _subject_candidate(token, actor_like)
    if subject is None:
        return False
    holder = _located_holder(top, subject, actor_like)
    if holder is not None:
        return _located_verb(token, top, holder, subject)
    return _hang(token, top, subject, top)


def _hang(verb: Token, place: Token, subject: Token, obj: Token) -> bool:
    """Make ``verb`` the head of its clause: it takes ``place``'s position (its head and
    label), with ``subject`` and ``obj`` hung on it.  The verb is detached first, so the tree
    stays acyclic at every step (each assignment re-derives spaCy's tree)."""
    outer, label = place.head, place.dep_
    verb.head = verb if label == "ROOT" else outer
    verb.dep_ = label
    subject.head = verb
    subject.dep_ = "nsubj"
    obj.head = verb
    obj.dep_ = "dobj"
    return True


def _coordinated_subjects(token: Token, top: Token, actor_like: Callable[[Token], bool]
                          ) -> tuple[Token, Token] | None:
    """ "Israel and Syria exchange gunfire", "India and Pakistan trade fire": coordinated
    names before the verb read as a compound of its object.  The parser hangs them one of two
    ways: the first modifies the object and the others are its conjuncts ("Israel" nmod of
    "gunfire", "Syria" conj of "Israel"), or the first is the root and the object its
    conjunct, with the second a compound of the object ("India" root, "fire" conj of it,
    "Pakistan" compound of "fire").  Returns (first, the name right before the verb) where
    "and" joins actors.  Not where the object is itself an actor or the subject of another
    verb ("US and China trade officials meet"), nor where the first name is ("Brazil and
    Argentina trade war escalates over tariffs": "Brazil" the subject of "escalates")."""
    if token.i < 2:
        return None
    second = token.nbor(-1)
    if not actor_like(second) or actor_like(top):
        return None
    if second.dep_ == "conj":  # the first modifies the object
        first = second.head
        while first.dep_ == "conj" and first.head.i < first.i:  # "Russia, Ukraine and ..."
            first = first.head
        if first.head.i != top.i or first.dep_ not in {"nmod", "poss", "compound"} or \
                any(c.dep_ == "case" for c in first.children):
            return None  # "Russia's and Ukraine ...": a possessive, a noun phrase
    elif second.dep_ == "compound" and _compound_of(second, top) and top.dep_ == "conj" and \
            top.head.dep_ == "ROOT":
        first = top.head  # the first is the root and the object hangs on it as a conjunct
    else:
        return None
    chain = {first.i, *(c.i for c in first.conjuncts)}
    if first.i >= second.i or not actor_like(first) or not any(
            c.dep_ == "cc" and c.lower_ == "and" and c.head.i in chain
            for c in token.doc[first.i + 1:second.i]):
        return None
    return first, second


def _located_holder(top: Token, place: Token, actor_like: Callable[[Token], bool]
                    ) -> Token | None:
    """ "Soldiers in Niger detain President Mohamed Bazoum", "Police in Karachi arrest
    suspects": the parser reads "Niger detain ... Bazoum" as one noun phrase, the object of
    "in"; the name before the verb is where the subject is, and the subject is the noun the
    "in" phrase hangs on (a common noun that can be an actor: soldiers, police,
    authorities).  Returns that noun."""
    prep = top.head
    holder = prep.head
    if top.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS or \
            not prep.i < place.i or holder.i >= prep.i or holder.pos_ != "NOUN" or \
            not actor_like(holder):
        return None
    return holder


def _located_verb(token: Token, top: Token, holder: Token, place: Token) -> bool:
    """Re-hang a verb misread inside a place phrase: the verb takes the holder's place in
    the clause, the holder is its subject (keeping its "in" phrase, now with the place as
    its object), and the noun the phrase ended on is the verb's object."""
    prep = top.head
    _hang(token, holder, holder, top)
    place.head = prep
    place.dep_ = "pobj"
    return True


def _in_subject(noun: Token) -> bool:
    """Whether a noun (or the coordination it ends) is the subject of a verb: then it names
    who acts, and no verb inside it is to be repaired."""
    node = noun
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    return node.dep_ in {"nsubj", "nsubjpass"} and node.head.pos_ in {"VERB", "AUX"}


def _compound_of(token: Token, top: Token) -> bool:
    """Whether ``token`` hangs on ``top`` through compounds only ("Pakistan exchange
    artillery fire": "Pakistan" on "exchange" on "fire")."""
    node = token
    while node.dep_ == "compound" and node.head.i != node.i:
        node = node.head
        if node.i == top.i:
            return True
    return False


def _coordinated_verb(token: Token, top: Token, first: Token, second: Token) -> bool:
    """Re-hang a verb misread as a compound over its coordinated subjects and its object:
    the verb takes the place of the clause's head, the first name is its subject with the
    second as the first's conjunct, and the object noun is its object."""
    place = first if top.dep_ == "conj" and top.head.i == first.i else top
    if second.dep_ != "conj":  # a compound of the object: the first's conjunct
        second.head = first
        second.dep_ = "conj"
    return _hang(token, place, first, top)


def _as_verb(token: Token, lemma: str) -> None:
    token.pos_ = "VERB"
    token.tag_ = "VBZ" if token.lower_ != lemma and token.lower_.endswith("s") else "VBP"
    token.lemma_ = lemma
