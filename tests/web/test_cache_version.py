"""An answer cached while an ingest is under way (its files committed, their clustering not yet) is not served once
the ingest ends (attack review 6, F4): the cache's store version counts the writer sessions that ended."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import geodrift.ingest
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.web.conftest import KEY, KEY_HASH


def _gdelt1(body: dict[str, Any]) -> dict[str, Any]:
    return next(row for row in body["duplicates"] if row["source"] == "gdelt1")


def test_an_answer_computed_before_clustering_is_not_kept(report_db: Path, shared: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "window.duckdb"
    shutil.copy(report_db, db)
    folder = shared / "gdelt-v1-georgia-2011-2013"
    settings = ServeSettings(db=str(db), key_hashes=frozenset({KEY_HASH}), data_dir=folder)
    in_window: list[dict[str, Any]] = []
    with Store(db) as store:
        client = TestClient(create_app(settings, store))
        cluster = geodrift.ingest.update_clusters

        def read_then_cluster(writer: Store) -> int:
            """A reader asks between the ingest's commit and its clustering, as one did in the attack."""
            response = client.get("/api/v1/quality")
            assert response.headers["X-Cache"] == "miss"
            in_window.append(_gdelt1(response.json()))
            return cluster(writer)

        monkeypatch.setattr(geodrift.ingest, "update_clusters", read_then_cluster)
        job = client.post("/api/v1/ingest", json={"paths": ["june2011.csv.gz"]}, headers={"X-API-Key": KEY}).json()
        assert "job_id" in job, job
        for _ in range(600):
            job = client.get(f"/api/v1/jobs/{job['job_id']}", headers={"X-API-Key": KEY}).json()
            if job["status"] != "running":
                break
            time.sleep(0.1)
        assert job["status"] == "done", job
        assert in_window and in_window[0]["clustered"] < in_window[0]["reports"], "the read came before clustering"
        after = client.get("/api/v1/quality")
        assert after.headers["X-Cache"] == "miss", "the write ended: the answer of the window is stale"
        assert _gdelt1(after.json())["clustered"] == _gdelt1(after.json())["reports"] == in_window[0]["reports"]
        assert client.get("/api/v1/quality").headers["X-Cache"] == "hit"
