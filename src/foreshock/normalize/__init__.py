"""Normalize: parse dates, clean text and validate raw articles into Articles."""

from foreshock.normalize.dates import parse_published, parse_relative
from foreshock.normalize.text import clean_text, load_boilerplate
from foreshock.normalize.validate import to_article

__all__ = ["clean_text", "load_boilerplate", "parse_published", "parse_relative", "to_article"]
