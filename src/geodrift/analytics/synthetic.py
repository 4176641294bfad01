"""Synthetic event streams with planted alignment shifts, for validating drift detection.

Generator (documented in docs/methods.md): a swing state S has daily events with pole A and with
pole B, Poisson(``rate``) each. An event is cooperative with probability p (Goldstein ~ N(3.5, 2),
clipped to [0, 10]) else conflictual (Goldstein ~ N(-5, 2.5), clipped to [-10, 0]); its weight
(distinct sources) is 1 + Poisson(1). The daily alignment is computed with the same shrunken,
weighted formula as geodrift.analytics.alignment. A planted shift raises p toward B at a known
day by the amount that moves the alignment's mean by ``size`` daily noise SDs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from geodrift.analytics.alignment import SHRINK


@dataclass(frozen=True)
class Stream:
    """One synthetic alignment series and the truth behind it."""

    series: pd.Series
    shift_day: int | None
    size_sd: float


def _dyad_scores(rng: np.random.Generator, p: np.ndarray, rate: float) -> np.ndarray:
    counts = rng.poisson(rate, len(p))
    day = np.repeat(np.arange(len(p)), counts)
    coop = rng.random(len(day)) < p[day]
    gold = np.where(coop, np.clip(rng.normal(3.5, 2.0, len(day)), 0, 10), np.clip(rng.normal(-5, 2.5, len(day)), -10, 0))
    weight = 1 + rng.poisson(1.0, len(day))
    num = np.bincount(day, weights=gold * weight, minlength=len(p))
    den = np.bincount(day, weights=weight, minlength=len(p)) + SHRINK
    scores: np.ndarray = num / den
    return scores


def _alignment(rng: np.random.Generator, p_a: np.ndarray, p_b: np.ndarray, rate: float) -> np.ndarray:
    values: np.ndarray = (_dyad_scores(rng, p_b, rate) - _dyad_scores(rng, p_a, rate)) / 20
    return values


@cache
def _noise_and_slope(rate: float, p: float) -> tuple[float, float]:
    """Daily alignment noise SD, and d(mean alignment)/dp near p, both by simulation."""
    rng = np.random.default_rng(12345)
    n = 20_000
    base = _alignment(rng, np.full(n, p), np.full(n, p), rate)
    up = _alignment(rng, np.full(n, p), np.full(n, p + 0.05), rate)
    return float(base.std()), float((up.mean() - base.mean()) / 0.05)


def stream(rng: np.random.Generator, *, days: int = 730, rate: float = 8.0, p: float = 0.6,
           size_sd: float = 1.0, shift_day: int | None = None) -> Stream:
    """One daily alignment series; ``shift_day`` None gives a shift-free placebo."""
    sd, slope = _noise_and_slope(rate, p)
    p_b = np.full(days, p)
    if shift_day is not None:
        p_b[shift_day:] = min(0.99, p + size_sd * sd / slope)
    values = _alignment(rng, np.full(days, p), p_b, rate)
    index = pd.date_range("2019-01-01", periods=days, freq="D")
    return Stream(pd.Series(values, index=index), shift_day, size_sd if shift_day is not None else 0.0)
