"""Ingest: sources into the ``articles`` and ``quarantine`` tables, with a report that
says why records were refused and what to type instead.

Work is committed in chunks, so an interrupted run keeps what it finished.  Re-ingesting
adds nothing new, but fills in what the stored articles lack (a title or a link a better
``--column`` mapping now finds).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import duckdb

from foreshock.ingest.readers import DEFAULT_NAMES, is_file_problem, iter_raw
from foreshock.normalize.text import load_boilerplate
from foreshock.normalize.validate import content_id, derived_id, to_article
from foreshock.records import Article, Quarantined
from foreshock.settings import Settings
from foreshock.store.db import fill_metadata, insert_articles, insert_quarantine, stored_links


@dataclass(slots=True)
class IngestReport:
    """What an ingest did: records read, articles added, already stored, filled in, and
    quarantined (with a count and a first example per reason)."""

    read: int = 0
    added: int = 0
    duplicates: int = 0
    updated: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    examples: dict[str, Quarantined] = field(default_factory=dict)
    #: whole files that gave no record (a CSV without a text column), with the reason
    skipped_files: list[Quarantined] = field(default_factory=list)

    @property
    def stored(self) -> bool:
        """True when the inputs' articles are in the database (new or already there)."""
        return self.added + self.duplicates > 0

    def as_dict(self) -> dict[str, object]:
        return {"read": self.read, "added": self.added, "duplicates": self.duplicates,
                "updated": self.updated, "quarantined": self.quarantined,
                "skipped_files": len(self.skipped_files), "reasons": dict(self.reasons)}

    def problems(self) -> list[str]:
        """One line per reason (count, an example's place and message) and per skipped file,
        each followed by a hint when one applies."""
        lines: list[str] = []
        for item in self.skipped_files:
            lines.append(f"{item.source_path}: skipped: {item.reason}")
            lines += [f"  hint: {h}" for h in hints(item)]
        for reason, count in sorted(self.reasons.items(), key=lambda kv: -kv[1]):
            example = self.examples[reason]
            lines.append(f"{count} × {reason} (e.g. {example.locator}: {example.reason})")
            lines += [f"  hint: {h}" for h in hints(example)]
        return lines


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
           progress: Callable[[int, int | None], None] | None = None) -> IngestReport:
    """Read ``paths`` into the database; bad records go to ``quarantine`` with the reason."""
    report = IngestReport()
    patterns = load_boilerplate()
    good: list[Article] = []
    bad: list[Quarantined] = []

    def flush() -> None:
        resolved = resolve_ids(con, good)
        added = insert_articles(con, resolved, run_id)
        report.added += added
        report.duplicates += len(resolved) - added
        report.updated += fill_metadata(con, resolved)
        insert_quarantine(con, bad, run_id)
        good.clear()
        bad.clear()

    for raw in iter_raw(paths, csv_columns=csv_columns):
        item = to_article(raw, default_date=default_date, max_chars=settings.max_chars,
                          patterns=patterns)
        if isinstance(item, Quarantined) and is_file_problem(raw):
            report.skipped_files.append(item)
            bad.append(item)
            continue
        report.read += 1
        if isinstance(item, Quarantined):
            report.quarantined += 1
            reason = item.reason.split(":")[0]
            report.reasons[reason] = report.reasons.get(reason, 0) + 1
            report.examples.setdefault(reason, item)
            bad.append(item)
        else:
            good.append(item)
        if len(good) + len(bad) >= chunk:
            flush()
        if progress is not None:
            progress(report.read, None)
    flush()
    return report
