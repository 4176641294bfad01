"""``conflict.<base>+platt``: a conflict model recalibrated on its own earlier out-of-sample forecasts (issue 16).

The map is fitted only on forecasts the rolling backtest already issued and whose outcomes had been published:
at origin T a training row (unit, year t) is one whose label window ended by T − GAP, and its column ``oos``
holds the base model's forecast made at origin t, before that outcome was known (backtest_conflict fills it;
rows without one are not used). So the map at T sees no outcome later than T − GAP and no in-sample fit.

Why Platt scaling on the logit (logit q = a + b · logit p, Cox 1958; Platt 1999) rather than isotonic regression
or Venn-Abers: the events are rare (pair war: about 1 pair-year in 300), so the upper part of the forecast range
holds a few dozen events from a handful of wars. Isotonic regression (and Venn-Abers, built on two isotonic fits)
spends a step on each of them and follows their noise; two parameters cannot. The logit-linear map keeps the order
of the forecasts (AUC-PR unchanged) and corrects what a rolling refit gets wrong systematically: the level (a)
and over- or under-confidence (b). Both get a Gaussian prior centred on the identity (a = 0, b = 1, standard
deviation ``prior_sd`` on the logit scale), fixed a priori, so a short history leaves the forecasts nearly as
they were. The comparison with isotonic regression was made on origins before 1990 only (docs/methods.md).
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_blend import ConflictBlend
from geodrift.forecast.conflict_models import EPS, ConflictLogistic

OOS = "oos"
"""The column of X holding each row's out-of-sample forecast by the base model (NaN where there is none)."""
METHODS = ("platt", "isotonic")


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    return np.asarray(np.log(p / (1 - p)), float)


def platt_map(p: np.ndarray, hit: np.ndarray, prior_sd: float = 1.0, steps: int = 50) -> tuple[float, float]:
    """(a, b) maximising the Bernoulli likelihood of ``hit`` under logit q = a + b · logit p plus a Gaussian prior
    N(0, prior_sd²) on a and on b − 1 (Newton's method on the two parameters)."""
    z = np.column_stack([np.ones(len(p)), _logit(p)])
    hit = np.asarray(hit, float)
    theta, centre, ridge = np.array([0.0, 1.0]), np.array([0.0, 1.0]), 1 / prior_sd**2
    for _ in range(steps):
        q = 1 / (1 + np.exp(-(z @ theta)))
        gradient = z.T @ (q - hit) + ridge * (theta - centre)
        hessian = (z * (q * (1 - q))[:, None]).T @ z + ridge * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        theta = theta - step
        if np.abs(step).max() < 1e-8:
            break
    return float(theta[0]), float(theta[1])


class Recalibrated(Forecaster):
    """A conflict model whose forecasts pass through a map fitted on its own earlier out-of-sample forecasts
    (module docstring): ``method`` "platt" (the registered one) or "isotonic" (kept for the comparison)."""

    kind = "binary"

    def __init__(self, *, base: Forecaster | None = None, method: str = "platt", prior_sd: float = 1.0,
                 k: int = 1) -> None:
        if method not in METHODS:
            raise ValueError(f"unknown recalibration method {method!r}; use one of {', '.join(METHODS)}")
        self.base = base
        self.method = method
        self.prior_sd = prior_sd
        self.k = k

    def base_model(self) -> Forecaster:
        """The unfitted base (a subclass names its default)."""
        return self.base.clone() if self.base is not None else ConflictLogistic(k=self.k)

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        return self.fit_map(self.base_model().fit(X, y), X, y)

    def fit_map(self, fitted: Forecaster, X: pd.DataFrame, y: np.ndarray) -> Self:
        """Keep ``fitted`` (the base, already fitted on X, y: the backtest shares it with the base's own row) and fit
        the map on the rows of X with an out-of-sample forecast."""
        self.base_ = fitted
        self.map_: tuple[float, float] | None = None
        self.isotonic_ = None
        past = X[OOS].notna().to_numpy() if OOS in X else np.zeros(len(X), bool)
        self.history_ = int(past.sum())
        if not past.any():
            return self
        p, hit = X[OOS].to_numpy(float)[past], (np.asarray(y)[past] >= self.k).astype(float)
        if self.method == "platt":
            self.map_ = platt_map(p, hit, self.prior_sd)
        elif 0 < hit.sum() < len(hit):
            from sklearn.isotonic import IsotonicRegression

            self.isotonic_ = IsotonicRegression(y_min=EPS, y_max=1 - EPS, out_of_bounds="clip").fit(p, hit)
        return self

    def raw(self, X: pd.DataFrame) -> np.ndarray:
        """The base model's forecast, before the map."""
        return np.asarray(self.base_.predict(X), float)

    def recalibrate(self, p: np.ndarray) -> np.ndarray:
        """The fitted map applied to base forecasts ``p`` (unchanged when no out-of-sample history was seen)."""
        if self.map_ is not None:
            a, b = self.map_
            p = 1 / (1 + np.exp(-(a + b * _logit(p))))
        elif self.isotonic_ is not None:
            p = self.isotonic_.predict(p)
        return np.asarray(np.clip(p, EPS, 1 - EPS), float)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """P(outcome): the base forecast through the map."""
        return self.recalibrate(self.raw(X))


class RecalibratedLogistic(Recalibrated):
    """``conflict.logistic+platt``: the country model, recalibrated."""

    def base_model(self) -> Forecaster:
        return self.base.clone() if self.base is not None else ConflictLogistic(k=self.k)


class RecalibratedBlend(Recalibrated):
    """``conflict.blend+platt``: the pair model, recalibrated."""

    def base_model(self) -> Forecaster:
        return self.base.clone() if self.base is not None else ConflictBlend(k=self.k)
