"""API benchmark: p50/p95 latency and throughput of the dyad series and /events under 16 concurrent clients
over a >= 10M-event store (loopback, bounded run), beside the same query called in-process (no HTTP).

Targets (issue 19): uncached dyad series p95 < 150 ms and events page p95 < 150 ms, the cached figures measured
in the same run. Each client asks for random dyads among the 20 most active countries (190 pairs). Servers
measured (each a real `geodrift serve` process): one process with the response cache (answers reused until the
store changes), one without it (every request recomputed), and two read-only worker processes without the cache.

Latency under load depends on whatever else the machine runs, so each row also gives the servers' CPU time per
request (their processes' user + system time over the run / requests), the load generator's own (its 16 client
threads share the cores with the server) and the load average, and the in-process lines the CPU time of one
uncached answer as served (the series and the events it counts apart from one read, its columns to JSON) against
the path it replaced (the events counted apart read by a statement of their own): figures that move little with
the load. On a clustered store (the default unit, clusters) the
series read the clusters' dyad rollups (``cluster_dyad_months`` ...), and an in-process line gives, as the baseline,
the CPU of summing ``cluster_units`` per request as such a store did before them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

from bench.analytics_bench import _codes, build
from geodrift.analytics.dyads import dyad_answer, dyad_columns, dyad_undated, rollup_rows, series_sql, undated_note
from geodrift.analytics.engine import DuckDBEngine
from geodrift.analytics.listings import event_records
from geodrift.cluster_units import clusters_state
from geodrift.query import ALL_MODALITIES, EventFilter, sql_in
from geodrift.store import Store
from geodrift.web.models import EventPage, columns_json

CLIENTS = 16
SECONDS = 20.0
PORT = 8877
SERVERS = {"1 process, cache": ([], "512"), "1 process, no cache": ([], "0"),
           "2 read-only workers, no cache": (["--read-only", "--workers", "2"], "0")}


def _load(url: str, paths: list[str], params: dict[str, str], seconds: float) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.perf_counter() < stop:
                start = time.perf_counter()
                response = http.get(rng.choice(paths), params=params)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def _pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1e3


def _cpu_seconds(process: subprocess.Popen[bytes]) -> float:
    """User + system CPU time of the server and its worker processes so far."""
    root = psutil.Process(process.pid)
    return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])


def _served(reader: Store, a: str, b: str) -> bytes:
    """A monthly dyad series answer as the server builds it: the series and the events it counts apart from one read
    (``dyad_answer``), its columns to JSON."""
    columns, undated = dyad_answer(reader, a, b)
    note = undated_note(undated, "month")
    return columns_json(columns, f"{a}–{b} per month" + (f"; {note}" if note else ""), undated)


def _two_reads(reader: Store, a: str, b: str) -> bytes:
    """The same answer as the server built it before (the baseline): the series, then ``dyad_undated``'s own
    statement and frame."""
    undated = dyad_undated(reader, a, b)
    rows = list(undated.itertuples(index=False, name=None))
    note = undated_note(undated, "month")
    return columns_json(dyad_columns(reader, a, b), f"{a}–{b} per month" + (f"; {note}" if note else ""), rows)


def _in_process(store: Store) -> tuple[float, float, float, float]:
    """Median wall ms of one uncached dyad series answer, CPU ms of it as the server builds it (``_served``) and as it
    did before (``_two_reads``: the baseline), best of 5 rounds alternating the two (each pair's answers checked
    equal), and CPU ms of an events page answer; one caller, a session per answer as the server had."""
    pairs = list(itertools.islice(itertools.combinations(_codes()[:20], 2), 20))
    wall = []
    for a, b in pairs:
        start = time.perf_counter()
        body = _served(store, a, b)
        wall.append(time.perf_counter() - start)
        if body != _two_reads(store, a, b):
            raise AssertionError(f"{a}-{b}: the one-read answer differs from the two reads'")
    best = {_served: float("inf"), _two_reads: float("inf")}
    for _ in range(5):
        for answer in best:
            start = time.process_time()
            for a, b in pairs:
                with store.session() as reader:
                    answer(reader, a, b)
            best[answer] = min(best[answer], (time.process_time() - start) / len(pairs))
    where = EventFilter(start=dt.date(2019, 1, 1), modalities=ALL_MODALITIES, actors=("AZE",))
    start = time.process_time()
    for _ in range(20):
        rows, cursor = event_records(store, where, 100)
        EventPage.model_validate({"events": rows, "next_cursor": cursor}).model_dump_json()
    return (statistics.median(wall) * 1e3, best[_served] * 1e3, best[_two_reads] * 1e3,
            (time.process_time() - start) / 20 * 1e3)


def _collapsing_cpu(store: Store) -> float:
    """CPU ms of one monthly dyad series by clusters summed from ``cluster_units`` per request: how a clustered store
    answered before the per-dyad cluster rollups (the baseline of the clustered line), over five pairs."""
    pairs = list(itertools.islice(itertools.combinations(_codes()[:20], 2), 5))
    engine = DuckDBEngine(store)
    start = time.process_time()
    for a, b in pairs:
        pair = f"(actor1_country = '{a}' AND actor2_country = '{b}') OR (actor1_country = '{b}' AND actor2_country = '{a}')"
        engine.df(series_sql("month", rollup_rows(EventFilter()), sql_in([a, b]), pair))
    return (time.process_time() - start) / len(pairs) * 1e3


def _serve(db: Path, flags: list[str], cache: str) -> subprocess.Popen[bytes]:
    geodrift = Path(sys.executable).with_name("geodrift")
    process = subprocess.Popen([str(geodrift), "serve", "--port", str(PORT), "--db", str(db), *flags],
                               env={**os.environ, "GEODRIFT_API_CACHE": cache}, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{PORT}/api/v1/forecasts", timeout=5)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def run(rows: int = 10_000_000, seconds: float = SECONDS, db: Path | None = None) -> None:
    """Build a store of ``rows`` events (or reuse ``db`` when it exists) and load each server for ``seconds``."""
    with tempfile.TemporaryDirectory() as tmp:
        db = db or Path(tmp) / "api.duckdb"
        fresh = not db.exists()
        with Store(db) as store:
            if fresh:
                build(store, rows)
                store.refresh_aggregates()
                store.optimize()
            count = store.count_events()
            clustered = clusters_state(store) != "none"
            direct, series_cpu, two_cpu, page_cpu = _in_process(store)
            collapsing = _collapsing_cpu(store) if clustered else None
        print(f"API benchmark: {count:,} synthetic events, {CLIENTS} concurrent clients, {seconds:.0f} s per "
              "endpoint (loopback); " + ("clustered: series count clusters (the default unit)" if clustered else
                                         "not clustered: series count reports (cluster a copy to measure clusters)"))
        pairs = [f"/api/v1/dyads/{a}/{b}/series" for a, b in itertools.combinations(_codes()[:20], 2)]
        cases = {"dyad series (random of 190 pairs)": (pairs, {}),
                 "events page (actor=AZE, 100 rows)": (["/api/v1/events"], {"actor": "AZE", "limit": "100",
                                                                            "from": "2019-01-01"})}
        print("CPU ms/req: the server's processes; client: this process's 16 client threads, on the same cores. "
              "load: the 1-minute load average before and after the run (2 cores here)")
        print(f"{'endpoint':<36}{'server':>32}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}"
              f"{'CPU ms/req':>12}{'client':>8}{'load':>12}")
        for server, (flags, cache) in SERVERS.items():
            process = _serve(db, flags, cache)
            try:
                for name, (paths, params) in cases.items():
                    cpu, client, load = _cpu_seconds(process), time.process_time(), os.getloadavg()[0]
                    latencies, errors = _load(f"http://127.0.0.1:{PORT}", paths, params, seconds)
                    n = max(1, len(latencies))
                    cpu, client = (_cpu_seconds(process) - cpu) / n * 1e3, (time.process_time() - client) / n * 1e3
                    print(f"{name:<36}{server:>32}{len(latencies):>10}{len(latencies) / seconds:>8.1f}"
                          f"{_pct(latencies, 0.5):>9.1f}{_pct(latencies, 0.95):>9.1f}{errors:>8}{cpu:>12.2f}"
                          f"{client:>8.2f}{f'{load:.1f}-{os.getloadavg()[0]:.1f}':>12}")
            finally:
                process.terminate()
                process.wait()
        print(f"in-process dyad series (no HTTP, one caller): median {direct:.1f} ms; CPU per answer (to JSON): "
              f"dyad series {series_cpu:.2f} ms (one read, as served) against {two_cpu:.2f} ms (the events counted "
              f"apart read on their own, as before: {two_cpu / series_cpu:.2f}x), events page {page_cpu:.2f} ms")
        if collapsing is not None:
            print(f"in-process, clustered: a series summed from cluster_units per request (before the cluster rollups; "
                  f"its SQL alone) costs {collapsing:.1f} ms CPU, {collapsing / series_cpu:.1f}x the answer from the rollups")
        print("targets: uncached (no cache) dyad series p95 < 150 ms, events page p95 < 150 ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--db", type=Path, help="reuse this store if it exists (else build it there)")
    args = parser.parse_args()
    run(args.rows, args.seconds, args.db)
