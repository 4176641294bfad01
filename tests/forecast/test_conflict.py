"""The yearly conflict forecasts on the real UCDP and COW data: leak-free features, backtest scores, risk lists."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from geodrift.cli import app
from geodrift.errors import InputError, LeakageError
from geodrift.forecast import conflict_backtest
from geodrift.forecast.conflict_backtest import backtest_conflict, check_conflict_leakage
from geodrift.forecast.conflict_data import ConflictHistory, load_conflict_history
from geodrift.forecast.conflict_features import GAP, panel
from geodrift.forecast.conflict_risk import conflict_risk
from geodrift.ingest import ingest_files
from geodrift.store import Store


@pytest.fixture(scope="module")
def conflict_db(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("conflict") / "conflict.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "ucdp/ucdp_acd_v25_1_unnested.csv", shared / "ucdp/ucdp-brd-dyadic-221.csv",
                             shared / "cow-mid/cow_mid_dyad_year_peacesciencer.csv"])
    return db


@pytest.fixture(scope="module")
def history(conflict_db: Path) -> ConflictHistory:
    with Store(conflict_db, read_only=True) as store:
        return load_conflict_history(store)


def test_outcomes_follow_the_data(history: ConflictHistory) -> None:
    assert history.coverage == {"acd": 2024, "brd": 2021, "mid": 2014}
    aze = history.countries[history.countries.unit == "AZE"].set_index("year")
    assert aze.loc[2020, "war"] == 1 and aze.loc[2019, "conflict"] == 0 and aze.loc[2020, "deaths"] > 1000
    assert np.isnan(aze.loc[2016, "dispute"]), "MID ends in 2014: later years are unknown, not peaceful"
    pair = history.pairs[history.pairs.unit == "ARM-AZE"].set_index("year")
    assert pair.loc[1992, "war"] == 1 and pair.loc[2002, "dispute"] == 1
    assert {"RUS", "DDR"} <= set(history.countries[history.countries.year == 1980].unit)


def test_features_read_only_published_years(history: ConflictHistory) -> None:
    rows = panel(history, "country", "conflict", 1, [2021]).set_index("unit")
    assert rows.loc["AZE", "conflict_last"] == 0, f"2021 is forecast from {2021 - GAP}, before the 2020 war"
    for level in ("country", "pair"):
        check_conflict_leakage(history, level, "conflict", 5, [1995, 2010])


def test_a_peeking_feature_is_caught(history: ConflictHistory, monkeypatch: pytest.MonkeyPatch) -> None:
    real = conflict_backtest.panel

    def peeking(h: ConflictHistory, level: str, outcome: str, horizon: int, targets: list[int]):  # type: ignore[no-untyped-def]
        frame = real(h, level, outcome, horizon, targets)
        frame["conflict_last"] = frame.groupby("unit").conflict_last.shift(-GAP).fillna(0)
        return frame

    monkeypatch.setattr(conflict_backtest, "panel", peeking)
    with pytest.raises(LeakageError):
        check_conflict_leakage(history, "country", "conflict", 1, [2005])


def test_backtest_scores_and_top_list(history: ConflictHistory) -> None:
    result = backtest_conflict(history, level="country", outcome="war", horizon=1, origins=range(2010, 2014))
    table = result.scores.set_index("model")
    assert list(table.index[:2]) == ["climatology", "persistence"]
    assert {"brier", "log", "auc_pr", "skill_vs_climatology", "skill_vs_persistence", "calibration_error"} <= set(table)
    assert table.loc["climatology", "skill_vs_climatology"] == 0
    assert result.top is not None and set(result.top.year) == {2010, 2011, 2012, 2013}
    assert (result.top.in_top <= result.top.events).all()
    assert set(result.reliability) == set(table.index)


def test_risk_list(conflict_db: Path) -> None:
    with Store(conflict_db, read_only=True) as store:
        frame = conflict_risk(store, 2021, top=10, record=False)
        assert len(frame) == 10 and frame.p_conflict.is_monotonic_decreasing and frame.data_through[0] == 2019
        assert "SYR" in set(frame.unit) and frame.drivers.str.len().gt(1).all()
        with pytest.raises(InputError, match="forecasts reach"):
            conflict_risk(store, 2030, record=False)


def test_risk_cli(conflict_db: Path) -> None:
    result = CliRunner().invoke(app, ["risk", "--year", "2021", "--top", "5", "--no-record", "--format", "csv",
                                      "--db", str(conflict_db)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("rank,unit,name,p_conflict") and len(lines) == 6
    bad = CliRunner().invoke(app, ["risk", "--year", "1900", "--db", str(conflict_db)])
    assert bad.exit_code == 1 and "forecasts reach" in bad.output
