"""Long fault variant: many remote files under random transient faults end up ingested exactly once."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path

import pytest

from geodrift.ingest import ingest_gdelt
from geodrift.store import Store
from tests.gdelt_files import gdelt2_line, georgia_rows, write_zip
from tests.httpserver import serve


@pytest.mark.long
def test_random_transient_faults_lose_and_duplicate_nothing(shared: Path, tmp_path: Path) -> None:
    rng = random.Random(20200712)
    root = tmp_path / "www"
    (root / "gdeltv2").mkdir(parents=True)
    rows = georgia_rows(shared, limit=5600)
    start = dt.datetime(2020, 7, 12)
    master, names = [], []
    for i in range(40):
        stamp = start + dt.timedelta(minutes=15 * i)
        name = f"{stamp:%Y%m%d%H%M%S}.export.CSV.zip"
        path = write_zip(root / "gdeltv2" / name, [gdelt2_line(r) for r in rows[i * 140:(i + 1) * 140]])
        data = path.read_bytes()
        master.append(f"{len(data)} {hashlib.md5(data).hexdigest()} http://data.gdeltproject.org/gdeltv2/{name}")
        names.append(name)
    (root / "gdeltv2" / "masterfilelist.txt").write_text("\n".join(master) + "\n")
    with serve(root) as server, Store() as store:
        for name in names:
            server.faults[f"/gdeltv2/{name}"] = rng.choices(["503", "drop", "500", "ok"], k=rng.randint(0, 3))
        results = ingest_gdelt(store, 2, start, start + dt.timedelta(hours=10), base_url=server.url,
                               cache_dir=tmp_path / "cache")
        assert [r.status for r in results] == ["done"] * 40
        ids = store.df("SELECT event_id FROM events").event_id
        assert len(ids) == ids.nunique() == 5600
