"""Output helpers shared by commands: rows as a table or in an export format, and
progress with rate and ETA."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

import pyarrow as pa
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

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


class RateColumn(ProgressColumn):
    """Items per second, from rich's own speed estimate."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f} {self.unit}/s")


class Reporter:
    """Progress of one stage: ``reporter(done, total)`` as work is done, ``status(text)``
    for what happens before the first item.

    On a terminal: a bar with count, rate, elapsed time and ETA, redrawn 4 times a second.
    Elsewhere (a pipe, a log file): a plain line on stderr at most every ``interval``
    seconds when the count moved, and one at the end.
    """

    def __init__(self, label: str, unit: str, *, terminal: bool, interval: float = 1.0,
                 stream: TextIO | None = None) -> None:
        self.label, self.unit, self.terminal, self.interval = label, unit, terminal, interval
        self.stream = stream
        self.done: int = 0
        self.total: int | None = None
        self.started = time.monotonic()
        self._rate_from = (self.started, 0)  # the rate counts from the first item on
        self._note = ""
        self._printed_at = 0.0
        self._printed_done = -1
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Reporter:
        self.started = time.monotonic()
        self._rate_from = (self.started, 0)
        return self

    def _start_bar(self, total: int | None) -> None:
        """The bar appears with the first news (no ``0/?`` before the total is known)."""
        if self.terminal and self._bar is None:
            self._bar = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn(self.unit), RateColumn(self.unit), TimeElapsedColumn(),
                TextColumn("ETA"), TimeRemainingColumn(), transient=True,
                refresh_per_second=4, console=Console(stderr=True))
            self._bar.__enter__()
            self._task = self._bar.add_task(self.label, total=total)

    def __exit__(self, *exc: object) -> None:
        # a stage that read everything and stored nothing (E050) did finish: its last
        # line gives the full count the error's reasons add up to
        finished = exc[0] is None or isinstance(exc[1], NothingStoredError)
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        elif finished and self._printed_done >= 0:
            self._line(final=True)

    def status(self, note: str) -> None:
        """What the stage is doing before its first item (loading a model …)."""
        self._start_bar(self.total)
        self._note = note
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=f"{self.label} ({note})" if note
                             else self.label)
        elif note and not self.terminal:
            self._write(f"{self.label}: {note}")

    def __call__(self, done: int, total: int | None = None) -> None:
        if self._note:
            self.status("")
            self._rate_from = (time.monotonic(), done)
        self._start_bar(total)
        self.done, self.total = done, total
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)
            return
        now = time.monotonic()
        if self._printed_done < 0 or (now - self._printed_at >= self.interval
                                      and done != self._printed_done):
            self._line()

    def rate(self) -> float:
        """Items per second since the first item (loading a model is not work done)."""
        since, base = self._rate_from
        seconds = time.monotonic() - since
        return (self.done - base) / seconds if seconds > 0 else 0.0

    def _line(self, final: bool = False) -> None:
        rate = self.rate()
        count = f"{self.done:,}" if self.total is None else f"{self.done:,}/{self.total:,}"
        parts = [f"{self.label}: {count} {self.unit}"]
        if self.total:
            parts[0] += f" ({100 * self.done / self.total:.0f}%)"
        if final:
            parts.append(f"done in {_clock(time.monotonic() - self.started)}")
        parts.append(f"{rate:,.1f} {self.unit}/s")
        if not final and self.total and rate > 0:
            parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        self._write(", ".join(parts))
        self._printed_at, self._printed_done = time.monotonic(), self.done

    def _write(self, line: str) -> None:
        stream = self.stream or sys.stderr
        stream.write(line + "\n")
        stream.flush()


def progress(label: str, unit: str, stream: TextIO | None = None) -> Reporter:
    """A reporter for ``label`` counting ``unit``: a bar on a terminal, lines elsewhere."""
    terminal = stream is None and sys.stderr.isatty()
    return Reporter(label, unit, terminal=terminal, stream=stream)
