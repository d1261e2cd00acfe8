"""Who "we" is: outlets that speak for an actor (data/actors/speakers.tsv)."""

from __future__ import annotations

import datetime as dt

from foreshock.ontology.actors import load_actors
from foreshock.pipeline import Context, code_document
from foreshock.records import Article


def test_the_speaker_is_found_by_host_and_parent_domains() -> None:
    actors = load_actors()
    assert actors.speaker("https://www.president.gov.ua/en/news/x") == ("UKR", "GOV")
    assert actors.speaker("https://bidenwhitehouse.archives.gov/briefing-room/x")[0] == "USA"
    assert actors.speaker("https://www.bbc.co.uk/news/x") is None
    assert actors.speaker(None) is None


def _code(ctx: Context, text: str, url: str | None) -> set[tuple[str | None, str | None, str]]:
    day = dt.date(2022, 3, 1)
    article = Article("t", day, dt.datetime(2022, 3, 1, tzinfo=dt.UTC), text, url=url)
    return {(e.source, e.target, e.root) for e in code_document(article, ctx).events
            if e.modality == "asserted"}


def test_first_person_is_the_outlet_only_where_it_speaks_for_one(ctx: Context) -> None:
    # invented sentence: a White House statement condemns in the first person
    text = "We strongly condemn Russia's attack on the people of Kharkiv."
    assert ("USA", "RUS", "11") in _code(ctx, text, "https://www.whitehouse.gov/briefing/x")
    # the same words in a newspaper: nobody to attribute them to
    assert not {e for e in _code(ctx, text, "https://news.example.com/x") if e[0] == "USA"}
