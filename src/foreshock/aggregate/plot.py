"""PNG plot of a dyad's weekly series with alert markers, the onset and corpus volume.

Two panels share the time axis: the dyad's weighted conflict intensity as a share of all
coded story-events (thin weeks hatched), and the corpus volume (articles and coded
story-events per week), so a person can tell an escalation from a busy news week.
matplotlib runs with the Agg backend: no display is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from foreshock.aggregate.series import SeriesRow

DETECTOR_STYLE = {"robust_z": ("v", "tab:orange"), "cusum": ("^", "tab:red"),
                  "onset": ("*", "tab:purple"), "severe": ("P", "tab:pink"),
                  "front": ("D", "tab:brown"),
                  "crisis_entry": ("s", "tab:olive"), "war_state": ("o", "tab:green")}
DETECTOR_LABEL = {"war_state": "de-escalation", "crisis_entry": "armed crisis begins",
                  "front": "new front (armed crisis)",
                  "severe": "onset (severe act)"}


@dataclass(frozen=True, slots=True)
class Marker:
    date: dt.date
    detector: str
    score: float


def render_plot(rows: Sequence[SeriesRow], markers: Sequence[Marker], path: str | Path, *,
                title: str, onset: dt.date | None = None, dpi: int = 110) -> Path:
    """Write the plot to ``path`` and return it."""
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: file output only, safe in servers and tests
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    weeks = [r.period for r in rows]
    share = [100 * (r.intensity_rate or 0.0) for r in rows]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    for r in rows:
        if r.thin:  # shade the whole week: a zero there means "no data", not "calm"
            top.axvspan(r.period, r.period + dt.timedelta(days=7), facecolor="#eeeeee",
                        edgecolor="#bbbbbb", hatch="///", linewidth=0, zorder=0)
    top.bar(weeks, share, width=6, align="edge", color="#4477aa", zorder=2)
    top.set_ylabel("conflict intensity\n(% of coded story-events)")
    ceiling = max([*share, 1.0])
    handles = [Patch(color="#4477aa", label="weekly conflict intensity"),
               Patch(facecolor="#eeeeee", hatch="///", edgecolor="#bbbbbb",
                     label="thin week (below minimum support: not judged)")]
    for detector, (shape, color) in DETECTOR_STYLE.items():
        dates = [m.date for m in markers if m.detector == detector]
        if dates:
            top.scatter(dates, [ceiling * 1.08] * len(dates), marker=shape, color=color,
                        s=40, zorder=3,
                        label=f"alert: {DETECTOR_LABEL.get(detector, detector)}")
    top.set_ylim(0, ceiling * 1.18)
    if onset is not None:
        for axis in (top, bottom):
            axis.axvline(onset, color="black", linestyle="--", linewidth=1)
        top.text(onset, ceiling * 1.12, f" onset {onset}", fontsize=8, va="bottom")
    top.legend(handles=handles + top.get_legend_handles_labels()[0], loc="upper left",
               fontsize=8)
    top.set_title(title, fontsize=11)
    bottom.bar(weeks, [r.articles for r in rows], width=6, align="edge", color="#cccccc",
               label="articles")
    bottom.plot([w + dt.timedelta(days=3) for w in weeks], [r.all_story_events for r in rows],
                color="#228833", marker=".", label="coded story-events (all dyads)")
    bottom.plot([w + dt.timedelta(days=3) for w in weeks], [r.story_events for r in rows],
                color="#aa3377", marker=".", label="this dyad's story-events")
    bottom.set_yscale("symlog", linthresh=10)
    bottom.set_ylabel("corpus volume\nper week")
    bottom.legend(loc="upper left", fontsize=8)
    fig.autofmt_xdate()
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=dpi)
    plt.close(fig)
    return out
