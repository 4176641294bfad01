"""Which periods of a series no stored source covers, so a chart draws them as "no data" and not as zero events.

A period counts as uncovered for some countries when the store holds no event at all involving any of them in it
(any source, pair or modality): a month without a single report about Armenia or Azerbaijan says the store was
blind then (the GDELT extract ended, ICEWS held one month), not that the two were at peace. Read from the
country-day aggregates when the store keeps them (a few rows a day), else from the events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.query import either_side, sql_in
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT


def uncovered(target: Store | Engine, countries: Sequence[str], periods: pd.Series | Sequence[object], *,
              known_by: dt.date | None = None) -> pd.Series:
    """For each period start of a regular series (sorted), whether no stored event involves any of ``countries``
    from that start to the next (the last period spans as long as the one before it); with ``known_by``, no event
    reported by that day (a week whose reports all came later was no data on that day)."""
    starts = pd.to_datetime(pd.Series(list(periods), dtype="object")).reset_index(drop=True)
    if starts.empty:
        return pd.Series([], dtype=bool)
    bounds = np.array([*starts, _after(list(starts))], dtype="datetime64[ns]")
    engine = engine_for(target)
    lo, hi = (pd.Timestamp(b).date().isoformat() for b in (bounds[0], bounds[-1]))
    inside = f"event_date >= DATE '{lo}' AND event_date < DATE '{hi}'"
    if known_by is None and engine.has_table("country_days"):
        sql = f"SELECT DISTINCT event_date FROM country_days WHERE country IN {sql_in(countries)} AND {inside}"
    else:  # the aggregates hold no knowledge time: a day known by then is read from the reports
        known = f" AND CAST({KNOWN_AT} AS DATE) <= DATE '{known_by.isoformat()}'" if known_by else ""
        sql = f"SELECT DISTINCT event_date FROM events WHERE {either_side(countries)} AND {inside}{known}"
    days = pd.to_datetime(engine.df(sql)["event_date"]).to_numpy(dtype="datetime64[ns]")
    slots = np.searchsorted(bounds, days, side="right") - 1
    seen = np.zeros(len(starts), dtype=bool)
    seen[slots[(slots >= 0) & (slots < len(starts))]] = True
    return pd.Series(~seen, index=range(len(starts)), name="uncovered")


def spans(periods: pd.Series | Sequence[object], gaps: pd.Series) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The runs of uncovered periods as (first start, end of the last) pairs: what a chart shades."""
    starts = list(pd.to_datetime(pd.Series(list(periods), dtype="object")))
    if not starts:
        return []
    ends = [*starts[1:], _after(starts)]
    runs: list[tuple[pd.Timestamp, pd.Timestamp]] = []
    for start, end, gap in zip(starts, ends, list(gaps), strict=True):
        if not gap:
            continue
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def _after(starts: list[pd.Timestamp]) -> pd.Timestamp:
    """Where the last period ends: a calendar step after a series of month, quarter or year starts (a month after
    the last, not 31 days), else the last gap between starts, else a month."""
    if len(starts) < 2:
        return pd.Timestamp(starts[-1] + pd.DateOffset(months=1))
    last, before = starts[-1], starts[-2]
    months = (last.year - before.year) * 12 + last.month - before.month
    if last.day == before.day == 1 and months >= 1:
        return pd.Timestamp(last + pd.DateOffset(months=months))
    return pd.Timestamp(last + (last - before))
