"""Proper scores against values worked out by hand and by brute force."""

from __future__ import annotations

import numpy as np
import pandas as pd
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


def test_average_precision_matches_scikit_learn() -> None:
    from sklearn.metrics import average_precision_score

    rng = np.random.default_rng(1)
    p = np.round(rng.beta(0.3, 5, 20_000), 3)  # rare events and many tied forecasts, as in the conflict tasks
    outcome = (rng.uniform(0, 1, p.size) < p).astype(float)
    assert scores.average_precision(p, outcome) == average_precision_score(outcome, p)
    assert scores.average_precision(np.array([0.9, 0.1, 0.5]), np.array([1.0, 0.0, 0.0])) == 1.0
    assert np.isnan(scores.average_precision(p, np.zeros(p.size)))


def test_bin_tables_match_a_groupby() -> None:
    rng = np.random.default_rng(2)
    p = np.round(rng.beta(0.3, 6, 5_000), 2)  # a fifth of the forecasts round to 0: tied at the first edges
    outcome = (rng.uniform(0, 1, p.size) < p).astype(float)
    edges = np.quantile(p, np.arange(1, 10) / 10)
    frame = pd.DataFrame({"bin": np.searchsorted(edges, p), "p": p, "o": outcome})
    expected = frame.groupby("bin").agg(forecast=("p", "mean"), observed=("o", "mean"), n=("o", "size"),
                                        lowest=("p", "min"), highest=("p", "max")).reset_index(drop=True)
    table = scores.decile_reliability(p, outcome)
    assert list(table.bin) == list(range(len(expected))) < list(range(10)), "ties at an edge merge bins"
    pd.testing.assert_frame_equal(table.drop(columns="bin"), expected, check_exact=False, rtol=1e-12)
    coarse = frame.assign(bin=np.minimum((p * 10).astype(int), 9)).groupby("bin").agg(
        forecast=("p", "mean"), observed=("o", "mean"), n=("o", "size"))
    assert np.isclose(scores.calibration_error(p, outcome),
                      (coarse.n * (coarse.forecast - coarse.observed).abs()).sum() / coarse.n.sum(), rtol=1e-12)
