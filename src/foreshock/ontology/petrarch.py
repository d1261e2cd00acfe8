"""PETRARCH / TABARI dictionaries read in their original text formats from a user-given path.

Nothing from those dictionaries is bundled: the functions here read the files at run time and
convert what maps cleanly onto Foreshock's own structures.

* :func:`load_petrarch_actors` - Phoenix ``*.actors.txt`` files -> ``alias -> [ActorEntry]``.
* :func:`load_petrarch_agents` - ``Phoenix.agents.txt`` -> ``lemma -> sector``.
* :func:`load_petrarch_verbs` / :func:`read_petrarch_verbs` - ``CAMEO.2.0.txt`` and the older
  ``CAMEO.verbpatterns.*.txt`` verb dictionaries -> ``lemma -> (VerbPattern, ...)``.
* :func:`split_actor_code` - a CAMEO actor code (``USAGOV``, ``IGOUNOMIL``, ``---REB``) ->
  ``(country or organisation code, sector)``; shared with :mod:`foreshock.evaluate.importers`.

Problems that concern one line (an unreadable date, a code that resolves to no country) are
skipped and counted in the optional ``stats`` counter each loader accepts; the counter keys are
listed in each function's docstring.  :class:`~foreshock.errors.DataFileError` is raised only for
what cannot be skipped: a file with no usable entry at all, or an unterminated ``<!--`` comment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType

from foreshock.errors import DataFileError
from foreshock.ontology.actors import SECTORS, ActorEntry
from foreshock.ontology.lexicons import VerbPattern
from foreshock.ontology.tsv import data_path, read_tsv

# -- actor codes ------------------------------------------------------------------------------

_ORG_PREFIXES = ("IGO", "NGO")
_CODE_RE = re.compile(r"[A-Z0-9]{3,}")


def load_igo_codes(path: Path | None = None) -> dict[str, str]:
    """The CAMEO organisation-code table (``data/cameo/igo_codes.tsv`` unless ``path``)."""
    if path is None:
        return dict(_default_igo_codes())
    table: dict[str, str] = {}
    for row in read_tsv(path, ("cameo_code", "code")):
        cameo, code = row.get("cameo_code").upper(), row.get("code")
        if not (cameo[:3] in _ORG_PREFIXES and _CODE_RE.fullmatch(cameo)):
            raise row.fail("cameo_code", "an IGO... or NGO... CAMEO code")
        if not (code.isalnum() and code.isupper() and 2 <= len(code) <= 8):
            raise row.fail("code", "an upper-case organisation code such as UN or NATO")
        table[cameo] = code
    return table


@cache
def _default_igo_codes() -> Mapping[str, str]:
    return MappingProxyType(load_igo_codes(data_path("cameo", "igo_codes.tsv")))


def _chunks(text: str) -> list[str]:
    return [text[i:i + 3] for i in range(0, len(text), 3)]


def _first_sector(rest: str) -> str | None:
    for chunk in _chunks(rest):
        if chunk in SECTORS:
            return chunk
    return None


def split_actor_code(
    code: str, igo: Mapping[str, str] | None = None
) -> tuple[str, str | None] | None:
    """``(country or organisation code, sector)`` for a CAMEO actor code, or None if unresolved.

    The first three letters are the country (``RUSMIL`` -> ``RUS``, ``MIL``); fictional or
    non-ISO codes (``GON``, ``IMG``) are kept as they are.  The sector is the first later
    3-letter group that is one of our sectors (``PSEGZACVL`` -> ``CVL``, ``USAGOVELI`` ->
    ``GOV``), or None.  ``IGO``/``NGO`` codes go through the organisation table
    (:func:`load_igo_codes`): ``IGOUNOMIL`` -> ``UN``, ``MIL``; an organisation without a more
    specific group gets the sector ``IGO`` (``NGO`` for NGOs); an organisation the table does
    not know stays ``IGO`` / ``NGO``.  Codes starting ``---`` (PETRARCH's unknown country),
    quoted text codes, bare sector codes (``ELI``) and other non-codes give None.
    """
    value = code.strip().upper()
    if not _CODE_RE.fullmatch(value) or not value[:3].isalpha():
        return None
    head = value[:3]
    if value in SECTORS and head not in _ORG_PREFIXES:
        return None  # a sector with no country, e.g. "[ELI]" after an IGO term
    if head not in _ORG_PREFIXES:
        return head, _first_sector(value[3:])
    table = igo if igo is not None else _default_igo_codes()
    found: str | None = None
    end = 3
    for length in range(len(value), 3, -1):
        if value[:length] in table:
            found, end = table[value[:length]], length
            break
    if found is None:
        for start in range(3, len(value) - 2, 3):
            short = head + value[start:start + 3]
            if short in table:
                found, end = table[short], start + 3
                break
    return found or head, _first_sector(value[end:]) or head


# -- shared line reading ------------------------------------------------------------------------


def _lines(path: Path, comment_chars: str = "#") -> Iterator[tuple[int, str]]:
    """(line number, content) without ``<!-- -->`` or ``#`` comments; blank lines dropped.

    Leading whitespace is kept (the actor format uses a leading tab for date restrictions).
    """
    in_comment = 0
    with path.open(encoding="utf-8-sig") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if in_comment:
                end = line.find("-->")
                if end < 0:
                    continue
                line, in_comment = line[end + 3:], 0
            while "<!--" in line:
                start = line.index("<!--")
                end = line.find("-->", start + 4)
                if end < 0:
                    line, in_comment = line[:start], number
                    break
                line = line[:start] + " " + line[end + 3:]
            for char in comment_chars:
                line = line.split(char, 1)[0]
            if line.strip():
                yield number, line.rstrip()
    if in_comment:
        raise DataFileError(str(path), in_comment, "<!--", "a comment closed by -->")


# -- actors -------------------------------------------------------------------------------------

_VOWELS = frozenset("AEIOUaeiou")
#: words kept upper-case although they contain a vowel (acronyms read as words)
_ACRONYMS = frozenset({
    "AU", "EU", "UN", "US", "UK", "UAE", "USA", "USSR", "NATO", "OSCE", "ASEAN", "OPEC", "OAPEC",
    "IAEA", "UNICEF", "UNHCR", "UNESCO", "UNDP", "UNEP", "UNRWA", "UNSC", "OAS", "OAU", "OIC",
    "IMF", "ICC", "ICJ", "ICRC", "IOM", "WHO", "WTO", "OECD", "APEC", "SADC", "IGAD", "ECOWAS",
    "AMISOM", "UNAMID", "MONUC", "MONUSCO", "EULEX", "FARC", "ELN", "ETA", "IRA", "ISIS", "ISIL",
    "PLO", "ANC", "AIPAC", "EEC", "ECB", "EFTA", "SEATO", "CENTO", "DPRK", "PRC", "ROC", "ROK",
    "II", "III", "IV", "VI", "VII", "VIII", "IX", "XI", "XII",
})
#: function words written lower-case inside a name ("Organization of the ...", "bin Laden")
_SMALL_WORDS = frozenset({
    "of", "the", "and", "for", "in", "on", "to", "at", "by", "de", "du", "des", "del", "della",
    "la", "le", "da", "das", "do", "dos", "van", "von", "der", "den", "bin", "ibn",
})


def _case_part(part: str) -> str:
    pieces = part.split("'")
    out = [pieces[0][:1].upper() + pieces[0][1:].lower()]
    for piece in pieces[1:]:  # O'Neil, but Women's
        out.append(piece.lower() if len(piece) <= 1 else piece[:1].upper() + piece[1:].lower())
    return "'".join(out)


def _case_word(word: str, first: bool) -> str:
    if word.upper() in _ACRONYMS:
        return word.upper()
    if word.startswith("(") and word.endswith(")"):
        return word.upper()  # (AAIA)
    letters = "".join(ch for ch in word if ch.isalpha())
    if not letters:
        return word
    if re.fullmatch(r"(?:[A-Za-z]\.)+", word):
        return word.upper()  # U.S., V.
    if len(letters) <= 4 and not (_VOWELS & set(letters)) and len(letters) > 1:
        return word.upper()  # KGB, PKK, SPLM
    if not first and word.lower() in _SMALL_WORDS:
        return word.lower()
    return "-".join(_case_part(part) for part in word.split("-"))


def petrarch_alias(phrase: str) -> str:
    """The alias news text uses for a PETRARCH phrase: ``VLADIMIR_PUTIN_`` -> ``Vladimir Putin``.

    PETRARCH matches upper-cased text; our matcher is case-sensitive, so words become Title
    Case, except known acronyms (``NATO``, ``UN``), short vowel-less words (``KGB``), dotted
    initials (``U.S.``) and parenthesised abbreviations, which stay upper-case, and small
    function words inside a name (``of``, ``the``, ``bin``), which become lower-case.
    """
    words = [w for w in re.split(r"[_\s]+", phrase.strip()) if w]
    return " ".join(_case_word(word, index == 0) for index, word in enumerate(words))


@dataclass(slots=True)
class _Code:
    raw: str
    valid_from: dt.date | None
    valid_to: dt.date | None


def parse_petrarch_date(text: str) -> dt.date | None:
    """YYYYMMDD or YYMMDD (years <= 30 are 20xx, as PETRARCH reads them); None if invalid."""
    if not text.isdigit() or len(text) not in (6, 8):
        return None
    if len(text) == 8:
        year, rest = int(text[:4]), text[4:]
    else:
        short = int(text[:2])
        year, rest = (2000 + short if short <= 30 else 1900 + short), text[2:]
    try:
        return dt.date(year, int(rest[:2]), int(rest[2:4]))
    except ValueError:
        return None


def _parse_code(text: str, stats: Counter[str]) -> _Code | None:
    parts = text.strip().split(None, 1)
    if not parts:
        stats["codes.empty"] += 1
        return None
    raw, rest = parts[0], (parts[1].strip() if len(parts) > 1 else "")
    if not rest:
        return _Code(raw, None, None)
    if match := re.fullmatch(r"([<>])\s*(\d+)", rest):
        day = parse_petrarch_date(match.group(2))
        if day is None:
            stats["codes.bad_date"] += 1
            return None
        return _Code(raw, None, day) if match.group(1) == "<" else _Code(raw, day, None)
    if match := re.fullmatch(r"(\d+)\s*-\s*(\d+)", rest):
        start, end = parse_petrarch_date(match.group(1)), parse_petrarch_date(match.group(2))
        if start is None or end is None or end < start:
            stats["codes.bad_date"] += 1
            return None
        return _Code(raw, start, end)
    if re.fullmatch(r"\d+", rest) and (day := parse_petrarch_date(rest)) is not None:
        stats["codes.bare_date"] += 1  # "[USAGOV 19820101]": read as "from that date"
        return _Code(raw, day, None)
    stats["codes.bad_date"] += 1
    return None


_PERSON_COMMENT = re.compile(r"CountryInfo|rulers", re.IGNORECASE)


@dataclass(slots=True)
class _Block:
    phrases: list[str]
    codes: list[_Code]
    raw_codes: int = 0
    person_hint: bool = False


def load_petrarch_actors(
    paths: Sequence[Path], *, igo: Mapping[str, str] | None = None,
    stats: Counter[str] | None = None,
) -> dict[str, list[ActorEntry]]:
    """Aliases of the actors in Phoenix/TABARI ``.actors`` files, in file order.

    Format: a primary phrase (``VLADIMIR_PUTIN_``, optionally with an inline ``[CODE]``), any
    ``+SYNONYM`` lines, then tab-indented codes ``[RUSGOV 991231-080507]`` (``<date``,
    ``>date`` and ``date-date`` restrictions, inclusive; YYYYMMDD or YYMMDD).  As in PETRARCH,
    consecutive primary phrases with no code yet share the codes that follow them.

    Each code becomes an :class:`ActorEntry` (see :func:`split_actor_code`); date-restricted
    entries come before the block's default (undated) entry, so that
    :meth:`ActorDictionary.lookup` - which keeps file order among equal kinds - prefers the
    dated one when both are valid, as PETRARCH does.  ``kind`` is ``person`` for blocks whose
    comment names a leaders' source (``# CountryInfo.txt``, ``IGOrulers``) or which carry
    date-restricted codes with a sector, else ``name``.  An alias listed in several blocks
    keeps the entries of the first block and adds only entries that differ in code, sector,
    kind or dates.

    ``stats`` keys: ``blocks``, ``entries``, ``aliases``, ``phrases.uncoded`` (phrases never
    given a code), ``codes.unresolved`` (``[---]``, ``[+++]``...), ``codes.bad_date``,
    ``codes.bare_date``, ``codes.empty``, ``lines.stray`` (a code line before any phrase),
    ``lines.indented_phrase`` (a phrase line with leading whitespace, read as a phrase).
    """
    counter = stats if stats is not None else Counter()
    table: dict[str, list[ActorEntry]] = defaultdict(list)
    igo_table = igo if igo is not None else _default_igo_codes()
    for path in paths:
        _read_actor_file(path, table, igo_table, counter)
    if not table:
        raise DataFileError(", ".join(str(p) for p in paths), 0, "",
                            "at least one actor phrase with a usable code")
    return dict(table)


def _read_actor_file(
    path: Path, table: dict[str, list[ActorEntry]], igo: Mapping[str, str],
    stats: Counter[str],
) -> None:
    block: _Block | None = None
    for _number, line in _lines(path, comment_chars=""):
        content, _, comment = line.partition("#")
        if not content.strip():
            continue
        codes_text = re.findall(r"\[([^\]]*)\]", content)
        phrase_text = content.split("[", 1)[0].split(";", 1)[0]
        stripped = content.strip()
        if content[0] in " \t" and stripped.startswith("["):
            if block is None:
                stats["lines.stray"] += 1
                continue
            _add_codes(block, codes_text, stats)
            continue
        if stripped.startswith("+"):
            if block is None:
                block = _Block([], [])
            block.phrases.extend(p for p in phrase_text.strip().lstrip("+").split("+") if p)
        else:
            if content[0] in " \t":
                stats["lines.indented_phrase"] += 1  # "\tJOHN_MCCLOY_\t[...]"
            if block is not None and block.raw_codes:
                _emit(block, table, igo, stats)
                block = None
            if block is None:
                block = _Block([], [])
            block.phrases.extend(p for p in phrase_text.strip().split("+") if p)
        if _PERSON_COMMENT.search(comment):
            block.person_hint = True
        _add_codes(block, codes_text, stats)
    if block is not None:
        if block.raw_codes:
            _emit(block, table, igo, stats)
        else:
            stats["phrases.uncoded"] += len(block.phrases)


def _add_codes(block: _Block, codes_text: list[str], stats: Counter[str]) -> None:
    for text in codes_text:
        block.raw_codes += 1
        code = _parse_code(text, stats)
        if code is not None:
            block.codes.append(code)


def _emit(
    block: _Block, table: dict[str, list[ActorEntry]], igo: Mapping[str, str],
    stats: Counter[str],
) -> None:
    stats["blocks"] += 1
    aliases = list(dict.fromkeys(a for a in (petrarch_alias(p) for p in block.phrases) if a))
    if not aliases:
        return
    ordered = [c for c in block.codes if c.valid_from or c.valid_to]
    ordered += [c for c in block.codes if not (c.valid_from or c.valid_to)]
    resolved: list[tuple[_Code, str, str | None]] = []
    for code in ordered:
        split = split_actor_code(code.raw, igo)
        if split is None:
            stats["codes.unresolved"] += 1
        else:
            resolved.append((code, *split))
    if not resolved:
        return
    # A person: the block names a leaders' source, or its codes are date-restricted and carry
    # a sector (RUSGOV 991231-080507); a country re-coded over time (USR -> UKR) stays a name.
    dated_sector = any((c.valid_from or c.valid_to) and sector for c, _, sector in resolved)
    kind = "person" if block.person_hint or dated_sector else "name"
    entries: list[ActorEntry] = []
    for code, actor, sector in resolved:
        entry = ActorEntry(actor, sector, kind, aliases[0], code.valid_from, code.valid_to)
        if entry not in entries:
            entries.append(entry)
    stats["entries"] += len(entries)
    for alias in aliases:
        if alias not in table:
            stats["aliases"] += 1
        bucket = table[alias]
        seen = {_identity(e) for e in bucket}
        bucket.extend(e for e in entries if _identity(e) not in seen)


def _identity(entry: ActorEntry) -> tuple[object, ...]:
    """What makes two entries the same for an alias (the display name does not)."""
    return entry.code, entry.sector, entry.kind, entry.valid_from, entry.valid_to


# -- agents -------------------------------------------------------------------------------------


def load_petrarch_agents(path: Path, *, stats: Counter[str] | None = None) -> dict[str, str]:
    """Sector nouns from a PETRARCH agents file: ``SOLDIER_ [~MIL]`` -> ``{"soldier": "MIL"}``.

    Keys are lower-case phrases with ``_`` read as a space (``foreign minister``); the explicit
    plural in ``{...}`` is ignored (the extractor matches lemmas) but substitution markers
    (``!PERSON! = MAN, MEN, ...``; ``CONGRESS!PERSON!``) are expanded.  The sector is the first
    3-letter group of the agent code that is one of our sectors (``~GOVMED`` -> ``GOV``,
    ``NGO~`` -> ``NGO``); codes with none (``~MUS``, ``~PTY``) are skipped.  The first entry of
    a phrase wins.

    ``stats`` keys: ``agents``, ``skipped.no_code``, ``skipped.no_sector``,
    ``skipped.bad_marker``, ``duplicates``.
    """
    counter = stats if stats is not None else Counter()
    markers: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for _number, line in _lines(path):
        if "!" in line and "=" in line and "[" not in line:
            name, _, values = line.partition("=")
            markers[name.strip().strip("!").upper()] = [
                v.strip() for v in values.split(",") if v.strip()]
            continue
        match = re.search(r"\[([^\]]*)\]", line)
        if match is None:
            counter["skipped.no_code"] += 1
            continue
        code = match.group(1).strip().upper()
        code = code.split("~", 1)[1] if code.startswith("~") else code.split("~", 1)[0]
        sector = _first_sector(code)
        if sector is None:
            counter["skipped.no_sector"] += 1
            continue
        phrase = line[:match.start()].split("{", 1)[0].strip()
        for form in _expand_markers(phrase, markers, counter):
            key = " ".join(w for w in re.split(r"[_\s]+", form.lower()) if w)
            if not key:
                continue
            if key in agents:
                counter["duplicates"] += 1
                continue
            agents[key] = sector
            counter["agents"] += 1
    if not agents:
        raise DataFileError(str(path), 0, "", "agent lines such as SOLDIER_ [~MIL]")
    return agents


def _expand_markers(phrase: str, markers: Mapping[str, list[str]],
                    stats: Counter[str]) -> list[str]:
    match = re.search(r"!([^!]+)!", phrase)
    if match is None:
        return [phrase]
    values = markers.get(match.group(1).upper())
    if values is None:
        stats["skipped.bad_marker"] += 1
        return []
    out: list[str] = []
    for value in values:
        out += _expand_markers(phrase[:match.start()] + value + phrase[match.end():],
                               markers, stats)
    return out


# -- verbs --------------------------------------------------------------------------------------

#: words read as verb particles in patterns and multi-word verbs ("+CORDON_OFF", "- * UP")
PARTICLES = frozenset({"up", "down", "off", "out", "away", "back", "aside", "forward",
                       "together", "apart"})
#: words read as prepositions ("- * (AGAINST)", "- * AGAINST +", "+ASK_FOR")
PREPOSITIONS = frozenset({
    "about", "above", "across", "after", "against", "along", "amid", "among", "around", "as",
    "at", "before", "behind", "below", "beneath", "beside", "between", "beyond", "by",
    "despite", "during", "for", "from", "in", "inside", "into", "near", "of", "on", "onto",
    "over", "past", "regarding", "since", "through", "throughout", "to", "toward", "towards",
    "under", "until", "upon", "via", "with", "within", "without",
})
_HEADER_RE = re.compile(r"^---\s*(.*?)\s*(?:\[([^\]]*)\])?\s*---")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True, slots=True)
class PetrarchVerbs:
    """Converted verb patterns plus the conversion counts (see :func:`read_petrarch_verbs`)."""

    patterns: dict[str, tuple[VerbPattern, ...]]
    stats: Counter[str]

    @property
    def converted(self) -> int:
        return self.stats["patterns.bare"] + self.stats["patterns.constrained"]

    @property
    def skipped(self) -> int:
        return sum(v for k, v in self.stats.items() if k.startswith("skipped."))


@dataclass(frozen=True, slots=True)
class _Constraint:
    particle: str
    prep: str
    objects: frozenset[str]
    code: str


@dataclass(slots=True)
class _VerbBlock:
    code: str
    verbs: list[tuple[str, str, str, str]]  # lemma, particle, prep, own code ("" = block's)
    patterns: list[_Constraint]


def load_petrarch_verbs(
    path: Path, known_codes: Container[str]
) -> dict[str, tuple[VerbPattern, ...]]:
    """Verb patterns converted from a PETRARCH verb dictionary; see :func:`read_petrarch_verbs`."""
    return read_petrarch_verbs(path, known_codes).patterns


def read_petrarch_verbs(path: Path, known_codes: Container[str]) -> PetrarchVerbs:
    """Convert the parts of a PETRARCH/TABARI verb dictionary that map onto :class:`VerbPattern`.

    A block starts with ``--- NAME [CODE] ---``; then verb lines (``SAY {SAYS SAID SAYING}``,
    ``GRILL [110]``, multi-word ``+CORDON_OFF``) and pattern lines ``- ... * ... [CODE]``.
    Converted, for every single-word verb of the block:

    * the verb itself with its own or the block's code - a bare-lemma pattern;
    * ``- * (AGAINST)`` / ``- * AGAINST +`` - a preposition pattern, target ``prep:against``;
    * ``- * SANCTIONS`` - an object pattern (``objects={"sanctions"}``), target ``dobj``;
    * ``- * UP`` - a particle pattern; and combinations of at most one particle, one plain
      object word and one bare preposition (``- * SANCTIONS (ON)``, ``- * OUTPOST IN +``).

    In the older TABARI-style files (``CAMEO.verbpatterns.*``) the words after ``*`` are any
    words that follow the verb, not necessarily its object; the conversion reads a single plain
    word as the object all the same, leaving out adverbs (``-ly``) and participles (``-ed``).
    Compound codes (``[042:043]``: one code per side) are skipped with the other unknown codes.

    Multi-word verbs whose second word is a particle or preposition (``+ASK_FOR``) get a bare
    pattern with that particle or preposition.  Everything else is skipped and counted: words
    before ``*`` other than ``$``, synsets (``&WEAPON``), noun phrases (``{...}``,
    ``A_B``), prepositional objects (``(TO BORDER)``), source/target markers after a noun,
    transformations (``~ ...``), and codes not in ``known_codes`` (``---``, ``042:043``,
    ``:173``).  Ids are ``petr.<lemma>.<n>``, numbered per lemma in file order.  For the same
    lemma and constraints the first code wins.

    ``stats`` keys: ``blocks``, ``verbs``, ``verbs.skipped``, ``lines.pattern``,
    ``lines.converted``, ``patterns.bare``, ``patterns.constrained``, ``patterns.duplicate``,
    ``patterns.conflict``, ``verbs.unknown_code`` (a verb's own code is not known),
    ``skipped.code``, ``skipped.preverb``, ``skipped.complex``,
    ``skipped.unconstrained``, ``skipped.no_code``, ``skipped.transformation``,
    ``skipped.stray``.
    """
    stats: Counter[str] = Counter()
    built: dict[str, dict[tuple[str, str, frozenset[str]], VerbPattern]] = defaultdict(dict)
    block: _VerbBlock | None = None
    in_synset = False
    for _number, line in _lines(path):
        stripped = line.strip()
        header = _HEADER_RE.match(stripped)
        if header:
            if block is not None:
                _emit_verbs(block, built, known_codes, stats)
            block = _VerbBlock((header.group(2) or "---").strip(), [], [])
            in_synset = False
            stats["blocks"] += 1
            continue
        if stripped.startswith("&"):
            in_synset = True
            continue
        if stripped.startswith("~"):
            stats["skipped.transformation"] += 1
            continue
        if stripped.startswith("-"):
            in_synset = False
            if block is None:
                stats["skipped.stray"] += 1
                continue
            stats["lines.pattern"] += 1
            constraint = _pattern(stripped[1:], known_codes, stats)
            if constraint is not None:
                block.patterns.append(constraint)
            continue
        if in_synset and stripped.startswith("+"):
            continue
        if block is None:
            stats["skipped.stray"] += 1
            continue
        in_synset = False
        verb = _verb(stripped)
        if verb is None:
            stats["verbs.skipped"] += 1
        else:
            stats["verbs"] += 1
            block.verbs.append(verb)
    if block is not None:
        _emit_verbs(block, built, known_codes, stats)
    if not built:
        raise DataFileError(str(path), 0, "", "verb blocks '--- NAME [CODE] ---' with verbs")
    patterns = {lemma: tuple(sorted(rows.values(), key=lambda p: -p.specificity))
                for lemma, rows in built.items()}
    return PetrarchVerbs(patterns, stats)


def _verb(text: str) -> tuple[str, str, str, str] | None:
    code_match = re.search(r"\[([^\]]*)\]", text)
    own = code_match.group(1).strip() if code_match else ""
    phrase = text.split("{", 1)[0].split("[", 1)[0].strip()
    words = [w for w in re.split(r"[_\s]+", phrase) if w]
    if not words:
        return None
    if len(words) == 1:
        word = words[0].lstrip("+")
        return (word.lower(), "", "", own) if _WORD_RE.fullmatch(word) else None
    if not words[0].startswith("+") or len(words) != 2:
        return None  # pre-compounded (WIRE_+TAP) or longer phrases
    lemma, second = words[0][1:].lower(), words[1].lower()
    if not _WORD_RE.fullmatch(lemma):
        return None
    if second in PARTICLES:
        return lemma, second, "", own
    if second in PREPOSITIONS:
        return lemma, "", second, own
    return None


def _pattern(text: str, known: Container[str], stats: Counter[str]) -> _Constraint | None:
    match = re.search(r"\[([^\]]*)\]", text)
    if match is None:
        stats["skipped.no_code"] += 1
        return None
    code = match.group(1).strip()
    if code not in known:
        stats["skipped.code"] += 1
        return None
    items: list[str] = re.findall(r"\([^)]*\)|\{[^}]*\}|[^\s(){}]+", text[:match.start()])
    if "*" not in items:
        stats["skipped.complex"] += 1
        return None
    star = items.index("*")
    if any(item != "$" for item in items[:star]):
        stats["skipped.preverb"] += 1
        return None
    post = items[star + 1:]
    particle = obj = prep = ""
    i = 0

    def bare(index: int) -> str:
        if index < len(post) and _WORD_RE.fullmatch(post[index]):
            return post[index].lower()
        return ""

    if bare(i) in PARTICLES:
        particle, i = bare(i), i + 1
    word = bare(i)
    if word and word not in PARTICLES | PREPOSITIONS and not _not_a_noun(word):
        obj, i = word, i + 1
    if i < len(post) and post[i].startswith("("):
        inner = post[i][1:-1].split()
        if len(inner) == 1 and inner[0].lower() in PREPOSITIONS:
            prep, i = inner[0].lower(), i + 1
    elif bare(i) in PREPOSITIONS:
        prep, i = bare(i), i + 1
        if i < len(post) and post[i] == "+":
            i += 1
    elif i < len(post) and post[i] == "+" and not (obj or particle):
        i += 1
    if i != len(post):
        stats["skipped.complex"] += 1
        return None
    if not (particle or obj or prep):
        stats["skipped.unconstrained"] += 1
        return None
    stats["lines.converted"] += 1
    return _Constraint(particle, prep, frozenset({obj}) if obj else frozenset(), code)


def _not_a_noun(word: str) -> bool:
    """Adverbs and past participles that old TABARI patterns list after the verb."""
    return word.endswith("ly") or (len(word) > 4 and word.endswith("ed"))


def _emit_verbs(
    block: _VerbBlock, built: dict[str, dict[tuple[str, str, frozenset[str]], VerbPattern]],
    known: Container[str], stats: Counter[str],
) -> None:
    for lemma, particle, prep, own in block.verbs:
        code = own or block.code
        if code in known:
            _add_pattern(built, lemma, _Constraint(particle, prep, frozenset(), code), stats,
                         "patterns.bare")
        elif code != "---":
            stats["verbs.unknown_code"] += 1
        if particle or prep:
            continue  # block patterns are not combined with multi-word verbs
        for constraint in block.patterns:
            _add_pattern(built, lemma, constraint, stats, "patterns.constrained")


def _add_pattern(
    built: dict[str, dict[tuple[str, str, frozenset[str]], VerbPattern]], lemma: str,
    constraint: _Constraint, stats: Counter[str], counter_key: str,
) -> None:
    rows = built[lemma]
    key = (constraint.particle, constraint.prep, constraint.objects)
    existing = rows.get(key)
    if existing is not None:
        stats["patterns.duplicate" if existing.code == constraint.code
              else "patterns.conflict"] += 1
        return
    target = (f"prep:{constraint.prep}",) if constraint.prep else ("dobj",)
    rows[key] = VerbPattern(f"petr.{lemma}.{len(rows) + 1}", lemma, constraint.particle,
                            constraint.prep, constraint.objects, target, constraint.code)
    stats[counter_key] += 1
