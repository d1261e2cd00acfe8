"""``foreshock.load()``: a coder that turns a text and its date into events, in memory.

Loading reads the spaCy model and the dictionaries once (a few seconds); coding a
paragraph then takes milliseconds.  Nothing is stored: for a corpus, use
``foreshock.open(path, create=True)`` with ``ingest`` and ``code_pending``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, overload

import duckdb
import pyarrow as pa

from foreshock.export.columns import events_arrow
from foreshock.records import Article, CodingProblem, Event
from foreshock.settings import Settings, load_settings
from foreshock.store.db import events_table, insert_articles
from foreshock.store.queries import EventFilter
from foreshock.store.schema import TABLES

if TYPE_CHECKING:
    from foreshock.pipeline import Context


@dataclass(frozen=True, slots=True)
class CodedText(Sequence[Event]):
    """The events of one coded text (a sequence of ``Event``), with the problems met."""

    article: Article
    events: tuple[Event, ...]
    problems: tuple[CodingProblem, ...] = ()

    @overload
    def __getitem__(self, index: int) -> Event: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Event]: ...

    def __getitem__(self, index: int | slice) -> Event | Sequence[Event]:
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def to_arrow(self, modality: str = "all") -> pa.Table:
        """The events in the export column set (as ``Database.events()`` gives them);
        every modality unless ``modality`` says which."""
        con = duckdb.connect()
        try:
            for name in ("articles", "events"):
                con.execute(TABLES[name])
            insert_articles(con, [self.article], 0)
            con.register("_fs_coded", events_table(self.events, 0))
            con.execute("INSERT INTO events SELECT * FROM _fs_coded")
            con.unregister("_fs_coded")
            return events_arrow(con, EventFilter(modality=modality))
        finally:
            con.close()

    def to_pandas(self, modality: str = "all") -> Any:
        """``to_arrow()`` as a pandas DataFrame (needs ``pip install foreshock[pandas]``)."""
        return self.to_arrow(modality).to_pandas()


class EventCoder:
    """Codes texts into CAMEO events with their evidence.  Make one with
    ``foreshock.load()``; it is reusable and keeps its model loaded."""

    def __init__(self, context: Context) -> None:
        self.context = context

    @property
    def settings(self) -> Settings:
        return self.context.settings

    @property
    def version(self) -> str:
        """The extractor version stamped on every event."""
        return self.context.extractor_version

    def __repr__(self) -> str:
        return f"EventCoder({self.version!r})"

    def code(self, text: str, date: dt.date | str, *, article_id: str | None = None,
             title: str | None = None, url: str | None = None,
             outlet: str | None = None) -> CodedText:
        """Code ``text`` published on ``date`` (a date or YYYY-MM-DD): the events, in
        reading order, with character offsets into ``text``."""
        from foreshock.database import as_date
        from foreshock.pipeline import code_document

        day = as_date(date, "date")
        if day is None:
            raise TypeError("code() needs the date the text was published")
        published = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
        key = hashlib.sha1(f"{day}|{text}".encode("utf-8", "replace")).hexdigest()[:16]
        article = Article(article_id or f"text-{key}", day, published, text, title=title,
                          url=url, outlet=outlet)
        result = code_document(article, self.context)
        return CodedText(article, result.events, result.problems)


def load(config: str | None = None, **overrides: Any) -> EventCoder:
    """Load a coder: the settings file ``config`` (TOML, section ``[foreshock]``) and
    ``overrides`` (``coder="rules"``, ``model="en_core_web_md"``, ...) go through
    ``load_settings``, so a wrong name or value is a SettingsError saying which.  It sets
    numpy's OpenBLAS to one thread for the whole process (docs/python-api.md)."""
    from foreshock.pipeline import load_context

    return EventCoder(load_context(load_settings(config, **overrides)))
