"""Every registered forecaster, on realistic data of its task: fits, forecasts valid probabilities or
distributions that beat an uninformed guess, and clones into an unfitted copy with equal parameters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodrift.forecast.backtest import alignment_panel
from geodrift.forecast.base import TASKS, Forecaster, forecasters, task_models
from geodrift.forecast.distributions import CountDistribution, NormalDistribution
from geodrift.forecast.features import Panel
from geodrift.forecast.simulate import simulate_history

NAMES = sorted(forecasters())


def task_of(name: str) -> str:
    return name.split(".", 1)[0]


def build(name: str) -> Forecaster:
    return task_models(task_of(name), k=1)[name.split(".", 1)[1]]


@pytest.fixture(scope="module")
def weekly() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """Features and next-week conflict counts of 20 simulated units (INGARCH, known intensities), split in time."""
    history, _ = simulate_history(units=20, weeks=120, seed=5)
    panel = Panel(history, history.units)
    grid = list(pd.date_range(history.first_day + pd.Timedelta(days=35), periods=100, freq="7D"))
    X = panel.features(grid, horizon_days=7, k=1)
    y = panel.labels(grid, [g + pd.Timedelta(days=7) for g in grid]).reshape(-1)
    train = (X.origin < grid[80]).to_numpy()
    return X[train], y[train], X[~train], y[~train]


@pytest.fixture(scope="module")
def positions() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Yearly positions of 15 units pulled toward their own means (AR(1)), as alignment samples, split in time."""
    rng = np.random.default_rng(7)
    rows = []
    for u in range(15):
        mean, value = rng.normal(0, 1), rng.normal(0, 1)
        for year in range(1990, 2025):
            value = mean + 0.7 * (value - mean) + rng.normal(0, 0.3)
            rows.append({"unit": f"U{u}", "year": year, "position": value})
    samples = alignment_panel(pd.DataFrame(rows), (1, 5)).dropna(subset=["y"])
    return samples[samples.origin + samples.horizon <= 2015], samples[samples.origin == 2015]


@pytest.fixture(scope="module")
def yearly() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """Conflict panels of 60 simulated countries over 40 years: conflict persists and returns (a Markov chain whose
    exit rate falls with the years of conflict so far), with the history features, split in time."""
    from geodrift.forecast.conflict_features import COUNTRY_FEATURES

    rng = np.random.default_rng(3)
    rows = []
    for u in range(60):
        state, run, since = 0, 0, 10
        for year in range(1960, 2000):
            p = 0.75 if state else 0.04 + 0.2 * (since < 3)
            new = int(rng.random() < p)
            run, since = (run + 1, 0) if new else (0, since + 1)
            rows.append({"unit": f"U{u}", "year": year, "recent": float(state), "conflict_last": float(state),
                         "since_conflict": np.log1p(since), "conflict_10": float(min(run, 10)), "y": float(new)})
            state = new
    frame = pd.DataFrame(rows)
    for column in COUNTRY_FEATURES:
        if column not in frame:
            frame[column] = rng.normal(size=len(frame))
    train, test = frame[frame.year < 1990], frame[frame.year >= 1990]
    return train, train.y.to_numpy(), test, test.y.to_numpy()


def test_every_task_has_its_baselines() -> None:
    assert {n.split(".")[0] for n in NAMES} == set(TASKS)
    assert list(task_models("escalation"))[:2] == ["climatology", "persistence"]
    assert list(task_models("counts"))[:3] == ["zero", "last-value", "climatology"]
    assert list(task_models("alignment"))[:2] == ["climatology", "persistence"]
    assert list(task_models("conflict"))[:2] == ["climatology", "persistence"]


@pytest.mark.parametrize("name", NAMES)
def test_registered_for_a_task_of_its_kind(name: str) -> None:
    assert forecasters()[name].kind == TASKS[task_of(name)]


@pytest.mark.parametrize("name", NAMES)
def test_fits_and_forecasts(name: str, weekly: tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray],
                            positions: tuple[pd.DataFrame, pd.DataFrame],
                            yearly: tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]) -> None:
    model = build(name)
    if task_of(name) == "conflict":
        weekly = yearly
    kind = type(model).kind
    if kind == "gaussian":
        train, test = positions
        assert model.fit(train, train.y.to_numpy()) is model
        dist = model.predict(test)
        assert isinstance(dist, NormalDistribution) and dist.mean.shape == (len(test),)
        assert np.all(np.isfinite(dist.mean)) and np.all(dist.sd > 0)
        inside = (dist.quantile(0.05) <= test.y) & (test.y <= dist.quantile(0.95))
        assert inside.mean() > 0.6, "90% intervals cover most outcomes"
        return
    X_train, y_train, X_test, y_test = weekly
    assert model.fit(X_train, y_train) is model
    out = model.predict(X_test)
    if kind == "binary":
        assert out.shape == (len(X_test),) and np.all((out > 0) & (out < 1))
        hit = (y_test >= 1).astype(float)
        assert np.mean((out - hit) ** 2) < np.mean((hit.mean() - hit) ** 2) * 1.05, "about as good as the base rate"
    else:
        assert isinstance(out, CountDistribution) and out.mean.shape == (len(X_test),)
        assert np.all(np.isfinite(out.mean)) and np.all(out.mean >= 0)
        lo, hi = out.quantile(0.05), out.quantile(0.95)
        assert np.all(lo <= hi) and np.all(np.diff(out.cdf(np.arange(50.0)[:, None]), axis=0) >= -1e-12)
        if not out.point:
            assert np.all(np.abs(out.pmf(np.arange(2000)[:, None]).sum(axis=0) - 1) < 1e-3), "probabilities sum to 1"


@pytest.mark.parametrize("name", NAMES)
def test_clone_is_unfitted_with_equal_params(name: str,
                                             weekly: tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray],
                                             positions: tuple[pd.DataFrame, pd.DataFrame],
                                             yearly: tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]) -> None:
    model = build(name)
    if task_of(name) == "conflict":
        weekly = yearly
    params = model.get_params()
    assert type(model)(**params).get_params() == params, "parameters are stored unchanged"
    if type(model).kind == "gaussian":
        model.fit(positions[0], positions[0].y.to_numpy())
    else:
        model.fit(*weekly[:2])
    copy = model.clone()
    assert type(copy) is type(model) and copy is not model and repr(copy) == repr(model)
    assert not [a for a in vars(copy) if a.endswith("_")], "a clone is unfitted"
    with pytest.raises(TypeError):
        type(model)(1)  # parameters are keyword-only
