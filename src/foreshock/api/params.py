"""Query parameters shared by the routers: one pattern per parameter, published in the
OpenAPI spec (so clients and fuzzers know the shape) and checked with a message that says
what was expected; and the checks that span two parameters."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Annotated, Any

import duckdb
from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator

from foreshock.api import models as m
from foreshock.errors import UnknownActorError
from foreshock.ontology.actor_codes import load_actor_codes
from foreshock.records import Dyad

DYAD_RE = r"^[A-Za-z0-9]{2,16}[->][A-Za-z0-9]{2,16}$"
ACTOR_RE = r"^[A-Za-z0-9]{2,16}$"
ROOT_RE = r"^(0?[1-9]|1[0-9]|20)$"


def _matching(pattern: str, expected: str, transform: Callable[[str], str] = str.upper
              ) -> Callable[[str | None], str | None]:
    compiled = re.compile(pattern)

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        if not compiled.fullmatch(value):
            raise ValueError(f"{value[:40]!r}: expected {expected}")
        return transform(value)

    return check


def _as_typed(value: str) -> str:
    """Actor codes stay as typed here: known_actor upper-cases a known one, and an unknown
    one is named in the 422 as the user wrote it ('Russia'), as the CLI names it."""
    return value


DyadQuery = Annotated[str | None, Query(
    description="Two actor codes: RUS-UKR (either direction) or RUS>UKR (directed)",
    json_schema_extra={"pattern": DYAD_RE}, examples=["RUS-UKR"]),
    AfterValidator(_matching(DYAD_RE, "two actor codes like RUS-UKR or RUS>UKR", _as_typed))]
RequiredDyadQuery = Annotated[str, Query(
    description="Two actor codes: RUS-UKR, or RUS>UKR for one direction",
    json_schema_extra={"pattern": DYAD_RE}, examples=["RUS-UKR"]),
    AfterValidator(_matching(DYAD_RE, "two actor codes like RUS-UKR", _as_typed))]
ActorQuery = Annotated[str | None, Query(
    description="Events with this actor as source or target, e.g. RUS",
    json_schema_extra={"pattern": ACTOR_RE}),
    AfterValidator(_matching(ACTOR_RE, "an actor code of 2-16 letters or digits, e.g. RUS",
                             _as_typed))]
RootQuery = Annotated[str | None, Query(
    description="CAMEO root 01-20", json_schema_extra={"pattern": ROOT_RE}),
    AfterValidator(_matching(ROOT_RE, "a CAMEO root from 01 to 20",
                             lambda v: v.zfill(2)))]
SinceQuery = Annotated[m.IsoDate | None, Query(description="From this day on (YYYY-MM-DD)")]
UntilQuery = Annotated[m.IsoDate | None, Query(description="Up to this day (YYYY-MM-DD)")]
FirstPeriodQuery = Annotated[m.IsoDate | None, Query(
    description="First period shown (YYYY-MM-DD)")]
CutQuery = Annotated[m.IsoDate | None, Query(
    description="Ignore everything published after this day (YYYY-MM-DD)")]


def finite(row: dict[str, Any]) -> dict[str, Any]:
    """JSON has no NaN or infinity: such values become null."""
    return {k: None if isinstance(v, float) and not math.isfinite(v) else v
            for k, v in row.items()}


def invalid(name: str, value: object, message: str) -> RequestValidationError:
    """A 422 in FastAPI's own error shape, for checks that span two parameters."""
    return RequestValidationError([{"type": "value_error", "loc": ("query", name),
                                    "msg": message, "input": value}])


def check_range(since: dt.date | None, until: dt.date | None) -> None:
    if since is not None and until is not None and since > until:
        raise invalid("until", str(until), f"until ({until}) is before since ({since})")


def known_actor(con: duckdb.DuckDBPyConnection, name: str, code: str,
                actors_dir: str = "") -> str:
    """The code upper-cased, or a 422 naming suggestions when neither the dictionaries nor
    the stored events know it (``dyad=Russia-Ukraine`` is an error, not an empty page)."""
    codes = load_actor_codes(actors_dir)
    upper = code.strip().upper()
    if upper in codes:
        return upper
    stored = {r[0] for r in con.execute(
        "SELECT DISTINCT source FROM events WHERE source = ? UNION "
        "SELECT DISTINCT target FROM events WHERE target = ?", [upper, upper]).fetchall()}
    try:
        return codes.check(code, stored)
    except UnknownActorError as exc:
        raise invalid(name, code, str(exc)) from None


def parse_dyad(con: duckdb.DuckDBPyConnection, name: str, value: str, directed: bool,
               actors_dir: str = "") -> Dyad:
    """A dyad of two known actor codes (422 otherwise)."""
    a, b, directed = Dyad.split(value, directed=directed)
    return Dyad(known_actor(con, name, a, actors_dir), known_actor(con, name, b, actors_dir),
                directed)
