"""The extractor contract: a parsed sentence in, candidate events out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from spacy.tokens import Doc

from foreshock.records import Modality, is_armed_dyad


@dataclass(frozen=True, slots=True)
class Actor:
    code: str
    sector: str | None
    text: str
    kind: str

    def with_itself(self, other: Actor) -> bool:
        """Whether ``other`` is this actor's own country (any sector), not a second side: a
        country's army and rebels are two sides of a war, a dyad."""
        return other.code == self.code and not is_armed_dyad(self.sector, other.sector)


@dataclass(frozen=True, slots=True)
class Candidate:
    """An event found in one sentence, before ids, Goldstein and storage fields."""

    code: str
    source: Actor
    target: Actor | None
    modality: Modality
    pattern: str
    trigger_start: int  # character offsets within the sentence
    trigger_end: int
    trigger: str
    reported_by: str | None = None


@dataclass(slots=True)
class Discourse:
    """Actors seen so far in the current paragraph, for the deterministic pronoun rule.

    Mutable on purpose and owned by one document's coding call (never shared).
    """

    people: list[Actor] = field(default_factory=list)
    groups: list[Actor] = field(default_factory=list)  # countries, organisations, groups
    #: names introduced with a title earlier in the article ("Kremlin spokesman Dmitry
    #: Peskov"), so that a later bare "Peskov" is still an actor; kept for the whole article
    names: dict[str, Actor] = field(default_factory=dict)
    #: who acted on whom in the paragraph so far, and the actors of its last sentence in
    #: order: where a reply ("Moscow denies any such plan") finds its unnamed target
    dyads: list[tuple[Actor, Actor]] = field(default_factory=list)
    last: list[Actor] = field(default_factory=list)
    #: who "I" and "we" are: the actor the outlet speaks for (White House texts: USA)
    speaker: Actor | None = None
    #: the text's title names no country but the speaker's ("Meeting with Government
    #: members", "Meeting on road construction"): the speaker's acts with no one named are
    #: addressed at home
    domestic: bool = False
    #: pairs the text has introduced, latest last: coordinated actors ("Colombia and
    #: Ecuador", "the French and Nigerian presidents") and the participants of a meeting or a
    #: call; what "the two governments", "both leaders" and "his counterpart" point back to.
    #: Kept for the whole article: a release names the call first and "the two leaders" later
    pairs: list[tuple[Actor, Actor]] = field(default_factory=list)
    #: the pairs of ``pairs`` that met or talked (asserted meetings and calls)
    meetings: list[tuple[Actor, Actor]] = field(default_factory=list)
    #: the previous sentence's subject, if an actor: where a subject pronoun points first
    subject: Actor | None = None
    #: a pair the previous sentence introduced ("Putin had a telephone conversation with
    #: Lukashenko."): what a following "They expressed concern ..." refers to
    recent_pair: tuple[Actor, Actor] | None = None

    def remember(self, actor: Actor) -> None:
        (self.people if actor.kind == "person" else self.groups).append(actor)

    def introduce(self, name: str, actor: Actor) -> None:
        self.names[name] = actor
        self.people.append(actor)

    def counterpart(self, sources: list[Actor]) -> Actor | None:
        """The other party of the latest dyad involving a source; else the first actor of
        the previous sentence that is not a source (a place is no party)."""
        own = {s.code for s in sources}
        for actor, other in reversed(self.dyads):
            if actor.code in own and other.code not in own:
                return other
            if other.code in own and actor.code not in own:
                return actor
        for actor in self.last:
            if actor.code not in own and actor.kind != "place":
                return actor
        return None

    def introduce_pair(self, one: Actor, other: Actor, meeting: bool = False) -> None:
        if one.code != other.code:
            self.pairs.append((one, other))
            if meeting:
                self.meetings.append((one, other))

    def latest_pair(self, with_code: str | None = None,
                    meeting: bool = False) -> tuple[Actor, Actor] | None:
        """The pair introduced last (that includes ``with_code``, if given).  With
        ``meeting``, the latest meeting's or call's participants come first: "the parties"
        of a readout are the call's, not two countries named in passing since ("the member
        states of the EU and NATO", "the co-chairs Russia, the United States and
        France")."""
        for pool in ((self.meetings, self.pairs) if meeting else (self.pairs,)):
            for pair in reversed(pool):
                if with_code is None or with_code in {pair[0].code, pair[1].code}:
                    return pair
        return None

    def reset(self) -> None:
        """A new paragraph: pronouns no longer reach back; introduced names still do."""
        self.people.clear()
        self.groups.clear()
        self.dyads.clear()
        self.last.clear()
        self.subject = None
        self.recent_pair = None


class EventExtractor(Protocol):
    """Anything that turns a parsed sentence into candidate events."""

    name: str
    version: str

    def extract(self, sentence: Doc, day: dt.date, discourse: Discourse) -> list[Candidate]:
        """Candidate events of one sentence; must not raise for content problems."""
        ...
