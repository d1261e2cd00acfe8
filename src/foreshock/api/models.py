"""Response and request bodies of the web API (they make the OpenAPI spec precise)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field

from foreshock.normalize.dates import check_date
from foreshock.records import Modality

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic would also read "0" as a Unix time (1970-01-01)."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return value  # pydantic then checks that the day exists
    raise ValueError(f"{str(value)[:40]!r}: expected a date as YYYY-MM-DD")


def plausible(value: dt.date) -> dt.date:
    """The one date check of files, options and the API (``normalize.dates``)."""
    return check_date(value)


IsoDate = Annotated[dt.date, BeforeValidator(iso_date), AfterValidator(plausible)]


_SURROGATE = re.compile("[\ud800-\udfff]")


def characters(value: str) -> str:
    """Refuse lone surrogates (JSON escapes like "\\ud800" that are not characters)."""
    found = _SURROGATE.search(value)
    if found is not None:
        raise ValueError(f"lone surrogate {ascii(found.group())[1:-1]} at character "
                         f"{found.start()}: not a character; send valid Unicode text")
    return value


class CodedEvent(BaseModel):
    """An event with its provenance: the sentence and where the trigger sits in it."""

    event_id: str
    date: dt.date
    source: str | None
    source_sector: str | None
    target: str | None
    target_sector: str | None
    code: str = Field(description="CAMEO code")
    code_name: str | None = Field(description="CAMEO name of the code")
    root: str
    quad_class: int = Field(ge=1, le=4)
    goldstein: float
    modality: Modality
    reported_by: str | None
    pattern: str = Field(description="id of the pattern that fired")
    trigger: str | None
    sentence: str = Field(description="the evidence sentence")
    sentence_index: int
    start_char: int = Field(description="trigger start within the article text")
    end_char: int = Field(description="trigger end within the article text")
    trigger_start: int | None = Field(description="trigger start within the sentence")
    trigger_end: int | None = Field(description="trigger end within the sentence")
    event_date: dt.date | None = Field(
        default=None, description="the day the text gives the act, if it dates it")
    place: str | None = Field(default=None, description="where it happened, if the text says")
    place_country: str | None = Field(
        default=None, description="ISO 3166-1 alpha-3 country of the place")
    place_lat: float | None = Field(default=None, description="latitude of the place")
    place_lon: float | None = Field(default=None, description="longitude of the place")


class StoredEvent(CodedEvent):
    article_id: str
    title: str | None
    url: str | None
    outlet: str | None
    story_id: str | None = Field(description="near-duplicate story of the article, if computed")


class EventsResponse(BaseModel):
    total: int = Field(description="events matching the filters")
    limit: int
    offset: int
    events: list[StoredEvent]


class SeriesPoint(BaseModel):
    period: dt.date
    dyad: str
    events: int = Field(description="asserted article-level events (every reprint counts)")
    story_events: int = Field(description="asserted story-events (a reprint counts once)")
    q1: int
    q2: int
    q3: int
    q4: int
    goldstein_sum: float
    goldstein_mean: float | None
    conflict_share: float | None
    intensity: float
    intensity_rate: float | None
    num_articles: int
    num_sources: int
    articles: int = Field(description="corpus volume of the period")
    stories: int
    all_story_events: int
    thin: bool = Field(description="period below the minimum support")


class SeriesResponse(BaseModel):
    dyad: str
    freq: Literal["day", "week"]
    directed: bool
    rows: list[SeriesPoint]


class AlertEvidence(BaseModel):
    event_id: str
    date: dt.date
    source: str
    target: str
    code: str
    goldstein: float
    weight: float
    sentence: str
    article_id: str
    title: str | None
    outlet: str | None
    num_articles: int
    num_sources: int
    event_date: dt.date | None = Field(
        default=None, description="the day the text gives the act, if it dates it")


class AlertItem(BaseModel):
    alert_id: str
    dyad: str
    directed: bool
    date: dt.date
    detector: str
    signal: str
    score: float | None
    threshold: float
    value: float | None
    baseline: float | None
    window_events: int
    window_articles: int
    dyad_events: int
    episode_start: dt.date
    evidence: list[AlertEvidence]


class AlertsResponse(BaseModel):
    computed: bool = Field(description="always true: the alerts reflect the coded data")
    stored: bool = Field(description="true: as `foreshock code` stored them; false: computed "
                                     "for this request because the stored ones are out of "
                                     "date")
    alerts: list[AlertItem]


class ActiveDyad(BaseModel):
    dyad: str
    events: int
    conflict_events: int
    goldstein_sum: float
    first_date: dt.date
    last_date: dt.date
    alert_episodes: int


class EscalatingDyad(BaseModel):
    dyad: str
    recent_events: int
    recent_conflict: int
    previous_events: int
    previous_conflict: int
    recent_share: float
    previous_share: float
    change: float
    alert_episodes: int


class DyadsResponse(BaseModel):
    as_of: dt.date | None = Field(description="newest asserted event: the windows end here")
    window_days: int
    most_active: list[ActiveDyad]
    most_escalating: list[EscalatingDyad]


class NetworkEdge(BaseModel):
    source: str
    target: str
    events: int
    conflict_events: int
    goldstein_mean: float


class NetworkNode(BaseModel):
    id: str
    events: int
    conflict_events: int


class NetworkResponse(BaseModel):
    since: dt.date | None
    until: dt.date | None
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class StoryArticle(BaseModel):
    article_id: str
    date: dt.date
    published: dt.datetime
    outlet: str | None
    similarity: float
    title: str | None
    url: str | None


class StoryEvent(BaseModel):
    event_id: str
    date: dt.date
    source: str | None
    target: str | None
    root: str
    code: str
    goldstein: float
    quad_class: int
    sentence: str
    article_id: str
    num_mentions: int
    num_articles: int
    num_sources: int


class StoryResponse(BaseModel):
    story_id: str
    first_date: dt.date
    last_date: dt.date
    num_articles: int
    num_sources: int
    title: str | None
    articles: list[StoryArticle]
    events: list[StoryEvent]


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    database: str = Field(description="file name of the database (not its path)")
    schema_version: int
    analysis: bool = Field(description="stories and alerts have been computed")
    first_date: dt.date | None
    last_date: dt.date | None
    counts: dict[str, int]
    coding_enabled: bool
    max_page: int = Field(description="most rows one page of /api/events or /api/alerts holds")
    max_text: int = Field(description="most characters POST /api/code accepts")
    live: bool = Field(False, description="served by `foreshock watch`: the data grows while "
                                          "the page is open")


class CodeRequest(BaseModel):
    text: Annotated[str, AfterValidator(characters)] = Field(
        min_length=1, description="the article text (plain English)")
    date: IsoDate = Field(description="publication date, YYYY-MM-DD (actors are time-aware)")


class CodingProblemItem(BaseModel):
    stage: str
    message: str


class CodeResponse(BaseModel):
    extractor: str
    events: list[CodedEvent]
    problems: list[CodingProblemItem]


class ErrorResponse(BaseModel):
    detail: str
