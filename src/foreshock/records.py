"""Frozen, typed records passed between stages.

Every stage takes and returns these; nothing grows keys along the way (a lesson from
NGEC's dict-passing).  They are plain dataclasses so they pickle cheaply to Dask workers.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from foreshock.errors import BadDyadError

#: sectors of the armed sides of one country (an army, rebels or militias).  The story-events'
#: actor keys split a domestic event by sector when either side is armed (``SDNMIL`` vs
#: ``SDNREB``, ``RUSGOV`` vs ``RUSMIL``); the coder's candidate pairs propose a country's
#: army and rebels as a pair of their own when both are named
ARMED_SECTORS = ("MIL", "REB")


def is_armed_dyad(one: str | None, other: str | None) -> bool:
    """Whether two sectors of one country are its two armed sides (an army and rebels): a
    dyad of a war, not the country with itself."""
    return one != other and one in ARMED_SECTORS and other in ARMED_SECTORS


class Modality(enum.StrEnum):
    """How firmly the text asserts that an event happened.

    Only ASSERTED events count in series and alerts; the rest stay queryable.
    REPORTED is not used as a modality of its own: attribution is kept in
    ``Event.reported_by`` and does not make an event less real (annotation guide).
    """

    ASSERTED = "asserted"
    NEGATED = "negated"
    HYPOTHETICAL = "hypothetical"
    FUTURE = "future"


#: what a modality filter may say: one modality, or ``all``
MODALITY_FILTERS: tuple[str, ...] = (*(m.value for m in Modality), "all")

_CODE = re.compile(r"[A-Za-z0-9]{2,16}")


@dataclass(frozen=True, slots=True)
class Dyad:
    """Two actors: undirected (either may be the source) or directed (``a`` acts on ``b``).

    ``Dyad.parse("RUS-UKR")`` is undirected, ``Dyad.parse("RUS>UKR")`` directed; ``key`` is
    how series and alerts name it (``RUS-UKR`` with the codes sorted, or ``RUS>UKR``).
    """

    a: str
    b: str
    directed: bool = False

    @classmethod
    def parse(cls, text: str, *, directed: bool = False) -> Dyad:
        """``RUS-UKR`` or ``RUS>UKR`` (codes upper-cased); raises BadDyadError (E005)."""
        a, b, directed = cls.split(text, directed=directed)
        return cls(a.upper(), b.upper(), directed)

    @staticmethod
    def split(text: str, *, directed: bool = False) -> tuple[str, str, bool]:
        """The two codes as written and whether the dyad is directed (BadDyadError if it is
        not two codes)."""
        value = text.strip()
        separator = ">" if ">" in value else "-"
        parts = [p.strip() for p in value.split(separator)]
        if len(parts) != 2 or not all(_CODE.fullmatch(p) for p in parts):
            raise BadDyadError(text)
        return parts[0], parts[1], directed or separator == ">"

    @property
    def key(self) -> str:
        if self.directed:
            return f"{self.a}>{self.b}"
        return f"{min(self.a, self.b)}-{max(self.a, self.b)}"

    @property
    def codes(self) -> tuple[str, str]:
        return self.a, self.b

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One record as read from a source, before validation.

    ``locator`` says where it came from (``file``, ``file:line``, ``file:row``) so a
    quarantined record can be found again.
    """

    source_path: str
    locator: str
    text: str | None
    date_text: str | None
    article_id: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    raw: str = ""
    problem: str | None = None  # set by a reader when the record is already known bad


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was found but not read (unknown type, link to a directory), and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class Article:
    """A validated article: text, UTC publication date, stable id."""

    article_id: str
    date: dt.date
    published: dt.datetime
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    source_path: str = ""
    locator: str = ""


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A record that could not become an Article, with the reason and the raw record."""

    source_path: str
    locator: str
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class ActorRef:
    """A resolved actor mention: country/organisation code plus sector."""

    code: str
    sector: str | None
    text: str
    start: int  # character offsets within the article text
    end: int
    kind: str = "country"  # country | organisation | person | group


@dataclass(frozen=True, slots=True)
class Event:
    """One coded event with its provenance."""

    event_id: str
    article_id: str
    date: dt.date
    sentence_index: int
    sentence: str
    start: int  # character span of the trigger within the article text
    end: int
    source: str | None
    source_sector: str | None
    target: str | None
    target_sector: str | None
    code: str
    root: str
    goldstein: float
    quad_class: int
    modality: Modality
    reported_by: str | None
    pattern: str
    extractor: str
    trigger: str = ""
    source_text: str = ""
    target_text: str = ""
    #: the day the text says the event happened ("on Thursday", "early in the morning of
    #: February 24"), resolved against the publication date ``date``; None if undated
    event_date: dt.date | None = None
    #: how precise the event date is: day, week ("last week": its Monday), month or year
    event_date_precision: str | None = None
    #: where it happened, when the text names a place ("shelled positions near Donetsk"):
    #: gazetteer name, GDELT geo type (1 country, 2 US state, 3 US city, 4 world city, 5 world
    #: region), admin-1 code (FIPS country + admin-1, as GDELT), ISO 3166-1 alpha-3 country,
    #: latitude, longitude and the gazetteer's feature id (GeoNames)
    place: str | None = None
    place_type: int | None = None
    place_adm1: str | None = None
    place_country: str | None = None
    place_lat: float | None = None
    place_lon: float | None = None
    place_id: str | None = None


@dataclass(frozen=True, slots=True)
class CodingProblem:
    """A content problem met while coding a document; never raised, always recorded."""

    article_id: str
    stage: str
    message: str


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What ``code_document`` returns for one article."""

    article_id: str
    events: tuple[Event, ...] = field(default_factory=tuple)
    problems: tuple[CodingProblem, ...] = field(default_factory=tuple)
    sentences: int = 0
    words: int = 0
