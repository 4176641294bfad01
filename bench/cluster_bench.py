"""Clustering benchmark: clustering rows/s against ingest rows/s measured in the same run (issue 15: >= 0.5x).

Ingest is timed with clustering switched off (geodrift.ingest's hook replaced by a no-op), then the same store is
clustered from scratch (``rebuild_clusters``), so both figures cover the same rows. Two workloads:

    python -m bench.cluster_bench                      # the real Georgia GDELT 1.0 files (105k rows)
    python -m bench.cluster_bench --rows 10000000      # synthetic GDELT 2.0 files resampled from them (bench/gdelt_files.py)
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from geodrift import ingest
from geodrift.clustering import rebuild_clusters
from geodrift.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
CACHE = Path(tempfile.gettempdir()) / "geodrift-bench-gdelt2"


def _cpu() -> float:
    """CPU seconds of this process, every thread: on a shared machine, the figure a before/after comparison trusts."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(files: list[Path], db: Path) -> dict[str, float]:
    """Seconds (wall and CPU) to ingest ``files`` without clustering, then to cluster everything; rows and clusters."""
    hook = ingest.update_clusters
    ingest.update_clusters = lambda store: 0  # type: ignore[assignment]
    try:
        with Store(db) as store:
            started, cpu = time.perf_counter(), _cpu()
            ingest.ingest_files(store, files)
            ingest_s, ingest_cpu = time.perf_counter() - started, _cpu() - cpu
    finally:
        ingest.update_clusters = hook  # type: ignore[assignment]
    with Store(db) as store:
        started, cpu = time.perf_counter(), _cpu()
        rows = rebuild_clusters(store)
        cluster_s, cluster_cpu = time.perf_counter() - started, _cpu() - cpu
        clusters = int(store.df("SELECT count(*) AS n FROM cluster_summary").n[0])
    return {"rows": rows, "clusters": clusters, "ingest_s": ingest_s, "cluster_s": cluster_s, "ingest_cpu": ingest_cpu,
            "cluster_cpu": cluster_cpu}


def run(rows: int = 0, rows_per_file: int = 250_000, data: Path = SHARED,
        cache: Path = CACHE) -> dict[str, float]:
    """Ingest then cluster ``rows`` synthetic GDELT 2.0 rows (0: the real Georgia files) and print the ratio."""
    if rows:
        from bench.gdelt_files import build

        per_file = min(rows, rows_per_file)
        files = build(data, cache / str(per_file), max(1, rows // per_file), per_file)
    else:
        files = sorted((data / "gdelt-v1-georgia-2011-2013").glob("*.csv.gz"))
    with tempfile.TemporaryDirectory() as tmp:
        r = measure(files, Path(tmp) / "bench.duckdb")
    ingest_rate, cluster_rate = r["rows"] / r["ingest_s"], r["rows"] / r["cluster_s"]
    print(f"clustering benchmark: {len(files)} files (issue 15: clustering >= 0.5x ingest speed, same run)")
    print(f"rows {r['rows']:,}  clusters {r['clusters']:,} (cluster rate {r['clusters'] / r['rows']:.3f})")
    print(f"ingest   {r['ingest_s']:8.2f} s  {ingest_rate:12,.0f} rows/s  (CPU {r['ingest_cpu']:.1f} s)")
    print(f"cluster  {r['cluster_s']:8.2f} s  {cluster_rate:12,.0f} rows/s  (CPU {r['cluster_cpu']:.1f} s)")
    print(f"ratio clustering/ingest speed: {cluster_rate / ingest_rate:.2f} by wall time, "
          f"{r['ingest_cpu'] / r['cluster_cpu']:.2f} by CPU (target >= 0.5)")
    return r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=0, help="synthetic GDELT 2.0 rows (0: the real Georgia files)")
    parser.add_argument("--rows-per-file", type=int, default=250_000)
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    run(args.rows, args.rows_per_file, args.data, args.cache)


if __name__ == "__main__":
    main()
