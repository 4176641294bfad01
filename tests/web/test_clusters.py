"""/api/v1/clusters: one row per real-world happening, expandable to its reports; unit=reports keeps the raw view."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_clusters_page_one_row_per_event(client: TestClient) -> None:
    body = client.get("/api/v1/clusters", params={"from": "2020-11-09", "to": "2020-11-09", "actor": "RUS",
                                                  "code": "19"}).json()
    downing = [c for c in body["clusters"] if c["side_a"] == "AZE" and c["side_b"] == "RUS"]
    assert len(downing) == 1
    assert downing[0]["reports"] == 8 and downing[0]["sources"] == 7 and "tass.com" in downing[0]["outlets"]
    raw = client.get("/api/v1/clusters", params={"from": "2020-11-09", "to": "2020-11-09", "actor": "RUS",
                                                 "code": "19", "unit": "reports"}).json()
    assert len(raw["events"]) > len(body["clusters"])


def test_a_cluster_with_its_reports(client: TestClient) -> None:
    page = client.get("/api/v1/clusters", params={"from": "2020-11-09", "to": "2020-11-09", "actor": "AZE",
                                                  "code": "190"}).json()
    cluster_id = next(c["cluster_id"] for c in page["clusters"] if c["side_b"] == "RUS")
    body = client.get(f"/api/v1/clusters/{cluster_id}").json()
    assert body["cluster"]["cluster_id"] == cluster_id
    assert len(body["reports"]) == body["cluster"]["reports"] == 8
    assert {r["outlet"] for r in body["reports"]} >= {"tass.com", "azernews.az"}
    assert client.get("/api/v1/clusters/nope").status_code == 404


def test_cluster_pages_follow_the_cursor(client: TestClient) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(3):
        params = {"from": "2020-07-01", "to": "2020-07-31", "limit": 7, **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/clusters", params=params).json()
        seen += [c["cluster_id"] for c in body["clusters"]]
        cursor = body["next_cursor"]
    assert len(seen) == len(set(seen)) == 21
    assert client.get("/api/v1/clusters", params={"unit": "rows"}).status_code == 422
