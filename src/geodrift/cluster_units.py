"""The per-cluster rollup (``cluster_units``) and its per-dyad and per-country day and month rollups, kept with
the clusters.

Why: measures that count clusters (the default unit) would otherwise collapse every report into its cluster on
each read; the rollup holds each cluster's first day, sides, representative code, quad class, Goldstein value and
weight (units_sql.collapse_sql), rewritten only for the clusters an update touched, in the clustering's own
transaction, so it always agrees with ``clusters``. A dyad series then sums ``cluster_dyad_days`` (or
``_months``) as a series by reports sums ``dyad_days``; those rows are recomputed from ``cluster_units`` for the
dyad-days (and country-days) whose clusters changed, before and after the update (docs/schema.md, "Cluster
rollup").
"""

from __future__ import annotations

import duckdb

from geodrift.aggregates import AGGREGATES
from geodrift.store import Store
from geodrift.units_sql import CLUSTER_ROLLUPS, country_days_sql, country_months_sql, dyad_days_sql, dyad_months_sql, rollup_sql

_KEYS = "actor1_country, actor2_country, event_date"


def refresh_units(con: duckdb.DuckDBPyConnection, changed: str, rows: str | None = None) -> None:
    """Rewrite the rollup rows of the clusters listed in the table ``changed`` (column cluster_id), and the dyad and
    country rollup rows of every day such a cluster was dated to before or is dated to now. ``rows``: a query giving
    those clusters' new rollup rows (the clustering's, cluster_summary.units_rows, from the reports it already read),
    else units_sql.rollup_sql reads them from the stored reports."""
    picked = f"cluster_id IN (SELECT cluster_id FROM {changed})"
    con.execute(f"CREATE OR REPLACE TEMP TABLE cu_days AS SELECT {_KEYS} FROM cluster_units WHERE {picked}")
    con.execute(f"DELETE FROM cluster_units WHERE {picked}")
    con.execute(f"INSERT INTO cluster_units {rows or rollup_sql(f'c.cluster_id IN (SELECT cluster_id FROM {changed})')}")
    con.execute(f"INSERT INTO cu_days SELECT {_KEYS} FROM cluster_units WHERE {picked}")
    refresh_rollups(con, "cluster_", "cluster_units")
    con.execute("DROP TABLE cu_days")


def refresh_rollups(con: duckdb.DuckDBPyConnection, prefix: str, units: str) -> None:
    """Recompute the dyad and country rollup rows (tables ``{prefix}dyad_days`` ...) of the days in ``cu_days``
    (actor1_country, actor2_country, event_date) from ``units`` (a relation with the columns of ``cluster_units``: the
    clusters, or the reports for the reports' own rollups) as a sum taken afresh, not adjusted by differences, so it
    is the sum a rebuild takes; then their months from the days.

    The rows are appended in each table's dyad (or country) and day order (``aggregates.AGGREGATES``): appended as
    they came, the first clustering of 10 million reports left the cluster rollups in block order, so every dyad
    read scanned all 31 row groups of ``cluster_dyad_months`` until the next sort (107 ms of server CPU per uncached
    series request; 17 ms sorted: docs/operations.md). Sorted, a large update's rows fill row groups that each span a
    few dyads; only the daily sort (``Store.sort_rollups``) merges them with the rest."""
    lo, hi = con.execute("SELECT min(event_date), max(event_date) FROM cu_days").fetchall()[0]
    if lo is None:
        return
    con.execute(f"""CREATE OR REPLACE TEMP TABLE cu_pairs AS SELECT DISTINCT {_KEYS} FROM cu_days
                    WHERE actor1_country IS NOT NULL AND actor2_country IS NOT NULL""")
    con.execute("""CREATE OR REPLACE TEMP TABLE cu_countries AS
        SELECT DISTINCT country, event_date FROM (SELECT actor1_country AS country, event_date FROM cu_days
                                                  UNION ALL SELECT actor2_country, event_date FROM cu_days)
        WHERE country IS NOT NULL""")
    # Bounding the days lets the zone maps of cluster_units (written in ingest order, mostly by date) skip the
    # row groups of other days.
    near = f"d.event_date BETWEEN DATE '{lo}' AND DATE '{hi}'"
    same_pair = ("d.actor1_country = t.actor1_country AND d.actor2_country = t.actor2_country "
                 "AND d.event_date = t.event_date")
    same_country = "d.country = t.country AND d.event_date = t.event_date"
    units_of = {"pairs": f"(SELECT d.* FROM {units} AS d SEMI JOIN cu_pairs AS t ON {same_pair} WHERE {near})",
                "countries": f"(SELECT * FROM {units} AS d WHERE {near})"}
    con.execute(f"DELETE FROM {prefix}dyad_days AS d USING cu_pairs AS t WHERE {same_pair}")
    order = dict(AGGREGATES)
    con.execute(f"INSERT INTO {prefix}dyad_days {dyad_days_sql(units_of['pairs'])} ORDER BY {order['dyad_days']}")
    con.execute(f"DELETE FROM {prefix}country_days AS d USING cu_countries AS t WHERE {same_country}")
    con.execute(f"""INSERT INTO {prefix}country_days SELECT d.* FROM ({country_days_sql(units_of['countries'])}) AS d
                    SEMI JOIN cu_countries AS t ON {same_country} ORDER BY {order['country_days']}""")
    month = "CAST(date_trunc('month', {}.event_date) AS DATE)"
    for table, keys, build in (("dyad", ("actor1_country", "actor2_country"), dyad_months_sql),
                               ("country", ("country",), country_months_sql)):
        source = "cu_pairs" if table == "dyad" else "cu_countries"
        con.execute(f"CREATE OR REPLACE TEMP TABLE cu_months AS SELECT DISTINCT {', '.join(keys)}, "
                    f"{month.format(source)} AS month FROM {source}")
        same = " AND ".join(f"d.{k} = t.{k}" for k in keys)
        con.execute(f"DELETE FROM {prefix}{table}_months AS d USING cu_months AS t "
                    f"WHERE {same} AND d.event_date = t.month")
        days = (f"(SELECT d.* FROM {prefix}{table}_days AS d SEMI JOIN cu_months AS t "
                f"ON {same} AND {month.format('d')} = t.month)")
        con.execute(f"INSERT INTO {prefix}{table}_months {build(days)} ORDER BY {order[f'{table}_months']}")
    for temp in ("cu_pairs", "cu_countries", "cu_months"):
        con.execute(f"DROP TABLE {temp}")


def clear_units(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the cluster rollups (a rebuild of every cluster starts from none)."""
    for table in ("cluster_units", *CLUSTER_ROLLUPS):
        con.execute(f"DELETE FROM {table}")


UNITS_SCHEMA, ROLLUPS_SCHEMA = 8, 10
"""The schema versions (store_schema.MIGRATIONS) that brought ``cluster_units`` and the per-dyad cluster rollups."""


def _progress(store: Store) -> tuple[str, int]:
    """``clusters_state`` and the store's schema version (which says which rollups exist: a store opened read-only is
    not migrated), from ``meta`` alone when every file folded into the aggregates is clustered, the usual case; else
    from the newest file id among the events too. An uncached API request asks this: a catalog look-up cost it 2 ms
    of CPU, and the scan of ``events`` for the newest file id 0.5–1 ms, against 0.3 ms for ``meta``; read once by a
    store opened read-only (``Store.fact``)."""
    return store.fact("clusters_state", lambda: _read_progress(store))


def _read_progress(store: Store) -> tuple[str, int]:
    rows = dict(store.con.execute("SELECT key, value FROM meta").fetchall())
    version, done, folded = (int(rows.get(k) or 0) for k in ("schema_version", "clustered_file_id",
                                                              "aggregated_file_id"))
    if version < UNITS_SCHEMA or not done:  # (a store without events reads the same either way)
        return "none", version
    if done >= folded:
        return "current", version
    newest = store.con.execute("SELECT max(file_id) FROM events").fetchall()[0][0]
    return ("current" if newest is None or done >= int(newest) else "partial"), version


def clusters_state(store: Store) -> str:
    """'current' when every stored report is clustered (the rollup answers for all of them), 'none' when no report
    is (each is then a cluster of its own, and counting clusters is counting reports), else 'partial'."""
    return _progress(store)[0]


def series_rollups(store: Store) -> str | None:
    """Which rollups answer a series by clusters: 'reports' when nothing is clustered (each report a cluster of its
    own), 'clusters' when everything is and the store has the cluster rollups, else None (sum the clusters as read).
    One query, as an uncached API request asks it."""
    state, version = _progress(store)
    if state == "none":
        return "reports"
    return "clusters" if state == "current" and version >= ROLLUPS_SCHEMA else None


def units_current(store: Store) -> bool:
    """Whether every stored report is clustered, so the rollup answers for all of them."""
    return clusters_state(store) == "current"
