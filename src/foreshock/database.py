"""``foreshock.open(path)``: a Foreshock database as Arrow tables, for notebooks and scripts.

A ``Database`` holds a path and settings, not a connection: every call opens DuckDB, does
its work and closes it again.  Reading calls open the file read-only and never write (not
even derived data: stories and alerts out of date are computed in memory), so a notebook
holding a ``Database`` never locks the CLI out, and the CLI's reading commands never lock
the notebook out.  Writing calls (``ingest``, ``code_pending``, ``analyze``) hold the
write lock only while they run; a call that finds the file held by another process waits
for it (``FORESHOCK_LOCK_WAIT`` seconds, 30 by default) before LockedError (E041).  An
interrupted writing call (Ctrl-C) keeps what it committed and notes the interruption in
the run log; calling it again resumes.

The CLI's commands and the web API call the same functions this class calls.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from foreshock import analysis
from foreshock.errors import DateRangeError, NothingStoredError, SettingsError, StoreError
from foreshock.export.columns import events_arrow
from foreshock.export.formats import ExportFilter, ExportResult, export_events
from foreshock.ontology.actor_codes import load_actor_codes
from foreshock.records import MODALITY_FILTERS, Dyad
from foreshock.runners.ingest import IngestReport, ingest
from foreshock.runners.local import CodeReport, Progress, close_run, is_interrupt, record_run
from foreshock.settings import Settings, load_settings
from foreshock.store.db import connect
from foreshock.store.queries import EventFilter, Summary, summary

if TYPE_CHECKING:
    from foreshock.alerts.config import AnalysisConfig
    from foreshock.alerts.run import RefreshReport
    from foreshock.coding import EventCoder

DateLike = dt.date | str | None


def as_date(value: DateLike, name: str) -> dt.date | None:
    """A date from a date or an ISO string, held to the plausible range of news dates
    (``normalize.dates.check_date``, the check of files, options and the web API); a
    DateRangeError (E006, a SettingsError) naming ``name`` if not."""
    from foreshock.normalize.dates import check_date, parse_date_option

    if value is None:
        return None
    try:
        if isinstance(value, dt.date):
            return check_date(value.date() if isinstance(value, dt.datetime) else value)
        return parse_date_option(str(value))
    except DateRangeError as exc:
        raise DateRangeError(f"{name}: {exc.message}") from None


def as_dyad(value: Dyad | str | None, directed: bool = False) -> Dyad | None:
    """A Dyad from a Dyad or text (codes as written: check them with ``Database.dyad``)."""
    if value is None or isinstance(value, Dyad):
        return value if not (directed and value) else Dyad(value.a, value.b, True)
    a, b, directed = Dyad.split(value, directed=directed)
    return Dyad(a, b, directed)


REVIEW_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("event_id", pa.string()), ("verdict", pa.string()),
    ("note", pa.string()), ("reviewer", pa.string()),
    ("created", pa.timestamp("us", tz="UTC")), ("article_id", pa.string()),
    ("date", pa.date32()), ("sentence", pa.string()), ("source", pa.string()),
    ("target", pa.string()), ("code", pa.string()), ("root", pa.string()),
    ("modality", pa.string()), ("start_char", pa.int32()), ("end_char", pa.int32()),
    ("extractor", pa.string()),
])

QUARANTINE_SCHEMA = pa.schema([
    ("source_path", pa.string()), ("locator", pa.string()), ("reason", pa.string()),
    ("raw", pa.string()), ("run_id", pa.int32()), ("quarantine_id", pa.string()),
])


@dataclass(frozen=True, slots=True)
class CodeOutcome:
    """What ``code_pending`` did: the coding report and the stored analysis."""

    coding: CodeReport
    analysis: RefreshReport | None


class Database:
    """A Foreshock database file.  Make one with ``foreshock.open(path)``."""

    def __init__(self, path: str, settings: Settings, detectors: str | None = None) -> None:
        self.path = path
        self.settings = settings if settings.db == path else settings.with_overrides(db=path)
        self.detectors = detectors
        self._config: AnalysisConfig | None = None

    def __repr__(self) -> str:
        return f"Database({self.path!r})"

    # -- connections -----------------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection for the block (E040 if the file is missing)."""
        con = connect(self.path, read_only=True)
        try:
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def writing(self, *, create: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writing connection for the block; creates the file only when ``create``."""
        con = connect(self.path, create=create)
        try:
            yield con
        finally:
            con.close()

    @property
    def config(self) -> AnalysisConfig:
        """The analysis parameters (the bundled detectors file unless one was given)."""
        if self._config is None:
            from foreshock.alerts.config import load_config

            self._config = load_config(self.detectors)
        return self._config

    # -- reading ---------------------------------------------------------------------------
    def actor(self, value: str, con: duckdb.DuckDBPyConnection | None = None) -> str:
        """``value`` as a known actor code, or UnknownActorError (E004) with suggestions.
        Codes found only in this database (from PETRARCH dictionaries) are known too."""
        codes = load_actor_codes(self.settings.actors_dir)
        if value.strip().upper() in codes:
            return value.strip().upper()
        with contextlib.ExitStack() as stack:
            if con is None:
                con = stack.enter_context(self.reading())
            stored = {r[0] for r in con.execute(
                "SELECT DISTINCT source FROM events WHERE source = ? UNION "
                "SELECT DISTINCT target FROM events WHERE target = ?",
                [value.strip().upper()] * 2).fetchall()}
        return codes.check(value, stored)

    def dyad(self, value: Dyad | str | None, directed: bool = False,
             con: duckdb.DuckDBPyConnection | None = None) -> Dyad | None:
        """``value`` as a Dyad of known actor codes (E005 if malformed, E004 if a code is
        unknown)."""
        pair = as_dyad(value, directed)
        if pair is None:
            return None
        return Dyad(self.actor(pair.a, con), self.actor(pair.b, con), pair.directed)

    def event_filter(self, con: duckdb.DuckDBPyConnection, *, actor: str | None = None,
                     dyad: Dyad | str | None = None, directed: bool = False,
                     since: DateLike = None, until: DateLike = None,
                     root: str | int | None = None, quad: int | None = None,
                     modality: str = "asserted", limit: int | None = None, offset: int = 0,
                     country_of_action: str | None = None, undirected: bool = False
                     ) -> EventFilter:
        """Checked filter values: actor codes known, dates parsed, root 01-20, quad 1-4,
        country of action an ISO 3166-1 alpha-3 code."""
        pair = self.dyad(dyad, directed, con)
        if root is not None:
            text = str(root)
            if not (text.isdigit() and 1 <= int(text) <= 20):
                raise SettingsError(f"root: {root!r} is not a CAMEO root; expected 01 to 20")
            root = text.zfill(2)
        if quad is not None and quad not in (1, 2, 3, 4):
            raise SettingsError(f"quad: {quad!r} is not a QuadClass; expected 1, 2, 3 or 4")
        if modality not in MODALITY_FILTERS:
            raise SettingsError(f"modality: {modality!r}; expected one of "
                                f"{', '.join(MODALITY_FILTERS)}")
        first, last = as_date(since, "since"), as_date(until, "until")
        if first and last and first > last:
            raise SettingsError(f"since {first} is after until {last}")
        if country_of_action is not None:
            country_of_action = country_of_action.strip().upper()
            if not (len(country_of_action) == 3 and country_of_action.isalpha()):
                raise SettingsError(f"country_of_action: {country_of_action!r} is not an "
                                    "ISO 3166-1 alpha-3 code, e.g. UKR")
        return EventFilter(actor=self.actor(actor, con) if actor else None, dyad=pair,
                           since=first, until=last, root=root, quad=quad,
                           modality=modality, limit=limit, offset=offset,
                           country_of_action=country_of_action, undirected=undirected)

    def events(self, *, actor: str | None = None, dyad: Dyad | str | None = None,
               directed: bool = False, since: DateLike = None, until: DateLike = None,
               root: str | int | None = None, quad: int | None = None,
               modality: str = "asserted", limit: int | None = None, offset: int = 0,
               country_of_action: str | None = None, undirected: bool = False
               ) -> pa.Table:
        """Stored events as an Arrow table in the export column set (``EVENT_COLUMNS``:
        CAMEO code and label as strings, evidence sentence, event date and place, title,
        url).

        ``dyad="RUS-UKR"`` either direction, ``"RUS>UKR"`` (or ``directed=True``) source to
        target; ``modality="all"`` for every modality; ``country_of_action="UKR"`` only
        events the text places in that country; ``undirected=True`` one row per pair for
        symmetric acts (a meeting is stored in both directions).  ``.to_pandas()`` gives a
        DataFrame.
        """
        with self.reading() as con:
            chosen = self.event_filter(con, actor=actor, dyad=dyad, directed=directed,
                                       since=since, until=until, root=root, quad=quad,
                                       modality=modality, limit=limit, offset=offset,
                                       country_of_action=country_of_action,
                                       undirected=undirected)
            return events_arrow(con, chosen)

    def series(self, dyad: Dyad | str | None = None, *, freq: str = "week",
               directed: bool = False, since: DateLike = None, until: DateLike = None,
               exclude_reviewed: bool = False) -> pa.Table:
        """A dyad's (or every dyad's) series per ``week`` or ``day``: story-weighted counts
        per QuadClass, Goldstein, conflict share and intensity, with the corpus volume of
        each period and thin periods flagged.  Asserted events only; a story reprinted by
        many outlets counts once.  ``until`` ignores everything published later;
        ``exclude_reviewed`` leaves out events a reviewer marked wrong."""
        with self.reading() as con:
            pair = self.dyad(dyad, directed, con)
            rows, _ = analysis.series_rows(con, self.config, dyad=pair, freq=freq,
                                           since=as_date(since, "since"),
                                           until=as_date(until, "until"),
                                           exclude_reviewed=exclude_reviewed)
        return analysis.series_table(rows)

    def alerts(self, *, dyad: Dyad | str | None = None, since: DateLike = None,
               until: DateLike = None, scope: str = "all", refresh: bool = False,
               exclude_reviewed: bool = False) -> pa.Table:
        """Early-warning alerts, oldest first, each with its evidence (a list of the
        conflict events behind it).  Current with the coded data: computed in memory when
        the stored ones are out of date (``analyze()`` stores them).  ``exclude_reviewed``
        computes them without the events a reviewer marked wrong."""
        with self.reading() as con:
            pair = self.dyad(dyad, False, con)
            rows, _ = analysis.alert_rows(con, self.config, scope=scope, dyad=pair,
                                          since=as_date(since, "since"),
                                          until=as_date(until, "until"), refresh=refresh,
                                          exclude_reviewed=exclude_reviewed)
        return analysis.alerts_table(rows)

    def reviews(self) -> pa.Table:
        """Every review ever made (``review``), newest first, with a copy of the event."""
        from foreshock.store.reviews import review_rows

        with self.reading() as con:
            rows = review_rows(con)
        return pa.Table.from_pylist(rows, schema=REVIEW_SCHEMA)

    def review(self, event_id: str, verdict: str = "wrong", *, note: str | None = None,
               reviewer: str | None = None) -> dict[str, Any]:
        """Record a verdict on a stored event (``wrong``, or ``right`` to take a ``wrong``
        back).  Reviews are appended, never changed; the latest one of an event counts.
        SettingsError (E001) for another verdict or an unknown event."""
        from foreshock.store.reviews import VERDICTS, ReviewInput, add_review

        if verdict not in VERDICTS:
            raise SettingsError(f"verdict: {verdict!r}; expected one of {', '.join(VERDICTS)}")
        with self.writing() as con:
            found = add_review(con, ReviewInput(event_id, verdict, note, reviewer))
        if found is None:
            raise SettingsError(f"event_id: no stored event {event_id!r}")
        return found

    def stories(self, *, since: DateLike = None, until: DateLike = None,
                min_articles: int = 1) -> pa.Table:
        """Stories (near-duplicate articles) overlapping ``since..until``, biggest first."""
        with self.reading() as con:
            table, _ = analysis.story_rows(con, self.config, since=as_date(since, "since"),
                                           until=as_date(until, "until"),
                                           min_articles=min_articles)
        return table

    def quarantine(self, *, reason: str | None = None, source: str | None = None,
                   limit: int | None = None) -> pa.Table:
        """Records ingest refused: file, place, reason and the raw record.  ``reason`` and
        ``source`` keep rows whose reason or file contains that text."""
        with self.reading() as con:
            return con.sql(
                "SELECT source_path, locator, reason, raw, run_id, quarantine_id "
                "FROM quarantine WHERE (? IS NULL OR contains(lower(reason), lower(?))) "
                "AND (? IS NULL OR contains(source_path, ?)) "
                "ORDER BY run_id, source_path, locator LIMIT ?",
                params=[reason, reason, source, source, limit]).to_arrow_table().cast(
                    QUARANTINE_SCHEMA)

    def summary(self) -> Summary:
        """Counts, events by QuadClass and modality, top dyads, the most conflictual one."""
        with self.reading() as con:
            return summary(con)

    def export(self, fmt: str, path: str | Path, *, modality: str = "asserted",
               since: DateLike = None, until: DateLike = None) -> ExportResult:
        """Write events as gdelt, plover, parquet, csv or jsonl to ``path``."""
        chosen = ExportFilter(modality, as_date(since, "since"), as_date(until, "until"))
        with self.reading() as con:
            return export_events(con, fmt, path, chosen)

    # -- writing ---------------------------------------------------------------------------
    def ingest(self, inputs: str | Path | Sequence[str | Path], *, date: DateLike = None,
               columns: Mapping[str, str] | None = None, command: str = "ingest",
               progress: Progress | None = None, on_conflict: str = "quarantine",
               report: IngestReport | None = None,
               read_progress: Progress | None = None) -> IngestReport:
        """Read files, directories (recursively), ``.gz`` or ``-`` (stdin) into the
        database, creating it if needed.  ``date`` is the day of records without one;
        ``columns`` maps fields to the inputs' names (``{"text": "title"}``).  Bad records
        go to the quarantine (``quarantine()``) with file, place and reason; nothing read is
        dropped without a word (``report.unaccounted`` is 0).  A stored id arriving with
        other text is a conflict: ``on_conflict="quarantine"`` (the default) quarantines
        the new record with both content hashes, ``"keep"`` keeps the stored article,
        ``"replace"`` stores the new one (to be coded again).  ``report`` (filled in place)
        holds the counts even if the call is interrupted.  ``progress(records, None)`` is
        called per record read, ``read_progress(bytes_read, bytes_total)`` with how far
        through the input files (``bytes_total`` None with stdin): the ETA's basis.  Raises
        NothingStoredError (E050) when no article ends up stored, with the reasons and
        hints."""
        paths = ([str(inputs)] if isinstance(inputs, str | Path)
                 else [str(p) for p in inputs])
        day = as_date(date, "date")
        if on_conflict not in ("quarantine", "keep", "replace"):
            raise SettingsError(f"on_conflict: {on_conflict!r}; expected quarantine, keep "
                                "or replace")
        report = report if report is not None else IngestReport()
        with self.writing(create=True) as con:
            run_id, started = record_run(con, command, paths, self.settings, None)
            try:
                ingest(con, paths, self.settings, run_id, default_date=day,
                       csv_columns=columns, progress=progress, on_conflict=on_conflict,
                       report=report, read_progress=read_progress)
            except BaseException as exc:
                if is_interrupt(exc):  # what was stored, for the run log
                    with contextlib.suppress(Exception):
                        close_run(con, run_id, started,
                                  {**report.counts(), "interrupted": True})
                raise
            close_run(con, run_id, started, report.counts())
        if not report.stored:
            if report.read or report.skipped_files:
                lines = "\n".join(report.problems())
                message = (f"nothing stored: {report.records} records read, all quarantined"
                           if report.records else "nothing stored: no record could be read")
                raise NothingStoredError(f"{message}:\n{lines}\nSee them with `foreshock "
                                         f"quarantine --db {self.path}`.", report)
            raise NothingStoredError(
                f"nothing stored: no records found in {', '.join(paths)} (files are read "
                "by their suffix: .txt, .jsonl, .ndjson, .json, .csv, each optionally .gz)",
                report)
        return report

    def code_pending(self, *, engine: str = "local", workers: int = 1,
                     scheduler: str | None = None, coder: EventCoder | None = None,
                     command: str = "code", progress: Progress | None = None,
                     status: Callable[[str], None] | None = None, analyze: bool = True,
                     report: CodeReport | None = None) -> CodeOutcome:
        """Code every article not yet coded by the current coder, then store stories and
        alerts.  ``engine="local"`` with ``workers=1`` codes in this process (``coder``
        reuses a loaded ``foreshock.load()``), ``workers>1`` on a process pool,
        ``engine="dask"`` on a local Dask cluster or the one at ``scheduler``.

        ``progress(done, total)`` is called as articles are coded (first with 0 and the
        total, before the model loads), ``status(text)`` says what happens meanwhile.
        ``analyze=False`` leaves stories and alerts as they are (readers then compute them
        in memory until the next ``analyze()``).  Every coded chunk (with workers: every
        finished partition) is committed as it is done; ``report`` (filled in place) says
        what was stored if the call is interrupted, and calling again codes only the rest.
        """
        from foreshock.pipeline import coding_version, load_context
        from foreshock.runners.local import code_pending, pending

        if engine not in ("local", "dask"):
            raise SettingsError(f"engine: {engine!r}; expected local or dask")
        settings = coder.settings if coder is not None else self.settings
        version = coder.version if coder is not None else coding_version(settings)
        with self.writing() as con:
            total = pending(con, version)
            if progress is not None:
                progress(0, total)
            ctx = None
            if engine == "local" and workers == 1 and total:
                if coder is not None:
                    ctx = coder.context
                else:
                    if status is not None:
                        status(f"loading {settings.model} and the dictionaries")
                    ctx = load_context(settings)
            run_id, started = record_run(con, command, [], settings, ctx, version)
            report = report if report is not None else CodeReport()
            try:
                if ctx is not None:
                    code_pending(con, ctx, run_id, progress=progress, report=report)
                elif total:
                    from foreshock.runners.parallel import code_parallel

                    if status is not None:  # a running scheduler has its own workers
                        status(f"connecting to the Dask scheduler at {scheduler}"
                               if scheduler else f"starting {workers} {engine} worker(s)")
                    parts = f"{self.path}.parts/run-{run_id}"
                    code_parallel(con, settings, version, run_id, parts, engine=engine,
                                  workers=workers, scheduler=scheduler, progress=progress,
                                  report=report)
                elif not (engine == "local" and workers == 1):
                    from foreshock.runners.parallel import remove_stale_parts

                    # nothing to code: part files a killed run left behind are not needed
                    remove_stale_parts(Path(f"{self.path}.parts"))
            except BaseException as exc:
                if is_interrupt(exc):  # what was stored, for the run log
                    with contextlib.suppress(Exception):
                        close_run(con, run_id, started, {
                            "articles": report.articles, "events": report.events,
                            "interrupted": True})
                raise
            close_run(con, run_id, started, {
                "articles": report.articles, "events": report.events, "words": report.words,
                "problems": report.problems, "seconds": round(report.seconds, 2),
                "engine": engine, "workers": workers})
            stored = None
            if analyze and (report.articles
                            or not analysis.stored_alerts_current(con, self.config)):
                stored = analysis.refresh(con, self.config, status=status)
        return CodeOutcome(report, stored)

    def pending(self, coder: EventCoder | None = None) -> int:
        """Articles not yet coded by the current coder (or ``coder``'s version)."""
        from foreshock.pipeline import coding_version
        from foreshock.runners.local import pending

        version = coder.version if coder is not None else coding_version(self.settings)
        with self.reading() as con:
            return pending(con, version)

    def analysis_current(self) -> bool:
        """True when the stored stories and whole-database alerts are those of the coded
        data and the detectors file (``analyze()`` would compute nothing)."""
        with self.reading() as con:
            return analysis.stored_alerts_current(con, self.config)

    def analyze(self, *, force: bool = False, progress: Progress | None = None,
                status: Callable[[str], None] | None = None) -> RefreshReport:
        """Store current stories and whole-database alerts (``code_pending`` does this after
        coding; call it after changing the detectors file).  ``progress(done, total)``
        counts the articles clustered into stories, ``status(text)`` names each step."""
        with self.writing() as con:
            return analysis.refresh(con, self.config, force=force, progress=progress,
                                    status=status)


def _new_or_empty(path: str) -> bool:
    """No file at ``path`` yet, or an empty one (``touch``, ``mktemp``): a new database."""
    try:
        return os.stat(path).st_size == 0 and Path(path).is_file()
    except FileNotFoundError:
        return True
    except OSError:
        return False  # the check after it names the problem


def open_database(path: str | Path, *, create: bool = False, config: str | None = None,
                  detectors: str | None = None, settings: Settings | None = None,
                  **overrides: Any) -> Database:
    """Open the Foreshock database at ``path``.

    A missing file is an error (E040) unless ``create``: reading a mistyped path must not
    make an empty database.  ``config`` is a settings file (TOML, ``[foreshock]``),
    ``overrides`` are settings (``coder="hybrid"``, ``model=...``), ``detectors`` an
    analysis parameters file (``settings``: settings already loaded).  Nothing stays open
    between calls.
    """
    where = str(path)
    base = settings if settings is not None else load_settings(config)
    settings = base.with_overrides(db=where, **overrides)
    if create and _new_or_empty(where):
        connect(where).close()  # DuckDB cannot read an empty file: the writer makes it anew
    try:
        # E040 or E042 now, not on first use; an older schema is migrated by the first
        # write (a read before it says so); a DuckDB file without tables is a new database
        # when creating (refused for reading: a mistyped path)
        connect(where, read_only=True, wait=0, outdated_ok=True, empty_ok=create).close()
    except StoreError as exc:
        if exc.code != "E041":  # in use by a writer now: the calls will say so if it lasts
            raise
    return Database(where, settings, detectors)
