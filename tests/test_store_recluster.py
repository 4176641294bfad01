"""A store clustered by an earlier rule is clustered again whole when migrated to schema 16 (summaries naming their act
as the measures pick it), so its
clusters equal a fresh build's and later ingests do not mix two rules (attacker review F12)."""

from __future__ import annotations

from pathlib import Path

from geodrift.ingest import ingest_file
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from tests.test_rollup_order import _in_order


def _clusters(store: Store) -> dict[str, str]:
    return dict(store.df("SELECT event_id, cluster_id FROM clusters").values.tolist())


def _scrambled(store: Store, shared: Path) -> dict[str, str]:
    """The curated set's fresh clusters, after leaving the store as an older rule would: every report its own."""
    ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
    fresh = _clusters(store)
    store.con.execute("UPDATE clusters SET cluster_id = event_id")
    return fresh


def test_a_store_clustered_by_an_older_rule_is_clustered_again(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        fresh = _scrambled(store, shared)  # and the store stamped schema 15 (the sixth rule's)
        store.con.execute("UPDATE meta SET value = '15' WHERE key = 'schema_version'")
        assert _clusters(store) != fresh
    with Store(db) as store:
        assert store.df("SELECT value FROM meta WHERE key = 'schema_version'").value[0] == str(SCHEMA_VERSION)
        assert _clusters(store) == fresh
        assert store.df("SELECT count(*) AS n FROM cluster_summary").n[0] == len(set(fresh.values()))
    with Store(db) as store:  # once: a second open changes nothing
        assert _clusters(store) == fresh


def test_the_rollups_are_in_dyad_order_after_the_store_is_clustered_again(shared: Path, tmp_path: Path) -> None:
    """Rebuilt in block order, the cluster rollups made every dyad read of an upgraded 10-million-event store scan
    the whole table (34 ms a series instead of 6) until the daily service sorted them."""
    db = tmp_path / "two.duckdb"
    with Store(db) as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz")
        store.con.execute("UPDATE meta SET value = '14' WHERE key = 'schema_version'")
    with Store(db) as store:
        assert all(_in_order(store).values()), _in_order(store)


def test_a_reclustering_left_pending_is_done_at_the_next_open(shared: Path, tmp_path: Path) -> None:
    """The whole reclustering runs in a write after the schema's (inside it, a 10-million-report store ran out of
    its 1 GB); a store whose upgrade stopped between the two keeps ``recluster_pending`` and finishes when opened."""
    db = tmp_path / "pending.duckdb"
    with Store(db) as store:
        fresh = _scrambled(store, shared)
        store.con.execute("INSERT INTO meta VALUES ('recluster_pending', '1')")
    with Store(db) as store:
        assert _clusters(store) == fresh
        assert store.df("SELECT count(*) AS n FROM meta WHERE key = 'recluster_pending'").n[0] == 0
