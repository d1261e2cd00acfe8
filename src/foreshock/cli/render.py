"""Output helpers shared by commands: tables on a terminal, CSV/JSON in pipes."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def emit_rows(rows: Sequence[dict[str, Any]], fmt: str, columns: Sequence[str],
              console: Console) -> None:
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps({k: _jsonable(row[k]) for k in columns}) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps([{k: _jsonable(r[k]) for k in columns} for r in rows],
                                    indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_jsonable(row[k]) for k in columns])
    else:
        table = Table(show_lines=False)
        for name in columns:
            table.add_column(name, overflow="fold")
        for row in rows:
            table.add_row(*["" if row[k] is None else str(row[k]) for k in columns])
        console.print(table)


@contextmanager
def progress_bar(label: str, enabled: bool) -> Iterator[Any]:
    """A rich progress bar on a terminal; a no-op callable in a pipe."""
    if not enabled:
        yield lambda *_: None
        return
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int | None = None) -> None:
            bar.update(task, completed=done, total=total)

        yield update
