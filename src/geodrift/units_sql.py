"""What the measures count and when it was known: SQL text shared by the store's rollup and every analytic.

A *unit* is what one count counts. ``reports`` counts stored rows (one GDELT story can be many rows); ``clusters``
counts real-world events (geodrift.clustering): a cluster counts once, on its first day, with its representative
report's CAMEO code, quad class and Goldstein value, weighted by its distinct sources (docs/methods.md, "Units").
A report's *knowledge time* (``known_at``) is when it could first have been read (docs/methods.md, "Knowledge time").
Both are defined here once, as SQL over the ``events`` columns, so the store's rollup, the query vocabulary, the
backtests and every engine (DuckDB, Spark) agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geodrift.events import EVENT_SCHEMA

if TYPE_CHECKING:
    import pandas as pd

UNITS = ("reports", "clusters")
"""What a count counts: stored report rows, or event clusters (the default)."""
DEFAULT_UNIT = "clusters"

FORWARD_MODALITIES = ("announced", "threatened", "hypothetical")
"""Modalities that speak of a future event: such a report can be known before the event's day."""

MONTH_ONLY = "(coalesce(event_date_precision, 'day') IN ('month', 'year'))"
"""A report dated to a month or a year only (stored on the period's first day, events.event_date_precision): its
stored day is not the event's, so it never dates a cluster (clustering.py reads it the same way). An undated
curated record ("unknown", stored on its report's date) is clustered and counted on that date, as a day-dated
report is: reading it as a month's report merged claims and denials a fortnight apart; pages mark it undated."""


def month_only(events: pd.DataFrame) -> pd.Series:
    """``MONTH_ONLY`` for rows already read into pandas (the analysis's evidence, salience): the same rule, so a
    report that does not date its cluster in SQL does not date it there either.

    Raises:
        KeyError: the frame lacks ``event_date_precision`` (select it with the rows).
    """
    return events["event_date_precision"].isin(("month", "year"))


_DAY_END = "CAST(CAST(CAST({0} AS DATE) AS TIMESTAMP) + INTERVAL 1 DAY - INTERVAL 1 SECOND AS TIMESTAMP)"

PUBLISHED = ("CASE coalesce(date_added_precision, 'day') "
             "WHEN 'month' THEN CAST(date_trunc('month', date_added) + INTERVAL 1 MONTH - INTERVAL 1 SECOND AS TIMESTAMP) "
             "WHEN 'year' THEN CAST(date_trunc('year', date_added) + INTERVAL 1 YEAR - INTERVAL 1 SECOND AS TIMESTAMP) "
             "WHEN 'second' THEN date_added "
             "ELSE CASE WHEN date_added <> CAST(CAST(date_added AS DATE) AS TIMESTAMP) THEN date_added "
             f"ELSE {_DAY_END.format('coalesce(date_added, CAST(event_date AS TIMESTAMP))')} END END")
"""When the record was published: GDELT 2.0's DATEADDED (precision ``second``), a page's publication date. A
publication dated to a day only (GDELT 1.0's DATEADDED, a page's date, an ICEWS event's day: stored at its midnight)
is known by that day's last second, as one dated to a month or a year only (events.date_added_precision; stored on its
first day) is known by the period's last second, never before: an as-of-T reading must not see a report published
later on T's day. A day-precision date_added with a time of day (GDELT 2.0 rows stored before precision ``second``)
is known at that time; such a row stamped exactly midnight reads as the day's end, late by a day at most, never
early."""

KNOWN_AT = (f"CASE WHEN coalesce(modality, 'actual') IN ('announced', 'threatened', 'hypothetical') THEN {PUBLISHED} "
            f"ELSE greatest({PUBLISHED}, CAST(event_date AS TIMESTAMP)) END")
"""A report's knowledge time: its publication, and never before its event unless it announces a future one."""

OUTLET_KEY = ("nullif(regexp_replace(regexp_replace(coalesce(nullif(trim(outlet), ''), "
              "lower(regexp_extract(source_url, '//([^/:?#]+)', 1))), '^[Ww][Ww][Ww][0-9]*\\.', ''), '\\.$', ''), '')")
"""The outlet of a report (its publisher, else its URL's host, lower-cased, without its port), without a leading
"www." (or "www2.") and a trailing dot: the one normalisation of an outlet's name that a cluster's weight, its summary
(cluster_summary), an event page, the analysis's evidence and the briefing's developments and source balance count
outlets by. Why: www.reuters.com and reuters.com are one outlet (GDELT's and the coder's outlets drop "www."; a
curated record without one, or a feed naming itself "www.x", kept it), and "president.az." (a fully qualified host,
as one curated URL writes it) is president.az. Two plain replacements, not one alternation nor a user-info group in
the host's pattern: 0.65 s of CPU per 2 million rows against 0.33 s before (those cost 0.72 and 1.06 s)."""

_REPLACED = {
    "event_date": "a.first_day",
    "date_added": "a.first_added",
    "event_date_precision": "a.first_day_precision",
    "date_added_precision": "a.first_added_precision",
    "num_sources": "CAST(a.weight AS INTEGER)",
    "num_articles": "CAST(a.articles AS INTEGER)",
    "num_mentions": "CAST(a.mentions AS INTEGER)",
    "avg_tone": "a.tone",
}


_SUMS = """unit_key, coalesce(min(event_date) FILTER (WHERE NOT month_only), min(event_date)) AS first_day,
    min(date_added) AS first_added, greatest(count(DISTINCT outlet_key), max(coalesce(num_sources, 1))) AS weight"""
"""A unit's first day (month-only records do not date it), first report and weight."""


_FIRST_PRECISION = "CASE WHEN bool_or(NOT month_only) THEN 'day' ELSE arg_min(event_date_precision, event_date) END"
"""The precision of a unit's first day: 'day' when a report dates it to the day, else its earliest report's."""


def weights_sql(reports: str) -> str:
    """One row per ``unit_key`` of ``reports`` with what ``collapse_sql`` gives it as ``event_date`` and
    ``num_sources``, and its unordered pair of countries (the lesser as ``actor1_country``: every report of a cluster
    has the same pair, geodrift.clustering), and the precision of its first day: enough for a coverage, without a
    representative report."""
    # No CTE: SQLGlot hoists nested CTEs to the top for Spark, where a second ``r`` (collapse_sql's) is an error.
    return f"""
        SELECT unit_key, first_day AS event_date, CAST(weight AS INTEGER) AS num_sources, actor1_country,
               actor2_country, event_date_precision
        FROM (SELECT {_SUMS}, {_FIRST_PRECISION} AS event_date_precision,
                     min(least(actor1_country, actor2_country)) AS actor1_country,
                     max(greatest(actor1_country, actor2_country)) AS actor2_country
              FROM (SELECT *, {MONTH_ONLY} AS month_only, {OUTLET_KEY} AS outlet_key FROM {reports}) AS r
              GROUP BY unit_key) AS a"""


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
        a AS (SELECT {_SUMS}, {_FIRST_PRECISION} AS first_day_precision,
                     arg_min(date_added_precision, date_added) AS first_added_precision,
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
                  "goldstein", "num_sources", "avg_tone", "action_geo_country", "reports", "event_date_precision")
"""The per-cluster rollup (``cluster_units``): what dyad series, coverage and flare-ups read of a cluster (the
precision of its first day last: schema 16 added it)."""

ROLLUP_DDL = """CREATE TABLE cluster_units (cluster_id VARCHAR NOT NULL, modality VARCHAR NOT NULL, event_date DATE,
    actor1_country VARCHAR, actor2_country VARCHAR, quad_class TINYINT, goldstein DOUBLE, num_sources INTEGER,
    avg_tone DOUBLE, action_geo_country VARCHAR, reports BIGINT, event_date_precision VARCHAR)"""

DATED = "coalesce(event_date_precision, 'day')"
"""What a rollup row keeps as ``dated``: the precision of the day it is stored on (day, month, year; schema 16)."""

FINE_ENOUGH = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "quarter": ("day", "month"),
               "year": ("day", "month", "year")}
"""The precisions a series of each frequency places in its periods. A report dated only to September 2020 is stored
on 1 September, but it belongs to no particular day or week of it: a daily or weekly series counts it apart
(analytics.dyads.dyad_undated; docs/methods.md, "Dates known to a month")."""


def fine_enough(freq: str) -> str:
    """SQL over a rollup's ``dated`` (NULL in rows written before schema 16: read as days): the rows a series of
    ``freq`` places in its periods."""
    return f"(coalesce(dated, 'day') IN {_quoted(FINE_ENOUGH[freq])})"


def too_coarse(freq: str) -> tuple[str, ...]:
    """The precisions a series of ``freq`` counts apart (month and year for a weekly one; none for a yearly one)."""
    return tuple(p for p in ("month", "year") if p not in FINE_ENOUGH[freq])


def placed(freq: str) -> str:
    """``fine_enough`` over reports or clusters (their ``event_date_precision``)."""
    return f"({DATED} IN {_quoted(FINE_ENOUGH[freq])})"


def _quoted(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def rollup_sql(condition: str) -> str:
    """The rollup rows of the clusters whose ids satisfy ``condition`` (SQL over ``c.cluster_id``).

    One row per cluster and modality: reports that announce a thing and reports that say it happened are
    counted apart, so a filter of one modality reads the same counts here as over the reports."""
    reports = f"""(SELECT e.*, c.cluster_id, c.cluster_id || '|' || coalesce(e.modality, 'actual') AS unit_key,
                          {KNOWN_AT} AS known_at
                   FROM events AS e JOIN clusters AS c ON c.event_id = e.event_id WHERE {condition})"""
    picked = ", ".join("coalesce(modality, 'actual')" if c == "modality" else c for c in ROLLUP_COLUMNS)
    return f"SELECT {picked} FROM ({collapse_sql(reports)}) AS u"


CLUSTER_ROLLUPS = ("cluster_dyad_days", "cluster_country_days", "cluster_dyad_months", "cluster_country_months")
"""The per-dyad and per-country rollups of ``cluster_units`` (day and month grain), the shape of the reports'
``dyad_days``/``country_days``: a dyad series by clusters reads a few hundred of their rows instead of collapsing
the dyad's clusters on every request (docs/schema.md, "Cluster rollup")."""

_DYAD_COLUMNS = """(actor1_country VARCHAR, actor2_country VARCHAR, event_date DATE, quad_class TINYINT,
    modality VARCHAR, events BIGINT, weight DOUBLE, gw DOUBLE, gsum DOUBLE, tone_sum DOUBLE, tone_n BIGINT,
    dated VARCHAR)"""
_COUNTRY_COLUMNS = "(country VARCHAR, event_date DATE, modality VARCHAR, events BIGINT, weight DOUBLE, dated VARCHAR)"
CLUSTER_ROLLUP_DDL = [f"CREATE TABLE {table} {_DYAD_COLUMNS if 'dyad' in table else _COUNTRY_COLUMNS}"
                      for table in CLUSTER_ROLLUPS]
"""Their tables: the columns of the reports' dyad_days and country_days."""


def report_units(condition: str) -> str:
    """The stored reports meeting ``condition`` as ``dyad_days_sql``/``country_days_sql`` read units: the reports' own
    rollups are those sums with every report a unit."""
    return ("(SELECT actor1_country, actor2_country, event_date, quad_class, coalesce(modality, 'actual') AS modality, "
            f"num_sources, goldstein, avg_tone, event_date_precision FROM events WHERE {condition})")


def dyad_days_sql(units: str) -> str:
    """``cluster_dyad_days`` rows of the clusters in ``units`` (a relation of ``cluster_units`` rows): per ordered
    pair, day, quad class and modality, the sums the reports' ``dyad_days`` keep, with each cluster weighted by
    its distinct sources, and the precision of the day (``dated``)."""
    return f"""
        SELECT actor1_country, actor2_country, event_date, quad_class, modality, count(*) AS events,
               sum(coalesce(num_sources, 1)) AS weight, sum(goldstein * coalesce(num_sources, 1)) AS gw,
               sum(goldstein) AS gsum, sum(avg_tone) AS tone_sum, count(avg_tone) AS tone_n, {DATED} AS dated
        FROM {units} AS u WHERE actor1_country IS NOT NULL AND actor2_country IS NOT NULL GROUP BY ALL"""


def country_days_sql(units: str) -> str:
    """``cluster_country_days`` rows of the clusters in ``units``: each cluster counts for its first actor's country
    and, when another, its second's (as ``country_days`` counts reports)."""
    return f"""
        SELECT country, event_date, modality, count(*) AS events, sum(w) AS weight, dated FROM (
            SELECT actor1_country AS country, event_date, modality, coalesce(num_sources, 1) AS w, {DATED} AS dated
            FROM {units} AS u WHERE actor1_country IS NOT NULL
            UNION ALL
            SELECT actor2_country, event_date, modality, coalesce(num_sources, 1), {DATED}
            FROM {units} AS u WHERE actor2_country IS NOT NULL AND actor2_country IS DISTINCT FROM actor1_country)
        GROUP BY ALL"""


def dyad_months_sql(days: str) -> str:
    """Month-grain dyad rows (``event_date`` the month's first day) summed from the day rows in ``days``."""
    return ("SELECT actor1_country, actor2_country, CAST(date_trunc('month', event_date) AS DATE) AS event_date, "
            "quad_class, modality, sum(events), sum(weight), sum(gw), sum(gsum), sum(tone_sum), sum(tone_n), dated "
            f"FROM {days} AS d GROUP BY ALL")


def country_months_sql(days: str) -> str:
    """Month-grain country rows summed from the day rows in ``days``."""
    return ("SELECT country, CAST(date_trunc('month', event_date) AS DATE) AS event_date, modality, sum(events), "
            f"sum(weight), dated FROM {days} AS d GROUP BY ALL")


def cluster_rollups_sql() -> list[str]:
    """Statements filling the cluster rollups from the whole of ``cluster_units``, sorted by dyad (or country) and
    day as ``db optimize`` sorts the reports' rollups (a store clustered before they existed gets them this way)."""
    return [
        f"INSERT INTO cluster_dyad_days {dyad_days_sql('cluster_units')} ORDER BY actor1_country, actor2_country, "
        "event_date",
        f"INSERT INTO cluster_country_days {country_days_sql('cluster_units')} ORDER BY country, event_date",
        f"INSERT INTO cluster_dyad_months {dyad_months_sql('cluster_dyad_days')} "
        "ORDER BY actor1_country, actor2_country, event_date",
        f"INSERT INTO cluster_country_months {country_months_sql('cluster_country_days')} ORDER BY country, event_date",
    ]
