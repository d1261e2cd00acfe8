"""The versioned DuckDB schema."""

from __future__ import annotations

SCHEMA_VERSION = 2

TABLES = {
    "meta": """
        CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)
    """,
    "articles": """
        CREATE TABLE IF NOT EXISTS articles (
            article_id VARCHAR PRIMARY KEY,
            date DATE NOT NULL,
            published TIMESTAMPTZ NOT NULL,
            title VARCHAR, url VARCHAR, outlet VARCHAR,
            source_path VARCHAR, locator VARCHAR,
            text VARCHAR NOT NULL,
            words INTEGER NOT NULL,
            run_id INTEGER NOT NULL,
            coded_version VARCHAR
        )
    """,
    "events": """
        CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY,
            article_id VARCHAR NOT NULL,
            date DATE NOT NULL,
            sentence_index INTEGER NOT NULL,
            sentence VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            source VARCHAR, source_sector VARCHAR,
            target VARCHAR, target_sector VARCHAR,
            code VARCHAR NOT NULL, root VARCHAR NOT NULL,
            goldstein DOUBLE NOT NULL, quad_class TINYINT NOT NULL,
            modality VARCHAR NOT NULL, reported_by VARCHAR,
            pattern VARCHAR NOT NULL, extractor VARCHAR NOT NULL,
            trigger VARCHAR, source_text VARCHAR, target_text VARCHAR,
            run_id INTEGER NOT NULL,
            event_date DATE, event_date_precision VARCHAR,
            place VARCHAR, place_type TINYINT, place_adm1 VARCHAR, place_country VARCHAR,
            place_lat DOUBLE, place_lon DOUBLE, place_id VARCHAR
        )
    """,
    "quarantine": """
        CREATE TABLE IF NOT EXISTS quarantine (
            quarantine_id VARCHAR PRIMARY KEY,
            source_path VARCHAR NOT NULL, locator VARCHAR NOT NULL,
            reason VARCHAR NOT NULL, raw VARCHAR,
            run_id INTEGER NOT NULL
        )
    """,
    "runs": """
        CREATE TABLE IF NOT EXISTS runs (
            run_id INTEGER PRIMARY KEY,
            command VARCHAR NOT NULL,
            started TIMESTAMPTZ NOT NULL,
            finished TIMESTAMPTZ,
            duration_s DOUBLE,
            inputs JSON, counts JSON, versions JSON
        )
    """,
}

INDEXES = (
    "CREATE INDEX IF NOT EXISTS events_article ON events (article_id)",
    "CREATE INDEX IF NOT EXISTS events_date ON events (date)",
)

#: column order of the events table, as the loader writes it (columns added by a migration
#: come last, so a migrated table and a new one agree)
EVENT_COLUMNS = (
    "event_id", "article_id", "date", "sentence_index", "sentence", "start_char", "end_char",
    "source", "source_sector", "target", "target_sector", "code", "root", "goldstein",
    "quad_class", "modality", "reported_by", "pattern", "extractor", "trigger", "source_text",
    "target_text", "run_id", "event_date", "event_date_precision", "place", "place_type",
    "place_adm1", "place_country", "place_lat", "place_lon", "place_id",
)

#: schema version -> the statements that bring a database of that version to the next one
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 1 -> 2: event dates and event locations (issue 11)
    1: tuple(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {column}" for column in (
        "event_date DATE", "event_date_precision VARCHAR", "place VARCHAR",
        "place_type TINYINT", "place_adm1 VARCHAR", "place_country VARCHAR",
        "place_lat DOUBLE", "place_lon DOUBLE", "place_id VARCHAR")),
}
ARTICLE_COLUMNS = ("article_id", "date", "published", "title", "url", "outlet", "source_path",
                   "locator", "text", "words", "run_id", "coded_version")
QUARANTINE_COLUMNS = ("quarantine_id", "source_path", "locator", "reason", "raw", "run_id")
