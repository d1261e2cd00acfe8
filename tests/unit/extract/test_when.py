"""Event dates: time phrases of a trigger resolved against the publication date, and acts
the text places in the past (background)."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.tokens import Token

from foreshock.extract.base import Actor, Candidate
from foreshock.extract.when import award_citation, event_time, narrated_past
from foreshock.pipeline import Context, situate
from foreshock.records import Modality

PUBLISHED = dt.date(2022, 3, 3)  # a Thursday


def _trigger(ctx: Context, text: str, word: str) -> Token:
    doc = ctx.nlp(text)
    return next(t for t in doc if t.text == word)


@pytest.mark.parametrize(("text", "word", "date", "precision"), [
    ("Russian forces shelled Kharkiv on Tuesday.", "shelled", "2022-03-01", "day"),
    ("Russian forces shelled Kharkiv on Thursday.", "shelled", "2022-03-03", "day"),
    ("Early in the morning of February 24, Russia launched an attack.", "launched",
     "2022-02-24", "day"),
    ("Russia shelled the city yesterday.", "shelled", "2022-03-02", "day"),
    ("Russia shelled the city two days ago.", "shelled", "2022-03-01", "day"),
    ("Russia shelled the city last week.", "shelled", "2022-02-21", "week"),
    ("On December 30, Russia shelled the city.", "shelled", "2021-12-30", "day"),
    ("Russian forces shelled Kharkiv.", "shelled", "None", ""),
    # the parser makes the year of "February 28, 2021" an appositive: still the date's year
    ("Russian forces shelled Kharkiv on February 28, 2021.", "shelled", "2021-02-28", "day"),
    ("On July 12th, 2018, Russian forces shelled Kharkiv.", "shelled", "2018-07-12", "day"),
])
def test_dates_resolve_against_publication(ctx: Context, text: str, word: str, date: str,
                                           precision: str) -> None:
    assert ctx.time_words is not None
    when = event_time(_trigger(ctx, text, word), PUBLISHED, ctx.time_words)
    assert (str(when.date), when.precision) == (date, precision)


@pytest.mark.parametrize(("text", "word"), [
    ("In 2014, Russia annexed Crimea.", "annexed"),
    ("Russia annexed Crimea eight years ago.", "annexed"),
    ("Russia has occupied Crimea since 2014.", "occupied"),
    ("Russia has been shelling Donbas for eight years.", "shelling"),
    ("During the Second World War, Germany invaded the Soviet Union.", "invaded"),
    ("Ukraine marked the anniversary of the Russian invasion.", "invasion"),
    ("Russia shelled the city on December 30.", "shelled"),
    # "earlier" after a unit says "ago"
    ("Russia shelled the city three weeks earlier.", "shelled"),
    # "recall" governs what is remembered
    ("The minister recalled that he had visited Kyiv.", "visited"),
    ("Erdogan recalled meeting Zelenskyy in Lviv.", "meeting"),
])
def test_acts_dated_to_the_past_are_background(ctx: Context, text: str, word: str) -> None:
    assert ctx.time_words is not None
    assert event_time(_trigger(ctx, text, word), PUBLISHED, ctx.time_words).background


@pytest.mark.parametrize(("text", "word"), [
    ("A court has jailed the student for two years.", "jailed"),
    ("Ukraine said on Monday that Russia shelled Kharkiv.", "shelled"),
    ("Russia has shelled Kharkiv since Tuesday.", "shelled"),
])
def test_lengths_and_other_clauses_do_not_date_the_act(ctx: Context, text: str,
                                                       word: str) -> None:
    assert ctx.time_words is not None
    when = event_time(_trigger(ctx, text, word), PUBLISHED, ctx.time_words)
    assert not when.background and when.date is None


def test_future_acts_look_ahead(ctx: Context) -> None:
    assert ctx.time_words is not None
    trigger = _trigger(ctx, "The two leaders will meet on Monday.", "meet")
    assert event_time(trigger, PUBLISHED, ctx.time_words, forward=True).date == \
        dt.date(2022, 3, 7)


def test_a_leap_day_after_publication_does_not_crash(ctx: Context) -> None:
    # "29 February" read after a publication earlier in a leap year means last year's date,
    # which does not exist: the act keeps no event date instead of the coder crashing (a
    # whole corpus failed to code on one such sentence)
    assert ctx.time_words is not None
    text = "On February 29, Russian forces shelled Kharkiv."
    when = event_time(_trigger(ctx, text, "shelled"), dt.date(2024, 2, 10), ctx.time_words)
    assert when.date is None


def test_a_year_the_text_gives_is_kept() -> None:
    # "on 15 March 2024" in a text of 10 February 2024 is that date (a plan, a schedule), not
    # a year earlier: only an inferred year is moved back
    from foreshock.extract.when import _month_date
    period = _month_date(3, 15, 2024, dt.date(2024, 2, 10), False)
    assert period is not None and str(period.first) == "2024-03-15"


@pytest.mark.parametrize(("text", "word", "date"), [
    # "earlier this week" is this week, not a week ago: "earlier" says "ago" only after a
    # unit
    ("Russia shelled the city earlier this week.", "shelled", "2022-02-28"),
    ("Russia shelled the city two days earlier.", "shelled", "2022-03-01"),
    # a recalled act the text dates within the last few days is news after all (a
    # translated "pointed out")
    ("The minister recalled that Russia shelled Kharkiv on Tuesday.", "shelled", "2022-03-01"),
])
def test_recent_acts_stay_news(ctx: Context, text: str, word: str, date: str) -> None:
    assert ctx.time_words is not None
    when = event_time(_trigger(ctx, text, word), PUBLISHED, ctx.time_words)
    assert not when.background and str(when.date) == date


def test_a_recalled_ambassador_is_the_act_itself(ctx: Context) -> None:
    # the trigger is never its own memory word: recalling an ambassador is news
    assert ctx.time_words is not None
    when = event_time(_trigger(ctx, "Lithuania recalled its ambassador to Belarus.",
                               "recalled"), PUBLISHED, ctx.time_words)
    assert not when.background


def _model_candidate(sentence: str, trigger: str) -> Candidate:
    start = sentence.index(trigger)
    return Candidate(code="190", source=Actor("RUS", "GOV", "Russia", "name"),
                     target=Actor("UKR", "GOV", "Crimea", "place"),
                     modality=Modality.ASSERTED, pattern="model:test:0.90",
                     trigger_start=start, trigger_end=start + len(trigger), trigger=trigger)


@pytest.mark.parametrize(("published", "background"), [
    (dt.date(2022, 5, 20), True),  # "the 2014 annexation", read in 2022: history
    (dt.date(2014, 3, 20), False),  # the same words in 2014: this year's news
])
def test_a_model_event_on_a_noun_dated_to_an_earlier_year_is_background(
        ctx: Context, published: dt.date, background: bool) -> None:
    # the classifier's anchor word gets the rules' reading of a year-dated event noun
    text = "Russia's 2014 annexation of Crimea was condemned by Ukraine."
    sent = ctx.nlp(text)
    when, _ = situate(sent, _model_candidate(text, "annexation"), published, ctx)
    assert when.background is background


def test_a_count_before_a_plural_noun_is_no_year(ctx: Context) -> None:
    # "2000 shells" counts shells; only a singular event noun takes a year ("the 2014
    # annexation")
    text = "Russia fired 2000 shells at Ukrainian positions."
    sent = ctx.nlp(text)
    when, _ = situate(sent, _model_candidate(text, "shells"), dt.date(2022, 5, 20), ctx)
    assert not when.background


@pytest.mark.parametrize(("text", "word", "past"), [
    ("Sergeant Celiz led an operation.", "led", True),
    ("The base was attacked.", "attacked", True),  # a passive with a past auxiliary
    ("The troops had withdrawn.", "withdrawn", True),  # pluperfect
    ("Russia has moved troops.", "moved", False),  # a perfect is told as of now
    ("Russia is moving troops.", "moving", False),
    ("Russia will move troops.", "move", False),
    ("Russia could have moved troops.", "moved", False),  # a modal
    ("Russia decided to move troops.", "move", True),  # an infinitive tells its governor's time
])
def test_narrated_past_is_the_simple_past_or_the_pluperfect(ctx: Context, text: str, word: str,
                                                           past: bool) -> None:
    assert ctx.time_words is not None
    assert narrated_past(_trigger(ctx, text, word), ctx.time_words) is past


@pytest.mark.parametrize(("text", "cited"), [
    ("Sergeant Smith will receive the Medal of Honor for his service in Afghanistan.", True),
    ("Putin presented state decorations to servicemen for courage.", True),
    ("The medal ceremony is on Thursday.", False),  # no deeds it is given for
    ("Russia shelled Kharkiv for hours.", False),
])
def test_an_award_for_deeds_opens_a_citation(ctx: Context, text: str, cited: bool) -> None:
    assert award_citation(ctx.nlp(text)) is cited


@pytest.mark.parametrize(("text", "word", "background"), [
    ("Looking back, Russia massed troops on the border.", "massed", True),
    ("In hindsight, Russia massed troops on the border.", "massed", True),
    ("If you look back at what we did, we deployed troops to Poland.", "deployed", True),
    ("Looking back, Russia has massed troops on the border.", "massed", False),  # a perfect
    ("Looking back on the talks, Macron accused Russia.", "accused", False),  # its own object
    ("As the leaders looked back on 30 years, they signed an agreement.", "signed", False),
])
def test_a_retrospective_frame_makes_a_past_act_background(ctx: Context, text: str, word: str,
                                                           background: bool) -> None:
    assert ctx.time_words is not None
    when = event_time(_trigger(ctx, text, word), PUBLISHED, ctx.time_words)
    assert when.background is background
