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
from geodrift.forecast.conflict_data import ConflictHistory
from geodrift.forecast.conflict_features import GAP, panel
from geodrift.forecast.conflict_risk import conflict_risk
from geodrift.store import Store


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
    lines = result.stdout.strip().splitlines()  # the CSV alone: the note on what the history holds is on stderr
    assert lines[0].startswith("rank,unit,name,p_conflict") and len(lines) == 6
    assert "the conflict history ends in 2019" in result.stderr
    bad = CliRunner().invoke(app, ["risk", "--year", "1900", "--db", str(conflict_db)])
    assert bad.exit_code == 1 and "forecasts reach" in bad.output


def test_pair_features_read_both_sides(history: ConflictHistory) -> None:
    rows = panel(history, "pair", "conflict", 1, [2022]).set_index("unit")
    arm_aze = rows.loc["ARM-AZE"]
    assert arm_aze.conflict_last == 1 and arm_aze.sides_deaths > np.log1p(1000), "the 2020 war, read from 2020"
    assert arm_aze.disputes_ever > np.log1p(5) and arm_aze.pair_age > np.log1p(25), "disputes since 1992"
    assert rows.loc["IND-PAK"].sides_since_conflict == 0, "India and Pakistan both fought in 2020"
    assert rows.deaths_known.max() == 1 and panel(history, "pair", "conflict", 1, [2024]).deaths_known.max() == 0, \
        "BRD ends in 2021: no deaths known for 2022, never zeros passed off as peace"


def test_transition_is_persistence_aware(history: ConflictHistory) -> None:
    from geodrift.forecast.conflict_models import ConflictTransition

    rows = panel(history, "pair", "conflict", 1, list(range(1950, 2016)))
    train, test = rows[(rows.year <= 2013) & rows.y.notna()], rows[rows.year == 2015]
    model = ConflictTransition().fit(train, train.y.to_numpy())
    p = model.predict(test)
    ongoing, quiet = p[test.recent.to_numpy() > 0], p[test.recent.to_numpy() == 0]
    assert ongoing.min() > quiet.mean() * 10, "a pair in conflict two years ago is far likelier to fight"
    assert 0.2 < ongoing.mean() < 0.8 and quiet.mean() < 0.02


def test_battle_deaths_hurdle_beats_climatology(history: ConflictHistory) -> None:
    from geodrift.forecast.conflict_deaths import LEVELS, HurdleDeaths, backtest_deaths, deaths_panel, pinball

    result = backtest_deaths(history, range(2015, 2022))
    table = result.scores.set_index("model")
    assert list(table.index) == ["climatology", "persistence", "hurdle"]
    assert table.skill_vs_climatology["hurdle"] > 0.3 and table.skill_vs_persistence["hurdle"] > 0
    assert (table.crps == 2 * table.pinball).all() and table.coverage_80["hurdle"] > 0.8
    rows = deaths_panel(history)
    q = HurdleDeaths().fit(rows[rows.year <= 2017]).quantiles(rows[rows.year == 2019])
    assert (np.diff(q, axis=1) >= -1e-9).all(), "quantiles never cross"
    assert pinball(np.zeros((1, len(LEVELS))), np.array([0.0]))[0] == 0
    with pytest.raises(InputError, match="BRD covers 1989–2021"):
        backtest_deaths(history, [2023])


def test_conflict_backtest_report(history: ConflictHistory, tmp_path: Path) -> None:
    from geodrift.forecast.conflict_deaths import backtest_deaths
    from geodrift.report.conflict_backtest import conflict_sections
    from geodrift.report.document import Document
    from geodrift.report.render import write_document

    war = backtest_conflict(history, level="country", outcome="war", horizon=1, origins=range(2010, 2014))
    sections = conflict_sections([war], backtest_deaths(history, range(2018, 2022)), tmp_path)
    assert [s.heading for s in sections] == ["conflict — country war", "conflict — battle deaths per country, next year"]
    verdict = sections[0].paragraphs[0].text
    assert verdict.startswith("Country war (1,000+ battle deaths), next year: the best model is ")
    assert "against persistence" in verdict and "over 7" in verdict, "four origins of every state"
    assert "even a calibrated forecaster would keep every decile within 0.02 with probability" in verdict
    captions = [t.caption for t in sections[0].tables]
    assert captions[0].startswith("Country war, next year: origins 2010–2013") and captions[1].startswith("Top-20")
    assert sections[0].charts[0].path.stat().st_size > 5000
    assert "CRPS on log(1 + deaths)" in sections[1].paragraphs[0].text
    document = Document("backtest", "Forecast backtests", "", "now", sections, {}, {})
    paths = write_document(document, tmp_path, "backtest", ("html", "md"))
    html = paths[0].read_text()
    # the HTML captions a chart by its description (what it draws), which names its task
    assert "skill vs persistence" in html and "10–90% coverage" in html and "Reliability diagram, country war" in html


def test_risk_states_each_sources_last_year(conflict_db: Path) -> None:
    """COW's MID data end in 2014: the title says so beside UCDP's 2019, and MID drivers carry their year (reader M8:
    "UCDP/COW data through 2019")."""
    result = CliRunner().invoke(app, ["risk", "--year", "2021", "--top", "200", "--no-record", "--db", str(conflict_db)])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "UCDP data through 2019, COW MID through 2014" in flat and "UCDP/COW data through" not in flat
    assert "COW's dispute data end in 2014, 5 years before the UCDP data" in flat
    with Store(conflict_db, read_only=True) as store:
        frame = conflict_risk(store, 2021, top=200, record=False).set_index("unit")
    assert frame.mid_through.eq(2014).all()
    assert "in a MID (COW to 2014)" in frame.loc["GEO", "drivers"], frame.loc["GEO", "drivers"]
    assert not frame.drivers.str.contains(r"conflict recent \(COW").any(), "UCDP drivers are not dated"
