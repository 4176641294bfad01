"""Drift: dated change points in an alignment or dyad series, offline and online.

The detectors live one per module in analytics/detectors/ behind one interface (``fit(series)``,
``predict()``) and are found by name in the ``geodrift.detectors`` registry:

- ``pelt`` (offline): PELT on the l2 cost with a penalty calibrated on shift-free placebo series
  (permutations of the series), so that at most ``alpha`` of them show any change point; each
  change point carries its shift and a placebo confidence;
- ``cusum`` (online): a two-sided CUSUM (Page 1954) tuned for one-SD shifts;
- ``bocpd`` (online): Bayesian online change-point detection (Adams & MacKay 2007) with a Gaussian
  model of unknown mean and constant hazard, which alarms when the posterior puts most mass on a
  run that started within the last few periods.

``detect`` and ``detect_online`` are the short ways to run them. Formulas: docs/methods.md.
"""

from __future__ import annotations

import pandas as pd

from geodrift.analytics.detectors.base import ChangePoint, detectors, get_detector
from geodrift.errors import InputError


def check_alpha(alpha: float) -> None:
    """InputError unless ``alpha`` is a false-alarm share strictly between 0 and 1."""
    if not 0 < alpha < 1:
        raise InputError(f"--alpha {alpha}: the share of false change points must be strictly between 0 and 1")


def detect(series: pd.Series, *, alpha: float = 0.02, min_size: int = 3) -> list[ChangePoint]:
    """Offline change points of a dated series (index: dates); periods without a value are skipped.

    The PELT penalty is the (1 - alpha) quantile of the placebo gains: a series without change
    points shows none under PELT iff no split gains more than the penalty, so at most about
    ``alpha`` of shift-free series of this kind get a false change point.

    Raises:
        InputError: the series is too short.
    """
    check_alpha(alpha)
    return get_detector("pelt", alpha=alpha, min_size=min_size).fit(series).predict()


def detect_online(series: pd.Series, *, method: str = "cusum", train: int = 12, hazard: float = 1 / 250,
                  threshold: float = 0.5, window: int = 4, prior_sd: float = 2.0, h: float = 10.0,
                  clip: float = 3.0) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """(alarm date, estimated change date) pairs an online detector raises, reading the series in order.

    The first ``train`` periods set the scale (their mean and SD) and raise no alarm; standardised
    values are clipped at ±``clip`` so one outlying report cannot raise an alarm alone. ``method``:
    any online detector in the registry, e.g. "cusum" (two-sided CUSUM, threshold ``h``) or "bocpd"
    (Bayesian, ``hazard``/``threshold``/``window``); each takes the settings that are its parameters.

    Raises:
        InputError: unknown online method, or the series is too short.
    """
    online = sorted(name for name, cls in detectors().items() if cls.online)
    if method not in online:
        raise InputError(f"unknown online method {method!r}; use {' or '.join(online)}")
    detector = get_detector(method, train=train, hazard=hazard, threshold=threshold, window=window,
                            prior_sd=prior_sd, h=h, clip=clip)
    return [(p.alarm, p.date) for p in detector.fit(series).predict() if p.alarm is not None]
