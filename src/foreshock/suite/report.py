"""The suite's table (tuning and held-out side by side), its Markdown, JSON and plots."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from foreshock.alerts.run import Alert
from foreshock.suite.run import CaseResult, SuiteResult
from foreshock.suite.spec import PARTS

COLUMNS = ("part", "case", "kind", "corpus", "dyads (story-events)", "onset",
           "first alert", "lead (days)", "first report", "alert from onset",
           "delay (days)", "calm dyads",
           "calm dyad-years", "calm alerts", "per calm dyad-year", "war dyad-months",
           "new alerts in war", "most in 30 days", "first alert's top evidence")


def _dyads(r: CaseResult) -> str:
    shown = [f"{d} {n}" for d, n in r.focus_events.items() if n] or \
        [f"{d} 0" for d in r.case.dyads[:1]]
    return ", ".join(shown)


def _evidence(alert: Alert | None, width: int = 110) -> str:
    if alert is None or not alert.evidence:
        return ""
    e = alert.evidence[0]
    text = " ".join(e.sentence.split())
    text = text if len(text) <= width else text[:width - 1] + "…"
    return f"{e.date} {e.source}→{e.target} {e.code} “{text}”"


def case_row(r: CaseResult) -> dict[str, str]:
    c = r.case
    first = r.first_alert
    calm = c.kind == "calm"
    return {
        "part": c.part,
        "case": c.name,
        "kind": c.kind,
        "corpus": "+".join(c.corpora),
        "dyads (story-events)": "" if calm else _dyads(r),
        "onset": str(c.onset or ""),
        "first alert": "" if calm else (f"{first.date} {first.kind}" if first else "none"),
        "lead (days)": "" if calm or r.warning is None else str(r.warning),
        "first report": "" if calm else str(r.first_report or "none"),
        "alert from onset": "" if calm else (
            f"{r.first_after.date} {r.first_after.kind}"
            + ("" if r.first_after.is_new else f" (continues {r.first_after.episode_start})")
            if r.first_after else "none"),
        "delay (days)": "" if calm or r.delay is None else str(r.delay),
        "calm dyads": str(len(r.calm_dyads)) if calm else "",
        "calm dyad-years": f"{r.calm_years:.1f}" if calm else "",
        "calm alerts": str(len(r.calm_alerts)) if calm else "",
        "per calm dyad-year": (f"{r.calm_rate:.2f}" if calm and r.calm_rate is not None
                               else ""),
        "war dyad-months": f"{r.war_months:.1f}" if r.wars else "",
        "new alerts in war": str(r.war_new_alerts) if r.wars else "",
        "most in 30 days": (str(max(w.max_per_30_days() for w in r.wars)) if r.wars else ""),
        "first alert's top evidence": _evidence(first),
    }


def summary(results: Sequence[CaseResult]) -> dict[str, Any]:
    """The issue's targets over a set of cases."""
    rus = {r.case.name: r.warning for r in results
           if r.case.kind == "warn" and "RUS-UKR" in r.case.dyads}
    onsets = [r for r in results if r.case.kind == "detect"]
    reported = [r for r in onsets if r.first_report == r.case.onset]
    on_time = [r for r in reported if r.delay is not None and r.delay <= 1]
    early = [r for r in onsets if r.warning is not None]
    calm = [r for r in results if r.case.kind == "calm"]
    years = sum(r.calm_years for r in calm)
    false = sum(len(r.calm_alerts) for r in calm)
    wars = [w for r in results for w in r.wars]
    months = sum(w.months for w in wars)
    new = sum(len(w.new_alerts) for w in wars)
    return {
        "cases": len(results),
        "rus_ukr_lead_days": rus,
        "onsets": len(onsets),
        "onsets_reported_on_the_day": len(reported),
        "alert_within_1_day_of_those": len(on_time),
        "onsets_missed_or_late": sorted(r.case.name for r in reported if r not in on_time),
        "onsets_warned_before": sorted(r.case.name for r in early),
        "calm_dyad_years": round(years, 1),
        "calm_alerts": false,
        "calm_alerts_per_dyad_year": round(false / years, 3) if years else None,
        "war_dyad_months": round(months, 1),
        "war_new_alerts": new,
        "war_new_alerts_per_dyad_month": round(new / months, 3) if months else None,
        "war_most_in_30_days": max((w.max_per_30_days() for w in wars), default=0),
    }


def markdown_table(rows: Sequence[dict[str, str]], columns: Sequence[str]) -> str:
    def cell(value: str) -> str:
        return value.replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def summary_markdown(result: SuiteResult) -> str:
    parts = {p: [r for r in result.results if r.case.part == p] for p in PARTS}
    sums = {p: summary(rs) for p, rs in parts.items()}
    sums["all"] = summary(result.results)
    rows = []
    labels = {
        "cases": "cases",
        "rus_ukr_lead_days": "RUS-UKR 2022: lead in days (warn cases)",
        "onsets": "surprise onsets (detect cases)",
        "onsets_reported_on_the_day": "... reported by the corpus on the onset day",
        "alert_within_1_day_of_those": "... of those, alerted on the day or the next",
        "onsets_missed_or_late": "... reported on the day but alerted late or never",
        "onsets_warned_before": "detect cases with an alert before the onset",
        "calm_dyad_years": "calm dyad-years",
        "calm_alerts": "new alerts on calm dyads",
        "calm_alerts_per_dyad_year": "... per calm dyad-year",
        "war_dyad_months": "dyad-months at war",
        "war_new_alerts": "new alerts on dyads at war",
        "war_new_alerts_per_dyad_month": "... per dyad-month",
        "war_most_in_30_days": "most new alerts on one war dyad in 30 days",
    }
    for key, label in labels.items():
        row = {"measure": label}
        for part in (*PARTS, "all"):
            value = sums[part][key]
            if isinstance(value, dict):
                value = ", ".join(f"{k.removeprefix('rus-ukr-2022-')} "
                                  f"{'none' if v is None else v}" for k, v in value.items())
            elif isinstance(value, list):
                value = ", ".join(value) or "-"
            row[part] = "-" if value is None else str(value)
        rows.append(row)
    return markdown_table(rows, ("measure", *PARTS, "all"))


def cases_markdown(result: SuiteResult) -> str:
    ordered = sorted(result.results, key=lambda r: (PARTS.index(r.case.part),
                                                    ["warn", "detect", "calm"].index(
                                                        r.case.kind), r.case.name))
    return markdown_table([case_row(r) for r in ordered], COLUMNS)


def alert_line(a: Alert, evidence: int = 1) -> str:
    state = "new" if a.is_new else f"continues {a.episode_start}"
    lines = [f"- {a.date} **{a.dyad}** {a.kind} ({a.detector}, {state}): {a.explanation}"]
    for e in a.evidence[:evidence]:
        text = " ".join(e.sentence.split())
        lines.append(f"  - {e.date} {e.source}→{e.target} {e.code} "
                     f"[{e.num_articles} art.] “{text[:220]}”")
    return "\n".join(lines)


def details_markdown(result: SuiteResult, evidence: int = 1) -> str:
    """Per case: the alerts on its dyads, false alarms on calm dyads, new alerts in war."""
    out: list[str] = []
    for r in result.results:
        c = r.case
        out.append(f"### {c.name} ({c.part}, {c.kind})\n")
        out.append(f"{c.note} Window {c.start} .. {c.end} (scored from {c.score_from}); "
                   f"{r.articles:,} articles, {r.stories:,} stories, {r.story_events:,} "
                   f"coded story-events ({r.coded_per_day:.0f} per covered day).\n")
        focus = [a for a in r.alerts if a.dyad in c.dyads and a.is_new]
        if c.kind != "calm":
            out.append(f"New alerts on {', '.join(c.dyads)}: {len(focus)}" +
                       ("" if focus else " (none)") + "\n")
            out += [alert_line(a, evidence) for a in focus[:12]]
            if len(focus) > 12:
                out.append(f"- … {len(focus) - 12} more")
        else:
            out.append(f"Calm dyads ({len(r.calm_dyads)}): {', '.join(r.calm_dyads)}\n")
            out.append(f"New alerts on calm dyads: {len(r.calm_alerts)}\n")
            out += [alert_line(a, evidence) for a in r.calm_alerts]
            out.append(f"\nNew alerts on excluded dyads (not counted): "
                       f"{len(r.excluded_alerts)}" + (": " + ", ".join(
                           f"{a.date} {a.dyad} {a.kind}" for a in r.excluded_alerts[:30])
                           if r.excluded_alerts else ""))
        for w in r.wars:
            if w.dyad in c.dyads and c.kind != "calm" and w.new_alerts:
                out.append(f"\nAt war {w.start} .. {w.end} ({w.months:.1f} months), new "
                           f"alerts on {w.dyad} after the onset: {len(w.new_alerts)}")
            elif w.dyad not in c.dyads:
                out.append(f"\nAt war all along: {w.dyad}, {len(w.new_alerts)} new alerts in "
                           f"{w.months:.1f} months" + ("" if not w.new_alerts else ":"))
                out += [alert_line(a, 0) for a in w.new_alerts]
        out.append("")
    return "\n".join(out)


def plot_case(r: CaseResult, folder: Path) -> Path | None:
    """One PNG per case: the case dyad's weekly series with its alerts (onset line, corpus
    volume), or for a calm case the new alerts on calm dyads per week beside the volume."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"suite-{r.case.name}.png"
    if r.case.kind == "calm":
        return plot_calm(r, path)
    from foreshock.aggregate.plot import Marker, render_plot

    dyad = r.weekly_dyad
    markers = [Marker(a.date, a.detector, a.score) for a in r.alerts
               if a.dyad == dyad and a.is_new]
    parts = []
    if r.warning is not None and r.first_alert is not None:
        parts.append(f"first alert {r.first_alert.date} ({r.first_alert.kind}, "
                     f"{r.warning} days before)")
    if r.first_after is not None:
        parts.append(f"from the onset: {r.first_after.date} ({r.first_after.kind}, "
                     f"+{r.delay} days)")
    verdict = "; ".join(parts) or "no alert"
    return render_plot(r.weeks, markers, path, onset=r.case.onset, dpi=72,
                       title=f"{r.case.name} [{r.case.part}]: {dyad}; {verdict}")


def plot_calm(r: CaseResult, path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    weeks = [w for w, _, _ in r.volume]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 5.5), sharex=True,
                                      gridspec_kw={"height_ratios": [2, 2]})
    counts: dict[dt.date, int] = {}
    for a in r.calm_alerts:
        week = a.date - dt.timedelta(days=a.date.weekday())
        counts[week] = counts.get(week, 0) + 1
    top.bar(list(counts), list(counts.values()), width=6, align="edge", color="tab:red",
            label=f"new alerts on calm dyads ({len(r.calm_alerts)})")
    top.set_ylabel("alerts per week")
    top.legend(loc="upper left", fontsize=8)
    top.set_title(f"{r.case.name} [{r.case.part}]: {len(r.calm_dyads)} calm dyads, "
                  f"{r.calm_years:.1f} dyad-years, {len(r.calm_alerts)} alerts "
                  f"({r.calm_rate or 0:.2f} per dyad-year)", fontsize=11)
    bottom.bar(weeks, [a for _, a, _ in r.volume], width=6, align="edge", color="#cccccc",
               label="articles")
    bottom.plot([w + dt.timedelta(days=3) for w in weeks], [n for _, _, n in r.volume],
                color="#228833", marker=".", label="coded story-events")
    bottom.set_yscale("symlog", linthresh=10)
    bottom.set_ylabel("corpus volume\nper week")
    bottom.legend(loc="upper left", fontsize=8)
    for axis in (top, bottom):
        axis.axvline(r.case.score_from, color="black", linestyle=":", linewidth=1)
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(path, dpi=72)
    plt.close(fig)
    return path


def to_json(result: SuiteResult) -> dict[str, Any]:
    def iso(value: dt.date | None) -> str | None:
        return value.isoformat() if value is not None else None

    def alert(a: Alert) -> dict[str, Any]:
        return {"date": iso(a.date), "dyad": a.dyad, "kind": a.kind, "detector": a.detector,
                "score": a.score, "threshold": a.threshold, "value": a.value,
                "baseline": a.baseline, "context": a.context, "new": a.is_new,
                "explanation": a.explanation,
                "evidence": [e.as_dict() for e in a.evidence]}

    return {
        "suite": str(result.suite.path),
        "config": result.config.version,
        "config_fingerprint": result.config.fingerprint(),
        "seconds": {k: round(v, 1) for k, v in result.seconds.items()},
        "summary": {p: summary([r for r in result.results if r.case.part == p])
                    for p in PARTS},
        "cases": [{
            **case_row(r),
            "window": [iso(r.case.start), iso(r.case.end)],
            "articles": r.articles, "stories": r.stories, "story_events": r.story_events,
            "first_alert": alert(r.first_alert) if r.first_alert else None,
            "calm_dyads": list(r.calm_dyads),
            "calm_alerts": [alert(a) for a in r.calm_alerts],
            "wars": [{"dyad": w.dyad, "start": iso(w.start), "end": iso(w.end),
                      "months": round(w.months, 2),
                      "new_alerts": [alert(a) for a in w.new_alerts]} for w in r.wars],
            "focus_alerts": [alert(a) for a in r.alerts if a.dyad in r.case.dyads],
        } for r in result.results],
    }


def write_json(result: SuiteResult, path: Path) -> None:
    path.write_text(json.dumps(to_json(result), indent=1, default=str), encoding="utf-8")


def write_report(result: SuiteResult, folder: Path) -> None:
    """``suite.md`` (summary, cases, details), ``suite.json`` and one plot per case."""
    folder.mkdir(parents=True, exist_ok=True)
    for r in result.results:
        plot_case(r, folder)
    (folder / "suite.md").write_text(
        "## Summary\n\n" + summary_markdown(result) + "\n## Cases\n\n"
        + cases_markdown(result) + "\n## Details\n\n" + details_markdown(result),
        encoding="utf-8")
    write_json(result, folder / "suite.json")
