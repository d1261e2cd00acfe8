"""Severe acts: one credible report of an attack between parties without recent history.

Every stream and sentence here is invented for the test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pytest

from foreshock.aggregate.series import DailyData, Scope, SevereActs, Weights, daily_data
from foreshock.alerts.config import load_config
from foreshock.alerts.run import detect, explain, severe_acts
from foreshock.alerts.severe import (
    SevereScores,
    between_countries,
    country_codes,
    severe_scores,
)
from foreshock.records import Article, Event, Modality
from foreshock.store.db import connect, events_table, insert_articles, start_run, store_coded
from foreshock.stories.cluster import StoryParams
from foreshock.stories.store import update_stories

COUNTRIES = frozenset({"ISR", "IRN", "SDN", "USA", "PAK", "RUS"})


def test_dyads_between_countries_and_not_organisations() -> None:
    assert between_countries("IRN-ISR", COUNTRIES)
    assert between_countries("SDNMIL-SDNREB", COUNTRIES)
    assert between_countries("IRN>ISR", COUNTRIES)
    assert not between_countries("NATO-RUS", COUNTRIES)
    assert not between_countries("ISR-UN", COUNTRIES)
    assert not between_countries("ISR-ISR", COUNTRIES)
    # the bundled dictionary: country codes, not the three-letter organisations
    codes = country_codes()
    assert {"ISR", "IRN", "UKR", "PSE"} <= codes and not {"WHO", "ICC", "IMF"} & codes


def _quiet_stream(days: int = 90) -> tuple[np.ndarray, ...]:
    """Three dyads over 90 covered days with 20 coded story-events a day: 0 quiet until
    one severe act on day 80; 1 at war (a severe act every third day, the same act on day
    80); 2 quiet, one act on day 80 but not between countries."""
    totals = np.full(days, 20.0)
    severe = np.zeros((3, days))
    severe[0, 80] = 1
    severe[1, ::3] = 1
    severe[1, 80] = 1
    severe[2, 80] = 1
    force = severe.copy()
    force[0, 30] = 1  # one mobilisation on the quiet dyad: force, but no severe act
    return severe, severe.copy(), force, totals


def _scores(severe: np.ndarray, stories: np.ndarray, force: np.ndarray, totals: np.ndarray,
            covered: np.ndarray | None = None, min_history_events: int = 100,
            max_history_acts: int = 0) -> SevereScores:
    covered = np.ones(totals.shape, dtype=bool) if covered is None else covered
    return severe_scores(severe, stories, force, totals, covered,
                         np.array([True, True, False]), window=1, history_days=56,
                         min_history_events=min_history_events,
                         max_history_acts=max_history_acts, min_events=1)


def test_one_act_on_a_quiet_dyad_fires_on_its_day_and_an_ongoing_war_does_not() -> None:
    s = _scores(*_quiet_stream())
    assert np.nonzero(s.fired[0])[0].tolist() == [80]  # within the day, on one report
    assert s.history[0, 80] == 0 and s.force_rate[0, 80] == pytest.approx(1 / (56 * 20))
    assert not s.fired[1].any()  # at war: the same act is routine
    assert s.history[1, 80] >= 18
    assert not s.fired[2].any()  # e.g. NATO-RUS: not two countries


def test_a_second_act_days_later_is_not_a_new_onset_and_quiet_comes_back() -> None:
    severe, stories, force, totals = _quiet_stream(200)
    severe[0, 85] = severe[0, 150] = 1
    s = _scores(severe, stories, force, totals)
    # day 85 has day 80 in its past; day 150 is 65 covered days after 85: quiet again
    assert np.nonzero(s.fired[0])[0].tolist() == [80, 150]


def test_a_few_stray_acts_in_the_past_leave_an_onset_and_more_do_not() -> None:
    # the bundled max_history_acts (2): one or two acts in the 56 days before (a stray
    # strike, a miscoded sentence) leave the dyad able to fire; three do not
    assert load_config().severe.max_history_acts == 2
    for past, fires in ((1, True), (2, True), (3, False)):
        severe, stories, force, totals = _quiet_stream()
        severe[0, [40, 50, 60][:past]] = 1
        s = _scores(severe, stories, force, totals, max_history_acts=2)
        assert bool(s.fired[0, 80]) is fires and s.history[0, 80] == past


def test_a_corpus_without_a_past_and_a_gap_give_no_verdict() -> None:
    severe, stories, force, totals = _quiet_stream()
    # a corpus that codes 1 story-event a day has 56 in its past: too few to judge
    assert not _scores(severe, stories, force, np.ones(90)).fired.any()
    # the history reaches back past a gap to the war's acts: no onset after the gap
    covered = np.ones(90, dtype=bool)
    covered[40:79] = False
    severe[1, 40:79] = 0
    totals[40:79] = 0
    s = _scores(severe, stories, force, totals, covered)
    assert not s.fired[1, 80] and s.fired[0, 80]


# --- which story-events are severe acts (the SQL rule) ---------------------------------

GOLDSTEIN = {"042": (1.9, 1), "154": (-7.2, 4), "183": (-10.0, 4), "190": (-10.0, 4),
             "191": (-9.5, 4), "192": (-9.5, 4), "195": (-10.0, 4), "173": (-5.0, 4)}
WEIGHTS = Weights(quad=((1, 0.0), (2, 0.0), (3, 1.0), (4, 2.0)))
ACTS = SevereActs(roots=("19", "20"), max_goldstein=-9.5, exclude_codes=("191",),
                  lead_sentences=1, state_sectors=("GOV", "MIL"), armed_sectors=("MIL", "REB"))
DAY = dt.date(2024, 3, 4)


def _event(aid: str, n: int, sentence: int, source: tuple[str, str | None],
           target: tuple[str, str | None], code: str,
           modality: Modality = Modality.ASSERTED) -> Event:
    goldstein, quad = GOLDSTEIN[code]
    return Event(f"{aid}-{n}", aid, DAY, sentence, f"{aid} sentence {sentence}.", 0, 1,
                 source[0], source[1], target[0], target[1], code, code[:2], goldstein, quad,
                 modality, None, f"p.{code}", "test.v1")


def _article(aid: str, text: str) -> Article:
    return Article(aid, DAY, dt.datetime.combine(DAY, dt.time(), tzinfo=dt.UTC), text,
                   title=text[:30], outlet="Wire")


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    con = connect(str(tmp_path / "severe.duckdb"))
    texts = {
        "strike": "Northland fires a salvo of ballistic missiles at the capital of Southland.",
        "deep": "Good afternoon everyone, thanks for coming in on a rainy Monday to the room.",
        "drone": "A drone strike kills four people in a mountain village of Westmark.",
        "crime": "A gunman opens fire on police officers outside a courthouse downtown.",
        "army": "The army and the paramilitary fight for control of the airport at dawn.",
        "close": "Eastland closes its airspace to the aircraft of Southland's ministers.",
        "bomb": "A car bomb explodes outside the embassy of Southland in Eastland tonight.",
        "denied": "Northland denies that its jets bombed a convoy of Southland's army.",
        "mobil": "Northland moves tank columns to the border with Southland overnight.",
        "ifwar": "Southland would answer any invasion by Northland with its full force.",
    }
    events = {
        "strike": [_event("strike", 0, 0, ("IRN", "MIL"), ("ISR", None), "195")],
        # a transcript: the same kind of act, but fifty sentences in (a question, a memory)
        "deep": [_event("deep", 0, 50, ("RUS", "GOV"), ("USA", "GOV"), "192")],
        # the target is the country's people, not its state
        "drone": [_event("drone", 0, 0, ("USA", "MIL"), ("PAK", "CVL"), "190")],
        # police against a gunman: crime, not an armed conflict
        "crime": [_event("crime", 0, 0, ("USA", "REB"), ("USA", "COP"), "190")],
        # army against a paramilitary: a domestic armed conflict
        "army": [_event("army", 0, 0, ("SDN", "MIL"), ("SDN", "REB"), "190")],
        "close": [_event("close", 0, 0, ("RUS", "GOV"), ("PAK", "GOV"), "191")],
        # root 18 (a bombing) is not among the severe roots
        "bomb": [_event("bomb", 0, 0, ("PAK", "REB"), ("ISR", None), "183")],
        "denied": [_event("denied", 0, 0, ("RUS", "MIL"), ("ISR", "MIL"), "195",
                          Modality.NEGATED)],
        "mobil": [_event("mobil", 0, 0, ("IRN", "MIL"), ("USA", None), "154")],
        # a trap: an invasion that might happen (the coder marks it; only asserted counts)
        "ifwar": [_event("ifwar", 0, 0, ("RUS", "MIL"), ("PAK", None), "192",
                         Modality.HYPOTHETICAL)],
    }
    run = start_run(con, "test", [], {})
    insert_articles(con, [_article(a, t) for a, t in texts.items()], run)
    store_coded(con, list(texts), events_table([e for es in events.values() for e in es], run),
                "test.v1")
    update_stories(con, StoryParams())
    return con


def test_severe_acts_lead_a_report_and_join_armed_parties(
        con: duckdb.DuckDBPyConnection) -> None:
    data = daily_data(con, Scope(), WEIGHTS, severe=ACTS)
    assert data.severe is not None and data.severe_stories is not None
    severe = {d: int(data.severe[i].sum()) for i, d in enumerate(data.dyads)}
    assert severe == {"IRN-ISR": 1, "RUS-USA": 0, "PAK-USA": 0, "USACOP-USAREB": 0,
                      "SDNMIL-SDNREB": 1, "PAK-RUS": 0, "ISR-PAK": 0, "IRN-USA": 0}
    # without the rule nothing is severe; the force counts are untouched by it
    plain = daily_data(con, Scope(), WEIGHTS)
    assert plain.severe is not None and plain.severe.sum() == 0
    assert plain.force.sum() == data.force.sum()


def test_the_bundled_rule_is_the_one_tested() -> None:
    config = load_config()
    acts = severe_acts(config)
    assert acts is not None and acts == replace(ACTS, roots=config.severe.roots)
    assert config.severe.min_events == 1 and config.severe.window_days == 1
    assert severe_acts(replace(config, severe=replace(config.severe, enabled=False))) is None


# --- from daily arrays to an explained onset alert --------------------------------------


def _data(days: int, severe_day: int, war_from: int | None = None) -> DailyData:
    dyads = ("IRN-ISR", "ISR-UN")
    start = dt.date(2024, 1, 1)
    z = np.zeros((2, days))
    severe = z.copy()
    severe[:, severe_day] = 1
    force = severe.copy()
    if war_from is not None:  # sustained fighting: the war state swallows onsets
        force[0, war_from:] += 3
    return DailyData(
        days=tuple(start + dt.timedelta(days=i) for i in range(days)), dyads=dyads,
        directed=(False, False), articles=np.full(days, 10.0), stories=np.full(days, 10.0),
        totals=np.full(days, 20.0), counts=force.copy(), conflict_counts=force.copy(),
        conflict=2 * force, verbal=z, material=2 * force, conflict_stories=force.copy(),
        force=force, force_stories=force.copy(), severe=severe, severe_stories=severe.copy())


def test_one_report_is_an_onset_alert_that_explains_itself() -> None:
    config = load_config()
    alerts = [a for a in detect(_data(90, 80), config) if a.detector == "severe"]
    assert [(a.dyad, a.date.isoformat(), a.kind) for a in alerts] == [
        ("IRN-ISR", "2024-03-21", "onset")]
    alert = alerts[0]
    assert alert.dyad_events == 1 and alert.window_days == 1 and alert.threshold == 1
    text = explain(alert, config)
    assert "1 severe act(s)" in text and "lede" in text and "56 covered days" in text


def test_in_a_war_the_same_report_is_not_news() -> None:
    alerts = detect(_data(90, 80, war_from=40), load_config())
    assert not [a for a in alerts if a.detector == "severe"]


def test_the_lede_is_what_the_first_day_knew(tmp_path: Path) -> None:
    """A story-event sits on its first publication day: a reprint a day later that leads
    with the act must not make the first day's passing mention a severe act (the single
    pass would see the future; a replay cut at the first day would not)."""
    con = connect(str(tmp_path / "lede.duckdb"))
    later = DAY + dt.timedelta(days=1)
    body = ["Officials in the northern province reported heavy traffic on the highway.",
            "The weather service expects strong winds across the plains this month.",
            "Northland fires a salvo of ballistic missiles at the capital of Southland."]
    first = _article("first", " ".join(body))
    reprint = Article("reprint", later, dt.datetime.combine(later, dt.time(), tzinfo=dt.UTC),
                      " ".join([body[2], *body[:2]]), title="Reprint", outlet="Other")
    events = [_event("first", 0, 2, ("IRN", "MIL"), ("ISR", None), "195"),
              replace(_event("reprint", 0, 0, ("IRN", "MIL"), ("ISR", None), "195"),
                      date=later)]
    run = start_run(con, "test", [], {})
    insert_articles(con, [first, reprint], run)
    store_coded(con, ["first", "reprint"], events_table(events, run), "test.v1")
    update_stories(con, StoryParams())
    stories = con.execute("SELECT count(DISTINCT story_id) FROM story_members").fetchall()
    assert stories == [(1,)]  # one story: the reprint joins the first article's
    full = daily_data(con, Scope(), WEIGHTS, severe=ACTS)
    cut = daily_data(con, Scope(until=DAY), WEIGHTS, severe=ACTS)
    assert full.severe is not None and cut.severe is not None
    assert full.severe.sum() == 0 and cut.severe.sum() == 0
