"""Modality rules on hand-built parses (no model): the logic is tested apart from the parser."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from foreshock.extract.rules.modality import read_modality
from foreshock.records import Modality

CUES = {"not": "negation", "could": "modal_hyp", "will": "modal_future", "if": "conditional",
        "deny": "denial", "warn": "allege", "ready": "intent", "say": "report",
        "must": "obligation", "threaten": "pledge"}


VOCAB = spacy.blank("en").vocab


def parse(words: list[str], heads: list[int], deps: list[str], lemmas: list[str],
          tags: list[str] | None = None) -> Doc:
    # a blank English vocab gives tokens their lower-case forms, as the real pipeline does
    return Doc(VOCAB, words=words, heads=heads, deps=deps, lemmas=lemmas,
               tags=tags or ["VB"] * len(words))


def test_plain_verb_is_asserted() -> None:
    doc = parse(["Russia", "attacked", "Ukraine"], [1, 1, 1], ["nsubj", "ROOT", "dobj"],
                ["Russia", "attack", "Ukraine"])
    assert read_modality(doc[1], CUES, False).modality is Modality.ASSERTED


def test_negation_and_modal() -> None:
    doc = parse(["Russia", "did", "not", "attack"], [3, 3, 3, 3],
                ["nsubj", "aux", "neg", "ROOT"], ["Russia", "do", "not", "attack"])
    assert read_modality(doc[3], CUES, False).modality is Modality.NEGATED
    doc = parse(["Russia", "could", "attack"], [2, 2, 2], ["nsubj", "aux", "ROOT"],
                ["Russia", "could", "attack"])
    assert read_modality(doc[2], CUES, False).modality is Modality.HYPOTHETICAL


def test_denied_complement_is_negated_and_question_is_hypothetical() -> None:
    # Moscow denied preparing an attack
    doc = parse(["Moscow", "denied", "preparing", "attack"], [1, 1, 1, 2],
                ["nsubj", "ROOT", "xcomp", "dobj"], ["Moscow", "deny", "prepare", "attack"])
    assert read_modality(doc[3], CUES, False).modality is Modality.NEGATED
    assert read_modality(doc[1], CUES, False).modality is Modality.ASSERTED
    assert read_modality(doc[1], CUES, True).modality is Modality.HYPOTHETICAL


def test_warned_against_is_hypothetical_and_the_warning_asserted() -> None:
    doc = parse(["Blinken", "warned", "Russia", "against", "invading"], [1, 1, 1, 1, 3],
                ["nsubj", "ROOT", "dobj", "prep", "pcomp"],
                ["Blinken", "warn", "Russia", "against", "invade"])
    assert read_modality(doc[4], CUES, False).modality is Modality.HYPOTHETICAL
    assert read_modality(doc[1], CUES, False).modality is Modality.ASSERTED


def test_conjunct_is_not_governed_by_its_sibling() -> None:
    # Moscow denied X and accuses NATO: the accusation is asserted
    doc = parse(["Moscow", "denied", "it", "and", "accuses", "NATO"], [1, 1, 1, 1, 1, 4],
                ["nsubj", "ROOT", "dobj", "cc", "conj", "dobj"],
                ["Moscow", "deny", "it", "and", "accuse", "NATO"],
                ["NNP", "VBD", "PRP", "CC", "VBZ", "NNP"])
    assert read_modality(doc[4], CUES, False).modality is Modality.ASSERTED


def test_if_clause_is_hypothetical_and_report_keeps_the_speaker() -> None:
    # Kyiv said separatists shelled a village
    doc = parse(["Kyiv", "said", "separatists", "shelled", "village"], [1, 1, 3, 1, 3],
                ["nsubj", "ROOT", "nsubj", "ccomp", "dobj"],
                ["Kyiv", "say", "separatist", "shell", "village"])
    reading = read_modality(doc[3], CUES, False)
    assert reading.modality is Modality.ASSERTED
    assert reading.reported_by is not None and reading.reported_by.i == 1
    doc = parse(["if", "Russia", "invades"], [2, 2, 2], ["mark", "nsubj", "ROOT"],
                ["if", "Russia", "invade"])
    assert read_modality(doc[2], CUES, False).modality is Modality.HYPOTHETICAL


def test_intent_and_will() -> None:
    # the U.S. was ready to facilitate
    doc = parse(["US", "was", "ready", "to", "facilitate"], [1, 1, 1, 4, 2],
                ["nsubj", "ROOT", "acomp", "aux", "xcomp"],
                ["US", "be", "ready", "to", "facilitate"])
    reading = read_modality(doc[4], CUES, False)
    assert reading.modality is Modality.FUTURE
    assert reading.intent_cue is not None and reading.intent_cue.i == 2
    doc = parse(["Britain", "will", "send", "weapons"], [2, 2, 2, 2],
                ["nsubj", "aux", "ROOT", "dobj"], ["Britain", "will", "send", "weapon"])
    reading = read_modality(doc[2], CUES, False)
    assert reading.modality is Modality.FUTURE
    assert reading.intent_cue is not None and reading.intent_cue.i == 2
