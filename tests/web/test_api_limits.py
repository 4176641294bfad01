"""What one client can make the server keep, and the words its errors use (attacker review 8, F10 and F11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from geodrift.errors import InputError
from geodrift.query import EventFilter, through
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings

SERIES = "/api/v1/dyads/ARM/AZE/series?freq=day"


def test_the_cache_is_bounded_by_bytes_and_keeps_no_answer_over_an_eighth(settings: ServeSettings,
                                                                          web_store: Store) -> None:
    """F10: bounded by entries alone (512), 301 distinct daily series grew a server by 190 MB. Here 20 distinct
    year-long daily series (~75 KB each) pass through a 1 MB cache: it keeps the latest within its bytes, and a
    10-year daily series (~740 KB, over an eighth of it) is computed each time rather than emptying the cache."""
    app = create_app(replace(settings, cache_bytes=1_000_000), web_store)
    client, cache = TestClient(app), app.state.server.cache
    urls = [f"{SERIES}&from={dt.date(2020, 1, 1) + dt.timedelta(days=i)}&to=2020-12-31" for i in range(20)]
    sizes = [len(client.get(url).content) for url in urls]
    assert min(sizes) > 60_000 and sum(sizes) > 1_000_000, sizes
    assert cache.bytes <= 1_000_000 and 0 < len(cache._items) < 20
    assert client.get(urls[-1]).headers["X-Cache"] == "hit"
    assert client.get(urls[0]).headers["X-Cache"] == "miss", "the least recently used answer went first"
    kept = cache.bytes
    decade = f"{SERIES}&from=2011-01-01&to=2020-12-31"
    for _ in range(2):
        answer = client.get(decade)
        assert answer.status_code == 200 and len(answer.content) > 1_000_000 // 8
        assert answer.headers["X-Cache"] == "miss"
    assert cache.bytes == kept


def test_no_bytes_means_no_cache(settings: ServeSettings, web_store: Store) -> None:
    client = TestClient(create_app(replace(settings, cache_bytes=0), web_store))
    url = f"{SERIES}&from=2020-09-01&to=2020-09-30"
    assert [client.get(url).headers["X-Cache"] for _ in range(2)] == ["miss", "miss"]


@pytest.mark.parametrize(("url", "message"), [
    ("/api/v1/dyads/ARM/AZE/series?to=2200-01-02", "to 2200-01-02 is outside 1800-2200"),
    ("/api/v1/clusters?from=0001-01-01", "from 0001-01-01 is outside 1800-2200"),
    ("/api/v1/events?from=1799-12-31", "from 1799-12-31 is outside 1800-2200"),
    ("/api/v1/briefings/1800-01-01?days=31", "days 31 ending on 1800-01-01 start before 1800-01-01"),
    ("/api/v1/briefings/1799-01-01", "day 1799-01-01 is outside 1800-2200"),
    ("/api/v1/briefings/2020-07-24?as_of=0001-01-01", "as_of 0001-01-01 is outside 1800-2200"),
])
def test_api_errors_name_the_parameters_and_values_sent(client: TestClient, url: str, message: str) -> None:
    """F11: the API said "--to 2200-01-02" for to=2200-01-01, "--from 1799-12-02" for days=31 and "--known-by" for
    as_of: CLI options and days the client never sent."""
    answer = client.get(url)
    assert answer.status_code == 400
    text = answer.json()["error"]["message"]
    assert text.startswith(message) and "--" not in text, text


@pytest.mark.parametrize("url", ["/api/v1/dyads/ARM/AZE/series?to=2200-01-01",
                                 "/api/v1/dyads/ARM/AZE/series?from=2200-01-01",
                                 "/api/v1/clusters?to=2200-01-01", "/api/v1/events?from=2199-12-31&to=2200-01-01"])
def test_the_last_supported_day_is_answered(client: TestClient, url: str) -> None:
    """2200-01-01 is the documented last supported day: asked for as an inclusive ``to`` (or an open span's start),
    it was refused as 2200-01-02, the half-open end computed from it."""
    assert client.get(url).status_code == 200, client.get(url).text


def test_the_cli_keeps_its_own_words() -> None:
    """EventFilter, which the CLI builds from its options, still names them; and the CLI's --to 2200-01-01 passes."""
    with pytest.raises(InputError, match=r"^--from 0001-01-01 is outside"):
        EventFilter(start=dt.date(1, 1, 1))
    with pytest.raises(InputError, match=r"^--to 2200-01-02 is outside"):  # the last day of [start, 2200-01-03)
        EventFilter(end=dt.date(2200, 1, 3))
    assert EventFilter(end=through(None, dt.date(2200, 1, 1))).end == dt.date(2200, 1, 2)
