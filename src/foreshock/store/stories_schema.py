"""Tables and views of the analysis stages: stories, story members, alerts.

Kept apart from ``store/schema.py`` (the coding tables) so analysis can evolve without a
schema-version bump of the coded data: everything here is derived and can be rebuilt from
``articles`` and ``events``.  ``ensure_analysis_schema`` is idempotent.
"""

from __future__ import annotations

import duckdb

from foreshock.records import ARMED_SECTORS

ANALYSIS_TABLES = {
    # what each derived result was computed from (config and data fingerprints)
    "analysis_state": """
        CREATE TABLE IF NOT EXISTS analysis_state (key VARCHAR PRIMARY KEY, value VARCHAR)
    """,
    "story_members": """
        CREATE TABLE IF NOT EXISTS story_members (
            article_id VARCHAR PRIMARY KEY,
            story_id VARCHAR NOT NULL,
            date DATE NOT NULL,
            published TIMESTAMPTZ NOT NULL,
            outlet VARCHAR,
            similarity DOUBLE NOT NULL,
            signature BLOB NOT NULL,
            params VARCHAR NOT NULL
        )
    """,
    "stories": """
        CREATE TABLE IF NOT EXISTS stories (
            story_id VARCHAR PRIMARY KEY,
            first_date DATE NOT NULL,
            last_date DATE NOT NULL,
            num_articles INTEGER NOT NULL,
            num_sources INTEGER NOT NULL,
            title VARCHAR
        )
    """,
    "alerts": """
        CREATE TABLE IF NOT EXISTS alerts (
            alert_id VARCHAR PRIMARY KEY,
            scope VARCHAR NOT NULL,
            dyad VARCHAR NOT NULL,
            directed BOOLEAN NOT NULL,
            date DATE NOT NULL,
            detector VARCHAR NOT NULL,
            signal VARCHAR NOT NULL,
            score DOUBLE NOT NULL,
            threshold DOUBLE NOT NULL,
            value DOUBLE NOT NULL,
            baseline DOUBLE,
            window_events INTEGER NOT NULL,
            window_articles INTEGER NOT NULL,
            dyad_events INTEGER NOT NULL,
            episode_start DATE NOT NULL,
            evidence JSON NOT NULL,
            basis VARCHAR NOT NULL,
            created TIMESTAMPTZ NOT NULL
        )
    """,
}

# Columns added after the first release of the alerts table (alerts.v2: onsets, the war
# state and explanations); added in place to an older database, whose stored alerts are
# recomputed anyway because the detector fingerprint changed.
ALERT_ADDED_COLUMNS = (
    ("kind", "VARCHAR DEFAULT 'escalation'"),
    ("context", "VARCHAR DEFAULT ''"),
    ("stories", "INTEGER DEFAULT 0"),
    ("window_days", "INTEGER DEFAULT 7"),
    ("explanation", "VARCHAR DEFAULT ''"),
)

ANALYSIS_INDEXES = (
    "CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story_id)",
    "CREATE INDEX IF NOT EXISTS alerts_scope_date ON alerts (scope, date)",
)

ALERT_COLUMNS = (
    "alert_id", "scope", "dyad", "directed", "date", "detector", "signal", "score",
    "threshold", "value", "baseline", "window_events", "window_articles", "dyad_events",
    "episode_start", "evidence", "basis", "created",
    *(name for name, _ in ALERT_ADDED_COLUMNS),
)

#: relations an analysis query may read story membership from (never a user string)
MEMBER_RELATIONS = ("story_members", "_fs_members")

# Actor keys of a dyad.  Between countries the country code ("RUS", "UKR").  Inside one
# country, when one side is armed (military or rebels), the code with its sector, CAMEO
# style ("SDNMIL" vs "SDNREB", "RUSGOV" vs "RUSMIL"), so an army fighting a militia or a
# government facing mutineers is a dyad too.  Other domestic events (government and
# citizens, parties, courts: politics, not war) keep equal keys and form no dyad, as does
# an event between two actors of one country and one sector.
_ARMED = ", ".join(f"'{sector}'" for sector in ARMED_SECTORS)
_DOMESTIC = (f"e.source = e.target AND (e.source_sector IN ({_ARMED}) "
             f"OR e.target_sector IN ({_ARMED}))")
SOURCE_KEY = (f"CASE WHEN {_DOMESTIC} THEN e.source || coalesce(e.source_sector, '') "
              "ELSE e.source END")
TARGET_KEY = (f"CASE WHEN {_DOMESTIC} THEN e.target || coalesce(e.target_sector, '') "
              "ELSE e.target END")

# One row per (story, source, target, root) among asserted events, source and target being
# actor keys (above): the earliest mention represents it and its date is the first
# publication date of the story carrying it, so a later reprint neither moves nor
# duplicates it.  event_date is the day the act happened: the earliest day a mention's text
# gives it (a day-precise event date, never after the publication), else the publication
# date.  source_sector/target_sector are the representative mention's (the keys keep them
# only inside one country); lead_index is the earliest sentence of any mention published
# on the story-event's first day (0: some article of that day leads with it; a later
# reprint that leads with it cannot change what was known that day).  {until} is "" or a
# fixed date filter.
_STORY_EVENTS = """
    SELECT story_id, source, target, root, min(date) AS date,
           min(CASE WHEN event_date_precision = 'day' AND event_date <= date
                    THEN event_date ELSE date END) AS event_date,
           {first},
           arg_min(sentence_index, (date, sentence_index)) AS lead_index,
           count(*) AS num_mentions,
           count(DISTINCT article_id) AS num_articles,
           count(DISTINCT coalesce(outlet, '')) AS num_sources
    FROM (
        -- the first mention: by publication, then by what the text says (article,
        -- sentence, the trigger's place, the code and sectors read); the event id, which
        -- hashes the coder's version, last
        SELECT m.story_id, {source_key} AS source, {target_key} AS target, e.root,
               m.date, e.event_date, e.event_date_precision, e.event_id, e.article_id,
               e.code, e.goldstein, e.quad_class, e.sentence, e.source_sector,
               e.target_sector, e.sentence_index, m.outlet,
               (m.date, m.published, e.article_id, e.sentence_index, e.start_char,
                e.end_char, e.code, e.source_sector, e.target_sector, e.event_id)
                   AS first_key
        FROM events e JOIN {members} m ON m.article_id = e.article_id
        WHERE e.modality = 'asserted'{until}
    )
    GROUP BY 1, 2, 3, 4
"""


def story_events_sql(members: str = "story_members", *, until: bool = False) -> str:
    """The story-event relation over ``members`` (allow-listed); with ``until`` the query
    takes one DATE parameter and sees only articles published on or before it."""
    if members not in MEMBER_RELATIONS:
        raise ValueError(f"{members!r}: expected one of {', '.join(MEMBER_RELATIONS)}")
    return _STORY_EVENTS.format(members=members, until=" AND m.date <= ?" if until else "",
                                source_key=SOURCE_KEY, target_key=TARGET_KEY,
                                first=first_mention(
                                    "event_id", "article_id", "code", "goldstein",
                                    "quad_class", "sentence", "source_sector",
                                    "target_sector"))


def first_mention(*columns: str) -> str:
    """SQL selecting each column's value in the first mention of a group (its row with the
    lowest ``first_key``); a column may be ``"value AS name"``."""
    return ",\n".join(f"arg_min({c.split(' AS ')[0]}, first_key) AS {c.split(' AS ')[-1]}"
                       for c in columns)


ANALYSIS_VIEWS = {
    "story_events": "CREATE OR REPLACE VIEW story_events AS " + story_events_sql(),
}


def ensure_analysis_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the analysis tables and views if missing (needs a writable connection)."""
    for ddl in ANALYSIS_TABLES.values():
        con.execute(ddl)
    present = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'alerts'"
    ).fetchall()}
    for name, kind in ALERT_ADDED_COLUMNS:
        if name not in present:
            con.execute(f"ALTER TABLE alerts ADD COLUMN {name} {kind}")
    for ddl in ANALYSIS_INDEXES:
        con.execute(ddl)
    for ddl in ANALYSIS_VIEWS.values():
        con.execute(ddl)


def has_analysis_schema(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name IN "
        "('story_members', 'stories', 'alerts', 'analysis_state')").fetchall()
    return int(rows[0][0]) == 4
