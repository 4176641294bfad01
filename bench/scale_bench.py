"""Scaling benchmark (issue 19): GDELT-shaped data at several sizes, on DuckDB and on Spark local[2], in one run.

For each size (rows of synthetic GDELT 2.0 files, bench/gdelt_files.py) and each set-up, one fresh process runs
five steps and reports each step's time and the peak RSS of its process tree (Python, DuckDB, the JVM and Spark's
Python workers) while it ran:

    duckdb        a DuckDB file store, everything on DuckDB (the laptop default)
    lake-duckdb   a Parquet lake (--store lake:PATH), everything on DuckDB over it
    lake-spark    a Parquet lake, --engine spark: files parsed by Spark tasks, analytics on Spark; clustering and the
                  briefing have no Spark path and run on DuckDB over the lake (docs/deploy-spark.md says why)

Steps: ingest (files to store, without clustering), clustering, one dyad series (GEO-RUS monthly; on DuckDB set-ups
from the store's cluster rollup, as the CLI and API read it, and again through an engine, collapsing reports into
clusters on read as Spark does), the monthly series of every dyad, and a South Caucasus briefing; the dyad series on
read and the briefing are timed again collapsing every cluster of the store, as they did before a measure of a few
countries narrowed what it collapses (``on read, every cluster``, ``briefing, every cluster``: the baselines of the
ratios printed). ``--reuse DIR`` keeps each size's ingested, clustered store in DIR, so a second run times only the
reads. Each step records
wall time, CPU time of the process tree (what the slopes are judged on: a shared machine stretches wall time, not
work), peak RSS, the load average while it ran and, for ingest and clustering, the peak disk of the store and its
spill files. It prints the table, the log-log slope of each step's wall and CPU time against size, the crossover
size where Spark would overtake DuckDB if the measured power laws held, and writes bench/results/scale.json
(--keep adds to it, so sizes can be run one at a time). Usage:
python bench/scale_bench.py [--sizes 1000000,10000000] [--setups duckdb,lake-spark] [--keep] [--reuse DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ROWS_PER_FILE = 100_000
SETUPS = ("duckdb", "lake-duckdb", "lake-spark")
STEPS = ("ingest", "clustering", "dyad series", "dyad series, on read", "on read, every cluster", "all-dyad monthly",
         "briefing", "briefing, every cluster")
BASELINES = {"dyad series, on read": "on read, every cluster", "briefing": "briefing, every cluster"}
"""Steps timed again as they ran before a measure of a few countries narrowed the reports it collapses
(query.EventFilter.rows): every cluster of the store collapsed, the countries picked after."""
ALL_DYADS = """
    SELECT actor1_country, actor2_country, CAST(date_trunc('month', event_date) AS DATE) AS month, count(*) AS events,
           sum(goldstein * coalesce(num_sources, 1)) / sum(coalesce(num_sources, 1)) AS goldstein_mean,
           sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS material_conflict
    FROM events WHERE actor1_country IS NOT NULL AND actor2_country IS NOT NULL GROUP BY ALL"""
"""Every dyad's monthly series in one query, the same SQL on both engines (SparkEngine transpiles it)."""


class Monitor:
    """Peak resident memory and CPU time (user + system, all threads) of this process and its children, and the
    machine's load average, sampled every 50 ms while a step runs.

    CPU time is what a shared machine moves least: others' jobs stretch a step's wall time but not the work it does,
    so the slopes are judged on it. A child process that lives less than one sampling interval is missed.
    """

    def __init__(self, work: Path | None = None) -> None:
        import psutil

        self.process, self.peak, self._stop = psutil.Process(), 0, threading.Event()
        self.work, self.disk = work, 0
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self.loads: list[float] = []
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _read(self) -> None:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
                times = proc.cpu_times()
            except Exception:  # a worker that ended between listing and reading
                continue
            self._last[proc.pid] = times.user + times.system
        self.peak = max(self.peak, total)
        if self.work is not None and len(self.loads) % 10 == 0:
            self.disk = max(self.disk, _disk_use(self.work))
        self.loads.append(os.getloadavg()[0])

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self._read()

    @property
    def cpu_seconds(self) -> float:
        return sum(last - self._first.get(pid, 0.0) for pid, last in self._last.items())

    def __enter__(self) -> Monitor:
        self._read()
        self._first = dict(self._last)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._read()


def _disk_use(work: Path) -> int:
    """Bytes under ``work``: the store and DuckDB's spill files beside it (``bench.duckdb.tmp``)."""
    total = 0
    for path in work.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:  # a spill file removed between listing and reading
            continue
    return total


def _timed(step: Callable[[], Any], work: Path | None = None) -> dict[str, float]:
    with Monitor(work) as monitor:
        start = time.perf_counter()
        step()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "cpu_seconds": monitor.cpu_seconds, "peak_rss_mb": monitor.peak / 2**20,
            "peak_disk_mb": monitor.disk / 2**20, "load_mean": sum(monitor.loads) / len(monitor.loads),
            "load_max": max(monitor.loads)}


class _Progress(dict[str, dict[str, float]]):
    """Step results that are also written to stderr as each step ends, so a run stopped at a deadline (100 million
    rows can take hours on a loaded machine) still shows the steps it finished."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def __setitem__(self, step: str, value: dict[str, float]) -> None:
        super().__setitem__(step, value)
        print(f"  [{self.label}] {step}: {json.dumps(value)}", file=sys.stderr, flush=True)


def _ingest_progress(total: int) -> Callable[[Any], None]:
    """An ``on_file`` callback writing the process's CPU time per ten million rows ingested to stderr: whether
    ingest's cost per row grows with the store shows within one run, and in a run stopped before its end."""
    import psutil

    process, begun, done = psutil.Process(), time.perf_counter(), [0]
    first = sum(process.cpu_times()[:2])
    last = [first]

    def on_file(_result: Any) -> None:
        done[0] += 1
        if done[0] % 100 == 0 or done[0] == total:
            cpu = sum(process.cpu_times()[:2])
            print(f"  ingest: {done[0] * ROWS_PER_FILE:,} rows, {time.perf_counter() - begun:.0f} s wall, "
                  f"{cpu - first:.1f} s CPU; the last {min(done[0], 100) * ROWS_PER_FILE:,} rows {cpu - last[0]:.1f} s CPU, "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
            last[0] = cpu

    return on_file


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
    built = (work / "built").exists()  # a --reuse folder whose store a finished run ingested and clustered
    store: Store = LakeStore(work / "lake") if setup.startswith("lake") else Store(work / "bench.duckdb")
    results = _Progress(f"{setup} {len(files) * ROWS_PER_FILE:,}")
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
    if not built and setup == "lake-spark":
        results["ingest"] = _timed(lambda: spark_module.ingest_files_spark(store, files))  # type: ignore[arg-type]
        results[" of which commit"] = {"seconds": sum(commits)}
    elif not built:
        results["ingest"] = _timed(lambda: ingest_module.ingest_files(store, files, on_file=_ingest_progress(len(files))),
                                    work)
    if not built:
        results["clustering"] = _timed(lambda: update_clusters(store), work)
        (work / "built").touch()
    engine: Engine = DuckDBEngine(store)
    if setup == "lake-spark":
        def connect() -> None:
            nonlocal engine
            engine = SparkEngine.for_lake(store.lake)  # type: ignore[attr-defined]

        results["spark views"] = _timed(connect)
    # A DuckDB store answers a dyad series from its cluster rollup (cluster_units), as the CLI and the API do; an
    # engine (Spark's only way) collapses every report into its cluster on each read, timed apart on DuckDB too.
    spark = setup == "lake-spark"
    results["dyad series"] = _timed(lambda: dyad_series(engine if spark else store, "GEO", "RUS"))
    if not spark:
        results["dyad series, on read"] = _timed(lambda: dyad_series(engine, "GEO", "RUS"))
    results["all-dyad monthly"] = _timed(lambda: engine.df(ALL_DYADS))
    region = briefing_regions()["caucasus"]

    def brief() -> None:
        document = build_briefing(store, dt.date(2020, 7, 24), region, work / "brief", days=14)
        write_document(document, work / "brief", "brief", ("md", "json"))

    results["briefing"] = _timed(brief)
    if not spark:  # the baselines last: a run stopped at a deadline has the new figures first
        results["on read, every cluster"] = _timed(lambda: _every_cluster(lambda: dyad_series(engine, "GEO", "RUS")))
    results["briefing, every cluster"] = _timed(lambda: _every_cluster(brief))
    results["rows"] = {"seconds": float(store.count_events())}
    store.close()
    return results


def _every_cluster(step: Callable[[], Any]) -> Any:
    """``step`` with every measure collapsing all clusters of the store and picking its countries after (the
    baseline of BASELINES)."""
    from geodrift.query import EventFilter

    rows, weights = EventFilter.rows, EventFilter.weights
    EventFilter.rows = lambda self, clustered=True, sides="TRUE", touching="": rows(self, clustered)  # type: ignore[method-assign]
    EventFilter.weights = lambda self, clustered=True, sides="TRUE": rows(self, clustered)  # type: ignore[method-assign]
    try:
        return step()
    finally:
        EventFilter.rows, EventFilter.weights = rows, weights  # type: ignore[method-assign]


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


@contextlib.contextmanager
def _work(reuse: Path | None, setup: str, rows: int) -> Iterator[str]:
    """The run's folder: a temporary one, or ``reuse``'s folder for the set-up and size, kept for the next run."""
    if reuse is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield tmp
        return
    folder = reuse / f"{setup}-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    yield str(folder)


def _commit() -> str:
    """The code base measured, so figures can be tied to a commit."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000,100000000")
    parser.add_argument("--setups", default=",".join(SETUPS))
    parser.add_argument("--keep", action="store_true",
                        help="add to the results already in bench/results/scale.json (sizes run separately)")
    parser.add_argument("--reuse", type=Path,
                        help="keep each run's ingested, clustered store in this folder and time only the reads when "
                             "a finished run left it there")
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
        print(json.dumps(dict(run_setup(setup, files, work))))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    setups = [s for s in args.setups.split(",") if s]
    from bench.gdelt_files import build

    started = time.perf_counter()
    build(shared, source, max(sizes) // ROWS_PER_FILE, ROWS_PER_FILE)
    print(f"scale benchmark at {_commit()}: synthetic GDELT 2.0 files of {ROWS_PER_FILE:,} rows "
          f"({time.perf_counter() - started:.0f} s to build or reuse); sizes {', '.join(f'{s:,}' for s in sizes)}; "
          f"set-ups {', '.join(setups)}", flush=True)
    out = Path(__file__).resolve().parent / "results" / "scale.json"
    table: dict[str, dict[int, dict[str, Any]]] = {s: {} for s in SETUPS}
    if args.keep and out.exists():
        for setup, runs in json.loads(out.read_text())["results"].items():
            table[setup].update({int(n): r for n, r in runs.items()})
    for rows in sizes:
        for setup in setups:
            with _work(args.reuse, setup, rows) as tmp:
                src = str(Path(__file__).resolve().parents[1] / "src")
                begun = time.perf_counter()
                done = subprocess.run([sys.executable, __file__, "--run", setup, str(rows), tmp], stdout=subprocess.PIPE,
                                      text=True, env={**os.environ, "PYTHONPATH": src})
                total = time.perf_counter() - begun
            if done.returncode != 0:
                sys.exit(f"{setup} at {rows:,} rows failed (its error is above)")
            run = {"commit": _commit(), "seconds": total, "finished": time.strftime("%FT%TZ", time.gmtime())}
            table[setup][rows] = {**json.loads(done.stdout.strip().splitlines()[-1]), "run": run}
            _print_one(setup, rows, table[setup][rows])
            out.write_text(json.dumps({"results": {s: {str(n): r for n, r in sorted(v.items())} for s, v in table.items()
                                                   if v}}, indent=1))
    _summary({s: v for s, v in table.items() if v})
    print(f"written: {out}")


def _print_one(setup: str, rows: int, result: dict[str, Any]) -> None:
    stored = int(result["rows"]["seconds"])
    print(f"\n{setup} at {rows:,} rows ({stored:,} events stored; {result['run']['seconds']:.0f} s in all)")
    print(f"  {'step':<22}{'wall s':>10}{'CPU s':>10}{'CPU ns/row':>12}{'peak RSS MiB':>14}{'load mean/max':>15}")
    for step, value in result.items():
        if step in ("rows", "run"):
            continue
        cpu = value.get("cpu_seconds")
        print(f"  {step:<22}{value['seconds']:>10.2f}" + (f"{cpu:>10.2f}{cpu / rows * 1e9:>12.0f}" if cpu is not None
              else f"{'':>22}") + (f"{value['peak_rss_mb']:>14,.0f}{value['load_mean']:>9.1f}/{value['load_max']:<5.1f}"
              if "peak_rss_mb" in value else "") + (f"  disk {value['peak_disk_mb']:,.0f} MiB" if value.get("peak_disk_mb")
                                                    else ""), flush=True)
    for step, baseline in BASELINES.items():
        if step in result and baseline in result:
            print(f"  {step}: {result[step]['cpu_seconds']:.2f} CPU s against {result[baseline]['cpu_seconds']:.2f} "
                  f"collapsing every cluster, "
                  f"{result[baseline]['cpu_seconds'] / max(result[step]['cpu_seconds'], 1e-9):.1f}x less work")


def _summary(table: dict[str, dict[int, dict[str, Any]]]) -> None:
    """Slopes of wall and CPU time against size per set-up over the sizes it was run at, and crossovers."""
    print("\nlog-log slope against size, wall / CPU (1 = linear), and CPU per row at the largest size over the "
          "smallest ('x linear'; target for duckdb: within 2x of linear)")
    for setup, runs in table.items():
        sizes = sorted(runs)
        print(f"  {setup} over {', '.join(f'{n:,}' for n in sizes)} rows")
        for step in STEPS:
            if not all(step in runs[n] for n in sizes):
                continue
            wall = _slope(sizes, [runs[n][step]["seconds"] for n in sizes])
            cpu = _slope(sizes, [runs[n][step]["cpu_seconds"] for n in sizes])
            if wall is None or cpu is None:
                continue
            first, last = runs[sizes[0]][step]["cpu_seconds"], runs[sizes[-1]][step]["cpu_seconds"]
            times = (last / sizes[-1]) / max(first / sizes[0], 1e-12)
            print(f"    {step:<22}{wall:>6.2f} / {cpu:<6.2f}{times:>8.2f}x linear")
    common = sorted(set(table.get("duckdb", {})) & set(table.get("lake-spark", {})))
    if len(common) >= 2:
        print(f"\ncrossover (lake-spark vs duckdb, wall time, fitted power laws over {', '.join(f'{n:,}' for n in common)})")
        for step in [s for s in STEPS if all(s in table["lake-spark"][n] for n in common)]:
            duck = [table["duckdb"][n][step]["seconds"] for n in common]
            spark = [table["lake-spark"][n][step]["seconds"] for n in common]
            print(f"  {step:<22}{crossover(common, duck, spark)}")


if __name__ == "__main__":
    main()
