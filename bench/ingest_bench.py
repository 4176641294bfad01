"""Ingest benchmark: geodrift vs DuckDB's bare scan vs pandas, on the same zipped GDELT 2.0 files.

Each contender runs in its own process so its peak RSS is its own. Targets (issue 19): geodrift's ingest
>= 0.5x the bare scan's rows/s and >= 1.5x pandas', peak RSS < 1.5 GiB. geodrift is timed twice in one run:
the ingest alone (until the last file is committed) and with the event clusters that ``ingest_files``
updates afterwards (``update_clusters``); the targets are for the ingest alone, and so is the peak RSS reported
against them (read when the last file is committed). CPU seconds (all threads) are printed too: on a machine shared
with other work, wall-clock ratios move with the others' load, CPU cost much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """User + system CPU of this process, all threads: on a shared machine, the cost that others' load leaves alone."""
    times = os.times()
    return times.user + times.system


def run_geodrift(files: list[Path]) -> tuple[int, dict[str, float]]:
    from geodrift.ingest import ingest_files
    from geodrift.store import FileResult, Store

    start, cpu = time.perf_counter(), _cpu_seconds()
    committed = {"ingest_seconds": 0.0, "ingest_cpu_seconds": 0.0, "ingest_peak_rss_mb": 0.0}

    def on_file(result: FileResult) -> None:
        committed.update(ingest_seconds=time.perf_counter() - start, ingest_cpu_seconds=_cpu_seconds() - cpu,
                         ingest_peak_rss_mb=_peak_mb())

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.duckdb") as store:
        results = ingest_files(store, files, on_file=on_file)
        assert all(r.status == "done" for r in results), results
        return store.count_events(), committed


def run_bare_duckdb(files: list[Path]) -> int:
    import duckdb

    con = duckdb.connect(config={"threads": 2})
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            with zipfile.ZipFile(path) as zf:
                member = zf.infolist()[0]
                target = Path(tmp) / member.filename
                zf.extract(member, tmp)
            # count(COLUMNS(*)) makes DuckDB produce every value; count(*) alone would skip parsing them.
            total += int(con.execute(
                f"SELECT count(COLUMNS(*)) FROM read_csv('{target}', delim='\t', header=false, all_varchar=true, quote='')"
            ).fetchall()[0][0])
            target.unlink()
    return total


def run_pandas(files: list[Path]) -> int:
    import pandas as pd

    frames = [pd.read_csv(path, sep="\t", header=None, compression="zip") for path in files]
    return len(pd.concat(frames, ignore_index=True))


CONTENDERS: dict[str, Callable[[list[Path]], int | tuple[int, dict[str, float]]]] = {
    "geodrift": run_geodrift, "duckdb-bare-scan": run_bare_duckdb, "pandas": run_pandas}


def measure(name: str, files: list[Path]) -> dict[str, float]:
    """Run one contender in a fresh process and return its rows, seconds and peak RSS."""
    out = subprocess.run([sys.executable, __file__, "--contender", name, *map(str, files)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contender", choices=CONTENDERS, required=True)
    parser.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    start, cpu = time.perf_counter(), _cpu_seconds()
    out = CONTENDERS[args.contender](args.files)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    rows, extra = out if isinstance(out, tuple) else (out, {})
    print(json.dumps({"rows": rows, "seconds": extra.get("ingest_seconds", seconds), "with_clusters_seconds": seconds,
                      "cpu_seconds": extra.get("ingest_cpu_seconds", cpu),
                      "peak_rss_mb": extra.get("ingest_peak_rss_mb", _peak_mb()), "with_clusters_peak_rss_mb": _peak_mb()}))


if __name__ == "__main__":
    main()
