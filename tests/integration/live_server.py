"""Shared by the browser and schemathesis tests (and bench/dashboard.py): a demo database,
a large synthetic one built without the coder, and a live server."""

from __future__ import annotations

import re
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from click.testing import CliRunner

from foreshock.cli.main import cli

BENCH = Path(__file__).resolve().parents[2] / "bench"
# a sentence ends in . ! ? and a space, but not the generator's one abbreviation ("U.S.")
SENTENCE_END = re.compile(r"(?<!\bU\.S)[.!?]\s+")


def build_demo_database(db: Path) -> Path:
    """The bundled demo, coded, with stories and alerts computed."""
    for args in (["demo", "--db", str(db)], ["alerts", "--db", str(db), "--format", "json"]):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


def build_synthetic_database(db: Path, articles: int = 10_000) -> dict[str, Any]:
    """A database of ``articles`` articles of ``bench/synthetic.py`` with their events,
    stories and alerts, built in well under a minute: the articles go through the real
    ingest (``Database.ingest``), the events are made from what the generator wrote into
    each political sentence (its ``Fact``: actors, CAMEO code, modality) instead of by the
    coder (which takes ~450 s for 10,000 articles on two cores), and stories and alerts are
    computed by the real clustering and detectors (``Database.analyze``).  Every event has
    its sentence and the span of its verb in the stored text, like a coded one.  Returns
    the counts and the seconds each step took."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from synthetic import Fact, generate

    import foreshock
    from foreshock.ontology.actors import load_actors
    from foreshock.ontology.cameo import load_cameo
    from foreshock.pipeline import coding_version
    from foreshock.records import Event, Modality
    from foreshock.runners.local import close_run, record_run
    from foreshock.store.db import events_table, store_coded

    timings: dict[str, float] = {}
    started = time.perf_counter()
    corpus = db.with_suffix(".jsonl")
    facts: dict[str, list[Fact]] = {}
    generate(corpus, articles, facts=facts)
    timings["generate_s"] = time.perf_counter() - started

    step = time.perf_counter()
    database = foreshock.open(db, create=True)
    database.ingest(corpus)
    timings["ingest_s"] = time.perf_counter() - step

    step = time.perf_counter()
    actors, cameo = load_actors(), load_cameo()
    version = coding_version(database.settings)

    def actor(name: str, day: Any) -> str:
        entry = actors.lookup(re.sub(r"^the ", "", name), day)
        assert entry is not None and entry.code, name
        return entry.code

    events: list[Event] = []
    with database.writing() as con:
        stored = con.execute("SELECT article_id, date, text FROM articles").fetchall()
        for article_id, day, text in stored:
            cursor = sentence = previous = 0
            for number, fact in enumerate(facts.get(article_id, ())):
                at = text.find(fact.sentence, cursor)
                assert at >= 0, (article_id, fact.sentence)
                # its place among the article's sentences (the generator's end in . + space)
                sentence += len(SENTENCE_END.findall(text, previous, at))
                cursor, previous = at + len(fact.sentence), at
                # the trigger: the word after the doer's phrase ("Russia *shelled* ...")
                found = re.search(re.escape(fact.subject) + r" (\w+)", fact.sentence,
                                  re.IGNORECASE)
                assert found, fact
                entry = cameo.get(fact.code)
                events.append(Event(
                    event_id=f"{article_id}:{number}", article_id=article_id, date=day,
                    sentence_index=sentence, sentence=fact.sentence,
                    start=at + found.start(1), end=at + found.end(1),
                    source=actor(fact.source, day), source_sector=None,
                    target=actor(fact.target, day), target_sector=None,
                    code=fact.code, root=entry.root, goldstein=entry.goldstein,
                    quad_class=entry.quad_class, modality=Modality(fact.modality),
                    reported_by=None, pattern="synthetic", extractor=version,
                    trigger=found.group(1), source_text=fact.subject,
                    target_text=fact.target))
        run_id, run_started = record_run(con, "code", [], database.settings, None, version)
        store_coded(con, [str(r[0]) for r in stored], events_table(events, run_id), version)
        close_run(con, run_id, run_started, {"articles": len(stored), "events": len(events)})
    timings["events_s"] = time.perf_counter() - step

    step = time.perf_counter()
    report = database.analyze()
    timings["analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - started
    corpus.unlink()
    return {"articles": len(stored), "events": len(events), "alerts": report.alerts,
            **{k: round(v, 1) for k, v in timings.items()}}


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn in a thread on a loopback socket bound here (no port race); yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        srv.should_exit = True
        thread.join(10)
        sock.close()
