"""The seed article as a golden case: what must be coded, and what must never be asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from foreshock.ingest.readers import iter_raw
from foreshock.normalize.validate import to_article
from foreshock.pipeline import Context, code_document
from foreshock.records import Article, Event, Modality

HERE = Path(__file__).parent
CASE = json.loads((HERE / "seed_000.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed_events(ctx: Context) -> list[Event]:
    raws = list(iter_raw([str(HERE / CASE["file"])]))
    assert len(raws) == 1
    article = to_article(raws[0])
    assert isinstance(article, Article), article
    assert str(article.date) == "2021-12-02"
    assert "Read more" not in article.text, "the stray link line is boilerplate"
    return list(code_document(article, ctx).events)


def _matches(event: Event, source: str, target: str | None, root: str, undirected: bool) -> bool:
    if event.root != root or event.modality is not Modality.ASSERTED:
        return False
    if event.source == source and (target is None or event.target == target):
        return True
    return undirected and event.source == target and event.target == source


@pytest.mark.parametrize("item", CASE["expect"], ids=lambda i: f"{i['source']}-{i['target']}-"
                         f"{'/'.join(i['roots'])}")
def test_expected_event(seed_events: list[Event], item: dict[str, object]) -> None:
    roots = item["roots"]
    assert isinstance(roots, list)
    found = [e for e in seed_events
             if any(_matches(e, str(item["source"]), item["target"],  # type: ignore[arg-type]
                             r, bool(item.get("undirected"))) for r in roots)]
    coded = [(e.source, e.target, e.code, e.modality.value) for e in seed_events]
    assert found, f"{item['why']} -- coded: {coded}"


@pytest.mark.parametrize("item", CASE["forbid"], ids=lambda i: f"{i['source']}-{i['root']}")
def test_forbidden_event(seed_events: list[Event], item: dict[str, object]) -> None:
    bad = [e for e in seed_events
           if _matches(e, str(item["source"]), item["target"],  # type: ignore[arg-type]
                       str(item["root"]), False)]
    assert not bad, f"{item['why']} -- asserted: {[(e.code, e.sentence) for e in bad]}"


def test_every_event_cites_its_sentence(seed_events: list[Event]) -> None:
    text = to_article(next(iter_raw([str(HERE / CASE["file"])]))).text  # type: ignore[union-attr]
    for event in seed_events:
        assert event.sentence.strip()
        assert text[event.start:event.end] == event.trigger
        assert event.pattern and event.extractor.startswith("rules.v42")
