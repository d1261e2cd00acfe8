"""Where the coding time goes, stage by stage, in CPU seconds (a script, not a test).

    PYTHONPATH=src .venv/bin/python bench/coding_phases.py /tmp/wh100.jsonl --coder hybrid

Ingests INPUT into a fresh database under /tmp, loads the coder once, then codes every article
``--passes`` times in chunks of 8 (as ``foreshock run`` does at that speed) and prints, per
pass, the process CPU time of the sentence selection, the spaCy parse, the first coding step
(rules and candidate pairs), the encoder and the rest of the second step.  CPU time, not wall
time: on a machine shared with other jobs it moves far less (the classifier's threads that
spin, if any, count).  The first pass is what a run pays; later ones run with warm caches
(tokenizer, lemmatizer, the classifier's sentence cache as far as it reaches).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import foreshock
import foreshock.pipeline as pipeline
from foreshock.pipeline import code_documents, load_context
from foreshock.records import Article
from foreshock.runners.local import stored_articles
from foreshock.settings import load_settings


def articles_of(path: str) -> list[Article]:
    with tempfile.TemporaryDirectory() as tmp:
        db = foreshock.open(Path(tmp) / "phases.duckdb", create=True)
        db.ingest([path])
        with db.reading() as con:
            return stored_articles(con)


def timed(spent: dict[str, float], key: str, function: Callable[..., Any]
          ) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[key] = spent.get(key, 0.0) + time.process_time() - start
    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("--coder", default="rules")
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--classifier", default=None,
                        help="the classifier's model directory [default: the bundled one]")
    opts = parser.parse_args()
    articles = articles_of(opts.input)
    words = sum(len(a.text.split()) for a in articles)
    ctx = load_context(load_settings(None, coder=opts.coder,
                                      model_dir=opts.classifier))
    spent: dict[str, float] = {}
    pipeline._select = timed(spent, "select", pipeline._select)  # type: ignore[assignment]
    pipeline._propose = timed(spent, "propose", pipeline._propose)  # type: ignore[assignment]
    ctx.coder.decide = timed(spent, "decide", ctx.coder.decide)  # type: ignore[method-assign]
    classifier = getattr(ctx.coder, "classifier", None)
    if classifier is not None:
        classifier.session.run = timed(spent, "encoder", classifier.session.run)
    parse = ctx.nlp.pipe

    def parse_all(texts: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        docs = list(parse(texts, **kwargs))  # the parse runs lazily: consume it here
        spent["parse"] = spent.get("parse", 0.0) + time.process_time() - start
        return iter(docs)

    ctx.nlp.pipe = parse_all  # type: ignore[method-assign]
    load = os.getloadavg()[0]
    print(f"# {opts.input}: {len(articles)} articles, {words} words, coder {opts.coder}, "
          f"{platform.node()}, {os.cpu_count()} CPUs, load {load:.1f}")
    for number in range(opts.passes):
        spent.clear()
        start = time.process_time()
        events = 0
        for i in range(0, len(articles), 8):
            events += sum(len(r.events) for r in code_documents(articles[i:i + 8], ctx))
        total = time.process_time() - start
        spent["decide"] = spent.get("decide", 0.0) - spent.get("encoder", 0.0)
        rest = total - sum(spent.values())
        parts = " ".join(f"{k} {v:.2f}" for k, v in spent.items())
        print(f"pass {number + 1}: {total:.2f} CPU s ({words / total:,.0f} words per CPU s), "
              f"{events} events; {parts}, other {rest:.2f}")


if __name__ == "__main__":
    main()
