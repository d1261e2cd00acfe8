"""The exception tree: coded messages, and every code documented in docs/errors.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from foreshock import errors
from foreshock.errors import (
    BadDyadError,
    ForeshockError,
    SettingsError,
    StoreError,
    UnknownActorError,
)

DOCS = Path(__file__).parents[2] / "docs" / "errors.md"
SOURCES = Path(errors.__file__).parent


def test_messages_start_with_their_code() -> None:
    assert str(StoreError("x: gone", code="E040")) == "E040 x: gone"
    assert str(SettingsError("E011 unknown coder 'x'")) == "E011 unknown coder 'x'"
    assert SettingsError("E011 unknown coder 'x'").code == "E011"
    assert str(BadDyadError("RUSSIA")).startswith("E005 bad dyad 'RUSSIA'")
    unknown = UnknownActorError("Russia", [("RUS", "Russia")])
    assert str(unknown).startswith("E004 unknown actor code 'Russia'. Did you mean RUS "
                                   "(Russia)?")
    assert "foreshock actors --search russia" in str(unknown)
    assert isinstance(unknown, ValueError) and isinstance(unknown, ForeshockError)


def test_every_code_raised_is_documented() -> None:
    documented = set(re.findall(r"^\| (E\d{3}) \|", DOCS.read_text(encoding="utf-8"), re.M))
    used: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        used |= set(re.findall(r"\b(E\d{3})\b", path.read_text(encoding="utf-8")))
    used.discard("E000")  # the base class's placeholder
    assert used, "no codes found"
    assert used <= documented, sorted(used - documented)


@pytest.mark.parametrize("cls", [c for c in vars(errors).values()
                                 if isinstance(c, type) and issubclass(c, ForeshockError)])
def test_every_class_has_a_documented_default_code(cls: type[ForeshockError]) -> None:
    if cls is ForeshockError:
        return
    assert cls.code in DOCS.read_text(encoding="utf-8")
