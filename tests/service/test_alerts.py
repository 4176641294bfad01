"""Alerts after an update: the API, the Atom feed a user subscribes to, the alerts page and the dashboard's line,
written briefings served; webhook retries and signatures; forecasts crossing their threshold."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from geodrift.service import forecasts as service_forecasts
from geodrift.service.alerts import run_alerts
from geodrift.service.context import RunContext
from geodrift.service.fetch import Fetcher
from geodrift.service.forecasts import run_forecasts
from geodrift.service.settings import FetchPolicy, ServiceConfig, Subscriber, load_config
from geodrift.service.update import run_update
from geodrift.service.webhooks import deliver_pending, signature
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.service.site import Site, serve
from tests.service.world import World


@pytest.fixture(scope="module")
def updated(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[World, Path]]:
    folder = tmp_path_factory.mktemp("alerts")
    with serve(folder / "www") as site:
        world = World(shared, site, folder)
        world.write_config()
        world.add_gdelt("20200724050000", "20200724051500")
        # News to 16 July, coded beside the coder's own earlier weeks: the week of 6 July is a flare-up by clusters.
        world.news(upto="2020-07-16")
        db = world.seed(coded=True)  # the coder's own history: its news is tested against it
        with Store(db) as store:
            result = run_update(store, load_config(world.config), cache_dir=folder / "cache",
                                now=dt.datetime(2020, 7, 24, 5, 40))
        assert result.status == "ok", result.stages
        shutil.copy(db, folder / "pristine.duckdb")  # for tests that write: the server below owns the store
        yield world, db


@pytest.fixture(scope="module")
def client(updated: tuple[World, Path]) -> Iterator[TestClient]:
    _, db = updated
    store = Store(db)
    yield TestClient(create_app(ServeSettings(db=str(db)), store))
    store.close()


def test_the_api_lists_alerts_with_evidence_and_filters_by_subscription(client: TestClient) -> None:
    alerts = client.get("/api/v1/alerts").json()["alerts"]
    keys = {a["key"] for a in alerts}
    # Counted by clusters the week of 13 July is the first flare-up between Armenia and Azerbaijan (the coder's 5 events
    # against 0.57 expected from its own earlier weeks, p 0.0009); the week of 6 July (Sunday 12 July alone) has 2
    # events since the coder dates a Monday report's "on Sunday" shelling to the 12th, where it joins that day's cluster
    # (p 0.043, not flagged; 3 events and p 0.004 before). Not in Azerbaijan alone (one event placed there).
    assert "flareup:ARM-AZE:2020-07-13" in keys and not any(k.startswith("flareup:AZE:") for k in keys)
    first = next(a for a in alerts if a["key"] == "flareup:ARM-AZE:2020-07-13")
    assert first["kind"] == "flare-up" and first["period"] == "2020-07-13" and "Armenia and Azerbaijan" in first["title"]
    assert first["evidence"] and all(e["url"].startswith(("http://", "https://")) for e in first["evidence"])
    assert {a["key"] for a in client.get("/api/v1/alerts?pair=AZE-ARM").json()["alerts"]} == {"flareup:ARM-AZE:2020-07-13"}
    assert {a["subject"] for a in client.get("/api/v1/alerts?country=Azerbaijan").json()["alerts"]} == {"ARM-AZE"}
    assert client.get("/api/v1/alerts?country=GEO").json()["alerts"] == []
    bad = client.get("/api/v1/alerts?pair=ARM")
    assert bad.status_code == 400 and "write two countries as ARM-AZE" in bad.json()["error"]["message"]
    assert "/api/v1/alerts" in client.get("/api/v1/openapi.json").json()["paths"]


def test_the_atom_feed_is_valid_and_links_the_evidence(client: TestClient) -> None:
    answer = client.get("/alerts.atom?pair=ARM-AZE")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(answer.content)
    assert not feed.bozo and feed.feed.title == "geodrift alerts" and len(feed.entries) == 1
    entry = feed.entries[0]
    assert entry.title.startswith("Flare-up between Armenia and Azerbaijan") and entry.updated
    related = [link.href for link in entry.links if link.rel == "related"]
    assert related and all("/event/" in href for href in related)
    assert any(link.rel == "via" and link.href.startswith("https://") for link in entry.links)
    assert client.get(related[0].replace("http://testserver", "")).status_code == 200, "evidence opens on the dashboard"


def test_pages_show_alerts_and_the_written_briefings(client: TestClient) -> None:
    page = client.get("/alerts").text
    assert "Flare-up between Armenia and Azerbaijan" in page and 'href="/alerts.atom"' in page
    daily = client.get("/daily").text
    assert 'href="/daily/2020-07-24/caucasus"' in daily
    briefing = client.get("/daily/2020-07-24/caucasus")
    assert briefing.status_code == 200 and "South Caucasus briefing, 24 July 2020" in briefing.text
    assert "script-src" not in briefing.headers["content-security-policy"]
    assert client.get("/daily/2020-07-24/caucasus?format=json").json()["parameters"]["date"] == "2020-07-24"
    assert client.get("/daily/2020-07-23/caucasus").status_code == 404
    assert client.get("/daily/2020-07-24/..%2F..%2Fetc").status_code == 404
    home = client.get("/").text
    assert "Today's briefing (2020-07-24)" in home and "Latest alert:" in home


def _context(store: Store, config: ServiceConfig, now: dt.datetime) -> RunContext:
    return RunContext(store, config, Fetcher(config.fetch), now, "test", Path("/nonexistent"))


@pytest.fixture()
def hook(tmp_path: Path) -> Iterator[Site]:
    with serve(tmp_path / "www") as site:
        yield site


def test_webhooks_are_signed_retried_and_given_up(updated: tuple[World, Path], hook: Site, tmp_path: Path) -> None:
    _, db = updated
    copy = Path(shutil.copy(db.parent / "pristine.duckdb", tmp_path / "copy.duckdb"))
    policy = FetchPolicy(timeout=2, backoff=0.01, host_delay=0)
    config = ServiceConfig(fetch=policy, alert_pairs=("ARM-AZE",), webhook_attempts=4, recent_days=30,
                           subscribers=(Subscriber("desk", hook.url + "/desk", "k3y", countries=("AZE",)),
                                        Subscriber("gone", hook.url + "/gone", "", pairs=("ARM-AZE",))))
    with Store(copy) as store:
        store.con.execute("DELETE FROM alert_deliveries")
        store.con.execute("DELETE FROM alerts")
        hook.post_faults["/desk"] = [503, 503, 503]
        hook.post_faults["/gone"] = [410]
        ctx = _context(store, config, dt.datetime(2020, 7, 24, 6))
        assert "new; webhooks: " in run_alerts(ctx)
        deliveries = store.df("SELECT alert_id, target, status, attempts, last_error FROM alert_deliveries ORDER BY ALL")
        desk = deliveries[deliveries.target.str.endswith("/desk")]
        assert len(desk) == 1 and (desk.status.iloc[0], desk.attempts.iloc[0]) == ("pending", 3), "3 tries a run"
        assert desk.last_error.iloc[0] == "HTTP 503 Service Unavailable"
        gone = deliveries[deliveries.target.str.endswith("/gone")]
        assert list(gone.status) == ["failed"] and gone.last_error.iloc[0].startswith("HTTP 410"), "4xx: given up"
        assert deliver_pending(ctx) == (1, 0, 0), "the next run delivers what was pending"
        assert set(store.df("SELECT status FROM alert_deliveries WHERE target LIKE '%/desk'").status) == {"delivered"}
        posts = [(h, body) for path, h, body in hook.posts if path == "/desk"]
        for headers, body in posts:
            assert headers["X-Geodrift-Signature"] == signature("k3y", body)
            assert hmac.compare_digest(headers["X-Geodrift-Signature"][7:],
                                       hmac.new(b"k3y", body, hashlib.sha256).hexdigest())
            assert json.loads(body)["alert"]["id"] == int(headers["X-Geodrift-Delivery"])
        assert {json.loads(b)["alert"]["subject"] for _, b in posts} == {"ARM-AZE"}, "the pairs with AZE"


def test_a_forecast_crossing_its_threshold_is_one_alert(updated: tuple[World, Path], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    _, db = updated
    db = Path(shutil.copy(db.parent / "pristine.duckdb", tmp_path / "forecast.duckdb"))
    probabilities = iter([0.3, 0.35, 0.72])

    def fake(store: Store, units: list[str], *, as_of: dt.date, days: tuple[int, ...], backtests: object) -> pd.DataFrame:
        return pd.DataFrame([{"issued_at": pd.Timestamp("2020-07-24"), "as_of": as_of, "task": "escalation", "unit": units[0],
                              "horizon": 7, "horizon_unit": "days", "k": 1, "model": "logistic", "p": next(probabilities),
                              "skill_climatology": 0.1, "skill_persistence": 0.05, "backtest_forecasts": 40}])

    monkeypatch.setattr(service_forecasts, "forecast_escalation", fake)
    config = ServiceConfig(escalation_units=("AZE-ARM",), forecast_threshold=0.5, alert_pairs=("ARM-AZE",))
    with Store(db) as store:
        for table in ("forecasts", "alert_deliveries", "alerts", "service_state"):  # what the update issued: gone
            store.con.execute(f"DELETE FROM {table}")
        ctx = _context(store, config, dt.datetime(2020, 7, 24, 6))
        assert run_forecasts(ctx).startswith("1 refreshed (ARM-AZE)")
        assert run_forecasts(ctx).startswith("0 refreshed (none), 1 unchanged"), "inputs unchanged: not re-issued"
        store.con.execute("DELETE FROM service_state WHERE key LIKE 'forecast_inputs:%'")  # as if new events came
        run_forecasts(ctx)
        run_alerts(ctx)
        store.con.execute("DELETE FROM service_state WHERE key LIKE 'forecast_inputs:%'")
        run_forecasts(ctx)
        run_alerts(ctx)
        crossing = store.df("SELECT alert_key, title, summary, evidence FROM alerts WHERE kind = 'forecast'")
        assert list(crossing.alert_key) == ["forecast:ARM-AZE:7d:2020-07-24:above"]
        assert crossing.title[0] == "Escalation forecast for Armenia and Azerbaijan went above 50% (7 days)"
        assert "= 72% (35% before)" in crossing.summary[0] and json.loads(crossing.evidence[0])
        assert list(store.df("SELECT p FROM forecasts WHERE unit = 'ARM-AZE' ORDER BY p").p) == [0.3, 0.35, 0.72]
