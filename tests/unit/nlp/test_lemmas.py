"""The array lemmatizer sets exactly the lemmas spaCy's rule lemmatizer sets."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.lookups import Lookups, Table
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

from foreshock.nlp.lemmas import ArrayLemmas, lemmatize_by_arrays
from foreshock.pipeline import Context

#: invented sentences: irregular verbs and plurals, comparatives, contractions, a proper noun
#: that looks plural, a word seen twice with two parts of speech ("attacks", "rebels"), a
#: form the lemmatizer has no rule for, one form and part of speech with two morphologies and
#: two lemmas ("found" past of "find", "to found" a party)
SENTENCES = (
    "They found the hostages and now plan to found a party.",
    "The rebels were driven out after militias had seized the better-defended villages.",
    "Rebels' attacks worsened; the army attacks again, and the Philippines says it can't wait.",
    "Ministers went, saw and spoke; their deputies would've been quicker and wiser.",
    "Zxqwv flurbled the grimbles.",
    "",
)


def _lemmatizer(nlp: Language) -> Lemmatizer:
    component = nlp.get_pipe("lemmatizer")
    assert isinstance(component, Lemmatizer)
    return component


def _unlemmatized(nlp: Language) -> list[Doc]:
    with nlp.select_pipes(disable=["lemmatizer"]):
        return list(nlp.pipe(SENTENCES))


def _lemmas(docs: list[Doc]) -> list[list[str]]:
    return [[t.lemma_ for t in doc] for doc in docs]


def test_the_pipeline_lemmatizes_by_arrays(ctx: Context) -> None:
    assert getattr(_lemmatizer(ctx.nlp).pipe, "__self__", None).__class__ is ArrayLemmas


def test_same_lemmas_as_spacy(ctx: Context) -> None:
    spacy_lemmatizer = _lemmatizer(ctx.nlp)
    expected = _lemmas([Lemmatizer.__call__(spacy_lemmatizer, doc)
                        for doc in _unlemmatized(ctx.nlp)])
    assert expected[0][1] == "find" and expected[0][8] == "found"  # the lemmatizer ran
    arrays = ArrayLemmas(spacy_lemmatizer)
    assert _lemmas(list(arrays.pipe(_unlemmatized(ctx.nlp)))) == expected
    # and again from its memory of the combinations seen
    assert _lemmas(list(arrays.pipe(_unlemmatized(ctx.nlp)))) == expected


def test_a_lemma_set_before_is_kept_unless_the_lemmatizer_overwrites(ctx: Context) -> None:
    lemmatizer = _lemmatizer(ctx.nlp)
    doc = _unlemmatized(ctx.nlp)[1]
    doc[1].lemma_ = "insurgent"  # "rebels", lemmatized by an earlier component
    assert [t.lemma_ for t in ArrayLemmas(lemmatizer)(doc)][:3] == ["the", "insurgent", "be"]
    assert not lemmatizer.overwrite


def test_an_overwriting_lemmatizer_replaces_a_lemma_set_before(ctx: Context,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    lemmatizer = _lemmatizer(ctx.nlp)
    monkeypatch.setattr(lemmatizer, "overwrite", True)
    spacy_doc, arrays_doc = _unlemmatized(ctx.nlp)[1], _unlemmatized(ctx.nlp)[1]
    spacy_doc[1].lemma_ = arrays_doc[1].lemma_ = "insurgent"
    expected = [t.lemma_ for t in Lemmatizer.__call__(lemmatizer, spacy_doc)]
    assert expected[1] == "rebel"
    assert [t.lemma_ for t in ArrayLemmas(lemmatizer)(arrays_doc)] == expected


def test_new_tables_are_read_not_the_memory_of_the_old(ctx: Context,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    lemmatizer = _lemmatizer(ctx.nlp)
    arrays = ArrayLemmas(lemmatizer)
    assert [t.lemma_ for t in arrays(_unlemmatized(ctx.nlp)[0])][3] == "hostage"
    tables = Lookups()
    for name in lemmatizer.lookups.tables:
        tables.set_table(name, lemmatizer.lookups.get_table(name))
    tables.set_table("lemma_exc", Table.from_dict(
        {**lemmatizer.lookups.get_table("lemma_exc"), "noun": {"hostages": ["captive"]}}))
    monkeypatch.setattr(lemmatizer, "lookups", tables)
    monkeypatch.setattr(lemmatizer, "cache", {})  # spaCy's own memory of the old tables
    assert [t.lemma_ for t in arrays(_unlemmatized(ctx.nlp)[0])][3] == "captive"


def _blank_rule_lemmatizer(lookups: Lookups | None = None) -> tuple[Language, Lemmatizer]:
    """A blank English pipeline with a rule lemmatizer (no model to load), initialised with
    ``lookups`` or, without them, never initialised."""
    nlp = spacy.blank("en")
    component = nlp.add_pipe("lemmatizer", config={"mode": "rule"})
    assert isinstance(component, Lemmatizer)
    if lookups is not None:
        component.initialize(lookups=lookups)
    return nlp, component


def test_tables_never_checked_raise_spacys_error() -> None:
    nlp, component = _blank_rule_lemmatizer()
    doc = nlp.make_doc("Rebels seized villages")
    with pytest.raises(ValueError, match="E1004"):
        list(ArrayLemmas(component).pipe([doc]))


def test_only_spacys_generic_and_english_rule_lemmatizers_take_the_array_path(
        ctx: Context) -> None:
    nlp, _component = _blank_rule_lemmatizer(_lemmatizer(ctx.nlp).lookups)
    assert lemmatize_by_arrays(nlp)

    class Custom(Lemmatizer):
        """Its lemma may depend on more than form, part of speech and morphology."""

    custom, component = _blank_rule_lemmatizer(_lemmatizer(ctx.nlp).lookups)
    component.__class__ = Custom
    assert not lemmatize_by_arrays(custom)


def test_a_document_goes_on_after_a_handler_that_returns(ctx: Context,
                                                         monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    nlp, component = _blank_rule_lemmatizer(_lemmatizer(ctx.nlp).lookups)
    handled: list[str] = []
    component.set_error_handler(lambda name, *_: handled.append(name))

    def broken(token: object) -> list[str]:
        raise RuntimeError("no lemma")

    monkeypatch.setattr(component, "lemmatize", broken)
    doc = nlp.make_doc("Rebels seized villages")
    assert list(ArrayLemmas(component).pipe([doc])) == [doc]
    assert handled == ["lemmatizer"]
