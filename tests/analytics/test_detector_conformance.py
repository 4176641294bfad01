"""Every registered change-point detector, on realistic weekly series: finds a planted shift where it was
planted, stays quiet on flat noisy series, and follows the fit/predict/get_params/clone interface."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geodrift.analytics.detectors.base import ChangePoint, Detector, detectors, get_detector
from geodrift.errors import InputError

WEEKS, SHIFT_AT, TRAIN = 260, 156, 52
"""Five years of weekly values; the shift comes in year four; online detectors learn the scale on year one."""
SEEDS = range(20)
TOLERANCE = 3
"""Weeks either side of the planted shift where the first change point must fall."""


def series(seed: int, shift_sd: float) -> pd.Series:
    """A weekly alignment-like series: noise of SD 0.1 around 0, up by ``shift_sd`` noise SDs from SHIFT_AT."""
    rng = np.random.default_rng(seed)
    level = np.where(np.arange(WEEKS) >= SHIFT_AT, 0.1 * shift_sd, 0.0)
    return pd.Series(level + 0.1 * rng.standard_normal(WEEKS), index=pd.date_range("2016-01-04", periods=WEEKS,
                                                                                   freq="W-MON"))


def detector(name: str) -> Detector:
    return get_detector(name, train=TRAIN)


@pytest.mark.parametrize("name", sorted(detectors()))
def test_finds_a_planted_shift_at_its_date(name: str) -> None:
    found = 0
    for seed in SEEDS:
        signal = series(seed, shift_sd=4.0)
        points = detector(name).fit(signal).predict()
        if points and abs(points[0].index - SHIFT_AT) <= TOLERANCE and points[0].shift > 0:
            found += 1
            first = points[0]
            assert first.date == signal.index[first.index]
            assert 1.0 < first.shift_sd < 8.0, "the shift is measured in noise SDs (online: up to the alarm)"
            if type(detector(name)).online:
                assert first.alarm is not None and first.date <= first.alarm
    assert found >= 0.75 * len(SEEDS), f"{name} found {found} of {len(SEEDS)} planted 4-SD shifts"


@pytest.mark.parametrize("name", sorted(detectors()))
def test_quiet_on_flat_noisy_series(name: str) -> None:
    noisy = sum(bool(detector(name).fit(series(seed, shift_sd=0.0)).predict()) for seed in SEEDS)
    assert noisy <= 0.25 * len(SEEDS), f"{name} saw a change in {noisy} of {len(SEEDS)} flat series"


@pytest.mark.parametrize("name", sorted(detectors()))
def test_interface(name: str) -> None:
    model = detector(name)
    signal = series(0, shift_sd=4.0)
    assert model.fit(signal) is model
    points = model.predict()
    assert all(isinstance(p, ChangePoint) for p in points)
    assert [p.date for p in points] == sorted(p.date for p in points)
    copy = model.clone()
    assert type(copy) is type(model) and copy is not model and copy.get_params() == model.get_params()
    assert not [a for a in vars(copy) if a.endswith("_")], "a clone is unfitted"
    assert type(model)(**model.get_params()).get_params() == model.get_params(), "parameters are stored unchanged"
    assert copy.fit(signal).predict() == points, "a clone finds the same change points"
    with pytest.raises(TypeError):
        type(model)(1)  # parameters are keyword-only
    with pytest.raises(InputError):
        detector(name).fit(signal.head(5))


def test_unknown_detector_names_the_known_ones() -> None:
    with pytest.raises(InputError, match="bocpd, cusum, pelt"):
        get_detector("binseg")
