"""Issue current forecasts: fit the model with the best backtest record on everything known now, predict
the next window, and keep the backtest numbers beside each forecast (what a reader needs to trust it)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from geodrift.errors import InputError
from geodrift.forecast.backtest import (
    BacktestResult,
    alignment_models,
    alignment_panel,
    count_models,
    escalation_models,
    training_set,
)
from geodrift.forecast.features import Panel
from geodrift.forecast.history import History

FORECAST_COLUMNS = ["issued_at", "as_of", "task", "unit", "horizon", "horizon_unit", "k", "threshold", "model", "p",
                    "mean", "lo", "hi", "skill_climatology", "skill_persistence", "backtest_forecasts", "backtest_data"]
"""The ``forecasts`` table's columns; ``backtest_data`` says what the model was chosen on (``DATA``)."""

DATA = "data"
"""The key of ``BacktestResult.settings`` naming the data the backtest ran on ("the curated events before 24 July
2020: 30 dyads at 4 origins from 26 June 2020 to 17 July 2020"): stored with each forecast it chose a model for."""


def best_model(result: BacktestResult, horizon: int, score: str) -> pd.Series:
    """The backtest row of the model with the lowest ``score`` at ``horizon``."""
    table = result.scores[result.scores.horizon == horizon]
    if table.empty:
        raise InputError(f"the backtest has no scores at horizon {horizon}")
    return table.sort_values(score).iloc[0]


def _frame(rows: list[dict[str, object]], backtest: BacktestResult) -> pd.DataFrame:
    frame = pd.DataFrame(rows).reindex(columns=FORECAST_COLUMNS)
    frame["issued_at"] = pd.Timestamp.now(tz="UTC").tz_localize(None).floor("s")
    frame["backtest_data"] = pd.Series(backtest.settings.get(DATA), index=frame.index, dtype=object)
    return frame


def issue_escalation(history: History, backtest: BacktestResult, *, as_of: pd.Timestamp, units: Sequence[str],
                     horizon_days: int, k: int = 1, step_days: int = 7,
                     pool: Sequence[str] | None = None) -> pd.DataFrame:
    """P(at least k conflict events in the ``horizon_days`` from ``as_of``) per unit, by the best-scoring model
    fitted on the ``pool`` units (default: ``units``) and predicted for ``units``."""
    record = best_model(backtest, horizon_days, "brier")
    model = escalation_models(k)[str(record.model)]
    panel = Panel(history, list(pool or units))
    as_of = pd.Timestamp(as_of)
    grid = list(pd.date_range(end=as_of - pd.Timedelta(days=horizon_days), periods=520, freq=f"{step_days}D"))
    grid = [g for g in grid if g >= history.first_day]
    X = panel.features(grid, horizon_days=horizon_days, k=k)
    final = panel.labels(grid, [g + pd.Timedelta(days=horizon_days) for g in grid])
    training = training_set(panel, grid, X, final, as_of, pd.Timedelta(days=horizon_days))
    if training is None:
        raise InputError(f"not enough history before {as_of.date()} to fit a forecast")
    fitted = model.clone().fit(*training).predict(panel.features([as_of], horizon_days=horizon_days, k=k))
    p = [dict(zip(panel.units, fitted, strict=True))[u] for u in units]
    return _frame([{"as_of": as_of.date(), "task": "escalation", "unit": unit, "horizon": horizon_days,
                    "horizon_unit": "days", "k": k, "model": str(record.model), "p": float(prob),
                    "skill_climatology": float(record.skill_vs_climatology),
                    "skill_persistence": float(record.skill_vs_persistence),
                    "backtest_forecasts": int(record.forecasts)} for unit, prob in zip(units, p, strict=True)], backtest)


def issue_counts(history: History, backtest: BacktestResult, *, as_of: pd.Timestamp, units: Sequence[str],
                 horizons: Sequence[int] = (1, 3, 12), pool: Sequence[str] | None = None) -> pd.DataFrame:
    """Monthly conflict counts 1..12 months after the month of ``as_of``: mean and 90% interval per unit, from
    models fitted on the ``pool`` units (default: ``units``)."""
    panel = Panel(history, list(pool or units))
    origin = pd.Timestamp(as_of).normalize().replace(day=1)
    grid = list(pd.date_range(history.first_day.normalize().replace(day=1) + pd.offsets.MonthBegin(1), origin,
                              freq="MS"))
    X = panel.features(grid, horizon_days=30)
    now = panel.features([origin], horizon_days=30)
    rows: list[dict[str, object]] = []
    for h in [h for h in horizons if h in set(backtest.scores.horizon)]:
        record = best_model(backtest, h, "crps")
        span = pd.DateOffset(months=h)
        train = np.array([g + span <= origin for g in grid])
        y = panel.labels([g + pd.DateOffset(months=h - 1) for g in grid], [g + span for g in grid], as_of=origin)
        usable = np.repeat(train, panel.n)
        dist = count_models()[str(record.model)].fit(X[usable], y[train].reshape(-1)).predict(now)
        keep = [panel.units.index(u) for u in units]
        # A point-mass benchmark (zero, last value) states no uncertainty: its "interval" is left empty, not 0 wide.
        width = np.nan if dist.point else 1.0
        rows += [{"as_of": origin.date(), "task": "counts", "unit": unit, "horizon": h, "horizon_unit": "months",
                  "model": str(record.model), "mean": float(m), "lo": float(lo) * width, "hi": float(hi) * width,
                  "skill_climatology": float(record.skill_vs_climatology), "backtest_forecasts": int(record.forecasts)}
                 for unit, m, lo, hi in zip(units, dist.mean[keep], dist.quantile(0.05)[keep],
                                            dist.quantile(0.95)[keep], strict=True)]
    return _frame(rows, backtest)


def issue_alignment(positions: pd.DataFrame, backtest: BacktestResult, *, units: Sequence[str],
                    horizons: Sequence[int] = (1, 5), threshold: float = 0.0) -> pd.DataFrame:
    """Positions 1 and 5 years after the last year with data, with 90% intervals and P(position > threshold)."""
    samples = alignment_panel(positions, horizons)
    last = int(samples.origin.max())
    rows: list[dict[str, object]] = []
    for h in horizons:
        record = best_model(backtest, h, "crps")
        train = samples[(samples.origin + samples.horizon <= last) & samples.y.notna()]
        now = samples[(samples.origin == last) & (samples.horizon == h) & samples.unit.isin(units)]
        dist = alignment_models()[str(record.model)].fit(train, train.y.to_numpy()).predict(now)
        rows += [{"as_of": pd.Timestamp(f"{last}-12-31").date(), "task": "alignment", "unit": unit, "horizon": h,
                  "horizon_unit": "years", "threshold": threshold, "model": str(record.model), "p": float(p),
                  "mean": float(m), "lo": float(lo), "hi": float(hi),
                  "skill_climatology": float(record.skill_vs_climatology),
                  "skill_persistence": float(record.skill_vs_persistence), "backtest_forecasts": int(record.forecasts)}
                 for unit, m, lo, hi, p in zip(now.unit, dist.mean, dist.quantile(0.05), dist.quantile(0.95),
                                                dist.prob_above(threshold), strict=True)]
    return _frame(rows, backtest)
