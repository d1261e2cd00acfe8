"""Pairs take their labels from the annotation (``train.examples.label``)."""

from __future__ import annotations

import datetime as dt

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap
from foreshock.extract.base import Actor
from foreshock.extract.candidates import Pair, Party
from foreshock.extract.learned.features import MODALITIES, ROOTS
from foreshock.train.examples import held_out, label


def _party(code: str, sector: str | None = "GOV") -> Party:
    return Party(Actor(code, sector, code, "name"), ((0, 3),))


def _gold(events: tuple[GoldEvent, ...] = (), traps: tuple[Trap, ...] = ()) -> GoldSentence:
    return GoldSentence("s1", dt.date(2022, 1, 1), "text", "", events, traps)


def test_an_event_labels_its_own_direction_only() -> None:
    gold = _gold((GoldEvent("RUS", "UKR", ("190",)),))
    assert label(Pair(_party("RUS"), _party("UKR")), gold) == (ROOTS.index("19"), 0)
    assert label(Pair(_party("UKR"), _party("RUS")), gold) == (0, 0)


def test_meetings_label_both_directions() -> None:
    gold = _gold((GoldEvent("USA", "CHN", ("046",)),))
    assert label(Pair(_party("CHN"), _party("USA")), gold)[0] == ROOTS.index("04")


def test_a_null_target_event_labels_the_actor_alone() -> None:
    gold = _gold((GoldEvent("IRN", None, ("138",)),))
    assert label(Pair(_party("IRN"), None), gold)[0] == ROOTS.index("13")
    assert label(Pair(_party("IRN"), _party("ISR")), gold)[0] == 0


def test_traps_teach_the_modality_and_wrong_actor_teaches_none() -> None:
    gold = _gold(traps=(Trap("RUS", "19", "UKR", "warned-against: only warned"),
                        Trap("CHN", "19", "TWN", "denied"),
                        Trap("USA", "19", "IRN", "wrong-actor")))
    assert label(Pair(_party("RUS"), _party("UKR")), gold) == (
        ROOTS.index("19"), MODALITIES.index("hypothetical"))
    assert label(Pair(_party("CHN"), _party("TWN")), gold)[1] == MODALITIES.index("negated")
    assert label(Pair(_party("USA"), _party("IRN")), gold) == (0, 0)


def test_a_domestic_pair_takes_the_event_whose_sectors_fit() -> None:
    gold = _gold((GoldEvent("GEO", "GEO", ("141",), "CVL", "GOV"),
                  GoldEvent("GEO", "GEO", ("173",), "COP", "CVL")))
    pair = Pair(_party("GEO", "COP"), _party("GEO", "CVL"))
    assert label(pair, gold)[0] == ROOTS.index("17")


def test_the_held_out_part_is_stable_and_about_its_share() -> None:
    ids = [f"s{i}" for i in range(2000)]
    chosen = [i for i in ids if held_out(i, 0.1, 13)]
    assert chosen == [i for i in ids if held_out(i, 0.1, 13)]
    assert 150 < len(chosen) < 250


def test_an_army_and_rebels_pair_labels_only_the_annotated_way() -> None:
    # both ways of SDN-MIL / SDN-REB are proposed; a one-way attack must not teach the
    # model that the army attacked the rebels too (the merged country-with-itself pair
    # still takes the country's event, as before)
    gold = _gold((GoldEvent("SDN", "SDN", ("190",), "REB", "MIL"),))
    rebels, army = _party("SDN", "REB"), _party("SDN", "MIL")
    assert label(Pair(rebels, army), gold)[0] == ROOTS.index("19")
    assert label(Pair(army, rebels), gold) == (0, 0)
    assert label(Pair(rebels, rebels), gold)[0] == ROOTS.index("19")
    # a meeting is either way
    talks = _gold((GoldEvent("SDN", "SDN", ("043",), "REB", "MIL"),))
    assert label(Pair(army, rebels), talks)[0] == ROOTS.index("04")
