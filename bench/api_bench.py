"""API benchmark: p50/p95 latency and throughput of /events and the dyad series under 16 concurrent clients
over a >= 10M-event store (loopback, bounded run), beside the same queries called in-process (no HTTP).

Target (issue 8): p95 < 200 ms for the series endpoint. Each client asks for random dyads among the 20 most
active countries (190 pairs), run twice: with the server's response cache (answers reused until the store
changes) and without it (every request recomputed).
"""

from __future__ import annotations

import itertools
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.analytics_bench import _codes, build
from geodrift.analytics.dyads import dyad_series
from geodrift.store import Store
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings

CLIENTS = 16
SECONDS = 20.0


def _load(url: str, paths: list[str], params: dict[str, str]) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + SECONDS

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


def run(rows: int = 10_000_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "api.duckdb"
        with Store(db) as store:
            build(store, rows)
            store.refresh_aggregates()
            store.optimize()
            print(f"API benchmark: {store.count_events():,} synthetic events, {CLIENTS} concurrent clients, "
                  f"{SECONDS:.0f} s per endpoint (loopback)")
            direct = []
            for _ in range(20):
                start = time.perf_counter()
                dyad_series(store, "AZE", "RUS")
                direct.append(time.perf_counter() - start)
            pairs = [f"/api/v1/dyads/{a}/{b}/series" for a, b in itertools.combinations(_codes()[:20], 2)]
            cases = {"dyad series (random of 190 pairs)": (pairs, {}),
                     "events page (actor=AZE, 100 rows)": (["/api/v1/events"], {"actor": "AZE", "limit": "100",
                                                                                "from": "2019-01-01"})}
            print(f"{'endpoint':<36}{'cache':>7}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
            for cache_size in (512, 0):
                with running(create_app(ServeSettings(db=str(db), cache_size=cache_size), store)) as url:
                    for name, (paths, params) in cases.items():
                        latencies, errors = _load(url, paths, params)
                        print(f"{name:<36}{'on' if cache_size else 'off':>7}{len(latencies):>10}"
                              f"{len(latencies) / SECONDS:>8.1f}{_pct(latencies, 0.5):>9.1f}"
                              f"{_pct(latencies, 0.95):>9.1f}{errors:>8}")
            print(f"in-process dyad series (no HTTP, one caller): median {statistics.median(direct) * 1e3:.1f} ms")
            print("target: dyad series p95 < 200 ms")


if __name__ == "__main__":
    run()
