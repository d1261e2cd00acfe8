"""Foreshock: explainable CAMEO political event data from dated news, with early warning.

The public library surface; the CLI and the web API are thin layers over these.
"""

from foreshock.errors import DataFileError, ForeshockError, SettingsError, SourceError, StoreError
from foreshock.records import Article, DocumentResult, Event, Modality, RawArticle
from foreshock.settings import Settings, load_settings

__all__ = [
    "Article",
    "DataFileError",
    "DocumentResult",
    "Event",
    "ForeshockError",
    "Modality",
    "RawArticle",
    "Settings",
    "SettingsError",
    "SourceError",
    "StoreError",
    "load_settings",
]
