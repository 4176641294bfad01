"""Dashboard details reader 5 flagged (L13): an event page titled by its raw id that showed "quad class 4", and a
country page whose alignment legend and caption named a 90% interval it did not draw."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from geodrift.store import Store
from tests.web.test_unit_pages import _figure


def test_the_event_page_is_named_by_its_act_and_names_the_quad_class(client: TestClient, web_store: Store) -> None:
    """The Tovuz clash of 12 July 2020 (curated:08eb62e2ace88da0)."""
    (event_id,), = web_store.con.execute(
        "SELECT event_id FROM events WHERE event_id = 'curated:08eb62e2ace88da0'").fetchall()
    html = client.get(f"/event/{event_id}").text
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)  # type: ignore[union-attr]
    assert title == "Use conventional military force, not specified below: Armenia → Azerbaijan, 2020-07-12", title
    assert event_id not in title
    assert "quad class 4" not in html and "; material conflict)" in html


def test_the_country_alignment_draws_the_interval_it_names(client: TestClient) -> None:
    """Months with an interval get a bar each (a filled band drew nothing between months apart), the table lists
    the interval, and the caption names it only when one is drawn."""
    html = client.get("/country/AZE").text
    traces = {t["name"]: t for t in _figure(html)["data"]}  # type: ignore[attr-defined]
    interval = traces["90% interval"]
    assert interval.get("error_y", {}).get("type") == "data", interval
    assert len(interval["x"]) >= 1
    assert "with the 90% interval of each month that has one" in html
    assert '<th scope="col">90% interval</th>' in html
    assert re.search(r"<td>[+-]\d\.\d\d to [+-]\d\.\d\d</td>", html)
