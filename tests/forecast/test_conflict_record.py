"""`geodrift risk` stores every unit's conflict forecasts with their backtest record, on the real UCDP/COW files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.forecast.conflict_data import load_conflict_history
from geodrift.forecast.conflict_risk import record_origins
from geodrift.report.forecasts import stored_forecasts
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings
from tests.conflict_risks import store_risks


@pytest.fixture(scope="module")
def risk_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """ACD v25.1 and the MID dyad-years only (battle deaths are not a feature), with `risk --year 2021` stored
    from a short backtest (origins from 2012) to keep the test fast."""
    db = tmp_path_factory.mktemp("risk") / "risk.duckdb"
    assert "stored 1170 country forecasts for 2021" in store_risks(db, shared, 2021, 2012)
    return db


def test_risk_stores_every_country_with_its_record(risk_db: Path) -> None:
    with Store(risk_db, read_only=True) as store:
        frame = stored_forecasts(store, ["AZE", "SYR", "ARM"], dt.date(2021, 6, 1))
        assert stored_forecasts(store, ["AZE"], dt.date(2020, 12, 31)).empty, "issued 1 January 2021"
        everything = store.df("SELECT task, horizon, count(DISTINCT unit) AS n FROM forecasts GROUP BY ALL")
    assert set(zip(everything.task, everything.horizon, strict=True)) == {
        (t, h) for t in ("conflict", "war", "dispute") for h in (1, 5)}
    assert everything.n.min() > 150, "every member of the state system, not only the top rows shown"
    assert len(frame) == 3 * 3 * 2 and set(frame.horizon_unit) == {"years"} and set(frame.model) == {"logistic"}
    assert (frame.as_of == pd_day(2021, 1, 1)).all() and frame.p.between(0, 1).all()
    syr = frame[(frame.unit == "SYR") & (frame.task == "conflict")].set_index("horizon")
    assert syr.p[1] > 0.8 and syr.p[5] >= syr.p[1] - 0.05, "Syria at war since 2011"
    next_year = frame[(frame.task == "conflict") & (frame.horizon == 1)].iloc[0]
    # Next-year origins whose outcome was published by 1 January 2021: 2012..2019, every country each year.
    assert 8 * 150 < next_year.backtest_forecasts < 8 * 210
    assert next_year.skill_climatology > 0.2 and next_year.skill_persistence > 0
    dispute = frame[(frame.task == "dispute") & (frame.unit == "AZE")].set_index("horizon")
    assert dispute.backtest_forecasts[1] < next_year.backtest_forecasts, "MID ends in 2014: fewer origins to score"
    assert dispute.skill_climatology.isna()[5], "no five-year MID window from 2012 was ever published"


def test_record_uses_only_published_outcomes(risk_db: Path) -> None:
    with Store(risk_db, read_only=True) as store:
        history = load_conflict_history(store, through=2021)
    assert record_origins(history, "conflict", 1, 2021, 2012) == list(range(2012, 2020))
    assert record_origins(history, "conflict", 5, 2021, 2012) == list(range(2012, 2016))
    assert record_origins(history, "dispute", 5, 2021, 2005) == list(range(2005, 2011))


def test_stored_risks_are_coherent(risk_db: Path) -> None:
    """A war is an armed conflict and next year lies within five years: the stored numbers keep both orders."""
    with Store(risk_db, read_only=True) as store:
        wide = store.df("SELECT unit, task, horizon, p FROM forecasts WHERE task IN ('conflict', 'war', 'dispute')"
                        ).pivot_table(index="unit", columns=["task", "horizon"], values="p")
    for horizon in (1, 5):
        assert (wide[("war", horizon)] <= wide[("conflict", horizon)]).all()
    for task in ("conflict", "war", "dispute"):
        assert (wide[(task, 5)] >= wide[(task, 1)]).all(), task


def test_api_returns_the_stored_risks(risk_db: Path) -> None:
    settings = ServeSettings(db=str(risk_db), read_only=True)
    with Store(risk_db, read_only=True) as store:
        client = TestClient(create_app(settings, store))
        rows = client.get("/api/v1/forecasts", params={"unit": "AZE", "as_of": "2021-03-01"}).json()
    assert {(r["task"], r["horizon"]) for r in rows} == {(t, h) for t in ("conflict", "war", "dispute") for h in (1, 5)}
    assert all(r["backtest_forecasts"] > 0 for r in rows if not (r["task"] == "dispute" and r["horizon"] == 5))
    assert all("UCDP/PRIO armed conflicts v25.1 (to 2024)" in r["vintage"] for r in rows)


def test_no_record_stores_nothing(risk_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(risk_db.read_bytes())
    with Store(copy) as store:
        store.con.execute("DELETE FROM forecasts")
    result = CliRunner().invoke(app, ["risk", "--year", "2021", "--top", "2", "--no-record", "--db", str(copy)])
    assert result.exit_code == 0, result.output
    with Store(copy, read_only=True) as store:
        assert store.df("SELECT count(*) AS n FROM forecasts").n[0] == 0


def pd_day(year: int, month: int, day: int) -> object:
    import pandas as pd

    return pd.Timestamp(year, month, day)


def test_api_without_a_day_returns_the_latest_forecasts_paged(risk_db: Path) -> None:
    """Without ``as_of`` the answer is the latest forecasts, not those open today: the 2021 risks are closed by now,
    and this answered [] on a store of 1,186 forecasts (reader M14)."""
    settings = ServeSettings(db=str(risk_db), read_only=True)
    with Store(risk_db, read_only=True) as store:
        client = TestClient(create_app(settings, store))
        rows = client.get("/api/v1/forecasts", params={"unit": "AZE"}).json()
        every = client.get("/api/v1/forecasts").json()
        first, second = (client.get("/api/v1/forecasts", params={"limit": 5, "offset": o}).json() for o in (0, 5))
        stored = store.df("SELECT count(*) AS n FROM forecasts").n[0]
    assert {(r["task"], r["horizon"]) for r in rows} == {(t, h) for t in ("conflict", "war", "dispute") for h in (1, 5)}
    assert {r["window_end"][:4] for r in rows} == {"2022", "2026"}, rows
    assert len(every) == min(stored, 1000) and len(first) == len(second) == 5
    assert not {(r["task"], r["unit"], r["horizon"]) for r in first} & {(r["task"], r["unit"], r["horizon"])
                                                                          for r in second}
