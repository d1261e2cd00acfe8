"""Assembly (extract/rules/assembly.py): the two sides of a meeting."""

from __future__ import annotations

from foreshock.extract.rules.assembly import reverse_code


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


def test_an_army_and_rebels_of_one_country_agreeing_are_a_dyad(code_text) -> None:  # type: ignore[no-untyped-def]
    # two sides of a war inside one country (the suite's SDNMIL-SDNREB): their ceasefire is
    # the de-escalation the dyad's series needs, not a country talking to itself
    events = code_text("The SAF and the RSF agreed to a ceasefire.", "2023-05-20")
    assert {(e.source, e.source_sector, e.target, e.target_sector, e.root)
            for e in events if e.modality.value == "asserted"} & {
        ("SDN", "MIL", "SDN", "REB", "03"), ("SDN", "REB", "SDN", "MIL", "03")}
    # a government and its own ministry stay no event of talks or intent
    events = code_text("The Sudanese government agreed with the Sudanese interior ministry "
                       "to reform the police.", "2023-05-20")
    assert not [e for e in events if e.source == e.target == "SDN" and
                e.root in {"01", "02", "03", "04", "05"}]
