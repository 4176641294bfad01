"""A briefing written "as known on" a day shows only the forecasts made by then (attack review 6, F5): the CLI's
``brief --as-of`` and the API's ``as_of`` passed the briefing's own day to the forecasts look-up, so a briefing of
24 July as known on 20 July listed escalation forecasts made on the 24th."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from geodrift.report.forecasts import stored_forecasts
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.report.test_forecasts import ROWS, _store
from tests.test_cli import run

WATCH = "in the 30 days after 24 July 2020"
"""How the briefing's "What to watch" words the 30-day ARM–AZE forecast made on 24 July."""


def test_known_by_keeps_forecasts_made_later_out(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        units = ["ARM-AZE", "AZE"]
        assert sorted(stored_forecasts(store, units, "2020-07-24").unit) == ["ARM-AZE", "ARM-AZE", "AZE", "AZE"]
        known = stored_forecasts(store, units, "2020-07-24", known_by="2020-07-20")
        assert sorted(zip(known.unit, known.horizon, strict=True)) == [("AZE", 1), ("AZE", 5)]
        assert len(stored_forecasts(store, units, dt.date(2020, 7, 24), dt.date(2020, 7, 24))) == 4


@pytest.fixture()
def db(report_db: Path, tmp_path: Path) -> Path:
    """The report store with the escalation forecasts of ROWS, made on 24 July 2020."""
    path = tmp_path / "known.duckdb"
    shutil.copy(report_db, path)
    with Store(path) as store:
        for as_of, task, unit, horizon, horizon_unit, p in ROWS:
            store.con.execute("INSERT INTO forecasts (issued_at, as_of, task, unit, horizon, horizon_unit, k, model, p) "
                              "VALUES (TIMESTAMP '2026-12-01 10:00', ?, ?, ?, ?, ?, 1, 'climatology', ?)",
                              [as_of, task, unit, horizon, horizon_unit, p])
    return path


def _cli(db: Path, out: Path, *as_of: str) -> str:
    result = run("brief", "--date", "2020-07-24", "--days", "14", "--region", "ARM,AZE", "--formats", "md",
                 "--out", str(out), "--db", str(db), *as_of)
    assert result.returncode == 0, result.stderr
    return next(out.glob("briefing_*.md")).read_text(encoding="utf-8")


def test_cli_brief_as_of_shows_no_forecast_made_later(db: Path, tmp_path: Path) -> None:
    assert WATCH in _cli(db, tmp_path / "now")
    known = _cli(db, tmp_path / "then", "--as-of", "2020-07-20")
    assert "as known on 20 July 2020" in known and WATCH not in known


def test_api_briefing_as_of_shows_no_forecast_made_later(db: Path) -> None:
    with Store(db) as store:
        client = TestClient(create_app(ServeSettings(db=str(db)), store))
        url, params = "/api/v1/briefings/2020-07-24", {"days": 14, "region": "ARM,AZE"}
        assert WATCH in json.dumps(client.get(url, params=params).json())
        known = client.get(url, params={**params, "as_of": "2020-07-20"})
        assert known.status_code == 200 and WATCH not in json.dumps(known.json())
