"""Where analytics run: one SQL text (DuckDB dialect), executed on DuckDB or, transpiled, on Spark.

Analytics are written once as SQL over the canonical ``events`` table; SQLGlot translates the
DuckDB dialect to Spark SQL, so both engines answer the same query. Results come back as
pandas DataFrames with the same columns and types.
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from geodrift.errors import InputError
from geodrift.lake import Lake
from geodrift.lake_spark import register_lake, spark_session
from geodrift.lake_store import LakeStore
from geodrift.store import Store


class Engine(Protocol):
    """Runs a read-only SQL query (DuckDB dialect) over a table named ``events``."""

    name: str

    def df(self, sql: str) -> pd.DataFrame:
        """Result of ``sql`` as a DataFrame."""
        ...

    def has_table(self, name: str) -> bool:
        """Whether an optional table (e.g. ``clusters``) is there to read."""
        ...


class DuckDBEngine:
    """The default engine: the embedded store."""

    name = "duckdb"

    def __init__(self, store: Store) -> None:
        self.store = store

    def df(self, sql: str) -> pd.DataFrame:
        return self.store.df(sql)

    def has_table(self, name: str) -> bool:
        return self.store.has_table(name)


class SparkEngine:
    """Spark: the same SQL, transpiled with SQLGlot, over a Spark table or view named ``events``.

    Args:
        spark: a SparkSession in which ``events`` is registered (e.g. from the Parquet export).
    """

    name = "spark"

    def __init__(self, spark: Any) -> None:
        self.spark = spark

    @classmethod
    def for_lake(cls, lake: Lake, master: str = "local[2]") -> SparkEngine:
        """An engine over the latest snapshot of ``lake``, on a session for ``master``."""
        spark = spark_session(master)
        register_lake(spark, lake)
        return cls(spark)

    def df(self, sql: str) -> pd.DataFrame:
        import sqlglot

        spark_sql = sqlglot.transpile(sql, read="duckdb", write="spark")[0]
        # Through Arrow, so types (and nulls as NaN) match what DuckDB returns.
        frame: pd.DataFrame = self.spark.sql(spark_sql).toArrow().to_pandas()
        return frame

    def has_table(self, name: str) -> bool:
        return bool(self.spark.catalog.tableExists(name))


def engine_for(target: Store | Engine) -> Engine:
    """An engine for a store (DuckDB) or an engine passed through."""
    return DuckDBEngine(target) if isinstance(target, Store) else target


def lake_of(store: Store) -> Lake:
    """The lake behind a store; Spark reads lakes only (a DuckDB file is one process's)."""
    if not isinstance(store, LakeStore):
        raise InputError(f"{store.path}: --engine spark reads a lake; use --store lake:PATH "
                         "(ingest the files into a lake)")
    return store.lake
