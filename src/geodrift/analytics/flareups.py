"""Flare-ups: periods of material conflict far above what the sources reporting them usually report.

The store mixes sources with different coverage (GDELT 1.0 2011-13, a curated 2020 set, two days of ICEWS), so the
expectation of a period is formed from the sources present in that period, each against its own history: for each
source with events in period t, a zero-inflated negative binomial is fitted by moments to the subject's (the dyad's,
or the country's) material-conflict events that source reported in its last ``baseline`` periods with data, counted
from the first period in which it reported the subject at all; the period's expectation is the sum over its sources,
and its tail probability that of the sum (the sources taken as independent). A source with fewer than MIN_HISTORY
such periods before t (a dataset that has just begun, or has just begun covering the pair) is not assessed: the
events only it reports in t are counted as ``untested``, and a period only such sources report is not assessable
(p_value NaN) rather than a flare-up. A period in which the store holds no event is no record, not peace. Counts are
not scaled by volume: a source's volume measures its coverage, not how much news there is.
A period is a flare-up when its tested count is at least ``min_events`` and its tail probability is below 1 -
``level``; the first period of a run is its first-detection time. A flare-up is left out of later baselines (the
normal a later period is compared with), unless flare-ups fill more than a quarter of the baseline: then the higher
level is the new normal. Formulas and measured false-alarm rates: docs/methods.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from geodrift.analytics.dyads import clustered, dyad_series, rollup_rows, unit_rows
from geodrift.analytics.engine import Engine, engine_for
from geodrift.cluster_units import units_current
from geodrift.errors import InputError
from geodrift.query import PANDAS_FREQ, EventFilter, between, check_freq, complete_periods, resolve, sql_in
from geodrift.store import Store

# Fewer trailing periods cannot estimate the dispersion and the share of zeros the test relies on.
MIN_BASELINE = 4
# A source with fewer periods with data before a period does not test it: 8 quiet weeks would make any 3 events a
# flare-up.
MIN_HISTORY = 8
# Flare-ups filling more than this share of a baseline are the new normal and stay in it.
FLAGGED_SHARE = 0.25


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


@dataclass(frozen=True)
class Zinb:
    """A zero-inflated negative binomial (Poisson when the history shows no over-dispersion)."""

    pi: float
    dist: object  # a frozen scipy.stats distribution

    @classmethod
    def fit(cls, history: np.ndarray) -> Zinb:
        """Fitted by moments to ``history`` (see ``zinb_tail``)."""
        mean = max(float(history.mean()), 0.5 / len(history))
        a = max((float(history.var()) - mean) / mean**2, 0.0)
        if a > 0:
            n = 1 / a
            dist = stats.nbinom(n, n / (n + mean))
        else:
            dist = stats.poisson(mean)
        p0 = float(dist.pmf(0))
        zeros = min(float(np.mean(history == 0)), 1 - 0.5 / len(history))  # the same half event: pi < 1
        return cls(max(0.0, (zeros - p0) / (1 - p0)) if p0 < 1 else 0.0, dist)

    @property
    def mean(self) -> float:
        return (1 - self.pi) * float(self.dist.mean())  # type: ignore[attr-defined]

    def pmf(self, k: np.ndarray) -> np.ndarray:
        return self.pi * (k == 0) + (1 - self.pi) * self.dist.pmf(k)  # type: ignore[attr-defined, no-any-return]

    def tail(self, k: np.ndarray) -> np.ndarray:
        """P(X >= k), elementwise."""
        k = np.asarray(k)
        return np.where(k <= 0, 1.0, (1 - self.pi) * self.dist.sf(k - 1))  # type: ignore[attr-defined]


def zinb_tail(x: int, history: np.ndarray) -> tuple[float, float]:
    """Expected count and P(X >= x) under a zero-inflated NB fitted by moments to ``history``.

    Mean m = mean(history), at least 0.5 / len(history), and the share of zeros at most 1 - 0.5 / len(history): an
    all-zero baseline counts as half an event, so it makes one event unlikely, not impossible.
    Dispersion a from Var = m + a m^2 (a >= 0); zero inflation pi from the excess of observed zeros over the NB's
    zero probability. Poisson when a is 0.
    """
    return sum_tail(x, [history])


def sum_tail(x: int, histories: Sequence[np.ndarray]) -> tuple[float, float]:
    """Expected count and P(X_1 + ... + X_n >= x) for independent ZINBs fitted to each of ``histories`` (one per
    source present): P(R + Y >= x) = P(R >= x) + sum over k < x of P(R = k) P(Y >= x - k), source by source."""
    parts = [Zinb.fit(h) for h in histories]
    expected = sum(p.mean for p in parts)
    if x <= 0:
        return expected, 1.0
    ks = np.arange(x)
    rest_pmf, rest_tail = parts[0].pmf(ks), float(parts[0].tail(np.array(x)))
    for part in parts[1:]:
        rest_tail += float(np.sum(rest_pmf * part.tail(x - ks)))
        rest_pmf = np.convolve(rest_pmf, part.pmf(ks))[:x]
    return expected, min(rest_tail, 1.0)


def check_options(baseline: int, level: float) -> None:
    """InputError unless ``baseline`` and ``level`` can be used (checked before any query)."""
    if baseline < MIN_BASELINE:
        raise InputError(f"--baseline {baseline}: the baseline needs at least {MIN_BASELINE} periods")
    if not 0 < level < 1:
        raise InputError(f"--level {level}: the level is a quantile, strictly between 0 and 1 (e.g. 0.99)")


@dataclass(frozen=True)
class Sources:
    """What each source reports, period by period (S sources x T periods).

    ``present``: the source holds some event in the period; ``covers``: it has reported the subject by then (from
    its first period with an event of the dyad or country on); ``conflict``: the subject's material-conflict events
    it reports (an event several sources report counts for each); ``tested(t, sources)``: the period's events that
    at least one of ``sources`` reports (the sum of their counts when every event has one source)."""

    present: np.ndarray
    covers: np.ndarray
    conflict: np.ndarray
    tested: Callable[[int, list[int]], int] | None = None

    def count(self, t: int, sources: list[int]) -> int:
        if self.tested is not None:
            return self.tested(t, sources)
        return int(self.conflict[sources, t].sum())


def _baseline(sources: Sources, s: int, t: int, flagged: np.ndarray, baseline: int) -> np.ndarray:
    """Source ``s``'s baseline periods for period ``t``: its last ``baseline`` periods with data since it began
    covering the subject, flare-ups left out unless they fill more than FLAGGED_SHARE of them."""
    eligible = np.flatnonzero(sources.present[s, :t] & sources.covers[s, :t])
    recent = eligible[-baseline:]
    kept: np.ndarray = recent if flagged[recent].sum() > FLAGGED_SHARE * baseline else eligible[~flagged[eligible]][-baseline:]
    return kept


def assess(sources: Sources, *, baseline: int = 26, level: float = 0.99, min_events: int = 3) -> dict[str, np.ndarray]:
    """Per period: tested (events of sources with a history), untested, history, expected, p_value, flare_up.

    Periods are assessed in order, from the store's first, since a flare-up leaves later baselines."""
    check_options(baseline, level)
    n_periods = sources.present.shape[1]
    out = {"tested": np.zeros(n_periods, int), "history": np.zeros(n_periods, int),
           "expected": np.full(n_periods, np.nan), "p_value": np.full(n_periods, np.nan)}
    flagged = np.zeros(n_periods, bool)
    for t in np.flatnonzero(sources.present.any(axis=0)):
        histories = {}
        for s in np.flatnonzero(sources.present[:, t]):
            prior = _baseline(sources, int(s), int(t), flagged, baseline)
            if len(prior) >= min(baseline, MIN_HISTORY):
                histories[int(s)] = sources.conflict[s, prior].astype(float)
        if not histories:
            continue
        x = sources.count(int(t), list(histories))
        out["tested"][t], out["history"][t] = x, max(len(h) for h in histories.values())
        out["expected"][t], out["p_value"][t] = sum_tail(x, list(histories.values()))
        flagged[t] = out["p_value"][t] < 1 - level and x >= min_events
    out["flare_up"] = flagged
    return out


def detect_flareups(series: pd.DataFrame, *, baseline: int = 26, level: float = 0.99, min_events: int = 3,
                    first: int = 0) -> pd.DataFrame:
    """Add history (periods in the baseline), expected, p_value, flare_up and first_detection columns to a
    conflict-count series of one source (coverage > 0 where it holds any event).

    Only periods with data are tested and form baselines (a period with no event at all is no record, not a peaceful
    period); period t is compared with the last ``baseline`` periods with data before it, however far back, and with
    fewer than MIN_HISTORY (or ``baseline`` when smaller) it is not tested (p_value NaN). Rows before ``first`` are
    assessed too (their flare-ups leave later baselines) and returned as they are."""
    counts = series["conflict_events"].to_numpy(int)[None, :]
    present = (series["coverage"].to_numpy(float) > 0)[None, :]
    found = assess(Sources(present, np.ones_like(present), counts), baseline=baseline, level=level,
                   min_events=min_events)
    return _flags(series, found, first)


def _flags(series: pd.DataFrame, found: dict[str, np.ndarray], first: int) -> pd.DataFrame:
    """``series`` with the assessment's columns; a flare-up's first period (from ``first`` on) is its detection."""
    flagged = found["flare_up"] & (np.arange(len(series)) >= first)
    first_run = flagged & ~np.r_[False, flagged[:-1]]
    columns = {k: found[k] for k in ("history", "expected", "p_value")}
    return series.assign(**columns, flare_up=flagged, first_detection=first_run)


def source_units(target: Store | Engine, freq: str, where: EventFilter, sides: str, place: str) -> pd.DataFrame:
    """The subject's events (clusters or reports) and the sources reporting each: unit, source, period, conflict.

    A cluster is dated and classed by its representative (units_sql.collapse_sql) and counts for every source with a
    report of it. ``sides`` narrows the reports to the dyad; ``place`` (a country's action place) keeps the clusters
    whose representative is placed there (place_series' rule)."""
    engine = engine_for(target)
    period = f"CAST(date_trunc('{freq}', event_date) AS DATE)"
    if where.unit == "reports" or not clustered(target):
        return engine.df(f"""
            SELECT event_id AS unit, source, {period} AS period, CASE WHEN quad_class = 4 THEN 1 ELSE 0 END AS conflict
            FROM events WHERE {where.where()} AND {sides} AND {place or 'TRUE'}""")
    units = unit_rows(target, where, sides, touching=place)
    key = "coalesce(c.cluster_id, e.event_id)"
    return engine.df(f"""
        WITH u AS (SELECT cluster_id, {period} AS period, CASE WHEN quad_class = 4 THEN 1 ELSE 0 END AS conflict
                   FROM {units} AS x WHERE {place or 'TRUE'}),
        s AS (SELECT DISTINCT {key} AS cluster_id, e.source FROM events AS e
              LEFT JOIN clusters AS c ON c.event_id = e.event_id
              WHERE {replace(where, unit='reports', min_sources=1).where()} AND {sides}
                AND {key} IN (SELECT cluster_id FROM u))
        SELECT u.cluster_id AS unit, s.source, u.period, u.conflict FROM u JOIN s ON s.cluster_id = u.cluster_id""")


def source_presence(target: Store | Engine, freq: str, where: EventFilter) -> pd.DataFrame:
    """Per source and period: whether it holds any event (reports meeting ``where``)."""
    return engine_for(target).df(f"""
        SELECT source, CAST(date_trunc('{freq}', event_date) AS DATE) AS period, count(*) AS reports
        FROM events WHERE {replace(where, unit='reports', min_sources=1).where()} GROUP BY ALL""")


def _sources(periods: pd.Series, presence: pd.DataFrame, units: pd.DataFrame) -> Sources:
    """The ``Sources`` matrices over ``periods`` from the queries' rows (one row per event and source)."""
    presence, units = presence.dropna(subset=["source"]), units.dropna(subset=["source"])
    names = sorted(set(presence["source"]) | set(units["source"]))
    index = pd.DatetimeIndex(pd.to_datetime(periods))
    source_of = {s: i for i, s in enumerate(names)}
    present = np.zeros((len(names), len(index)), bool)
    present[presence["source"].map(source_of).to_numpy(int), index.get_indexer(pd.DatetimeIndex(presence["period"]))] = True
    s_at = units["source"].map(source_of).to_numpy(int)
    t_at = index.get_indexer(pd.DatetimeIndex(units["period"]))
    reported = np.zeros_like(present)
    reported[s_at, t_at] = True
    conflict = np.zeros(present.shape, int)
    np.add.at(conflict, (s_at, t_at), units["conflict"].to_numpy(int))
    # each conflict event's sources as a bit mask (rows are distinct per event and source, so the sum is the or)
    fight = units["conflict"].to_numpy(int) > 0
    fights = pd.DataFrame({"unit": units["unit"].to_numpy()[fight], "t": t_at[fight],
                           "bit": pd.Series([1 << int(s) for s in s_at[fight]], dtype=object)})
    masks = fights.groupby("unit", sort=False).agg(t=("t", "first"), mask=("bit", "sum"))
    by_period = {int(str(t)): list(group) for t, group in masks.groupby("t")["mask"]}

    def tested(t: int, chosen: list[int]) -> int:
        wanted = sum(1 << s for s in chosen)
        return sum(1 for mask in by_period.get(t, []) if mask & wanted)

    return Sources(present | reported, np.maximum.accumulate(reported, axis=1), conflict, tested)


def flareups(target: Store | Engine, a: str | Sequence[str] | None = None, b: str | Sequence[str] | None = None, *,
             country: str | None = None, freq: str = "week", where: EventFilter | None = None, baseline: int = 26,
             level: float = 0.99, min_events: int = 3) -> pd.DataFrame:
    """Flare-ups on the dyad a–b or in ``country``, period by period (see module docstring).

    Columns: period, conflict_events (all sources), coverage (events of any kind in the store), sources (sources
    with events in the period), untested (conflict events only sources without a history of the subject report),
    history, expected, p_value, flare_up, first_detection.

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
        sides, place = "TRUE", f"action_geo_country IN {sql_in(resolve(country))}"
        units = source_units(target, freq, wide, sides, place)
        # place_series' counts, from the rows already read (collapsing the country's clusters twice costs double)
        fights = units[units["conflict"].to_numpy(int) > 0].groupby("period")["unit"].nunique()
        series = complete_periods(pd.DataFrame({"period": pd.to_datetime(fights.index),
                                                "conflict_events": fights.to_numpy()}), freq, wide)
    else:
        # Month-dated reports still count on their month's 1st here, as every per-source count below does (a weekly
        # test without them is a change of method not yet made: docs/methods.md, "Dates known to a month").
        series = dyad_series(target, a, b, freq=freq, where=wide, apart=False)[["period", "conflict_events"]]  # type: ignore[arg-type]
        units = source_units(target, freq, wide, between(resolve(a), resolve(b)), "")  # type: ignore[arg-type]
    presence = source_presence(target, freq, wide)
    presence["period"] = pd.to_datetime(presence["period"])  # the same type from every engine
    series = series.merge(volume(target, freq=freq, where=wide), on="period", how="outer")
    series = series.merge(presence[["period"]].drop_duplicates(), on="period", how="outer").sort_values("period")
    series = series.reset_index(drop=True)
    series["conflict_events"] = series["conflict_events"].fillna(0).astype(int)
    series["coverage"] = series["coverage"].fillna(0).astype(float)
    first = 0
    if where.start is not None:
        ends = pd.to_datetime(series["period"]) + pd.tseries.frequencies.to_offset(PANDAS_FREQ[freq])
        inside = (ends > pd.Timestamp(where.start)).to_numpy()
        first = int(np.argmax(inside)) if inside.any() else len(series)
    sources = _sources(series["period"], presence, units)
    assessed = assess(sources, baseline=baseline, level=level, min_events=min_events)
    series = series.assign(sources=sources.present.sum(axis=0),
                           untested=series["conflict_events"].to_numpy() - assessed["tested"])
    series.loc[np.isnan(assessed["p_value"]), "untested"] = series["conflict_events"]
    found = _flags(series, assessed, first).iloc[first:].reset_index(drop=True)
    if found.sources.gt(0).any() and found.p_value.isna().all():
        raise InputError(_too_short(series, first, baseline, freq))
    return found


def _too_short(series: pd.DataFrame, first: int, baseline: int, freq: str) -> str:
    """Why no period could be tested, and an option that makes one testable."""
    data = series["sources"].to_numpy() > 0
    before, within = int(data[:first].sum()), int(data[first:].sum())
    needed = min(baseline, MIN_HISTORY)
    if before + within > needed:  # some period of the window has the store's history, not its sources'
        return (f"no source in the store reported this subject in {needed} {freq}s with events before a {freq} of the "
                f"window (a source's history of a dyad or country begins with its first event of it), so none of the "
                f"window's {int(series['conflict_events'].iloc[first:].sum())} conflict events can be tested: they come "
                "from sources that have only begun to cover it")
    hint = f"use --baseline {before}" if before >= MIN_BASELINE else f"use a finer --freq than {freq}"
    return (f"the store holds events in {before} {freq}s before --from and {within} in the window; flare-up "
            f"detection compares each {freq} with the {baseline} {freq}s with events before it and needs at least "
            f"{needed} ({hint})")
