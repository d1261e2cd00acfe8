"""What commands say when they finish, are interrupted or fail for a reason outside them.

Kept apart from the commands so the wording lives in one place: the ingest summary that
accounts for every record, the Ctrl-C message that says what was stored and how to resume,
and the disk-full message that a DuckDB traceback would otherwise bury.
"""

from __future__ import annotations

import errno
import shlex
import sys

import duckdb

from foreshock.errors import Interrupted
from foreshock.runners.ingest import IngestReport
from foreshock.runners.local import CodeReport, is_interrupt

__all__ = ["code_interrupted", "failure_message", "ingest_interrupted", "ingest_summary",
           "is_interrupt", "resume_command"]

_SHOWN_FILES = 5


def ingest_summary(report: IngestReport) -> str:
    """One paragraph that accounts for every record read (and every file not read)."""
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(report.reasons.items())) or "none"
    filled = f", {report.updated} filled in" if report.updated else ""
    text = (f"ingested {report.read} records: {report.added} new articles, "
            f"{report.duplicates} already stored{filled}, {report.quarantined} quarantined "
            f"({reasons})")
    if report.skipped:
        text += f", {report.skipped} skipped (conflicts kept as stored)"
    if report.replaced:
        text += f"; {report.replaced} stored articles replaced"
    if report.skipped_files:
        names = ", ".join(s.path for s in report.skipped_files[:_SHOWN_FILES])
        more = len(report.skipped_files) - _SHOWN_FILES
        text += (f"\nskipped {len(report.skipped_files)} file(s) not read: {names}"
                 + (f" and {more} more" if more > 0 else "")
                 + f" ({report.skipped_files[0].reason.split(';')[0]}; see runs.counts)")
    if report.unaccounted:  # a bug if it ever shows: say so rather than hide it
        text += f"\nwarning: {report.unaccounted} records unaccounted for"
    return text


def resume_command() -> str:
    """The command line that was run, to repeat it."""
    return shlex.join(["foreshock", *sys.argv[1:]]) if sys.argv[1:] else "the same command"


def ingest_interrupted(report: IngestReport) -> Interrupted:
    return Interrupted(
        f"interrupted: {report.read} records read, {report.added} new articles and "
        f"{report.quarantined} quarantined records stored before the interrupt. Run "
        f"`{resume_command()}` again to resume: records already stored are recognised "
        "and skipped.")


def code_interrupted(report: CodeReport, pending: int | None = None) -> Interrupted:
    left = f"; {pending} articles still to code" if pending is not None else ""
    return Interrupted(
        f"interrupted: {report.articles} articles coded into {report.events} events were "
        f"stored before the interrupt{left}. Run `{resume_command()}` again to resume: it "
        "codes only what is left.")


def failure_message(exc: BaseException) -> str | None:
    """A plain message for failures of the machine rather than of Foreshock, else None."""
    text = str(exc)
    full = (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or (
        isinstance(exc, duckdb.Error) and "No space left on device" in text)
    if full:
        return ("error: disk full (No space left on device). What was stored before is "
                "kept and the database is consistent; free some space and run the same "
                "command again to resume.")
    return None
