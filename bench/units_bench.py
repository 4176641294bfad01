"""Counting by cluster (the default unit) against counting reports, on GDELT-shaped rows resampled from the real
Georgia extract (bench/gdelt_files.py; every row a real GDELT coding).

Measured in one run on one store: (1) a dyad's monthly series from the per-cluster rollup (``cluster_units``),
from collapsing the reports into clusters on every read (the path any filter but dates and one modality takes),
and from the report aggregates (``--unit reports``); (2) the rollup's upkeep: one more file ingested and clustered
(the rollup refreshed for the clusters it touched), and a refresh of every cluster against the bulk ingest.

Usage: python bench/units_bench.py [--files 10] [--rows-per-file 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.analytics_bench import timed
from bench.gdelt_files import build
from geodrift.analytics.dyads import dyad_series
from geodrift.analytics.engine import DuckDBEngine
from geodrift.cluster_units import refresh_units
from geodrift.ingest import ingest_files
from geodrift.query import EventFilter
from geodrift.store import Store

DYADS = [("GEO", "RUS"), ("GEO", "USA"), ("RUS", "USA"), ("GEO", "ARM"), ("GEO", "AZE"), ("GEO", "TUR")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10)
    parser.add_argument("--rows-per-file", type=int, default=100_000)
    args = parser.parse_args()
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    with tempfile.TemporaryDirectory() as tmp:
        files = build(shared, Path(tmp) / "gdelt", args.files, args.rows_per_file)
        with Store(Path(tmp) / "u.duckdb") as store:
            start = time.perf_counter()
            ingest_files(store, files[:-1])
            bulk = time.perf_counter() - start
            con = store.con
            start = time.perf_counter()
            ingest_files(store, files[-1:])
            with_rollup = time.perf_counter() - start
            reports, clusters = store.count_events(), int(store.df("SELECT count(*) AS n FROM cluster_units").n[0])
            print(f"units benchmark: {reports:,} reports in {clusters:,} cluster-modality rows "
                  f"({reports / clusters:.2f} reports each); {len(files) - 1} files ingested and clustered in {bulk:.1f} s")
            con.execute("CREATE OR REPLACE TEMP TABLE all_ids AS SELECT DISTINCT cluster_id FROM clusters")
            refresh = timed(lambda: (con.begin(), refresh_units(con, "all_ids"), con.commit()), repeat=1)
            print(f"{'rollup upkeep':<48}{'seconds':>10}")
            print(f"{'ingest + cluster + rollup of the last file':<48}{with_rollup:>10.2f}")
            print(f"{'full rollup refresh (every cluster)':<48}{refresh:>10.2f}")
            print(f"full refresh / bulk ingest of {len(files) - 1} files = {refresh / bulk:.2f}")
            rows = {"reports (report aggregates)": lambda a, b: dyad_series(store, a, b, where=EventFilter(unit="reports")),
                    "clusters (rollup)": lambda a, b: dyad_series(store, a, b),
                    "clusters (collapsed on read)": lambda a, b: dyad_series(DuckDBEngine(store), a, b)}
            times = {name: timed(lambda f=f: [f(a, b) for a, b in DYADS], repeat=3) / len(DYADS) for name, f in rows.items()}
            print(f"{'one dyad, monthly series':<48}{'ms':>10}{'vs reports':>12}")
            for name, seconds in times.items():
                print(f"{name:<48}{seconds * 1e3:>10.1f}{seconds / times['reports (report aggregates)']:>12.2f}")
            print("target: counting clusters by the rollup within 2x of counting reports by their aggregates")


if __name__ == "__main__":
    main()
