"""Spark over a lake: a session (local, a cluster master, or Spark Connect) and the lake's tables as its views.

Spark reads the committed Parquet files of one snapshot by name, as DuckDB does, so it needs no table-format
jars (nothing to fetch from Maven offline). docs/deploy-spark.md says what changes on a cluster.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from geodrift.errors import StoreError
from geodrift.lake import LAKE_TABLES, OLD_PRECISION, PARTITIONS, Lake, Snapshot, events_layouts

_SESSIONS: dict[str, Any] = {}


def spark_session(master: str = "local[2]") -> Any:
    """A Spark session for ``master``: ``local[N]``, ``spark://host:7077`` (a cluster) or ``sc://host:15002`` (Connect).

    Dates and timestamps are read and written in UTC, as DuckDB does, so both engines agree. One session is kept
    per master for the life of the process (a session starts in 7-14 s).
    """
    cached = _SESSIONS.get(master)
    if cached is not None and cached.sparkContext._jsc is not None:  # not stopped since
        return cached
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise StoreError("--engine spark needs pyspark (pip install pyspark) and Java 17") from None
    # Listing a few hundred named files is quicker on the driver than as a Spark job.
    builder = (SparkSession.builder.appName("geodrift").config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.sources.parallelPartitionDiscovery.threshold", "100000"))
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = (builder.master(master).config("spark.ui.enabled", "false").config("spark.driver.memory", "2g")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.ui.showConsoleProgress", "false"))
    # Executors run this interpreter (its packages: geodrift, pyarrow), not whichever python3 is on the PATH;
    # PySpark reads the choice from the environment of the driver that launches them.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # a JVM that will not start, an unreachable master: one line, not a Java trace
        raise StoreError(f"cannot start Spark on {master}: {str(exc).strip().splitlines()[0]}") from None
    if not master.startswith("sc://"):
        session.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = session
    return session


def register_lake(spark: Any, lake: Lake, snapshot: Snapshot | None = None) -> Snapshot:
    """Register every table of the lake's snapshot (latest by default) as a Spark temporary view of that name."""
    snapshot = snapshot or lake.snapshot()
    for table in LAKE_TABLES:
        paths = lake.paths(snapshot, table)
        if not paths:
            continue
        frame = _events(spark, paths) if table == "events" else spark.read.parquet(*paths)
        if table in PARTITIONS:
            frame = frame.drop("year", "month")
        frame.createOrReplaceTempView(table)
    return snapshot


def _events(spark: Any, paths: list[str]) -> Any:
    """The events files, those written before the precision columns given them by the rule DuckDB reads them by
    (lake.OLD_PRECISION)."""
    from pyspark.sql.functions import expr

    current, older = events_layouts(paths)
    frames = [spark.read.parquet(*current)] if current else []
    if older:
        frame = spark.read.parquet(*older)
        for column, rule in OLD_PRECISION.items():
            frame = frame.withColumn(column, expr(rule))
        frames.append(frame)
    union = frames[0]
    for other in frames[1:]:
        union = union.unionByName(other)
    return union
