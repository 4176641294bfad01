"""Predictive distributions returned by count and alignment models, with the quantities scores need."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class CountDistribution:
    """Negative binomial (NB2: variance = mean + alpha * mean^2) per sample; alpha 0 is Poisson; ``point``
    marks a point mass at ``mean`` (the VIEWS-style zero and last-value benchmarks)."""

    mean: np.ndarray
    alpha: np.ndarray
    point: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", np.nan_to_num(np.asarray(self.mean, float), nan=0.0))
        object.__setattr__(self, "alpha", np.nan_to_num(np.maximum(np.asarray(self.alpha, float), 0.0), nan=0.0))

    def _frozen(self) -> tuple[np.ndarray, np.ndarray]:
        alpha = np.maximum(self.alpha, 1e-8)
        n = 1 / alpha
        return n, n / (n + np.maximum(self.mean, 1e-12))

    def cdf(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, float)
        if self.point:
            return (x >= self.mean).astype(float)
        n, p = self._frozen()
        return np.asarray(stats.nbinom.cdf(x, n, p))

    def sf_at_least(self, k: int) -> np.ndarray:
        """P(N >= k)."""
        return 1 - self.cdf(np.full(len(self.mean), k - 1.0))

    def pmf(self, y: np.ndarray) -> np.ndarray:
        if self.point:
            return np.asarray(np.asarray(y) == np.round(self.mean), float)
        n, p = self._frozen()
        return np.asarray(stats.nbinom.pmf(y, n, p))

    def quantile(self, q: float) -> np.ndarray:
        if self.point:
            return np.round(self.mean)
        n, p = self._frozen()
        return np.asarray(stats.nbinom.ppf(q, n, p))


@dataclass(frozen=True)
class NormalDistribution:
    """Gaussian predictive distribution per sample (alignment positions)."""

    mean: np.ndarray
    sd: np.ndarray

    def cdf(self, x: np.ndarray | float) -> np.ndarray:
        return np.asarray(stats.norm.cdf(x, self.mean, self.sd))

    def prob_above(self, threshold: float) -> np.ndarray:
        return 1 - self.cdf(threshold)

    def quantile(self, q: float) -> np.ndarray:
        return np.asarray(stats.norm.ppf(q, self.mean, self.sd))

    def logpdf(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(stats.norm.logpdf(y, self.mean, self.sd))
