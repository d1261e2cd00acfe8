"""Ingest: read raw articles from files, directories and stdin."""

from foreshock.ingest.readers import iter_raw

__all__ = ["iter_raw"]
