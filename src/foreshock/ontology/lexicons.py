"""Verb and noun patterns, modality cues and intent mappings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from foreshock.ontology.cameo import CameoTable
from foreshock.ontology.tsv import Row, data_path, read_tsv

TARGET_SPECS = ("dobj", "dative", "none", "between", "poss", "amod", "compound", "self")
MODALITY_KINDS = frozenset({
    "negation", "modal_hyp", "modal_future", "obligation", "conditional", "intent", "pledge",
    "denial", "allege", "report", "hedge", "question", "purpose_done",
})


@dataclass(frozen=True, slots=True)
class VerbPattern:
    pattern_id: str
    lemma: str
    particle: str
    prep: str
    objects: frozenset[str]
    target: tuple[str, ...]
    code: str

    @property
    def specificity(self) -> int:
        """More constrained rows win: an object constraint beats a particle or preposition."""
        return 4 * bool(self.objects) + 2 * bool(self.particle) + bool(self.prep)


@dataclass(frozen=True, slots=True)
class NounPattern:
    pattern_id: str
    lemma: str
    code: str
    source: tuple[str, ...]
    target: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, tuple[VerbPattern, ...]]
    nouns: dict[str, tuple[NounPattern, ...]]
    modality: dict[str, str]
    intent: tuple[tuple[str, str], ...]  # (action-code prefix, intent code), longest first
    #: (action-code prefix, reject code), longest first: "X will not meet Y" is 125
    refusal: tuple[tuple[str, str], ...] = ()
    #: verb forms the model lemmatises wrongly -> the right lemma ("staged" -> "stage")
    lemmas: dict[str, str] = field(default_factory=dict)

    def intent_code(self, action_code: str) -> str | None:
        return _by_prefix(self.intent, action_code)

    def refusal_code(self, action_code: str) -> str | None:
        return _by_prefix(self.refusal, action_code)


def _by_prefix(table: tuple[tuple[str, str], ...], action_code: str) -> str | None:
    for prefix, code in table:
        if action_code.startswith(prefix):
            return code
    return None


def _specs(row: Row, key: str, default: str) -> tuple[str, ...]:
    value = row.get(key) or default
    specs = tuple(part.strip() for part in value.split("|") if part.strip())
    for spec in specs:
        if spec not in TARGET_SPECS and not spec.startswith("prep:"):
            raise row.fail(key, f"'|'-separated items from {', '.join(TARGET_SPECS)}, prep:X")
    return specs


def _known_code(row: Row, key: str, cameo: CameoTable) -> str:
    code = row.get(key)
    if code not in cameo:
        raise row.fail(key, "a code listed in cameo/codes.tsv")
    return code


def load_lexicon(cameo: CameoTable, directory: Path | None = None) -> Lexicon:
    base = directory or data_path("lexicons")
    verbs: dict[str, list[VerbPattern]] = defaultdict(list)
    seen: set[str] = set()
    for row in read_tsv(base / "verbs.tsv", ("id", "lemma", "code")):
        pattern_id = row.get("id")
        if pattern_id in seen:
            raise row.fail("id", "a pattern id not used before")
        seen.add(pattern_id)
        objects = frozenset(o.strip().lower() for o in row.get("obj").split("|") if o.strip())
        verbs[row.get("lemma").lower()].append(VerbPattern(
            pattern_id, row.get("lemma").lower(), row.get("particle").lower(),
            row.get("prep").lower(), objects, _specs(row, "target", "dobj"),
            _known_code(row, "code", cameo)))
    nouns: dict[str, list[NounPattern]] = defaultdict(list)
    for row in read_tsv(base / "nouns.tsv", ("id", "lemma", "code")):
        pattern_id = row.get("id")
        if pattern_id in seen:
            raise row.fail("id", "a pattern id not used before")
        seen.add(pattern_id)
        nouns[row.get("lemma").lower()].append(NounPattern(
            pattern_id, row.get("lemma").lower(), _known_code(row, "code", cameo),
            _specs(row, "source", "poss|amod|prep:by"), _specs(row, "target", "prep:of")))
    modality: dict[str, str] = {}
    for row in read_tsv(base / "modality.tsv", ("cue", "kind")):
        if row.get("kind") not in MODALITY_KINDS:
            raise row.fail("kind", f"one of {', '.join(sorted(MODALITY_KINDS))}")
        modality[row.get("cue").lower()] = row.get("kind")
    intent: list[tuple[str, str]] = []
    for row in read_tsv(base / "intent.tsv", ("prefix", "code")):
        intent.append((row.get("prefix"), _known_code(row, "code", cameo)))
    intent.sort(key=lambda item: -len(item[0]))
    refusal = [(row.get("prefix"), _known_code(row, "code", cameo))
               for row in read_tsv(base / "refusal.tsv", ("prefix", "code"))]
    refusal.sort(key=lambda item: -len(item[0]))
    lemmas = {row.get("form").lower(): row.get("lemma").lower()
              for row in read_tsv(base / "lemmas.tsv", ("form", "lemma"))}
    return Lexicon(
        {k: tuple(sorted(v, key=lambda p: -p.specificity)) for k, v in verbs.items()},
        {k: tuple(v) for k, v in nouns.items()},
        modality,
        tuple(intent),
        tuple(refusal),
        lemmas,
    )
