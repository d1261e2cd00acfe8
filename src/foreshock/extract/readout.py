"""The parties of a readout's talk: in the account of one call or meeting, what the two said,
agreed, asked or discussed is between them; a third country inside what they talked about is
the topic.

A readout ("Telephone conversation with President of France Emmanuel Macron", "President of
Ukraine had a phone conversation with the Prime Minister of Spain") names third countries as
what the two talked about: "the presidents noted the success of the conference on Libya",
"Putin informed his counterpart about the talks with Ukraine", "they expressed concern about
the escalation between Israel and Palestine".  Read sentence by sentence, each became a
statement, an appeal or a consultation with the country named (RUS->LBY 010, ISR<->PSE 012):
on the Kremlin/Zelenskyy releases coded at `6778450`, 464 of the 2,984 asserted verbal events
(roots 01-05) in articles whose title announces a call or a meeting had a party outside the
title's pair, and the hand-read sheets of sessions 8-9 counted such "topic" errors first
among all kinds (BENCHMARKS.md, session 10).

So, in an article whose title gives the pair, a verbal event (roots 01-05):

- keeps its parties when both are the pair's (or it has no target);
- is dropped when neither party is the pair's: another story told in passing (two
  co-chairs "both sides" was misread as, a third pair's escalation they discussed);
- when one party is outside the pair, is changed only if that party is named only inside
  what the act is about (``_topical``): after "about", "regarding", "concerning", "within",
  after "on", "over" or "around" hung on a noun ("the conference on Libya", "the situation
  around Ukraine"), inside the complement of a topic noun ("the need to support Syria",
  ``readout_topic_nouns`` and ``topic_nouns`` of function_words.tsv), or not named in the
  sentence at all (taken from the paragraph).  Then a pair member's act goes to the other
  member, and a third party's act is dropped.  A party that is the act's own argument stays
  ("expressed support for Ukraine", "called on Ukraine to ...", "agreed to cooperate with
  Iran", "the conversation between Lukashenko and Merkel").

Material acts (06-20) are left as they are: a readout reports shelling or aid as such.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.rules.arguments import TALK_TOPIC_PREPS, in_topic
from foreshock.extract.rules.codes import READOUT_ROOTS
from foreshock.ontology.function_words import function_words

_WORDS = function_words()
#: nouns whose complement is what a readout's talk was about ("stressed the need to ...",
#: "noted the success of ...", "the situation around ...")
READOUT_TOPIC_NOUNS = _WORDS.readout_topic_nouns
#: prepositions that, hung on a noun, name what it is about ("talks on Ukraine", "the
#: situation around Ukraine"); hung on the verb they may name its target ("called on Ukraine")
NOUN_TOPIC_PREPS = TALK_TOPIC_PREPS | _WORDS.readout_topic_preps

Key = tuple[str, str | None, str, str]


def readout_parties(cands: Sequence[Candidate], sent: Doc, pair: tuple[Actor, Actor]
                    ) -> list[Candidate]:
    """One sentence's events with the parties of its verbal acts set by the title's pair."""
    codes = {pair[0].code, pair[1].code}
    kept: list[Candidate] = []
    moved: list[Candidate] = []
    for cand in cands:
        fixed = _party(cand, sent, pair, codes)
        if fixed is cand:
            kept.append(cand)
        elif fixed is not None:
            moved.append(fixed)
    seen = {_key(c) for c in kept}
    for cand in moved:  # a moved act the sentence already has (the same modality) is a repeat
        if _key(cand) not in seen:
            seen.add(_key(cand))
            kept.append(cand)
    return kept


def _key(cand: Candidate) -> Key:
    return (cand.source.code, cand.target.code if cand.target else None, cand.code,
            cand.modality.value)


def _party(cand: Candidate, sent: Doc, pair: tuple[Actor, Actor], codes: set[str]
           ) -> Candidate | None:
    if cand.code[:2] not in READOUT_ROOTS:
        return cand
    source_in = cand.source.code in codes
    target_in = cand.target is not None and cand.target.code in codes
    if source_in and (cand.target is None or target_in):
        return cand
    if not source_in and not target_in:
        return None
    outsider = cand.target if source_in else cand.source
    if outsider is None or not _topical(sent, cand, outsider.text):
        return cand
    if not source_in:
        return None
    other = pair[1] if cand.source.code == pair[0].code else pair[0]
    return replace(cand, target=other)


def _topical(sent: Doc, cand: Candidate, text: str) -> bool:
    """Whether the party named ``text`` is named only inside what the act is about (or not
    in the sentence at all)."""
    trigger = _span_root(sent, cand.trigger_start, cand.trigger_end)
    if trigger is None:
        return False
    nodes = _mentions(sent, text) if text else []
    return all(_inside_topic(node, trigger) for node in nodes)


def _inside_topic(node: Token, trigger: Token) -> bool:
    if in_topic(node, trigger):
        return True
    child, head = node, node.head
    while child.i != trigger.i and head.i != child.i:
        if child.dep_ == "prep" and child.lower_ in NOUN_TOPIC_PREPS and \
                head.pos_ in {"NOUN", "PROPN"}:
            return True  # "the conference on Libya", "the situation around Ukraine"
        if head.pos_ == "NOUN" and head.lemma_.lower() in READOUT_TOPIC_NOUNS and \
                child.dep_ not in {"poss", "amod", "compound", "det"}:
            return True  # "the need to support Syria", "the success of the conference"
        child, head = head, head.head
    return False


def _mentions(sent: Doc, text: str) -> list[Token]:
    """The head words of each place the sentence spells ``text`` as whole words."""
    found: list[Token] = []
    start = sent.text.find(text)
    while start >= 0:
        span = sent.char_span(start, start + len(text))  # None inside a word: "Nigeria"
        if span is not None and len(span):
            found.append(span.root)
        start = sent.text.find(text, start + 1)
    return found


def _span_root(sent: Doc, start: int, end: int) -> Token | None:
    span = sent.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None
