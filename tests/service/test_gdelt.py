"""The GDELT stages: 1.0 daily files since the last run, and a file that failed retried by the next run."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from geodrift.service import state
from geodrift.service.settings import FetchPolicy, ServiceConfig
from geodrift.service.update import STAGES, run_update
from geodrift.store import Store
from tests.gdelt_files import gdelt1_line, georgia_rows, write_zip
from tests.service.site import serve


def test_gdelt1_daily_files_and_a_retried_failure(shared: Path, tmp_path: Path) -> None:
    rows = georgia_rows(shared, limit=300)
    with serve(tmp_path / "www") as site:
        events = site.root / "events"
        events.mkdir(parents=True)
        sums, sizes = [], []
        for i, day in enumerate(["20200720", "20200721", "20200722", "20200723", "20200724"]):
            path = write_zip(events / f"{day}.export.CSV.zip", [gdelt1_line(r) for r in rows[i * 60:(i + 1) * 60]])
            sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.name}")
            sizes.append(f"{path.stat().st_size} {path.name}")
        site.put("/events/md5sums", "\n".join(sums) + "\n", "text/plain")
        site.put("/events/filesizes", "\n".join(sizes) + "\n", "text/plain")
        site.faults["/events/20200722.export.CSV.zip"] = ["404"]  # missing at the first run only
        config = ServiceConfig(gdelt_base_url=site.url, gdelt2=False, gdelt1=True, gdelt1_lookback=3 * 86400,
                               fetch=FetchPolicy(retries=1, backoff=0.01, host_delay=0))
        stage = [s for s in STAGES if s[0] == "gdelt1"]
        with Store() as store:
            first = run_update(store, config, cache_dir=tmp_path / "cache", now=dt.datetime(2020, 7, 24, 8), stages=stage)
            assert first.stages["gdelt1"] == "3 gdelt1 files due: 2 ingested (120 new events), 1 failed"
            failed = state.fetches(store, first.run_id).query("outcome == 'failed'")
            assert len(failed) == 1 and failed.reason.iloc[0].endswith("20200722.export.CSV.zip: HTTP 404 Not Found")
            assert state.get_state(store, "gdelt1_cursor") == "2020-07-24T00:00:00"
            second = run_update(store, config, cache_dir=tmp_path / "cache", now=dt.datetime(2020, 7, 25, 8), stages=stage)
            assert second.stages["gdelt1"] == "2 gdelt1 files due: 2 ingested (120 new events), 0 failed", \
                "20200724 is new and 20200722 is retried; 20200723 is not fetched again"
            assert store.count_events() == 240
            lists = [f for f in state.fetches(store).url if f.endswith(("md5sums", "filesizes"))]
            assert len(lists) == 4 and state.fetches(store).query("kind == 'gdelt-list'").outcome.tolist()[2:] == [
                "not-modified", "not-modified"], "unchanged lists cost a 304"
