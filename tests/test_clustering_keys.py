"""The clustering's integer keys (issue 15's speed work): the peaks' windows partition by a hash of block, direction
and place, and a report finds its atom by a hash of the atom's seven keys. Either hash is used only where no two keys
of the scope share it; otherwise the steps take the strings, and that path gives the same clusters."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from geodrift import cluster_peaks, clustering
from geodrift.clustering import rebuild_clusters
from geodrift.ingest import ingest_files
from geodrift.store import Store


def _clusters(store: Store) -> list[tuple[str, str, str, object]]:
    return [tuple(row) for row in store.con.execute("SELECT * FROM clusters ORDER BY event_id").fetchall()]


def test_the_string_keys_give_the_same_clusters_as_the_hashed_ones(shared: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The curated set, the ICEWS sample and two months of Georgia GDELT rows, clustered with the hashed keys and
    again as if every hash collided."""
    gdelt = sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*2012.csv.gz"))[:2]
    with Store(tmp_path / "keys.duckdb") as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl", shared / "icews/icews_sample.csv", *gdelt])
        hashed = _clusters(store)
        used: list[str] = []

        def strings(con: duckdb.DuckDBPyConnection) -> str:
            used.append(cluster_peaks.PLACE_KEY)
            return "pk, block, dsub, pc, cell"

        monkeypatch.setattr(cluster_peaks, "_place_key", strings)
        monkeypatch.setattr(clustering, "_atom_join",
                            lambda con: clustering._same(clustering.ATOM_KEYS, "s", "a"))
        rebuild_clusters(store)
        assert used and len(hashed) > 10_000
        assert _clusters(store) == hashed


def test_the_hashed_keys_are_taken_when_they_tell_the_keys_apart(shared: Path, tmp_path: Path) -> None:
    """On real rows no two places or atoms share a hash, so the integer keys are the ones used."""
    with Store(tmp_path / "used.duckdb") as store:
        ingest_files(store, [shared / "icews/icews_sample.csv"])
        con = store.con
        con.execute("CREATE TEMP TABLE cl_atoms AS SELECT 'a|b' AS block, 'x' AS dsub, 'GEO' AS pc, 'gg02' AS cell "
                    "UNION ALL SELECT 'a|b', 'y', 'GEO', NULL")
        assert cluster_peaks._place_key(con) == "pk"
        con.execute("CREATE TEMP TABLE cl_atom_ids AS SELECT 1 AS ak UNION ALL SELECT 2")
        assert clustering._atom_join(con).startswith("a.ak = hash(")
        con.execute("INSERT INTO cl_atom_ids VALUES (2)")
        assert "IS NOT DISTINCT FROM" in clustering._atom_join(con)
