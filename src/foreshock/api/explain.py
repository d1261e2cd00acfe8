"""Words for readers: what each detector measures, what one alert says, and the codebook's
terms (QuadClass, modality, Goldstein).  Pure functions over the values the API returns;
an alert of a detector this module does not know is still described from its fields."""

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
    score, threshold = _num(alert.get("score")), _num(alert.get("threshold"))
    share, baseline = _pct(alert.get("value")), _pct(alert.get("baseline"))
    parts = [
        f"On {alert.get('date')} the {detector} detector raised an alert on {dyad}.",
        f"In the {window} days up to that day, {dyad}'s conflict events (weighted: threats "
        f"and mobilisation count more than statements) made up {share} of all "
        f"{alert.get('window_events', '?')} coded story-events of the corpus, "
        f"from {alert.get('window_articles', '?')} articles; {alert.get('dyad_events', '?')} "
        f"of those story-events were between the two.",
    ]
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
    start = alert.get("episode_start")
    if start and str(start) != str(alert.get("date")):
        parts.append(f"It continues an episode of alerts on {dyad} that began on {start}.")
    return " ".join(parts)
