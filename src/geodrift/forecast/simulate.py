"""Simulated event processes with known probabilities, to check that forecasts are calibrated and sharp.

The generator (documented in docs/methods.md): each unit u has a weekly Poisson INGARCH(1,1) intensity

    Y[u,w] ~ Poisson(lam[u,w]),   lam[u,w+1] = omega[u] + a * Y[u,w] + b * lam[u,w]

with omega[u] = m[u] * (1 - a - b), m[u] log-normal (units from quiet to violent), split uniformly over
the week's days and known ``delay`` days after they happen. The week's intensity is a function of the
past alone, so the true probability of at least k events in the next week is exactly
P(Poisson(lam[u,w]) >= k): the forecaster that knows the process.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from geodrift.forecast.history import History


def simulate_history(*, units: int = 50, weeks: int = 260, a: float = 0.4, b: float = 0.3, log_mean: float = -0.5,
                     log_sd: float = 1.0, delay: int = 0, start: str = "2015-01-05", seed: int = 0,
                     ) -> tuple[History, pd.DataFrame]:
    """A History of daily conflict counts and the true weekly intensities (unit, week_start, lam)."""
    rng = np.random.default_rng(seed)
    m = np.exp(rng.normal(log_mean, log_sd, units))
    omega = m * (1 - a - b)
    lam = np.empty((units, weeks))
    y = np.empty((units, weeks), dtype=np.int64)
    lam[:, 0] = m
    for w in range(weeks):
        y[:, w] = rng.poisson(lam[:, w])
        if w + 1 < weeks:
            lam[:, w + 1] = omega + a * y[:, w] + b * lam[:, w]
    first = pd.Timestamp(start)
    names = [f"U{i:03d}" for i in range(units)]
    days = rng.integers(0, 7, size=int(y.sum()))
    unit_idx = np.repeat(np.repeat(np.arange(units), weeks), y.reshape(-1))
    week_idx = np.repeat(np.tile(np.arange(weeks), units), y.reshape(-1))
    day = first + pd.to_timedelta(week_idx * 7 + days, unit="D")
    events = pd.DataFrame({"unit": np.asarray(names)[unit_idx], "day": day})
    counts = events.groupby(["unit", "day"]).size().rename("conflict").reset_index()
    counts["known"] = counts.day + pd.Timedelta(days=delay)
    counts["events"] = counts.conflict * 2
    all_days = pd.date_range(first, periods=weeks * 7, freq="D")
    volume = pd.DataFrame({"day": all_days, "known": all_days + pd.Timedelta(days=delay), "events": 1000})
    for frame in (counts, volume):
        frame["day"] = frame["day"].astype("datetime64[ns]")
        frame["known"] = frame["known"].astype("datetime64[ns]")
    truth = pd.DataFrame({"unit": np.repeat(names, weeks),
                          "week_start": np.tile(first + pd.to_timedelta(np.arange(weeks) * 7, unit="D"), units),
                          "lam": lam.reshape(-1)})
    counts = counts[["unit", "day", "known", "conflict", "events"]].astype({"conflict": np.int64, "events": np.int64})
    return History(counts, volume), truth


def true_probability(truth: pd.DataFrame, units: pd.Series, origins: pd.Series, k: int = 1) -> np.ndarray:
    """P(at least k events in the week starting at each origin), from the true intensities."""
    lam = pd.MultiIndex.from_arrays([units, origins])
    table = truth.set_index(["unit", "week_start"]).lam
    return np.asarray(stats.poisson.sf(k - 1, table.reindex(lam).to_numpy()))
