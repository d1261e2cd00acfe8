"""The local runner: code, in this process, what is not yet coded; and the run log.

Work is committed in chunks, so an interrupted run keeps what it finished and the next run
resumes: coding picks up articles whose ``coded_version`` is not the current extractor's.
Ingest is ``runners/ingest.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version as package_version
from typing import TYPE_CHECKING, Any

import duckdb

from foreshock.records import Article
from foreshock.runners.shield import deferred_interrupt
from foreshock.settings import Settings
from foreshock.store import fetch_one
from foreshock.store.db import (
    events_table,
    finish_run,
    start_run,
    store_coded,
)

if TYPE_CHECKING:  # spaCy loads with the pipeline: only when something is coded
    from foreshock.pipeline import Context

#: ``progress(done, total)``: called as work is done (total None when not known)
Progress = Callable[[int, int | None], None]


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


def pending(con: duckdb.DuckDBPyConnection, version: str) -> int:
    row = fetch_one(con, "SELECT count(*) FROM articles WHERE coded_version IS DISTINCT FROM ?",
                      [version])
    return int(row[0]) if row else 0


#: the stored columns an ``Article`` is read back from, in its fields' order
ARTICLE_COLUMNS = "article_id, date, published, text, title, url, outlet, source_path, locator"


def article_of(row: tuple[Any, ...]) -> Article:
    """An ``Article`` from a row of ``ARTICLE_COLUMNS``."""
    r = row
    return Article(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "", r[8] or "")


def stored_articles(con: duckdb.DuckDBPyConnection) -> list[Article]:
    """Every stored article, in coding order (by date, then id)."""
    rows = con.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles "
                       "ORDER BY date, article_id").fetchall()
    return [article_of(r) for r in rows]


def _pending_articles(con: duckdb.DuckDBPyConnection, version: str, chunk: int
                      ) -> Iterable[list[Article]]:
    """Articles not yet coded by ``version``, in stable order, a chunk at a time."""
    query = (f"SELECT {ARTICLE_COLUMNS} FROM articles "
             "WHERE coded_version IS DISTINCT FROM ? ORDER BY date, article_id LIMIT ?")
    while True:
        rows = con.execute(query, [version, chunk]).fetchall()
        if not rows:
            return
        yield [article_of(r) for r in rows]


def code_pending(con: duckdb.DuckDBPyConnection, ctx: Context, run_id: int, *,
                 chunk: int = 256, step_seconds: float = 0.5,
                 progress: Progress | None = None,
                 report: CodeReport | None = None) -> CodeReport:
    """Code every pending article, ``chunk`` articles per transaction.  Within a chunk the
    articles are coded a few at a time, as many as take about ``step_seconds`` (measured as
    it goes), so that progress is reported at least every second however long they are.

    ``report`` (filled in place) keeps the counts of what was stored if this is
    interrupted."""
    from foreshock.pipeline import code_documents

    report = report if report is not None else CodeReport()
    version = ctx.extractor_version
    total = pending(con, version)
    started = time.perf_counter()
    step = 8
    if progress is not None:
        progress(0, total)
    for batch in _pending_articles(con, version, chunk):
        results = []
        start = 0
        while start < len(batch):
            clock = time.perf_counter()
            part = batch[start:start + step]
            results += code_documents(part, ctx)
            start += len(part)
            if progress is not None:
                progress(report.articles + start, total)
            per_article = (time.perf_counter() - clock) / len(part)
            step = max(1, min(64, int(step_seconds / per_article) if per_article else 64))
        events = [e for r in results for e in r.events]
        # stored and counted as one step, so the interrupted message counts what is stored
        with deferred_interrupt():
            report.events += store_coded(con, [a.article_id for a in batch],
                                         events_table(events, run_id), version)
            report.articles += len(batch)
            report.sentences += sum(r.sentences for r in results)
            report.words += sum(r.words for r in results)
            report.problems += sum(len(r.problems) for r in results)
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


def is_interrupt(exc: BaseException) -> bool:
    """Ctrl-C, also when it lands inside a DuckDB query (which then raises its own error)."""
    return isinstance(exc, KeyboardInterrupt | duckdb.InterruptException) or (
        isinstance(exc, RuntimeError) and str(exc) == "Query interrupted")
