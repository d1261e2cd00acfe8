"""One exception tree for the whole library, with coded messages.

Content problems inside a document never raise (they become ``CodingProblem`` or
``Quarantined`` records); these exceptions are for things a user must fix.  Every message
starts with a code (``E010 …``) listed with its fix in ``docs/errors.md``; a test keeps the
two in step.  The CLI prints ``error: <message>`` and exits with status 2.

::

    ForeshockError
    ├── SettingsError        E001-E003  a setting, option or argument is wrong
    │   ├── UnknownActorError    E004   an actor code no dictionary knows (with suggestions)
    │   ├── BadDyadError         E005   a dyad that is not two actor codes
    │   └── DateRangeError       E006   not a date, or outside 1900-01-01 .. today + 2 days
    ├── SourceError          E020       an input cannot be read at all
    ├── DataFileError        E030       a data file is malformed (file, line, value)
    ├── StoreError           E040-E043  the database is missing, locked, or not ours
    │   └── LockedError          E041   another process holds the file (after waiting)
    ├── NothingStoredError   E050       an ingest stored no article (reasons and hints)
    ├── EngineError          E060       a coding engine cannot start (Dask scheduler)
    └── Interrupted          E070       Ctrl-C: what was stored and how to resume
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_CODED = re.compile(r"(E\d{3}) (.*)", re.DOTALL)


class ForeshockError(Exception):
    """Base of every error Foreshock raises on purpose.

    ``code`` is the stable identifier of the kind of problem (see ``docs/errors.md``);
    ``str(error)`` is ``"<code> <message>"``.
    """

    code = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        coded = _CODED.fullmatch(message)
        if coded is not None:  # a message written with its own code ("E011 unknown coder")
            code, message = code or coded.group(1), coded.group(2)
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(f"{self.code} {message}")


class SettingsError(ForeshockError):
    """A setting, an option or an argument has a value outside what is allowed.

    E001 a bad value or type, E002 an unknown setting name, E003 an unreadable settings
    file.
    """

    code = "E001"


class UnknownActorError(SettingsError, ValueError):
    """An actor code that neither the actor dictionaries nor the database know.

    ``suggestions`` are (code, name) pairs that the text may have meant.
    """

    code = "E004"

    def __init__(self, value: str, suggestions: Sequence[tuple[str, str]] = ()) -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        hint = ""
        if self.suggestions:
            hint = " Did you mean " + " or ".join(
                f"{code} ({name})" if name else code for code, name in self.suggestions) + "?"
        search = value.strip().lower() or "NAME"
        super().__init__(f"unknown actor code {value!r}.{hint} Actors are given by their codes "
                         f"(RUS, UKR, NATO); list them with `foreshock actors --search "
                         f"{search}`")


class BadDyadError(SettingsError, ValueError):
    """A dyad that is not two actor codes joined by ``-`` (either direction) or ``>``."""

    code = "E005"

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"bad dyad {value!r}: expected two actor codes like RUS-UKR "
                         "(either direction) or RUS>UKR (source to target)")


class SourceError(ForeshockError):
    """An input source cannot be read at all (missing, unreadable, unknown format)."""

    code = "E020"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class DataFileError(ForeshockError):
    """A bundled or user-given data file is malformed; names file, line and value."""

    code = "E030"

    def __init__(self, path: str, line: int, value: str, expected: str) -> None:
        super().__init__(f"{path}:{line}: bad value {value!r}; expected {expected}")
        self.path = path
        self.line = line
        self.value = value


class StoreError(ForeshockError):
    """The database is missing, locked by another process, or not a Foreshock database
    of this schema version.

    E040 no such database, E041 locked by another process, E042 another schema version or
    not a Foreshock database (a SQLite file, any other file, a DuckDB file without
    Foreshock's tables), E043 cannot be opened or written.
    """

    code = "E043"


class LockedError(StoreError):
    """Another process holds the database file (E041); ``pid`` names it when DuckDB
    says which.  Raised after waiting for it (``FORESHOCK_LOCK_WAIT`` seconds)."""

    code = "E041"

    def __init__(self, message: str, pid: int | None = None) -> None:
        super().__init__(message)
        self.pid = pid


class DateRangeError(SettingsError, ValueError):
    """A date that is not ``YYYY-MM-DD`` or lies outside the plausible range of news dates
    (1900-01-01 to today + 2 days; see ``normalize.dates``), given as an option, a setting
    or a request parameter.  Dates inside records are quarantined instead.

    Also a ValueError, so a web request carrying such a date is refused as invalid input.
    """

    code = "E006"


class NothingStoredError(ForeshockError):
    """An ingest read its inputs but stored no article: every record was quarantined or
    no record was found.  ``report`` is the ingest report (counts and reasons)."""

    code = "E050"

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report


class EngineError(ForeshockError):
    """A coding engine cannot start or lost its workers (an unreachable Dask scheduler)."""

    code = "E060"


class Interrupted(ForeshockError):
    """The user interrupted a command (Ctrl-C); the message says what was kept and how to
    resume.  The CLI prints the message alone (without the code) and exits with 130."""

    code = "E070"
