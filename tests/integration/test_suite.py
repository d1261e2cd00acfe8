"""``foreshock suite`` end to end on a tiny synthetic wire: slice, code, run, report.

Ten cooperative sentences among calm dyads rotate two a day (a sentence comes back every
five days, beyond the story window, so each item is its own story); on the onset day four
differently worded reports of fighting between Armenia and Azerbaijan arrive.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from foreshock.cli.main import cli

CALM = ["France and Germany signed a trade agreement in Paris.",
        "Japan and Australia agreed to expand their cooperation on energy.",
        "Canada praised Mexico for its help after the floods.",
        "Brazil and Argentina held talks on trade.",
        "India and Bangladesh signed an accord on river water.",
        "Kenya and Tanzania agreed to build a new road.",
        "Norway and Sweden held talks on fishing rights.",
        "Chile praised Peru for its work on the border commission.",
        "Spain and Portugal signed an agreement on rail links.",
        "Ghana and Nigeria agreed to cooperate on power lines."]
FIGHTING = ["Azerbaijani forces attacked Armenian positions along the border on Sunday.",
            "Armenian artillery shelled Azerbaijani villages near the front line.",
            "Azerbaijan launched an offensive against Armenia in the mountains.",
            "Armenian troops fired rockets at Azerbaijani army posts overnight."]
START = dt.date(2022, 1, 1)
ONSET = START + dt.timedelta(days=70)

SUITE = f"""
version = "suite.v1"
cache = "cache"

[corpora.wire]
paths = ["wire.jsonl"]
fields = {{ text = "text", date = "date", id = "id" }}
outlet_field = "outlets"

[[cases]]
name = "war-breaks-out"
kind = "detect"
part = "held-out"
corpora = ["wire"]
window = ["{START}", "{ONSET + dt.timedelta(days=5)}"]
onset = "{ONSET}"
dyads = ["ARM-AZE"]

[[cases]]
name = "quiet-weeks"
kind = "calm"
part = "tuning"
corpora = ["wire"]
window = ["{START}", "{ONSET - dt.timedelta(days=1)}"]
score_from = "{START + dt.timedelta(days=14)}"
"""


def write_corpus(folder: Path) -> None:
    rows = []
    for day in range((ONSET - START).days + 6):
        date = START + dt.timedelta(days=day)
        for k in range(2):
            rows.append({"id": f"w{day}-{k}", "date": date.isoformat(),
                         "text": CALM[(2 * day + k) % len(CALM)], "outlets": ["Wire"],
                         "topic": "Armed conflicts"})  # never read: the suite maps no topic
        if date == ONSET:
            rows += [{"id": f"f{i}", "date": date.isoformat(), "text": text,
                      "outlets": [f"Outlet {i}"]} for i, text in enumerate(FIGHTING)]
    (folder / "wire.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows),
                                       encoding="utf-8")


def test_suite_command_detects_the_onset_and_stays_quiet_before(tmp_path: Path) -> None:
    write_corpus(tmp_path)
    (tmp_path / "suite.toml").write_text(SUITE, encoding="utf-8")
    out = tmp_path / "report"
    result = CliRunner().invoke(cli, ["suite", str(tmp_path / "suite.toml"), "--workers", "1",
                                      "--out", str(out), "--details"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "suite.json").read_text())
    cases = {c["case"]: c for c in report["cases"]}
    war = cases["war-breaks-out"]
    assert war["first_alert"]["kind"] == "onset"
    assert war["first_alert"]["date"] == ONSET.isoformat()  # on the day of the first reports
    assert war["delay (days)"] == "0"
    assert "force story-events from 4 stories" in war["first_alert"]["explanation"]
    assert war["first_alert"]["evidence"]  # the sentences behind it
    quiet = cases["quiet-weeks"]
    assert int(quiet["calm dyads"]) >= 8 and quiet["calm alerts"] == "0"
    assert "onset" in result.output and "held-out" in result.output
    assert (out / "suite-war-breaks-out.png").stat().st_size > 0
    assert (out / "suite-quiet-weeks.png").stat().st_size > 0
    # a second run reuses the slice and the coded database
    again = CliRunner().invoke(cli, ["suite", str(tmp_path / "suite.toml"), "--workers", "1",
                                     "--case", "war-breaks-out"])
    assert again.exit_code == 0 and "coding" not in again.output
    assert "(cached)" in again.output
