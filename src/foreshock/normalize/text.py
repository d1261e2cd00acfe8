"""Article text cleaning: whitespace, hard wraps and boilerplate lines.

Cleaning is line-based and conservative: it only drops whole lines matched by the
boilerplate patterns in ``data/lexicons/boilerplate.tsv`` and never edits words, so the
character offsets later stages compute refer to text a reader still recognises.
"""

from __future__ import annotations

import os
import re
import unicodedata
from importlib import resources

from foreshock.errors import DataFileError

DEFAULT_BOILERPLATE = "foreshock/data/lexicons/boilerplate.tsv"
_HEADER = ("pattern", "note")

# Invisible characters that split words for every later matcher (soft hyphen, zero-width
# space, stray BOMs) are removed; other C0 controls are noise from scraping.  ZWJ/ZWNJ are
# kept: they are meaningful in several scripts.
_DELETE = dict.fromkeys([0xAD, 0x200B, 0xFEFF, 0x7F, *range(0x00, 0x09), *range(0x0E, 0x20)], None)
# Unicode line/paragraph separators and vertical tab/form feed break lines like "\n".
_BREAKS = {0x2028: "\n", 0x2029: "\n\n", 0x0B: "\n", 0x0C: "\n\n"}
_TRANSLATION: dict[int, str | None] = {**_DELETE, **_BREAKS}
_SPACES = re.compile(r"\s+")  # after splitting on "\n": tabs, NBSP, thin spaces, ...


def load_boilerplate(path: str | os.PathLike[str] | None = None) -> tuple[re.Pattern[str], ...]:
    """Compile the boilerplate patterns from a TSV file (default: the bundled lexicon).

    The file has ``#`` comment lines, a ``pattern<TAB>note`` header and one Python regex per
    row.  Raises DataFileError naming file and line for a bad header or regex.
    """
    if path is None:
        name = DEFAULT_BOILERPLATE
        resource = resources.files("foreshock") / "data" / "lexicons" / "boilerplate.tsv"
        try:
            content = resource.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(name, 0, str(exc), "the bundled boilerplate lexicon") from exc
    else:
        name = os.fspath(path)
        try:
            with open(path, encoding="utf-8") as handle:
                content = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(name, 0, str(exc), "a readable UTF-8 TSV file") from exc
    return _parse_boilerplate(content, name)


def _parse_boilerplate(content: str, name: str) -> tuple[re.Pattern[str], ...]:
    patterns: list[re.Pattern[str]] = []
    header_seen = False
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if not header_seen:
            if tuple(field.strip() for field in fields) != _HEADER:
                raise DataFileError(name, number, line, "the header 'pattern<TAB>note'")
            header_seen = True
            continue
        try:
            patterns.append(re.compile(fields[0]))
        except re.error as exc:
            raise DataFileError(
                name, number, fields[0], f"a Python regular expression ({exc})"
            ) from exc
    if not header_seen:
        raise DataFileError(name, 0, "", "the header 'pattern<TAB>note'")
    return tuple(patterns)


def clean_text(text: str, patterns: tuple[re.Pattern[str], ...] | None = None) -> str:
    """Normalise whitespace, re-join hard-wrapped lines and drop boilerplate lines.

    Paragraphs (separated by blank lines) come out separated by exactly ``"\\n\\n"``; single
    newlines inside a paragraph become spaces.  ``patterns`` defaults to
    ``load_boilerplate()``, read on every call: callers cleaning many texts pass them in.
    """
    if patterns is None:
        patterns = load_boilerplate()
    # NFC only: it merges canonically equal spellings (é as one or two code points) without
    # the lossy compatibility mappings of NFKC.
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATION)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs: list[str] = []
    current: list[str] = []
    for raw_line in text.split("\n"):
        line = _SPACES.sub(" ", raw_line).strip()
        # A dropped boilerplate line also ends the paragraph: gluing the text around an
        # advert or a link together could make one false sentence of two.
        if not line or any(pattern.search(line) for pattern in patterns):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs)
