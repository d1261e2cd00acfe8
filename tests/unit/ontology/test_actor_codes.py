"""Actor codes as a person looks for them: the suggestions of E004 and `actors --search`."""

from __future__ import annotations

import pytest

from foreshock.errors import UnknownActorError
from foreshock.ontology.actor_codes import load_actor_codes


@pytest.mark.parametrize(("typed", "meant"), [
    ("UA", "UKR"), ("ua", "UKR"), ("DE", "DEU"), ("RU", "RUS"), ("GB", "GBR"), ("CN", "CHN"),
])
def test_iso_two_letter_country_codes_suggest_their_three_letter_code_first(
        typed: str, meant: str) -> None:
    # an analyst used to ISO 3166 alpha-2 (GDELT's FIPS-like columns, URLs) types UA for
    # Ukraine: the first suggestion must be UKR, not a code that merely looks alike (USA)
    assert load_actor_codes().suggest(typed)[0][0] == meant


def test_names_that_stand_for_no_actor_are_no_codes() -> None:
    # 'the Minsk agreements' is in the dictionaries to stop it being read as Belarus; it
    # has no code, so it is neither suggested nor listed as a code to give
    codes = load_actor_codes()
    assert "" not in codes
    assert all(code for code, _ in codes.suggest("Moscow"))
    assert codes.suggest("Moscow")[0][0] == "RUS"
    assert all(match.code for match in codes.search("minsk"))
    with pytest.raises(UnknownActorError) as raised:
        codes.check("Moscow")
    assert " ()" not in str(raised.value)
