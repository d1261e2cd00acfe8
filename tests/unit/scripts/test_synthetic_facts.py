"""bench/synthetic.py's facts: what each political sentence says, for building a database
with events without the coder (tests/integration/live_server.py)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from types import ModuleType

from foreshock.ontology.cameo import load_cameo


def test_facts_are_sentences_of_the_article_in_order_with_their_doer(
        script: Callable[[str], ModuleType]) -> None:
    synthetic = script("bench/synthetic.py")
    gen = synthetic.Generator(7, synthetic.dt.date(2022, 1, 1), 30)
    cameo = load_cameo()
    seen = 0
    for number in range(40):
        record, topic = gen.article(number)
        assert bool(gen.facts) <= (topic == "politics")
        cursor = 0
        for fact in gen.facts:
            at = record["text"].find(fact.sentence, cursor)
            assert at >= 0, fact
            cursor = at + len(fact.sentence)
            assert re.search(re.escape(fact.subject) + r" \w+", fact.sentence, re.I), fact
            assert fact.code in cameo and fact.source != fact.target
            assert fact.modality in ("asserted", "negated", "hypothetical", "future")
            seen += 1
    assert seen > 100


def test_recording_facts_draws_nothing_the_articles_stay_the_same(
        script: Callable[[str], ModuleType]) -> None:
    """The first 50 articles of the default seed, as the generator wrote them before it
    recorded facts (sha256 of their JSON, computed with that version)."""
    synthetic = script("bench/synthetic.py")
    gen = synthetic.Generator(20220224, synthetic.dt.date(2021, 11, 1), 150)
    digest = hashlib.sha256()
    for number in range(50):
        digest.update(json.dumps(gen.article(number)[0]).encode())
    assert digest.hexdigest()[:16] == "bd2c75f881b4f97b"
