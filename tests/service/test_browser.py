"""The dashboard in headless Chromium after an update: the home page links today's written briefing and the
newest alert, both open by clicking, and the alert's evidence leads to the event page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from geodrift.service.settings import load_config
from geodrift.service.update import run_update
from geodrift.store import Store
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings
from tests.service.site import serve
from tests.service.world import World


@pytest.fixture(scope="module")
def dashboard(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("service-browser")
    with serve(folder / "www") as site:
        world = World(shared, site, folder)
        world.write_config()
        world.add_gdelt("20200724050000")
        world.news(upto="2020-07-16")  # the week of 6 July a flare-up by clusters: test_alerts.py says why
        db = world.seed(coded=True)
        with Store(db) as store:
            run_update(store, load_config(world.config), cache_dir=folder / "cache", now=dt.datetime(2020, 7, 24, 5, 20))
            with running(create_app(ServeSettings(db=str(db)), store)) as url:
                yield url


def test_the_dashboard_shows_todays_briefing_and_the_alert(browser, dashboard: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    tab.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    tab.goto(dashboard + "/")
    tab.wait_for_load_state("networkidle")
    line = tab.locator("p.service-line")
    assert "Today's briefing (2020-07-24)" in line.inner_text() and "Latest alert:" in line.inner_text()
    tab.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    line.get_by_role("link", name="Today's briefing (2020-07-24)").click()
    tab.wait_for_url("**/daily/2020-07-24/caucasus")
    assert tab.locator("h1").inner_text() == "South Caucasus briefing, 24 July 2020"
    tab.go_back()
    tab.locator("p.service-line a[href^='/alerts#alert-']").click()
    tab.wait_for_url("**/alerts#alert-*")
    alert = tab.locator("ol.alerts li").first
    assert alert.is_visible() and ("Flare-up" in alert.inner_text() or "shifted" in alert.inner_text())
    alert.locator("a[href^='/event/']").first.click()
    tab.wait_for_url("**/event/**")
    assert tab.get_by_role("heading", name="Evidence").count() == 1
    tab.goto(dashboard + "/daily")
    assert tab.get_by_role("link", name="2020-07-24 caucasus").count() == 1
    assert not problems, problems
    context.close()
