"""The dyad and country rollups are sorted again by dyad (or country) and day once a day when they changed, by the
daily service's ``rollups`` stage, so a dyad read touches few row groups; the answers do not change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from geodrift.aggregates import AGGREGATES
from geodrift.analytics.dyads import dyad_series
from geodrift.errors import InputError
from geodrift.ingest import ingest_file
from geodrift.service.settings import ServiceConfig
from geodrift.service.update import STAGES, run_update
from geodrift.store import Store


def _in_order(store: Store) -> dict[str, bool]:
    """Whether each rollup's rows, as stored, are in the order its dyad (or country) reads need."""
    found = {}
    for table, order in AGGREGATES:
        stored = store.df(f"SELECT {order} FROM {table} ORDER BY rowid")
        found[table] = len(stored) > 0 and stored.equals(store.df(f"SELECT {order} FROM {table} ORDER BY {order}"))
    return found


def test_the_rollups_are_sorted_again_once_a_day_when_they_changed(shared: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "r.duckdb") as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz")
        before = dyad_series(store, "GEO", "RUS", freq="week")
        assert not all(_in_order(store).values()), "two appends leave the rollups out of dyad order"

        assert store.sort_rollups("2026-12-01") is True
        assert all(_in_order(store).values())
        pd.testing.assert_frame_equal(dyad_series(store, "GEO", "RUS", freq="week"), before, check_exact=False,
                                      rtol=1e-12)
        assert store.sort_rollups(dt.date(2026, 12, 2)) is False, "unchanged since the last sort"

        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/june2012.csv.gz")
        assert not all(_in_order(store).values())
        assert store.sort_rollups("2026-12-02") is True
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/may2012.csv.gz")
        assert store.sort_rollups("2026-12-02") is False, "sorted that day already"
        assert store.sort_rollups("2026-12-03") is True and all(_in_order(store).values())
        with pytest.raises(InputError, match="day 'soon' is not a date"):
            store.sort_rollups("soon")


def test_the_daily_service_sorts_them_after_clustering(shared: Path, tmp_path: Path) -> None:
    assert [name for name, _ in STAGES].index("rollups") == [name for name, _ in STAGES].index("clusters") + 1
    rollups = [stage for stage in STAGES if stage[0] == "rollups"]
    with Store(tmp_path / "s.duckdb") as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz")
        first = run_update(store, ServiceConfig(), cache_dir=tmp_path / "cache", stages=rollups,
                           now=dt.datetime(2026, 12, 1, 6, tzinfo=dt.UTC))
        again = run_update(store, ServiceConfig(), cache_dir=tmp_path / "cache", stages=rollups,
                           now=dt.datetime(2026, 12, 2, 6, tzinfo=dt.UTC))
        assert first.stages["rollups"] == "sorted" and all(_in_order(store).values())
        assert again.stages["rollups"].startswith("in order")


def test_a_read_in_flight_does_not_fail_the_sort(shared: Path, tmp_path: Path) -> None:
    """In ``watch --serve`` the API's kept sessions are cursors of the writer's connection: a read open while the
    stage sorts makes DuckDB refuse the CHECKPOINT, which must not fail the stage (the sort is committed)."""
    with Store(tmp_path / "w.duckdb") as store:
        ingest_file(store, shared / "caucasus-2020-events/events.jsonl")
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz")
        before = dyad_series(store, "GEO", "RUS", freq="week")
        reader = store.con.cursor()
        reader.execute("BEGIN TRANSACTION")
        rows = reader.execute("SELECT count(*) FROM dyad_days").fetchall()
        assert store.sort_rollups("2026-12-01") is True
        assert all(_in_order(store).values())
        assert reader.execute("SELECT count(*) FROM dyad_days").fetchall() == rows, "the reader's snapshot holds"
        reader.execute("COMMIT")
        pd.testing.assert_frame_equal(dyad_series(store, "GEO", "RUS", freq="week"), before, check_exact=False,
                                      rtol=1e-12)
        store.optimize()


def test_a_first_clustering_appends_the_cluster_rollups_in_dyad_order(shared: Path, tmp_path: Path) -> None:
    """The clustering's appends are sorted (cluster_units.refresh_rollups), so the cluster rollups of one large
    clustering are in read order before any sort: a first clustering of 10 million reports left them in block order,
    and every dyad read by clusters (the default unit) scanning all of them (docs/operations.md). The reports'
    rollups stay in ingest order until the daily sort: sorting each fold cost ingest 1.0-1.7 CPU s per million."""
    with Store(tmp_path / "f.duckdb") as store:
        ingest_file(store, shared / "gdelt-v1-georgia-2011-2013/july2012.csv.gz")
        assert store.df("SELECT count(*) AS n FROM cluster_dyad_days").n[0] > 100, "a real clustering, not a few rows"
        in_order = _in_order(store)
        assert all(in_order[table] for table, _ in AGGREGATES if table.startswith("cluster_")), in_order
