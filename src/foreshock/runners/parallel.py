"""Coding partitions of articles in several processes: a local process pool or Dask.

Every partition is coded by the same ``code_documents`` the local runner uses, with the
context (model, dictionaries) loaded once per worker process.  Workers write one Parquet
part per partition, named by a hash of its article ids, written to a temporary name and
renamed: a retried task overwrites its own part instead of adding a second.  One loader in
the calling process then upserts the parts into DuckDB by stable event id, so DuckDB keeps
a single writer.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from foreshock.errors import EngineError
from foreshock.pipeline import Context, code_documents, load_context
from foreshock.records import Article
from foreshock.runners.local import CodeReport, _pending_articles, pending
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


def _init_process(settings: Settings) -> None:
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


def _partitions(con: duckdb.DuckDBPyConnection, version: str, size: int
                ) -> Iterator[list[Article]]:
    """Pending articles, a partition at a time, in stable order.

    The pending query is re-run from the start after each batch is marked coded, so the
    caller must submit everything before loading; we therefore read all partitions first.
    """
    seen: set[str] = set()
    for batch in _pending_articles(con, version, 10_000_000):
        for start in range(0, len(batch), size):
            chunk = [a for a in batch[start:start + size] if a.article_id not in seen]
            seen.update(a.article_id for a in chunk)
            if chunk:
                yield chunk
        return


def code_parallel(con: duckdb.DuckDBPyConnection, settings: Settings, version: str,
                  run_id: int, out_dir: str, *, engine: str, workers: int = 2,
                  scheduler: str | None = None, partition_size: int = 64,
                  progress: Callable[[int, int | None], None] | None = None) -> CodeReport:
    """Code every pending article on a process pool (engine 'local') or Dask ('dask')."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    total = pending(con, version)
    partitions = list(_partitions(con, version, partition_size))
    started = time.perf_counter()
    if engine == "local":
        with ProcessPoolExecutor(max_workers=workers, initializer=_init_process,
                                 initargs=(settings,)) as pool:
            futures = [pool.submit(_code_in_process, p, run_id, out_dir) for p in partitions]
            parts = _collect([f.result for f in futures], progress, total)
    elif engine == "dask":
        parts = _run_dask(partitions, settings, run_id, out_dir, workers, scheduler, progress,
                          total)
    else:
        raise ValueError(f"unknown engine {engine!r}: expected local or dask")
    report = CodeReport()
    report.events = load_parts(con, parts, version)
    report.articles = sum(len(p.article_ids) for p in parts)
    report.words = sum(p.words for p in parts)
    report.sentences = sum(p.sentences for p in parts)
    report.problems = sum(p.problems for p in parts)
    report.seconds = time.perf_counter() - started
    return report


def _collect(waits: Sequence[Callable[[], Part]],
             progress: Callable[[int, int | None], None] | None,
             total: int) -> list[Part]:
    parts: list[Part] = []
    done = 0
    for wait in waits:
        part = wait()
        parts.append(part)
        done += len(part.article_ids)
        if progress is not None:
            progress(done, total)
    return parts


def _run_dask(partitions: list[list[Article]], settings: Settings, run_id: int, out_dir: str,
              workers: int, scheduler: str | None,
              progress: Callable[[int, int | None], None] | None, total: int) -> list[Part]:
    from distributed import Client, LocalCluster

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
        futures = [client.submit(_code_on_dask_worker, p, run_id, out_dir, pure=False,
                                 retries=2) for p in partitions]
        return _collect([f.result for f in futures], progress, total)
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()
