"""Where ingest's CPU goes, stage by stage: the steps of ``ingest_files`` for zipped GDELT 2.0 exports, run one after
another in this thread (no read-ahead), each timed in CPU seconds (all threads) and wall seconds.

Why: the ingest benchmark (bench/ingest_bench.py) gives one total against its baselines; choosing what to make
cheaper needs the parts (issue 19). CPU is the number to read on a shared machine; the load average is printed.

With ``--ordered-too`` the profile runs ``--rounds`` times as ingest does and as many times with the insert keeping
the files' row order (as it did before ``direct.unordered``), alternately, each into a fresh store; each stage's
lowest CPU of its rounds is printed per variant, so a loaded machine's noise does not decide the comparison.

Usage: python bench/ingest_stages.py [--rows 1000000] [--rows-per-file 100000] [--ordered-too] [--rounds 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.gdelt_files import build
from geodrift import aggregates, direct
from geodrift.ingest import GROUP_ROWS, file_checksum
from geodrift.sources.base import get_format
from geodrift.sources.delimited import Scan
from geodrift.store import FileAppend, Store

CPU: dict[str, float] = defaultdict(float)
WALL: dict[str, float] = defaultdict(float)
"""The running profile's seconds per stage (``run`` starts each profile with them empty)."""


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the CPU and wall seconds of the block to ``name``'s totals."""
    cpu, wall = _cpu(), time.perf_counter()
    yield
    CPU[name] += _cpu() - cpu
    WALL[name] += time.perf_counter() - wall


def _cpu() -> float:
    times = os.times()
    return times.user + times.system


def profile(files: list[Path], store: Store, rows_per_file: int) -> None:
    """Ingest ``files`` in groups of GROUP_ROWS rows as ``ingest_files`` does, timing each stage."""
    fmt = get_format("gdelt2")
    per_group = max(1, GROUP_ROWS // rows_per_file)
    for start in range(0, len(files), per_group):
        group, scans, opened = files[start:start + per_group], [], ExitStack()
        with opened:
            appends = []
            for path in group:
                with stage("checksum"):
                    checksum = file_checksum(path)
                with stage("unzip (ISA-L) and line check"):
                    parsed = opened.enter_context(fmt.open(path))
                assert isinstance(parsed.scan, Scan)
                scans.append(parsed.scan)
                appends.append(FileAppend("gdelt2", str(path), checksum, path.stat().st_size, [], []))
            with stage("read, derive, insert (one read_csv)"):
                inserted = store.insert_scans(scans)
            assert store._group is not None
            with stage("duplicate check, file records"):
                files_in = {file_id: FileAppend(a.fmt, a.location, a.checksum, a.size, [], rejected, file_id)
                            for a, (file_id, _, rejected) in zip(appends, inserted, strict=True)}
                direct.record_files(store.con, files_in, store._group, dt.datetime.now(), store._scans)
            with stage("dyad and country aggregates"):
                aggregates.fold_new_files(store.con)
            with stage("commit"):
                store.con.commit()
            store._group = None


def run(files: list[Path], rows_per_file: int, ordered: bool) -> tuple[dict[str, float], dict[str, float]]:
    """One profile into a fresh store: CPU and wall seconds per stage; ``ordered`` keeps the files' row order."""
    CPU.clear()
    WALL.clear()
    real = direct.unordered

    def keep_order(con: object) -> AbstractContextManager[None]:
        return nullcontext()

    direct.unordered = keep_order if ordered else real  # type: ignore[assignment]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(Path(tmp) / "stages.duckdb")
            profile(files, store, rows_per_file)
            with stage("close (checkpoint)"):
                store.close()
    finally:
        direct.unordered = real  # type: ignore[assignment]
    return dict(CPU), dict(WALL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rows-per-file", type=int, default=100_000)
    parser.add_argument("--ordered-too", action="store_true")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    shared = Path(os.environ.get("GEODRIFT_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    if not (shared / "gdelt-v1-georgia-2011-2013").is_dir():
        sys.exit(f"this profile needs the reference data at {shared} (or GEODRIFT_DATA)")
    work = Path(__file__).resolve().parent / "results"
    files = build(shared, work / f"gdelt2-{args.rows_per_file}", max(1, args.rows // args.rows_per_file),
                  args.rows_per_file)
    load = os.getloadavg()[0]
    variants = {"as ingest does": False, **({"rows kept in order": True} if args.ordered_too else {})}
    rounds = args.rounds if args.ordered_too else 1
    best: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    for _ in range(rounds):
        for name, ordered in variants.items():
            cpu, wall = run(files, args.rows_per_file, ordered)
            seen = best.get(name, (cpu, wall))
            best[name] = ({k: min(v, seen[0][k]) for k, v in cpu.items()}, {k: min(v, seen[1][k]) for k, v in wall.items()})
    rows = len(files) * args.rows_per_file
    print(f"ingest stages: {len(files)} files, {rows:,} rows; load average {load:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after; lowest of {rounds} round(s) per stage")
    print(f"{'stage (CPU s / wall s per 1M rows)':<40}" + "".join(f"{name:>24}" for name in best))
    per = 1e6 / rows
    for stage_name in best["as ingest does"][0]:
        print(f"{stage_name:<40}" + "".join(f"{cpu[stage_name] * per:>14.2f}{wall[stage_name] * per:>10.2f}"
                                            for cpu, wall in best.values()))
    print(f"{'total':<40}" + "".join(f"{sum(cpu.values()) * per:>14.2f}{sum(wall.values()) * per:>10.2f}"
                                     for cpu, wall in best.values()))


if __name__ == "__main__":
    main()
