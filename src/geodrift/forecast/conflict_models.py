"""Models of the yearly conflict task (``conflict.<name>`` in geodrift.forecasters; baselines: the escalation
task's Climatology and Persistence, which read the rows' ``unit`` and ``recent`` columns the same way).

X is a conflict panel (forecast/conflict_features.py): one row per country or pair and year with history
features; y is 0/1 (the outcome happened in the window). predict gives P(outcome).
"""

from __future__ import annotations

import warnings
from typing import Any, Self

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_features import COUNTRY_FEATURES, PAIR_FEATURES

EPS = 1e-4
KNOWN = list(dict.fromkeys([*COUNTRY_FEATURES, *PAIR_FEATURES]))


def conflict_design(X: pd.DataFrame) -> np.ndarray:
    """The history features present in X, in a fixed order."""
    return X[[c for c in KNOWN if c in X.columns]].to_numpy(float)


class _Fallback(Forecaster):
    """Shared: fall back to the training base rate when y has one class only."""

    kind = "binary"
    model_: Any
    """The fitted scikit-learn classifier, or None when the training outcomes had one class."""

    def _constant(self, y: np.ndarray) -> bool:
        hit = (np.asarray(y) >= 1).astype(float)
        self.base_ = float((hit.sum() + 0.5) / (len(hit) + 1))
        return bool(hit.min() == hit.max()) if len(hit) else True

    def _clip(self, p: np.ndarray) -> np.ndarray:
        return np.asarray(np.clip(p, EPS, 1 - EPS), float)

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """P(outcome) from the fitted classifier, or the training base rate when y had one class."""
        if self.model_ is None:
            return self._clip(np.full(len(X), self.base_))
        return self._clip(self.model_.predict_proba(conflict_design(X))[:, 1])


class ConflictLogistic(_Fallback):
    """L2-penalised logistic regression on the standardised history features (scikit-learn)."""

    def __init__(self, *, C: float = 1.0, k: int = 1) -> None:
        self.C = C
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.model_ = None
        if not self._constant(y):
            self.model_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=1000))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model_.fit(conflict_design(X), (np.asarray(y) >= self.k).astype(int))
        return self


class ConflictBoosted(_Fallback):
    """Gradient-boosted trees (HistGradientBoostingClassifier) on the history features; small and regularised."""

    def __init__(self, *, max_iter: int = 150, learning_rate: float = 0.05, max_leaf_nodes: int = 8,
                 min_samples_leaf: int = 50, k: int = 1, random_state: int = 0) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.min_samples_leaf = min_samples_leaf
        self.k = k
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        self.model_ = None
        if not self._constant(y):
            self.model_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, random_state=self.random_state)
            # One thread: on small panels OpenMP's threads cost more than they save (8 ms a split on a busy box).
            with threadpool_limits(1):
                self.model_.fit(conflict_design(X), (np.asarray(y) >= self.k).astype(int))
        return self


LABELS = {"conflict_last": "in conflict", "war_last": "at war", "dispute_last": "in a MID",
          "since_conflict": "conflict recent", "since_war": "war recent", "since_dispute": "MID recent",
          "conflict_10": "conflict-years (10y)", "war_10": "war-years (10y)", "dispute_10": "MID-years (10y)",
          "dispute_20": "rivalry: MID-years (20y)", "hostlev_10": "MID hostility (10y)",
          "n_conflicts": "several conflicts", "region_conflict": "region in conflict", "region_war": "region at war",
          "state_age": "older state", "sides_in_conflict": "either side in conflict", "sides_at_war": "either side at war"}
"""How a driver reads in a risk list (the ``since_*`` features enter with a negative sign: recent is risky)."""


def drivers(model: Forecaster, X: pd.DataFrame, top: int = 3) -> list[str]:
    """Each row's main drivers: for the logistic model, the features whose standardised value times coefficient
    raises the log-odds most; for other models, the row's largest standardised features."""
    columns = [c for c in KNOWN if c in X.columns]
    values = X[columns].to_numpy(float)
    pipeline = getattr(model, "model_", None)
    if pipeline is not None and hasattr(pipeline, "named_steps"):
        scaler, logistic = pipeline.named_steps["standardscaler"], pipeline.named_steps["logisticregression"]
        contribution = scaler.transform(values) * logistic.coef_[0]
    else:
        sd = values.std(axis=0)
        contribution = (values - values.mean(axis=0)) / np.where(sd > 0, sd, 1)
    out = []
    for row in contribution:
        order = np.argsort(-row)[:top]
        out.append(", ".join(LABELS.get(columns[i], columns[i]) for i in order if row[i] > 0) or "-")
    return out
