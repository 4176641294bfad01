"""Flare-ups: periods of material conflict far above their own recent baseline.

For each period t with data, a zero-inflated negative binomial is fitted by moments to the material-conflict
event counts of the previous ``baseline`` periods with data. A period with data is one in which the store holds
any event (its ``coverage``): a period with none is no record, not peace, so it is neither tested nor part of a
baseline, and the baseline reaches back through the store's whole history before ``--from`` as far as it must.
Counts are not scaled by the store's volume: in a store of several sources (GDELT's thousands of rows a week
beside a curated set's ten) the volume measures which source is present, not how much news there is.
A period is a flare-up when its count is at least ``min_events`` and its upper-tail probability under that model
is below 1 - ``level``; the first period of a run is its first-detection time. Formulas and measured false-alarm
rates: docs/methods.md.
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
from geodrift.query import PANDAS_FREQ, EventFilter, check_freq, complete_periods, resolve, sql_in
from geodrift.store import Store

# Fewer trailing periods cannot estimate the dispersion and the share of zeros the test relies on.
MIN_BASELINE = 4
# A period with fewer periods with data before it is not tested: 8 quiet weeks would make any 3 events a flare-up.
MIN_HISTORY = 8


def volume(target: Store | Engine, *, freq: str, where: EventFilter) -> pd.DataFrame:
    """All events (clusters or reports) in the store per period: which periods have data."""
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


def zinb_tail(x: int, history: np.ndarray) -> tuple[float, float]:
    """Expected count and P(X >= x) under a zero-inflated NB fitted by moments to ``history``.

    Mean m = mean(history), at least 0.5 / len(history), and the share of zeros at most 1 - 0.5 / len(history): an
    all-zero baseline counts as half an event, so it makes one event unlikely, not impossible.
    Dispersion a from Var = m + a m^2 (a >= 0); zero inflation pi from the excess of observed zeros over the NB's
    zero probability. Poisson when a is 0.
    """
    mean = max(float(history.mean()), 0.5 / len(history))
    a = max((float(history.var()) - mean) / mean**2, 0.0)
    if a > 0:
        n = 1 / a
        dist = stats.nbinom(n, n / (n + mean))
    else:
        dist = stats.poisson(mean)
    p0 = float(dist.pmf(0))
    zeros = min(float(np.mean(history == 0)), 1 - 0.5 / len(history))  # the same half event: pi < 1
    pi = max(0.0, (zeros - p0) / (1 - p0)) if p0 < 1 else 0.0
    tail = (1 - pi) * float(dist.sf(x - 1)) if x > 0 else 1.0
    return (1 - pi) * mean, tail


def check_options(baseline: int, level: float) -> None:
    """InputError unless ``baseline`` and ``level`` can be used (checked before any query)."""
    if baseline < MIN_BASELINE:
        raise InputError(f"--baseline {baseline}: the baseline needs at least {MIN_BASELINE} periods")
    if not 0 < level < 1:
        raise InputError(f"--level {level}: the level is a quantile, strictly between 0 and 1 (e.g. 0.99)")


def detect_flareups(series: pd.DataFrame, *, baseline: int = 26, level: float = 0.99, min_events: int = 3,
                    first: int = 0) -> pd.DataFrame:
    """Add history (periods in the baseline), expected, p_value, flare_up and first_detection columns to a
    conflict-count series.

    Only periods with data (coverage > 0) are tested and form baselines: a period in which the store holds no event
    at all is no record, not a peaceful period. Period t (from ``first`` on) is compared with the last ``baseline``
    periods with data before it, however far back they lie; with fewer than MIN_HISTORY (or ``baseline`` when
    smaller) it is not tested (p_value NaN).
    """
    check_options(baseline, level)
    counts = series["conflict_events"].to_numpy(float)
    expected = np.full(len(series), np.nan)
    p_value = np.full(len(series), np.nan)
    history = np.zeros(len(series), int)
    with_data = np.flatnonzero(series["coverage"].to_numpy(float) > 0)
    for t in with_data[with_data >= first]:
        prior = with_data[with_data < t][-baseline:]
        history[t] = len(prior)
        if len(prior) >= min(baseline, MIN_HISTORY):
            expected[t], p_value[t] = zinb_tail(int(counts[t]), counts[prior])
    flagged = (p_value < 1 - level) & (counts >= min_events)
    first_run = flagged & ~np.r_[False, flagged[:-1]]
    return series.assign(history=history, expected=expected, p_value=p_value, flare_up=flagged,
                         first_detection=first_run)


def flareups(target: Store | Engine, a: str | Sequence[str] | None = None, b: str | Sequence[str] | None = None, *,
             country: str | None = None, freq: str = "week", where: EventFilter | None = None, baseline: int = 26,
             level: float = 0.99, min_events: int = 3) -> pd.DataFrame:
    """Flare-ups on the dyad a–b or in ``country``, period by period (see module docstring).

    Raises:
        InputError: no period of the window with data has ``baseline`` periods with data before it.
    """
    check_options(baseline, level)
    if country is not None and (a or b):
        raise InputError("give either a dyad (A B) or --country, not both")
    check_freq(freq)
    where = where or EventFilter()
    if country is None and not (a and b):
        raise InputError("flare-ups need a dyad (two countries) or --country")
    wide = replace(where, start=None)  # the baseline reads the whole history before --from
    if country is not None:
        series = place_series(target, country, freq=freq, where=wide)
    else:
        series = dyad_series(target, a, b, freq=freq, where=wide)[["period", "conflict_events"]]  # type: ignore[arg-type]
    series = series.merge(volume(target, freq=freq, where=wide), on="period", how="outer").sort_values("period")
    series = series.reset_index(drop=True)
    series["conflict_events"] = series["conflict_events"].fillna(0).astype(int)
    series["coverage"] = series["coverage"].fillna(0).astype(float)
    first = 0
    if where.start is not None:
        ends = pd.to_datetime(series["period"]) + pd.tseries.frequencies.to_offset(PANDAS_FREQ[freq])
        inside = (ends > pd.Timestamp(where.start)).to_numpy()
        first = int(np.argmax(inside)) if inside.any() else len(series)
    found = detect_flareups(series, baseline=baseline, level=level, min_events=min_events, first=first)
    found = found.iloc[first:].reset_index(drop=True)
    if found.coverage.gt(0).any() and found.p_value.isna().all():
        raise InputError(_too_short(series, first, baseline, freq))
    return found


def _too_short(series: pd.DataFrame, first: int, baseline: int, freq: str) -> str:
    """Why no period could be tested, and an option that makes one testable."""
    data = series["coverage"].to_numpy() > 0
    before, within = int(data[:first].sum()), int(data[first:].sum())
    needed = min(baseline, MIN_HISTORY)
    if before >= MIN_BASELINE:
        hint = f"use --baseline {before}"
    elif before + within > needed:
        hint = "use a later --to: later periods have more history"
    else:
        hint = f"use a finer --freq than {freq}"
    return (f"the store holds events in {before} {freq}s before --from and {within} in the window; flare-up "
            f"detection compares each {freq} with the {baseline} {freq}s with events before it and needs at least "
            f"{needed} ({hint})")
