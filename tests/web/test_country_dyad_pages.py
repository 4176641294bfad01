"""Country and dyad pages as a reader meets them: every linked country opens, and the dyad chart says what it plots."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from html import escape as html_escape
from pathlib import Path

import pandas as pd
import pyarrow as pa
from fastapi.testclient import TestClient

from geodrift.analytics.listings import country_partners
from geodrift.codebooks import briefing_regions
from geodrift.forecast.tasks import forecast_alignment
from geodrift.query import sql_in
from geodrift.report.narrative import percent
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
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


def test_the_country_page_shows_the_forecasts_stored_for_it(report_db: Path, settings: ServeSettings,
                                                            tmp_path: Path) -> None:
    """Forecasts written the way `geodrift forecast --save` and the demo write them (Store.record_forecasts) appear
    on the country page, one row each, with the page's wording: "<1%" for a tiny probability, "1 year", "7 days".

    The alignment forecasts are the model's, from the UN votes; the escalation rows have the shape and values
    forecast_escalation gives a quiet and a fighting dyad (running it backtests 30 units: minutes, not seconds)."""
    db = tmp_path / "forecasts.duckdb"
    shutil.copy(report_db, db)
    with Store(db) as store:
        last = pd.Timestamp(country_partners(store, "AZE")["last"].max()).date()
        escalation = pd.DataFrame({
            "issued_at": pd.Timestamp("2026-01-05 08:00"), "as_of": last, "task": "escalation",
            "unit": ["AZE-TUR", "AZE-TUR", "ARM-AZE"], "horizon": [7, 30, 7], "horizon_unit": "days", "k": 1,
            "model": ["climatology", "climatology", "logistic"], "p": [0.0031, 0.0123, 0.4127],
            "skill_climatology": [0.0, 0.0, 0.118]})
        frame = pd.concat([forecast_alignment(store, ["AZE"], ("RUS", "TUR"), last_year=last.year - 1), escalation],
                          ignore_index=True)
        store.record_forecasts(pa.Table.from_pandas(frame, preserve_index=False))
        html = TestClient(create_app(replace(settings, db=str(db)), store)).get("/country/AZE").text
    section = html.split('id="forecasts"')[1].split("</section>")[0]
    cells = [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr><td>.*?</tr>", section)]
    assert len(cells) == len(frame), "one row per stored forecast whose window is open on the page's day"
    shown = {(c[1], c[2], c[3]): c[4] for c in cells}
    for f in frame.itertuples():
        horizon = f"{f.horizon} {f.horizon_unit.rstrip('s')}" if f.horizon == 1 else f"{f.horizon} {f.horizon_unit}"
        assert shown[(f.task, html_escape(f.unit), horizon)] == html_escape(percent(f.p)), (f.task, f.unit, horizon)
    assert shown[("alignment RUS-TUR", "AZE", "1 year")].endswith("%") and ("alignment RUS-TUR", "AZE", "5 years") in shown
    assert shown[("escalation", "AZE-TUR", "7 days")] == "&lt;1%", "under half a percent reads <1%, not 0%"
    assert shown[("escalation", "ARM-AZE", "7 days")] == "41%"
    assert "No forecasts stored" not in section


def test_an_internal_pair_is_shown_within_one_country(client: TestClient, web_store: Store) -> None:
    """Armenian protesters against Armenia's government: 'Within Armenia', never 'Armenia – Armenia'."""
    html = client.get("/dyad/ARM/ARM").text
    assert "Armenia – Armenia" not in html and "Armenia and Armenia" not in html, html
    assert "<title>Within Armenia" in html and "per month within Armenia by quad class" in html, html
    assert "Within ARM: events per month" in _figure(html)["layout"]["title"]["text"]  # type: ignore[index]
    (protest,) = web_store.con.execute("SELECT event_id FROM events WHERE actor1_country = 'ARM' AND "
                                       "actor2_country = 'ARM' ORDER BY event_id LIMIT 1").fetchone()
    page = client.get(f"/event/{protest}").text
    assert ">events within Armenia</a>" in page and "this dyad" not in page and " sources;" not in page, page


def test_a_month_only_date_is_shown_as_its_month(client: TestClient, web_store: Store) -> None:
    """A record known only to 'May 2021' is stored on 2021-05-01: pages show 2021-05, and the briefings index does
    not list the 1st as a day of news."""
    (event_id, month), = web_store.con.execute(
        "SELECT event_id, strftime(event_date, '%Y-%m') FROM events WHERE event_date_precision = 'month' AND "
        "least(actor1_country, actor2_country) = 'ARM' AND greatest(actor1_country, actor2_country) = 'AZE' "
        "AND event_id NOT IN (SELECT event_id FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM clusters "
        "JOIN events USING (event_id) WHERE event_date_precision = 'day')) ORDER BY event_date DESC LIMIT 1").fetchall()
    html = client.get("/dyad/ARM/AZE").text
    links = dict(re.findall(r'<a href="/event/([^"]+)">([^<]+)</a>', html))
    assert month in links.values() and f"{month}-01" not in links.values(), links
    page = client.get(f"/event/{event_id}").text
    assert f"<dd>{month} (known only to its month)" in page, page
    members = sql_in(briefing_regions()["caucasus"].members)
    month_days = {str(d) for (d,) in web_store.con.execute(
        f"SELECT event_date FROM events WHERE actor1_country IN {members} OR actor2_country IN {members} GROUP BY 1 "
        "HAVING bool_and(coalesce(event_date_precision, 'day') IN ('month', 'year'))").fetchall()}
    index = client.get("/briefings", params={"region": "caucasus", "before": "2025-01-01"}).text
    listed = set(re.findall(r'<a href="/briefings/(\d{4}-\d{2}-\d{2})\?', index))
    assert month_days and listed and not month_days & listed, (month_days & listed)


def _trace(figure: dict[str, object], name: str) -> pd.Series:
    """One line of a plotly figure by its name, as a series by month (plotly may send a typed array)."""
    import base64

    import numpy as np

    trace = next(t for t in figure["data"] if t["name"] == name)  # type: ignore[attr-defined]
    y = trace["y"]
    if isinstance(y, dict):
        y = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"])
    return pd.Series(list(y), index=pd.to_datetime(trace["x"]))


def test_the_dyad_chart_can_count_events_instead_of_weighing_them(client: TestClient) -> None:
    """Reader M6: weighted by distinct sources, the July 2020 Tovuz clashes stood far over the 44-day war. The chart
    says what its height measures and offers the count: each event once, however many outlets told it."""
    weighted = client.get("/dyad/ARM/AZE").text
    figure = _figure(weighted)
    assert "distinct sources, summed" in figure["layout"]["yaxis"]["title"]["text"]  # type: ignore[index]
    assert "height=events" in weighted and "The height weighs attention, not events." in weighted
    counted = client.get("/dyad/ARM/AZE", params={"height": "events"}).text
    count = _figure(counted)
    assert count["layout"]["yaxis"]["title"]["text"] == "events (count)"  # type: ignore[index]
    names = [trace["name"] for trace in count["data"]]  # type: ignore[index]
    assert names[:2] == ["all events", "material-conflict events"], names
    july, october = pd.Timestamp("2020-07-01"), pd.Timestamp("2020-10-01")
    loud = _trace(figure, "material conflict")  # type: ignore[arg-type]
    fights = _trace(count, "material-conflict events")  # type: ignore[arg-type]
    # weighted, July stands several times over the war's October; counted, the two are near
    assert loud[july] / loud[october] > 2 * fights[july] / fights[october], (loud[[july, october]], fights[[july, october]])
    assert client.get("/dyad/ARM/AZE", params={"height": "loudness"}).status_code in (400, 422)
