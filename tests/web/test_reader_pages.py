"""Pages as a reader walking the README found them: what a row says happened (or was only denied), what its code
means, and dates kept to their precision."""

from __future__ import annotations

import base64
import datetime as dt
import re

import numpy as np
from fastapi.testclient import TestClient

from geodrift.codebooks import cameo_codes
from geodrift.store import Store
from tests.web.test_unit_pages import _figure


def _values(encoded: object) -> list[float]:
    """A plotly trace's numbers, plain or as plotly's typed array ({"dtype", "bdata"}); a gap is NaN."""
    if isinstance(encoded, dict):
        return list(np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"]).astype(float))
    return [float("nan") if v is None else float(v) for v in encoded]  # type: ignore[attr-defined]


def test_the_explorer_marks_what_did_not_happen_and_names_codes(client: TestClient, web_store: Store) -> None:
    """A negated act ("did not interfere") is marked as such, a code reads with its label, and the map's legend
    names the quad classes."""
    (event_id, day, code), = web_store.con.execute(
        "SELECT event_id, event_date, event_code FROM events WHERE modality = 'negated' AND event_code IS NOT NULL "
        "AND event_id NOT IN (SELECT event_id FROM clusters WHERE cluster_id IN (SELECT cluster_id FROM clusters "
        "JOIN events USING (event_id) WHERE coalesce(modality, 'actual') = 'actual')) "
        "ORDER BY event_date LIMIT 1").fetchall()
    for unit in ("clusters", "reports"):
        html = client.get("/events", params={"from": str(day), "to": str(day + dt.timedelta(days=1)),
                                             "unit": unit}).text
        row = re.search(rf'<tr><td><a href="/event/{re.escape(event_id).replace(":", "%3A")}">.*?</tr>', html)
        assert row, f"{event_id} not listed"
        assert f"{cameo_codes()[code].description} <span class=\"code\">({code})</span>" in row.group(0)
        assert '<em class="modality">(negated)</em>' in row.group(0), row.group(0)
    located = client.get("/events", params={"from": "2020-09-27", "to": "2020-11-11"}).text
    names = {trace["name"] for trace in _figure(located)["data"]}  # type: ignore[attr-defined]
    assert "material conflict" in names and not any(n.startswith("quad class") for n in names), names


def test_an_event_page_shows_its_cluster_and_a_month_dated_publication_as_its_month(client: TestClient,
                                                                                    web_store: Store) -> None:
    """The 12 July 2020 Tavush fighting, told by dozens of reports: its page counts them, names every outlet and
    lists them; a report published "in July 2020" reads 2020-07, not 2020-07-01 (eleven days before the fight)."""
    (event_id, cluster_id, reports, outlets, published), = web_store.con.execute("""
        WITH sizes AS (SELECT cluster_id, count(*) AS n, count(DISTINCT outlet) AS outlets
                       FROM clusters JOIN events USING (event_id) GROUP BY 1)
        SELECT e.event_id, c.cluster_id, s.n, s.outlets, strftime(e.date_added, '%Y-%m')
        FROM events AS e JOIN clusters AS c USING (event_id) JOIN sizes AS s USING (cluster_id)
        WHERE e.date_added_precision = 'month' AND e.event_date = DATE '2020-07-12'
        ORDER BY s.n DESC, e.event_id LIMIT 1""").fetchall()
    assert reports > 20
    html = client.get(f"/event/{event_id}").text
    assert f"(recorded {published})" in html and f"{published}-01" not in html
    assert f"one of the {reports} reports of" in html and f"from {outlets} outlets" in html
    listed = html.split('id="cluster"')[1].split("</section>")[0]
    assert len(re.findall(r'<li><a href="/event/', listed)) == min(reports, 50)
    first = web_store.con.execute("SELECT outlet FROM clusters JOIN events USING (event_id) WHERE cluster_id = ? "
                                  "AND outlet IS NOT NULL ORDER BY outlet LIMIT 1", [cluster_id]).fetchone()
    assert first and first[0] in listed


def test_a_partner_last_seen_in_a_month_reads_that_month(client: TestClient) -> None:
    """Azerbaijan's partners whose latest event is known only to its month (Italy, "January 2021") read 2021-01 in
    the "to" column, never the 1st of the month; those dated to a day keep the day."""
    html = client.get("/country/AZE").text
    rows = dict(re.findall(r'<a href="/dyad/AZE/([A-Z]{3})">[^<]+</a></td><td>\d+</td><td>\d+</td><td>[^<]*</td>'
                           r"<td>[^<]*</td><td>([^<]*)</td>", html))
    assert rows.get("ITA") == "2021-01", rows
    assert rows.get("ARM", "").count("-") == 2, rows


def test_the_dyad_chart_shows_months_without_data_as_gaps_not_zeros(client: TestClient, web_store: Store) -> None:
    """ARM–AZE from the curated records: the months in which the store holds no event of either country carry no
    value in any quad-class line and sit under a grey "no data" band; covered months keep their counts, zeros too."""
    figure = _figure(client.get("/dyad/ARM/AZE").text)
    lines = [t for t in figure["data"] if t["name"] in {"verbal cooperation", "material conflict"}]  # type: ignore[attr-defined]
    assert len(lines) == 2
    covered = {m for (m,) in web_store.con.execute(
        "SELECT DISTINCT strftime(event_date, '%Y-%m') FROM events WHERE actor1_country IN ('ARM', 'AZE') "
        "OR actor2_country IN ('ARM', 'AZE')").fetchall()}
    for line in lines:
        values = _values(line["y"])
        blank = {str(x)[:7] for x, y in zip(line["x"], values, strict=True) if y != y}
        assert blank and not blank & covered, blank & covered
        assert {str(x)[:7] for x in line["x"]} - blank <= covered
    bands = [s for s in figure["layout"].get("shapes", []) if s.get("type") == "rect"]  # type: ignore[attr-defined]
    assert bands and any(t["name"].startswith("no data") for t in figure["data"])  # type: ignore[attr-defined]
