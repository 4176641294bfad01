"""Online change points: a two-sided CUSUM (Page 1954) tuned for one-SD shifts. Formulas: docs/methods.md."""

from __future__ import annotations

import numpy as np

from geodrift.analytics.detectors.online import OnlineDetector


def cusum(values: np.ndarray, *, k: float = 0.5, h: float = 10.0, start: int = 0) -> list[tuple[int, int]]:
    """Two-sided CUSUM (Page 1954) on a standardised series: (alarm index, estimated change index) pairs.

    ``k`` is half the shift it is tuned for (0.5: one SD), ``h`` the decision threshold; after an alarm
    the sums restart. The change estimate is where the alarming sum last left zero.
    """
    upper = lower = 0.0
    up_start = down_start = start
    alarms: list[tuple[int, int]] = []
    for t in range(start, len(values)):
        x = float(values[t])
        if upper == 0.0:
            up_start = t
        if lower == 0.0:
            down_start = t
        upper, lower = max(0.0, upper + x - k), max(0.0, lower - x - k)
        if upper > h or lower > h:
            alarms.append((t, up_start if upper > h else down_start))
            upper = lower = 0.0
    return alarms


class Cusum(OnlineDetector):
    """Two-sided CUSUM after ``train`` periods: half-shift ``k`` (in SDs), threshold ``h``."""

    def __init__(self, *, train: int = 12, k: float = 0.5, h: float = 10.0, clip: float = 3.0) -> None:
        self.train = train
        self.k = k
        self.h = h
        self.clip = clip

    def alarms(self, z: np.ndarray) -> list[tuple[int, int]]:
        return cusum(z, k=self.k, h=self.h, start=self.train)
