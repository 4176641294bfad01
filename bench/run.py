"""Run the benchmarks; each prints ratios against baselines measured in the same run.

Usage: python bench/run.py [--only ingest|cluster|analytics|drift|coder|forecast|conflict|api|load] [--load-seconds S]
       [--rows N] [--cluster-rows N] [--analytics-rows N] [--drift-streams N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.analytics_bench import run as analytics
from bench.api_bench import run as api
from bench.cluster_bench import run as cluster
from bench.coder_report import main as coder
from bench.conflict_backtest import main as conflict
from bench.drift_validation import evaluate
from bench.forecast_bench import run as forecast
from bench.gdelt_files import build
from bench.ingest_bench import measure
from bench.load_bench import run as load


def ingest(rows: int, rows_per_file: int, shared: Path, work: Path) -> None:
    files = build(shared, work / f"gdelt2-{rows_per_file}", max(1, rows // rows_per_file), rows_per_file)
    print(f"ingest benchmark: {len(files)} zipped GDELT 2.0 export files, {rows_per_file:,} rows each "
          f"(load average {os.getloadavg()[0]:.1f}; stages: bench/ingest_stages.py)")
    results = {name: measure(name, files) for name in ("geodrift", "duckdb-bare-scan", "pandas")}
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")
    print(f"{'contender':<18}{'rows':>12}{'seconds':>10}{'rows/s':>12}{'CPU s':>8}{'peak RSS MiB':>14}")
    for name, r in results.items():
        print(f"{name:<18}{int(r['rows']):>12,}{r['seconds']:>10.2f}{r['rows'] / r['seconds']:>12,.0f}"
              f"{r['cpu_seconds']:>8.1f}{r['peak_rss_mb']:>14,.0f}")
    clustered = results["geodrift"]
    print(f"{'  + clusters':<18}{int(clustered['rows']):>12,}{clustered['with_clusters_seconds']:>10.2f}"
          f"{clustered['rows'] / clustered['with_clusters_seconds']:>12,.0f}{'':>8}"
          f"{clustered['with_clusters_peak_rss_mb']:>14,.0f}   (ingest_files with update_clusters)")
    ours = results["geodrift"]["rows"] / results["geodrift"]["seconds"]
    bare = results["duckdb-bare-scan"]["rows"] / results["duckdb-bare-scan"]["seconds"]
    pandas = results["pandas"]["rows"] / results["pandas"]["seconds"]
    print(f"geodrift / bare scan = {ours / bare:.2f} (target >= 0.5; ingest alone, without the clusters)")
    print(f"geodrift / pandas    = {ours / pandas:.2f} (target >= 1.5; ingest alone, without the clusters)")
    print(f"geodrift peak RSS    = {results['geodrift']['peak_rss_mb']:,.0f} MiB (target < 1536; ingest alone)")
    cpu = {name: r["cpu_seconds"] / r["rows"] for name, r in results.items()}
    print(f"CPU per row: geodrift / bare scan = {cpu['geodrift'] / cpu['duckdb-bare-scan']:.2f}, "
          f"geodrift / pandas = {cpu['geodrift'] / cpu['pandas']:.2f} (lower is better; what others' load leaves alone)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--rows-per-file", type=int, default=100_000)
    parser.add_argument("--cluster-rows", type=int, default=10_000_000)
    parser.add_argument("--analytics-rows", type=int, default=20_000_000)
    parser.add_argument("--drift-streams", type=int, default=200)
    parser.add_argument("--load-seconds", type=float, default=300.0)
    parser.add_argument("--only", default=None,
                        choices=["ingest", "cluster", "analytics", "drift", "coder", "forecast", "conflict", "api", "load"])
    args = parser.parse_args()
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "gdelt-v1-georgia-2011-2013").is_dir():
        sys.exit(f"benchmarks need the reference data at {shared} (or GEODRIFT_DATA)")
    work = Path(__file__).resolve().parent / "results"
    if args.only in (None, "ingest"):
        ingest(args.rows, args.rows_per_file, shared, work)
    if args.only in (None, "cluster"):
        cluster(args.cluster_rows, data=shared)  # issue 15: clustering >= 0.5x ingest at 10M rows, same run
    if args.only in (None, "analytics"):
        analytics(args.analytics_rows)
    if args.only in (None, "coder"):
        coder()
    if args.only in (None, "api"):
        api()
    if args.only in (None, "load"):
        load(seconds=args.load_seconds)
    if args.only in (None, "forecast"):
        forecast()
    if args.only in (None, "conflict"):
        conflict(shared)  # issue 16: every conflict task's rolling backtest, target < 10 CPU-minutes
    if args.only in (None, "drift"):
        result = evaluate(args.drift_streams)
        print(f"drift validation: {args.drift_streams} shifted (1 SD) and {args.drift_streams} placebo daily streams, "
              "730 days each; targets: detection >= 0.9 within 28 days, <= 0.1 false alarms per series-year")
        for key, value in result.items():
            print(f"  {key:<28}{value:8.3f}")


if __name__ == "__main__":
    main()
