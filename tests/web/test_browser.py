"""The dashboard in headless Chromium: every page loads, the country → dyad → event → source path works by
clicking, charts draw from local assets, and hostile stored strings never execute."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGES = ["/", "/country/AZE", "/dyad/ARM/AZE", "/events?actor=AZE&quad_class=4", "/events?sort=newest", "/quality",
         "/briefings",
         "/briefings/2020-07-23?days=3", "/analyses",
         "/analysis?country=AZE&pole_a=RUS&pole_b=TUR&from=2020-06-01&to=2020-12-31"]


@pytest.fixture()
def page(browser, server: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    tab = context.new_page()
    tab.problems = []
    tab.on("pageerror", lambda e: tab.problems.append(f"script error: {e}"))
    tab.on("dialog", lambda d: (tab.problems.append(f"dialog: {d.message}"), d.dismiss()))
    tab.on("response", lambda r: tab.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield tab
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads(page, server: str, path: str, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(server + path)
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1 and page.locator("main").count() == 1
    assert page.evaluate("window.__pwned === undefined")
    assert not page.problems
    shots = tmp_path_factory.getbasetemp() / "screenshots"
    shots.mkdir(exist_ok=True)
    page.screenshot(path=str(shots / (re.sub(r"[^A-Za-z0-9-]+", "_", path.strip("/"))[:60] or "home")) + ".png",
                    full_page=True)


def test_click_country_dyad_event_source(page, server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/")
    page.get_by_role("link", name="Azerbaijan", exact=True).first.click()
    page.wait_for_url("**/country/AZE**")
    assert page.locator(".plot .main-svg").count() >= 1, "the alignment chart is drawn by the local plotly.js"
    page.get_by_role("link", name="Armenia", exact=True).first.click()
    page.wait_for_url("**/dyad/AZE/ARM")
    page.wait_for_load_state("networkidle")
    assert page.locator(".plot .main-svg").count() >= 1
    page.locator("table a[href^='/event/']").first.click()
    page.wait_for_url("**/event/**")
    assert page.get_by_role("heading", name="Evidence").count() == 1
    sources = page.locator("ol.sources a[href^='http']")
    assert sources.count() >= 1 and sources.first.get_attribute("rel") == "noopener noreferrer nofollow"
    page.screenshot(path=str(tmp_path / "event.png"), full_page=True)
    assert not page.problems


def test_hostile_strings_stay_text(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/event/curated:hostile0")
    page.wait_for_load_state("networkidle")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("main")
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("main img").count() == 0 and page.locator("a[href^='javascript:']").count() == 0
    page.goto(server + "/events?actor=ARM&from=2020-07-23&to=2020-07-23")
    page.wait_for_load_state("networkidle")
    assert "Tovuz <script>" in page.inner_text("main")
    assert page.evaluate("window.__pwned === undefined") and not page.problems


def test_keyboard_and_phone(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    tab = phone.new_page()
    tab.goto(server + "/country/AZE")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "no sideways scrolling"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == "Skip to content"
    labels = tab.evaluate("Array.from(document.querySelectorAll('input, select')).every(e => e.labels.length > 0)")
    assert labels
    phone.close()
