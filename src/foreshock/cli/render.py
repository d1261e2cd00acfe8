"""Output helpers shared by commands: rows as a table or in an export format, and
progress with rate and ETA."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any, TextIO

import pyarrow as pa
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from foreshock.errors import NothingStoredError
from foreshock.export.writers import TEXT_WRITERS


def emit_table(table: pa.Table, fmt: str, out: Console, columns: Sequence[str] = ()) -> None:
    """An Arrow table to standard output: csv, jsonl, json (every column, as the export
    writers write them) or, for ``table``, a terminal table of ``columns``."""
    if fmt in TEXT_WRITERS:
        TEXT_WRITERS[fmt](table.to_batches(), table.schema, sys.stdout)
        sys.stdout.flush()
        return
    shown = list(columns) or table.schema.names
    view = Table(show_lines=False)
    for name in shown:
        view.add_column(name, overflow="fold")
    for row in table.select(shown).to_pylist():
        view.add_row(*["" if row[k] is None else str(row[k]) for k in shown])
    out.print(view)


def emit_rows(rows: Sequence[dict[str, Any]], fmt: str, schema: pa.Schema, out: Console
              ) -> None:
    """Rows (dicts) with a schema, as ``emit_table``."""
    emit_table(pa.Table.from_pylist(list(rows), schema=schema), fmt, out)


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def _size(count: int) -> str:
    """Bytes as a reader says them (2.3 MB)."""
    if count < 1000:
        return f"{count} B"
    value, unit = count / 1000, "kB"
    for bigger in ("MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{value:,.1f} {unit}"


class Reporter:
    """Progress of one stage: ``reporter(done, total)`` as work is done, ``status(text)``
    for what it is doing when no count moves (loading a model, clustering …), and
    ``reading(bytes_read, bytes_total)`` when the count has no total known ahead but the
    inputs' size is (the ETA then comes from bytes; ``bytes_total`` None, e.g. stdin,
    shows "ETA ?").

    On a terminal: a bar with count, rate, elapsed time and ETA, redrawn 4 times a second.
    Elsewhere (a pipe, a log file): a plain line on stderr at least every ``interval``
    seconds while the stage runs (a heartbeat thread repeats the current state when
    nothing moved, so a long step without a count still shows it is alive), and one at
    the end.  This class formats every progress line; the stages only report numbers.
    """

    def __init__(self, label: str, unit: str, *, terminal: bool, interval: float = 1.0,
                 stream: TextIO | None = None, heartbeat: bool = True) -> None:
        self.label, self.unit, self.terminal, self.interval = label, unit, terminal, interval
        self.heartbeat = heartbeat  # False: the caller calls ``tick()`` (tests, a fake clock)
        self.stream = stream
        self.done: int = 0
        self.total: int | None = None
        self.bytes: tuple[int, int | None] | None = None  # (read, total) of the inputs
        self.started = time.monotonic()
        self._rate_from = (self.started, 0, 0)  # (time, done, bytes): rates count from here
        self._note = ""
        self._noted_at = self.started
        self._printed_at = self.started
        self._printed_done = -1
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self._pid = os.getpid()

    def _forked(self) -> bool:
        """True in a process forked from the one that runs the stage (a multiprocessing
        worker handed this reporter, or the reporter inherited with its caller): only the
        parent reports.  A child writing would interleave with the parent's lines on the
        same stream, and could block for good on ``_lock`` if the parent's heartbeat
        thread held it at the fork (threads do not survive a fork; a held lock does)."""
        return os.getpid() != self._pid

    def __enter__(self) -> Reporter:
        self._pid = os.getpid()
        self.started = self._printed_at = time.monotonic()
        self._rate_from = (self.started, 0, 0)
        if self.heartbeat and not self.terminal:  # rich's bar redraws itself; lines do not
            self._beat = threading.Thread(target=self._heartbeat, name=f"{self.label}-progress",
                                          daemon=True)
            self._beat.start()
        return self

    def _start_bar(self, total: int | None) -> None:
        """The bar appears with the first news (no ``0/?`` before the total is known)."""
        if self.terminal and self._bar is None:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(),
                TextColumn("{task.fields[count]}"), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), transient=True,
                refresh_per_second=4, console=Console(stderr=True))
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=total, count="")

    def __exit__(self, *exc: object) -> None:
        if self._forked():
            return
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
        # a stage that read everything and stored nothing (E050) did finish: its last
        # line gives the full count the error's reasons add up to
        finished = exc[0] is None or isinstance(exc[1], NothingStoredError)
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        elif finished and self._printed_done >= 0:
            with self._lock:
                self._line(final=True)

    def status(self, note: str) -> None:
        """What the stage is doing while no count moves; "" when counting resumes."""
        if self._forked():
            return
        self._start_bar(self.total)
        with self._lock:
            self._note, self._noted_at = note, time.monotonic()
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, description=f"{self.label} ({note})" if note
                                 else self.label)
            elif note and not self.terminal:
                self._write(f"{self.label}: {note}")

    def reading(self, done: int, total: int | None) -> None:
        """Bytes of the inputs read so far and their total size (None: not known)."""
        if self._forked():
            return
        with self._lock:
            self.bytes = (done, total)

    def __call__(self, done: int, total: int | None = None) -> None:
        if self._forked():
            return
        if self._note:
            self.status("")
            self._rate_from = (time.monotonic(), done, self.bytes[0] if self.bytes else 0)
        self._start_bar(total)
        with self._lock:
            self.done, self.total = done, total
            if self._bar is not None and self._task is not None:
                share = self._share()
                self._bar.update(self._task, completed=share[0], total=share[1],
                                 count=self._count(with_rate=True))
                return
            now = time.monotonic()
            if self._printed_done < 0 or (now - self._printed_at >= self.interval
                                          and done != self._printed_done):
                self._line()

    def tick(self) -> None:
        """The heartbeat: a line when none was written for ``interval`` seconds, saying
        what the stage is doing (its note and for how long) or where its count stands."""
        if self._forked():
            return
        with self._lock:
            now = time.monotonic()
            if self.terminal or now - self._printed_at < self.interval:
                return
            if self._note:
                self._write(f"{self.label}: {self._note} ({_clock(now - self._noted_at)})")
            elif self._printed_done >= 0:
                self._line()
            else:  # nothing known yet: still say the stage is alive
                self._write(f"{self.label}: starting ({_clock(now - self.started)})")

    def _heartbeat(self) -> None:
        # wakes a few times per interval so a line is never much later than due
        while not self._stop.wait(self.interval / 4):
            self.tick()

    def rate(self) -> float:
        """Items per second since the first item (loading a model is not work done)."""
        since, base, _ = self._rate_from
        seconds = time.monotonic() - since
        return (self.done - base) / seconds if seconds > 0 else 0.0

    def _share(self) -> tuple[int, int | None]:
        """(done, total) that the bar and the ETA follow: the inputs' bytes when known,
        else the count."""
        if self.bytes is not None:
            read, size = self.bytes
            return (read if size is None else min(read, size)), size
        return self.done, self.total

    def _eta(self) -> str | None:
        """Time left at the current pace, "?" when the total is unknown, None at 0/s."""
        done, total = self._share()
        if total is None:
            return "?"
        since, base_done, base_bytes = self._rate_from
        seconds = time.monotonic() - since
        base = base_bytes if self.bytes is not None else base_done
        pace = (done - base) / seconds if seconds > 0 else 0.0
        return _clock((total - done) / pace) if pace > 0 else None

    def _count(self, *, with_rate: bool = False) -> str:
        """"2,112/5,882 articles (36%)" or, when the inputs' size is known, "2,717
        records (46% of 2.3 MB)"."""
        count = f"{self.done:,}" if self.total is None else f"{self.done:,}/{self.total:,}"
        text = f"{count} {self.unit}"
        if self.total:
            text += f" ({100 * self.done / self.total:.0f}%)"
        elif self.bytes is not None and self.bytes[1]:
            read, size = self._share()
            text += f" ({100 * read / size:.0f}% of {_size(size)})" if size else ""
        if with_rate:
            text += f", {self.rate():,.1f} {self.unit}/s"
        return text

    def _line(self, final: bool = False) -> None:
        parts = [f"{self.label}: {self._count()}"]
        if final:
            parts.append(f"done in {_clock(time.monotonic() - self.started)}")
        parts.append(f"{self.rate():,.1f} {self.unit}/s")
        eta = None if final else self._eta()
        if eta is not None:
            parts.append(f"ETA {eta}")
        self._write(", ".join(parts))
        self._printed_at, self._printed_done = time.monotonic(), self.done

    def _write(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()
        self._printed_at = time.monotonic()


def progress(label: str, unit: str, stream: TextIO | None = None) -> Reporter:
    """A reporter for ``label`` counting ``unit``: a bar on a terminal, lines elsewhere."""
    terminal = stream is None and sys.stderr.isatty()
    return Reporter(label, unit, terminal=terminal, stream=stream)
