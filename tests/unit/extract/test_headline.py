"""The headline repair's tree surgery (``extract/rules/headline.py``): what each misparse
becomes, checked on the tree itself, where the coded events cannot tell."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from foreshock.extract.rules.headline import repair_headline_verbs
from foreshock.pipeline import Context


def _repaired(ctx: Context, text: str) -> tuple[Doc, list[str]]:
    doc = ctx.nlp(text)
    rules = ctx.coder.rules  # type: ignore[attr-defined]
    fixed = repair_headline_verbs(doc, rules.lexicon.verbs, rules._actor_like)
    return doc, [t.text for t in fixed]


def _arcs(doc: Doc) -> dict[str, tuple[str, str]]:
    return {t.text: (t.dep_, t.head.text) for t in doc}


@pytest.mark.parametrize(("text", "first", "second", "obj"), [
    # "Chad" modifies "fire", "Sudan" its conjunct
    ("Chad and Sudan trade fire across the border.", "Chad", "Sudan", "fire"),
    # "Ghana" the root, "gunfire" its conjunct, "Togo" a compound of "gunfire"
    ("Ghana and Togo trade gunfire across the border.", "Ghana", "Togo", "gunfire"),
])
def test_coordinated_names_become_the_subjects_of_the_verb(
        ctx: Context, text: str, first: str, second: str, obj: str) -> None:
    doc, fixed = _repaired(ctx, text)
    arcs = _arcs(doc)
    assert fixed == ["trade"]
    assert arcs["trade"] == ("ROOT", "trade")
    assert arcs[first] == ("nsubj", "trade") and arcs[second] == ("conj", first)
    assert arcs[obj] == ("dobj", "trade")
    assert len(list(doc.sents)) == 1


def test_a_noun_that_is_another_verbs_subject_is_no_object(ctx: Context) -> None:
    # "trade war" is what escalates: repairing "trade" would make "escalates" its object
    doc, fixed = _repaired(ctx, "Brazil and Argentina trade war escalates over beef tariffs.")
    assert "trade" not in fixed
    assert doc[[t.text for t in doc].index("escalates")].dep_ == "ROOT"


def test_the_noun_before_in_is_the_subject_of_a_verb_read_inside_the_place(
        ctx: Context) -> None:
    doc, fixed = _repaired(ctx, "Soldiers in Niger detain President Mohamed Bazoum.")
    arcs = _arcs(doc)
    assert fixed == ["detain"]
    assert arcs["detain"] == ("ROOT", "detain")
    assert arcs["Soldiers"] == ("nsubj", "detain")
    assert arcs["Niger"] == ("pobj", "in") and arcs["in"] == ("prep", "Soldiers")
    assert arcs["Bazoum"] == ("dobj", "detain")
    assert len(list(doc.sents)) == 1
