"""The API's ``unit`` parameter: clusters by default, reports on request, one clear error otherwise."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

JULY = {"from": "2020-07-01", "to": "2020-07-31"}


def test_series_count_clusters_by_default_and_reports_on_request(client: TestClient) -> None:
    def events(**params: str) -> int:
        body = client.get("/api/v1/dyads/ARM/AZE/series", params={**JULY, **params}).json()
        return int(sum(p["values"]["events"] for p in body["points"]))
    clusters, reports = events(), events(unit="reports")
    assert clusters == events(unit="clusters") and 0 < clusters < reports
    flare = {u: client.get("/api/v1/flareups/ARM/AZE", params={"from": "2020-06-01", "to": "2020-11-30", "unit": u})
             for u in ("clusters", "reports")}
    assert all(r.status_code == 200 for r in flare.values())
    total = {u: sum(p["values"]["conflict_events"] for p in r.json()["points"]) for u, r in flare.items()}
    assert total["clusters"] < total["reports"]


@pytest.mark.parametrize("url", [
    "/api/v1/dyads/ARM/AZE/series?unit=rows",
    "/api/v1/alignment/AZE?pole_a=RUS&pole_b=TUR&unit=events",
    "/api/v1/drift/AZE?pole_a=RUS&pole_b=TUR&unit=",
    "/api/v1/flareups/ARM/AZE?unit=Clusters",
])
def test_a_bad_unit_is_one_clear_error(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 400
    assert "unknown unit" in response.json()["error"]["message"] and "use reports or clusters" in response.text


def test_the_briefing_counts_by_unit_and_as_known_then(client: TestClient) -> None:
    def events(**params: str) -> int:
        """The sum of the first table's 'events' column."""
        body = client.get("/api/v1/briefings/2020-07-24", params={"days": 14, **params})
        assert body.status_code == 200, body.text
        table = next(s for s in body.json()["sections"] if s.get("tables"))["tables"][0]
        column = table["columns"].index("events")
        return sum(int(r[column]) for r in table["rows"])
    clusters = events()
    assert clusters < events(unit="reports")
    assert events(as_of="2020-07-15") < clusters  # news of 16-24 July not yet known
    bad = client.get("/api/v1/briefings/2020-07-24", params={"unit": "rows"})
    assert bad.status_code == 400 and "unknown unit 'rows'" in bad.json()["error"]["message"]
