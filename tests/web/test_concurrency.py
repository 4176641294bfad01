"""Reads keep working, on consistent snapshots, while an ingest writes into the same store (one process:
the server owns the DuckDB file; the ingest runs in a writer session beside the reader sessions)."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx

from geodrift.ingest import ingest_files
from geodrift.store import Store
from geodrift.web.app import create_app, running
from geodrift.web.config import ServeSettings
from tests.web.conftest import KEY, KEY_HASH


def test_reads_during_an_ingest(report_db: Path, shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "busy.duckdb"
    shutil.copy(report_db, db)
    folder = shared / "gdelt-v1-georgia-2011-2013"
    files = sorted(p.name for p in folder.glob("*.csv.gz"))
    settings = ServeSettings(db=str(db), key_hashes=frozenset({KEY_HASH}), data_dir=folder)
    with Store(db) as store, running(create_app(settings, store)) as url:
        totals: list[int] = []
        failures: list[str] = []
        done = threading.Event()

        def read() -> None:
            with httpx.Client(base_url=url, timeout=30) as http:
                while not done.is_set():
                    # reports, not clusters: between an ingest's commit and its clustering a new report counts as its
                    # own cluster, so a clusters count may fall back once clustering ends (and is no longer cached)
                    response = http.get("/api/v1/dyads/GEO/RUS/series", params={"freq": "year", "unit": "reports"})
                    if response.status_code != 200:
                        failures.append(response.text)
                        continue
                    totals.append(sum(p["values"]["events"] for p in response.json()["points"]))

        readers = [threading.Thread(target=read) for _ in range(3)]
        for thread in readers:
            thread.start()
        with httpx.Client(base_url=url, headers={"X-API-Key": KEY}, timeout=30) as http:
            job = http.post("/api/v1/ingest", json={"paths": files}).json()
            assert job["status"] == "running"
            for _ in range(600):
                job = http.get(f"/api/v1/jobs/{job['job_id']}").json()
                if job["status"] != "running":
                    break
                time.sleep(0.2)
        done.set()
        for thread in readers:
            thread.join()
        final = store.df("SELECT count(*) AS n FROM events WHERE (actor1_country = 'GEO' AND actor2_country = 'RUS') "
                         "OR (actor1_country = 'RUS' AND actor2_country = 'GEO')").n[0]
    assert job["status"] == "done" and job["accepted"] > 100_000, job
    assert not failures
    assert len(totals) > 10 and totals == sorted(totals), "each read sees a snapshot: counts never go back"
    assert totals[0] < totals[-1] <= final, "reads saw the store before and after the ingest committed"


def test_ingest_rejects_paths_outside_its_folder(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/ingest", json={"paths": ["../../etc/passwd"]}, headers={"X-API-Key": KEY})
    assert response.status_code == 400 and "not a file in the ingest folder" in response.json()["error"]["message"]


def test_two_ingest_jobs_at_once_both_land(report_db: Path, shared: Path, tmp_path: Path) -> None:
    """Two jobs posted together: the second waits for the first (one writer at a time) instead of failing with
    DuckDB's "Conflict on update!" and losing its batch (attack review 6, F7); the store ends as two ingests one after
    the other leave it."""
    folder = shared / "gdelt-v1-georgia-2011-2013"
    names = ["june2011.csv.gz", "july2011.csv.gz"]
    sequential = tmp_path / "sequential.duckdb"
    shutil.copy(report_db, sequential)
    with Store(sequential) as store:
        for name in names:
            ingest_files(store, [folder / name])
        expected = store.count_events()
    db = tmp_path / "both.duckdb"
    shutil.copy(report_db, db)
    settings = ServeSettings(db=str(db), key_hashes=frozenset({KEY_HASH}), data_dir=folder)
    with Store(db) as store, running(create_app(settings, store)) as url, \
            httpx.Client(base_url=url, headers={"X-API-Key": KEY}, timeout=30) as http:
        jobs = [http.post("/api/v1/ingest", json={"paths": [name]}).json() for name in names]
        for _ in range(1200):
            jobs = [http.get(f"/api/v1/jobs/{job['job_id']}").json() for job in jobs]
            if all(job["status"] != "running" for job in jobs):
                break
            time.sleep(0.2)
        assert [job["status"] for job in jobs] == ["done", "done"], jobs
        assert all(job["accepted"] > 0 for job in jobs), jobs
        assert store.count_events() == expected
