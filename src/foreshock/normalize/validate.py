"""Turn a RawArticle into an Article, or into a Quarantined record saying why not."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from foreshock.ingest.readers import record_byte_limit, safe_text
from foreshock.normalize.dates import UTC, check_date, parse_published_checked
from foreshock.normalize.text import clean_text, load_boilerplate
from foreshock.records import Article, Quarantined, RawArticle

DEFAULT_MAX_CHARS = 200_000
NO_DATE = ("no date (give --date YYYY-MM-DD, map the field holding it with --column "
           "date=NAME, or start a text file with a 'date YYYY-MM-DD' line)")
EMPTY_TEXT = "empty text"
_RAW_LIMIT = 10_000  # same cap as the readers: enough to recognise a record, bounded size
# Lone surrogates are not characters: no database, file or JSON encoder accepts them.
_SURROGATE = re.compile("[\ud800-\udfff]")


def to_article(
    raw: RawArticle,
    *,
    default_date: dt.date | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    patterns: tuple[re.Pattern[str], ...] | None = None,
) -> Article | Quarantined:
    """Validate and clean one record; content problems become Quarantined, never exceptions.

    A date that is present but unparseable, or outside the plausible range
    (``normalize.dates.check_date``), quarantines the record even when ``default_date`` is
    given: the source is wrong and a substitute date would hide it.  Without an id, the id
    is a hash of date, cleaned text and link, so re-ingesting the same article gives the
    same id.  A text too long to ever pass ``max_chars`` is refused before it is cleaned.
    """
    if raw.problem is not None:
        return _quarantine(raw, raw.problem)
    if default_date is not None:
        check_date(default_date)  # a setting, not a record problem: raises DateRangeError
    if patterns is None:
        patterns = load_boilerplate()
    if raw.text is not None and len(raw.text) > record_byte_limit(max_chars):
        return _quarantine(raw, f"oversize text: {len(raw.text)} characters before cleaning "
                                f"> {record_byte_limit(max_chars)}")
    for name in ("text", "date_text", "article_id", "title", "url", "outlet"):
        value = getattr(raw, name)
        lone = _SURROGATE.search(value) if isinstance(value, str) else None
        if lone is not None:
            return _quarantine(raw, f"lone surrogate {ascii(lone.group())[1:-1]} in {name} "
                                    f"at character {lone.start()}: not a character")
    text = clean_text(raw.text, patterns) if raw.text is not None else ""
    if not text:
        return _quarantine(raw, EMPTY_TEXT)
    if len(text) > max_chars:
        return _quarantine(raw, f"oversize text: {len(text)} characters > {max_chars}")

    date_text = raw.date_text
    if date_text is not None and date_text.strip():
        found = parse_published_checked(date_text)
        if isinstance(found, str):
            why = "" if found == "unparseable" else f": {found}"
            return _quarantine(raw, f"bad date: {date_text!r}{why}")
        published = found
    elif default_date is not None:
        published = dt.datetime.combine(default_date, dt.time(0), tzinfo=UTC)
    else:
        return _quarantine(raw, NO_DATE)

    url = _optional(raw.url)
    return Article(
        article_id=_article_id(raw.article_id, published, text, url),
        date=published.date(),
        published=published,
        text=text,
        title=_optional(raw.title),
        url=url,
        outlet=_optional(raw.outlet),
        source_path=raw.source_path,
        locator=raw.locator,
    )


def content_id(published: dt.datetime, text: str, url: str | None = None) -> str:
    """The id of an article without one: ``sha1:`` + 16 hex digits of date, text and link.

    The link takes part so that two releases with the same body at two addresses stay two
    articles; an article stored without a link keeps its link-less id, and a later record
    with the same text and a link fills that link in (see ``runners/local.py``).
    """
    key = f"{published.date().isoformat()}\n{text}"
    if url:
        key += f"\n{url}"
    digest = hashlib.sha1(key.encode(), usedforsecurity=False)  # an identity, not a secret
    return "sha1:" + digest.hexdigest()[:16]


def derived_id(article: Article) -> bool:
    """True when the article's id is its content id (the record gave none)."""
    return article.article_id == content_id(article.published, article.text, article.url)


def _article_id(given: str | None, published: dt.datetime, text: str, url: str | None) -> str:
    if given is not None and given.strip():
        return given.strip()
    return content_id(published, text, url)


def _optional(value: str | None) -> str | None:
    """Metadata is kept as given, but blank strings mean "absent"."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _quarantine(raw: RawArticle, reason: str) -> Quarantined:
    original = raw.raw or (raw.text or "")[:_RAW_LIMIT]
    return Quarantined(
        source_path=safe_text(raw.source_path), locator=safe_text(raw.locator),
        reason=safe_text(reason), raw=safe_text(original[:_RAW_LIMIT]),
    )
