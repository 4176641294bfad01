"""Rolling-origin backtests: at every origin, refit fresh copies of each model on what was known then,
forecast the next window, and score against what happened.

Known-then means two things (forecast/history.py): features use events known before the origin
(date_added, not event_date), and the training labels of windows that ended shortly before the
origin count only the events already known at the origin. ``check_no_leakage`` verifies both by
recomputing them on a history physically cut at the origin; every backtest runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodrift.errors import InputError, LeakageError
from geodrift.forecast import scores
from geodrift.forecast.base import Forecaster, task_models
from geodrift.forecast.features import FEATURES, Panel
from geodrift.forecast.history import History

PanelFactory = Callable[[History, Sequence[str]], Panel]


def escalation_models(k: int = 1) -> dict[str, Forecaster]:
    """The registered escalation forecasters (baselines first: climatology, persistence) for threshold k."""
    return task_models("escalation", k=k)


def count_models() -> dict[str, Forecaster]:
    """The registered count forecasters (benchmarks first: zero, last-value, climatology)."""
    return task_models("counts")


def alignment_models() -> dict[str, Forecaster]:
    """The registered alignment forecasters (baselines first: climatology, persistence)."""
    return task_models("alignment")


@dataclass
class BacktestResult:
    """Every forecast made (one row per unit, origin, horizon and model) and the scores derived from them."""

    task: str
    predictions: pd.DataFrame
    scores: pd.DataFrame
    per_unit: pd.DataFrame
    reliability: dict[str, pd.DataFrame] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)


def check_no_leakage(history: History, units: Sequence[str], origins: Sequence[pd.Timestamp], *, horizon_days: int,
                     k: int = 1, panel: PanelFactory = Panel) -> None:
    """Raise LeakageError unless features and training labels at each origin are the same when computed on
    the full history and on the history cut at that origin."""
    full = panel(history, units)
    for origin in origins:
        cut = panel(history.known_before(pd.Timestamp(origin)), units)
        a = full.features([origin], horizon_days=horizon_days, k=k)[FEATURES].to_numpy(float)
        b = cut.features([origin], horizon_days=horizon_days, k=k)[FEATURES].to_numpy(float)
        if not np.allclose(a, b):
            raise LeakageError(f"features at {pd.Timestamp(origin).date()} use events not known by then")
        starts = [pd.Timestamp(origin) - pd.Timedelta(days=horizon_days + d) for d in (0, 7, 30)]
        ends = [s + pd.Timedelta(days=horizon_days) for s in starts]
        if not np.allclose(full.labels(starts, ends, as_of=origin), cut.labels(starts, ends)):
            raise LeakageError(f"training labels at {pd.Timestamp(origin).date()} use events not known by then")


def _grid(first: pd.Timestamp, last: pd.Timestamp, step_days: int) -> list[pd.Timestamp]:
    return list(pd.date_range(first, last, freq=f"{step_days}D")) if first <= last else []


def _train_labels(panel: Panel, starts: list[pd.Timestamp], final: np.ndarray, usable: np.ndarray,
                  span: pd.DateOffset | pd.Timedelta, at: pd.Timestamp) -> tuple[np.ndarray, np.ndarray]:
    """Labels and coverage of the usable training windows as known at ``at``: the final values where the window
    ended longer ago than any reporting delay, recomputed from what was known at ``at`` otherwise."""
    chosen = [starts[i] for i in np.flatnonzero(usable)]
    labels = final[usable].copy()
    covered = panel.volume(chosen, [s + span for s in chosen]) > 0
    recent = [j for j, s in enumerate(chosen) if s + span + pd.Timedelta(days=panel.max_lag) > at]
    if recent:
        windows = [chosen[j] for j in recent], [chosen[j] + span for j in recent]
        labels[recent] = panel.labels(*windows, as_of=at)
        covered[recent] = panel.volume(*windows, as_of=at) > 0
    return labels, covered


def training_set(panel: Panel, grid: list[pd.Timestamp], X: pd.DataFrame, final: np.ndarray, at: pd.Timestamp,
                 horizon: pd.Timedelta) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Features and labels (as known at ``at``) of the covered windows that ended by ``at``; None if under 4."""
    done = np.array([g + horizon <= at for g in grid])
    if not done.any():
        return None
    y_grid, covered = _train_labels(panel, grid, final, done, horizon, at)
    if covered.sum() < 4:
        return None
    n = panel.n
    usable = np.repeat(done, n)
    usable[usable] = np.repeat(covered, n)
    return X[usable[: len(X)]], y_grid[covered].reshape(-1)


def backtest_escalation(history: History, *, horizon_days: int = 7, k: int = 1, units: Sequence[str] | None = None,
                        models: dict[str, Forecaster] | None = None, step_days: int = 7, min_train_days: int = 365,
                        warmup_days: int = 30, panel: PanelFactory = Panel) -> BacktestResult:
    """P(at least k material-conflict events in the next ``horizon_days``) per unit, from every origin."""
    units = list(units or history.units)
    models = models or escalation_models(k)
    built = panel(history, units)
    first, last = history.first_day, history.last_day
    grid = _grid(first + pd.Timedelta(days=warmup_days), last - pd.Timedelta(days=horizon_days - 1), step_days)
    tests = [t for t in grid if t >= first + pd.Timedelta(days=min_train_days)]
    if not tests:
        raise InputError(f"the history ({first.date()} to {last.date()}) is too short for a backtest: it needs "
                         f"{min_train_days} days of training and {horizon_days} days to score")
    check_no_leakage(history, units, [tests[0], tests[len(tests) // 2], tests[-1]], horizon_days=horizon_days, k=k,
                     panel=panel)
    horizon = pd.Timedelta(days=horizon_days)
    X = built.features(grid, horizon_days=horizon_days, k=k)
    final = built.labels(grid, [t + horizon for t in grid]).reshape(-1)
    origin_of = X.origin.to_numpy()
    rows = []
    covered_final = built.volume(grid, [t + horizon for t in grid]) > 0
    final2d = final.reshape(len(grid), -1)
    for i, t in enumerate(grid):
        if t not in tests or not covered_final[i]:
            continue
        training = training_set(built, grid, X, final2d, t, horizon)
        if training is None or len(np.unique(training[1] >= k)) < 2:
            continue
        now = origin_of == np.datetime64(t)
        for name, model in models.items():
            p = model.clone().fit(*training).predict(X[now])
            rows.append(pd.DataFrame({"unit": X.unit[now].to_numpy(), "origin": t, "horizon": horizon_days,
                                      "model": name, "p": p, "y": final[now]}))
    if not rows:
        raise InputError("no origin had both outcomes (windows with and without conflict) in its training data")
    predictions = pd.concat(rows, ignore_index=True)
    predictions["hit"] = (predictions.y >= k).astype(int)
    return _score_binary(predictions, f"escalation {horizon_days}d k>={k}", list(models))


def _score_binary(predictions: pd.DataFrame, task: str, names: list[str]) -> BacktestResult:
    def table(group: pd.DataFrame) -> dict[str, dict[str, float]]:
        by = {str(m): g for m, g in group.groupby("model")}
        ref = {b: scores.brier(by[b].p, by[b].hit) for b in ("climatology", "persistence") if b in by}
        out = {}
        for m, g in by.items():
            b = scores.brier(g.p, g.hit)
            out[m] = {"forecasts": len(g), "base_rate": float(g.hit.mean()), "brier": b,
                      "log_score": scores.log_score(g.p, g.hit),
                      "skill_vs_climatology": scores.skill(b, ref.get("climatology", np.nan)),
                      "skill_vs_persistence": scores.skill(b, ref.get("persistence", np.nan)),
                      "calibration_error": scores.calibration_error(g.p, g.hit), "sharpness": scores.sharpness(g.p)}
        return out

    rows = [{"horizon": h, "model": m, **v} for h, g in predictions.groupby("horizon") for m, v in table(g).items()]
    per_unit = [{"unit": u, "model": m, **v} for u, g in predictions.groupby("unit") for m, v in table(g).items()]
    order = {n: i for i, n in enumerate(names)}
    result = pd.DataFrame(rows).sort_values(["horizon", "model"], key=lambda s: s.map(order) if s.name == "model" else s)
    reliability = {str(m): scores.reliability(g.p, g.hit) for m, g in predictions.groupby("model")}
    return BacktestResult(task, predictions, result.reset_index(drop=True), pd.DataFrame(per_unit), reliability)


def backtest_counts(history: History, *, horizons: Sequence[int] = tuple(range(1, 13)),
                    units: Sequence[str] | None = None, models: dict[str, Forecaster] | None = None,
                    min_train_months: int = 12, panel: PanelFactory = Panel) -> BacktestResult:
    """Monthly material-conflict counts per unit, 1-12 months ahead (VIEWS-style), from every month start."""
    units = list(units or history.units)
    models = models or count_models()
    built = panel(history, units)
    first = (history.first_day + pd.offsets.MonthBegin(1)).normalize()
    end = (history.last_day + pd.Timedelta(days=1)).normalize()
    grid = list(pd.date_range(first, end - pd.offsets.MonthBegin(1), freq="MS"))
    if len(grid) <= min_train_months + 1:
        raise InputError(f"the history ({history.first_day.date()} to {history.last_day.date()}) is too short for a "
                         f"monthly backtest: it needs more than {min_train_months + 1} whole months")
    check_no_leakage(history, units, [grid[min_train_months], grid[-1]], horizon_days=30, panel=panel)
    X = built.features(grid, horizon_days=30)
    origin_of = X.origin.to_numpy()
    rows = []
    for h in horizons:
        span = pd.DateOffset(months=h)
        starts = [g + pd.DateOffset(months=h - 1) for g in grid]
        final = built.labels(starts, [g + span for g in grid])
        valid = np.array([g + span <= end for g in grid]) & (built.volume(starts, [g + span for g in grid]) > 0)
        for i, t in enumerate(grid):
            if i < min_train_months or not valid[i]:
                continue
            train = np.array([g + span <= t for g in grid])
            if train.sum() < 3:
                continue
            y_grid, covered = _train_labels(built, starts, final, train, pd.DateOffset(months=1), t)
            if covered.sum() < 3:
                continue
            train[train] = covered
            y_train = y_grid[covered].reshape(-1)
            usable = np.isin(origin_of, np.array(grid, dtype="datetime64[ns]")[train])
            now = origin_of == np.datetime64(t)
            for name, model in models.items():
                dist = model.clone().fit(X[usable], y_train).predict(X[now])
                y = final[i]
                rows.append(pd.DataFrame({
                    "unit": X.unit[now].to_numpy(), "origin": t, "horizon": h, "model": name, "mean": dist.mean,
                    "lo": dist.quantile(0.05), "hi": dist.quantile(0.95), "crps": scores.crps_counts(dist, y), "y": y}))
    if not rows:
        raise InputError("no monthly origin had training data and a scored outcome")
    predictions = pd.concat(rows, ignore_index=True)
    table = pd.DataFrame([
        {"horizon": h, "model": m, "forecasts": len(g), "crps": g.crps.mean(), "coverage90": scores.coverage(g.lo, g.hi, g.y),
         "mae": float((g["mean"] - g.y).abs().mean())}
        for (h, m), g in predictions.groupby(["horizon", "model"], sort=False)])
    for ref in ("zero", "last-value", "climatology"):
        base = table[table.model == ref].set_index("horizon").crps
        table[f"skill_vs_{ref}"] = [scores.skill(c, base.get(h, np.nan)) for h, c in zip(table.horizon, table.crps,
                                                                                      strict=True)]
    per_unit = predictions.groupby(["unit", "model"]).crps.mean().reset_index()
    return BacktestResult("counts monthly", predictions, table, per_unit)


def alignment_panel(positions: pd.DataFrame, horizons: Sequence[int]) -> pd.DataFrame:
    """From yearly positions (unit, year, position) to samples: unit, origin, horizon, last, mean, y."""
    rows = []
    for unit, group in positions.sort_values("year").groupby("unit"):
        series = group.set_index("year").position.dropna()
        years = series.index.to_numpy()
        values = series.to_numpy(float)
        for i, year in enumerate(years):
            for h in horizons:
                target = np.flatnonzero(years == year + h)
                rows.append({"unit": unit, "origin": int(year), "horizon": h, "last": values[i],
                             "mean": float(values[: i + 1].mean()),
                             "y": float(values[target[0]]) if len(target) else np.nan})
    return pd.DataFrame(rows, columns=["unit", "origin", "horizon", "last", "mean", "y"])


def backtest_alignment(positions: pd.DataFrame, *, horizons: Sequence[int] = (1, 5), threshold: float = 0.0,
                       models: dict[str, Forecaster] | None = None, min_train_years: int = 8) -> BacktestResult:
    """Yearly positions between two poles, 1 and 5 years ahead; also P(position > threshold)."""
    models = models or alignment_models()
    samples = alignment_panel(positions, horizons)
    years = sorted(samples.origin.unique())
    if len(years) <= min_train_years + min(horizons):
        raise InputError(f"{len(years)} years of positions: too short for an alignment backtest")
    rows = []
    for t in years[min_train_years:]:
        train = samples[(samples.origin + samples.horizon <= t) & samples.y.notna()]
        test = samples[(samples.origin == t) & samples.y.notna()]
        if train.empty or test.empty:
            continue
        for name, model in models.items():
            dist = model.clone().fit(train, train.y.to_numpy()).predict(test)
            rows.append(pd.DataFrame({
                "unit": test.unit.to_numpy(), "origin": t, "horizon": test.horizon.to_numpy(), "model": name,
                "mean": dist.mean, "sd": dist.sd, "lo": dist.quantile(0.05), "hi": dist.quantile(0.95),
                "p_above": dist.prob_above(threshold), "crps": scores.crps_normal(dist, test.y.to_numpy()),
                "log_score": -dist.logpdf(test.y.to_numpy()), "y": test.y.to_numpy()}))
    predictions = pd.concat(rows, ignore_index=True)
    predictions["above"] = (predictions.y > threshold).astype(int)
    table = pd.DataFrame([
        {"horizon": h, "model": m, "forecasts": len(g), "crps": g.crps.mean(), "log_score": g.log_score.mean(),
         "coverage90": scores.coverage(g.lo, g.hi, g.y), "mean_sd": g.sd.mean(),
         "brier_above": scores.brier(g.p_above, g.above)}
        for (h, m), g in predictions.groupby(["horizon", "model"], sort=False)]).sort_values(["horizon"], kind="stable")
    for ref in ("climatology", "persistence"):
        base = table[table.model == ref].set_index("horizon").crps
        table[f"skill_vs_{ref}"] = [scores.skill(c, base.get(h, np.nan)) for h, c in zip(table.horizon, table.crps,
                                                                                      strict=True)]
    per_unit = predictions.groupby(["unit", "model"]).crps.mean().reset_index()
    reliability = {str(m): scores.reliability(g.p_above, g.above) for m, g in predictions.groupby("model")}
    return BacktestResult(f"alignment (threshold {threshold:+.1f})", predictions, table, per_unit, reliability)
