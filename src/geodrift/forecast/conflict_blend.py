"""``conflict.blend``: persistence pooled with each unit's own record where the outcome is going on.

For a unit in the outcome at the last published year (an active conflict or war), the forecast is the equal
average of three estimates of P(it goes on): the persistence rate (every active row's), the unit's own rate in
that state (shrunk toward it) and the unit's climatology (its share of years with the outcome, shrunk toward
the overall rate). For the others the transition model's chosen onset model is used (conflict_models).

Why: active pair-years are few (about 8 a year since 1990) and come in bursts: a coalition of thirty states at
war with Iraq in 1991, or NATO's with Yugoslavia in 1999, adds thirty rows that persistence calls 50% likely
to go on, and that ended at once. A pair with no shared history of fighting should not inherit the continuation
rate of the Korean and Vietnam coalitions. Equal weights are fixed a priori (the "forecast combination puzzle":
estimated weights lose to equal ones on short noisy records: weights learnt from past scores scored worse than
persistence alone; docs/methods.md, "Conflict forecasts", says how the mix was chosen and where it loses).
"""

from __future__ import annotations

from typing import Self

import numpy as np
import pandas as pd

from geodrift.forecast.base import Forecaster
from geodrift.forecast.conflict_models import ConflictTransition, _Rate, _UnitRate
from geodrift.forecast.models import Climatology


class ConflictBlend(ConflictTransition):
    """Onsets: the transition model's choice; continuations: the mean of the persistence rate, the unit's rate
    while active and the unit's climatology (module docstring)."""

    def __init__(self, *, penalties: tuple[float, ...] = (0.03, 0.3), half_lives: tuple[float | None, ...] = (None, 10.0),
                 validate: int = 5, k: int = 1, prior: float = 5.0) -> None:
        super().__init__(penalties=penalties, half_lives=half_lives, validate=validate, k=k)
        self.prior = prior

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        quiet, y = ~(X.recent.to_numpy(float) > 0), np.asarray(y)
        return self.fit_active(self._choose(X[quiet], y[quiet]).fit(X[quiet], y[quiet]), X, y)

    def transition(self) -> ConflictTransition:
        """The transition model whose quiet-state model is this blend's onset model (same candidates and check)."""
        return ConflictTransition(penalties=self.penalties, half_lives=self.half_lives, validate=self.validate,
                                  k=self.k)

    def fit_active(self, onset: Forecaster, X: pd.DataFrame, y: np.ndarray) -> Self:
        """Keep ``onset``, the onset model already chosen and fitted on the quiet rows of X, y (``fit``'s, or the
        one ``transition()`` fitted on the same rows: the backtest shares it rather than choosing it twice, the
        costliest part of both fits), and fit the continuation estimates on the active rows."""
        recent, y = X.recent.to_numpy(float) > 0, np.asarray(y)
        self.onset_: Forecaster = onset
        self.active_: list[Forecaster] = [_Rate(k=self.k).fit(X[recent], y[recent]),
                                          _UnitRate(prior=self.prior, k=self.k).fit(X[recent], y[recent]),
                                          Climatology(k=self.k).fit(X, y)]
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """P(outcome): the onset model for quiet rows, the three-way mean for active ones."""
        recent = X.recent.to_numpy(float) > 0
        p = np.empty(len(X))
        if (~recent).any():
            p[~recent] = self.onset_.predict(X[~recent])
        if recent.any():
            p[recent] = np.mean([m.predict(X[recent]) for m in self.active_], axis=0)
        return p
