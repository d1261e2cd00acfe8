"""One exception tree for the whole library.

Content problems inside a document never raise (they become ``CodingProblem`` or
``Quarantined`` records); these exceptions are for things a user must fix.
"""

from __future__ import annotations


class ForeshockError(Exception):
    """Base of every error Foreshock raises on purpose."""


class SourceError(ForeshockError):
    """An input source cannot be read at all (missing, unreadable, unknown format)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class DataFileError(ForeshockError):
    """A bundled or user-given data file is malformed; names file, line and value."""

    def __init__(self, path: str, line: int, value: str, expected: str) -> None:
        super().__init__(f"{path}:{line}: bad value {value!r}; expected {expected}")
        self.path = path
        self.line = line
        self.value = value


class SettingsError(ForeshockError):
    """A setting has a value outside what is allowed."""


class StoreError(ForeshockError):
    """The database is missing, of another schema version, or cannot be written."""


class DateRangeError(ForeshockError, ValueError):
    """A date outside the plausible range of news dates (see ``normalize.dates``).

    Also a ValueError, so a web request carrying such a date is refused as invalid input.
    """


class Interrupted(ForeshockError):
    """The user interrupted a command; the message says what was kept and how to resume."""
