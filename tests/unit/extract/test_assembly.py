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
