"""Foreshock: explainable CAMEO political event data from dated news, with early warning.

The public library surface; the CLI and the web API are thin layers over these.

    >>> import foreshock
    >>> coder = foreshock.load()                       # the spaCy model, once
    >>> events = coder.code("Russia massed troops near Ukraine.", "2022-02-10")
    >>> db = foreshock.open("crisis.duckdb", create=True)
    >>> db.ingest("news/"); db.code_pending()
    >>> db.events(dyad="RUS-UKR").to_pandas()          # Arrow tables; pandas with [pandas]

See ``docs/python-api.md``.  The modules behind ``load`` and ``open`` (spaCy, the
analysis stack) are imported when these are first called, not on ``import foreshock``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from foreshock.errors import (
    BadDyadError,
    DataFileError,
    DateRangeError,
    EngineError,
    ForeshockError,
    Interrupted,
    LockedError,
    NothingStoredError,
    SettingsError,
    SourceError,
    StoreError,
    UnknownActorError,
)
from foreshock.records import Article, DocumentResult, Dyad, Event, Modality, RawArticle
from foreshock.settings import Settings, load_settings

if TYPE_CHECKING:
    import pyarrow as pa

    from foreshock.coding import EventCoder
    from foreshock.database import Database


def load(config: str | None = None, **overrides: Any) -> EventCoder:
    """A coder: ``load().code(text, date)`` gives the events of a text, in memory.

    ``config`` is a settings file (TOML, ``[foreshock]``); ``overrides`` are settings such
    as ``coder="rules"`` or ``model="en_core_web_md"`` (checked by ``load_settings``).
    """
    from foreshock.coding import load as load_coder

    return load_coder(config, **overrides)


def open(path: str | Path, *, create: bool = False, config: str | None = None,
         detectors: str | None = None, **overrides: Any) -> Database:
    """The database at ``path``: ``.events()``, ``.series()``, ``.alerts()``,
    ``.stories()``, ``.quarantine()`` as Arrow tables; ``.ingest()``, ``.code_pending()``.

    A missing file is StoreError E040 unless ``create=True``.  No connection stays open
    between calls, so the CLI can use the same file meanwhile.
    """
    from foreshock.database import open_database

    return open_database(path, create=create, config=config, detectors=detectors, **overrides)


def demo_corpus() -> Path:
    """The bundled demo corpus (283 dated articles: a fictionalised 2021-22 crisis
    and a background wire of ordinary diplomacy)."""
    from foreshock.ontology.tsv import data_path

    return data_path("demo")


def read_events(path: str | Path) -> pa.Table:
    """An events export (``.csv``, ``.jsonl``, ``.parquet``) read back with its types."""
    from foreshock.export.writers import read_events as read

    return read(path)


__all__ = [
    "Article",
    "BadDyadError",
    "DataFileError",
    "DateRangeError",
    "DocumentResult",
    "Dyad",
    "EngineError",
    "Event",
    "ForeshockError",
    "Interrupted",
    "LockedError",
    "Modality",
    "NothingStoredError",
    "RawArticle",
    "Settings",
    "SettingsError",
    "SourceError",
    "StoreError",
    "UnknownActorError",
    "demo_corpus",
    "load",
    "load_settings",
    "open",
    "read_events",
]
