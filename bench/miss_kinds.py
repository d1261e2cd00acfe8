"""Why the hybrid coder misses gold events of one annotated set (a script, not a test).

    python bench/miss_kinds.py annotations/validation.jsonl

Counts only, never sentences (the view of validation errors the project allows).  Each gold
event is sorted by the first step that lost it: no candidate pair of its two actors was
proposed; the pair was proposed but the sentence was not encoded (a rule event there under
the "quiet" policy -- none asserted, one on the event's own pair with another root, or only
other pairs' -- or the encoder gate); the classifier read the pair but scored it under
the threshold or gave another root (by P(event) band, with the root right or wrong, and the
modality it read); or it was found.  A meeting matches either way round, as the scorer's.
The kinds are a diagnosis of where recall is lost, not the score: ``foreshock eval`` is.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MEETING = "04"


def _band(p: float) -> str:
    return ">=0.8" if p >= 0.8 else "0.5-0.8" if p >= 0.5 else "0.2-0.5" if p >= 0.2 else "<0.2"


def _missing(source: str, target: str | None, codes: set[str]) -> str:
    """Which of the event's actors no party of the sentence carried, and of what kind (a
    country's three letters, or an organisation's code)."""
    def kind(code: str) -> str:
        return "country" if len(code) == 3 and code.isupper() else "organisation"
    lost = [f"{role} ({kind(code)})" for role, code in (("source", source), ("target", target))
            if code and code not in codes]
    return ", ".join(lost) + " not proposed" if lost else "both proposed, not as this pair"


def _behind(rules: Sequence[Any], source: str, target: str | None) -> str:
    """Which rule events keep the classifier from a sentence (the "quiet" policy): none of
    them asserted (a planned, denied or conditional act), one on the gold event's own pair
    with another root, or only events of other pairs."""
    asserted = [r for r in rules if r.modality.value == "asserted"]
    if not asserted:
        return "a rule event there, none asserted"
    pair = {source, target}
    if any({r.source.code, r.target.code if r.target else None} == pair for r in asserted):
        return "a rule event there, on this pair with another root"
    return "a rule event there, on other pairs"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("annotations", type=Path)
    args = parser.parse_args(argv)

    from foreshock.evaluate.gold import read_gold
    from foreshock.evaluate.run import predict
    from foreshock.extract.coder import HybridCoder
    from foreshock.extract.learned.features import ROOTS
    from foreshock.pipeline import load_context
    from foreshock.settings import Settings

    sentences = list(read_gold(args.annotations))
    ctx = load_context(Settings(coder="hybrid"))
    coder = ctx.coder
    if not isinstance(coder, HybridCoder):
        raise SystemExit("the hybrid coder did not load")
    seen: list[tuple[Any, Any, bool]] = []  # (proposal, scores, encoded) per sentence coded
    classify = coder.classifier.classify
    last: dict[str, Any] = {}

    def recording_classify(items: Any) -> Any:
        last["scores"] = classify(items)
        return last["scores"]

    decide = coder.decide

    def recording_decide(proposals: Any) -> Any:
        out = decide(proposals)
        seen.extend((p, s, coder.encodes(p)) for p, s in zip(proposals, last["scores"],
                                                              strict=True))
        return out

    coder.classifier.classify = recording_classify  # type: ignore[method-assign]
    coder.decide = recording_decide  # type: ignore[method-assign]
    predictions = predict(sentences, ctx)
    by_text: dict[str, list[tuple[Any, Any, bool]]] = {}
    for proposal, scores, encoded in seen:
        by_text.setdefault(proposal.sentence.text.strip(), []).append(
            (proposal, scores, encoded))

    kinds: Counter[str] = Counter()
    for sentence, predicted in zip(sentences, predictions, strict=True):
        asserted = [p for p in predicted if p.modality == "asserted"]
        units = [u for text, group in by_text.items() if text and (
            text in sentence.text or sentence.text.strip() in text) for u in group]
        for event in sentence.events:
            if any(p.source == event.source and (p.target or None) == event.target and
                   p.code[:2] in event.roots for p in asserted) or (
                    MEETING in event.roots and any(
                        p.code[:2] == MEETING and {p.source, p.target} ==
                        {event.source, event.target} for p in asserted)):
                kinds["found"] += 1
                continue
            wanted = {(event.source, event.target)}
            if MEETING in event.roots and event.target:
                wanted.add((event.target, event.source))
            hits = [(u, [i for i, pair in enumerate(u[0].pairs) if pair.key in wanted])
                    for u in units]
            hits = [h for h in hits if h[1]]
            if not hits:
                codes = {c for u in units for pair in u[0].pairs
                         for c in (pair.key[0], pair.key[1]) if c}
                kinds["no candidate pair: " + _missing(event.source, event.target, codes)] += 1
                continue
            (proposal, scores, encoded), index = hits[0]
            if not encoded or not scores:
                kinds["pair proposed, sentence not encoded: " + (
                    _behind(proposal.rules, event.source, event.target)
                    if proposal.rules else "the gate")] += 1
                continue
            best = max((scores[i] for i in index), key=lambda s: s.p_event)
            right = best.root in event.roots and best.root in ROOTS
            kinds[f"encoded, P(event) {_band(best.p_event)}, root "
                  f"{'right' if right else 'wrong'}, read {best.mode}"] += 1
    total = sum(kinds.values())
    print(f"{args.annotations}: {total} gold events")
    for kind, count in kinds.most_common():
        print(f"  {count:5d}  {kind}")


if __name__ == "__main__":
    main()
