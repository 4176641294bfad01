"""Short reads run as many at once as the server's DuckDB threads, whatever the number of clients."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from typing import Any

import httpx
import pytest

from geodrift.store import Store
from geodrift.web import routes
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings


@pytest.mark.parametrize("threads", [1, 2])
def test_reads_run_at_most_threads_at_once(settings: ServeSettings, web_store: Store, threads: int,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    active, most, lock = 0, 0, threading.Lock()
    real = routes.analytics.dyad_answer

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        time.sleep(0.05)  # long enough for every client's request to be waiting
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                active -= 1

    monkeypatch.setattr(routes.analytics, "dyad_answer", counted)
    with running(create_app(replace(settings, threads=threads, cache_size=0), web_store)) as url:
        def client(i: int, out: list[int]) -> None:
            out.append(httpx.get(f"{url}/api/v1/dyads/ARM/AZE/series", params={"freq": "month", "n": i},
                                 timeout=30).status_code)

        codes: list[int] = []
        clients = [threading.Thread(target=client, args=(i, codes)) for i in range(8)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join()
    assert codes == [200] * 8
    assert most == threads
