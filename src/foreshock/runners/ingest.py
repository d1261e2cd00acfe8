"""Ingest: sources into the ``articles`` and ``quarantine`` tables, with a report that
accounts for every record read and says why records were refused and what to type instead.

Work is committed in chunks, so an interrupted run keeps what it finished; if reading
fails or is interrupted, the records already validated are stored before the error goes
on.  Re-ingesting adds nothing new, but fills in what the stored articles lack (a title or
a link a better ``--column`` mapping now finds).  A stored id arriving with other content
is a conflict: quarantined with both content hashes, or resolved by ``on_conflict``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import duckdb

from foreshock.ingest.readers import (
    DEFAULT_NAMES,
    ReadMeter,
    is_file_problem,
    iter_raw,
    record_byte_limit,
)
from foreshock.normalize.dates import check_date
from foreshock.normalize.text import load_boilerplate
from foreshock.normalize.validate import content_id, derived_id, to_article
from foreshock.records import Article, Quarantined, RawArticle, Skipped
from foreshock.runners.shield import deferred_interrupt
from foreshock.settings import Settings
from foreshock.store.db import (
    ON_CONFLICT,
    fill_metadata,
    insert_quarantine,
    store_articles,
    stored_links,
)


@dataclass(slots=True)
class IngestReport:
    """What an ingest did.  Every record read is counted once:
    read = added + duplicates + quarantined + skipped.

    ``quarantined`` includes conflicts (same id, other content) unless ``on_conflict``
    chose otherwise, and whole-file problems (a CSV header without a text column, listed
    in ``file_problems``: a file that gave no record); ``skipped`` counts conflicts resolved
    by keeping the stored article; ``updated`` stored articles whose missing title, link
    or outlet were filled in.  Files not read at all (unknown type, a link to a directory)
    are listed in ``skipped_files``.  ``reasons`` counts quarantined records per reason,
    with a first example of each in ``examples``.
    """

    read: int = 0
    added: int = 0
    duplicates: int = 0
    updated: int = 0
    quarantined: int = 0
    skipped: int = 0
    conflicts: int = 0
    replaced: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    examples: dict[str, Quarantined] = field(default_factory=dict)
    #: whole files that gave no record (a CSV without a text column), with the reason
    file_problems: list[Quarantined] = field(default_factory=list)
    #: files found but not read (unknown type, link to a directory), with the reason
    skipped_files: list[Skipped] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        """True when the inputs' articles are in the database: new, already there, or
        their ids already there with other content (conflicts)."""
        return self.added + self.duplicates + self.conflicts > 0

    @property
    def records(self) -> int:
        """Records read, not counting whole-file problems (a CSV header is no record)."""
        return self.read - len(self.file_problems)

    @property
    def unaccounted(self) -> int:
        """Records read but neither stored, known, quarantined nor skipped: always 0."""
        return self.read - self.added - self.duplicates - self.quarantined - self.skipped

    def counts(self) -> dict[str, object]:
        """The counts as stored in the run log (``runs.counts``)."""
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "updated": self.updated, "quarantined": self.quarantined,
                "skipped": self.skipped, "conflicts": self.conflicts,
                "replaced": self.replaced, "reasons": dict(sorted(self.reasons.items())),
                "file_problems": [f"{q.source_path}: {q.reason}" for q in self.file_problems],
                "skipped_files": [f"{s.path}: {s.reason}" for s in self.skipped_files]}

    def as_dict(self) -> dict[str, object]:
        return self.counts()

    def problems(self, *, skipped_files: bool = True) -> list[str]:
        """One line per file giving no record (and, with ``skipped_files``, per file not
        read), and per reason (count, an example's place and message), each followed by a
        hint when one applies."""
        lines: list[str] = []
        for item in self.file_problems:
            lines.append(f"{item.source_path}: skipped: {item.reason}")
            lines += [f"  hint: {h}" for h in hints(item)]
        for skipped in self.skipped_files if skipped_files else ():
            lines.append(f"{skipped.path}: skipped: {skipped.reason}")
        whole: dict[str, int] = {}
        for item in self.file_problems:
            key = reason_key(item.reason)
            whole[key] = whole.get(key, 0) + 1
        for reason, total in sorted(self.reasons.items(), key=lambda kv: -kv[1]):
            count = total - whole.get(reason, 0)
            example = self.examples.get(reason)
            if count <= 0 or example is None:
                continue
            lines.append(f"{count} × {reason} (e.g. {example.locator}: {example.reason})")
            lines += [f"  hint: {h}" for h in hints(example)]
        return lines

    def count_quarantined(self, item: Quarantined) -> None:
        """Count one quarantined record under its reason."""
        self.quarantined += 1
        reason = reason_key(item.reason)
        self.reasons[reason] = self.reasons.get(reason, 0) + 1
        self.examples.setdefault(reason, item)


def reason_key(reason: str) -> str:
    """The kind of a quarantine reason ("bad date: '2022-13-01'" is "bad date")."""
    return reason.split(":")[0]


_COLUMNS = re.compile(r"columns: (?P<names>.*)$")
_TEXTY = ("title", "headline", "heading", "summary", "description", "abstract", "lead",
          "snippet", "message", "tweet", "caption", "note")
_DATEY = re.compile(r"date|time|publish|day|when|created|updated", re.IGNORECASE)


def _record_keys(item: Quarantined) -> list[str]:
    """The field names the record (or the CSV header) offered."""
    found = _COLUMNS.search(item.reason)
    if found:
        return [n.strip() for n in found.group("names").split(",") if n.strip()]
    try:
        value = json.loads(item.raw)
    except (ValueError, RecursionError):
        return []
    return [str(k) for k in value] if isinstance(value, dict) else []


def hints(item: Quarantined) -> list[str]:
    """What to type to ingest a record refused for ``item.reason`` (may be empty)."""
    reason = item.reason
    keys = _record_keys(item)
    if reason.startswith(("missing text field", "missing text column")):
        texty = [k for k in keys if k.casefold() in _TEXTY] or [
            k for k in keys if k.casefold() not in {n.casefold() for names in
                                                  DEFAULT_NAMES.values() for n in names}]
        if texty:
            return [f"the text is in another field: add --column text={texty[0]} "
                    f"(fields here: {', '.join(keys)})"]
        return ["give the field holding the article text: --column text=NAME"]
    if reason.startswith("missing mapped column"):
        return ["--column FIELD=NAME must name a column of the file exactly (case matters)"]
    if reason.startswith("no date"):
        datey = [k for k in keys if _DATEY.search(k)]
        if datey:
            return [f"the date may be in another field: add --column date={datey[0]}, or "
                    "give every record a day with --date YYYY-MM-DD"]
        return ["give every record a day with --date YYYY-MM-DD, or map the field holding "
                "it with --column date=NAME"]
    if reason.startswith("bad date"):
        return ["dates are read as ISO 8601 (2022-02-24, 2022-02-24T05:30:00Z), RFC 2822, "
                "common day-month-year forms or epoch seconds; check --column date=NAME "
                "names the right field"]
    if reason.startswith("oversize text"):
        return ["raise max_chars in the settings file ([foreshock] max_chars = N) if the "
                "text is really one article"]
    if reason.startswith("undecodable bytes"):
        return ["save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)"]
    if reason.startswith("conflict"):
        return ["the same id arrived with other text: --on-conflict keep leaves the stored "
                "article, --on-conflict replace stores this one"]
    return []


def resolve_ids(con: duckdb.DuckDBPyConnection, articles: Sequence[Article]) -> list[Article]:
    """Give a linked article the id of the same text stored without a link (or with the
    same link), so that a re-ingest that now finds the link fills it in instead of adding
    a second article.  Articles whose ids were given by their records are left alone."""
    linkless = {a.article_id: content_id(a.published, a.text)
                for a in articles if a.url and derived_id(a)}
    if not linkless:
        return list(articles)
    # the link each link-less id stands for: as stored, or claimed by a record of this batch
    claimed: dict[str, str | None] = dict(stored_links(con, sorted(set(linkless.values()))))
    out: list[Article] = []
    for a in articles:
        old = linkless.get(a.article_id)
        if old is not None and old in claimed and claimed[old] in (None, a.url):
            claimed[old] = a.url
            a = replace(a, article_id=old)
        out.append(a)
    return out


def ingest(con: duckdb.DuckDBPyConnection, paths: Sequence[str], settings: Settings,
           run_id: int, *, default_date: dt.date | None = None,
           csv_columns: Mapping[str, str] | None = None, chunk: int = 2_000,
           progress: Callable[[int, int | None], None] | None = None,
           on_conflict: str = "quarantine", report: IngestReport | None = None,
           records: Iterable[RawArticle] | None = None,
           read_progress: Callable[[int, int | None], None] | None = None) -> IngestReport:
    """Read ``paths`` (or the given raw ``records``) into ``articles`` and ``quarantine``;
    bad records go to the quarantine with the reason.

    Work is stored a chunk at a time; if reading fails or is interrupted, the records
    already validated are stored before the error goes on, so nothing read is lost and a
    re-run resumes.  ``report`` (filled in place) lets a caller see the counts even then.
    ``on_conflict`` ("quarantine", "keep" or "replace") says what becomes of a stored id
    arriving with other content.  ``default_date`` outside the plausible range of news
    dates is a DateRangeError (E006).  ``progress(records, None)`` is called per record read
    (their number is not known ahead) and, before it, ``read_progress(bytes_read,
    bytes_total)`` with how far reading has got through the input files (``bytes_total``
    None when stdin is one of them), which is what an ETA can follow.
    """
    if on_conflict not in ON_CONFLICT:
        from foreshock.errors import SettingsError

        raise SettingsError(f"on_conflict: {on_conflict!r}; expected one of "
                            f"{', '.join(ON_CONFLICT)}")
    report = report if report is not None else IngestReport()
    if default_date is not None:
        check_date(default_date)
    patterns = load_boilerplate()
    good: list[Article] = []
    bad: list[Quarantined] = []

    def flush() -> None:
        # a chunk is stored, counted and cleared as one step: Ctrl-C waits for its end
        with deferred_interrupt():
            resolved = resolve_ids(con, good)
            load = store_articles(con, resolved, run_id, on_conflict=on_conflict)
            report.added += load.added
            report.duplicates += load.duplicates
            report.skipped += load.kept
            report.replaced += load.replaced
            report.conflicts += len(load.conflicts) + load.kept + load.replaced
            report.updated += fill_metadata(con, resolved)
            for item in load.conflicts:
                report.count_quarantined(item)
            insert_quarantine(con, [*bad, *load.conflicts], run_id)
            good.clear()
            bad.clear()

    meter = ReadMeter(total=None)  # given records: no file size to follow
    if records is None:
        records = iter_raw(paths, csv_columns=csv_columns,
                           max_record_bytes=record_byte_limit(settings.max_chars),
                           on_skip=report.skipped_files.append, meter=meter)
    try:
        for raw in records:
            report.read += 1
            item = to_article(raw, default_date=default_date, max_chars=settings.max_chars,
                              patterns=patterns)
            if isinstance(item, Quarantined):
                if is_file_problem(raw):
                    report.file_problems.append(item)
                report.count_quarantined(item)
                bad.append(item)
            else:
                good.append(item)
            if len(good) + len(bad) >= chunk:
                flush()
            if read_progress is not None:
                read_progress(meter.read(), meter.total)
            if progress is not None:
                progress(report.records, None)
    except BaseException:
        # keep what was read before the failure (or Ctrl-C); if storing is what failed,
        # the original error is the one to report
        if good or bad:
            with contextlib.suppress(Exception):
                flush()
        raise
    flush()
    return report
