"""The rule lemmatizer's lemmas set through arrays instead of token by token.

spaCy's ``Lemmatizer`` walks a parsed document token by token, builds each ``Token`` and its
``MorphAnalysis`` to look its cache up, and sets ``token.lemma_`` one string at a time: 0.15
CPU s of the 2.4 s parse of the sentences of 100 White House documents, for lemmas that
depend on nothing but a token's form, part of speech and morphology.  ``ArrayLemmas`` reads
those three as integers in one ``Doc.to_array``, remembers the lemma of each combination
(asking the lemmatizer itself, with the token, the first time one is seen) and writes the
lemmas back in one ``Doc.from_array``.  Tokens that already have a lemma keep it unless the
lemmatizer overwrites, as spaCy's does.  The lemmas are the same (``tests/unit/nlp``).

The memory is sound for spaCy's generic and English rule lemmatizers, whose lemma of a token
depends on those three and on the lookup tables only; other lemmatizers keep spaCy's loop.
A lemmatizer given a new ``Lookups`` object starts a new memory; tables changed in place are
not seen (nor by spaCy's own cache, until it is cleared).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc


class ArrayLemmas:
    """The ``pipe`` of a spaCy ``Lemmatizer``, by arrays (see the module's docstring)."""

    #: combinations of form, part of speech and morphology remembered: a bound on this
    #: memory (spaCy's lemmatizer keeps its own cache of the forms it lemmatizes, unbounded)
    CACHE = 200_000

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.lemmatizer = lemmatizer
        self._seen: dict[tuple[int, int, int], int] = {}
        self._tables: Lookups | None = lemmatizer.lookups  # what ``_seen`` was read from

    def __call__(self, doc: Doc) -> Doc:
        if not self.lemmatizer._validated:
            # tables not checked yet: spaCy's own call checks them (E1004 if one is
            # missing) and lemmatizes this document token by token
            return self.lemmatizer(doc)
        if self.lemmatizer.lookups is not self._tables:
            self._seen, self._tables = {}, self.lemmatizer.lookups
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = np.array(rows[:, 3:4], dtype=np.uint64)
        strings = doc.vocab.strings
        overwrite = self.lemmatizer.overwrite
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = self._seen.get(key)
            if found is None:
                found = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                if len(self._seen) >= self.CACHE:
                    self._seen.clear()
                self._seen[key] = found
            lemmas[i, 0] = found
        doc.from_array([LEMMA], lemmas)  # type: ignore[arg-type]  # (thinc types it Ints2d)
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        """``Pipe.pipe`` over ``Lemmatizer.__call__``: each document in turn; an error goes
        to the component's handler, which by default raises.  After a handler that returns,
        the document goes on without this component's lemmas (spaCy's loop would pass None
        on or drop it, which the coder's one parse per sentence cannot take)."""
        error_handler = self.lemmatizer.get_error_handler()
        for doc in stream:
            try:
                yield self(doc)
            except Exception as exc:
                error_handler(self.lemmatizer.name, self.lemmatizer, [doc], exc)
                yield doc


def lemmatize_by_arrays(nlp: Language) -> bool:
    """Give the pipeline's rule lemmatizer the array path for ``nlp.pipe``; False (and
    spaCy's loop kept) when there is none, or it is not spaCy's generic or English one.
    ``nlp(text)`` still calls spaCy's own loop: the same lemmas, token by token."""
    for _name, component in nlp.pipeline:
        # exactly these two classes (a subclass may read more than the three); the
        # isinstance tells the type checker what the exact type test already says
        if type(component) in (Lemmatizer, EnglishLemmatizer) and \
                isinstance(component, Lemmatizer) and component.mode == "rule":
            component.pipe = ArrayLemmas(component).pipe  # type: ignore[method-assign]
            return True
    return False
