"""The one interface every change-point detector implements, and the registry that finds them.

As in ruptures: ``fit(signal) -> self`` reads a dated series, ``predict()`` returns its change
points. Parameters are keyword-only ``__init__`` arguments stored unchanged (geodrift.params), so
``get_params``/``clone`` work. Detectors are registered by name in the ``geodrift.detectors``
group (geodrift/plugins.py); callers choose one by that name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from geodrift import plugins
from geodrift.errors import InputError
from geodrift.params import Parametrised

MIN_POINTS = 8
"""Shortest series in which a change point is looked for."""


@dataclass(frozen=True)
class ChangePoint:
    """A dated shift in a series."""

    date: pd.Timestamp
    index: int
    """Position among the series' periods with data."""
    before: float
    after: float
    shift: float
    shift_sd: float
    confidence: float = math.nan
    """Share of shift-free placebo series whose best split gains less (offline detectors); NaN otherwise."""
    alarm: pd.Timestamp | None = None
    """When an online detector, reading the series in order, raised the alarm; None for offline ones."""

    @property
    def direction(self) -> str:
        return "up" if self.shift > 0 else "down"


class Detector(Parametrised):
    """Finds the dated change points of one series."""

    online: ClassVar[bool] = False
    """Whether the detector reads the series in order and raises alarms (each point then has ``alarm``)."""

    def fit(self, signal: pd.Series) -> Self:
        """Read ``signal`` (index: dates; periods without a value are skipped).

        Raises:
            InputError: the series is too short for this detector.
        """
        raise NotImplementedError

    def predict(self) -> list[ChangePoint]:
        """The change points of the fitted series, in order."""
        raise NotImplementedError


def noise_scale(values: np.ndarray) -> float:
    """Robust noise SD: MAD of first differences / (0.6745 * sqrt(2)), immune to level shifts."""
    diffs = np.diff(values)
    mad = float(np.median(np.abs(diffs - np.median(diffs)))) if len(diffs) else 0.0
    scale = mad / (0.6745 * np.sqrt(2))
    return scale if scale > 0 else float(np.std(values)) or 1.0


def detectors() -> dict[str, type[Detector]]:
    """Every registered detector by name, built-ins first."""
    return dict(plugins.load(plugins.DETECTORS))


def get_detector(name: str, **settings: Any) -> Detector:
    """A fresh detector called ``name``, taking those ``settings`` that are among its parameters.

    Raises:
        InputError: no detector has that name.
    """
    try:
        cls = detectors()[name]
    except KeyError:
        raise InputError(f"unknown detector {name!r}; known detectors: {', '.join(sorted(detectors()))}") from None
    return cls.with_settings(**settings)
