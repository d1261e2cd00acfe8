"""The local runner: ingest sources into DuckDB, then code what is not yet coded.

Work is committed in chunks, so an interrupted run keeps what it finished and the next run
resumes: ingest skips known article ids, coding picks up articles whose ``coded_version``
is not the current extractor's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version as package_version

import duckdb

from foreshock.ingest.readers import iter_raw, record_byte_limit
from foreshock.normalize.dates import check_date
from foreshock.normalize.text import load_boilerplate
from foreshock.normalize.validate import to_article
from foreshock.pipeline import Context, code_documents
from foreshock.records import Article, Quarantined, RawArticle, Skipped
from foreshock.settings import Settings
from foreshock.store import fetch_one
from foreshock.store.db import (
    events_table,
    finish_run,
    insert_quarantine,
    start_run,
    store_articles,
    store_coded,
)

Progress = Callable[[int, int], None]  # (done, total)


@dataclass(slots=True)
class IngestReport:
    """Every record read is counted once: read = added + duplicates + quarantined + skipped.

    ``quarantined`` includes conflicts (same id, other content) unless ``--on-conflict``
    chose otherwise; ``skipped`` counts conflicts resolved by keeping the stored article.
    Files not read at all (unknown type) are listed in ``skipped_files``.
    """

    read: int = 0
    added: int = 0
    duplicates: int = 0
    quarantined: int = 0
    skipped: int = 0
    conflicts: int = 0
    replaced: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    skipped_files: list[Skipped] = field(default_factory=list)

    @property
    def unaccounted(self) -> int:
        """Records read but neither stored, known, quarantined nor skipped: always 0."""
        return self.read - self.added - self.duplicates - self.quarantined - self.skipped

    def counts(self) -> dict[str, object]:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "quarantined": self.quarantined, "skipped": self.skipped,
                "conflicts": self.conflicts, "replaced": self.replaced,
                "reasons": dict(sorted(self.reasons.items())),
                "skipped_files": [f"{s.path}: {s.reason}" for s in self.skipped_files]}


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
           progress: Callable[[int], None] | None = None, on_conflict: str = "quarantine",
           report: IngestReport | None = None,
           records: Iterable[RawArticle] | None = None) -> IngestReport:
    """Read ``paths`` (or the given raw ``records``) into ``articles`` and ``quarantine``.

    Work is stored a chunk at a time; if reading fails or is interrupted, the records
    already validated are stored before the error goes on, so nothing read is lost and a
    re-run resumes.  ``report`` (filled in place) lets a caller see the counts even then.
    """
    report = report if report is not None else IngestReport()
    if default_date is not None:
        check_date(default_date)
    patterns = load_boilerplate()
    good: list[Article] = []
    bad: list[Quarantined] = []

    def flush() -> None:
        load = store_articles(con, good, run_id, on_conflict=on_conflict)
        report.added += load.added
        report.duplicates += load.duplicates
        report.skipped += load.kept
        report.replaced += load.replaced
        report.conflicts += len(load.conflicts) + load.kept + load.replaced
        for item in load.conflicts:
            _count_quarantined(report, item)
        insert_quarantine(con, [*bad, *load.conflicts], run_id)
        good.clear()
        bad.clear()

    if records is None:
        records = iter_raw(paths, csv_columns=csv_columns,
                           max_record_bytes=record_byte_limit(settings.max_chars),
                           on_skip=report.skipped_files.append)
    try:
        for raw in records:
            report.read += 1
            item = to_article(raw, default_date=default_date, max_chars=settings.max_chars,
                              patterns=patterns)
            if isinstance(item, Quarantined):
                _count_quarantined(report, item)
                bad.append(item)
            else:
                good.append(item)
            if len(good) + len(bad) >= chunk:
                flush()
            if progress is not None:
                progress(report.read)
    except BaseException:
        # keep what was read before the failure (or Ctrl-C); if storing is what failed,
        # the original error is the one to report
        if good or bad:
            with contextlib.suppress(Exception):
                flush()
        raise
    flush()
    return report


def _count_quarantined(report: IngestReport, item: Quarantined) -> None:
    report.quarantined += 1
    reason = item.reason.split(":")[0]
    report.reasons[reason] = report.reasons.get(reason, 0) + 1


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
                 chunk: int = 256, progress: Progress | None = None,
                 report: CodeReport | None = None) -> CodeReport:
    """Code every article not yet coded by ``ctx``'s version, committing chunk by chunk.

    ``report`` (filled in place) keeps the counts of what was stored if this is
    interrupted.
    """
    report = report if report is not None else CodeReport()
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
