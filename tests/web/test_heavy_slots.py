"""Analyses and briefings over the API run in the server's read slots, with a bounded queue: a burst beyond it is
answered at once with 503 and Retry-After, instead of every request computing at once in FastAPI's 40 threads."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

import httpx
import pytest

from geodrift.store import Store
from geodrift.web import routes
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings


@pytest.mark.parametrize("path", ["/api/v1/analyses/AZE", "/analysis"])
def test_a_burst_of_analyses_is_bounded_and_told_when_to_retry(settings: ServeSettings, web_store: Store, path: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    threads, burst = 1, 6
    active, most, lock, release = 0, 0, threading.Lock(), threading.Event()
    real = routes.reports.build_analysis

    def held(*args: Any, **kwargs: Any) -> Any:
        nonlocal active, most
        with lock:
            active += 1
            most = max(most, active)
        release.wait(30)  # every request of the burst arrives while the first computes
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                active -= 1

    monkeypatch.setattr(routes.reports, "build_analysis", held)
    monkeypatch.setattr(routes.pages, "build_analysis", held)
    with running(create_app(replace(settings, threads=threads, cache_size=0), web_store)) as url:
        answers: list[httpx.Response] = []

        def client(day: int) -> None:
            answers.append(httpx.get(url + path, params={"country": "AZE", "pole_a": "RUS", "pole_b": "TUR",
                                                         "from": "2020-07-01", "to": f"2020-10-{day:02d}"}, timeout=60))

        clients = [threading.Thread(target=client, args=(day,)) for day in range(1, burst + 1)]
        for thread in clients:
            thread.start()
        refused = []
        while len(refused) < burst - 2 * threads:  # the ones beyond the queue are answered while the first computes
            with lock:
                refused = [a for a in answers if a.status_code == 503]
            assert any(t.is_alive() for t in clients)
            threading.Event().wait(0.05)
        release.set()
        for thread in clients:
            thread.join()
        assert sorted(a.status_code for a in answers) == [200] * (2 * threads) + [503] * (burst - 2 * threads)
        assert most == threads, f"{most} analyses computed at once with {threads} read slot"
        for answer in refused:
            assert int(answer.headers["Retry-After"]) >= 1
            message = answer.json()["error"]["message"] if path.startswith("/api/") else answer.text
            assert "2 analyses and briefings are being computed or waiting" in message
        series = httpx.get(f"{url}/api/v1/dyads/ARM/AZE/series", params={"freq": "month"}, timeout=30)
        assert series.status_code == 200, "other reads go on"
