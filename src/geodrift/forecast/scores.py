"""Proper scores, skill, calibration and sharpness for probabilistic forecasts.

Brier and log scores for probabilities (lower is better; log score in nats), skill = 1 - score /
reference score (positive: better than the reference), CRPS for count and Gaussian distributions,
interval coverage, reliability tables (the data of a reliability diagram) and the expected
calibration error. References: Gneiting & Raftery (2007); Bröcker & Smith (2007).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

from geodrift.forecast.distributions import CountDistribution, NormalDistribution

EPS = 1e-4


def brier(p: ArrayLike, outcome: ArrayLike) -> float:
    return float(np.mean((np.asarray(p, float) - np.asarray(outcome, float)) ** 2))


def log_score(p: ArrayLike, outcome: ArrayLike) -> float:
    """Mean negative log-likelihood of the outcomes (nats)."""
    prob = np.clip(np.asarray(p, float), EPS, 1 - EPS)
    o = np.asarray(outcome, float)
    return float(-np.mean(o * np.log(prob) + (1 - o) * np.log(1 - prob)))


def skill(score: float, reference: float) -> float:
    """1 - score / reference: 0 is no better than the reference, 1 is perfect, negative is worse."""
    return float(1 - score / reference) if reference > 0 else float("nan")


def reliability(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Per probability bin: mean forecast, observed frequency, count (the points of a reliability diagram)."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    which = np.minimum((p * bins).astype(int), bins - 1)
    frame = pd.DataFrame({"bin": which, "p": p, "o": o}).groupby("bin").agg(
        forecast=("p", "mean"), observed=("o", "mean"), n=("o", "size")).reset_index()
    return frame


def decile_reliability(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Per equal-count bin of the forecasts (deciles: edges at their 10%, 20%, .., 90% quantiles): mean forecast,
    observed frequency, count and the bin's lowest and highest forecast. Forecasts tied at an edge stay in one bin,
    so a bin of ties can hold more than a tenth and the bins fewer than ``bins``. Rare events put most equal-width
    bins' forecasts in the first; deciles give every part of the ranking the same weight."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    edges = np.quantile(p, np.arange(1, bins) / bins) if len(p) else np.array([])
    which = np.searchsorted(edges, p, side="left")
    frame = pd.DataFrame({"bin": which, "p": p, "o": o}).groupby("bin").agg(
        forecast=("p", "mean"), observed=("o", "mean"), n=("o", "size"), lowest=("p", "min"),
        highest=("p", "max")).reset_index()
    frame["bin"] = np.arange(len(frame))
    return frame


def calibration_error(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean |forecast - observed| over the bins."""
    table = reliability(p, outcome, bins)
    return float((table.n * (table.forecast - table.observed).abs()).sum() / table.n.sum()) if len(table) else 0.0


def sharpness(p: ArrayLike) -> float:
    """Standard deviation of the forecast probabilities: how far they move from a constant."""
    return float(np.std(np.asarray(p, float)))


def crps_counts(dist: CountDistribution, y: ArrayLike, chunk: int = 2000, max_support: int = 20000) -> np.ndarray:
    """CRPS of a count distribution per sample: sum over x >= 0 of (F(x) - 1{y <= x})^2."""
    y = np.asarray(y, float)
    if dist.point:
        return np.asarray(np.abs(y - np.round(dist.mean)), float)
    out = np.empty(len(y))
    for lo in range(0, len(y), chunk):
        part = slice(lo, lo + chunk)
        sub = CountDistribution(dist.mean[part], dist.alpha[part])
        top = int(min(max_support, max(np.nanmax(sub.quantile(0.99999)), y[part].max()) + 2))
        support = np.arange(top + 1, dtype=float)
        n, prob = sub._frozen()
        cdf = stats.nbinom.cdf(support[None, :], n[:, None], prob[:, None])
        out[part] = ((cdf - (y[part][:, None] <= support[None, :])) ** 2).sum(axis=1)
    return out


def crps_normal(dist: NormalDistribution, y: ArrayLike) -> np.ndarray:
    """Closed-form CRPS of a Gaussian (Gneiting & Raftery 2007, eq. 21)."""
    z = (np.asarray(y, float) - dist.mean) / dist.sd
    return np.asarray(dist.sd * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi)))


def coverage(lo: ArrayLike, hi: ArrayLike, y: ArrayLike) -> float:
    """Share of outcomes inside their intervals."""
    y = np.asarray(y, float)
    return float(np.mean((y >= np.asarray(lo, float)) & (y <= np.asarray(hi, float))))
