"""Assembly (extract/rules/assembly.py): the two sides of a meeting."""

from __future__ import annotations

from collections.abc import Callable

from foreshock.extract.rules.assembly import reverse_code
from foreshock.records import Event
from foreshock.store.db import events_table


def test_a_visit_seen_from_the_host_is_hosting() -> None:
    assert reverse_code("042") == "043"
    assert reverse_code("043") == "042"
    assert reverse_code("040") == "040"  # talks are talks from both sides
    assert reverse_code("046") == "046"


def test_visitor_visits_and_host_hosts(code_text) -> None:  # type: ignore[no-untyped-def]
    events = code_text("The French foreign minister paid a visit to Kyiv on Tuesday.",
                       "2022-05-20")
    pairs = {(e.source, e.target, e.code) for e in events if e.modality.value == "asserted"}
    assert ("FRA", "UKR", "042") in pairs
    assert ("UKR", "FRA", "043") in pairs
    assert ("UKR", "FRA", "042") not in pairs


def test_an_event_noun_a_talk_is_about_is_its_topic(ctx) -> None:  # type: ignore[no-untyped-def]
    from foreshock.extract.rules.triggers import _topic_of_talk

    doc = ctx.nlp("The leaders exchanged views on the situation with the recognition of "
                  "the republics.")
    assert _topic_of_talk(next(t for t in doc if t.lower_ == "recognition"))
    doc = ctx.nlp("The ministers discussed the consequences of the blockade.")
    assert _topic_of_talk(next(t for t in doc if t.lower_ == "blockade"))
    doc = ctx.nlp("Russia and Turkey held talks in Ankara.")
    assert not _topic_of_talk(next(t for t in doc if t.lower_ == "talks"))
    doc = ctx.nlp("Turkey condemned the blockade of the port.")
    assert not _topic_of_talk(next(t for t in doc if t.lower_ == "blockade"))


ARMED = {("SDN", "MIL", "SDN", "REB", "03"), ("SDN", "REB", "SDN", "MIL", "03"),
         ("UKR", "MIL", "UKR", "REB", "04"), ("UKR", "REB", "UKR", "MIL", "04")}


def _domestic(events: list[Event]) -> set[tuple[str | None, ...]]:
    return {(e.source, e.source_sector, e.target, e.target_sector, e.root)
            for e in events if e.modality.value == "asserted" and e.source == e.target}


def test_an_army_and_rebels_of_one_country_agreeing_are_a_dyad(
        code_text: Callable[..., list[Event]]) -> None:
    # two sides of a war inside one country (the suite's SDNMIL-SDNREB): their ceasefire is
    # the de-escalation the dyad's series needs, not a country talking to itself
    assert _domestic(code_text("The SAF and the RSF agreed to a ceasefire.", "2023-05-20")) \
        & ARMED
    # in the country's own releases too (a speaker's domestic asides are dropped, its war's
    # two sides are not)
    assert _domestic(code_text("The Ukrainian army met with Ukrainian rebels.", "2022-01-20",
                               url="https://www.president.gov.ua/en/news/x")) & ARMED
    # a government meeting its own army stays no event: one side is not armed
    assert not _domestic(code_text("The Sudanese government met with the Sudanese army.",
                                   "2023-05-20"))


def test_an_army_and_rebels_fight_each_other_both_ways(code_text) -> None:  # type: ignore[no-untyped-def]
    """A clash of two armed sides of one country is each side's act, as between two
    countries ("fighting between Armenian and Azerbaijani forces": both ways); the one-event
    rule per country pair kept only the first-named way."""
    events = code_text("Clashes between the Sudanese army and the RSF continued in "
                       "Khartoum.", "2023-04-20")
    ways = {(e.source_sector, e.target_sector) for e in events
            if e.modality.value == "asserted" and e.source == e.target == "SDN" and e.root == "19"}
    assert ways == {("MIL", "REB"), ("REB", "MIL")}
    # two events, two ids: the store keeps one row per id, so both ways are stored
    assert len(events_table(events, 1).column("event_id").unique()) == 2
    # the same act with one side named again by another sector is still one event
    found = [(e.source_sector, e.target_sector) for e in code_text(
        "The RSF attacked the Sudanese army and the Sudanese police.", "2023-04-20")
        if e.modality.value == "asserted" and e.root == "19"]
    assert found == [("REB", "MIL")]
    # a government and its army are not two armed sides: one event per country pair
    events = [e for e in code_text("Clashes between the Ethiopian government and the "
                                   "Ethiopian army erupted.", "2013-01-27")
              if e.modality.value == "asserted" and e.source == e.target == "ETH"]
    assert len(events) == 1
