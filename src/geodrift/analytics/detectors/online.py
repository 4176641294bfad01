"""What the online detectors share: read the series in order after a training stretch, alarm, date the change.

The first ``train`` periods set the scale (their mean and SD) and raise no alarm; standardised
values are clipped at ±``clip`` so one outlying report cannot raise an alarm alone. Each alarm
becomes a ChangePoint dated at the estimated change, with the alarm date beside it; its
``before`` is the mean since the previous change and its ``after`` the mean from the change to
the alarm (what the detector had seen when it alarmed).
"""

from __future__ import annotations

import math
from typing import Self

import numpy as np
import pandas as pd

from geodrift.analytics.detectors.base import MIN_POINTS, ChangePoint, Detector, noise_scale
from geodrift.errors import InputError


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else math.nan


class OnlineDetector(Detector):
    """Base of detectors that raise (alarm index, change index) pairs on a standardised series."""

    online = True
    train: int
    clip: float

    def alarms(self, z: np.ndarray) -> list[tuple[int, int]]:
        """(alarm index, estimated change index) pairs on the standardised, clipped series ``z``."""
        raise NotImplementedError

    def fit(self, signal: pd.Series) -> Self:
        """Standardise the series on its first ``train`` periods.

        Raises:
            InputError: the series has no more than ``train`` periods with data (or fewer than MIN_POINTS).
        """
        clean = signal.astype(float).dropna()
        if len(clean) < max(MIN_POINTS, self.train + 2):
            raise InputError(
                f"the series is too short for online detection (needs more than {self.train} periods with data)")
        values = clean.to_numpy()
        head = values[: self.train]
        self.series_ = clean
        self.scale_ = float(head.std()) or noise_scale(values)
        self.z_ = np.clip((values - head.mean()) / self.scale_, -self.clip, self.clip)
        return self

    def predict(self) -> list[ChangePoint]:
        values, dates = self.series_.to_numpy(), self.series_.index
        points, previous = [], 0
        for t, c in self.alarms(self.z_):
            before, after = _mean(values[previous:c]), _mean(values[c:t + 1])
            shift = after - before
            points.append(ChangePoint(date=pd.Timestamp(dates[c]), index=c, before=before, after=after, shift=shift,
                                      shift_sd=shift / self.scale_, alarm=pd.Timestamp(dates[t])))
            previous = c
        return points
