"""Severe acts: one credible report of an attack between parties with little recent history.

The onset score (``onset.py``) needs corroboration, two force story-events from two stories
in two days, because a burst of many small acts is what it measures.  A wire corpus reports
a surprise attack in one item: Wikipedia's current-events stream gives a missile barrage
on another country one line, and that line is the news.  A report of that kind carries its
own weight: the Goldstein value of its CAMEO code says how grave the act is (-10 for the
use of military force, air and missile strikes, artillery, mass violence; -9.5 for
occupation or a blockade), and an act that grave between two parties that have exchanged
at most a stray one or two in the recent past is rare enough to be news on its own.

A dyad *fires* on day ``t`` when

* its story-events of the last ``window_days`` days hold at least ``min_events`` severe
  ones (a root in ``roots``, the code's own Goldstein value at most ``max_goldstein``, a
  code not in ``exclude_codes``),
* it held at most ``max_history_acts`` severe story-events over the ``history_days``
  covered days before that window (little recent history: an ongoing war has plenty), and
  the corpus coded at least ``min_history_events`` story-events in those days (a corpus
  that has just started has no past to speak of),
* the act is the *lede* of some report of its first day (its first ``lead_sentences``
  sentences; a later reprint does not count, so a replay gives the same verdict): a report
  of a new attack leads with it, while a passing mention, a question about what might
  happen or a commemoration sits deeper in a long text (one sentence in a transcript is
  no report of its own);
* the act joins two *armed parties*: countries (not organisations), each side a state (the
  country, its government or military: ``state_sectors``) or an armed group
  (``armed_sectors``), at least one of them a state.  An army against rebels and a
  government against mutineers count; government against citizens, police against a
  gunman, an army against civilians do not (crime and repression are not the onset of an
  armed conflict, and "kills civilians in X" names X's people, not X's state).

Everything else — routine mentions of an ongoing war, background clauses, hedged or denied
acts — is kept out before this point: ongoing wars by the history condition (and by the
conflict state, which swallows a severe report at war), hedged and denied acts by the coder (only
asserted events count), acts the text dates days back by the story-event dates.  What the
coder gets wrong in a lede (a novel's plot, a video of an old shooting) is left; the calm
stretches of the suite count it.

All functions are pure and causal: day ``t`` sees days ``<= t`` only.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from foreshock.alerts.detectors import trailing_sum
from foreshock.alerts.onset import covered_history
from foreshock.ontology.tsv import data_path, read_tsv

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """The country codes of the bundled actor dictionary (``actors/countries.tsv``)."""
    rows = read_tsv(data_path("actors", "countries.tsv"), ("code", "alias", "kind"))
    return frozenset(row.get("code").upper() for row in rows)


def between_countries(dyad: str, countries: Collection[str]) -> bool:
    """Whether both sides of a dyad key are a country's (``ISR``, ``SDNMIL``), not an
    organisation's (``NATO``, ``UN``, ``WHO``): the parties' sectors are checked per act
    (``aggregate.series.SevereActs``)."""
    keys = dyad.replace(">", "-").split("-")
    return len(keys) == 2 and keys[0] != keys[1] and all(k[:3] in countries for k in keys)


@dataclass(frozen=True, slots=True)
class SevereScores:
    events: FloatArray  # severe story-events of the dyad in the window
    stories: FloatArray  # distinct stories behind them
    history: FloatArray  # severe story-events over the covered days before the window
    force_rate: FloatArray  # the dyad's force story-events / all, over those days
    window_events: FloatArray  # all coded story-events in the window (per day)
    history_events: FloatArray  # all coded story-events of that past (per day)
    fired: BoolArray


def severe_scores(severe: FloatArray, severe_stories: FloatArray, force: FloatArray,
                  totals: FloatArray, covered: BoolArray, parties: BoolArray, *,
                  window: int, history_days: int, min_history_events: int,
                  max_history_acts: int, min_events: int) -> SevereScores:
    """Per dyad (rows) and day: the severe acts of the window, those of the covered past,
    and whether the dyad fires (``parties`` says which rows join two armed parties)."""
    severe = np.atleast_2d(np.asarray(severe, dtype=np.float64))
    force = np.atleast_2d(np.asarray(force, dtype=np.float64))
    totals = np.asarray(totals, dtype=np.float64)
    x = trailing_sum(severe, window)
    stories = trailing_sum(np.atleast_2d(severe_stories), window)
    n = trailing_sum(totals, window)
    past = covered_history(severe, covered, window, history_days)
    past_force = covered_history(force, covered, window, history_days)
    past_totals = covered_history(totals[None, :], covered, window, history_days)[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(past_totals > 0,
                        past_force / np.where(past_totals > 0, past_totals, 1), 0.0)
    fired = ((x >= min_events) & (past <= max_history_acts)
             & (past_totals >= min_history_events) & np.asarray(covered, dtype=bool)
             & np.asarray(parties, dtype=bool)[:, None])
    return SevereScores(events=x, stories=stories, history=past,
                        force_rate=np.asarray(rate, dtype=np.float64),
                        window_events=np.asarray(n, dtype=np.float64),
                        history_events=np.asarray(past_totals, dtype=np.float64),
                        fired=np.asarray(fired))
