"""Country and dyad pages as a reader meets them: every linked country opens, and the dyad chart says what it plots."""

from __future__ import annotations

import re

import pandas as pd
from fastapi.testclient import TestClient

from tests.web.test_unit_pages import _figure


def test_every_country_the_home_page_links_opens(client: TestClient) -> None:
    home = client.get("/").text
    links = sorted(set(re.findall(r'href="(/country/[A-Z]{3}[^"]*)"', home)))
    assert "/country/RUS?region=caucasus" in [link.replace("&amp;", "&") for link in links]
    for link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, link


def test_a_pole_of_its_region_is_placed_between_two_other_powers(client: TestClient) -> None:
    html = client.get("/country/RUS", params={"region": "caucasus"}).text
    assert re.search(r"<h2 id=\"alignment\">Alignment between the United States and China</h2>", html)
    section = html.split('id="alignment"')[1].split("</section>")[0]
    assert "Too few events with either pole to place Russia" in section
    assert "<table" not in section, "no empty table beside the sentence that says there is nothing to place"


def test_the_dyad_chart_names_its_weighting_and_keeps_empty_months(client: TestClient) -> None:
    html = client.get("/dyad/ARM/AZE").text
    figure = _figure(html)
    assert "weighted by distinct sources" in figure["layout"]["title"]["text"]  # type: ignore[index]
    months = pd.to_datetime(figure["data"][0]["x"])  # type: ignore[index]
    assert len(months) > 24 and (months.to_period("M").asi8[1:] - months.to_period("M").asi8[:-1] == 1).all(), \
        "a month without events is a zero on the chart, not a line drawn across the gap"
    rows = re.findall(r'<tr><td>(\d{4}-\d{2})</td><td>(\d+)</td>', html)
    assert rows and all(int(n) > 0 for _, n in rows), "the monthly table lists months with events, with their count"
