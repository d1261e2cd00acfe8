"""The candidate stage: which actor pairs of a sentence may carry an event.

A learned classifier does not find actors; it judges the pairs this stage proposes.  The
parties of a sentence are every noun phrase the rules' resolver turns into an actor (a
dictionary name, a capital, "Russian troops", a pronoun that points back, a sector noun in a
one-country paragraph), grouped by actor code and sector; the pairs are every ordered pair of
parties with different codes, each party alone (no target), and each party with itself for
domestic events ("police detained demonstrators").
Training (``foreshock train``) and coding use this one function, so the classifier sees at
run time exactly the kind of pair it learned from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.rules.actors import Mention, Resolver
from foreshock.records import ARMED_SECTORS

MAX_PARTIES = 8  # 8 parties are 64 pairs; longer lists are enumerations, not events


@dataclass(frozen=True, slots=True)
class Party:
    """One actor of a sentence and where the sentence names it (character offsets)."""

    actor: Actor
    spans: tuple[tuple[int, int], ...]

    @property
    def code(self) -> str:
        return self.actor.code


@dataclass(frozen=True, slots=True)
class Pair:
    source: Party
    target: Party | None

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.source.code, self.target.code if self.target else None)


def parties(sentence: Doc, mentions: dict[int, Mention], resolver: Resolver) -> list[Party]:
    """The sentence's actors in order of first mention."""
    found: dict[tuple[str, str | None], list[tuple[int, int]]] = {}
    actors: dict[tuple[str, str | None], Actor] = {}
    seen_mentions: set[int] = set()
    for token in sentence:
        mention = mentions.get(token.i)
        if mention is not None:
            if id(mention) in seen_mentions:
                continue
            seen_mentions.add(id(mention))
            last = sentence[mention.span_end - 1]
            actor = resolver.resolve(last) or _bare(mention)
            start = sentence[mention.span_start].idx
            span = (start, last.idx + len(last.text))
        elif token.pos_ in {"NOUN", "PROPN", "PRON"}:
            actor = resolver.resolve(token)
            span = (token.idx, token.idx + len(token.text))
        else:
            continue
        if actor is None or actor.kind == "venue":
            continue
        key = (actor.code, actor.sector)
        actors.setdefault(key, actor)
        found.setdefault(key, []).append(span)
    out = [Party(actors[k], tuple(found[k])) for k in actors]
    return out[:MAX_PARTIES]


def with_rule_actors(found: Sequence[Party], rule_events: Sequence[Candidate],
                     text: str) -> list[Party]:
    """Add the actors of rule events that the walk does not see (a target the rules took
    from the paragraph), so that the classifier judges those pairs too."""
    codes = {p.code for p in found}
    out = list(found)
    for cand in rule_events:
        for actor in (cand.source, cand.target):
            if actor is None or actor.code in codes:
                continue
            codes.add(actor.code)
            at = text.find(actor.text) if actor.text else -1
            out.append(Party(actor, ((at, at + len(actor.text)),) if at >= 0 else ()))
    return out[:MAX_PARTIES + 2]


def with_speaker(found: Sequence[Party], speaker: Actor | None) -> list[Party]:
    """Add the actor a text speaks for (a White House readout: the United States) where the
    sentence does not name it: in a government's own releases its acts often go unnamed
    ("The Vice President condemned Russia's invasion", "Leaders discussed ...", "Sweden and
    Finland are strong partners" as praise), and a pair never proposed can never be found.
    The party has no span: the classifier reads the sentence for it."""
    if speaker is None or any(p.code == speaker.code for p in found):
        return list(found)
    return [*found, Party(speaker, ())]


def _bare(mention: Mention) -> Actor | None:
    """An adjective or name the resolver did not take as an argument still names a party
    ("an American drone strike")."""
    entry = mention.entry
    if entry.kind in {"venue", "place"}:
        return None
    return Actor(entry.code, entry.sector or "GOV", mention.text, entry.kind)


def pairs(found: Sequence[Party]) -> list[Pair]:
    """Every party alone, every ordered pair of different codes, and each code with itself
    (domestic events: police and protesters, a court and a minister of one country); where a
    country's mentions include both of its armed sides (army and rebels), also those two,
    each way, ahead of the country with itself: "fighting between the Sudanese Armed Forces
    and the Rapid Support Forces" is SDN-MIL against SDN-REB, a dyad of its own, where the
    one merged party made it the army against itself."""
    by_code: dict[str, list[Party]] = {}
    for party in found:
        by_code.setdefault(party.code, []).append(party)
    merged = [_merged(group) for group in by_code.values()]
    out = [Pair(p, None) for p in merged]
    out += [Pair(a, b) for a in merged for b in merged if a.code != b.code]
    for group, party in zip(by_code.values(), merged, strict=True):
        sides = armed_sides(group)
        out += [Pair(a, b) for a in sides for b in sides if a is not b]
        out.append(Pair(party, party))
    return out


def _merged(group: Sequence[Party]) -> Party:
    return Party(group[0].actor, tuple(s for p in group for s in p.spans))


def armed_sides(group: Sequence[Party]) -> list[Party]:
    """One party per armed sector of one country's mentions when it has both (army and
    rebels); else none."""
    by_sector: dict[str, list[Party]] = {}
    for party in group:
        if party.actor.sector in ARMED_SECTORS:
            by_sector.setdefault(party.actor.sector, []).append(party)
    if not set(ARMED_SECTORS) <= set(by_sector):
        return []
    return [_merged(parties) for parties in by_sector.values()]
