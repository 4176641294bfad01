"""Pages as a reader walking the README found them: what a row says happened (or was only denied), what its code
means, and dates kept to their precision."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from geodrift.codebooks import cameo_codes
from geodrift.store import Store
from tests.web.test_unit_pages import _figure


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
