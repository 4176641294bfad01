"""Bounded load test: 32 clients on 127.0.0.1 for 5 minutes against one `geodrift serve` process, a mixed workload.

Each client picks, at random, a dyad series, a page of events (sometimes CSV), an alignment, one event, or a
dashboard page; a tenth of requests are malformed on purpose (must be 4xx, never 5xx). Prints requests, error rate
(5xx and transport errors), p50/p95/p99 per kind, and each kind's p95 against the p95 of a static file served by the
same process in the same run (the HTTP floor).
"""

from __future__ import annotations

import itertools
import random
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from bench.analytics_bench import _codes, build
from bench.api_bench import PORT, _pct, _serve
from geodrift.store import Store

CLIENTS = 32


def _request(rng: random.Random, pairs: list[tuple[str, str]], ids: list[str]) -> tuple[str, str, dict[str, str]]:
    a, b = rng.choice(pairs)
    roll = rng.random()
    if roll < 0.05:
        return "static file (floor)", "/static/style.css", {}
    if roll < 0.15:
        return "malformed (must be 4xx)", rng.choice(["/api/v1/events", f"/api/v1/dyads/{a}/XXX/series",
                                                      "/api/v1/events/none"]), {"limit": "-1"}
    if roll < 0.45:
        return "dyad series", f"/api/v1/dyads/{a}/{b}/series", {"freq": rng.choice(["week", "month"])}
    if roll < 0.65:
        return "events page", "/api/v1/events", {"actor": a, "limit": "100", "format": rng.choice(["json", "csv"])}
    if roll < 0.75:
        swing = b if a in ("RUS", "USA") else a
        return "alignment", f"/api/v1/alignment/{swing}", {"pole_a": "RUS", "pole_b": "USA", "freq": "quarter",
                                                       "from": "2020-01-01", "to": "2022-12-31"}
    if roll < 0.90:
        return "event by id", f"/api/v1/events/{rng.choice(ids)}", {}
    return "dashboard dyad page", f"/dyad/{a}/{b}", {}


def _load(url: str, seconds: float, pairs: list[tuple[str, str]],
          ids: list[str]) -> tuple[dict[str, list[float]], dict[str, int]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=url, timeout=60) as http:
            while time.perf_counter() < stop:
                kind, path, params = _request(rng, pairs, ids)
                start = time.perf_counter()
                try:
                    status = http.get(path, params=params).status_code
                except httpx.HTTPError:
                    status = 599
                took = time.perf_counter() - start
                bad = status >= 500 or (kind.startswith("malformed") and status < 400) or (
                    not kind.startswith("malformed") and status not in (200, 404))
                with lock:
                    latencies[kind].append(took)
                    errors[kind] += bad

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def run(rows: int = 1_000_000, seconds: float = 300.0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "load.duckdb"
        with Store(db) as store:
            build(store, rows)
            store.refresh_aggregates()
            store.optimize()
            ids = list(store.df("SELECT event_id FROM events USING SAMPLE 2000 ROWS").event_id)
        pairs = list(itertools.combinations(_codes()[:20], 2))
        process = _serve(db, [], "512")
        try:
            latencies, errors = _load(f"http://127.0.0.1:{PORT}", seconds, pairs, ids)
        finally:
            process.terminate()
            process.wait()
    total = sum(len(v) for v in latencies.values())
    failed = sum(errors.values())
    floor = _pct(latencies["static file (floor)"], 0.95)
    print(f"load test: {rows:,} synthetic events, {CLIENTS} clients, {seconds:.0f} s, one server process (loopback)")
    print(f"{'request':<26}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p95/floor':>11}")
    for kind in sorted(latencies):
        values = latencies[kind]
        print(f"{kind:<26}{len(values):>8}{errors[kind]:>8}{_pct(values, 0.5):>9.1f}{_pct(values, 0.95):>9.1f}"
              f"{_pct(values, 0.99):>9.1f}{_pct(values, 0.95) / floor:>11.1f}")
    print(f"all: {total:,} requests ({total / seconds:.1f}/s), error rate {failed / max(1, total):.4%} (target 0)")


if __name__ == "__main__":
    run(rows=200_000, seconds=20.0)
