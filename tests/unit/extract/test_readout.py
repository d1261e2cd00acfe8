"""extract/readout.py: in the readout of one call or meeting, the verbal acts are between the
title's two; a third country named in them is what they talked about.  Every sentence here
is invented."""

from __future__ import annotations

import datetime as dt

from foreshock.extract.readout import _mentions
from foreshock.pipeline import Context, code_document
from foreshock.records import Article

KREMLIN = "http://en.kremlin.ru/events/president/news/1"
KYIV = "https://www.president.gov.ua/en/news/1"


def _code(ctx: Context, title: str, text: str, url: str = KREMLIN
          ) -> set[tuple[str, str | None, str]]:
    day = dt.date(2022, 5, 20)
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC), text,
                      title=title, url=url)
    return {(e.source, e.target, e.code[:2]) for e in code_document(article, ctx).events
            if e.modality.value == "asserted"}


CALL = "Telephone conversation with President of France Emmanuel Macron"


def test_a_country_the_two_talked_about_is_no_party(ctx: Context) -> None:
    # the conference's subject was read as the one noted to; the remark is the two's
    events = _code(ctx, CALL, "The presidents of Russia and France noted the success of the "
                              "international conference on Libya.")
    assert not any(target == "LBY" for _, target, _ in events)
    assert ("RUS", "FRA", "01") in events


def test_a_third_pair_the_two_discussed_makes_no_event(ctx: Context) -> None:
    # the escalation's two sides were read as the ones who expressed concern
    events = _code(ctx, CALL, "The leaders expressed concern about the escalation between "
                              "Israel and Palestine.")
    assert not any({source, target} & {"ISR", "PSE"} for source, target, _ in events)


def test_co_chairs_named_in_passing_are_not_both_sides(ctx: Context) -> None:
    events = _code(ctx, CALL, "Both sides noted the efforts of the co-chairs, the United "
                              "States and Italy.")
    assert not any({source, target} <= {"USA", "ITA"} for source, target, _ in events)


def test_the_triggers_own_partner_stays(ctx: Context) -> None:
    # "cooperate with Iran": Iran is the partner of the verb agreed on, not a topic
    events = _code(ctx, "Meeting with Prime Minister of India Narendra Modi",
                   "We agreed to cooperate with Iran on the North-South corridor.")
    assert ("RUS", "IRN", "03") in events


def test_a_topic_of_a_statement_becomes_the_partner(ctx: Context) -> None:
    # Syria is what the need is about: the statement was made to India
    events = _code(ctx, "Meeting with Prime Minister of India Narendra Modi",
                   "Vladimir Putin stressed the need to support Syria.")
    assert ("RUS", "SYR", "01") not in events
    assert ("RUS", "IND", "01") in events


def test_material_acts_in_a_readout_keep_their_parties(ctx: Context) -> None:
    # the call reports the shelling itself: force is no topic of talk
    events = _code(ctx, "President of Ukraine had a phone conversation with the Prime "
                        "Minister of Spain",
                   "Russian troops shelled Kharkiv overnight.", url=KYIV)
    assert ("RUS", "UKR", "19") in events


def test_without_a_readout_title_the_named_country_stays(ctx: Context) -> None:
    # the rule reads titles: a statement in a speech keeps its own target
    events = _code(ctx, "Address to the nation", "Vladimir Putin stressed the need to "
                                                 "support Syria.")
    assert ("RUS", "SYR", "01") in events


def test_the_possessor_of_the_triggers_object_stays(ctx: Context) -> None:
    # "welcomed Chile's efforts": the praise is Chile's, though the call is with France
    events = _code(ctx, CALL, "Vladimir Putin welcomed Chile's efforts to settle the dispute.")
    assert ("RUS", "CHL", "05") in events
    # the possessor of something talked about is still a topic
    events = _code(ctx, CALL, "The presidents noted the success of Chile's reforms.")
    assert ("RUS", "CHL", "01") not in events


def test_the_acts_own_target_stays(ctx: Context) -> None:
    # only a party named inside what the act is about is a topic; these are the acts' own
    for text, event in (("The President of France expressed support for Chile.",
                         ("FRA", "CHL", "05")),
                        ("Vladimir Putin called on Chile to open the border.",
                         ("RUS", "CHL", "02")),
                        ("Vladimir Putin welcomed the efforts of Turkey.", ("RUS", "TUR", "05")),
                        ("Vladimir Putin thanked Turkey and Qatar for their mediation.",
                         ("RUS", "QAT", "05")),
                        ("Vladimir Putin said Russia was ready to hold talks with Chile.",
                         ("RUS", "CHL", "03"))):
        assert event in _code(ctx, CALL, text), text


def test_a_situation_around_a_country_is_a_topic(ctx: Context) -> None:
    events = _code(ctx, CALL, "The leaders discussed the situation around Chile.")
    assert not any(target == "CHL" for _, target, _ in events)
    assert ("RUS", "FRA", "04") in events


def test_a_moved_act_never_removes_another_of_the_sentence(ctx: Context) -> None:
    # the statement goes to France; the thanks to Syria, asserted, stays beside the
    # hypothetical support of the same code
    day = dt.date(2022, 5, 20)
    article = Article("t", day, dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC),
                      "Vladimir Putin stressed the need to support Syria and thanked Syria for "
                      "its help.", title=CALL, url=KREMLIN)
    events = {(e.source, e.target, e.code, e.modality.value)
              for e in code_document(article, ctx).events}
    assert ("RUS", "SYR", "051", "asserted") in events
    assert ("RUS", "SYR", "051", "hypothetical") in events
    assert ("RUS", "FRA", "010", "asserted") in events


def test_a_name_inside_a_longer_word_is_no_mention(ctx: Context) -> None:
    doc = ctx.nlp("Putin praised Nigeria's position on Niger.")
    assert [t.text for t in _mentions(doc, "Niger")] == ["Niger"]
