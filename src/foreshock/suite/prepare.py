"""Bring the suite's cached database up to date: slice, ingest, code what is due.

The database lives in the suite's cache folder (``suite.duckdb``).  Coding is the slow part
and is done once per extractor version: ``foreshock code`` semantics (articles whose
``coded_version`` is not the current coder's are coded again), so a new coder re-codes
everything and an unchanged one codes nothing.  The coder is whatever the settings select
(the default one unless ``--config``/``--model`` say otherwise): the suite does not care
which, it only reads asserted events.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from foreshock.settings import Settings
from foreshock.stories.cluster import StoryParams
from foreshock.suite.corpora import Slice, write_slice
from foreshock.suite.spec import Suite

Log = Callable[[str], None]


@dataclass(slots=True)
class Prepared:
    db: str
    slices: dict[str, Slice] = field(default_factory=dict)
    ingested: int = 0
    coded: int = 0
    events: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def database_path(suite: Suite) -> Path:
    return suite.cache / "suite.duckdb"


def prepare(suite: Suite, settings: Settings, *, workers: int = 2,
            stories: StoryParams | None = None, log: Log | None = None) -> Prepared:
    """Slices written, ingested and coded, story signatures computed; returns what was done
    and how long each stage took."""
    from foreshock.pipeline import coding_version, load_context
    from foreshock.runners.ingest import ingest
    from foreshock.runners.local import close_run, code_pending, pending, record_run
    from foreshock.runners.parallel import code_parallel
    from foreshock.store.db import connect
    from foreshock.stories.store import update_stories

    say = log or (lambda _: None)
    suite.cache.mkdir(parents=True, exist_ok=True)
    db = str(database_path(suite))
    settings = replace(settings, db=db)
    done = Prepared(db=db)
    clock = time.perf_counter()
    for name, corpus in suite.corpora.items():
        windows = suite.windows(name)
        if not windows:
            continue
        piece = write_slice(corpus, windows, suite.cache / "corpora")
        done.slices[name] = piece
        say(f"{name}: {piece.records} records in {len(windows)} window(s)"
            f"{' (rewritten)' if piece.written else ' (cached)'}")
    done.seconds["slice"] = time.perf_counter() - clock

    clock = time.perf_counter()
    con = connect(db)
    run_id, started = record_run(con, "suite-ingest", [str(s.path) for s in
                                                       done.slices.values()], settings, None)
    con.execute("CREATE TABLE IF NOT EXISTS suite_slices (corpus VARCHAR PRIMARY KEY, "
                "key VARCHAR NOT NULL)")
    known = dict(con.execute("SELECT corpus, key FROM suite_slices").fetchall())
    for piece in done.slices.values():
        if known.get(piece.corpus) == piece.key:
            continue  # this very slice was ingested before: nothing new in it
        read = ingest(con, [str(piece.path)], settings, run_id)
        con.execute("INSERT OR REPLACE INTO suite_slices VALUES (?, ?)",
                    [piece.corpus, piece.key])
        done.ingested += read.added
        if read.added or read.quarantined:
            say(f"ingest {piece.corpus}: {read.added} new, {read.duplicates} known, "
                f"{read.quarantined} quarantined")
    close_run(con, run_id, started, {"added": done.ingested})
    done.seconds["ingest"] = time.perf_counter() - clock

    clock = time.perf_counter()
    version = coding_version(settings)
    due = pending(con, version)
    if due:
        say(f"coding {due} articles with {version} ({workers} process(es)) ...")
        if workers > 1:
            run_id, started = record_run(con, "suite-code", [], settings, None, version)
            report = code_parallel(con, settings, version, run_id,
                                   f"{db}.parts/run-{run_id}", engine="local",
                                   workers=workers)
        else:
            ctx = load_context(settings)
            run_id, started = record_run(con, "suite-code", [], settings, ctx)
            report = code_pending(con, ctx, run_id)
        close_run(con, run_id, started, {"articles": report.articles,
                                         "events": report.events,
                                         "seconds": round(report.seconds, 2)})
        done.coded, done.events = report.articles, report.events
        say(f"coded {report.articles} articles into {report.events} events in "
            f"{report.seconds:.0f}s")
    done.seconds["code"] = time.perf_counter() - clock
    clock = time.perf_counter()
    # MinHash signatures of new articles, hashed in as many processes as the coding had
    update_stories(con, stories or StoryParams(), workers=workers)
    con.close()
    done.seconds["stories"] = time.perf_counter() - clock
    return done
