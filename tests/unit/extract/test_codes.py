"""CAMEO code groups of the rules (extract/rules/codes.py)."""

from __future__ import annotations

from foreshock.extract.rules.codes import PLACE_ROOTS, UNDIRECTED_ROOTS, domestic_act


def test_protest_and_repression_with_no_one_named_are_domestic() -> None:
    assert domestic_act("141") and domestic_act("1711") and domestic_act("173")
    assert not domestic_act("171") and not domestic_act("190") and not domestic_act("042")


def test_statements_stand_without_a_target_and_force_may_take_a_city() -> None:
    # an intention to cooperate (03) needs a partner: no 03 event stands without a target
    assert {"01", "02", "13"} == UNDIRECTED_ROOTS
    assert {"18", "19", "20"} <= PLACE_ROOTS and "04" not in PLACE_ROOTS
