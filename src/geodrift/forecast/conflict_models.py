"""Models of the yearly conflict task (``conflict.<name>`` in geodrift.forecasters; baselines: the escalation
task's Climatology and Persistence, which read the rows' ``unit`` and ``recent`` columns the same way).

X is a conflict panel (forecast/conflict_features.py): one row per country or pair and year with history
features; y is 0/1 (the outcome happened in the window). predict gives P(outcome).
"""

from __future__ import annotations

import warnings
from itertools import product
from typing import Any, Self

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_features import COUNTRY_FEATURES, PAIR_FEATURES
from geodrift.forecast.threads import one_thread

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

        with one_thread():  # OpenMP threads cost more than they save on a few hundred rows
            return self._clip(self.model_.predict_proba(conflict_design(X))[:, 1])


class ConflictLogistic(_Fallback):
    """L2-penalised logistic regression on the standardised history features (scikit-learn); with ``half_life``,
    a training row's weight halves every ``half_life`` years before the last training year (the state system
    after 1990 is not the Cold War's)."""

    def __init__(self, *, C: float = 1.0, half_life: float | None = None, k: int = 1) -> None:
        self.C = C
        self.half_life = half_life
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        self.model_ = None
        if not self._constant(y):
            self.model_ = make_pipeline(StandardScaler(), LogisticRegression(C=self.C, max_iter=1000))
            with warnings.catch_warnings(), one_thread():  # BLAS threads only spin on these small fits
                warnings.simplefilter("ignore")
                self.model_.fit(conflict_design(X), (np.asarray(y) >= self.k).astype(int),
                                logisticregression__sample_weight=_age_weights(X, self.half_life))
        return self


def _row_log_loss(p: np.ndarray, hit: np.ndarray) -> np.ndarray:
    p = np.clip(p, EPS, 1 - EPS)
    return np.asarray(-(hit * np.log(p) + (1 - hit) * np.log(1 - p)), float)


def _age_weights(X: pd.DataFrame, half_life: float | None) -> np.ndarray | None:
    if half_life is None or "year" not in X:
        return None
    age = X.year.max() - X.year.to_numpy(float)
    return np.asarray(0.5 ** (age / half_life), float)


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

        self.model_ = None
        if not self._constant(y):
            self.model_ = HistGradientBoostingClassifier(
                max_iter=self.max_iter, learning_rate=self.learning_rate, max_leaf_nodes=self.max_leaf_nodes,
                min_samples_leaf=self.min_samples_leaf, random_state=self.random_state)
            # One thread: on small panels OpenMP's threads cost more than they save (8 ms a split on a busy box).
            with one_thread():
                self.model_.fit(conflict_design(X), (np.asarray(y) >= self.k).astype(int))
        return self



class ConflictTransition(Forecaster):
    """Persistence-aware: for each last-known state (``recent`` 0 or 1) either that state's persistence rate or an
    L2 logistic regression on the history features, with the penalty chosen inside the training data (fitted on
    rows up to ``validate`` years before the last and scored by log loss on those last years; then refitted on
    all). Transitions into conflict (rivalry, neighbours, a side's wars) and out of it (mostly the war's own
    inertia) follow different dynamics that one pooled model blurs, and where the features do not beat the
    state's rate on the held-out years the model is persistence for that state."""

    kind = "binary"

    def __init__(self, *, penalties: tuple[float, ...] = (0.03, 0.3), half_lives: tuple[float | None, ...] = (None, 10.0),
                 validate: int = 5, k: int = 1) -> None:
        self.penalties = penalties
        self.half_lives = half_lives
        self.validate = validate
        self.k = k

    def _candidates(self) -> list[Forecaster]:
        return [_Rate(k=self.k), _UnitRate(k=self.k), *(ConflictLogistic(C=C, half_life=h, k=self.k)
                                                          for C, h in product(self.penalties, self.half_lives))]

    def _choose(self, X: pd.DataFrame, y: np.ndarray) -> Forecaster:
        """The simplest candidate (state rate, unit rate, then the logistic fits) whose log loss on the last
        ``validate`` training years, fitted on the rows before them, is within one standard error of the best
        (the one-standard-error rule: a few dozen held-out rows cannot tell close candidates apart)."""
        candidates = self._candidates()
        last = int(X.year.max()) if len(X) else 0
        early, late = X.year.to_numpy() <= last - 2 * self.validate, X.year.to_numpy() > last - self.validate
        if not early.any() or not late.any():
            return candidates[0]
        hit = (y >= self.k).astype(float)
        fit_rows, held_out = X[early], X[late]  # selected once for all candidates: each selection copies the frame
        losses = np.array([_row_log_loss(c.clone().fit(fit_rows, y[early]).predict(held_out), hit[late])
                           for c in candidates])
        best = losses[int(np.argmin(losses.mean(axis=1)))]
        for candidate, loss in zip(candidates, losses, strict=True):
            diff = loss - best
            if diff.mean() <= diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else diff.mean() <= 0:
                return candidate
        return candidates[0]

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        self.states_: dict[bool, Forecaster] = {}
        recent, y = X.recent.to_numpy(float) > 0, np.asarray(y)
        for state in (False, True):
            rows = recent == state
            self.states_[state] = self._choose(X[rows], y[rows]).fit(X[rows], y[rows])
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """P(outcome) from the model chosen for each row's last-known state."""
        recent = X.recent.to_numpy(float) > 0
        p = np.empty(len(X))
        for state, model in self.states_.items():
            if (recent == state).any():
                p[recent == state] = model.predict(X[recent == state])
        return p


class _Rate(_Fallback):
    """The smoothed training rate: what persistence gives within one last-known state."""

    def __init__(self, *, k: int = 1) -> None:
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        self._constant(y)
        self.model_ = None
        return self


class _UnitRate(Forecaster):
    """Each unit's own rate within one last-known state, shrunk toward the state's rate (``prior`` pseudo-rows):
    some pairs' conflicts always go on (the Yemen coalition), others flicker (Eritrea–Ethiopia)."""

    kind = "binary"

    def __init__(self, *, prior: float = 5.0, k: int = 1) -> None:
        self.prior = prior
        self.k = k

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        hit = (np.asarray(y) >= self.k).astype(float)
        self.rate_ = float((hit.sum() + 0.5) / (len(hit) + 1))
        per = pd.DataFrame({"unit": X.unit.to_numpy(), "hit": hit}).groupby("unit").hit.agg(["sum", "count"])
        self.units_ = ((per["sum"] + self.prior * self.rate_) / (per["count"] + self.prior)).to_dict()
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The unit's shrunk rate, or the state's rate for a unit not seen in this state."""
        p = X.unit.map(self.units_).fillna(self.rate_).to_numpy(float)
        return np.asarray(np.clip(p, EPS, 1 - EPS), float)
