"""Proper scores against values worked out by hand and by brute force."""

from __future__ import annotations

import numpy as np
from scipy import integrate, stats

from geodrift.forecast import scores
from geodrift.forecast.distributions import CountDistribution, NormalDistribution


def test_brier_and_log_score() -> None:
    p, o = np.array([0.9, 0.2, 0.5]), np.array([1, 0, 1])
    assert np.isclose(scores.brier(p, o), (0.01 + 0.04 + 0.25) / 3)
    assert np.isclose(scores.log_score(p, o), -(np.log(0.9) + np.log(0.8) + np.log(0.5)) / 3)
    assert np.isclose(scores.skill(0.1, 0.2), 0.5) and scores.skill(0.3, 0.2) < 0


def test_crps_normal_matches_the_integral() -> None:
    dist = NormalDistribution(np.array([0.3]), np.array([0.7]))
    y = 1.1
    numeric = integrate.quad(lambda x: (stats.norm.cdf(x, 0.3, 0.7) - (x >= y)) ** 2, -10, 10, points=[y])[0]
    assert np.isclose(scores.crps_normal(dist, np.array([y]))[0], numeric, atol=1e-6)


def test_crps_counts_matches_the_sum() -> None:
    dist = CountDistribution(np.array([3.0, 0.5]), np.array([0.5, 0.0]))
    y = np.array([5.0, 0.0])
    support = np.arange(200)
    expected = [np.sum((stats.nbinom.cdf(support, 2, 2 / 5) - (support >= 5)) ** 2),
                np.sum((stats.poisson.cdf(support, 0.5) - (support >= 0)) ** 2)]
    assert np.allclose(scores.crps_counts(dist, y), expected, atol=1e-6)
    point = CountDistribution(np.array([4.0]), np.array([0.0]), point=True)
    assert scores.crps_counts(point, np.array([1.0]))[0] == 3.0


def test_reliability_and_calibration_error() -> None:
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 1, 50_000)
    outcome = rng.uniform(0, 1, p.size) < p
    assert scores.calibration_error(p, outcome) < 0.01
    assert scores.calibration_error(np.clip(p + 0.2, 0, 1), outcome) > 0.1
    table = scores.reliability(p, outcome)
    assert len(table) == 10 and table.n.sum() == p.size
    assert scores.sharpness(np.full(10, 0.3)) < 1e-12 < scores.sharpness(p)
