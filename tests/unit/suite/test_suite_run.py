"""Suite metrics: lead and delay, calm dyad-years, new alerts in wars."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from foreshock.aggregate.series import DailyData
from foreshock.alerts.run import Alert
from foreshock.suite.report import summary
from foreshock.suite.run import is_excluded, measure
from foreshock.suite.spec import CaseSpec

START = dt.date(2020, 1, 1)
DYADS = ("CAN-USA", "FRA-SYR", "RUS-UKR", "RUS-SYR")


def data(days: int = 120) -> DailyData:
    counts = np.zeros((len(DYADS), days))
    counts[0, :] = 1  # CAN-USA: covered every day
    counts[1, :10] = 1
    counts[2, 50:] = 2
    counts[3, :5] = 1  # RUS-SYR: 5 story-events, too few to count as calm
    force = np.zeros((len(DYADS), days))
    force[2, 62] = 4  # RUS-UKR: the corpus reports force two days after the onset
    z = np.zeros((len(DYADS), days))
    return DailyData(
        days=tuple(START + dt.timedelta(days=i) for i in range(days)), dyads=DYADS,
        directed=(False,) * len(DYADS), articles=np.full(days, 10.0),
        stories=np.full(days, 10.0), totals=np.full(days, 20.0), counts=counts,
        conflict_counts=z, conflict=z, verbal=z, material=z, conflict_stories=z,
        force=force, force_stories=z)


def alert(dyad: str, day: int, kind: str = "escalation", start: int | None = None) -> Alert:
    date = START + dt.timedelta(days=day)
    episode = START + dt.timedelta(days=day if start is None else start)
    return Alert(dyad, False, date, "cusum", "conflict", 9.0, 8.0, 0.1, 0.01, 100, 50, 5,
                 episode_start=episode, kind=kind)


def case(kind: str, **extra: object) -> CaseSpec:
    values: dict[str, object] = dict(
        name=f"a-{kind}", kind=kind, part="tuning", corpora=("wire",), start=START,
        end=START + dt.timedelta(days=119), onset=START + dt.timedelta(days=60),
        dyads=("RUS-UKR",), score_from=START + dt.timedelta(days=20), war_until=None,
        wars=(), exclude=(), exclude_actors=(), note="")
    values.update(extra)
    return CaseSpec(**values)  # type: ignore[arg-type]


def test_lead_delay_and_first_report() -> None:
    alerts = [alert("RUS-UKR", 10), alert("RUS-UKR", 55), alert("RUS-UKR", 58, start=55),
              alert("RUS-UKR", 63, "onset")]
    warn = measure(case("warn"), data(), alerts, 12)
    # day 10 is warm-up (before score_from); the first scored new alert is day 55
    assert warn.first_alert is not None and warn.first_alert.date == START + dt.timedelta(55)
    assert warn.lead == warn.warning == 5
    assert warn.first_report == START + dt.timedelta(days=62)
    # the first firing from the onset on: day 63 (day 58 continued the alert of day 55)
    assert warn.first_after is not None and warn.delay == 3
    quiet = alert("RUS-UKR", 59, "de-escalation")
    assert measure(case("warn"), data(), [quiet], 12).first_alert is None  # no warning
    late = measure(case("detect"), data(), alerts[-1:], 12)
    assert late.lead == -3 and late.warning is None and late.delay == 3
    assert late.focus_events == {"RUS-UKR": 140}


def test_calm_dyads_are_covered_and_not_excluded() -> None:
    spec = case("calm", dyads=(), onset=None, exclude_actors=("SYR",))
    alerts = [alert("CAN-USA", 30), alert("CAN-USA", 35, start=30), alert("FRA-SYR", 40),
              alert("CAN-USA", 5)]
    result = measure(spec, data(), alerts, 12)
    assert result.calm_dyads == ("CAN-USA", "RUS-UKR")  # RUS-SYR has too few, FRA-SYR is out
    assert [a.date.day for a in result.calm_alerts] == [31]  # new and scored only
    assert [a.dyad for a in result.excluded_alerts] == ["FRA-SYR"]
    assert result.calm_years == pytest.approx(2 * 100 / 365.25)
    assert is_excluded("SYRMIL-SYRREB", spec) and not is_excluded("CAN-USA", spec)


def test_new_alerts_in_war_are_counted_per_dyad_month() -> None:
    spec = case("detect", wars=("CAN-USA",), war_until=START + dt.timedelta(days=119))
    alerts = [alert("CAN-USA", 30), alert("CAN-USA", 45), alert("CAN-USA", 50, start=45),
              alert("RUS-UKR", 60, "onset"), alert("RUS-UKR", 90)]
    result = measure(spec, data(), alerts, 12)
    wars = {w.dyad: w for w in result.wars}
    assert len(wars["CAN-USA"].new_alerts) == 2 and wars["CAN-USA"].max_per_30_days() == 2
    # the onset is the detection; the war on RUS-UKR is judged from the next day
    assert [a.date for a in wars["RUS-UKR"].new_alerts] == [START + dt.timedelta(days=90)]
    totals = summary([result])
    assert totals["war_new_alerts"] == 3 and totals["war_most_in_30_days"] == 2
    assert totals["onsets_reported_on_the_day"] == 0  # the corpus reported it 2 days later
