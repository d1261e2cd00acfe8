"""Shared fixtures.  The spaCy pipeline and dictionaries load once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from foreshock.pipeline import Context, code_document, load_context
from foreshock.records import Article, Event
from foreshock.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def ctx() -> Context:
    # the rules coder: the unit and golden tests pin what the rules do, sentence by sentence;
    # the default coder (hybrid) adds the classifier's events on top (tests of its own)
    return load_context(Settings(coder="rules"))


@pytest.fixture(scope="session")
def code_text(ctx: Context):  # type: ignore[no-untyped-def]
    """Code a text as one article dated ``day``; returns its events."""

    def run(text: str, day: str = "2022-01-15", url: str | None = None) -> list[Event]:
        # ``url``: the outlet, whose voice "we" and "our" are (data/actors/speakers.tsv)
        date = dt.date.fromisoformat(day)
        published = dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)
        return list(code_document(Article("test", date, published, text, url=url),
                                  ctx).events)

    return run


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not present (../shared beside the checkout)")
    return path
