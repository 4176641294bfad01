"""Online change points: Bayesian online change-point detection (Adams & MacKay 2007).

A Gaussian model of unknown mean and constant hazard; it alarms when the posterior puts most mass
on a run that started within the last few periods. Formulas: docs/methods.md.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from geodrift.analytics.detectors.online import OnlineDetector


def bocpd(values: np.ndarray, *, hazard: float = 1 / 250, threshold: float = 0.5, window: int = 4,
          prior_sd: float = 2.0, start: int = 0) -> list[tuple[int, int]]:
    """Online Bayesian change-point detection on a standardised series (noise SD 1).

    Model: Gaussian observations with unit variance and a mean drawn afresh, N(0, prior_sd^2), at
    each change; constant hazard. An alarm fires at t >= start when P(run length < window | x_1..t)
    exceeds ``threshold``: "a change happened within the last ``window`` periods" has become more
    likely than not. After an alarm the detector waits ``window`` periods. Returns (alarm index,
    estimated change index) pairs.
    """
    log_r = np.array([0.0])
    post_mean, post_var = np.array([0.0]), np.array([prior_sd**2])
    log_h, log_1h = np.log(hazard), np.log1p(-hazard)
    alarms: list[tuple[int, int]] = []
    quiet_until = -1
    for t, x in enumerate(values):
        pred_var = post_var + 1.0
        log_pred = -0.5 * (np.log(2 * np.pi * pred_var) + (x - post_mean) ** 2 / pred_var)
        change = special.logsumexp(log_r + log_pred + log_h)
        log_r = np.concatenate([[change], log_r + log_pred + log_1h])
        log_r -= special.logsumexp(log_r)
        gain = post_var / (post_var + 1.0)
        post_mean = np.concatenate([[0.0], post_mean + gain * (x - post_mean)])
        post_var = np.concatenate([[prior_sd**2], post_var * (1 - gain)])
        if len(log_r) > 2000:  # bound memory: runs this long carry negligible mass at sane hazards
            log_r, post_mean, post_var = log_r[:2000], post_mean[:2000], post_var[:2000]
        if t >= max(start, window) and t > quiet_until and np.exp(special.logsumexp(log_r[:window])) > threshold:
            alarms.append((t, t - int(np.argmax(log_r))))
            quiet_until = t + window
    return alarms


class Bocpd(OnlineDetector):
    """Bayesian online detection after ``train`` periods: alarms when P(a change within the last ``window``
    periods) exceeds ``threshold``."""

    def __init__(self, *, train: int = 12, hazard: float = 1 / 250, threshold: float = 0.5, window: int = 4,
                 prior_sd: float = 2.0, clip: float = 3.0) -> None:
        self.train = train
        self.hazard = hazard
        self.threshold = threshold
        self.window = window
        self.prior_sd = prior_sd
        self.clip = clip

    def alarms(self, z: np.ndarray) -> list[tuple[int, int]]:
        return bocpd(z, hazard=self.hazard, threshold=self.threshold, window=self.window, start=self.train,
                     prior_sd=self.prior_sd)
