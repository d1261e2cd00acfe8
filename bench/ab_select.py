"""A/B check for the speed work: the sentence selection before optimisation (Span.as_doc,
a token walk for pronouns, quadratic paragraph counting) against the current one, on the gold
sets. Run: .venv/bin/python bench/ab_select.py [SHARED_DIR]. Prints both scores and whether
every sentence got identical predictions."""
import sys
from pathlib import Path

import foreshock.pipeline as P
from foreshock.evaluate.gold import read_gold
from foreshock.evaluate.importers import load
from foreshock.evaluate.run import evaluate
from foreshock.extract.rules.actors import PERSONAL
from foreshock.settings import Settings

SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared"

def old_select(article, ctx, number):
    doc = ctx.splitter(article.text)
    has_actor = {doc[start].sent.start for _, start, _e in ctx.matcher(doc)}
    units, texts, seen = [], [], set()
    for index, sent in enumerate(doc.sents):
        para = article.text.count("\n\n", 0, sent.start_char)
        keep = not ctx.settings.prefilter or sent.start in has_actor
        if not keep and para in seen:
            keep = any(t.lower_ in PERSONAL for t in sent)
        if sent.start in has_actor:
            seen.add(para)
        if keep and len(sent.text) <= P.MAX_SENTENCE_CHARS and sent.text.strip():
            units.append(P._Unit(number, index, sent.start_char, para))
            texts.append(sent.as_doc())
    return units, texts

ctx = P.load_context(Settings())
sets = {"gold-dev": list(read_gold(SHARED / "data" / "gold-dev" / "events.jsonl")),
        "plover": list(load("plover", SHARED / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"))}
for name, sents in sets.items():
    new_r, new_o, t_new = evaluate(sents, ctx)
    current = P._select
    P._select = old_select
    old_r, old_o, t_old = evaluate(sents, ctx)
    P._select = current
    same = [a.predictions == b.predictions for a, b in zip(new_o, old_o, strict=True)]
    print(f"{name}: before P {old_r.precision:.3f} R {old_r.recall:.3f} ({t_old:.1f}s) | "
          f"after P {new_r.precision:.3f} R {new_r.recall:.3f} ({t_new:.1f}s) | "
          f"identical predictions: {all(same)} ({sum(same)}/{len(same)})")
