"""Scaling benchmark (issue 19): GDELT-shaped data at several sizes, on DuckDB and on Spark local[2], in one run.

For each size (rows of synthetic GDELT 2.0 files, bench/gdelt_files.py) and each set-up, one fresh process runs
five steps and reports each step's time and the peak RSS of its process tree (Python, DuckDB, the JVM and Spark's
Python workers) while it ran:

    duckdb        a DuckDB file store, everything on DuckDB (the laptop default)
    lake-duckdb   a Parquet lake (--store lake:PATH), everything on DuckDB over it
    lake-spark    a Parquet lake, --engine spark: files parsed by Spark tasks, analytics on Spark; clustering and the
                  briefing have no Spark path and run on DuckDB over the lake (docs/deploy-spark.md says why)

Steps: ingest (files to store, without clustering), clustering, one dyad series (GEO-RUS monthly), the monthly
series of every dyad, and a South Caucasus briefing. It prints the table, the log-log slope of each step's time
against size, the crossover size where Spark would overtake DuckDB if the measured power laws held, and writes
bench/results/scale.json. Usage: python bench/scale_bench.py [--sizes 1000000,10000000] [--setups duckdb,lake-spark]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROWS_PER_FILE = 100_000
SETUPS = ("duckdb", "lake-duckdb", "lake-spark")
STEPS = ("ingest", "clustering", "dyad series", "all-dyad monthly", "briefing")
ALL_DYADS = """
    SELECT actor1_country, actor2_country, CAST(date_trunc('month', event_date) AS DATE) AS month, count(*) AS events,
           sum(goldstein * coalesce(num_sources, 1)) / sum(coalesce(num_sources, 1)) AS goldstein_mean,
           sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict
    FROM events WHERE actor1_country IS NOT NULL AND actor2_country IS NOT NULL GROUP BY ALL"""
"""Every dyad's monthly series in one query, the same SQL on both engines (SparkEngine transpiles it)."""


class PeakRSS:
    """The largest resident memory of this process and all its children, sampled every 50 ms."""

    def __init__(self) -> None:
        import psutil

        self.process, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            total = 0
            for proc in [self.process, *self.process.children(recursive=True)]:
                try:
                    total += proc.memory_info().rss
                except Exception:  # a worker that ended between listing and reading
                    continue
            self.peak = max(self.peak, total)
            time.sleep(0.05)

    def __enter__(self) -> PeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _timed(step: Callable[[], Any]) -> dict[str, float]:
    with PeakRSS() as rss:
        start = time.perf_counter()
        step()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_rss_mb": rss.peak / 2**20}


def run_setup(setup: str, files: list[Path], work: Path) -> dict[str, dict[str, float]]:
    """All steps of one set-up over ``files``, in this process (called in a fresh one by ``main``)."""
    import geodrift.ingest as ingest_module
    import geodrift.ingest_spark as spark_module
    from geodrift.analytics.dyads import dyad_series
    from geodrift.analytics.engine import DuckDBEngine, Engine, SparkEngine
    from geodrift.codebooks import briefing_regions
    from geodrift.lake_store import LakeStore, update_clusters
    from geodrift.report.briefing import build_briefing
    from geodrift.report.render import write_document
    from geodrift.store import Store

    # Clustering is its own step: the ingest functions' final clustering pass is timed separately below.
    ingest_module.update_clusters = spark_module.update_clusters = lambda store: 0  # type: ignore[assignment]
    store: Store = LakeStore(work / "lake") if setup.startswith("lake") else Store(work / "bench.duckdb")
    results = {}
    if setup == "lake-spark":
        from geodrift.lake_spark import spark_session

        results["spark start"] = _timed(lambda: spark_session("local[2]"))
        commits: list[float] = []
        append = spark_module._append

        def timed_append(*args: Any, **kwargs: Any) -> Any:  # the driver's share: the lake commits after parsing
            start = time.perf_counter()
            try:
                return append(*args, **kwargs)
            finally:
                commits.append(time.perf_counter() - start)

        spark_module._append = timed_append  # type: ignore[assignment]
        results["ingest"] = _timed(lambda: spark_module.ingest_files_spark(store, files))  # type: ignore[arg-type]
        results[" of which commit"] = {"seconds": sum(commits), "peak_rss_mb": 0.0}
    else:
        results["ingest"] = _timed(lambda: ingest_module.ingest_files(store, files))
    results["clustering"] = _timed(lambda: update_clusters(store))
    engine: Engine = DuckDBEngine(store)
    if setup == "lake-spark":
        def connect() -> None:
            nonlocal engine
            engine = SparkEngine.for_lake(store.lake)  # type: ignore[attr-defined]

        results["spark views"] = _timed(connect)
    results["dyad series"] = _timed(lambda: dyad_series(engine, "GEO", "RUS"))
    results["all-dyad monthly"] = _timed(lambda: engine.df(ALL_DYADS))
    region = briefing_regions()["caucasus"]

    def brief() -> None:
        document = build_briefing(store, dt.date(2020, 7, 24), region, work / "brief", days=14)
        write_document(document, work / "brief", "brief", ("md", "json"))

    results["briefing"] = _timed(brief)
    results["rows"] = {"seconds": float(store.count_events()), "peak_rss_mb": 0.0}
    store.close()
    return results


def _slope(sizes: list[int], seconds: list[float]) -> float | None:
    """Least-squares slope of log(time) on log(size): 1 is linear."""
    if len(sizes) < 2:
        return None
    xs, ys = [math.log(s) for s in sizes], [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def crossover(sizes: list[int], duck: list[float], spark: list[float]) -> str:
    """Where Spark's fitted power law meets DuckDB's, if it ever does at a larger size."""
    if len(sizes) < 2:
        return "needs two sizes"
    if all(s < d for s, d in zip(spark, duck, strict=True)):
        return "Spark faster at every measured size"
    b_d, b_s = _slope(sizes, duck), _slope(sizes, spark)
    assert b_d is not None and b_s is not None
    if b_s >= b_d:
        return "none (Spark's cost grows at least as fast)"
    n, d, s = sizes[-1], duck[-1], spark[-1]
    at = n * (s / d) ** (1 / (b_d - b_s))
    return f"~{at:,.0f} rows"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000,100000000")
    parser.add_argument("--setups", default=",".join(SETUPS))
    parser.add_argument("--run", nargs=3, metavar=("SETUP", "ROWS", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "gdelt-v1-georgia-2011-2013").is_dir():
        sys.exit(f"benchmarks need the reference data at {shared} (or GEODRIFT_DATA)")
    source = Path(__file__).resolve().parent / "results" / f"gdelt2-{ROWS_PER_FILE}"
    if args.run:
        from bench.gdelt_files import build

        setup, rows, work = args.run[0], int(args.run[1]), Path(args.run[2])
        files = build(shared, source, max(1, rows // ROWS_PER_FILE), ROWS_PER_FILE)
        print(json.dumps(run_setup(setup, files, work)))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    setups = [s for s in args.setups.split(",") if s]
    from bench.gdelt_files import build

    started = time.perf_counter()
    build(shared, source, max(sizes) // ROWS_PER_FILE, ROWS_PER_FILE)
    print(f"scale benchmark: synthetic GDELT 2.0 files of {ROWS_PER_FILE:,} rows ({time.perf_counter() - started:.0f} s "
          f"to build or reuse); sizes {', '.join(f'{s:,}' for s in sizes)}; set-ups {', '.join(setups)}", flush=True)
    table: dict[str, dict[int, dict[str, dict[str, float]]]] = {s: {} for s in setups}
    for rows in sizes:
        for setup in setups:
            with tempfile.TemporaryDirectory() as tmp:
                src = str(Path(__file__).resolve().parents[1] / "src")
                done = subprocess.run([sys.executable, __file__, "--run", setup, str(rows), tmp], capture_output=True,
                                      text=True, env={**os.environ, "PYTHONPATH": src})
            if done.returncode != 0:
                sys.exit(f"{setup} at {rows:,} rows failed:\n{done.stderr[-3000:]}")
            table[setup][rows] = json.loads(done.stdout.strip().splitlines()[-1])
            _print_one(setup, rows, table[setup][rows])
    _summary(table, sizes, setups)
    out = Path(__file__).resolve().parent / "results" / "scale.json"
    out.write_text(json.dumps({"sizes": sizes, "results": {s: {str(n): r for n, r in v.items()} for s, v in table.items()}},
                              indent=1))
    print(f"written: {out}")


def _print_one(setup: str, rows: int, result: dict[str, dict[str, float]]) -> None:
    stored = int(result["rows"]["seconds"])
    print(f"\n{setup} at {rows:,} rows ({stored:,} events stored)")
    print(f"  {'step':<18}{'seconds':>10}{'ns/row':>10}{'peak RSS MiB':>14}")
    for step, value in result.items():
        if step != "rows":
            print(f"  {step:<18}{value['seconds']:>10.2f}{value['seconds'] / rows * 1e9:>10.0f}"
                  f"{value['peak_rss_mb']:>14,.0f}", flush=True)


def _summary(table: dict[str, dict[int, dict[str, dict[str, float]]]], sizes: list[int], setups: list[str]) -> None:
    print("\nlog-log slope of time against size (1 = linear; target for duckdb: within 2x of linear)")
    print(f"  {'step':<18}" + "".join(f"{s:>14}" for s in setups))
    for step in STEPS:
        slopes = [_slope(sizes, [table[s][n][step]["seconds"] for n in sizes]) for s in setups]
        print(f"  {step:<18}" + "".join(f"{'-' if v is None else f'{v:.2f}':>14}" for v in slopes))
    if "duckdb" in setups and "lake-spark" in setups:
        print("\ncrossover (lake-spark vs duckdb, from the fitted power laws)")
        for step in STEPS:
            duck = [table["duckdb"][n][step]["seconds"] for n in sizes]
            spark = [table["lake-spark"][n][step]["seconds"] for n in sizes]
            print(f"  {step:<18}{crossover(sizes, duck, spark)}")


if __name__ == "__main__":
    main()
