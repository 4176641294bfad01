"""Recalibrated conflict models (issue 16): the Platt map, its nesting in the rolling backtest (fitted only on
earlier origins' out-of-sample forecasts whose outcomes were published), equal-count deciles and the period scores."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast import scores
from geodrift.forecast.conflict_backtest import backtest_conflict, conflict_models, decile_noise
from geodrift.forecast.conflict_data import ConflictHistory
from geodrift.forecast.conflict_features import GAP
from geodrift.forecast.conflict_recalibrate import OOS, ByHorizon, Recalibrated, platt_map
from geodrift.forecast.conflict_risk import conflict_risk
from geodrift.forecast.models import Persistence
from geodrift.store import Store


def _overconfident(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """True probabilities of a rare event, outcomes drawn from them, and forecasts too low and too sharp."""
    rng = np.random.default_rng(seed)
    truth = 1 / (1 + np.exp(-rng.normal(-3.5, 1.2, n)))
    hit = (rng.random(n) < truth).astype(float)
    logit = np.log(truth / (1 - truth))
    forecast = 1 / (1 + np.exp(-(1.6 * logit + 1.0)))
    return truth, hit, forecast


def test_platt_map_undoes_a_known_miscalibration() -> None:
    _, hit, forecast = _overconfident(40_000, 1)
    a, b = platt_map(forecast, hit)
    assert b == pytest.approx(1 / 1.6, abs=0.05) and a == pytest.approx(-1.0 / 1.6, abs=0.15)


def test_one_map_per_state_fixes_errors_of_opposite_sign() -> None:
    """Quiet rows' forecasts too sharp, active rows' too timid: one map per last-known state corrects both."""
    truth, hit, forecast = _overconfident(40_000, 1)
    rng = np.random.default_rng(9)
    active = 1 / (1 + np.exp(-rng.normal(0.5, 1.0, 4000)))
    timid = 1 / (1 + np.exp(-(0.5 * np.log(active / (1 - active)))))
    X = pd.DataFrame({"recent": np.r_[np.zeros(len(truth)), np.ones(4000)], OOS: np.r_[forecast, timid]})
    y = np.r_[hit, (rng.random(4000) < active).astype(float)]
    errors = {}
    for by_state in (True, False):
        model = Recalibrated(by_state=by_state).fit_map(Persistence(), X, y)
        fixed = model.recalibrate(X[OOS].to_numpy(), X)
        errors[by_state] = np.abs(fixed - np.r_[truth, active]).mean()
    assert errors[True] < 0.2 * np.abs(X[OOS].to_numpy() - np.r_[truth, active]).mean()
    assert errors[True] < 0.5 * errors[False]


def test_platt_prior_keeps_a_short_history_near_the_identity() -> None:
    _, hit, forecast = _overconfident(60, 2)
    a, b = platt_map(forecast, hit, prior_sd=0.5)
    assert abs(a) < 0.5 and abs(b - 1) < 0.5, "a Gaussian prior centred on the identity"
    X = pd.DataFrame({"recent": np.zeros(5), OOS: np.full(5, 0.01)})
    model = Recalibrated().fit_map(Persistence(), X, np.zeros(5))
    assert 0.003 < model.recalibrate(np.array([0.01]), X[:1])[0] < 0.01, "five quiet years lower 1%, not to zero"


def test_without_out_of_sample_history_the_forecasts_pass_unchanged(history: ConflictHistory) -> None:
    from geodrift.forecast.conflict_features import panel

    rows = panel(history, "country", "war", 1, list(range(1950, 1991)))
    train, test = rows[(rows.year <= 1988) & rows.y.notna()], rows[rows.year == 1990]
    model = conflict_models()["logistic+platt"].fit(train, train.y.to_numpy())
    assert model.history_ == 0 and np.allclose(model.predict(test), model.raw(test))


def test_decile_bins_hold_equal_counts_and_keep_ties_together() -> None:
    rng = np.random.default_rng(4)
    p = rng.beta(0.5, 20, 1000)
    table = scores.decile_reliability(p, rng.random(1000) < p)
    assert len(table) == 10 and set(table.n) == {100}
    assert (table.lowest.to_numpy()[1:] > table.highest.to_numpy()[:-1]).all(), "bins are slices of the ranking"
    tied = scores.decile_reliability(np.r_[np.full(500, 0.01), np.linspace(0.02, 0.9, 500)], np.zeros(1000))
    assert tied.n.iloc[0] == 500 and tied.forecast.iloc[0] == pytest.approx(0.01), "ties stay in one bin"


def test_the_map_sees_only_resolved_out_of_sample_forecasts(history: ConflictHistory,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """At origin T the map's rows are the base's forecasts made at origins t ≥ history_from with t + h − 1 ≤ T − GAP
    (a five-year forecast made at T − 3 is not resolved at T), and each is the forecast made at its own origin."""
    seen: list[tuple[set[int], pd.DataFrame]] = []
    fit_map = Recalibrated.fit_map

    def spy(self: Recalibrated, fitted: object, X: pd.DataFrame, y: np.ndarray) -> Recalibrated:
        known = X[X[OOS].notna()]
        seen.append((set(known.year), known[["unit", "year", OOS]]))
        return fit_map(self, fitted, X, y)  # type: ignore[arg-type]

    monkeypatch.setattr(Recalibrated, "fit_map", spy)
    models = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", "logistic",
                                                                   "logistic+platt")}
    for horizon in (1, 5):
        seen.clear()
        result = backtest_conflict(history, level="country", outcome="war", horizon=horizon, origins=range(1990, 1993),
                                   models=models, history_from=1975)
        origins = sorted(set(result.earlier.year) | set(result.predictions.year))
        assert origins[0] == 1975 and origins[-1] == 1992 and len(seen) == len(origins)
        raw = pd.concat([result.earlier, result.predictions])
        raw = raw[raw.model == "logistic+platt"].set_index(["unit", "year"]).raw
        for origin, (years, known) in zip(origins, seen, strict=True):
            assert years == set(range(1975, origin - GAP - horizon + 2)), (horizon, origin)
            assert np.allclose(known.set_index(["unit", "year"])[OOS], raw.loc[known.set_index(["unit", "year"]).index])
    assert list(result.periods.period.unique()) == ["1975–1989", "1990s"]


def test_recalibrated_rows_share_the_base_fit(history: ConflictHistory) -> None:
    models = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", "blend", "blend+platt")}
    result = backtest_conflict(history, level="pair", outcome="conflict", horizon=1, origins=range(2000, 2003),
                               models=models, history_from=1990)
    p = result.predictions.pivot_table(index=["unit", "year"], columns="model", values="raw")
    assert np.allclose(p["blend"], p["blend+platt"]), "the raw column is the base's own forecast"
    mapped = result.predictions[result.predictions.model == "blend+platt"]
    for _, rows in mapped.groupby(["year", "recent"]):
        assert (np.diff(rows.sort_values("raw").p.to_numpy()) >= 0).all(), "each map keeps its state's ranking"
    assert not np.allclose(mapped.p, mapped.raw)
    assert set(result.earlier.year) == set(range(1990, 2000))


def _history(horizon: int, seed: int, quiet_shift: float, active_shift: float) -> tuple[pd.DataFrame, np.ndarray,
                                                                                       np.ndarray]:
    """Thirty years of out-of-sample forecasts of 300 quiet and 30 active units, each state's forecasts off by a
    known shift on the logit scale (0: calibrated); the rows, outcomes and true probabilities."""
    rng = np.random.default_rng(seed)
    years = np.repeat(np.arange(1960, 1990), 330)
    active = np.tile(np.r_[np.zeros(300), np.ones(30)], 30)
    truth = 1 / (1 + np.exp(-np.where(active > 0, rng.normal(1.0, 0.8, len(years)), rng.normal(-3.5, 1.0, len(years)))))
    logit = np.log(truth / (1 - truth)) + np.where(active > 0, active_shift, quiet_shift)
    X = pd.DataFrame({"year": years, "recent": active, "horizon": horizon, OOS: 1 / (1 + np.exp(-logit))})
    return X, (rng.random(len(years)) < truth).astype(float), truth


def test_next_year_maps_the_active_rows_only() -> None:
    X, y, truth = _history(1, 5, quiet_shift=1.0, active_shift=-1.0)
    model = ByHorizon().fit_map(Persistence(), X, y)
    assert set(model.maps_) == {True}, "next year: the quiet rows keep their forecasts"
    fixed = model.recalibrate(X[OOS].to_numpy(), X)
    quiet, active = X.recent.to_numpy() == 0, X.recent.to_numpy() > 0
    assert np.allclose(fixed[quiet], X[OOS].to_numpy()[quiet])
    assert np.abs(fixed - truth)[active].mean() < 0.3 * np.abs(X[OOS].to_numpy() - truth)[active].mean()


def test_five_year_maps_are_kept_only_where_they_help() -> None:
    X, y, _ = _history(5, 6, quiet_shift=1.0, active_shift=-1.0)
    assert set(ByHorizon().fit_map(Persistence(), X, y).maps_) == {False, True}, "both states miscalibrated"
    X, y, _ = _history(5, 7, quiet_shift=0.0, active_shift=0.0)
    assert ByHorizon().fit_map(Persistence(), X, y).maps_ == {}, "calibrated forecasts stay as they are"
    X, y, _ = _history(5, 8, quiet_shift=0.0, active_shift=-1.0)
    assert set(ByHorizon().fit_map(Persistence(), X, y).maps_) == {True}


def test_half_life_follows_a_recent_change() -> None:
    """Calibrated until 1984, then the events twice as likely: the time-weighted map (half the weight on the last
    five years) moves toward the new rate, the equal-weighted one hardly."""
    X, _, truth = _history(1, 9, quiet_shift=0.0, active_shift=0.0)
    late = X.year.to_numpy() >= 1985
    truth = np.where(late, np.minimum(2 * truth, 0.99), truth)
    y = (np.random.default_rng(10).random(len(X)) < truth).astype(float)
    quiet = X[X.recent == 0]
    observed = y[(X.recent == 0).to_numpy() & late].mean()
    means = {}
    for half_life in (None, 5.0):
        model = Recalibrated(half_life=half_life).fit_map(Persistence(), X, y)
        means[half_life] = model.recalibrate(quiet[OOS].to_numpy(), quiet)[quiet.year.to_numpy() >= 1985].mean()
    assert abs(means[5.0] - observed) < 0.75 * abs(means[None] - observed)


def test_decile_noise_counts_overlapping_outcomes_once() -> None:
    """Five rows repeating one outcome (a five-year window seen from five origins) carry one row's information: the
    standard error clustered by unit stays that of the single rows, where counting the rows as independent would
    claim √5 less noise and a better chance of meeting the target."""
    rng = np.random.default_rng(11)
    p = 1 / (1 + np.exp(-rng.normal(-2.5, 1.2, 4000)))
    y = (rng.random(4000) < p).astype(float)
    units = np.arange(4000).astype(str)
    single = decile_noise(p, y, units)
    repeated = decile_noise(np.repeat(p, 5), np.repeat(y, 5), np.repeat(units, 5))
    naive = decile_noise(np.repeat(p, 5), np.repeat(y, 5), np.arange(20_000).astype(str))
    assert repeated["decile_se"] == pytest.approx(single["decile_se"], rel=1e-9)
    assert 2.0 < single["decile_se"] / naive["decile_se"] < 2.5 and naive["chance_met"] > single["chance_met"]
    se_binomial = np.sqrt(p.mean() * (1 - p.mean()) / 400)
    assert 0.3 * se_binomial < single["decile_se"] < 3 * se_binomial


def test_by_horizon_in_the_backtest(history: ConflictHistory) -> None:
    """Next year on real data (origins 1985–1989, history from 1965): the quiet countries keep the logistic's
    forecast, the active ones move, and the rows carry their horizon."""
    models = {k: v for k, v in conflict_models().items() if k in ("climatology", "persistence", "logistic",
                                                                   "logistic+horizon")}
    result = backtest_conflict(history, level="country", outcome="conflict", horizon=1, origins=range(1985, 1990),
                               models=models)
    rows = result.predictions[result.predictions.model == "logistic+horizon"]
    quiet = rows.recent == 0
    assert np.allclose(rows.p[quiet], rows.raw[quiet]) and not np.allclose(rows.p[~quiet], rows.raw[~quiet])
    assert {"decile_se", "chance_met"} <= set(result.scores.columns)


@pytest.mark.long  # three backtests of the base from 1965 for the map's history: half a minute of CPU
def test_risk_recalibrates_on_published_forecasts(conflict_db: Path) -> None:
    with Store(conflict_db, read_only=True) as store:
        raw = conflict_risk(store, 2021, top=500, model="logistic", record=False)
        recalibrated = conflict_risk(store, 2021, top=500, model="logistic+platt", record=False)
    both = raw.merge(recalibrated, on=["unit", "in_conflict_last_known"], suffixes=("_raw", "_new"))
    assert len(both) == len(raw) > 150, "every country, in the same state"
    for _, rows in both.groupby("in_conflict_last_known"):
        assert (np.diff(rows.sort_values("p_conflict_raw").p_conflict_new.to_numpy()) >= 0).all()
    assert not np.allclose(both.p_conflict_new, both.p_conflict_raw)
    assert recalibrated.drivers.str.len().min() > 0
