"""Live mode: one process owns the database and keeps it current with inbox folders.

Each cycle looks at every file below the inboxes (as ``foreshock ingest`` would read a
folder), reads what is new, codes what is not yet coded, and brings stories and alerts up
to date.  New files are read once they have been left alone for ``settle`` seconds (a file
still being written is not read half-way); a JSON Lines file is read as it grows: only its
new complete lines, numbered as a read of the whole file would number them.  What has been
read is kept in the ``watch_files`` table, so a restart goes on where it stopped.

Restartable at any point with nothing lost or doubled: every write is idempotent (articles
by id, quarantine by file, place, reason and record; coding by article and version), so
work repeated after a crash finds itself already stored.  The same files give the same
database as a batch ``foreshock run`` over them, in any order of arrival (stories are
re-clustered from an early arrival's date on; see ``stories.store``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from foreshock.ingest.readers import (
    display_path,
    plan,
    read_file,
    read_json_lines,
    record_byte_limit,
)
from foreshock.records import RawArticle, Skipped
from foreshock.runners.ingest import IngestReport, ingest
from foreshock.runners.local import CodeReport, code_pending, pending
from foreshock.settings import Settings
from foreshock.store.db import finish_run, start_run

if TYPE_CHECKING:
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.pipeline import Context

WATCH_TABLE = """
    CREATE TABLE IF NOT EXISTS watch_files (
        path VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        size BIGINT NOT NULL,
        mtime_ns BIGINT NOT NULL,
        inode BIGINT NOT NULL,
        read_to BIGINT NOT NULL,
        lines BIGINT NOT NULL,
        updated TIMESTAMPTZ NOT NULL
    )
"""
# A line is complete at "\n", or at "\r" followed by anything but "\n".
_LINE_END = re.compile(rb"\r\n|\n|\r(?=[^\n])")


@dataclass(frozen=True, slots=True)
class WatchOptions:
    inboxes: tuple[str, ...]
    interval: float = 2.0  # seconds between looks at the inboxes
    settle: float = 1.0  # a file is read once unchanged for this long
    default_date: dt.date | None = None
    csv_columns: Mapping[str, str] | None = None
    on_conflict: str = "quarantine"
    alerts: bool = True


@dataclass(frozen=True, slots=True)
class FileState:
    """What has been read of one file."""

    kind: str  # "lines" (read as it grows) or "whole"
    size: int
    mtime_ns: int
    inode: int
    read_to: int  # bytes read (JSON Lines: up to the end of the last complete line)
    lines: int  # lines read (JSON Lines)


@dataclass(slots=True)
class CycleReport:
    files: int = 0
    ingest: IngestReport = field(default_factory=IngestReport)
    code: CodeReport = field(default_factory=CodeReport)
    alerts: int | None = None
    alerts_recomputed: bool = False
    seconds: float = 0.0

    @property
    def busy(self) -> bool:
        return bool(self.files or self.code.articles or self.alerts_recomputed)


@dataclass(slots=True)
class _Work:
    path: str
    kind: str
    state: FileState
    start: int = 0  # JSON Lines: the range to read, and the number of its first line
    stop: int = 0
    first_line: int = 1


class Watcher:
    """The owner of one database in live mode (``run`` loops, ``cycle`` does one pass)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, settings: Settings,
                 options: WatchOptions, context: Context, config: AnalysisConfig | None,
                 *, log: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.con = con
        self.settings = settings
        self.options = options
        self.context = context
        self.config = config
        self.log = log or (lambda _: None)
        self.clock = clock
        self.totals = CycleReport()
        self.cycles = 0
        self._reported: set[str] = set()
        con.execute(WATCH_TABLE)
        self.run_id = start_run(con, "watch", list(options.inboxes), {
            "extractor": context.extractor_version, "settings": settings.fingerprint()})
        self._started = time.perf_counter()

    # --- the loop -------------------------------------------------------------------------

    def run(self, stop: threading.Event, *, cycles: int | None = None) -> None:
        """Cycle until ``stop`` is set (or ``cycles`` cycles have run)."""
        while not stop.is_set():
            self.cycle()
            if cycles is not None and self.cycles >= cycles:
                return
            stop.wait(self.options.interval)

    def cycle(self) -> CycleReport:
        """One pass: read what is new, code it, refresh stories and alerts."""
        started = time.perf_counter()
        report = CycleReport()
        for work in self._scan():
            self._read(work, report)
        if report.ingest.added or report.ingest.replaced or pending(
                self.con, self.context.extractor_version):
            code_pending(self.con, self.context, self.run_id, report=report.code)
        if self.options.alerts and self.config is not None and (
                report.ingest.added or report.ingest.replaced or report.code.articles
                or self.cycles == 0):
            from foreshock.analysis import refresh

            refreshed = refresh(self.con, self.config)
            report.alerts, report.alerts_recomputed = refreshed.alerts, refreshed.computed
        report.seconds = time.perf_counter() - started
        self.cycles += 1
        self._add_to_totals(report)
        if report.busy:
            self.log(describe(report))
            finish_run(self.con, self.run_id, self.counts(), self._started,
                       time.perf_counter())
        return report

    def counts(self) -> dict[str, Any]:
        t = self.totals
        return {**t.ingest.counts(), "files": t.files, "coded": t.code.articles,
                "events": t.code.events, "alerts": t.alerts, "cycles": self.cycles}

    def _add_to_totals(self, report: CycleReport) -> None:
        t, i = self.totals, report.ingest
        t.files += report.files
        for name in ("read", "added", "duplicates", "updated", "quarantined", "skipped",
                     "conflicts", "replaced"):
            setattr(t.ingest, name, getattr(t.ingest, name) + getattr(i, name))
        for reason, count in i.reasons.items():
            t.ingest.reasons[reason] = t.ingest.reasons.get(reason, 0) + count
        for reason, example in i.examples.items():
            t.ingest.examples.setdefault(reason, example)
        t.ingest.file_problems.extend(i.file_problems)
        t.ingest.skipped_files.extend(i.skipped_files)
        t.code.articles += report.code.articles
        t.code.events += report.code.events
        if report.alerts is not None:
            t.alerts = report.alerts

    # --- what is new ----------------------------------------------------------------------

    def _scan(self) -> Iterator[_Work]:
        states = self._states()
        now = self.clock()
        for inbox in self.options.inboxes:
            for path, kind, reason in plan(inbox):
                if kind == "skip":
                    self._report_skip(path, reason)
                    continue
                work = self._work(path, kind, states.get(display_path(path)), now)
                if work is not None:
                    yield work

    def _work(self, path: str, kind: str, known: FileState | None, now: float
              ) -> _Work | None:
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode) or kind == "problem":
            # a dangling link, a FIFO, an unreadable folder: read (and quarantined) once
            if known is not None:
                return None
            return _Work(path, kind, FileState("whole", -1, 0, 0, 0, 0))
        settled = now - info.st_mtime >= self.options.settle
        if kind == "jsonl" and not path.lower().endswith(".gz"):
            return self._lines_work(path, kind, known, info, settled)
        if known is not None and (known.size, known.mtime_ns) == (info.st_size,
                                                                  info.st_mtime_ns):
            return None
        if not settled:
            return None  # still being written: next time
        return _Work(path, kind, FileState("whole", info.st_size, info.st_mtime_ns,
                                           info.st_ino, info.st_size, 0))

    def _lines_work(self, path: str, kind: str, known: FileState | None,
                    info: os.stat_result, settled: bool) -> _Work | None:
        start, lines = 0, 0
        if known is not None and known.kind == "lines" and known.inode == info.st_ino \
                and known.read_to <= info.st_size:
            start, lines = known.read_to, known.lines  # a file that grew: its new lines
        if info.st_size <= start:
            return None
        stop, count = complete_lines(path, start, info.st_size, through_end=settled)
        if stop <= start:
            return None
        return _Work(path, kind, FileState("lines", info.st_size, info.st_mtime_ns,
                                           info.st_ino, stop, lines + count),
                     start, stop, lines + 1)

    # --- reading --------------------------------------------------------------------------

    def _read(self, work: _Work, report: CycleReport) -> None:
        records: Iterable[RawArticle]
        if work.state.kind == "lines":
            records = read_json_lines(work.path, work.start, work.stop, work.first_line,
                                      csv_columns=self.options.csv_columns,
                                      max_record_bytes=self._limit())
        else:
            records = read_file(work.path, work.kind, csv_columns=self.options.csv_columns,
                                max_record_bytes=self._limit())
        ingest(self.con, [work.path], self.settings, self.run_id,
               default_date=self.options.default_date, on_conflict=self.options.on_conflict,
               report=report.ingest, records=records)
        # after the records: a crash between the two reads them again, harmlessly
        self._save(display_path(work.path), work.state)
        report.files += 1

    def _limit(self) -> int:
        return record_byte_limit(self.settings.max_chars)

    def _report_skip(self, path: str, reason: str) -> None:
        shown = display_path(path)
        if shown not in self._reported:
            self._reported.add(shown)
            self.totals.ingest.skipped_files.append(Skipped(shown, reason))
            self.log(f"skipped {shown}: {reason.split(';')[0]}")

    def _states(self) -> dict[str, FileState]:
        rows = self.con.execute("SELECT path, kind, size, mtime_ns, inode, read_to, lines "
                                "FROM watch_files").fetchall()
        return {str(r[0]): FileState(str(r[1]), int(r[2]), int(r[3]), int(r[4]), int(r[5]),
                                     int(r[6])) for r in rows}

    def _save(self, path: str, state: FileState) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO watch_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [path, state.kind, state.size, state.mtime_ns, state.inode, state.read_to,
             state.lines, dt.datetime.now(dt.UTC)])


def complete_lines(path: str, start: int, size: int, *, through_end: bool
                   ) -> tuple[int, int]:
    """(end of the last complete line between ``start`` and ``size``, lines up to it).

    With ``through_end`` an unterminated last line counts as complete: the file has been
    left alone long enough that its writer is done with it.
    """
    end, count = start, 0
    read_to = start
    carry = b""  # a "\r" ending a chunk: its line ending may go on with "\n"
    with open(path, "rb") as handle:
        handle.seek(start)
        while read_to < size:
            chunk = handle.read(min(1 << 20, size - read_to))
            if not chunk:
                break
            base = read_to - len(carry)
            data = carry + chunk
            read_to += len(chunk)
            for match in _LINE_END.finditer(data):
                end, count = base + match.end(), count + 1
            carry = b"\r" if data.endswith(b"\r") and end < read_to else b""
    if through_end and read_to > end:
        end, count = read_to, count + 1
    return end, count


def describe(report: CycleReport) -> str:
    """One line for the console per cycle that did something."""
    i = report.ingest
    parts = [f"{report.files} file(s): {i.added} new articles, {i.duplicates} already "
             f"stored, {i.quarantined} quarantined"]
    if report.code.articles:
        parts.append(f"{report.code.articles} coded into {report.code.events} events")
    if report.alerts is not None:
        parts.append(f"alerts {report.alerts}"
                     + (" (recomputed)" if report.alerts_recomputed else ""))
    return f"{dt.datetime.now():%H:%M:%S} " + "; ".join(parts) + f" ({report.seconds:.1f}s)"
