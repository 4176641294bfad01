"""The note `geodrift db quality` prints (curated dates whose precision could not be checked) is on /api/v1/quality
and the /quality page too (issue 15 reader: the API left it out)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from geodrift.store import Store
from geodrift.store_precision import UNCHECKED
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.test_cli import run


def test_the_precision_note_is_in_the_api_page_and_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "moved.duckdb"
    with Store(db) as store:  # a store migrated from before schema 11 whose curated file has since moved
        store.con.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [UNCHECKED, json.dumps({"old/events.jsonl": 7})])
    cli = " ".join(run("db", "quality", "--db", str(db)).stdout.split())
    assert "7 curated records" in cli and "old/events.jsonl (7)" in cli, cli
    store = Store(db, read_only=True)
    try:
        client = TestClient(create_app(ServeSettings(db=str(db), read_only=True), store))
        body = client.get("/api/v1/quality").json()
        assert body["note"] and "7 curated records" in body["note"] and "old/events.jsonl (7)" in body["note"], body
        assert "note" in client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Quality"]["properties"]
        page = client.get("/quality").text
        assert "<strong>Note:</strong> 7 curated records" in page, page
    finally:
        store.close()


def test_a_store_without_unchecked_dates_has_no_note(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = Store(":memory:")
    client = TestClient(create_app(ServeSettings(db=":memory:"), store))
    assert client.get("/api/v1/quality").json()["note"] is None
    assert "<strong>Note:</strong>" not in client.get("/quality").text
