"""The dashboard counts what the measures count: the explorer, its map and a country's partners list clusters (one
row per real-world happening, expandable to its reports) by default and reports with ``unit=reports``."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

from fastapi.testclient import TestClient

from geodrift.store import Store

DOWNING = {"from": "2020-11-09", "to": "2020-11-09", "actor": "RUS", "code": "19"}


def _figure(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    assert found, "the page has no chart"
    figure: dict[str, object] = json.loads(found.group(1))
    return figure


def _markers(html: str) -> int:
    return sum(len(trace["text"]) for trace in _figure(html)["data"])  # type: ignore[attr-defined]


def test_the_explorer_lists_one_row_per_event_expandable_to_its_reports(client: TestClient) -> None:
    html = client.get("/events", params=DOWNING).text
    assert '<option value="clusters" selected>' in html
    rows = re.findall(r"<tr><td><a href=\"/event/[^\"]+\">2020-11-09</a></td><td>AZE → RUS</td>(.*?)</tr>", html)
    assert len(rows) == 1, "the helicopter downing, reported eight times, is one event"
    assert "<summary>8 reports</summary>" in rows[0] and "tass.com" in rows[0]
    assert len(re.findall(r'<li><a href="/event/', rows[0])) == 8
    raw = client.get("/events", params={**DOWNING, "unit": "reports"}).text
    assert '<option value="reports" selected>' in raw and "<summary>" not in raw
    assert len(re.findall(r"<td>AZE → RUS</td>", raw)) == 8


def test_the_map_has_one_marker_per_listed_event(client: TestClient, web_store: Store) -> None:
    params = {"actor": "AZE", "from": "2020-10-01", "to": "2020-10-31", "quad_class": "4"}
    clusters, reports = (client.get("/events", params={**params, "unit": u}).text for u in ("clusters", "reports"))
    listed, located = web_store.con.execute(
        "SELECT count(*), count(action_geo_lat) FROM events WHERE (actor1_country = 'AZE' OR actor2_country = 'AZE') "
        "AND quad_class = 4 AND event_date >= DATE '2020-10-01' AND event_date < DATE '2020-11-01'").fetchall()[0]
    assert listed < 100 and _markers(reports) == located  # one page: every located report is on the map
    assert 0 < _markers(clusters) < located
    assert "one marker per cluster, sized by its reports" in clusters and "one marker per cluster" not in reports
    sizes = [s for trace in _figure(clusters)["data"] for s in trace["marker"]["size"]]  # type: ignore[attr-defined]
    assert max(sizes) > min(sizes)


def test_cluster_pages_follow_the_cursor_once_each(client: TestClient, web_store: Store) -> None:
    seen: list[str] = []
    url: str | None = "/events?actor=ARM"
    while url:
        html = client.get(url).text
        seen += [unquote(i) for i in re.findall(r'<tr><td><a href="/event/([^"]+)">', html)]
        nxt = re.search(r'<a rel="next" href="([^"]+)">', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
        assert url is None or "unit=clusters" in url
    clusters = web_store.con.execute(
        "SELECT count(DISTINCT coalesce(c.cluster_id, e.event_id)) FROM events AS e LEFT JOIN clusters AS c "
        "USING (event_id) WHERE e.actor1_country = 'ARM' OR e.actor2_country = 'ARM'").fetchall()[0][0]
    assert len(seen) == len(set(seen)) == clusters > 100


def test_a_country_counts_events_or_reports(client: TestClient) -> None:
    def armenia(html: str) -> int:
        found = re.search(r'<a href="/dyad/AZE/ARM">Armenia</a></td><td>(\d+)</td>', html)
        assert found
        return int(found.group(1))

    by_event, by_report = client.get("/country/AZE").text, client.get("/country/AZE?unit=reports").text
    assert "each counted once however many reports it has" in by_event and 'href="/country/AZE?unit=reports"' in by_event
    assert armenia(by_event) < armenia(by_report)


def test_a_bad_unit_is_one_clear_error(client: TestClient) -> None:
    for url in ("/events?unit=rows", "/country/AZE?unit=rows"):
        response = client.get(url)
        assert response.status_code == 400 and "unknown unit &#39;rows&#39;; use reports or clusters" in response.text


def test_a_dyad_lists_events_or_reports(client: TestClient) -> None:
    by_event, by_report = client.get("/dyad/AZE/RUS").text, client.get("/dyad/AZE/RUS?unit=reports").text
    assert 'href="/dyad/AZE/RUS?unit=reports"' in by_event and "<th scope=\"col\">reports</th>" in by_event
    downing = re.findall(r'<a href="/event/[^"]+">2020-11-09</a></td><td>AZE [A-Z]* → RUS [A-Z]*</td><td>[^<]*'
                         r'<span class="code">\(190\)</span></td><td>[^<]*</td><td>.*?</td>(?:<td>(\d+)</td>)?</tr>',
                         by_event + by_report)
    assert "8" in downing, "the downing's eight reports are one listed event"
    assert by_report.count(">2020-11-09</a>") > by_event.count(">2020-11-09</a>")


def test_the_briefings_index_counts_events_and_reports(client: TestClient, web_store: Store) -> None:
    html = client.get("/briefings").text
    found = re.search(r'>2020-11-09</a> \((\d+) events?, (\d+) reports\)', html)
    assert found, "the day of the helicopter downing, reported many times over"
    events, reports = int(found.group(1)), int(found.group(2))
    assert events < reports == web_store.con.execute(
        "SELECT count(*) FROM events WHERE event_date = DATE '2020-11-09' AND (actor1_country IN "
        "('ARM', 'AZE', 'GEO') OR actor2_country IN ('ARM', 'AZE', 'GEO'))").fetchall()[0][0]


def test_the_briefings_index_pages_back_to_the_first_day(client: TestClient, web_store: Store) -> None:
    """A reader could not reach the July 2020 briefings from the index (it stopped at the latest 60 days) and found
    "0 events, 1 report" days whose briefing said no events were stored."""
    seen: list[str] = []
    url: str | None = "/briefings"
    while url:
        html = client.get(url).text
        listed = re.findall(r'<li><a href="/briefings/(\d{4}-\d{2}-\d{2})\?region=caucasus">[^<]+</a> \((\d+) event', html)
        assert all(int(n) > 0 for _, n in listed), "a day of echoes only is not a day with news"
        seen += [day for day, _ in listed]
        nxt = re.search(r'<a rel="next" href="([^"]+)">Older days</a>', html)
        url = nxt.group(1).replace("&amp;", "&") if nxt else None
    assert len(seen) == len(set(seen)) > 60 and seen == sorted(seen, reverse=True)
    assert "2020-07-12" in seen and "2020-09-27" in seen
    jumped = client.get("/briefings", params={"before": "2020-07-25"}).text
    first = re.search(r'<li><a href="/briefings/(\d{4}-\d{2}-\d{2})\?', jumped)
    assert first and "2020-07-20" <= first.group(1) < "2020-07-25"
    assert "before 2020-07-25" in jumped
