"""The parties of a readout's talk: in the account of one call or meeting, what the two said,
agreed, asked or discussed is between them.

A readout ("Telephone conversation with President of France Emmanuel Macron", "President of
Ukraine had a phone conversation with the Prime Minister of Spain") names third countries as
what the two talked about: "the presidents noted the success of the conference on Libya",
"Putin informed his counterpart about the talks with Ukraine", "they expressed concern about
the escalation between Israel and Palestine".  Read sentence by sentence, each became a
statement, an appeal or a consultation with the country named (RUS->LBY 010, ISR<->PSE 012):
on the Kremlin/Zelenskyy releases 464 of the 2,984 asserted verbal events (roots 01-05) in
articles whose title announces a call or a meeting had a party outside the title's pair
(session 10, `bench/sheets/README.md`), and the hand-read sheets counted such "topic" errors
first among all kinds.

So, in an article whose title gives the pair, a verbal event (roots 01-05) keeps its parties
when both are the pair's (or it has no target); a pair member's act toward a third country
goes to the other member (the third country is the topic), unless that country is the
direct object (or its possessor) or the "with"/"to" partner of the trigger itself or of a
verb the trigger governs ("agreed to cooperate with Iran", "we are consulting ECOWAS",
"welcomed President Zelensky's efforts"); an act whose source
is outside the pair is another story told in passing (history, a third party's act the two
discussed) and is dropped.  Material acts (06-20) are left as they are: a readout reports
shelling or aid to a third country as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.rules.codes import READOUT_ROOTS

#: how the trigger governs a partner of its own: its object, its "with"/"to" partner
_OBJECT_DEPS = frozenset({"dobj", "dative"})
_PARTNER_PREPS = frozenset({"with", "to"})
#: the trigger's own verb chain: "agreed to cooperate with", "decided to ask"
_CHAIN_DEPS = frozenset({"xcomp", "conj"})


def readout_parties(cands: Sequence[Candidate], sent: Doc, pair: tuple[Actor, Actor]
                    ) -> list[Candidate]:
    """One sentence's events with the parties of its verbal acts set by the title's pair."""
    codes = {pair[0].code, pair[1].code}
    out: list[Candidate] = []
    seen: set[tuple[str, str | None, str]] = set()
    for cand in cands:
        fixed = _party(cand, sent, pair, codes)
        if fixed is None:
            continue
        key = (fixed.source.code, fixed.target.code if fixed.target else None, fixed.code)
        if key in seen:
            continue  # the partner's event was already there
        seen.add(key)
        out.append(fixed)
    return out


def _party(cand: Candidate, sent: Doc, pair: tuple[Actor, Actor], codes: set[str]
           ) -> Candidate | None:
    if cand.code[:2] not in READOUT_ROOTS:
        return cand
    if cand.source.code not in codes:
        return None
    if cand.target is None or cand.target.code in codes:
        return cand
    if _own_partner(cand, sent):
        return cand
    other = pair[1] if cand.source.code == pair[0].code else pair[0]
    return replace(cand, target=other)


def _own_partner(cand: Candidate, sent: Doc) -> bool:
    """Whether the target is named as the trigger's (or its verb chain's) object or
    "with"/"to" partner, rather than inside what the act is about."""
    trigger = _span_root(sent, cand.trigger_start, cand.trigger_end)
    if trigger is None or cand.target is None or not cand.target.text:
        return False
    verbs = _chain(trigger)
    for node in _mentions(sent, cand.target.text):
        if node.dep_ == "poss" and node.head.dep_ in _OBJECT_DEPS:
            node = node.head  # "welcomed President Zelensky's efforts": his, to him
        if node.dep_ in _OBJECT_DEPS and node.head.i in verbs:
            return True
        if node.dep_ == "pobj" and node.head.lower_ in _PARTNER_PREPS and \
                node.head.head.i in verbs:
            return True
    return False


def _chain(trigger: Token) -> set[int]:
    found = {trigger.i}
    todo = [trigger]
    while todo:
        verb = todo.pop()
        for child in verb.children:
            if child.dep_ in _CHAIN_DEPS and child.pos_ in {"VERB", "AUX"} and \
                    child.i not in found:
                found.add(child.i)
                todo.append(child)
    return found


def _mentions(sent: Doc, text: str) -> list[Token]:
    """The head words of each place the sentence spells ``text``."""
    found: list[Token] = []
    start = sent.text.find(text)
    while start >= 0:
        root = _span_root(sent, start, start + len(text))
        if root is not None:
            found.append(root)
        start = sent.text.find(text, start + 1)
    return found


def _span_root(sent: Doc, start: int, end: int) -> Token | None:
    span = sent.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None
