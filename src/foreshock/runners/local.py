"""The local runner: ingest sources into DuckDB, then code what is not yet coded.

Work is committed in chunks, so an interrupted run keeps what it finished and the next run
resumes: ingest skips known article ids, coding picks up articles whose ``coded_version``
is not the current extractor's.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as package_version

import duckdb

from foreshock.ingest.readers import iter_raw
from foreshock.normalize.text import load_boilerplate
from foreshock.normalize.validate import to_article
from foreshock.pipeline import Context, code_documents
from foreshock.records import Article, Quarantined
from foreshock.settings import Settings
from foreshock.store import fetch_one
from foreshock.store.db import (
    events_table,
    finish_run,
    insert_articles,
    insert_quarantine,
    start_run,
    store_coded,
)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    added: int = 0
    duplicates: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class CodeReport:
    articles: int = 0
    events: int = 0
    sentences: int = 0
    words: int = 0
    problems: int = 0
    seconds: float = 0.0


def versions(settings: Settings, ctx: Context | None = None,
             extractor: str | None = None) -> dict[str, str]:
    found = {"foreshock": package_version("foreshock"), "model": settings.model,
             "settings": settings.fingerprint()}
    if ctx is not None:
        found["extractor"] = ctx.extractor_version
        found["spacy_model_version"] = str(ctx.nlp.meta.get("version", ""))
    elif extractor is not None:
        found["extractor"] = extractor
    return found


def ingest(con: duckdb.DuckDBPyConnection, paths: Sequence[str], settings: Settings, run_id: int,
           *, default_date: dt.date | None = None,
           csv_columns: Mapping[str, str] | None = None, chunk: int = 2_000,
           progress: Callable[[int], None] | None = None) -> IngestReport:
    report = IngestReport()
    patterns = load_boilerplate()
    good: list[Article] = []
    bad: list[Quarantined] = []

    def flush() -> None:
        added = insert_articles(con, good, run_id)
        report.added += added
        report.duplicates += len(good) - added
        insert_quarantine(con, bad, run_id)
        good.clear()
        bad.clear()

    for raw in iter_raw(paths, csv_columns=csv_columns):
        report.read += 1
        item = to_article(raw, default_date=default_date, max_chars=settings.max_chars,
                          patterns=patterns)
        if isinstance(item, Quarantined):
            report.quarantined += 1
            reason = item.reason.split(":")[0]
            report.reasons[reason] = report.reasons.get(reason, 0) + 1
            bad.append(item)
        else:
            good.append(item)
        if len(good) + len(bad) >= chunk:
            flush()
        if progress is not None:
            progress(report.read)
    flush()
    return report


def pending(con: duckdb.DuckDBPyConnection, version: str) -> int:
    row = fetch_one(con, "SELECT count(*) FROM articles WHERE coded_version IS DISTINCT FROM ?",
                      [version])
    return int(row[0]) if row else 0


def _pending_articles(con: duckdb.DuckDBPyConnection, version: str, chunk: int
                      ) -> Iterable[list[Article]]:
    """Articles not yet coded by ``version``, in stable order, a chunk at a time."""
    query = ("SELECT article_id, date, published, text, title, url, outlet, source_path, locator "
             "FROM articles WHERE coded_version IS DISTINCT FROM ? ORDER BY date, article_id "
             "LIMIT ?")
    while True:
        rows = con.execute(query, [version, chunk]).fetchall()
        if not rows:
            return
        yield [Article(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "", r[8] or "")
               for r in rows]


def code_pending(con: duckdb.DuckDBPyConnection, ctx: Context, run_id: int, *,
                 chunk: int = 256, progress: Progress | None = None) -> CodeReport:
    report = CodeReport()
    version = ctx.extractor_version
    total = pending(con, version)
    started = time.perf_counter()
    for batch in _pending_articles(con, version, chunk):
        results = code_documents(batch, ctx)
        events = [e for r in results for e in r.events]
        report.events += store_coded(con, [a.article_id for a in batch],
                                     events_table(events, run_id), version)
        report.articles += len(batch)
        report.sentences += sum(r.sentences for r in results)
        report.words += sum(r.words for r in results)
        report.problems += sum(len(r.problems) for r in results)
        if progress is not None:
            progress(report.articles, total)
    report.seconds = time.perf_counter() - started
    return report


def record_run(con: duckdb.DuckDBPyConnection, command: str, inputs: Sequence[str],
               settings: Settings, ctx: Context | None, extractor: str | None = None
               ) -> tuple[int, float]:
    return (start_run(con, command, inputs, versions(settings, ctx, extractor)),
            time.perf_counter())


def close_run(con: duckdb.DuckDBPyConnection, run_id: int, started: float,
              counts: Mapping[str, object]) -> None:
    finish_run(con, run_id, dict(counts), started, time.perf_counter())
