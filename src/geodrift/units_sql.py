"""What the measures count and when it was known: SQL text shared by the store's rollup and every analytic.

A *unit* is what one count counts. ``reports`` counts stored rows (one GDELT story can be many rows); ``clusters``
counts real-world events (geodrift.clustering): a cluster counts once, on its first day, with its representative
report's CAMEO code, quad class and Goldstein value, weighted by its distinct sources (docs/methods.md, "Units").
A report's *knowledge time* (``known_at``) is when it could first have been read (docs/methods.md, "Knowledge time").
Both are defined here once, as SQL over the ``events`` columns, so the store's rollup, the query vocabulary, the
backtests and every engine (DuckDB, Spark) agree.
"""

from __future__ import annotations

from geodrift.events import EVENT_SCHEMA

UNITS = ("reports", "clusters")
"""What a count counts: stored report rows, or event clusters (the default)."""
DEFAULT_UNIT = "clusters"

FORWARD_MODALITIES = ("announced", "threatened", "hypothetical")
"""Modalities that speak of a future event: such a report can be known before the event's day."""

MONTH_ONLY = "(source = 'curated' AND dayofmonth(event_date) = 1)"
"""A curated record dated to a month only (stored on its 1st; clustering.py reads it the same way)."""

PUBLISHED = ("CASE WHEN source = 'curated' AND date_added = date_trunc('month', date_added) "
             "THEN CAST(date_trunc('month', date_added) + INTERVAL 1 MONTH - INTERVAL 1 SECOND AS TIMESTAMP) "
             "ELSE coalesce(date_added, CAST(event_date AS TIMESTAMP)) END")
"""When the record was published: GDELT's DATEADDED, a curated page's publication date. A curated publication
dated to a month only (stored as its 1st at midnight) is known by the month's last second, never its first day."""

KNOWN_AT = (f"CASE WHEN coalesce(modality, 'actual') IN ('announced', 'threatened', 'hypothetical') THEN {PUBLISHED} "
            f"ELSE greatest({PUBLISHED}, CAST(event_date AS TIMESTAMP)) END")
"""A report's knowledge time: its publication, and never before its event unless it announces a future one."""

OUTLET_KEY = ("nullif(coalesce(nullif(outlet, ''), regexp_extract(source_url, '//([^/:]+)', 1)), '')")
"""The outlet of a report (its publisher, else its URL's host), as cluster_summary counts outlets."""

_REPLACED = {
    "event_date": "a.first_day",
    "date_added": "a.first_added",
    "num_sources": "CAST(a.weight AS INTEGER)",
    "num_articles": "CAST(a.articles AS INTEGER)",
    "num_mentions": "CAST(a.mentions AS INTEGER)",
    "avg_tone": "a.tone",
}


def collapse_sql(reports: str) -> str:
    """One row per ``unit_key`` of ``reports`` (a relation with the events columns, ``unit_key`` and ``known_at``).

    The row is the unit's representative report (its modal CAMEO code; ties: day-dated before month-only, earliest,
    smallest id) with the unit's first day (month-only curated records do not date it), its weight (distinct
    outlets, or the largest num_sources of a report when larger), the sum of its articles and mentions, its mean
    tone, its number of reports and when its first report was known.
    """
    columns = ", ".join(f"{_REPLACED.get(f.name, 'p.' + f.name)} AS {f.name}" for f in EVENT_SCHEMA)
    return f"""
        WITH r AS (SELECT *, {MONTH_ONLY} AS month_only, {OUTLET_KEY} AS outlet_key FROM {reports}),
        a AS (SELECT unit_key, coalesce(min(event_date) FILTER (WHERE NOT month_only), min(event_date)) AS first_day,
                     min(date_added) AS first_added,
                     greatest(count(DISTINCT outlet_key), max(coalesce(num_sources, 1))) AS weight,
                     sum(coalesce(num_articles, 1)) AS articles, sum(coalesce(num_mentions, 1)) AS mentions,
                     avg(avg_tone) AS tone, count(*) AS reports, min(known_at) AS known_at
              FROM r GROUP BY unit_key),
        p AS (SELECT * FROM (
                SELECT *, row_number() OVER (PARTITION BY unit_key
                                             ORDER BY code_n DESC, month_only, event_date, event_id) AS unit_rank
                FROM (SELECT *, count(*) OVER (PARTITION BY unit_key, event_code) AS code_n FROM r) AS c) AS ranked
              WHERE unit_rank = 1)
        SELECT {columns}, p.cluster_id, a.reports, a.known_at
        FROM p JOIN a ON a.unit_key = p.unit_key"""


ROLLUP_COLUMNS = ("cluster_id", "modality", "event_date", "actor1_country", "actor2_country", "quad_class",
                  "goldstein", "num_sources", "avg_tone", "action_geo_country", "reports")
"""The per-cluster rollup (``cluster_units``): what dyad series, coverage and flare-ups read of a cluster."""

ROLLUP_DDL = """CREATE TABLE cluster_units (cluster_id VARCHAR NOT NULL, modality VARCHAR NOT NULL, event_date DATE,
    actor1_country VARCHAR, actor2_country VARCHAR, quad_class TINYINT, goldstein DOUBLE, num_sources INTEGER,
    avg_tone DOUBLE, action_geo_country VARCHAR, reports BIGINT)"""


def rollup_sql(condition: str) -> str:
    """The rollup rows of the clusters whose ids satisfy ``condition`` (SQL over ``c.cluster_id``).

    One row per cluster and modality: reports that announce a thing and reports that say it happened are
    counted apart, so a filter of one modality reads the same counts here as over the reports."""
    reports = f"""(SELECT e.*, c.cluster_id, c.cluster_id || '|' || coalesce(e.modality, 'actual') AS unit_key,
                          {KNOWN_AT} AS known_at
                   FROM events AS e JOIN clusters AS c ON c.event_id = e.event_id WHERE {condition})"""
    picked = ", ".join("coalesce(modality, 'actual')" if c == "modality" else c for c in ROLLUP_COLUMNS)
    return f"SELECT {picked} FROM ({collapse_sql(reports)}) AS u"
