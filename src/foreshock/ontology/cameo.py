"""The CAMEO code table (names, Goldstein, QuadClass) and its PLOVER mapping."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from foreshock.ontology.tsv import data_path, read_tsv


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str = ""
    plover_mode: str = ""

    @property
    def root(self) -> str:
        return self.code[:2]


QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def quad_of_root(root: str) -> int:
    """QuadClass from a CAMEO root, as the annotation guide defines it."""
    value = int(root)
    if value <= 5:
        return 1
    if value <= 9:
        return 2
    if value <= 14:
        return 3
    return 4


@dataclass(frozen=True, slots=True)
class CameoTable:
    codes: dict[str, CameoCode]

    def get(self, code: str) -> CameoCode:
        """The entry for a code; an unknown sub-code falls back to its nearest parent."""
        probe = code
        while probe:
            if probe in self.codes:
                return self.codes[probe]
            probe = probe[:-1]
        raise KeyError(code)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self.codes


def load_cameo(codes: Path | None = None, plover: Path | None = None) -> CameoTable:
    codes_path = codes or data_path("cameo", "codes.tsv")
    plover_path = plover or data_path("cameo", "plover.tsv")
    mapping: dict[str, tuple[str, str]] = {}
    for row in read_tsv(plover_path, ("cameo", "plover_event")):
        mapping[row.get("cameo")] = (row.get("plover_event"), row.get("plover_mode"))
    table: dict[str, CameoCode] = {}
    for row in read_tsv(codes_path, ("code", "name", "goldstein", "quad_class")):
        code = row.get("code")
        if not (code.isdigit() and 2 <= len(code) <= 4 and 1 <= int(code[:2]) <= 20):
            raise row.fail("code", "a CAMEO code of 2-4 digits with a root 01..20")
        try:
            goldstein = float(row.get("goldstein"))
        except ValueError:
            raise row.fail("goldstein", "a number from -10 to 10") from None
        if not -10.0 <= goldstein <= 10.0:
            raise row.fail("goldstein", "a number from -10 to 10")
        quad = row.get("quad_class")
        if quad != str(quad_of_root(code[:2])):
            raise row.fail("quad_class", f"{quad_of_root(code[:2])} for root {code[:2]}")
        plover_event, plover_mode = mapping.get(code, ("", ""))
        table[code] = CameoCode(code, row.get("name"), goldstein, int(quad), plover_event,
                                plover_mode)
    return CameoTable(table)
