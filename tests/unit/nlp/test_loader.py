"""The pipeline's networks multiply through numpy, and parse as they did through BLIS."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps

from foreshock.nlp import loader
from foreshock.nlp.loader import load_pipeline, multiply_with_numpy
from foreshock.pipeline import Context

#: invented sentences: a long one with coordination and a relative clause, a headline, a
#: question, a quote, numbers -- the parse has to decide many heads and labels
SENTENCES = (
    "The foreign ministers of Armenia and Azerbaijan, who met in Geneva on Tuesday, agreed "
    "to withdraw their forces from the line of contact and to exchange prisoners.",
    "Rebels seize airport as army retreats",
    "Will the government release the 14 detained journalists before the talks resume?",
    "\"We will not be intimidated,\" the president said, warning of sanctions.",
)


def _layers(nlp: Language) -> list[NumpyOps]:
    return [layer.ops for _name, component in nlp.pipeline
            if (model := getattr(component, "model", None)) is not None
            for layer in model.walk()]


def _parse(nlp: Language) -> tuple[list[list[tuple[str, str, int, str, str]]], list[Doc]]:
    docs: list[Doc] = list(nlp.pipe(SENTENCES))
    return [[(t.tag_, t.dep_, t.head.i, t.pos_, t.lemma_) for t in doc] for doc in docs], docs


def test_no_layer_of_the_loaded_pipeline_multiplies_with_blis(ctx: Context) -> None:
    ops = _layers(ctx.nlp)
    assert len(ops) > 20
    assert all(isinstance(o, NumpyOps) and not o.use_blis for o in ops)


def test_the_parse_is_the_one_blis_gives(ctx: Context) -> None:
    # a pipeline as spaCy loads it (BLIS), then switched: tags, heads, labels and lemmas
    # of every token must stay what they were (the change is for speed only); the token
    # vectors, summed in another order, move in their last bits only
    nlp = load_pipeline(ctx.settings.model)
    for layer in (layer for _n, c in nlp.pipeline if (m := getattr(c, "model", None))
                  for layer in m.walk()):
        layer.ops = NumpyOps(use_blis=True)
    before, blis_docs = _parse(nlp)
    assert multiply_with_numpy(nlp) > 20
    after, numpy_docs = _parse(nlp)
    assert after == before
    for blis_doc, numpy_doc in zip(blis_docs, numpy_docs, strict=True):
        assert np.allclose(blis_doc.tensor, numpy_doc.tensor, rtol=0, atol=1e-5)
    assert multiply_with_numpy(nlp) == 0  # nothing left to switch


def test_loading_sets_one_blas_thread_before_leaving_blis(ctx: Context,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    calls: list[int] = []

    def threads_set(count: int) -> int:
        calls.append(count)
        return count

    # numpy's BLAS set to one thread: the products move to numpy
    monkeypatch.setattr(loader, "single_thread_blas", lambda: threads_set(1))
    assert all(not o.use_blis for o in _layers(load_pipeline(ctx.settings.model)))
    assert calls == [1]
    # no OpenBLAS found to set (another BLAS, another system): BLIS, one thread, stays
    monkeypatch.setattr(loader, "single_thread_blas", lambda: threads_set(0))
    assert all(o.use_blis for o in _layers(load_pipeline(ctx.settings.model)))
    assert calls == [1, 0]
