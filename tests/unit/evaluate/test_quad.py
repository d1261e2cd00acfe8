"""Sentence-level QuadClass prediction for class-labelled gold sets."""

from __future__ import annotations

from foreshock.evaluate.quad import QuadReport, predicted_class
from foreshock.records import Modality

A, H = Modality.ASSERTED, Modality.HYPOTHETICAL


def test_first_asserted_non_statement_decides() -> None:
    assert predicted_class([]) == 0
    assert predicted_class([("010", 1, A)]) == 0
    assert predicted_class([("010", 1, A), ("190", 4, H), ("112", 3, A)]) == 3


def test_report_accuracy_and_recall() -> None:
    report = QuadReport()
    for gold, pred in [(4, 4), (4, 3), (0, 0)]:
        report.sentences += 1
        report.agree += gold == pred
        report.confusion[(gold, pred)] += 1
    assert round(report.accuracy, 3) == 0.667
    assert report.recall_of(4) == 0.5
    assert report.as_dict()["confusion"] == {"0->0": 1, "4->3": 1, "4->4": 1}
