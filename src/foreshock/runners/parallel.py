"""Coding partitions of articles in several processes: a local process pool or Dask.

Every partition is coded by the same ``code_documents`` the local runner uses, with the
context (model, dictionaries) loaded once per worker process.  Workers write one Parquet
part per partition, named by a hash of its article ids, written to a temporary name and
renamed: a retried task overwrites its own part instead of adding a second.  The calling
process is the single DuckDB writer: it stores each part as soon as it is finished (and
deletes the file), so an interrupted run keeps every finished partition, and it hands out
only a few partitions at a time, so pending articles are never all in memory.

Local workers die with the parent (``lifeline.watch_parent``); on Ctrl-C or an error the
parent stops them before the error goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from foreshock.errors import EngineError
from foreshock.pipeline import Context, code_documents, load_context
from foreshock.records import Article
from foreshock.runners.lifeline import watch_parent
from foreshock.runners.local import CodeReport, pending
from foreshock.runners.shield import deferred_interrupt
from foreshock.settings import Settings
from foreshock.store.db import events_table, store_coded

PLUGIN_NAME = "foreshock-context"
#: seconds to wait for a scheduler given by address before saying it is unreachable
SCHEDULER_TIMEOUT = "10s"


@dataclass(frozen=True, slots=True)
class Part:
    """What a worker reports back for one partition (the events are in the Parquet file)."""

    path: str
    article_ids: tuple[str, ...]
    events: int
    words: int
    sentences: int
    problems: int
    seconds: float
    pid: int


def part_key(article_ids: Sequence[str], version: str) -> str:
    digest = hashlib.sha1("\n".join([version, *article_ids]).encode()).hexdigest()
    return digest[:16]


def code_partition(articles: Sequence[Article], ctx: Context, run_id: int, out_dir: str) -> Part:
    """Code one partition and write its events as a Parquet part; pure but for the file."""
    started = time.perf_counter()
    results = code_documents(list(articles), ctx)
    events = [e for r in results for e in r.events]
    ids = tuple(a.article_id for a in articles)
    path = Path(out_dir) / f"part-{part_key(ids, ctx.extractor_version)}.parquet"
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    pq.write_table(events_table(events, run_id), tmp)
    tmp.replace(path)  # atomic: a reader never sees half a part
    return Part(str(path), ids, len(events), sum(r.words for r in results),
                sum(r.sentences for r in results), sum(len(r.problems) for r in results),
                time.perf_counter() - started, os.getpid())


def load_parts(con: duckdb.DuckDBPyConnection, parts: Sequence[Part], version: str) -> int:
    """The single writer: upsert every part's events and mark its articles coded."""
    added = 0
    for part in parts:
        added += store_coded(con, part.article_ids, pq.read_table(part.path), version)
    return added


# -- local process pool -------------------------------------------------------------------------
# A process pool's initializer can only leave state in the worker process itself; this is the
# one per-process slot, set once per worker and never in the parent.
_WORKER_CONTEXT: list[Context] = []


def _init_process(settings: Settings, parent: int) -> None:
    watch_parent(parent)
    _WORKER_CONTEXT.append(load_context(settings))


def _code_in_process(articles: Sequence[Article], run_id: int, out_dir: str) -> Part:
    return code_partition(articles, _WORKER_CONTEXT[0], run_id, out_dir)


# -- Dask ---------------------------------------------------------------------------------------
def _context_plugin(settings: Settings) -> Any:
    """A ``distributed`` worker plugin that loads the context once per worker."""
    from foreshock.runners.dask_plugin import ContextPlugin

    return ContextPlugin(settings)


def _code_on_dask_worker(articles: Sequence[Article], run_id: int, out_dir: str) -> Part:
    from distributed import get_worker

    plugin = get_worker().plugins[PLUGIN_NAME]
    context = plugin.context  # type: ignore[attr-defined]
    if context is None:
        raise RuntimeError("the foreshock context plugin did not load on this worker")
    return code_partition(articles, context, run_id, out_dir)


_PAGE = 2_000  # pending articles read from the database at a time


def _partitions(con: duckdb.DuckDBPyConnection, version: str, size: int
                ) -> Iterator[list[Article]]:
    """Pending articles a partition at a time, in (date, id) order, read page by page.

    Paging by key, not by offset, and from a snapshot of what is pending: partitions
    stored while this runs leave the pending set, which would shift an offset.
    """
    query = ("SELECT article_id, date, published, text, title, url, outlet, source_path, "
             "locator FROM articles WHERE coded_version IS DISTINCT FROM ? AND "
             "(date > ? OR (date = ? AND article_id > ?)) ORDER BY date, article_id LIMIT ?")
    last: tuple[Any, str] = (dt.date.min, "")
    batch: list[Article] = []
    while True:
        rows = con.execute(query, [version, last[0], last[0], last[1], _PAGE]).fetchall()
        for r in rows:
            batch.append(Article(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] or "",
                                 r[8] or ""))
            if len(batch) == size:
                yield batch
                batch = []
        if len(rows) < _PAGE:
            break
        last = (rows[-1][1], rows[-1][0])
    if batch:
        yield batch


def code_parallel(con: duckdb.DuckDBPyConnection, settings: Settings, version: str,
                  run_id: int, out_dir: str, *, engine: str, workers: int = 2,
                  scheduler: str | None = None, partition_size: int = 64,
                  progress: Callable[[int, int | None], None] | None = None,
                  report: CodeReport | None = None) -> CodeReport:
    """Code every pending article on a process pool (engine 'local') or Dask ('dask').

    Each finished partition is stored at once; ``report`` (filled in place) says what
    was stored if the run is interrupted.  Part files of this run are removed once stored,
    and those left by earlier interrupted runs beside ``out_dir`` are removed at the start
    (this process holds the database, so no other run can be using them).
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"unknown engine {engine!r}: expected local or dask")
    report = report if report is not None else CodeReport()
    out = Path(out_dir)
    remove_stale_parts(out.parent, keep=out)
    out.mkdir(parents=True, exist_ok=True)
    total = pending(con, version)
    started = time.perf_counter()

    def store(part: Part) -> None:
        # stored and counted as one step, so the interrupted message counts what is stored
        with deferred_interrupt():
            report.events += store_coded(con, part.article_ids, pq.read_table(part.path),
                                         version)
            Path(part.path).unlink(missing_ok=True)
            report.articles += len(part.article_ids)
            report.words += part.words
            report.sentences += part.sentences
            report.problems += part.problems
        if progress is not None:
            progress(report.articles, total)

    partitions = _partitions(con, version, partition_size)
    try:
        if engine == "local":
            _run_pool(partitions, settings, run_id, out_dir, workers, store)
        else:
            _run_dask(partitions, settings, run_id, out_dir, workers, scheduler, store)
    finally:
        report.seconds = time.perf_counter() - started
        _remove_parts(out)
    return report


def remove_stale_parts(parts_dir: Path, keep: Path | None = None) -> int:
    """Delete part files (and their emptied ``run-*`` folders) under ``parts_dir``."""
    removed = 0
    if not parts_dir.is_dir():
        return 0
    for run_dir in parts_dir.glob("run-*"):
        if keep is not None and run_dir == keep:
            continue
        removed += _remove_parts(run_dir)
    with contextlib.suppress(OSError):
        parts_dir.rmdir()  # only if empty
    return removed


def _remove_parts(run_dir: Path) -> int:
    removed = 0
    for file in [*run_dir.glob("part-*.parquet"), *run_dir.glob("part-*.tmp")]:
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
            removed += 1
    with contextlib.suppress(OSError):
        run_dir.rmdir()  # only if empty: never anything of the user's
    with contextlib.suppress(OSError):
        run_dir.parent.rmdir()
    return removed


def _in_flight(workers: int) -> int:
    """Partitions handed out at once: enough to keep every worker busy."""
    return 2 * workers


def _run_pool(partitions: Iterator[list[Article]], settings: Settings, run_id: int,
              out_dir: str, workers: int, store: Callable[[Part], None]) -> None:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_process,
                               initargs=(settings, os.getpid()))
    try:
        running: set[Future[Part]] = set()
        while True:
            for chunk in partitions:
                running.add(pool.submit(_code_in_process, chunk, run_id, out_dir))
                if len(running) >= _in_flight(workers):
                    break
            if not running:
                break
            done, running = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                store(future.result())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now: their unfinished work would be coded again on resume."""
    processes = list(pool._processes.values()) if pool._processes else []
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError):
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _run_dask(partitions: Iterator[list[Article]], settings: Settings, run_id: int,
              out_dir: str, workers: int, scheduler: str | None,
              store: Callable[[Part], None]) -> None:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError, ValueError) as exc:
            raise EngineError(
                f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no answer'}). Is `dask "
                "scheduler` running there, and is the address tcp://HOST:PORT? Without "
                "--scheduler, --engine dask starts a local cluster; --engine local uses "
                "processes") from None
    else:
        import dask

        # Dask's nannies set MALLOC_TRIM_THRESHOLD_=65536 in workers, which made coding cost
        # ~20% more CPU there than in-process (measured, docs/benchmark-results.md); the
        # coder's memory stays bounded without it (< 1 GB per worker, measured)
        environ = {k: v for k, v in
                   dask.config.get("distributed.nanny.pre-spawn-environ").items()
                   if k != "MALLOC_TRIM_THRESHOLD_"}
        with dask.config.set({"distributed.nanny.pre-spawn-environ": environ}):
            # one thread per worker process: spaCy holds the GIL, threads would only contend
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None)
        client = Client(cluster)  # type: ignore[no-untyped-call]
    try:
        client.register_plugin(_context_plugin(settings), name=PLUGIN_NAME)
        limit = _in_flight(workers if not scheduler else max(workers, 2))
        first = [client.submit(_code_on_dask_worker, p, run_id, out_dir, pure=False,
                               retries=2) for p in _take(partitions, limit)]
        queue = as_completed(first)  # type: ignore[no-untyped-call]
        for future in queue:
            store(future.result())
            for chunk in _take(partitions, 1):
                queue.add(client.submit(  # type: ignore[no-untyped-call]
                    _code_on_dask_worker, chunk, run_id, out_dir, pure=False, retries=2))
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def _take(partitions: Iterator[list[Article]], count: int) -> list[list[Article]]:
    return [chunk for _, chunk in zip(range(count), partitions, strict=False)]
