"""Rolling-origin backtests of the yearly conflict forecasts (docs/methods.md, "Conflict forecasts").

For each origin year Y (a forecast issued on 1 January Y for the year Y, or for Y..Y+4), fresh copies of
every registered ``conflict.*`` model are fitted on the rows whose label window ended by Y−2 (the last
published year) and forecast the units of Y. ``check_conflict_leakage`` recomputes the features and
training labels of some origins on the history cut after Y−2 and fails if anything differs.
Recalibrated models (``Recalibrated``, forecast/conflict_recalibrate.py) need their own earlier out-of-sample
forecasts: when one is among the models, the origins start at ``history_from`` (1965) so that the first scored
origin has a history, and at each origin the training rows carry the wrapper's base forecast made at their own
origin (column ``oos``); the origins before the scored ones are scored apart (``periods``, "1965–1989").
Scores: Brier, log score, AUC-PR (average precision: the events are rare), Brier skill against climatology
and persistence, calibration error and a reliability table per decile (equal-count bins of the forecasts); per
period (the origins before the scored ones, then each decade); for countries, a top-N list per year and the share
of that year's conflict onsets and wars it held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from geodrift.errors import InputError, LeakageError
from geodrift.forecast import scores
from geodrift.forecast.base import Forecaster, task_models
from geodrift.forecast.conflict_blend import ConflictBlend
from geodrift.forecast.conflict_data import OUTCOMES, ConflictHistory
from geodrift.forecast.conflict_features import COUNTRY_FEATURES, GAP, PAIR_FEATURES, panel
from geodrift.forecast.conflict_models import ConflictTransition
from geodrift.forecast.conflict_recalibrate import OOS, Recalibrated

FIRST_TRAIN = 1950
ORIGINS = range(1990, 2025)
DECILE_MIN = 50
"""The fewest forecasts in a decile bin for its calibration error to count (issue 16's target: ≤ 0.02 in each)."""
DECILE_TARGET = 0.02
HISTORY_FROM = 1965
"""The first origin run for the recalibration history (so 1990 is recalibrated on 25 years of forecasts)."""


@dataclass
class ConflictBacktest:
    """Every forecast (unit, year, model, p, y) of one level, outcome and horizon, and its scores."""

    level: str
    outcome: str
    horizon: int
    predictions: pd.DataFrame
    scores: pd.DataFrame
    reliability: dict[str, pd.DataFrame] = field(default_factory=dict)
    top: pd.DataFrame | None = None
    periods: pd.DataFrame | None = None
    """The scores per period of origins: those run before the scored ones (the recalibration history), then
    each decade of the scored ones."""
    earlier: pd.DataFrame | None = None
    """The forecasts of the origins run before the scored ones (the recalibration history)."""


def conflict_models() -> dict[str, Forecaster]:
    """The registered conflict forecasters, baselines first (climatology, persistence)."""
    return task_models("conflict", k=1)


def _features(level: str) -> list[str]:
    return COUNTRY_FEATURES if level == "country" else PAIR_FEATURES


def check_conflict_leakage(history: ConflictHistory, level: str, outcome: str, horizon: int,
                           origins: list[int], full: pd.DataFrame | None = None) -> None:
    """LeakageError unless the features and training labels at each origin are the same computed on the full
    history and on the history as published by then (cut after Y−GAP). ``full``: the full history's panel through
    the last origin when the caller has it already."""
    if full is None:
        full = panel(history, level, outcome, horizon, list(range(FIRST_TRAIN, max(origins) + 1)))
    names = _features(level)
    for origin in origins:
        cut = panel(history.known_by(origin - GAP), level, outcome, horizon, list(range(FIRST_TRAIN, origin + 1)))
        a = full[full.year <= origin].set_index(["unit", "year"]).sort_index()
        b = cut.set_index(["unit", "year"]).sort_index()
        a = a.loc[a.index.intersection(b.index)]
        if len(a) != len(b) or not np.allclose(a[names].to_numpy(float), b[names].to_numpy(float)):
            raise LeakageError(f"conflict features for {origin} use data published after {origin - GAP}")
        trained = (a.index.get_level_values("year") + horizon - 1 <= origin - GAP) & a.y.notna().to_numpy()
        if not np.array_equal(a.y.to_numpy()[trained], b.y.to_numpy()[trained]):
            raise LeakageError(f"conflict training labels at {origin} use data published after {origin - GAP}")


def backtest_conflict(history: ConflictHistory, *, level: str = "country", outcome: str = "conflict",
                      horizon: int = 1, origins: range | list[int] = ORIGINS,
                      models: dict[str, Forecaster] | None = None, top_n: int = 20,
                      history_from: int = HISTORY_FROM) -> ConflictBacktest:
    """Forecast ``outcome`` for every ``level`` unit from every origin, refitting on what was published then
    (from ``history_from`` too when a model is recalibrated: the module docstring)."""
    if outcome not in OUTCOMES:
        raise InputError(f"unknown conflict outcome {outcome!r}; use one of {', '.join(OUTCOMES)}")
    models = models or conflict_models()
    full = panel(history, level, outcome, horizon, list(range(FIRST_TRAIN, max(origins) + 1)))
    observed = set(full.year[full.y.notna()])
    usable = [y for y in origins if y in observed]
    if not usable:
        raise InputError(f"no {outcome} outcomes to score for origins {min(origins)}–{max(origins)} "
                         f"(data through {history.coverage})")
    check_conflict_leakage(history, level, outcome, horizon, [usable[0], usable[len(usable) // 2], usable[-1]], full)
    recalibrating = any(isinstance(m, Recalibrated) for m in models.values())
    first = max(history_from, FIRST_TRAIN + 10)
    run = ([y for y in range(first, usable[0]) if y in observed] if recalibrating else []) + usable
    # Before the scored origins only the recalibrated models, their bases and the baselines are needed.
    bases = {repr(m.base_model()) for m in models.values() if isinstance(m, Recalibrated)}
    needed = {k: m for k, m in models.items()
              if isinstance(m, Recalibrated) or repr(m) in bases or k in ("climatology", "persistence")}
    past: dict[str, list[pd.DataFrame]] = {}
    predictions = pd.concat([_forecast_origin(full, origin, horizon, models if origin in usable else needed, past)
                             for origin in run], ignore_index=True)
    earlier, predictions = predictions[predictions.year < usable[0]], predictions[predictions.year >= usable[0]]
    table, reliability = score_table(predictions)
    top = top_capture(history, predictions, outcome, top_n) if level == "country" and horizon == 1 else None
    return ConflictBacktest(level, outcome, horizon, predictions.reset_index(drop=True), table, reliability, top,
                            period_scores(earlier, predictions), earlier.reset_index(drop=True))


def _forecast_origin(full: pd.DataFrame, origin: int, horizon: int, models: dict[str, Forecaster],
                     past: dict[str, list[pd.DataFrame]]) -> pd.DataFrame:
    """Every model's forecasts of one origin, fitted on the rows whose label window ended by origin − GAP. A
    recalibrated model's training rows get its base's forecasts from their own origins (``past``, which this
    extends); fits and forecasts already made at this origin are shared (``_fit``, and a recalibrated model's raw
    forecasts are its base's)."""
    train = full[(full.year + horizon - 1 <= origin - GAP) & full.y.notna()]
    test = full[(full.year == origin) & full.y.notna()]
    y = train.y.to_numpy()
    fitted: dict[str, Forecaster] = {}
    predicted: dict[str, np.ndarray] = {}
    frames = []
    for name, template in models.items():
        if isinstance(template, Recalibrated):
            X = (train.merge(pd.concat(past[name]), on=["unit", "year"], how="left") if past.get(name)
                 else train.assign(**{OOS: np.nan}))
            key = repr(template.base_model())
            base = fitted.get(key)
            wrapper = template.clone()
            wrapper = wrapper.fit_map(base, X, y) if base is not None else wrapper.fit(X, y)
            raw = predicted[key] if base is not None else wrapper.raw(test)
            p = wrapper.recalibrate(raw, test)
            past.setdefault(name, []).append(pd.DataFrame({"unit": test.unit.to_numpy(), "year": origin, OOS: raw}))
        else:
            model = fitted[repr(template)] = _fit(template, train, y, fitted)
            p = raw = predicted[repr(template)] = model.predict(test)
        frames.append(pd.DataFrame({"unit": test.unit.to_numpy(), "year": origin, "model": name, "p": p,
                                    "raw": raw, "y": test.y.to_numpy(), "recent": test.recent.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def _fit(template: Forecaster, train: pd.DataFrame, y: np.ndarray, fitted: dict[str, Forecaster]) -> Forecaster:
    """A fresh fit of ``template`` on the origin's training rows; a blend takes its onset model from the transition
    model fitted on the same rows (``fitted``, by repr) when there is one, instead of choosing it again."""
    if isinstance(template, ConflictBlend):
        transition = fitted.get(repr(template.transition()))
        if isinstance(transition, ConflictTransition):
            return template.clone().fit_active(transition.states_[False], train, y)
    return template.clone().fit(train, y)


def period_scores(earlier: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """The score table of each period: the origins before the scored ones as one, then each decade."""
    parts = []
    if len(earlier):
        parts.append((f"{earlier.year.min()}–{earlier.year.max()}", earlier))
    for decade, group in predictions.groupby(predictions.year // 10 * 10):
        parts.append((f"{decade}s", group))
    return pd.concat([score_table(group)[0].assign(period=label) for label, group in parts], ignore_index=True)


def score_table(predictions: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Per model: n, base rate, Brier, log score, AUC-PR, skill vs climatology and persistence, calibration error."""
    rows, reliability = [], {}
    for name, group in predictions.groupby("model", sort=False):
        p, y = group.p.to_numpy(float), group.y.to_numpy(float)
        rows.append({"model": name, "forecasts": len(y), "events": int(y.sum()), "base_rate": float(y.mean()),
                     "brier": scores.brier(p, y), "log": scores.log_score(p, y),
                     "auc_pr": scores.average_precision(p, y),
                     "calibration_error": scores.calibration_error(p, y)})
        reliability[str(name)] = scores.decile_reliability(p, y)
        rows[-1] |= max_decile_error(reliability[str(name)]) | decile_noise(p, y, group.unit.to_numpy())
    table = pd.DataFrame(rows)
    for reference in ("climatology", "persistence"):
        if reference in set(table.model):
            ref = table.set_index("model").loc[reference].to_dict()
            table[f"skill_vs_{reference}"] = [scores.skill(b, float(ref["brier"])) for b in table.brier]
            table[f"log_skill_vs_{reference}"] = [scores.skill(s, float(ref["log"])) for s in table["log"]]
    return table, reliability


def max_decile_error(reliability: pd.DataFrame, min_n: int = DECILE_MIN) -> dict[str, float]:
    """The largest |mean forecast − observed frequency| over the decile bins holding at least ``min_n`` forecasts
    (``max_decile_error``, NaN when no bin does), that bin's mean forecast (``worst_decile``) and how many bins
    counted."""
    kept = reliability[reliability.n >= min_n]
    if kept.empty:
        return {"max_decile_error": float("nan"), "worst_decile": float("nan"), "deciles_scored": 0.0}
    gap = (kept.forecast - kept.observed).abs().to_numpy(float)
    return {"max_decile_error": float(gap.max()), "worst_decile": float(kept.forecast.to_numpy()[gap.argmax()]),
            "deciles_scored": float(len(kept))}


def decile_noise(p: np.ndarray, y: np.ndarray, units: np.ndarray, min_n: int = DECILE_MIN,
                 target: float = DECILE_TARGET) -> dict[str, float]:
    """How far a decile's observed frequency wanders by chance: per counted decile the standard error of
    observed − forecast clustered by unit (a unit's years are not independent, and a five-year outcome is counted
    in up to five forecasts), the largest of them (``decile_se``), and the chance that a calibrated forecaster with
    these errors keeps every counted decile within ``target`` (``chance_met``: the product over deciles of
    P(|N(0, se²)| ≤ target))."""
    from scipy.stats import norm

    if not len(p):
        return {"decile_se": float("nan"), "chance_met": float("nan")}
    edges = np.quantile(p, np.arange(1, 10) / 10)
    which = np.searchsorted(edges, p, side="left")
    codes = np.unique(units, return_inverse=True)[1]
    errors = []
    for b in np.unique(which):
        rows = which == b
        if rows.sum() < min_n:
            continue
        residual = y[rows] - p[rows]
        per_unit = np.bincount(codes[rows], weights=residual - residual.mean())
        errors.append(float(np.sqrt(np.sum(per_unit**2))) / rows.sum())
    se = np.maximum(np.array(errors), 1e-9)
    return {"decile_se": float(se.max()) if len(se) else float("nan"),
            "chance_met": float(np.prod(2 * norm.cdf(target / se) - 1)) if len(se) else float("nan")}


def top_capture(history: ConflictHistory, predictions: pd.DataFrame, outcome: str, n: int) -> pd.DataFrame:
    """Per model and year: the share of that year's onsets (new conflict-country-years: a conflict, or war, that
    was not going on the year before) and of all countries with the outcome that were in the top ``n``."""
    c = history.countries.sort_values(["unit", "year"])
    previous = c.groupby("unit")[outcome].shift(1)
    onsets = c[(c[outcome] == 1) & (previous == 0)][["unit", "year"]].assign(onset=1.0)
    rows = []
    for (name, year), group in predictions.groupby(["model", "year"], sort=False):
        ranked = group.sort_values("p", ascending=False)
        top = set(ranked.unit.head(n))
        hit = group[group.y > 0]
        new = onsets[onsets.year == year].unit
        rows.append({"model": name, "year": year, "events": len(hit), "in_top": int(hit.unit.isin(top).sum()),
                     "onsets": len(new), "onsets_in_top": int(new.isin(top).sum())})
    table = pd.DataFrame(rows)
    return table


def run_conflict_backtests(history: ConflictHistory, *, origins_from: int = ORIGINS[0],
                           progress: Callable[[str], None] | None = None) -> list[ConflictBacktest]:
    """Every level, outcome the data cover and horizon from ``origins_from`` (what ``geodrift backtest --task
    conflict`` and bench/conflict_backtest.py report)."""
    if origins_from < FIRST_TRAIN + 10:
        raise InputError(f"--origins-from {origins_from}: conflict origins start at {FIRST_TRAIN + 10} or later "
                         f"(the models train from {FIRST_TRAIN})")
    results = []
    for level in ("country", "pair"):
        for outcome in (o for o in OUTCOMES if history.has(o)):
            for horizon in (1, 5):
                if progress:
                    progress(f"conflict {level} {outcome}, horizon {horizon}")
                origins = [y for y in range(origins_from, ORIGINS[-1] + 1)
                           if all(history.covered(outcome, y + i) for i in range(horizon))]
                if origins:
                    results.append(backtest_conflict(history, level=level, outcome=outcome, horizon=horizon,
                                                     origins=origins))
    return results
