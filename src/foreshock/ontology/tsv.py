"""A strict TSV reader: every problem names the file, line and value."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from foreshock.errors import DataFileError


@dataclass(frozen=True, slots=True)
class Row:
    path: str
    line: int
    values: dict[str, str]

    def get(self, key: str) -> str:
        return self.values.get(key, "")

    def fail(self, key: str, expected: str) -> DataFileError:
        return DataFileError(self.path, self.line, self.get(key), expected)


def data_path(*parts: str) -> Path:
    """Path of a bundled data file (``data/<parts>``) inside the installed package."""
    return Path(str(resources.files("foreshock").joinpath("data", *parts)))


def read_tsv(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    """Yield rows of a TSV file whose first non-comment line is the header.

    Lines starting with ``#`` and blank lines are skipped.  A row with more cells than
    the header is an error (a stray tab would silently shift columns otherwise); fewer
    cells are padded, since trailing empty optional columns are common in hand edits.
    """
    header: list[str] | None = None
    with path.open(encoding="utf-8") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.startswith("#"):
                continue
            cells = [cell.strip() for cell in line.split("\t")]
            if header is None:
                header = cells
                missing = [name for name in required if name not in header]
                if missing:
                    raise DataFileError(
                        str(path), number, line, f"a header with columns {', '.join(required)}"
                    )
                continue
            if len(cells) > len(header):
                raise DataFileError(
                    str(path), number, line, f"at most {len(header)} tab-separated cells"
                )
            cells += [""] * (len(header) - len(cells))
            yield Row(str(path), number, dict(zip(header, cells, strict=True)))
    if header is None:
        raise DataFileError(str(path), 0, "", "a header line")


def parse_date(row: Row, key: str) -> dt.date | None:
    value = row.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise row.fail(key, "an ISO date YYYY-MM-DD or nothing") from None


def sha256_of(paths: list[Path]) -> str:
    """A fingerprint of data files, recorded with each run and event batch."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
