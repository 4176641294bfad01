"""Dyad and country aggregates (day and month grain): folded in with every append, sorted on demand.

Each row keeps the precision of its day (``dated``: a report dated only to a month is stored on its 1st), so a daily or
weekly series leaves such reports out of its periods and counts them apart (units_sql.FINE_ENOUGH).

Why: a dyad series then reads a few thousand aggregate rows instead of scanning every event; the
aggregates are written in the same transaction as the events, so they always agree (docs/schema.md).
"""

from __future__ import annotations

from typing import Any

import duckdb

from geodrift.units_sql import DATED, country_months_sql, dyad_months_sql

AGGREGATES = tuple((prefix + table, order) for prefix in ("", "cluster_")
                   for table, order in (("dyad_days", "actor1_country, actor2_country, event_date"),
                                        ("country_days", "country, event_date"),
                                        ("dyad_months", "actor1_country, actor2_country, event_date"),
                                        ("country_months", "country, event_date")))
"""The reports' rollups and the clusters' (geodrift.cluster_units), each with the order ``sort`` gives it."""


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> Any:
    rows = con.execute(sql).fetchall()
    return rows[0][0] if rows else None


def fold_new_files(con: duckdb.DuckDBPyConnection) -> None:
    """Fold events of files not yet aggregated into the day and month aggregates (same transaction)."""
    done = int(_scalar(con, "SELECT value FROM meta WHERE key = 'aggregated_file_id'") or 0)
    newest = _scalar(con, "SELECT max(file_id) FROM ingested_files")
    if newest is None or int(newest) <= done:
        return
    new = f"file_id > {done} AND file_id <= {int(newest)}"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE new_dyad_days AS
        SELECT actor1_country, actor2_country, event_date, quad_class, coalesce(modality, 'actual') AS modality,
               count(*) AS events, sum(coalesce(num_sources, 1)) AS weight,
               sum(goldstein * coalesce(num_sources, 1)) AS gw, sum(goldstein) AS gsum,
               sum(avg_tone) AS tone_sum, count(avg_tone) AS tone_n, {DATED} AS dated
        FROM events WHERE {new} AND actor1_country IS NOT NULL AND actor2_country IS NOT NULL
        GROUP BY ALL""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE new_country_days AS
        SELECT country, event_date, modality, count(*) AS events, sum(w) AS weight, dated FROM (
            SELECT actor1_country AS country, event_date, coalesce(modality, 'actual') AS modality,
                   coalesce(num_sources, 1) AS w, {DATED} AS dated
            FROM events WHERE {new} AND actor1_country IS NOT NULL
            UNION ALL
            SELECT actor2_country, event_date, coalesce(modality, 'actual'), coalesce(num_sources, 1), {DATED}
            FROM events WHERE {new} AND actor2_country IS NOT NULL
              AND actor2_country IS DISTINCT FROM actor1_country)
        GROUP BY ALL""")
    con.execute("INSERT INTO dyad_days SELECT * FROM new_dyad_days")
    con.execute("INSERT INTO country_days SELECT * FROM new_country_days")
    # Month grain (event_date = first of the month) for monthly and coarser series: far fewer rows.
    con.execute(f"INSERT INTO dyad_months {dyad_months_sql('new_dyad_days')}")
    con.execute(f"INSERT INTO country_months {country_months_sql('new_country_days')}")
    con.execute("DROP TABLE new_dyad_days")
    con.execute("DROP TABLE new_country_days")
    con.execute("UPDATE meta SET value = ? WHERE key = 'aggregated_file_id'", [str(int(newest))])


def sort(con: duckdb.DuckDBPyConnection, day: str = "") -> None:
    """Rewrite every aggregate ordered by dyad (or country) and day, inside the caller's transaction, and record
    what they held when sorted (``rollups_stamp``) and the ``day`` (ISO) of the sort in ``meta``."""
    for table, order in AGGREGATES:
        con.execute(f"CREATE TABLE {table}_sorted AS SELECT * FROM {table} ORDER BY {order}")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {table}_sorted RENAME TO {table}")
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [SORTED_KEY, f"{rollups_stamp(con)}@{day}"])


SORTED_KEY = "rollups_sorted"
"""The ``meta`` key of the last sort of the aggregates: their ``rollups_stamp`` then, and its day."""


def rollups_stamp(con: duckdb.DuckDBPyConnection) -> str:
    """What changes when rows are appended to the aggregates out of order: the files folded in and clustered, and
    the number of stored reports (a re-coded article replaces some). Read from ``meta`` and the table's statistics."""
    keys = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('aggregated_file_id', 'clustered_file_id')"
                            ).fetchall())
    reports = _scalar(con, "SELECT count(*) FROM events")
    return f"{keys.get('aggregated_file_id', 0)}:{keys.get('clustered_file_id', 0)}:{reports}"


def sort_due(con: duckdb.DuckDBPyConnection, day: str) -> bool:
    """Whether the aggregates changed since their last sort and were not sorted on ``day`` (ISO) already.

    Why: appends and re-counts (``fold_new_files``, cluster_units.refresh_rollups) add rows at the tables' end,
    whose row groups then span every dyad, so each dyad read scans them too: on 10 million events, 30 daily
    re-counts made the read of one ordered pair scan 4 row groups instead of 2 (docs/operations.md). Sorting them
    again takes about 11 s of CPU there, so the daily service does it at most once a day."""
    last = str(_scalar(con, f"SELECT value FROM meta WHERE key = '{SORTED_KEY}'") or "@")
    stamp, _, when = last.rpartition("@")
    return stamp != rollups_stamp(con) and when != day
