"""The one interface every forecaster implements, and the registry the backtests read.

A forecaster takes its parameters as keyword-only ``__init__`` arguments stored unchanged
(geodrift.params), learns in ``fit(X, y) -> self`` and forecasts with ``predict(X)``. What
``predict`` returns depends on the task the forecaster is registered for:

    task        kind        predict returns
    escalation  binary      P(count >= k) per row, in (0, 1)
    counts      counts      a CountDistribution of the window's count
    alignment   gaussian    a NormalDistribution of the future position
    conflict    binary      P(armed conflict, war or dispute) per country- or pair-year, in (0, 1)

X is a frame of features (forecast/features.py, or the alignment samples of forecast/backtest.py)
with a ``unit`` column; y the outcome of each row. Forecasters are registered as "<task>.<name>"
in the ``geodrift.forecasters`` group (geodrift/plugins.py); the name is the model's row in the
backtest tables.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from geodrift import plugins
from geodrift.errors import InputError
from geodrift.params import Parametrised

TASKS = {"escalation": "binary", "counts": "counts", "alignment": "gaussian", "conflict": "binary"}
"""Forecasting tasks and the kind of forecast each needs."""


class Forecaster(Parametrised):
    """Base class: parameters are the keyword-only arguments of __init__, stored under the same names."""

    kind: ClassVar[str] = ""
    """What predict returns: "binary", "counts" or "gaussian" (see TASKS)."""

    @property
    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"{self.name}({', '.join(f'{k}={v!r}' for k, v in self.get_params().items())})"

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> Self:
        raise NotImplementedError

    def predict(self, X: pd.DataFrame) -> Any:
        raise NotImplementedError


def forecasters() -> dict[str, type[Forecaster]]:
    """Every registered forecaster by "<task>.<name>", built-ins first."""
    return dict(plugins.load(plugins.FORECASTERS))


def task_models(task: str, **settings: Any) -> dict[str, Forecaster]:
    """Fresh instances of the forecasters registered for ``task``, by name, in registry order; each takes
    those ``settings`` (e.g. ``k``) that are among its parameters.

    Raises:
        InputError: no such task.
    """
    if task not in TASKS:
        raise InputError(f"unknown forecasting task {task!r}; known tasks: {', '.join(TASKS)}")
    prefix = f"{task}."
    return {name.removeprefix(prefix): cls.with_settings(**settings)
            for name, cls in forecasters().items() if name.startswith(prefix)}
