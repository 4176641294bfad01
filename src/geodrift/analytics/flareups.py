"""Flare-ups: periods of material conflict far above their own recent baseline.

For each period t, a zero-inflated negative binomial is fitted by moments to the previous
``baseline`` periods of material-conflict event counts, with coverage (all events in the store
in that period) as exposure: the expected count scales with overall news volume, so coverage
growth is not mistaken for escalation. (The dyad's own volume would not do: in a war it is
the conflict itself.) A period is a flare-up when
its count is at least ``min_events`` and its upper-tail probability under that model is below
1 - ``level``; the first period of a run is its first-detection time. The baseline of the first periods of a
window comes from the ``baseline`` periods before it (``--from`` bounds what is reported, not what is compared
against), so a war that starts in the window is measured against the peace before it. Formulas: docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pandas as pd
from scipy import stats

from geodrift.analytics.dyads import dyad_series, rollup_rows, unit_rows
from geodrift.analytics.engine import Engine, engine_for
from geodrift.cluster_units import units_current
from geodrift.errors import InputError
from geodrift.events import EARLIEST
from geodrift.query import PANDAS_FREQ, EventFilter, check_freq, complete_periods, resolve, sql_in
from geodrift.store import Store

# Fewer trailing periods cannot estimate the dispersion and the share of zeros the test relies on.
MIN_BASELINE = 4


def volume(target: Store | Engine, *, freq: str, where: EventFilter) -> pd.DataFrame:
    """All events (clusters or reports) in the store per period (the exposure of the count model)."""
    rows = (rollup_rows(where) if isinstance(target, Store) and where.aggregatable and where.unit == "clusters"
            and units_current(target) else unit_rows(target, where))
    frame = engine_for(target).df(f"""
        SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period, count(*) AS coverage
        FROM {rows} AS u GROUP BY ALL ORDER BY period""")
    frame["period"] = pd.to_datetime(frame["period"])
    return frame


def place_series(target: Store | Engine, country: str, *, freq: str = "week",
                 where: EventFilter | None = None) -> pd.DataFrame:
    """Per-period material-conflict events located in ``country``."""
    check_freq(freq)
    where = where or EventFilter()
    place = f"action_geo_country IN {sql_in(resolve(country))}"  # a cluster's reports may be placed apart
    frame = engine_for(target).df(f"""
        SELECT CAST(date_trunc('{freq}', event_date) AS DATE) AS period,
               sum(CASE WHEN quad_class = 4 THEN 1 ELSE 0 END) AS conflict_events
        FROM {unit_rows(target, where, touching=place)} AS u WHERE {place}
        GROUP BY ALL ORDER BY period""")
    return complete_periods(frame, freq, where)


def zinb_tail(x: int, exposure: float, history: np.ndarray, history_exposure: np.ndarray) -> tuple[float, float]:
    """Expected count and P(X >= x) under a moment-fitted zero-inflated NB with exposure.

    rate = sum(history) / sum(exposure); mean_t = rate * exposure_t. Dispersion a from
    Var = m + a m^2 on the history (a >= 0); zero inflation pi from the excess of observed zeros
    over the NB's zero probability. Poisson when a is 0.
    """
    total_exposure = float(history_exposure.sum())
    if total_exposure <= 0:
        return 0.0, 1.0 if x <= 0 else 0.0
    rate = max(float(history.sum()) / total_exposure, 0.5 / total_exposure)
    means = rate * history_exposure
    mean = rate * max(exposure, 1e-9)
    resid_var = float(np.mean((history - means) ** 2))
    m2 = float(np.mean(means**2))
    a = max((resid_var - float(np.mean(means))) / m2, 0.0) if m2 > 0 else 0.0
    if a > 0:
        n = 1 / a
        dist = stats.nbinom(n, n / (n + mean))
        p0 = np.mean(stats.nbinom.pmf(0, n, n / (n + means)))
    else:
        dist = stats.poisson(mean)
        p0 = np.mean(stats.poisson.pmf(0, means))
    zeros = float(np.mean(history == 0))
    pi = max(0.0, (zeros - p0) / (1 - p0)) if p0 < 1 else 0.0
    tail = (1 - pi) * float(dist.sf(x - 1)) if x > 0 else 1.0
    return (1 - pi) * mean, tail


def check_options(baseline: int, level: float) -> None:
    """InputError unless ``baseline`` and ``level`` can be used (checked before any query)."""
    if baseline < MIN_BASELINE:
        raise InputError(f"--baseline {baseline}: the baseline needs at least {MIN_BASELINE} periods")
    if not 0 < level < 1:
        raise InputError(f"--level {level}: the level is a quantile, strictly between 0 and 1 (e.g. 0.99)")


def detect_flareups(series: pd.DataFrame, *, baseline: int = 26, level: float = 0.99,
                    min_events: int = 3) -> pd.DataFrame:
    """Add expected, p_value, flare_up and first_detection columns to a conflict-count series."""
    check_options(baseline, level)
    if len(series) <= baseline:
        raise InputError(f"the series has {len(series)} periods (with the history before --from); flare-up "
                         f"detection needs more than the {baseline}-period baseline (use a longer --to, a finer "
                         f"--freq or a shorter --baseline)")
    counts = series["conflict_events"].to_numpy(float)
    exposure = series["coverage"].to_numpy(float)
    expected = np.full(len(series), np.nan)
    p_value = np.full(len(series), np.nan)
    for t in range(baseline, len(series)):
        hist, hist_exp = counts[t - baseline:t], exposure[t - baseline:t]
        expected[t], p_value[t] = zinb_tail(int(counts[t]), exposure[t], hist, hist_exp)
    flagged = (p_value < 1 - level) & (counts >= min_events)
    first = flagged & ~np.r_[False, flagged[:-1]]
    return series.assign(expected=expected, p_value=p_value, flare_up=flagged, first_detection=first)


def flareups(target: Store | Engine, a: str | Sequence[str] | None = None, b: str | Sequence[str] | None = None, *,
             country: str | None = None, freq: str = "week", where: EventFilter | None = None, baseline: int = 26,
             level: float = 0.99, min_events: int = 3) -> pd.DataFrame:
    """Flare-ups on the dyad a–b or in ``country``, period by period (see module docstring)."""
    check_options(baseline, level)
    if country is not None and (a or b):
        raise InputError("give either a dyad (A B) or --country, not both")
    check_freq(freq)
    where = where or EventFilter()
    if country is None and not (a and b):
        raise InputError("flare-ups need a dyad (two countries) or --country")
    wide = with_history(where, freq, baseline)
    if country is not None:
        series = place_series(target, country, freq=freq, where=wide)
    else:
        series = dyad_series(target, a, b, freq=freq, where=wide)[["period", "conflict_events"]]  # type: ignore[arg-type]
    series = series.merge(volume(target, freq=freq, where=wide), on="period", how="left")
    series["conflict_events"] = series["conflict_events"].fillna(0).astype(int)
    series["coverage"] = series["coverage"].fillna(0).astype(float)
    if where.start is not None:  # history before the first period with any event is no baseline: drop it
        period = pd.to_datetime(series["period"])
        ends = period + pd.tseries.frequencies.to_offset(PANDAS_FREQ[freq])
        inside = ends > pd.Timestamp(where.start)
        recorded = series["coverage"].gt(0).cummax()
        series = series[inside | recorded].reset_index(drop=True)
        found = detect_flareups(series, baseline=baseline, level=level, min_events=min_events)
        return found[(pd.to_datetime(found["period"]) + pd.tseries.frequencies.to_offset(PANDAS_FREQ[freq]))
                     > pd.Timestamp(where.start)].reset_index(drop=True)
    return detect_flareups(series, baseline=baseline, level=level, min_events=min_events)


def with_history(where: EventFilter, freq: str, baseline: int) -> EventFilter:
    """``where`` reaching ``baseline`` periods further back: the history the first periods are compared with."""
    if where.start is None:
        return where
    step = {"day": pd.DateOffset(days=baseline), "week": pd.DateOffset(weeks=baseline),
            "month": pd.DateOffset(months=baseline), "quarter": pd.DateOffset(months=3 * baseline),
            "year": pd.DateOffset(years=baseline)}[freq]
    start = max((pd.Timestamp(where.start) - step).date(), EARLIEST)
    return replace(where, start=start)
