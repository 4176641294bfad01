"""``conflict.<base>+platt``: a conflict model recalibrated on its own earlier out-of-sample forecasts (issue 16).

The map is fitted only on forecasts the rolling backtest already issued and whose outcomes had been published:
at origin T a training row (unit, year t) is one whose label window ended by T − GAP, and its column ``oos``
holds the base model's forecast made at origin t, before that outcome was known (backtest_conflict fills it;
rows without one are not used). So the map at T sees no outcome later than T − GAP and no in-sample fit.

Why Platt scaling on the logit (logit q = a + b · logit p, Cox 1958; Platt 1999) rather than isotonic regression or
Venn-Abers: the events are rare (pair war: about 1 pair-year in 300), so the upper part of the forecast range holds
a few dozen events from a handful of wars. Isotonic regression (and Venn-Abers, built on two isotonic fits) spends
a step on each of them and follows their noise; two parameters cannot. The logit-linear map keeps the order of one
origin's forecasts within a state (b ≥ 0) and corrects what a rolling refit gets wrong systematically: the level
(a) and over- or under-confidence (b); across the two states the order can change, and so can AUC-PR. One map per
last-known state (``recent``: the outcome going on at the last published year or not), because the models forecast
onsets and continuations with different parts (conflict.blend, the transition model) and err differently on each.
Both parameters get a Gaussian prior centred on the identity (a = 0, b = 1, standard deviation ``prior_sd`` on the
logit scale), so a short history leaves the forecasts nearly as they were. The variant (one map or one per state,
prior 1 or 0.5, isotonic, a 20-year window) was chosen by the mean Brier relative to the raw forecasts over the
twelve tasks on origins 1965–1989 only (docs/methods.md).
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd
from scipy.special import expit

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_blend import ConflictBlend
from geodrift.forecast.conflict_models import EPS, ConflictLogistic

OOS = "oos"
"""The column of X holding each row's out-of-sample forecast by the base model (NaN where there is none)."""
METHODS = ("platt", "isotonic")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    return np.asarray(np.log(p / (1 - p)), float)


def _log_loss(p: np.ndarray, hit: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.asarray(-(hit * np.log(p) + (1 - hit) * np.log(1 - p)), float)


def platt_map(p: np.ndarray, hit: np.ndarray, prior_sd: float = 1.0, steps: int = 50,
              weights: np.ndarray | None = None) -> tuple[float, float]:
    """(a, b) maximising the (``weights``-weighted) Bernoulli likelihood of ``hit`` under logit q = a + b · logit p
    plus a Gaussian prior N(0, prior_sd²) on a and on b − 1, with b ≥ 0: a map must not reverse the ranking (where
    the forecasts are no better than random, b = 0 gives every row the history's rate)."""
    z = np.column_stack([np.ones(len(p)), _logit(p)])
    w = np.ones(len(z)) if weights is None else np.asarray(weights, float)
    theta = _newton(z, np.asarray(hit, float), w, 1 / prior_sd**2, np.array([True, True]), steps)
    if theta[1] < 0:
        theta = _newton(z, np.asarray(hit, float), w, 1 / prior_sd**2, np.array([True, False]), steps, start=0.0)
    return float(theta[0]), float(theta[1])


def _newton(z: np.ndarray, hit: np.ndarray, w: np.ndarray, ridge: float, free: np.ndarray, steps: int,
            start: float = 1.0) -> np.ndarray:
    """The penalised logistic fit of the ``free`` parameters (the slope held at ``start`` otherwise): Newton steps,
    each halved until the loss falls (plain Newton overshoots when most forecasts sit at the clip, logit ≈ −9)."""
    centre = np.array([0.0, 1.0])

    def loss(theta: np.ndarray) -> float:
        eta = z @ theta
        return float(np.sum(w * (np.logaddexp(0, eta) - hit * eta)) + ridge / 2 * np.sum((theta - centre) ** 2))

    theta = np.array([0.0, start])
    current = loss(theta)
    for _ in range(steps):
        q = expit(z @ theta)
        gradient = (z.T @ (w * (q - hit)) + ridge * (theta - centre))[free]
        hessian = ((z * (w * q * (1 - q))[:, None]).T @ z + ridge * np.eye(2))[np.ix_(free, free)]
        step = np.zeros(2)
        step[free] = np.linalg.solve(hessian, gradient)
        for _ in range(30):
            trial = loss(theta - step)
            if trial <= current:
                break
            step = step / 2
        else:
            break
        theta, improvement, current = theta - step, current - trial, trial
        if improvement < 1e-10 * max(1.0, abs(current)):
            break
    return theta


class Recalibrated(Forecaster):
    """A conflict model whose forecasts pass through a map fitted on its own earlier out-of-sample forecasts
    (module docstring): ``method`` "platt" (the registered one) or "isotonic" (kept for the comparison)."""

    kind = "binary"
    default_base: ClassVar[type[ConflictLogistic] | type[ConflictBlend]] = ConflictLogistic
    """The base model when none is given (a subclass names its own)."""

    def __init__(self, *, base: Forecaster | None = None, method: str = "platt", prior_sd: float = 0.5,
                 by_state: bool = True, half_life: float | None = None, k: int = 1) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown recalibration method {method!r}; use one of {', '.join(METHODS)}")
        self.base = base
        self.method = method
        self.prior_sd = prior_sd
        self.by_state = by_state
        self.half_life = half_life
        self.k = k

    def base_model(self) -> Forecaster:
        """The unfitted base: the given one, else ``default_base``."""
        return self.base.clone() if self.base is not None else self.default_base(k=self.k)

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        return self.fit_map(self.base_model().fit(X, y), X, y)

    def fit_map(self, fitted: Forecaster, X: pd.DataFrame, y: np.ndarray) -> Self:
        """Keep ``fitted`` (the base, already fitted on X, y: the backtest shares it with the base's own row) and fit
        the map on the rows of X with an out-of-sample forecast."""
        self.base_ = fitted
        self.maps_: dict[bool, tuple[float, float]] = {}
        self.isotonic_: dict[bool, Any] = {}
        past = X[OOS].notna().to_numpy() if OOS in X else np.zeros(len(X), bool)
        self.history_ = int(past.sum())
        states, (mapped, validate) = self._states(X), self._plan(X)
        years = X.year.to_numpy(float) if "year" in X else np.zeros(len(X))
        for state in mapped:
            rows = past & (states == state)
            if not rows.any():
                continue
            p, hit = X[OOS].to_numpy(float)[rows], (np.asarray(y)[rows] >= self.k).astype(float)
            if self.method == "platt":
                if validate is None or self._passes(p, hit, years[rows], validate):
                    self.maps_[state] = platt_map(p, hit, self.prior_sd, weights=self._weights(years[rows]))
            elif 0 < hit.sum() < len(hit):
                from sklearn.isotonic import IsotonicRegression

                self.isotonic_[state] = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(p, hit)
        return self

    def _plan(self, X: pd.DataFrame) -> tuple[tuple[bool, ...], int | None]:
        """The last-known states that get a map, and the years of the check a map must pass (None: no check)."""
        return ((False, True) if self.by_state else (False,)), None

    def _weights(self, years: np.ndarray) -> np.ndarray | None:
        """Each history row's weight: halving every ``half_life`` years before the latest (None: equal weights)."""
        return None if self.half_life is None else np.asarray(0.5 ** ((years.max() - years) / self.half_life), float)

    def _passes(self, p: np.ndarray, hit: np.ndarray, years: np.ndarray, validate: int) -> bool:
        """Whether a map fitted on the history before its last ``validate`` years lowers the log loss on those years
        by more than one standard error (the rule of ConflictTransition: the identity is the simpler candidate)."""
        late = years > years.max() - validate
        if late.all() or not late.any():
            return False
        a, b = platt_map(p[~late], hit[~late], self.prior_sd, weights=self._weights(years[~late]))
        gain = _log_loss(expit(a + b * _logit(p[late])), hit[late]) - _log_loss(p[late], hit[late])
        return bool(len(gain) > 1 and gain.mean() < -gain.std(ddof=1) / np.sqrt(len(gain)))

    def _states(self, X: pd.DataFrame) -> np.ndarray:
        if not self.by_state:
            return np.zeros(len(X), bool)
        return np.asarray(X.recent.to_numpy(float) > 0, bool)

    def raw(self, X: pd.DataFrame) -> np.ndarray:
        """The base model's forecast, before the map."""
        return np.asarray(self.base_.predict(X), float)

    def recalibrate(self, p: np.ndarray, X: pd.DataFrame) -> np.ndarray:
        """The fitted maps applied to the base forecasts ``p`` of the rows X (each row's state's map; unchanged where
        that state had no out-of-sample history)."""
        p, states = np.asarray(p, float).copy(), self._states(X)
        for state in (False, True):
            rows = states == state
            if state in self.maps_:
                a, b = self.maps_[state]
                p[rows] = expit(a + b * _logit(p[rows]))
            elif state in self.isotonic_ and rows.any():
                p[rows] = self.isotonic_[state].predict(p[rows])
        return np.asarray(np.clip(p, EPS, 1 - EPS), float)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """P(outcome): the base forecast through its state's map."""
        return self.recalibrate(self.raw(X), X)


class RecalibratedLogistic(Recalibrated):
    """``conflict.logistic+platt``: the country model, recalibrated."""


class RecalibratedBlend(Recalibrated):
    """``conflict.blend+platt``: the pair model, recalibrated."""

    default_base = ConflictBlend


class ByHorizon(Recalibrated):
    """A Platt map per horizon as chosen on origins 1965–1989 (docs/methods.md, "Recalibration by horizon"). Next
    year: a map for the active rows only (the models under-forecast continuations; the quiet rows' forecasts were
    already calibrated and a map there added noise), its history weighted by a ``half_life`` of 5 years (the
    continuation rate drifts). Longer horizons: a map per state, each kept only when it passes a check on the last
    ``validate`` years of its history (``_passes``): a five-year map's history ends six years before the origin and
    its outcomes overlap, so it is trusted only where it has just been shown to help. The horizon is read from the
    rows (the panel's ``horizon`` column)."""

    def __init__(self, *, base: Forecaster | None = None, prior_sd: float = 0.5, half_life: float | None = 5.0,
                 validate: int = 5, k: int = 1) -> None:
        super().__init__(base=base, prior_sd=prior_sd, half_life=half_life, k=k)
        self.validate = validate

    def _plan(self, X: pd.DataFrame) -> tuple[tuple[bool, ...], int | None]:
        horizon = int(X.horizon.iloc[0]) if "horizon" in X and len(X) else 1
        return ((True,), None) if horizon == 1 else ((False, True), self.validate)


class ByHorizonLogistic(ByHorizon):
    """``conflict.logistic+horizon``: the country model through its horizon's map."""


class ByHorizonBlend(ByHorizon):
    """``conflict.blend+horizon``: the pair model through its horizon's map."""

    default_base = ConflictBlend
