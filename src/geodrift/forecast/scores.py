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


def _bin_means(which: np.ndarray, p: np.ndarray, o: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per bin present in ``which`` (ascending): the bin, its count, mean forecast and observed frequency. numpy
    sums rather than a pandas groupby: a conflict backtest scores ~700 tables, where the groupby's overhead
    outweighed the arithmetic (the means agree to rounding: pandas sums with Kahan compensation)."""
    bins, inverse, n = np.unique(which, return_inverse=True, return_counts=True)
    return bins, n, np.bincount(inverse, p) / n, np.bincount(inverse, o) / n


def reliability(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Per probability bin: mean forecast, observed frequency, count (the points of a reliability diagram)."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    which, n, forecast, observed = _bin_means(np.minimum((p * bins).astype(int), bins - 1), p, o)
    return pd.DataFrame({"bin": which, "forecast": forecast, "observed": observed, "n": n})


def decile_reliability(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> pd.DataFrame:
    """Per equal-count bin of the forecasts (deciles: edges at their 10%, 20%, .., 90% quantiles): mean forecast,
    observed frequency, count and the bin's lowest and highest forecast. Forecasts tied at an edge stay in one bin,
    so a bin of ties can hold more than a tenth and the bins fewer than ``bins``. Rare events put most equal-width
    bins' forecasts in the first; deciles give every part of the ranking the same weight."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    edges = np.quantile(p, np.arange(1, bins) / bins) if len(p) else np.array([])
    which = np.searchsorted(edges, p, side="left")
    present, n, forecast, observed = _bin_means(which, p, o)
    slot = np.searchsorted(present, which)
    lowest, highest = np.full(len(present), np.inf), np.full(len(present), -np.inf)
    np.minimum.at(lowest, slot, p)
    np.maximum.at(highest, slot, p)
    return pd.DataFrame({"bin": np.arange(len(present)), "forecast": forecast, "observed": observed, "n": n,
                         "lowest": lowest, "highest": highest})


def calibration_error(p: ArrayLike, outcome: ArrayLike, bins: int = 10) -> float:
    """Expected calibration error: the count-weighted mean |forecast - observed| over the bins."""
    p, o = np.asarray(p, float), np.asarray(outcome, float)
    if not len(p):
        return 0.0
    _, n, forecast, observed = _bin_means(np.minimum((p * bins).astype(int), bins - 1), p, o)
    return float(np.sum(n * np.abs(forecast - observed)) / n.sum())


def average_precision(p: ArrayLike, outcome: ArrayLike) -> float:
    """Average precision (the area under the precision-recall curve as a step sum, AUC-PR): scikit-learn's
    ``average_precision_score`` computed the same way (forecasts in descending order, one point per distinct
    forecast, the sum of recall steps times precision) without its input checks, which cost the conflict backtest
    more than the sum. NaN unless ``outcome`` holds both classes."""
    p, hit = np.asarray(p, float), np.asarray(outcome, float) == 1
    if not 0 < hit.sum() < len(hit):
        return float("nan")
    order = np.argsort(-p, kind="stable")
    ranked = p[order]
    cut = np.r_[np.nonzero(np.diff(ranked))[0], len(ranked) - 1]
    tps = np.cumsum(hit[order].astype(float))[cut]
    precision = np.r_[(tps / (cut + 1.0))[::-1], 1.0]
    recall = np.r_[(tps / tps[-1])[::-1], 0.0]
    return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


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
