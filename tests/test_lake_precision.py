"""Lakes written before the precision columns (schema 11): their events files read the columns by the rule migration
11 fills an older DuckDB store's with, in DuckDB and in Spark, and such a lake takes new files beside the old ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from geodrift.analytics.dyads import dyad_series
from geodrift.ingest import ingest_files
from geodrift.lake import Lake
from geodrift.lake_spark import register_lake
from geodrift.lake_store import LakeStore
from geodrift.query import EventFilter
from geodrift.store_schema import OLD_ADDED_PRECISION, OLD_EVENT_PRECISION

GEORGIA = "gdelt-v1-georgia-2011-2013"
PRECISIONS = ("SELECT source, event_date_precision, date_added_precision, count(*) FROM events "
              "GROUP BY ALL ORDER BY ALL")


@pytest.fixture()
def old_lake(shared: Path, tmp_path: Path) -> Path:
    """A lake of the curated events and a month of GDELT, its events files rewritten in the layout before schema 11."""
    import duckdb

    path = tmp_path / "lake"
    with LakeStore(path) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl", shared / GEORGIA / "july2012.csv.gz"])
    con = duckdb.connect()
    files = Lake(path).paths(Lake(path).snapshot(), "events")
    assert files
    for name in files:
        con.execute(f"COPY (SELECT * EXCLUDE (event_date_precision, date_added_precision) FROM read_parquet('{name}')) "
                    f"TO '{name}.old' (FORMAT parquet)")
        Path(name + ".old").replace(name)
    return path


def expected(store: LakeStore) -> list[tuple[Any, ...]]:
    """The precisions the old rule gives the lake's rows (what migration 11 stores in an older DuckDB store)."""
    return store.con.execute(f"SELECT source, {OLD_EVENT_PRECISION}, {OLD_ADDED_PRECISION}, count(*) FROM events "
                             "GROUP BY ALL ORDER BY ALL").fetchall()


def test_an_old_lake_reads_the_precision_by_the_old_rule(old_lake: Path) -> None:
    with LakeStore(old_lake, read_only=True) as store:
        found = store.con.execute(PRECISIONS).fetchall()
        assert found == expected(store)
        assert ("curated", "month", "month") in [row[:3] for row in found]
        series = dyad_series(store, "ARM", "AZE", freq="month",
                             where=EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1)))
        assert series.events.sum() > 30


def test_an_old_lake_takes_new_files_beside_the_old_ones(shared: Path, old_lake: Path) -> None:
    with LakeStore(old_lake) as store:
        before = store.count_events()
        ingest_files(store, [shared / GEORGIA / "aug2012.csv.gz"])
        assert store.count_events() > before
        added = store.con.execute("SELECT count(*), count(*) FILTER (event_date_precision = 'day') FROM events "
                                  "WHERE event_date >= '2012-08-01' AND event_date < '2012-09-01'").fetchall()[0]
        assert added[0] > 100 and added[0] == added[1]
        assert store.con.execute("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM clusters)"
                                 ).fetchall() == [(0,)]


def test_spark_reads_an_old_lake_as_duckdb_does(old_lake: Path, spark_base: Any) -> None:
    session = spark_base.newSession()
    register_lake(session, Lake(old_lake))
    found = [tuple(r) for r in session.sql(PRECISIONS).collect()]
    with LakeStore(old_lake, read_only=True) as store:
        assert found == store.con.execute(PRECISIONS).fetchall()
