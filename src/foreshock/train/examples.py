"""Labelled pairs from annotated sentences: what the classifier learns from.

Each annotated sentence goes through the real pipeline (its context first, as ``foreshock
eval`` does); the candidate stage proposes the sentence's pairs, and each pair takes its label
from the annotation: the root of the gold event with that source and target (04 either way),
or the root of a trap with a non-asserted modality, or "none".  The same function serves
training and the policy choice, so both see the pairs coding will see.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap
from foreshock.evaluate.run import as_article
from foreshock.extract.candidates import Pair
from foreshock.extract.coder import Proposal, RulesCoder, armed_dyad, spans
from foreshock.extract.learned.features import MODALITIES, ROOTS, PairSpans
from foreshock.pipeline import Context, propose_documents

MEETING = "04"
#: the first word of a trap's ``why`` (annotations/BRIEF.md) -> the modality it stands for
TRAP_MODES = {"negated": "negated", "denied": "negated", "hypothetical": "hypothetical",
              "conditional": "hypothetical", "warned-against": "hypothetical",
              "question": "hypothetical", "planned": "future", "background": "background"}


@dataclass(frozen=True, slots=True)
class Example:
    """One annotated sentence as the classifier sees it."""

    sentence_id: str
    text: str
    pairs: tuple[PairSpans, ...]
    keys: tuple[tuple[str, str | None], ...]
    roots: tuple[int, ...]  # index into ROOTS (0: none)
    modes: tuple[int, ...]  # index into MODALITIES (only read where the root is not none)


@dataclass(frozen=True, slots=True)
class Proposed:
    """An annotated sentence with what the first coding step found in it."""

    gold: GoldSentence
    proposals: tuple[Proposal, ...]


def propose(sentences: Sequence[GoldSentence], ctx: Context, chunk: int = 64
            ) -> list[Proposed]:
    """Run the candidate stage over annotated sentences (the sentence's own proposals only,
    not its context's)."""
    proposer = replace(ctx, coder=RulesCoder(ctx.extractor, with_pairs=True))
    out: list[Proposed] = []
    for start in range(0, len(sentences), chunk):
        batch = sentences[start:start + chunk]
        articles = [as_article(s) for s in batch]
        proposed, _ = propose_documents([a for a, _ in articles], proposer)
        for sentence, (_, offset), (found, _problems) in zip(batch, articles, proposed,
                                                             strict=True):
            own = tuple(p for unit, p in found if unit.offset >= offset)
            out.append(Proposed(sentence, own))
    return out


def label(pair: Pair, gold: GoldSentence) -> tuple[int, int]:
    """(root index, modality index) of a pair under an annotation."""
    source, target = pair.key
    event = _event_for(pair, gold.events)
    if event is not None:
        return ROOTS.index(event.codes[0][:2]), MODALITIES.index("asserted")
    trap = _trap_for(source, target, gold.traps)
    if trap is not None:
        mode = TRAP_MODES.get(trap.why.split(":")[0].split()[0].lower() if trap.why else "")
        if mode is not None:
            return ROOTS.index(trap.root), MODALITIES.index(mode)
    return 0, 0


def _event_for(pair: Pair, events: Sequence[GoldEvent]) -> GoldEvent | None:
    source, target = pair.key
    found = []
    for event in events:
        mirrored = event.codes[0][:2] == MEETING and (event.target, event.source) == (source,
                                                                                    target)
        if (event.source, event.target) == (source, target) or mirrored:
            found.append(event)
    if not found:
        return None
    # a domestic pair (police and protesters of one country): the event whose sectors fit
    sectors = (pair.source.actor.sector, pair.target.actor.sector if pair.target else None)
    for event in found:
        if (event.source_sector, event.target_sector) == sectors or (
                event.codes[0][:2] == MEETING and
                (event.target_sector, event.source_sector) == sectors):
            return event
    # an army and rebels of one country are proposed each way: only the way the annotation
    # has is the event (the merged pair of the country with itself takes any of its events)
    return None if armed_dyad(pair) else found[0]


def _trap_for(source: str, target: str | None, traps: Sequence[Trap]) -> Trap | None:
    for trap in traps:
        if trap.source == source and trap.target == target:
            return trap
    return None


def examples(proposed: Sequence[Proposed]) -> list[Example]:
    out = []
    for item in proposed:
        for n, proposal in enumerate(item.proposals):
            if not proposal.pairs:
                continue
            labels = [label(p, item.gold) for p in proposal.pairs]
            out.append(Example(f"{item.gold.sentence_id}#{n}", proposal.sentence.text,
                               tuple(spans(p, proposal.sentence) for p in proposal.pairs),
                               tuple(p.key for p in proposal.pairs),
                               tuple(r for r, _ in labels), tuple(m for _, m in labels)))
    return out


def coverage(proposed: Sequence[Proposed]) -> tuple[int, int]:
    """(gold events some candidate pair can express, all gold events): the ceiling the
    candidate stage puts on the classifier's recall."""
    reachable = total = 0
    for item in proposed:
        keys = {p.key for prop in item.proposals for p in prop.pairs}
        for event in item.gold.events:
            total += 1
            if (event.source, event.target) in keys or (
                    event.target is not None and (event.target, event.source) in keys and
                    event.codes[0][:2] == MEETING) or (
                    event.target is None and any(k[0] == event.source for k in keys)):
                reachable += 1
    return reachable, total


def held_out(sentence_id: str, share: float, seed: int) -> bool:
    """A stable part of the training annotations for choosing the policy, by sentence id."""
    digest = hashlib.sha256(f"{seed}:{sentence_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share
