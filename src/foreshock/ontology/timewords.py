"""Time words (data/lexicons/time.tsv): weekdays, months, relative days, units, eras."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from foreshock.ontology.tsv import Row, data_path, read_tsv

TIME_KINDS = frozenset({"weekday", "month", "day_offset", "unit", "previous", "next", "current",
                        "ago", "unit_ago", "era", "memory", "recent_memory", "modal",
                        "number", "bygone",
                        "bygone_open", "retrospect"})


@dataclass(frozen=True, slots=True)
class Era:
    name: str  # lower case
    first: int  # years
    last: int


@dataclass(frozen=True, slots=True)
class TimeWords:
    weekdays: dict[str, int]
    months: dict[str, int]
    #: one word or a phrase, lower case -> days from the publication date
    offsets: dict[str, int]
    units: dict[str, int]
    previous: frozenset[str]
    following: frozenset[str]
    current: frozenset[str]
    ago: frozenset[str]
    eras: tuple[Era, ...]
    memory: frozenset[str]
    numbers: dict[str, int]
    #: phrases of a past moment looked back to ("at that time", "back then")
    bygone: frozenset[str]
    #: words right after a bygone phrase that say which moment it is ("at the time of
    #: writing", "at the time when ..."): then it is no moment looked back to
    bygone_open: frozenset[str]
    #: words that say "ago" only right after a unit ("a month earlier"; "earlier this
    #: week" is the current week)
    unit_ago: frozenset[str] = frozenset()
    #: memory words whose complement is news after all when the text dates it within the
    #: last few days ("recalled that troops shelled Kharkiv on Monday")
    recent_memory: frozenset[str] = frozenset()
    #: auxiliaries that put an act outside the past ("recalled that Russia will respond")
    modals: frozenset[str] = frozenset()
    #: lemma phrases of a frame that looks back over what its clause tells ("if you look
    #: back", "in hindsight"): a past act under it is background
    retrospect: frozenset[str] = frozenset()


def _int(row: Row, low: int, high: int) -> int:
    try:
        value = int(row.get("value"))
    except ValueError:
        raise row.fail("value", f"a whole number from {low} to {high}") from None
    if not low <= value <= high:
        raise row.fail("value", f"a whole number from {low} to {high}")
    return value


def _era(row: Row) -> Era:
    first, _, last = row.get("value").partition("-")
    if not (first.isdigit() and last.isdigit() and int(first) <= int(last)):
        raise row.fail("value", "first-last years, e.g. 1939-1945")
    return Era(row.get("word").lower(), int(first), int(last))


def load_time_words(directory: Path | None = None) -> TimeWords:
    """The time words of ``directory``/time.tsv, else the bundled ones."""
    path = (directory or data_path("lexicons")) / "time.tsv"
    if not path.exists():
        path = data_path("lexicons", "time.tsv")
    found: dict[str, dict[str, int]] = {k: {} for k in ("weekday", "month", "day_offset",
                                                         "unit", "number")}
    words: dict[str, set[str]] = {k: set() for k in ("previous", "next", "current", "ago",
                                                      "unit_ago", "memory", "recent_memory",
                                                      "modal", "bygone", "bygone_open",
                                                      "retrospect")}
    eras: list[Era] = []
    for row in read_tsv(path, ("word", "kind")):
        kind, word = row.get("kind"), row.get("word").lower()
        if kind not in TIME_KINDS:
            raise row.fail("kind", f"one of {', '.join(sorted(TIME_KINDS))}")
        if kind == "weekday":
            found[kind][word] = _int(row, 0, 6)
        elif kind == "month":
            found[kind][word] = _int(row, 1, 12)
        elif kind == "day_offset":
            found[kind][word] = _int(row, -31, 31)
        elif kind == "unit":
            found[kind][word] = _int(row, 1, 36500)
        elif kind == "number":
            found[kind][word] = _int(row, 1, 1000)
        elif kind == "era":
            eras.append(_era(row))
        elif kind == "recent_memory":
            words[kind].add(word)
            words["memory"].add(word)  # a memory word first of all
        else:
            words[kind].add(word)
    return TimeWords(found["weekday"], found["month"], found["day_offset"], found["unit"],
                     frozenset(words["previous"]), frozenset(words["next"]),
                     frozenset(words["current"]), frozenset(words["ago"]), tuple(eras),
                     frozenset(words["memory"]), found["number"], frozenset(words["bygone"]),
                     frozenset(words["bygone_open"]), frozenset(words["unit_ago"]),
                     frozenset(words["recent_memory"]), frozenset(words["modal"]),
                     frozenset(words["retrospect"]))
