"""The attribute ruler's indexed matcher finds exactly what spaCy's Matcher finds."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler

from foreshock.nlp.attribute_rules import IndexedMatcher, index_attribute_ruler, indexed_rules
from foreshock.pipeline import Context

#: invented sentences with the ruler's special cases: contractions ("n't", "y'"), "that" as
#: determiner and relativiser, auxiliaries, pronouns, extra spaces, a two-word "of course"
SENTENCES = (
    "They didn't say whether that plan, which the ministers can't accept, was final.",
    "Y'all know we would've signed it , of course, but nothin' came  of  it.",
    "I told her that those talks had been postponed; something else is needed.",
    "The minister 'd rather wait, as anybody would.",
    "",
)


def _ruler(nlp: Language) -> AttributeRuler:
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    return ruler


def test_the_pipeline_uses_the_indexed_matcher(ctx: Context) -> None:
    assert isinstance(_ruler(ctx.nlp).match, IndexedMatcher)


def test_same_matches_as_spacy(ctx: Context) -> None:
    ruler = _ruler(ctx.nlp)
    indexed = IndexedMatcher(indexed_rules(ruler) or [], ruler.vocab.strings)
    before_ruler = [name for name in ctx.nlp.pipe_names if name not in
                    {"attribute_ruler", "lemmatizer"}]
    with ctx.nlp.select_pipes(enable=before_ruler):
        docs = list(ctx.nlp.pipe(SENTENCES))
    assert sum(len(indexed(doc)) for doc in docs) > 40
    for doc in docs:
        spacy_matches = AttributeRuler.match(ruler, doc)
        assert indexed(doc) == sorted(set(spacy_matches))


def test_same_annotations_as_spacy(ctx: Context) -> None:
    plain = spacy.load(ctx.settings.model, exclude=["ner", "senter"])
    for ours, theirs in zip(ctx.nlp.pipe(SENTENCES), plain.pipe(SENTENCES), strict=True):
        assert [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in ours] == \
            [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in theirs]


def test_patterns_beyond_equality_keep_spacys_matcher() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": {"FUZZY": "talks"}}]], {"POS": "NOUN"})
    assert not index_attribute_ruler(nlp)
    assert not isinstance(ruler.match, IndexedMatcher)


def test_lemma_word_lists_are_sets_and_lemmas_unchanged(ctx: Context) -> None:
    lemmatizer = ctx.nlp.get_pipe("lemmatizer")
    assert all(isinstance(words, frozenset)
               for words in lemmatizer.lookups.get_table("lemma_index").values())
    plain = spacy.load(ctx.settings.model, exclude=["ner", "senter"])
    text = "The envoys were negotiating ceasefires, having mediated the stalled talks twice."
    assert [t.lemma_ for t in ctx.nlp(text)] == [t.lemma_ for t in plain(text)]
