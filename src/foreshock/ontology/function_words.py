"""Function words (data/lexicons/function_words.tsv): the closed English word lists of the
parse walks.

The rules ask of a token whether it is a light verb, a preposition of time, a pronoun, a
noun of quantity or of place; those words are data, versioned and hashed with the other
lexicons, not sets in the code.  Grammar (dependency labels, POS tags, CAMEO codes) stays in
the code.  The bundled file is read once per process (``function_words``); the sets are
frozen, so modules bind them at import.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from pathlib import Path

from foreshock.errors import DataFileError
from foreshock.ontology.tsv import data_path, read_tsv

FILE_NAME = "function_words.tsv"


@dataclass(frozen=True, slots=True)
class FunctionWords:
    """One frozen set per list of the file (what each is for: the file's header)."""

    object_control_verbs: frozenset[str]
    support_verbs: frozenset[str]
    aspect_verbs: frozenset[str]
    reciprocal_verbs: frozenset[str]
    with_mutual_verbs: frozenset[str]
    document_nouns: frozenset[str]
    condition_nouns: frozenset[str]
    doer_modifiers: frozenset[str]
    threat_verbs: frozenset[str]
    holding_verbs: frozenset[str]
    troop_nouns: frozenset[str]
    quantity_nouns: frozenset[str]
    count_nouns: frozenset[str]
    quantity_heads: frozenset[str]
    border_nouns: frozenset[str]
    pair_nouns: frozenset[str]
    pair_plurals: frozenset[str]
    relational_nouns: frozenset[str]
    counterpart_nouns: frozenset[str]
    place_nouns: frozenset[str]
    setting_nouns: frozenset[str]
    directions: frozenset[str]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    first_person_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    time_marks: frozenset[str]
    owner_preps: frozenset[str]
    located_preps: frozenset[str]
    loose_preps: frozenset[str]
    reference_preps: frozenset[str]
    adjunct_preps: frozenset[str]
    scene_preps: frozenset[str]
    time_preps: frozenset[str]
    place_preps: frozenset[str]
    aimed_preps: frozenset[str]
    other_event_preps: frozenset[str]
    courtesy_verbs: frozenset[str]
    performative_verbs: frozenset[str]
    audience_nouns: frozenset[str]
    domestic_nouns: frozenset[str]
    agent_nouns: frozenset[str]
    topic_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    readout_nouns: frozenset[str]
    hazard_nouns: frozenset[str]
    hazard_verbs: frozenset[str]
    cause_links: frozenset[str]
    crowd_nouns: frozenset[str]
    home_modifiers: frozenset[str]
    person_pair_nouns: frozenset[str]
    accord_verbs: frozenset[str]
    pair_determiners: frozenset[str]
    origin_preps: frozenset[str]
    ongoing_preps: frozenset[str]
    travel_words: frozenset[str]
    own_people_nouns: frozenset[str]
    topic_nouns: frozenset[str]
    topic_preps: frozenset[str]
    wh_words: frozenset[str]
    appeal_preps: frozenset[str]
    show_verbs: frozenset[str]
    title_meeting_words: frozenset[str]
    title_call_words: frozenset[str]
    title_call_marks: frozenset[str]
    casualty_verbs: frozenset[str]
    casualty_preps: frozenset[str]
    foe_preps: frozenset[str]
    launch_verbs: frozenset[str]
    munition_nouns: frozenset[str]
    indefinite_articles: frozenset[str]
    singular_counts: frozenset[str]
    victim_nouns: frozenset[str]
    bomber_nouns: frozenset[str]
    gratitude_words: frozenset[str]
    cause_preps: frozenset[str]
    enemy_preps: frozenset[str]
    contest_nouns: frozenset[str]
    struggle_verbs: frozenset[str]
    campaign_objects: frozenset[str]
    campaign_verbs: frozenset[str]
    addressee_pronouns: frozenset[str]
    they_pronouns: frozenset[str]
    formula_objects: frozenset[str]
    inquiry_nouns: frozenset[str]
    privative_preps: frozenset[str]
    pledge_struggle_verbs: frozenset[str]
    subject_negators: frozenset[str]
    forum_preps: frozenset[str]
    occasion_preps: frozenset[str]
    occasion_verbs: frozenset[str]
    span_preps: frozenset[str]
    span_modifiers: frozenset[str]
    defence_verbs: frozenset[str]
    homeland_nouns: frozenset[str]
    operation_nouns: frozenset[str]
    sanction_nouns: frozenset[str]
    sanction_preps: frozenset[str]
    ally_preps: frozenset[str]
    ally_nouns: frozenset[str]
    ally_noun_preps: frozenset[str]
    talk_topic_preps: frozenset[str]
    prompt_preps: frozenset[str]
    prompt_nouns: frozenset[str]
    verb_forum_preps: frozenset[str]
    readout_topic_nouns: frozenset[str]
    readout_topic_preps: frozenset[str]
    past_title_marks: frozenset[str]
    state_nouns: frozenset[str]
    standing_nouns: frozenset[str]
    standing_verbs: frozenset[str]
    manner_suffixes: frozenset[str]
    award_nouns: frozenset[str]
    aiming_participles: frozenset[str]
    aiming_preps: frozenset[str]
    aiming_verbs: frozenset[str]
    gerund_intent_nouns: frozenset[str]
    record_ordinals: frozenset[str]
    headline_place_preps: frozenset[str]


LIST_NAMES = tuple(f.name for f in fields(FunctionWords))


def load_function_words(path: Path | None = None) -> FunctionWords:
    """The lists of ``path`` (default: the bundled file).  A row names a known list and one
    lower-case word, listed once; every list has a row.  Anything else is a DataFileError
    naming the file, the line and the value."""
    path = path or data_path("lexicons", FILE_NAME)
    found: dict[str, set[str]] = {name: set() for name in LIST_NAMES}
    for row in read_tsv(path, ("list", "word")):
        name, word = row.get("list"), row.get("word")
        if name not in found:
            raise row.fail("list", f"a list name, one of {', '.join(LIST_NAMES)}")
        if not word or word != word.lower() or len(word.split()) != 1:
            raise row.fail("word", "one lower-case word")
        if word in found[name]:
            raise row.fail("word", f"a word not listed before in {name}")
        found[name].add(word)
    empty = [name for name, words in found.items() if not words]
    if empty:
        raise DataFileError(str(path), 0, ", ".join(empty), "at least one row for every list")
    return FunctionWords(**{name: frozenset(words) for name, words in found.items()})


@functools.lru_cache(maxsize=1)
def function_words() -> FunctionWords:
    """The bundled function words, read once per process."""
    return load_function_words()
