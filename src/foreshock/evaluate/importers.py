"""Public gold sets converted to the annotation guide's records (:class:`GoldSentence`).

``load(fmt, path)`` reads one of:

* ``"plover"`` - the PLOVER gold-standard records (``PLOVER_GSR_CAMEO.txt``, a JSON array), with
  PLOVER types turned into CAMEO codes through ``CAMEO2PLOVER-2021.txt`` found in the same
  folder (:func:`load_plover`);
* ``"petrarch"`` - PETRARCH validation / unit-test XML (``PETR2_GSR_validation.xml``,
  ``PETR.UnitTest.records.xml``), read tolerantly with regular expressions because those files
  are not well-formed XML (:func:`load_petrarch`);
* ``"conflibert"`` - the ConfliBERT CAMEO class TSV (``sentence<TAB>label``): sentences with no
  events, since the labels carry no actors (:func:`load_conflibert`); the labels themselves
  come from :func:`load_quad_labels` for a separate QuadClass-agreement report.

Nothing from these files is bundled; they are read at run time from the path given.  Every
loader is deterministic (file order).  Problems confined to one record - an unreadable date, an
actor code that names no country, an event code outside CAMEO - skip that record or event and
are appended, as ``"<path>:<line or id>: <message>"`` strings, to the optional ``problems``
list.  :class:`~foreshock.errors.DataFileError` is raised for what cannot be skipped: a file
that is not the expected format at all, or that yields no record.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from foreshock.errors import DataFileError, SourceError
from foreshock.evaluate.gold import GoldEvent, GoldSentence
from foreshock.ontology.actors import SECTORS
from foreshock.ontology.petrarch import parse_petrarch_date, split_actor_code

FORMATS = ("plover", "petrarch", "conflibert")

#: The date given to records that carry none (the PLOVER records all use this dummy too).
DUMMY_DATE = dt.date(2000, 1, 1)


def load(fmt: str, path: Path, problems: list[str] | None = None) -> Iterator[GoldSentence]:
    """Gold sentences from a public gold set in format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "plover":
        return load_plover(path, problems)
    if fmt == "petrarch":
        return load_petrarch(path, problems)
    if fmt == "conflibert":
        return load_conflibert(path, problems)
    raise ValueError(f"unknown gold format {fmt!r}; expected one of {', '.join(FORMATS)}")


def _note(problems: list[str] | None, where: str, message: str) -> None:
    if problems is not None:
        problems.append(f"{where}: {message}")


def normalise_event_code(raw: str) -> str | None:
    """A CAMEO event code with its leading zero restored (``"42"`` -> ``"042"``), or None.

    Codes of one or two digits lost their leading zeros (PETRARCH codes have at least three);
    a code whose root is not 01..20 (the unit tests' invented ``903``, ``345``) is None.
    """
    value = raw.strip()
    if not value.isdigit() or not 1 <= len(value) <= 4:
        return None
    if len(value) < 3:
        value = value.zfill(3)
    return value if 1 <= int(value[:2]) <= 20 else None


# -- PLOVER -------------------------------------------------------------------------------------

PLOVER_MAPPING_NAME = "CAMEO2PLOVER-2021.txt"

#: PLOVER 0.x categories (the gold records are version 0.5b1) -> CAMEO roots, as in the PLOVER
#: manual's "PLOVER equivalents to CAMEO cue categories" table.  Root 08 is split between
#: CONCEDE and RETREAT by the 2021 table's own event column.
_LEGACY_ROOTS: dict[str, tuple[str, ...]] = {
    "AGREE": ("03",), "CONSULT": ("04",), "SUPPORT": ("05",), "COOPERATE": ("06",),
    "AID": ("07",), "CONCEDE": ("08",), "RETREAT": ("08",), "INVESTIGATE": ("09",),
    "DEMAND": ("10",), "DISAPPROVE": ("11",), "REJECT": ("12",), "THREATEN": ("13",),
    "PROTEST": ("14",), "MOBILIZE": ("15",), "SANCTION": ("16",), "COERCE": ("17",),
    "ASSAULT": ("18",), "FIGHT": ("19", "20"),
}
#: categories that exist only before PLOVER 1.0 (later merged into REQUEST, ACCUSE, ASSAULT)
_LEGACY_ONLY = frozenset({"DEMAND", "DISAPPROVE", "INVESTIGATE", "FIGHT"})
#: PLOVER 0.x modes -> the 2021 table's modes
_MODE_ALIASES = {
    "strike-hun": "hunger", "strike-gen": "boycott", "demo-org": "demo", "demo-spon": "demo",
    "riot-spon": "riot", "host": "visit", "detain": "arrest", "destroy": "seize",
    "confiscate": "seize", "censor": "restrict", "curfew": "restrict",
    "martial-law": "restrict",
}
#: non-ISO country codes seen in the PLOVER records
_PLOVER_CODE_FIXES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
#: organisation names -> our codes, for PLOVER actors coded only "IGO"/"NGO"; first match wins
_ORG_NAMES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), code) for pattern, code in (
        (r"\bIAEA\b|International Atomic Energy Agency", "IAEA"),
        (r"\bWHO\b|World Health Organi[sz]ation", "WHO"),
        (r"\bNATO\b|North Atlantic Treaty", "NATO"),
        (r"\bOSCE\b|Security and Co-?operation in Europe", "OSCE"),
        (r"\bEU\b|European (?:Union|Community|Commission|[Cc]ommon [Mm]arket)", "EU"),
        (r"\bArab League\b", "ARL"),
        (r"\bAfrican Union\b", "AU"),
        (r"\bASEAN\b|Association of South-?[Ee]ast Asian Nations", "ASEAN"),
        (r"\bIMF\b|International Monetary Fund", "IMF"),
        (r"\bWorld Bank\b", "WB"),
        (r"\bOPEC\b", "OPEC"),
        (r"\bECOWAS\b", "ECOWAS"),
        (r"\bGCC\b|Gulf Cooperation Council", "GCC"),
        (r"Amnesty International", "AMN"),
        (r"Red Cross|Red Crescent", "ICRC"),
        (r"\bU\.N\.|\bUN\b|United Nations|Security Council|Kofi Annan", "UN"),
    )
)
_SECTOR_ALIASES = {"CIV": "CVL", "JRN": "MED"}
_MAPPING_RE = re.compile(
    r"^\s*(\d{2,4})\s*:\s*([A-Z][A-Z_-]*)\s*(?:,([^,#]*)(?:,([^#]*))?)?\s*(?:#.*)?$")


@dataclass(frozen=True, slots=True)
class PloverRow:
    """One line of the CAMEO -> PLOVER table."""

    cameo: str
    event: str
    mode: str
    context: str


def read_cameo2plover(path: Path) -> tuple[PloverRow, ...]:
    """The CAMEO -> PLOVER table: ``0311: AGREE,  ,   economic # ...`` lines, in file order.

    Two-digit section headers (``03: AGREE``), comments, blank lines and the closing ``~~~``
    line are ignored; a code listed twice keeps its first line.
    """
    rows: dict[str, PloverRow] = {}
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line or line.startswith(("#", "~")):
                continue
            match = _MAPPING_RE.match(line)
            if match is None:
                raise DataFileError(str(path), number, line[:80],
                                    "'CAMEO: EVENT, mode, context # description'")
            code = match.group(1)
            if len(code) == 2 or code in rows:
                continue
            rows[code] = PloverRow(code, match.group(2), (match.group(3) or "").strip(),
                                   (match.group(4) or "").strip())
    if not rows:
        raise DataFileError(str(path), 0, "", "CAMEO -> PLOVER lines such as '030: AGREE'")
    return tuple(rows.values())


def plover_codes(
    table: tuple[PloverRow, ...], event: str, mode: str = "", legacy: bool = False
) -> tuple[tuple[str, ...], bool]:
    """CAMEO codes for a PLOVER event (and mode), most specific first; and whether the mode
    narrowed them (False when no code has that mode and the whole type was used)."""
    rows: list[PloverRow] = []
    if legacy or event in _LEGACY_ONLY:
        roots = _LEGACY_ROOTS.get(event, ())
        rows += [r for r in table
                 if r.cameo[:2] in roots and (r.cameo[:2] != "08" or r.event == event)]
    if event not in _LEGACY_ONLY:
        # PLOVER 0.x kept FIGHT apart, so a 0.x ASSAULT is not CAMEO 19/20
        rows += [r for r in table if r.event == event
                 and not (legacy and event == "ASSAULT" and r.cameo[:2] in {"19", "20"})]
    matched = True
    if mode and rows:
        wanted = _MODE_ALIASES.get(mode, mode)
        by_mode = [r for r in rows if r.mode == wanted]
        if by_mode:
            rows = by_mode
        else:
            matched = False
    codes = sorted({r.cameo for r in rows}, key=lambda c: (-len(c), c))
    return tuple(codes), matched


def _org_from_text(text: str) -> str | None:
    for pattern, code in _ORG_NAMES:
        if pattern.search(text):
            return code
    return None


def _plover_actor(item: object) -> tuple[str, str | None, bool] | None:
    """(code, sector, unmapped organisation?) of a PLOVER actor, or None if it has no code."""
    if not isinstance(item, dict):
        return None
    code = str(item.get("code") or "").strip().upper()
    if not code.isalnum():
        return None
    raw_sector = str(item.get("sector") or "").strip().upper()[:3]
    sector: str | None = _SECTOR_ALIASES.get(raw_sector, raw_sector)
    if sector not in SECTORS:
        sector = None
    unmapped = False
    if code in {"IGO", "NGO"}:
        org = _org_from_text(str(item.get("actorText") or ""))
        if org is not None:
            code, sector = org, sector or "IGO"
        else:
            unmapped = True
    return _PLOVER_CODE_FIXES.get(code, code), sector, unmapped


def _plover_actors(value: object, where: str, role: str,
                   problems: list[str] | None) -> list[tuple[str, str | None]]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        _note(problems, where, f"{role} is the string {value!r}, not a list of actors")
        return []
    if not isinstance(value, list):
        _note(problems, where, f"{role} is not a list of actors")
        return []
    actors: list[tuple[str, str | None]] = []
    for item in value:
        actor = _plover_actor(item)
        if actor is None:
            _note(problems, where, f"{role} actor without a usable code: {item!r}")
            continue
        if actor[2]:
            text = item.get("actorText") if isinstance(item, dict) else ""
            _note(problems, where, f"{role} organisation {text!r} kept as {actor[0]}")
        actors.append((actor[0], actor[1]))
    return actors


def load_plover(
    path: Path, problems: list[str] | None = None, mapping: Path | None = None
) -> Iterator[GoldSentence]:
    """Gold sentences from the PLOVER gold-standard records (a JSON array of objects).

    ``DOCUMENT`` records are skipped.  Each ``source`` x ``target`` pair is one
    :class:`GoldEvent` (target None when the record has none); a record with no usable source
    is kept with no events.  ``codes``: a CAMEO code the record carries itself (``cameo`` /
    ``CAMEO`` / ``cameoCode``) first, then the CAMEO codes of the record's PLOVER type from
    ``mapping`` (default: ``CAMEO2PLOVER-2021.txt`` beside the gold file), narrowed by the
    record's ``mode`` when some code has it, most specific first.  The records are PLOVER 0.5,
    whose types were CAMEO root groups (the PLOVER manual's CAMEO -> PLOVER table), and four of
    them (DEMAND, DISAPPROVE, INVESTIGATE, FIGHT) are gone from the 2021 table.  So a record
    whose ``version`` starts with ``0.`` takes the codes of its type's roots (DEMAND = 10,
    DISAPPROVE = 11, INVESTIGATE = 09, FIGHT = 19-20, SANCTION = 16 with 163, root 08 split
    between CONCEDE and RETREAT as the table does) together with the 2021 codes of that type
    (COERCE also gets 163 and 191-192), except that a 0.5 ASSAULT gets no 19/20 code since
    FIGHT holds those; and its 0.5 modes are translated to 2021 ones (``strike-hun`` ->
    ``hunger``, ``demo-org`` -> ``demo`` ...).

    Actors keep their (ISO) country codes; ``JAP``, ``ITL``, ``VTN`` become ``JPN``, ``ITA``,
    ``VNM``; actors coded only ``IGO``/``NGO`` are named from their text when it is one of the
    guide's organisations (``U.N.`` -> ``UN``, ``European Community`` -> ``EU``; also Amnesty
    -> ``AMN`` and Red Cross / Red Crescent -> ``ICRC`` as in our organisations table) and
    otherwise stay ``IGO``/``NGO``.  Sectors are the first three letters when one of ours
    (``CVLalb`` -> ``CVL``; ``JRN`` -> ``MED``; ``***`` -> None).  A repeated id gets ``#2``
    appended and is reported.  The record's ``context`` is a PLOVER topic,
    not a preceding sentence, so :attr:`GoldSentence.context` stays empty.
    """
    table_path = mapping or path.parent / PLOVER_MAPPING_NAME
    if not table_path.is_file():
        raise SourceError(str(table_path), "the CAMEO -> PLOVER table is missing")
    table = read_cameo2plover(table_path)
    try:
        records = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise DataFileError(str(path), exc.lineno, exc.doc[exc.pos:exc.pos + 40],
                            f"a JSON array of PLOVER records ({exc.msg})") from None
    if not isinstance(records, list):
        raise DataFileError(str(path), 1, type(records).__name__,
                            "a JSON array of PLOVER records")
    return _plover_records(path, records, table, problems)


def _plover_records(
    path: Path, records: list[object], table: tuple[PloverRow, ...],
    problems: list[str] | None,
) -> Iterator[GoldSentence]:
    seen: dict[str, int] = {}
    for index, record in enumerate(records, start=1):
        where = f"{path}:#{index}"
        if not isinstance(record, dict):
            _note(problems, where, "not a JSON object")
            continue
        event = str(record.get("event") or "").strip().upper()
        if event == "DOCUMENT":
            continue
        sentence_id = str(record.get("id") or f"plover-{index}")
        where = f"{path}:{sentence_id}"
        seen[sentence_id] = seen.get(sentence_id, 0) + 1
        if seen[sentence_id] > 1:
            _note(problems, where, "repeated id")
            sentence_id = f"{sentence_id}#{seen[sentence_id]}"
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            _note(problems, where, "no text; record skipped")
            continue
        raw_date = str(record.get("date") or "")
        try:
            day = dt.date.fromisoformat(raw_date[:10]) if raw_date else DUMMY_DATE
        except ValueError:
            _note(problems, where, f"bad date {raw_date!r}; record skipped")
            continue
        codes = _record_codes(record, event, table, where, problems)
        sources = _plover_actors(record.get("source"), where, "source", problems)
        targets = _plover_actors(record.get("target"), where, "target", problems)
        events: list[GoldEvent] = []
        pairs: list[tuple[str | None, str | None]] = list(targets) or [(None, None)]
        if codes and sources:
            for source, source_sector in sources:
                for target, target_sector in pairs:
                    gold = GoldEvent(source, target, codes, source_sector, target_sector)
                    if gold not in events:
                        events.append(gold)
        elif not sources:
            _note(problems, where, "no usable source; kept with no events")
        yield GoldSentence(sentence_id, day, " ".join(text.split()), "", tuple(events), ())


def _record_codes(
    record: dict[str, object], event: str, table: tuple[PloverRow, ...], where: str,
    problems: list[str] | None,
) -> tuple[str, ...]:
    own: list[str] = []
    for key in ("cameo", "CAMEO", "cameoCode", "cameo_code"):
        value = record.get(key)
        if isinstance(value, str | int) and (code := normalise_event_code(str(value))):
            own.append(code)
    mode = str(record.get("mode") or "").strip().lower()
    legacy = str(record.get("version") or "").startswith("0.")
    mapped, matched = plover_codes(table, event, mode, legacy)
    if not mapped:
        _note(problems, where, f"PLOVER type {event!r} has no CAMEO code in the table")
    elif not matched:
        _note(problems, where, f"mode {mode!r} not in the table; all {event} codes used")
    return tuple(dict.fromkeys([*own, *mapped]))


# -- PETRARCH -----------------------------------------------------------------------------------

_COMMENT_RE = re.compile(r"<!--.*?-->", re.S)
_SENTENCE_RE = re.compile(r"<Sentence\b([^>]*?)/?>", re.S)
_CODING_RE = re.compile(r"<EventCoding\b([^>]*?)/?>", re.S)
_TEXT_RE = re.compile(r"<Text>(.*?)</Text>", re.S)
_ATTR_RE = re.compile(r"""([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR_RE.finditer(text)}


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def load_petrarch(path: Path, problems: list[str] | None = None) -> Iterator[GoldSentence]:
    """Gold sentences from PETRARCH validation XML, read with regular expressions.

    Handles both ``PETR2_GSR_validation.xml`` (``<Sentence .../>`` self-closed yet followed by
    ``</Sentence>``, a ``#`` banner outside any comment) and ``PETR.UnitTest.records.xml``
    (``<!-- -->`` comments, ``date = "..."`` attributes, single-quoted text codes).  Each
    ``<Sentence>`` (its ``date``, ``id`` and ``<Text>``; ``category`` and ``sentence`` are not
    used) gives one :class:`GoldSentence`; each ``<EventCoding sourcecode= targetcode=
    eventcode=>`` one :class:`GoldEvent` with ``codes=(eventcode,)``; ``noevents`` and
    ``error`` codings give none.  Actor codes are split by :func:`split_actor_code`
    (``USAGOV`` -> ``USA``/``GOV``, ``IGOUNOMIL`` -> ``UN``/``MIL``; invented countries kept).
    A coding whose source does not resolve (``---REB``, ``"THE MINISTRY OF MAGIC"``, ``###``)
    or whose event code is not CAMEO (``903``) is dropped and reported; an unresolved target
    (``---``, ``---CVL``) becomes None.  Dates are YYYYMMDD; a YYMMDD date is read as PETRARCH
    does and reported.  A repeated id gets ``#2``, ``#3`` ... appended, and is reported.
    """
    text = path.read_text(encoding="utf-8-sig")
    text = _COMMENT_RE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    if "<!--" in text:
        offset = text.index("<!--")
        raise DataFileError(str(path), _line_at(text, offset), "<!--",
                            "a comment closed by -->")
    starts = list(_SENTENCE_RE.finditer(text))
    if not starts:
        raise DataFileError(str(path), 1, text[:40], "PETRARCH <Sentence> records")
    return _petrarch_records(path, text, starts, problems)


def _petrarch_records(
    path: Path, text: str, starts: list[re.Match[str]], problems: list[str] | None
) -> Iterator[GoldSentence]:
    seen: dict[str, int] = {}
    for index, start in enumerate(starts):
        line = _line_at(text, start.start())
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[start.end():end]
        for closer in ("</Sentence>", "</Sentences>"):
            if closer in body:
                body = body[:body.index(closer)]
        attrs = _attrs(start.group(1))
        where = f"{path}:{line}"
        body_text = _TEXT_RE.search(body)
        if body_text is None:
            if "<Text>" in body:
                raise DataFileError(str(path), line, "<Text>", "a <Text> closed by </Text>")
            _note(problems, where, "sentence without <Text>; skipped")
            continue
        raw_date = attrs.get("date", "").strip()
        day = parse_petrarch_date(raw_date)
        if day is None:
            _note(problems, where, f"bad date {raw_date!r}; sentence skipped")
            continue
        if len(raw_date) == 6:
            _note(problems, where, f"six-digit date {raw_date!r} read as {day.isoformat()}")
        sentence_id = attrs.get("id", "").strip() or f"{path.stem}-{line}"
        seen[sentence_id] = seen.get(sentence_id, 0) + 1
        if seen[sentence_id] > 1:
            _note(problems, where, f"repeated id {sentence_id!r}")
            sentence_id = f"{sentence_id}#{seen[sentence_id]}"
        events: list[GoldEvent] = []
        for coding in _CODING_RE.finditer(body):
            gold = _petrarch_event(_attrs(coding.group(1)), where, problems)
            if gold is not None and gold not in events:
                events.append(gold)
        sentence = " ".join(html.unescape(body_text.group(1)).split())
        yield GoldSentence(sentence_id, day, sentence, "", tuple(events), ())


def _petrarch_event(
    attrs: dict[str, str], where: str, problems: list[str] | None
) -> GoldEvent | None:
    if "noevents" in attrs or "error" in attrs or "eventcode" not in attrs:
        return None
    code = normalise_event_code(attrs["eventcode"])
    if code is None:
        _note(problems, where, f"event code {attrs['eventcode']!r} is not CAMEO; dropped")
        return None
    source = split_actor_code(attrs.get("sourcecode", ""))
    if source is None:
        _note(problems, where, f"source {attrs.get('sourcecode', '')!r} unresolved; dropped")
        return None
    target = split_actor_code(attrs.get("targetcode", ""))
    if target is None and attrs.get("targetcode", "").strip(" -"):
        _note(problems, where, f"target {attrs['targetcode']!r} unresolved; read as none")
    return GoldEvent(source[0], target[0] if target else None, (code,), source[1],
                     target[1] if target else None)


# -- ConfliBERT ---------------------------------------------------------------------------------

#: ConfliBERT "PentaClass" labels (cameo_class/*.tsv) and the QuadClass each stands for.
#: 0 = make a statement (CAMEO roots 01-02), which is no QuadClass of its own: the annotation
#: guide counts roots 01-05 as verbal cooperation, so an agreement report should score label 0
#: apart (None here) rather than as QuadClass 1.  1 = verbal cooperation (03-05 in practice),
#: 2 = material cooperation (06-09), 3 = verbal conflict (10-14), 4 = material conflict (15-20).
PENTA_CLASSES: dict[int, tuple[str, int | None]] = {
    0: ("make a statement", None),
    1: ("verbal cooperation", 1),
    2: ("material cooperation", 2),
    3: ("verbal conflict", 3),
    4: ("material conflict", 4),
}


def load_quad_labels(
    path: Path, problems: list[str] | None = None
) -> Iterator[tuple[str, str, int | None]]:
    """``(id, sentence, QuadClass or None)`` from a ConfliBERT ``sentence<TAB>label`` file.

    The file has no header and CRLF line ends; a few sentences are CSV-quoted with doubled
    inner quotes, which are undone.  Label mapping: :data:`PENTA_CLASSES` (0 -> None, 1-4 ->
    QuadClass 1-4).  Ids are ``conflibert-<file stem>-<line>``.  Lines with a label outside
    0-4 or not two cells are skipped and reported; a file with no valid line at all raises
    :class:`DataFileError`.
    """
    first_bad: tuple[int, str] | None = None
    good = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t")
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise DataFileError(str(path), line, "", f"tab-separated cells ({exc})") from None
            if not row or not any(cell.strip() for cell in row):
                continue
            label = row[-1].strip()
            if len(row) != 2 or not label.isdigit() or int(label) not in PENTA_CLASSES:
                first_bad = first_bad or (line, "\t".join(row)[:80])
                _note(problems, f"{path}:{line}", f"expected sentence<TAB>label 0-4: {row!r}")
                continue
            sentence = row[0]
            if "\n" in sentence or "\r" in sentence:
                first_bad = first_bad or (line, sentence[:80])
                _note(problems, f"{path}:{line}", "a quoted sentence runs over several lines")
                continue
            good += 1
            yield (f"conflibert-{path.stem}-{line}", " ".join(sentence.split()),
                   PENTA_CLASSES[int(label)][1])
    if not good:
        bad_line, value = first_bad or (0, "")
        raise DataFileError(str(path), bad_line, value, "lines 'sentence<TAB>label 0-4'")


def load_conflibert(path: Path, problems: list[str] | None = None) -> Iterator[GoldSentence]:
    """ConfliBERT sentences as gold sentences with no events and no traps.

    The labels give a QuadClass but no source or target, which the event scorer needs, so the
    sentences carry ``events=()`` (they test nothing but the absence of crashes) and the labels
    are read separately with :func:`load_quad_labels`.  The date is :data:`DUMMY_DATE`.
    """
    for sentence_id, text, _quad in load_quad_labels(path, problems):
        yield GoldSentence(sentence_id, DUMMY_DATE, text, "", (), ())
