"""The scorer follows the annotation guide's matching rules exactly."""

from __future__ import annotations

import datetime as dt

from foreshock.evaluate.gold import GoldEvent, GoldSentence, Trap, parse_gold_line
from foreshock.evaluate.scoring import Prediction, Report, score_sentence


def sentence(events: list[GoldEvent], traps: list[Trap] | None = None) -> GoldSentence:
    return GoldSentence("s1", dt.date(2022, 1, 1), "text", "", tuple(events), tuple(traps or []))


def test_root_match_counts_and_exact_share() -> None:
    gold = sentence([GoldEvent("USA", "RUS", ("130", "111"))])
    report = Report()
    report.add(gold, [Prediction("USA", "RUS", "112")])  # root 11 is listed
    assert (report.precision, report.recall, report.exact_share) == (1.0, 1.0, 0.0)
    report.add(gold, [Prediction("USA", "RUS", "130")])
    assert report.exact_share == 0.5


def test_wrong_direction_does_not_match_except_meetings() -> None:
    gold = sentence([GoldEvent("USA", "RUS", ("112",))])
    assert score_sentence(gold, [Prediction("RUS", "USA", "112")]).matched_gold == 0
    meeting = sentence([GoldEvent("USA", "RUS", ("042",))])
    assert score_sentence(meeting, [Prediction("RUS", "USA", "043")]).matched_gold == 1


def test_meeting_mirror_pairs_count_once_in_gold_and_predictions() -> None:
    gold = sentence([GoldEvent("FRA", "RUS", ("042",)), GoldEvent("RUS", "FRA", ("043",))])
    result = score_sentence(gold, [Prediction("FRA", "RUS", "040"),
                                   Prediction("RUS", "FRA", "040")])
    assert (result.gold, result.predicted, result.matched_gold) == (1, 1, 1)


def test_null_gold_target_matches_any_target_but_gold_target_must_be_predicted() -> None:
    open_target = sentence([GoldEvent("RUS", None, ("016",))])
    assert score_sentence(open_target, [Prediction("RUS", "UKR", "016")]).matched_gold == 1
    closed = sentence([GoldEvent("RUS", "UKR", ("016",))])
    assert score_sentence(closed, [Prediction("RUS", None, "016")]).matched_gold == 0


def test_each_gold_event_matches_at_most_one_prediction() -> None:
    gold = sentence([GoldEvent("IND", "PAK", ("195",))])
    result = score_sentence(gold, [Prediction("IND", "PAK", "195"),
                                   Prediction("IND", "PAK", "190")])
    assert (result.matched_gold, result.matched_pred, len(result.spurious)) == (1, 1, 1)


def test_non_asserted_predictions_are_ignored_and_hit_no_trap() -> None:
    trap = Trap("RUS", "19", "UKR", "hypothetical")
    gold = sentence([], [trap])
    safe = score_sentence(gold, [Prediction("RUS", "UKR", "192", modality="hypothetical")])
    assert (safe.predicted, safe.traps_hit) == (0, [])
    hit = score_sentence(gold, [Prediction("RUS", "UKR", "192")])
    assert hit.traps_hit == [trap]


def test_report_rates() -> None:
    report = Report()
    report.add(sentence([GoldEvent("A", "B", ("190",)), GoldEvent("B", "A", ("111",))],
                        [Trap("A", "19", "C")]),
               [Prediction("A", "B", "193"), Prediction("A", "C", "190")])
    assert report.precision == 0.5
    assert report.recall == 0.5
    assert report.trap_rate == 1.0
    assert report.as_dict()["per_root"] == {
        "11": {"gold": 1, "predicted": 0, "hits": 0},
        "19": {"gold": 1, "predicted": 2, "hits": 1},
    }


def test_sector_agreement() -> None:
    report = Report()
    gold = sentence([GoldEvent("IND", "PAK", ("195",), "MIL", "GOV")])
    report.add(gold, [Prediction("IND", "PAK", "195", source_sector="MIL", target_sector="MIL")])
    assert report.sector_agreement == 0.5


def test_parse_gold_line_reads_the_guide_example() -> None:
    line = ('{"id": "x", "date": "2021-12-02", "text": "Blinken warned Russia against invading '
            'Ukraine.", "events": [{"source": "USA", "source_sector": "GOV", "codes": ["130", '
            '"111"], "target": "RUS", "target_sector": "GOV"}], "traps": [{"source": "RUS", '
            '"root": "19", "target": "UKR", "why": "hypothetical"}]}')
    gold = parse_gold_line(line, "mem", 1)
    assert gold.events[0].roots == frozenset({"13", "11"})
    assert gold.traps[0].target == "UKR"
