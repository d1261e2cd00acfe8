"""The paragraph memory that replies and pronouns use (extract/base.py)."""

from __future__ import annotations

from foreshock.extract.base import Actor, Discourse

RUS = Actor("RUS", "GOV", "Moscow", "capital")
UKR = Actor("UKR", "GOV", "Kyiv", "capital")
USA = Actor("USA", "GOV", "Washington", "capital")
ODESA = Actor("UKR", "CVL", "Odesa", "place")


def test_counterpart_is_the_other_party_of_the_latest_dyad() -> None:
    memory = Discourse(dyads=[(USA, RUS), (RUS, UKR)])
    assert memory.counterpart([RUS]) == UKR  # the latest dyad wins
    assert memory.counterpart([USA]) == RUS


def test_counterpart_falls_back_to_the_previous_sentence_skipping_places() -> None:
    memory = Discourse(last=[ODESA, RUS, UKR])
    assert memory.counterpart([Actor("ITA", "GOV", "Italy", "name")]) == RUS
    assert memory.counterpart([RUS]) == UKR


def test_counterpart_needs_someone_else() -> None:
    assert Discourse(dyads=[(RUS, RUS)], last=[RUS]).counterpart([RUS]) is None
    assert Discourse().counterpart([RUS]) is None


def test_reset_forgets_the_paragraph_but_keeps_introduced_names() -> None:
    memory = Discourse(dyads=[(RUS, UKR)], last=[RUS])
    memory.introduce("Peskov", RUS)
    memory.reset()
    assert memory.counterpart([USA]) is None
    assert memory.names == {"Peskov": RUS}
