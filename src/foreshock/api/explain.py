"""Words for readers: what each detector measures, what one alert says, and the codebook's
terms (QuadClass, modality, Goldstein).  Pure functions over the values the API returns;
an alert of a detector this module does not know is still described from its fields.

Alerts come in three kinds (``alert["kind"]``): an *onset* (a dyad with little history of
force suddenly carrying many force story-events), an *escalation* (a rise against the dyad's
own baseline, a burst of force or a new front inside a war) and a *de-escalation* (a war
state that ended).  The detectors behind them: ``robust_z`` and ``cusum`` (escalations),
``onset`` (onsets; inside a settled war, bursts against the war's own rate, escalations) and
``severe`` (one severe act on a quiet dyad), ``front`` (an onset of one direction inside a
dyad at war), ``crisis_entry`` (a watched dyad reaching sustained force: the armed crisis
begins) and ``war_state`` (the end of a war)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from foreshock.alerts.config import AnalysisConfig

DETECTOR_SUMMARIES = {
    "robust_z": (
        "Robust z-score. Every day it takes the dyad's weighted conflict events of the "
        "trailing window (threats and mobilisation count more, see the series weights) as a "
        "share of all coded story-events of that window, and compares it with the dyad's "
        "usual share (the baseline: the median, or the pooled rate, of the same windows in "
        "the weeks before). The score is how many spreads above the baseline today's share "
        "is; the spread is the larger of the past weeks' variation and the noise expected "
        "from the window's volume. An alert is raised when the score reaches the threshold, "
        "and the same detector stays quiet on the dyad for the refractory days after."),
    "cusum": (
        "Poisson CUSUM. A running sum of the evidence, day by day, that the dyad's conflict "
        "share has risen to `ratio` times its baseline: a day with more conflict than the "
        "baseline expects adds to the sum, a quiet or busy-elsewhere day takes away from "
        "it, and it never drops below zero. An alert is raised when the sum reaches the "
        "threshold; the sum then restarts from zero. It catches a sustained rise that no "
        "single day would flag."),
    "onset": (
        "Surprise onset. Every day it counts the dyad's force story-events (force posture, "
        "coercion, assault, fight, mass violence) of the last few days and asks how "
        "surprising that many would be if the dyad kept its usual share of force, taken "
        "from the weeks of coverage before (floored at a minimum rate, so a dyad never seen "
        "fighting can still be judged). The score is -log10 of that probability (4 means "
        "one chance in 10,000); an alert also needs force story-events from at least two "
        "distinct stories and a minimum share of the window's. It needs no baseline of the "
        "dyad, so a surprise attack alerts within a day or two of the first reports. "
        "Inside a war that has run for the detector's whole past, that past is the war's "
        "own rate: a firing at the war-jump multiple of it is an escalation in the crisis, "
        "a burst of force (a new offensive)."),
    "severe": (
        "Severe act. One report is enough when it leads with a grave act of war -- military "
        "force, an air or missile strike, artillery, an invasion, mass violence (CAMEO roots "
        "19 and 20, the Goldstein value of the act's own code at most the threshold) -- "
        "between two states, or a state and an armed group, that exchanged at most a few "
        "such acts over the weeks of coverage before (the alert gives the number). A wire "
        "service reports a surprise attack in one item; this alerts on that day. Acts deep "
        "in a long text (a passing mention, a question, a commemoration), against civilians "
        "or police, and acts in an ongoing war do not count."),
    "front": (
        "New front. Inside a dyad already at war, the same surprise test as the onset "
        "detector on one direction (or one pair of actors inside a country) that had no "
        "force of its own: a side that starts attacking, or a new pair of actors, is news "
        "even when the war's own totals are not."),
    "crisis_entry": (
        "Armed crisis begins. A dyad the corpus had watched for the whole war window without "
        "sustained force now carries it: enough force story-events (mobilisation included) "
        "from enough distinct stories over the last weeks. A build-up can grow so evenly "
        "that no single day looks unusual to the other detectors; reaching the armed-crisis "
        "state is then the news. A war already under way when the corpus starts enters the "
        "state without this alert."),
    "war_state": (
        "Armed-crisis state. A dyad is at war once it carries enough force story-events "
        "from enough distinct stories over the last weeks (or after an onset alert). While "
        "at war, routine mentions of the war raise no new alerts: an escalation alert needs "
        "the dyad's share to jump to a multiple of the war's own baseline (weekly, or in a "
        "burst of a few days once the war is older than the onset detector's past), or one "
        "side to open a new front, and later firings continue that alert's episode. When no "
        "force between the two is reported for the war window, a de-escalation is recorded "
        "and the dyad is at peace again."),
}

#: What each alert kind means (the ``kind`` field of an alert).
KIND_MEANINGS = {
    "onset": "a surprise onset of force on a dyad with little history of it",
    "escalation": "a rise of conflict against the dyad's own usual level",
    "de-escalation": "the end of an armed crisis: no force reported for the war window",
}

QUAD_CLASSES = (
    ("1", "verbal cooperation", "statements, consultations, appeals, expressed intent to "
                                "cooperate (CAMEO roots 01-05)"),
    ("2", "material cooperation", "aid, material cooperation, yielding (roots 06-08)"),
    ("3", "verbal conflict", "investigations, demands, disapproval, rejection, threats, "
                             "protests (roots 09-14)"),
    ("4", "material conflict", "force posture, reduced relations, coercion, assault, fight, "
                               "mass violence (roots 15-20)"),
)

MODALITIES = (
    ("asserted", "asserted", "the text says it happened: the only modality that counts in "
                             "series and alerts"),
    ("negated", "negated", "the text says it did not happen, or denies it ('the Kremlin "
                           "denied moving troops')"),
    ("hypothetical", "hypothetical", "a condition, a warning or a possibility ('would face "
                                     "sanctions if it invaded')"),
    ("future", "future intent", "announced or planned, not yet done ('will send troops')"),
)

GOLDSTEIN = ("The Goldstein scale gives each CAMEO code a number from -10 (most conflictual: "
             "military attack) to +10 (most cooperative: extending military assistance). A "
             "dyad's Goldstein sum over a period is a rough balance of its relations.")


def detector_parameters(config: AnalysisConfig, detector: str) -> dict[str, Any]:
    """The detector's settings in the analysis file (empty for an unknown detector)."""
    if detector == "robust_z":
        values = asdict(config.robust_z)
    elif detector == "cusum":
        values = asdict(config.cusum)
    elif detector in ("onset", "front"):
        values = asdict(config.onset)
        values["force_roots"] = list(config.series.force_roots)
        return values
    elif detector == "severe":
        return asdict(config.severe)
    elif detector in ("war_state", "crisis_entry"):
        values = asdict(config.state)
        values["force_roots"] = list(config.series.force_roots)
        return values
    else:
        return {}
    values["window_days"] = config.series.window_days
    values["min_window_events"] = config.series.min_window_events
    values["min_dyad_events"] = config.series.min_dyad_events
    return values


def detector_summary(detector: str) -> str:
    return DETECTOR_SUMMARIES.get(detector, f"The {detector} detector (described in the "
                                            "analysis settings file).")


def _pct(value: Any) -> str:
    return f"{float(value) * 100:.1f}%" if isinstance(value, int | float) else "unknown"


def _num(value: Any) -> str:
    return f"{float(value):.1f}" if isinstance(value, int | float) else "unknown"


def reading(alert: dict[str, Any], config: AnalysisConfig) -> str:
    """What ``alert`` says, in sentences a reader without the detector maths follows."""
    dyad = str(alert.get("dyad", "?"))
    window = int(alert.get("window_days") or config.series.window_days)
    detector = str(alert.get("detector", ""))
    kind = str(alert.get("kind") or "escalation")
    score, threshold = _num(alert.get("score")), _num(alert.get("threshold"))
    share, baseline = _pct(alert.get("value")), _pct(alert.get("baseline"))
    meaning = KIND_MEANINGS.get(kind)
    parts = [f"On {alert.get('date')} the {detector} detector raised an alert on {dyad}"
             + (f": {kind}, {meaning}." if meaning else ".")]
    context = str(alert.get("context") or "").strip("; ")
    if context:
        parts.append(f"The dyad's state: {context}.")
    if detector == "crisis_entry":
        parts.append(
            f"In the last {window} covered days the two carried {alert.get('dyad_events', '?')} "
            f"force story-events (mobilisation included) from {alert.get('stories', '?')} "
            f"stories, at least {config.state.war_min_events} from "
            f"{config.state.war_min_stories}, after {window} or more covered days without: "
            "the dyad is in an armed crisis from this day.")
        return _episode(parts, alert, dyad)
    if detector == "war_state" or kind == "de-escalation":
        parts.append(f"No force or coercion between the two was reported in the last "
                     f"{window} covered days ({alert.get('window_articles', '?')} articles).")
        return _episode(parts, alert, dyad)
    if detector == "severe":
        v = config.severe
        parts.append(
            f"In the {window} day(s) up to that day, {alert.get('dyad_events', '?')} severe "
            f"act(s) between the two (CAMEO roots {', '.join(v.roots)}, Goldstein at most "
            f"{v.max_goldstein:g}) led a report, from {alert.get('stories', '?')} stories; "
            f"over the {v.history_days} covered days before there had been at most "
            f"{v.max_history_acts} such acts between them (their share of force was "
            f"{baseline}). One such report is enough: the act itself is the news.")
        return _episode(parts, alert, dyad)
    if detector == "front":
        parts.append(
            f"In the {window} days up to that day, one side's force story-events (in the "
            f"direction named above) were {share} of all {alert.get('window_events', '?')} "
            f"coded story-events, from {alert.get('window_articles', '?')} articles; the "
            f"dyad as a whole carried {alert.get('dyad_events', '?')} force story-events from "
            f"{alert.get('stories', '?')} stories.")
    if detector in ("onset", "front"):
        if detector == "onset":
            parts.append(
                f"In the {window} days up to that day, {dyad}'s force story-events numbered "
                f"{alert.get('dyad_events', '?')} from {alert.get('stories', '?')} stories: "
                f"{share} of all {alert.get('window_events', '?')} coded story-events, from "
                f"{alert.get('window_articles', '?')} articles.")
        if alert.get("baseline") is None:
            parts.append("There was no usual rate yet to compare with.")
        else:
            parts.append(f"Over the {config.onset.history_days} covered days before, its "
                         f"usual share of force was {baseline}.")
        parts.append(f"That many is a surprise of {score} (-log10 of its probability at the "
                     f"usual rate, floored at {_pct(config.onset.min_rate)} so that a dyad "
                     f"never seen fighting can be judged), and an alert is raised from "
                     f"{threshold}.")
        return _episode(parts, alert, dyad)
    parts.append(
        f"In the {window} days up to that day, {dyad}'s conflict events (weighted: threats "
        f"and mobilisation count more than statements) made up {share} of all "
        f"{alert.get('window_events', '?')} coded story-events of the corpus, "
        f"from {alert.get('window_articles', '?')} articles; {alert.get('dyad_events', '?')} "
        f"of those story-events were between the two.")
    if alert.get("baseline") is None:
        parts.append("There was no baseline yet to compare with.")
    else:
        parts.append(f"Usually (the baseline, from the weeks before) that share was "
                     f"{baseline}.")
    if detector == "robust_z":
        parts.append(f"That rise scores {score} on the robust z-scale, and an alert is "
                     f"raised from {threshold}.")
    elif detector == "cusum":
        ratio = config.cusum.ratio
        parts.append(f"The running evidence of a rise to {ratio:g} times the baseline "
                     f"reached {score}, and an alert is raised from {threshold}.")
    else:
        parts.append(f"Its score was {score} against a threshold of {threshold}.")
    return _episode(parts, alert, dyad)


def _episode(parts: list[str], alert: dict[str, Any], dyad: str) -> str:
    start = alert.get("episode_start")
    if start and str(start) != str(alert.get("date")):
        parts.append(f"It continues an episode of alerts on {dyad} that began on {start}.")
    return " ".join(parts)
