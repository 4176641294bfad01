"""Engine per command: ingest on Spark (a task per file) and analytics on Spark over a lake give DuckDB's answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from geodrift.analytics.engine import SparkEngine
from geodrift.cli import app
from geodrift.errors import InputError
from geodrift.ingest import ingest_files
from geodrift.ingest_spark import ingest_files_spark
from geodrift.lake_spark import register_lake
from geodrift.lake_store import LakeStore
from geodrift.store import Store
from tests.analytics.test_engines import CASES
from tests.test_lake import TABLES, _table


def _files(shared: Path) -> list[Path]:
    return [shared / "caucasus-2020-events/events.jsonl",
            *sorted((shared / "gdelt-v1-georgia-2011-2013").glob("*2012.csv.gz"))[:4]]


@pytest.fixture(scope="module")
def lakes(shared: Path, spark_base: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same files ingested into one lake on DuckDB and into another on Spark (one task per file)."""
    folder = tmp_path_factory.mktemp("engines")
    with LakeStore(folder / "duckdb") as store:
        ingest_files(store, _files(shared))
    with LakeStore(folder / "spark") as store:
        results = ingest_files_spark(store, _files(shared))
    assert [r.status for r in results] == ["done"] * 5
    return folder / "duckdb", folder / "spark"


def test_spark_ingest_writes_the_lake_duckdb_ingest_writes(lakes: tuple[Path, Path]) -> None:
    with LakeStore(lakes[0], read_only=True) as on_duckdb, LakeStore(lakes[1], read_only=True) as on_spark:
        assert on_spark.count_events() == on_duckdb.count_events() > 20_000
        for table in TABLES:
            pd.testing.assert_frame_equal(_table(on_spark, table), _table(on_duckdb, table), obj=table)


def test_spark_ingest_skips_what_is_stored_and_needs_a_lake(shared: Path, lakes: tuple[Path, Path]) -> None:
    with LakeStore(lakes[1]) as store:
        assert {r.status for r in ingest_files_spark(store, _files(shared)[:2])} == {"skipped"}
    with Store(":memory:") as store, pytest.raises(InputError, match="lake"):
        ingest_files_spark(store, _files(shared)[:1])  # type: ignore[arg-type]


@pytest.mark.long  # about a minute for the eight analytics; tests/analytics/test_engines.py runs them by default
@pytest.mark.parametrize("name", sorted(CASES))
def test_analytics_on_spark_over_a_lake_match_duckdb(name: str, lakes: tuple[Path, Path], spark_base: Any) -> None:
    session = spark_base.newSession()
    with LakeStore(lakes[1], read_only=True) as store:
        register_lake(session, store.lake, store.snapshot)
        on_duckdb, on_spark = CASES[name](store), CASES[name](SparkEngine(session))
    assert len(on_duckdb) > 0
    sort = [c for c in ("dyad", "period", "category", "unit", "day") if c in on_duckdb.columns]
    left = (on_duckdb.sort_values(sort) if sort else on_duckdb).reset_index(drop=True)
    right = (on_spark.sort_values(sort) if sort else on_spark).reset_index(drop=True)
    if "period" in left:
        left["period"], right["period"] = pd.to_datetime(left["period"]), pd.to_datetime(right["period"])
    pd.testing.assert_frame_equal(left, right, check_dtype=False, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("verb", [["dyads", "ARM", "AZE", "--freq", "week", "--format", "json"],
                                  ["flareups", "ARM", "AZE", "--all", "--format", "json"]])
def test_engine_option_gives_the_same_output(verb: list[str], lakes: tuple[Path, Path]) -> None:
    answers = []
    for engine in ("duckdb", "spark"):
        result = CliRunner().invoke(app, ["--store", f"lake:{lakes[1]}", "--engine", engine, *verb])
        assert result.exit_code == 0, result.output
        answers.append(result.output)
    assert (answers[0] == answers[1] and '"events"' in answers[0]) or '"conflict_events"' in answers[0]


def test_spark_engine_needs_a_lake(caucasus_db: Path) -> None:
    result = CliRunner().invoke(app, ["--engine", "spark", "dyads", "ARM", "AZE", "--db", str(caucasus_db)])
    assert result.exit_code == 1 and "--engine spark reads a lake" in result.output
