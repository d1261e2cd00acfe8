"""Response and request bodies of the web API (they make the OpenAPI spec precise)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from foreshock.normalize.dates import check_date, not_a_date, parse_date_option
from foreshock.records import Modality

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(value: object) -> dt.date:
    """Only YYYY-MM-DD (pydantic would also read "0" as a Unix time, 1970-01-01), held to the
    plausible range: the one date check and message (E006) of files, options and the API."""
    if isinstance(value, dt.datetime):
        return check_date(value.date())
    if isinstance(value, dt.date):
        return check_date(value)
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return parse_date_option(value)  # "2022-02-30" is E006 here as on the command line
    raise not_a_date(value)


IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


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
    review: Literal["wrong", "right"] | None = Field(
        None, description="the latest reviewer's verdict on the event, if any")


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
    kind: str = Field("escalation", description="onset | escalation | de-escalation")
    detector: str = Field(
        description="robust_z | cusum | onset | severe | front | crisis_entry | war_state")
    signal: str
    score: float | None
    threshold: float
    value: float | None = Field(description="the dyad's share of the window's coded "
                                            "story-events (force story-events for an onset)")
    baseline: float | None = Field(description="what the share was judged against")
    window_events: int
    window_articles: int
    dyad_events: int
    stories: int = Field(0, description="distinct stories behind the dyad's events")
    window_days: int = 7
    episode_start: dt.date = Field(description="equal to date for a new alert")
    context: str = Field("", description="'' or 'in armed crisis since ...' (with the jump "
                                         "over the crisis's baseline or the new front) or "
                                         "'new actor in the armed crisis ...'")
    explanation: str = Field("", description="what fired, against what, with what support")
    evidence: list[AlertEvidence]


class AlertsResponse(BaseModel):
    computed: bool = Field(description="always true: the alerts reflect the coded data")
    stored: bool = Field(description="true: as `foreshock code` stored them; false: computed "
                                     "for this request because the stored ones are out of "
                                     "date")
    alerts: list[AlertItem]


class AlertBrief(BaseModel):
    alert_id: str
    date: dt.date
    detector: str
    score: float | None
    threshold: float


class ActiveDyad(BaseModel):
    dyad: str
    events: int
    conflict_events: int
    goldstein_sum: float
    first_date: dt.date
    last_date: dt.date
    alert_episodes: int
    latest_alert: AlertBrief | None = None


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
    latest_alert: AlertBrief | None = Field(None, description="the dyad's newest alert up "
                                                              "to the end of the windows")


class DyadsResponse(BaseModel):
    as_of: dt.date | None = Field(description="newest asserted event: the windows end here")
    window_days: int
    most_active: list[ActiveDyad]
    most_escalating: list[EscalatingDyad]


class DyadMatch(BaseModel):
    dyad: str
    names: str = Field(description="the two actors' names, e.g. Russia – Ukraine")
    events: int = Field(description="asserted events between the two, all time")
    conflict_events: int
    last_date: dt.date


class DyadSearchResponse(BaseModel):
    query: str
    total: int = Field(description="dyads matching, of which the busiest are listed")
    dyads: list[DyadMatch]


class CountryCount(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-3 code (the actor code of a country)")
    name: str
    events: int
    conflict_events: int = Field(description="of them QuadClass 3 or 4")
    goldstein_mean: float


class MapResponse(BaseModel):
    basis: Literal["actors", "action"] = Field(description=(
        "actors: an event counts for each country among its source and target; action: "
        "for the country where it happened (databases with event locations only)"))
    since: dt.date | None
    until: dt.date | None
    modality: str
    events: int = Field(description="events of the period with at least one country")
    countries: list[CountryCount]


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


class StoryBrief(BaseModel):
    story_id: str
    title: str | None
    first_date: dt.date
    num_articles: int
    num_sources: int


class DetectorInfo(BaseModel):
    name: str
    summary: str = Field(description="what the detector measures, in words")
    parameters: dict[str, Any] = Field(description="its settings in detectors.toml")


class AlertDetail(BaseModel):
    alert: dict[str, Any] = Field(description=(
        "every field the alert has (those of GET /api/alerts, and any a newer detector "
        "adds), evidence included"))
    reading: str = Field(description="what the alert says, in plain words")
    detector: DetectorInfo
    window_start: dt.date = Field(description="first day of the window the alert judged")
    series: list[SeriesPoint] = Field(description="the dyad's weeks around the alert")
    events: list[StoredEvent] = Field(description=(
        "every asserted conflict event of the dyad published in the window (the evidence "
        "is the top few of these, one per story)"))
    stories: list[StoryBrief]


class ArticleEvent(BaseModel):
    event_id: str
    start_char: int
    end_char: int
    trigger: str | None
    source: str | None
    target: str | None
    code: str
    code_name: str | None
    quad_class: int
    goldstein: float
    modality: str
    sentence: str
    review: Literal["wrong", "right"] | None = None


class StoryArticleBrief(BaseModel):
    article_id: str
    date: dt.date
    outlet: str | None
    title: str | None
    url: str | None


class ArticleResponse(BaseModel):
    article_id: str
    date: dt.date
    title: str | None
    url: str | None
    outlet: str | None = Field(description="the publisher, if the input named one")
    text: str
    events: list[ArticleEvent] = Field(description="every event coded from the article, "
                                                   "any modality, in text order")
    story: StoryBrief | None
    other_articles: list[StoryArticleBrief] = Field(description=(
        "the story's other articles: the same report from other outlets or days"))


class ReviewRequest(BaseModel):
    event_id: str = Field(min_length=1, max_length=200)
    verdict: Literal["wrong", "right"] = Field(
        "wrong", description="wrong: the event should not have been coded; right: take a "
                             "'wrong' back")
    note: str | None = Field(None, max_length=2000, description="why, for the next reader")
    reviewer: str | None = Field(None, max_length=200)

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"event_id": "3f9c0e1a2b4d5e6f7a8b", "verdict": "wrong",
         "note": "a warning against an attack, not an attack"}]})


class ReviewItem(BaseModel):
    review_id: str
    event_id: str
    verdict: Literal["wrong", "right"]
    note: str | None
    reviewer: str | None
    created: dt.datetime
    article_id: str
    date: dt.date
    sentence: str
    source: str | None
    target: str | None
    code: str
    root: str
    modality: str
    start_char: int
    end_char: int
    extractor: str


class ReviewsResponse(BaseModel):
    wrong: int = Field(description="events whose latest review says they are wrong")
    reviews: list[ReviewItem]


class CameoEntry(BaseModel):
    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int


class Term(BaseModel):
    key: str
    name: str
    meaning: str


class CodebookResponse(BaseModel):
    cameo: list[CameoEntry]
    quad_classes: list[Term]
    modalities: list[Term]
    goldstein: str
    detectors: list[DetectorInfo]
    series: dict[str, Any] = Field(description="the series settings alerts are computed on")


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
