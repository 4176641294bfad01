"""The store's tables, as versioned migrations: a new store runs steps 1..N in order (an older store is upgraded by
what it holds, store_upgrade, as releases numbered the steps differently)."""

from __future__ import annotations

import pyarrow as pa

from geodrift.conflict_schema import CONFLICT_TABLES
from geodrift.events import EVENT_SCHEMA, PRECISION_COLUMNS
from geodrift.units_sql import (
    CLUSTER_ROLLUP_DDL,
    KNOWN_AT,
    ROLLUP_DDL,
    cluster_rollups_sql,
    country_days_sql,
    country_months_sql,
    dyad_days_sql,
    dyad_months_sql,
    report_units,
    rollup_sql,
)

SCHEMA_VERSION = 17

DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
    pa.int8(): "TINYINT",
    pa.int32(): "INTEGER",
    pa.float32(): "REAL",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
}


def _events_ddl(table: str, fields: list[pa.Field]) -> str:
    return f"CREATE TABLE {table} (" + ", ".join(f"{f.name} {DUCK_TYPES[f.type]}" for f in fields) \
        + ", file_id INTEGER NOT NULL)"


_EVENTS_1 = [f for f in EVENT_SCHEMA if f.name not in PRECISION_COLUMNS]
"""The events columns of schema 1..10: every canonical column but the date precisions (migration 11)."""
# The rule schema 10 read month-only dates by, which migration 11 stores for the rows it finds: a curated record
# dated on a 1st was taken as dated to its month, a curated publication at midnight on a 1st as published in that
# month. That rule misreads the curated day-precision records on a 1st: after the migrations, store_precision gives
# every row of a curated file still readable its record's own precision (and counts those it cannot check); a lake
# reads its older files by the rule (lake.OLD_PRECISION).
OLD_EVENT_PRECISION = ("CASE WHEN source = 'curated' AND dayofmonth(event_date) = 1 THEN 'month' "
                       "WHEN event_date IS NOT NULL THEN 'day' END")
OLD_ADDED_PRECISION = ("CASE WHEN source = 'curated' AND date_added = date_trunc('month', date_added) THEN 'month' "
                       "WHEN date_added IS NOT NULL THEN 'day' END")

_PRECISIONS_ADDED = [*(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {c} VARCHAR" for c in PRECISION_COLUMNS),
                     f"UPDATE events SET event_date_precision = {OLD_EVENT_PRECISION}, "
                     f"date_added_precision = {OLD_ADDED_PRECISION}"]
"""The precision columns, filled by the old rule, in a store older than schema 8, whose migration 8 reads events
through units_sql (which reads them); migration 11 fills and orders them. A new store has them from migration 1."""

_JSONL_LINE = r"^file:(.*) line \d+$"
"""A coded document read from a line of a file (a JSONL record): its path is the first group."""

_ON_A_FIRST = "dayofmonth(event_date) = 1"
"""Where a rollup row can hold reports dated only to a month or a year (stored on the period's first day)."""
_FOLDED_ON_A_FIRST = (f"{_ON_A_FIRST} AND file_id <= (SELECT CAST(value AS INTEGER) FROM meta "
                      "WHERE key = 'aggregated_file_id')")
_PRECISION_IN_ROLLUPS = [
    *(f"ALTER TABLE {prefix}{table} ADD COLUMN IF NOT EXISTS dated VARCHAR" for prefix in ("", "cluster_")
      for table in ("dyad_days", "country_days", "dyad_months", "country_months")),
    "ALTER TABLE cluster_units ADD COLUMN IF NOT EXISTS event_date_precision VARCHAR",
    # The reports' day rows on a 1st are summed again from the folded reports; every other row is a day's.
    f"""DELETE FROM dyad_days WHERE {_ON_A_FIRST}""",
    f"""DELETE FROM country_days WHERE {_ON_A_FIRST}""",
    *(f"INSERT INTO {table} {build(report_units(_FOLDED_ON_A_FIRST))}"
      for table, build in (("dyad_days", dyad_days_sql), ("country_days", country_days_sql))),
    # The clusters dated to a 1st are collapsed again (their first day's precision), then their day rows summed.
    f"CREATE OR REPLACE TEMP TABLE m16_clusters AS SELECT DISTINCT cluster_id FROM cluster_units WHERE {_ON_A_FIRST}",
    "DELETE FROM cluster_units WHERE cluster_id IN (SELECT cluster_id FROM m16_clusters)",
    f"INSERT INTO cluster_units {rollup_sql('c.cluster_id IN (SELECT cluster_id FROM m16_clusters)')}",
    "DROP TABLE m16_clusters",
    "UPDATE cluster_units SET event_date_precision = 'day' WHERE event_date_precision IS NULL",
    f"DELETE FROM cluster_dyad_days WHERE {_ON_A_FIRST}",
    f"DELETE FROM cluster_country_days WHERE {_ON_A_FIRST}",
    *(f"INSERT INTO {table} {build(f'(SELECT * FROM cluster_units WHERE {_ON_A_FIRST})')}"
      for table, build in (("cluster_dyad_days", dyad_days_sql), ("cluster_country_days", country_days_sql))),
    *(f"UPDATE {table} SET dated = 'day' WHERE dated IS NULL" for table in ("dyad_days", "country_days",
                                                                              "cluster_dyad_days", "cluster_country_days")),
    # The month rows, summed again from the days.
    *(statement for prefix in ("", "cluster_") for statement in (
        f"DELETE FROM {prefix}dyad_months", f"INSERT INTO {prefix}dyad_months {dyad_months_sql(f'{prefix}dyad_days')}",
        f"DELETE FROM {prefix}country_months",
        f"INSERT INTO {prefix}country_months {country_months_sql(f'{prefix}country_days')}")),
]
"""Migration 16's second part: the rollups' ``dated`` and ``cluster_units.event_date_precision``, filled."""

MIGRATIONS: dict[int, list[str]] = {
    1: [
    "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    "CREATE SEQUENCE file_ids START 1",
    """CREATE TABLE ingested_files (
        file_id INTEGER PRIMARY KEY,
        format VARCHAR NOT NULL,
        location VARCHAR NOT NULL,
        checksum VARCHAR NOT NULL,
        size_bytes BIGINT,
        rows_accepted BIGINT NOT NULL DEFAULT 0,
        rows_duplicate BIGINT NOT NULL DEFAULT 0,
        rows_rejected BIGINT NOT NULL DEFAULT 0,
        status VARCHAR NOT NULL,
        message VARCHAR,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP
    )""",
    _events_ddl("events", list(EVENT_SCHEMA)),
    "CREATE TABLE quarantine (file_id INTEGER NOT NULL, line BIGINT, raw VARCHAR, reason VARCHAR NOT NULL)",
],
    # Dyad-day and country-day aggregates, maintained with every append: dyad series read a few
    # thousand aggregate rows instead of scanning every event (docs/schema.md, "Aggregates").
    2: [
        """CREATE TABLE dyad_days (actor1_country VARCHAR, actor2_country VARCHAR, event_date DATE,
            quad_class TINYINT, modality VARCHAR, events BIGINT, weight DOUBLE, gw DOUBLE, gsum DOUBLE,
            tone_sum DOUBLE, tone_n BIGINT)""",
        """CREATE TABLE country_days (country VARCHAR, event_date DATE, modality VARCHAR, events BIGINT,
            weight DOUBLE)""",
        "CREATE TABLE dyad_months AS SELECT * FROM dyad_days LIMIT 0",
        "CREATE TABLE country_months AS SELECT * FROM country_days LIMIT 0",
        "INSERT INTO meta VALUES ('aggregated_file_id', '0')",
    ],
    # Every report of a text-coded event: the event keeps one evidence in its own columns, all of them here.
    3: [
        """CREATE TABLE evidence (event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, url VARCHAR,
            outlet VARCHAR, published DATE, sentence VARCHAR, start_offset INTEGER, end_offset INTEGER)""",
    ],
    # Issued forecasts with the backtest record of the model that made them (briefings read them).
    4: [
        """CREATE TABLE forecasts (issued_at TIMESTAMP NOT NULL, as_of DATE NOT NULL, task VARCHAR NOT NULL,
            unit VARCHAR NOT NULL, horizon INTEGER NOT NULL, horizon_unit VARCHAR NOT NULL, k INTEGER,
            threshold DOUBLE, model VARCHAR NOT NULL, p DOUBLE, mean DOUBLE, lo DOUBLE, hi DOUBLE,
            skill_climatology DOUBLE, skill_persistence DOUBLE, backtest_forecasts INTEGER)""",
    ],
    # Event clusters: every report belongs to one cluster (one real-world happening); maintained after each ingest
    # by geodrift.clustering (docs/methods.md, "Event clusters"). cluster_summary has one row per cluster.
    5: [
        "CREATE TABLE clusters (event_id VARCHAR NOT NULL, cluster_id VARCHAR NOT NULL, block VARCHAR NOT NULL, "
        "day DATE NOT NULL)",
        """CREATE TABLE cluster_summary (cluster_id VARCHAR NOT NULL, first_date DATE, last_date DATE,
            side_a VARCHAR, side_b VARCHAR, mutual BOOLEAN, root VARCHAR, event_code VARCHAR, quad_class TINYINT,
            goldstein DOUBLE, modality VARCHAR, place VARCHAR, place_country VARCHAR, reports BIGINT,
            datasets VARCHAR[], outlets VARCHAR[], outlet_countries VARCHAR[], sources BIGINT,
            first_reported TIMESTAMP, sides_only BOOLEAN, witness_country VARCHAR)""",
        "INSERT INTO meta VALUES ('clustered_file_id', '0')",
    ],
    # The daily service (geodrift update/watch): feeds, a record per fetch, conditional-request validators, articles
    # already coded, runs, small key-value state, and alerts with their webhook deliveries (docs/service.md).
    6: [
        """CREATE TABLE feeds (url VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, outlet VARCHAR, country VARCHAR,
            language VARCHAR, added_at TIMESTAMP NOT NULL)""",
        "CREATE TABLE http_validators (url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR, saved_at TIMESTAMP)",
        "CREATE SEQUENCE fetch_ids START 1",
        """CREATE TABLE fetches (fetch_id BIGINT PRIMARY KEY, run_id VARCHAR NOT NULL, url VARCHAR NOT NULL,
            kind VARCHAR NOT NULL, started_at TIMESTAMP NOT NULL, seconds DOUBLE, outcome VARCHAR NOT NULL,
            http_status INTEGER, bytes BIGINT, new_articles INTEGER, new_events INTEGER, reason VARCHAR)""",
        """CREATE TABLE seen_articles (seen_key VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, url VARCHAR,
            feed_url VARCHAR, first_seen TIMESTAMP NOT NULL)""",
        """CREATE TABLE service_runs (run_id VARCHAR PRIMARY KEY, started_at TIMESTAMP NOT NULL, finished_at TIMESTAMP,
            now TIMESTAMP NOT NULL, status VARCHAR NOT NULL, summary VARCHAR)""",
        "CREATE TABLE service_state (key VARCHAR PRIMARY KEY, value VARCHAR)",
        "CREATE SEQUENCE alert_ids START 1",
        """CREATE TABLE alerts (alert_id BIGINT PRIMARY KEY, alert_key VARCHAR NOT NULL UNIQUE, kind VARCHAR NOT NULL,
            subject VARCHAR NOT NULL, title VARCHAR NOT NULL, summary VARCHAR, period DATE, created_at TIMESTAMP NOT NULL,
            run_id VARCHAR, evidence VARCHAR)""",
        """CREATE TABLE alert_deliveries (alert_id BIGINT NOT NULL, target VARCHAR NOT NULL, status VARCHAR NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_error VARCHAR, updated_at TIMESTAMP,
            PRIMARY KEY (alert_id, target))""",
    ],
    # Conflict history (UCDP conflict-years and battle deaths, COW disputes, GED deaths): their own tables, not
    # events (geodrift/conflict_schema.py; docs/schema.md, "Conflict history").
    7: [
        f"CREATE TABLE {t.name} (" + ", ".join(f"{f.name} {DUCK_TYPES[f.type]}" for f in t.schema)
        + ", file_id INTEGER NOT NULL)"
        for t in CONFLICT_TABLES
    ],
    # The per-cluster rollup (geodrift.cluster_units): what measures read when they count clusters, the default unit
    # (docs/schema.md, "Cluster rollup"); filled here from the clusters an older store already has.
    8: [*_PRECISIONS_ADDED, ROLLUP_DDL, f"INSERT INTO cluster_units {rollup_sql('TRUE')}"],
    # The first and last event id of each file's stored rows: the duplicate check of an append reads only the files
    # whose range meets the new files' (geodrift.direct; docs/schema.md, "Identity and re-ingest").
    9: ["CREATE TABLE event_id_ranges (file_id INTEGER NOT NULL, first_id VARCHAR, last_id VARCHAR, rows BIGINT NOT NULL)",
        "INSERT INTO event_id_ranges SELECT file_id, min(event_id), max(event_id), count(*) FROM events GROUP BY file_id"],
    # The cluster rollup per dyad and per country, day and month (units_sql.CLUSTER_ROLLUPS): a dyad series by
    # clusters reads them as a series by reports reads dyad_days; built here from an older store's cluster_units,
    # without clustering again (docs/schema.md, "Cluster rollup").
    10: [*CLUSTER_ROLLUP_DDL, *cluster_rollups_sql()],
    # The precision of event_date and date_added (day, month, year): a record dated "2020-09" is stored on the 1st
    # and read as dated to its month by this column, not by its day (units_sql.MONTH_ONLY, PUBLISHED). The table is
    # rebuilt so its columns stay in EVENT_SCHEMA's order, which appends insert by; old rows get the old rule (a new
    # store, whose events has the columns from migration 1 and no rows yet, is rebuilt empty).
    11: [_events_ddl("events_v11", list(EVENT_SCHEMA)),
         f"INSERT INTO events_v11 SELECT {', '.join(f.name for f in _EVENTS_1)}, {OLD_EVENT_PRECISION}, "
         f"{OLD_ADDED_PRECISION}, file_id FROM events",
         "DROP TABLE events",
         "ALTER TABLE events_v11 RENAME TO events"],
    # (12 is unused: a narrower events table was measured on a branch and not merged; docs/scaling.md.)
    # The documents coded into the store, so re-coding one replaces its earlier events (store_recode: its URL, else the
    # file it was read from; the article id its evidence carries; a hash of its text). And each cluster's first report
    # by knowledge time (units_sql.KNOWN_AT), not its earliest stored date_added: a month-dated page is known at the
    # month's end (cluster_summary.py).
    13: ["""CREATE TABLE IF NOT EXISTS coded_documents (document VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL,
            content_hash VARCHAR NOT NULL, file_id INTEGER NOT NULL)""",
         f"""UPDATE cluster_summary SET first_reported = k.first_reported
             FROM (SELECT c.cluster_id, min({KNOWN_AT}) AS first_reported FROM clusters AS c JOIN events USING (event_id)
                   GROUP BY c.cluster_id) AS k
             WHERE cluster_summary.cluster_id = k.cluster_id"""],
    # A coded document's URL (what its evidence rows carry; a feed item is known by its guid, its URL is its link), and
    # a URL-less JSONL record's own id scoped to its file (coding.readers.file_scope: "1" of /data/a.jsonl becomes
    # "1@" and 12 hex digits of the path's SHA-256), in the documents and in their evidence where only that document
    # (or only lines of its file) records the id. A text's hash (16 hex digits) is no record id and stays; ids two
    # files' documents of different texts share cannot be told apart and stay too (store_recode asks to re-code those
    # files together).
    14: ["ALTER TABLE coded_documents ADD COLUMN IF NOT EXISTS url VARCHAR",
         "UPDATE coded_documents SET url = document WHERE document NOT LIKE 'file:%'",
         f"""CREATE TEMP TABLE scoped_ids AS SELECT DISTINCT c.article_id AS old_id, c.article_id || '@' || left(sha256(
                 regexp_extract(c.document, '{_JSONL_LINE}', 1)), 12) AS new_id
             FROM coded_documents AS c WHERE regexp_full_match(c.document, '{_JSONL_LINE}')
               AND NOT regexp_full_match(c.article_id, '[0-9a-f]{{16}}|.*@[0-9a-f]{{12}}')
               AND NOT EXISTS (SELECT 1 FROM coded_documents AS o WHERE o.article_id = c.article_id
                               AND regexp_replace(o.document, ' line \\d+$', '')
                                   <> regexp_replace(c.document, ' line \\d+$', ''))""",
         "UPDATE coded_documents SET article_id = s.new_id FROM scoped_ids AS s WHERE article_id = s.old_id",
         """UPDATE evidence SET article_id = s.new_id FROM scoped_ids AS s
             WHERE evidence.article_id = s.old_id AND evidence.url IS NULL""",
         """UPDATE events SET evidence_article_id = s.new_id FROM scoped_ids AS s
             WHERE events.evidence_article_id = s.old_id AND events.source_url IS NULL""",
         "DROP TABLE scoped_ids"],
    # The data a stored forecast's model was chosen on (forecast/current.py, ``backtest_data``: the sources, units and
    # origins of its backtest), so a briefing can say which record it rests on; older forecasts have none. And the
    # precision of each rollup row's day (``dated``) and of each cluster's first day: a report dated only to a month
    # is stored on its 1st, and daily and weekly series count it apart (units_sql.FINE_ENOUGH).
    16: ["ALTER TABLE forecasts ADD COLUMN IF NOT EXISTS backtest_data VARCHAR", *_PRECISION_IN_ROLLUPS],
    # A feed item's guid scoped to its feed unless it is a web address
    # (service/feeds.py: item_key): RSS guids are unique per channel only, and two outlets' item "1001" were one
    # document, each re-coding the other's. The feed is the one of the file that last stored the document
    # (ingested_files.location "feed:URL"); a link-less item's key (the feed's URL and a hash) is scoped already.
    17: ["""UPDATE coded_documents SET document = substr(f.location, 6) || '#guid:' || coded_documents.document
             FROM ingested_files AS f
             WHERE f.file_id = coded_documents.file_id AND f.location LIKE 'feed:%'
               AND coded_documents.document NOT LIKE 'http://%' AND coded_documents.document NOT LIKE 'https://%'"""],
}
