"""The clusters' dyad and country rollups (``cluster_dyad_days`` ...): kept with the clusters, they hold what summing
``cluster_units`` on the fly gives, on real data, after an update that moves a cluster's first day and sides, and after
the migration that builds them for a store clustered before they existed; dyad series by clusters read them and answer
as collapsing the reports does."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from geodrift.analytics.dyads import dyad_matrix, dyad_series
from geodrift.analytics.engine import DuckDBEngine
from geodrift.cluster_units import clusters_state, series_rollups
from geodrift.clustering import rebuild_clusters, update_clusters
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.store_schema import SCHEMA_VERSION
from geodrift.units_sql import CLUSTER_ROLLUPS, country_days_sql, country_months_sql, dyad_days_sql, dyad_months_sql
from tests.analytics.test_units import record

KEYS = {"dyad": ["actor1_country", "actor2_country", "event_date", "quad_class", "modality", "dated"],
        "country": ["country", "event_date", "modality", "dated"]}


def _sorted(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    return frame.sort_values(KEYS[kind]).reset_index(drop=True)


def _kind(table: str) -> str:
    return "dyad" if "dyad" in table else "country"


def on_the_fly(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """Each cluster rollup as summing the whole of cluster_units now gives it."""
    days = {"cluster_dyad_days": dyad_days_sql("cluster_units"),
            "cluster_country_days": country_days_sql("cluster_units")}
    months = {"cluster_dyad_months": dyad_months_sql(f"({days['cluster_dyad_days']})"),
              "cluster_country_months": country_months_sql(f"({days['cluster_country_days']})")}
    out = {}
    for table, sql in {**days, **months}.items():
        frame = con.execute(sql).df()
        frame.columns = [c for c in con.execute(f"SELECT * FROM {table} LIMIT 0").df().columns]
        out[table] = _sorted(frame, _kind(table))
    return out


def assert_rollups_agree(con: duckdb.DuckDBPyConnection) -> int:
    """The stored rollups equal the on-the-fly sums (sums of doubles to 1e-12, counts exactly); returns their rows."""
    rows = 0
    for table, expected in on_the_fly(con).items():
        stored = _sorted(con.execute(f"SELECT * FROM {table}").df(), _kind(table))
        pd.testing.assert_frame_equal(stored, expected, check_exact=False, rtol=1e-12, check_dtype=False,
                                      obj=table)
        rows += len(stored)
    return rows


def test_the_rollups_of_real_data_are_the_sums_of_cluster_units(caucasus_store: Store) -> None:
    assert assert_rollups_agree(caucasus_store.con) > 1000
    # Every cluster with both sides counts once in the dyad rollup, on its first day.
    clusters, counted = caucasus_store.con.execute(
        "SELECT (SELECT count(*) FROM cluster_units WHERE actor1_country IS NOT NULL AND actor2_country IS NOT NULL),"
        " (SELECT sum(events) FROM cluster_dyad_days), (SELECT sum(events) FROM cluster_dyad_months)").fetchall()[0][:2]
    assert clusters == counted


@pytest.mark.parametrize("freq", ["day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize(("a", "b", "directed"), [("ARM", "AZE", False), ("RUS", "GEO", True),
                                                  (("ARM", "GEO"), ("AZE", "TUR"), False), ("GEO", "NATO", False)])
def test_series_by_clusters_from_the_rollups_equal_collapsing_the_reports(caucasus_store: Store, freq: str,
                                                                          a: Any, b: Any, directed: bool) -> None:
    wheres = [EventFilter(), EventFilter(start=dt.date(2011, 3, 17), end=dt.date(2020, 10, 9)),
              EventFilter(start="2012-01-01", end="2013-01-01", modalities=("announced",))]  # type: ignore[arg-type]
    counted = 0
    for where in wheres:
        fast = dyad_series(caucasus_store, a, b, freq=freq, where=where, directed=directed)
        slow = dyad_series(DuckDBEngine(caucasus_store), a, b, freq=freq, where=where, directed=directed)
        pd.testing.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-9)
        counted += int(fast.events.sum())
    assert counted > 0


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# A ceasefire declared on the 13th, then the signing of the night before, reported louder: one deal (clustering.py's
# deal family may span two dates; a lone curated report of fighting a day off would stay apart).
FIRST = [record("x5", "2020-07-13", "AZE", "ARM", "0871", "apa.az"),
         record("t1", "2020-07-14", "TUR", "AZE", "051", "aa.com.tr"),
         record("g1", "2020-07-13", "GEO", "AZE", "040", "civil.ge")]
SECOND = [record("x1", "2020-07-12", "ARM", "AZE", "057", "news.am"),
          record("x2", "2020-07-12", "ARM", "AZE", "057", "reuters.com"),
          record("t2", "2020-08-02", "TUR", "AZE", "051", "aa.com.tr")]


def test_a_file_joining_a_cluster_moves_its_day_and_sides_in_the_rollups(tmp_path: Path) -> None:
    store = Store(":memory:")
    ingest_files(store, [_write(tmp_path / "first.jsonl", FIRST)])
    before = store.df("SELECT * FROM cluster_dyad_days ORDER BY actor1_country, event_date")
    assert [(r.actor1_country, r.actor2_country, str(r.event_date.date())) for r in before.itertuples()] == [
        ("AZE", "ARM", "2020-07-13"), ("GEO", "AZE", "2020-07-13"), ("TUR", "AZE", "2020-07-14")]
    ingest_files(store, [_write(tmp_path / "second.jsonl", SECOND)])
    # The 12th is the louder day: the lone report of the 13th joins its cluster, which now counts on the 12th,
    # Armenia first (its representative report); the AZE→ARM row of the 13th is gone, not left beside it.
    clash = store.df("SELECT cluster_id, event_date, actor1_country, num_sources FROM cluster_units "
                     "WHERE actor2_country IN ('ARM', 'AZE') AND actor1_country IN ('ARM', 'AZE')")
    assert clash.to_dict("records") == [{"cluster_id": "curated:x1", "event_date": pd.Timestamp("2020-07-12"),
                                         "actor1_country": "ARM", "num_sources": 3}]
    after = store.df("SELECT actor1_country, actor2_country, event_date, events, weight FROM cluster_dyad_days "
                     "ORDER BY actor1_country, event_date")
    assert [tuple(r) for r in after.astype(str).itertuples(index=False)] == [
        ("ARM", "AZE", "2020-07-12", "1", "3.0"), ("GEO", "AZE", "2020-07-13", "1", "1.0"),
        ("TUR", "AZE", "2020-07-14", "1", "1.0"), ("TUR", "AZE", "2020-08-02", "1", "1.0")]
    countries = store.df("SELECT country, event_date, weight FROM cluster_country_days WHERE country = 'ARM'")
    assert [(str(d.date()), w) for d, w in zip(countries.event_date, countries.weight, strict=True)] == [
        ("2020-07-12", 3.0)]
    assert_rollups_agree(store.con)
    incremental = {t: store.df(f"SELECT * FROM {t}") for t in CLUSTER_ROLLUPS}
    assert update_clusters(store) == 0  # nothing new: nothing changes
    rebuild_clusters(store)
    for table, frame in incremental.items():
        pd.testing.assert_frame_equal(_sorted(frame, _kind(table)), _sorted(store.df(f"SELECT * FROM {table}"),
                                      _kind(table)), obj=table)
    july = EventFilter(start="2020-07-01", end="2020-08-01")  # type: ignore[arg-type]
    series = dyad_series(store, "ARM", "AZE", freq="day", where=july)
    assert series.set_index("period").events.loc["2020-07-12"] == 1 and series.events.sum() == 1
    pd.testing.assert_frame_equal(series, dyad_series(DuckDBEngine(store), "ARM", "AZE", freq="day", where=july))


def test_a_store_clustered_before_the_rollups_gets_them_on_open(tmp_path: Path, shared: Path) -> None:
    db = tmp_path / "old.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        clusters = store.df("SELECT * FROM clusters ORDER BY event_id")
        # As schema 8 left it: clustered, with cluster_units, and none of the per-dyad rollups.
        for table in (*CLUSTER_ROLLUPS, "event_id_ranges"):
            store.con.execute(f"DROP TABLE {table}")
        store.con.execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'")
    where = EventFilter(start="2020-09-01", end="2020-12-01")  # type: ignore[arg-type]
    with Store(db, read_only=True) as store:  # a reader does not migrate: its series collapse the clusters instead
        old = dyad_series(store, "ARM", "AZE", freq="week", where=where)
        assert old.events.sum() > 10
    with Store(db) as store:
        assert store.df("SELECT value FROM meta WHERE key = 'schema_version'").value[0] == str(SCHEMA_VERSION)
        assert assert_rollups_agree(store.con) > 100
        pd.testing.assert_frame_equal(store.df("SELECT * FROM clusters ORDER BY event_id"), clusters)
        new = dyad_series(store, "ARM", "AZE", freq="week", where=where)
        pd.testing.assert_frame_equal(new, old, check_exact=False, rtol=1e-9)
        pd.testing.assert_frame_equal(new, dyad_series(DuckDBEngine(store), "ARM", "AZE", freq="week", where=where),
                                      check_exact=False, rtol=1e-9)


def test_which_rollups_answer_follows_the_clustering_progress(tmp_path: Path) -> None:
    store = Store(":memory:")
    assert (clusters_state(store), series_rollups(store)) == ("none", "reports")
    ingest_files(store, [_write(tmp_path / "first.jsonl", FIRST)])
    assert (clusters_state(store), series_rollups(store)) == ("current", "clusters")
    ingest_files(store, [_write(tmp_path / "second.jsonl", SECOND)])
    store.con.execute("UPDATE meta SET value = '1' WHERE key = 'clustered_file_id'")  # the second file not clustered
    assert (clusters_state(store), series_rollups(store)) == ("partial", None)
    july = EventFilter(start="2020-07-01", end="2020-09-01")  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(dyad_series(store, "TUR", "AZE", where=july),
                                  dyad_series(DuckDBEngine(store), "TUR", "AZE", where=july))
    store.con.execute("INSERT INTO ingested_files SELECT 3, format, 'empty.jsonl', 'x', 0, 0, 0, 0, 'done', NULL, "
                      "started_at, finished_at FROM ingested_files WHERE file_id = 2")
    store.refresh_aggregates()  # a file without events is folded: the newest file of the events says all is clustered
    store.con.execute("UPDATE meta SET value = '2' WHERE key = 'clustered_file_id'")
    assert (clusters_state(store), series_rollups(store)) == ("current", "clusters")
    store.con.execute("UPDATE meta SET value = '0' WHERE key = 'clustered_file_id'")
    assert (clusters_state(store), series_rollups(store)) == ("none", "reports")


@pytest.mark.parametrize("unit", ["clusters", "reports"])
def test_the_matrix_from_the_rollups_equals_collapsing_the_reports(caucasus_store: Store, unit: str) -> None:
    countries = ["ARM", "AZE", "GEO", "RUS", "TUR", "USA"]
    for where in (EventFilter(unit=unit), EventFilter(start="2020-07-01", end="2020-11-15",  # type: ignore[arg-type]
                                                      unit=unit)):
        fast = dyad_matrix(caucasus_store, countries, where=where)
        slow = dyad_matrix(DuckDBEngine(caucasus_store), countries, where=where)
        pd.testing.assert_frame_equal(fast, slow, check_exact=False, rtol=1e-9)
        assert fast.notna().sum().sum() >= 12
