"""Every analytic gives the same answer on DuckDB and on Spark (local mode), from one SQL text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import dyad_categories, dyad_quad_counts, dyad_series
from geodrift.analytics.engine import SparkEngine
from geodrift.analytics.flareups import flareups
from geodrift.analytics.salience import developments
from geodrift.forecast.history import load_history
from geodrift.query import EventFilter
from geodrift.store import Store

WHERE = EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1))


@pytest.fixture(scope="session")
def spark(spark_base: Any, caucasus_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    session = spark_base.newSession()  # the one local Spark, with this module's own temporary views
    folder = tmp_path_factory.mktemp("spark") / "events"
    caucasus_store.export_parquet(Path(folder))
    session.read.parquet(str(folder)).createOrReplaceTempView("events")
    clusters = caucasus_store.arrow("SELECT event_id, cluster_id FROM clusters")
    session.createDataFrame(clusters.to_pandas()).createOrReplaceTempView("clusters")
    yield session


CASES = {
    "dyad_series": lambda t: dyad_series(t, "ARM", "AZE", where=WHERE),
    "dyad_series_weekly_directed": lambda t: dyad_series(t, "TUR", "AZE", directed=True, freq="week", where=WHERE),
    "dyad_categories": lambda t: dyad_categories(t, "AZE", "TUR", where=WHERE),
    "dyad_quad_counts": lambda t: dyad_quad_counts(t, ["ARM", "AZE", "GEO", "RUS", "TUR"]),
    "alignment": lambda t: alignment_series(t, "AZE", "RUS", "TUR", where=WHERE, n_boot=50),
    "flareups": lambda t: flareups(t, "ARM", "AZE", freq="week",
                                   where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4))),
    "flareups_country": lambda t: flareups(t, country="AZE", freq="week",
                                           where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4))),
    "developments": lambda t: developments(t, ["ARM", "AZE", "GEO", "RUS", "TUR"], dt.date(2020, 7, 10),
                                           dt.date(2020, 7, 25), members=["ARM", "AZE", "GEO"])
    .drop(columns=["event_ids", "outlets", "places"]).sort_values(["a", "b", "root", "modality"]),
    "forecast_history": lambda t: load_history(t, level="dyad", where=EventFilter(sources=("curated",)))
    .counts.sort_values(["unit", "day", "known"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_duckdb_and_spark_agree(name: str, caucasus_store: Store, spark: Any) -> None:
    on_duckdb = CASES[name](caucasus_store)
    on_spark = CASES[name](SparkEngine(spark))
    assert len(on_duckdb) > 0
    sort = [c for c in ("dyad", "period", "category") if c in on_duckdb.columns]
    left = (on_duckdb.sort_values(sort) if sort else on_duckdb).reset_index(drop=True)
    right = (on_spark.sort_values(sort) if sort else on_spark).reset_index(drop=True)
    for column in ("period",):
        if column in left:
            left[column], right[column] = pd.to_datetime(left[column]), pd.to_datetime(right[column])
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-9)
