"""The per-cluster rollup (``cluster_units``): one row per event cluster and modality, kept with the clusters.

Why: measures that count clusters (the default unit) would otherwise collapse every report into its cluster on
each read; the rollup holds each cluster's first day, sides, representative code, quad class, Goldstein value and
weight (units_sql.collapse_sql), rewritten only for the clusters an update touched, in the clustering's own
transaction, so it always agrees with ``clusters`` (docs/schema.md, "Cluster rollup").
"""

from __future__ import annotations

import duckdb

from geodrift.store import Store
from geodrift.units_sql import rollup_sql


def refresh_units(con: duckdb.DuckDBPyConnection, changed: str) -> None:
    """Rewrite the rollup rows of the clusters listed in the table ``changed`` (column cluster_id)."""
    con.execute(f"DELETE FROM cluster_units WHERE cluster_id IN (SELECT cluster_id FROM {changed})")
    con.execute(f"INSERT INTO cluster_units {rollup_sql(f'c.cluster_id IN (SELECT cluster_id FROM {changed})')}")


def clusters_state(store: Store) -> str:
    """'current' when every stored report is clustered (the rollup answers for all of them), 'none' when no report
    is (each is then a cluster of its own, and counting clusters is counting reports), else 'partial'."""
    if not store.has_table("cluster_units"):
        return "none"
    done, newest = store.con.execute(
        "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'clustered_file_id'), "
        "(SELECT max(file_id) FROM events)").fetchall()[0]
    if newest is None or (done is not None and int(done) >= int(newest)):
        return "current"
    return "none" if not done else "partial"


def nothing_clustered(store: Store) -> bool:
    """Whether no report is clustered yet (``clusters_state`` 'none'), so that each is a cluster of its own; a store
    without events answers the same either way. One read of ``meta``: half the CPU of ``clusters_state``, which an
    uncached API request felt."""
    rows = store.con.execute("SELECT value FROM meta WHERE key = 'clustered_file_id'").fetchall()
    return not rows or not int(rows[0][0] or 0)


def units_current(store: Store) -> bool:
    """Whether every stored report is clustered, so the rollup answers for all of them."""
    return clusters_state(store) == "current"
