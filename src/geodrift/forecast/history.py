"""What the forecasts learn from: daily event counts per unit, each with the day it became known.

A count's ``known`` day is its report's knowledge time (units_sql.KNOWN_AT: GDELT's DATEADDED, a curated page's
publication date, the end of the month for a month-precision date; never before the event itself unless the report
announces a future event). Every feature at an origin t uses only counts known before t; the labels a model trains
on at t are also limited to what was known at t. That is the whole defence against leakage, and
backtest.check_no_leakage tests it.

Counted by cluster (the default unit), an event counts once, with the day, sides and quad class of its
*earliest-known* report and that report's knowledge time. Which reports form one cluster can change with a later
report (one that bridges two earlier clusters), so a forecast as of a past day reads ``known_then``: the reports
known before that day, clustered afresh (docs/methods.md, "Knowledge time").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from geodrift.analytics.engine import Engine, engine_for
from geodrift.cluster_units import clusters_state
from geodrift.clustering import update_clusters
from geodrift.errors import InputError
from geodrift.events import EVENT_SCHEMA
from geodrift.query import EventFilter, sql_in
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

_COPY = "as known then"

LEVELS = ("country", "dyad")


@dataclass(frozen=True)
class History:
    """Daily counts: ``counts`` has unit, day, known (datetime64[ns]), conflict, events; ``volume`` has day,
    known, events for the whole store (the coverage offset: how much news there was at all)."""

    counts: pd.DataFrame
    volume: pd.DataFrame

    @property
    def units(self) -> list[str]:
        return sorted(self.counts.unit.unique())

    @property
    def first_day(self) -> pd.Timestamp:
        return pd.Timestamp(self.counts.day.min())

    @property
    def last_day(self) -> pd.Timestamp:
        return pd.Timestamp(self.counts.day.max())

    def known_before(self, when: pd.Timestamp) -> History:
        """The history as it stood just before ``when`` (a physical cut, used to test for leakage)."""
        return History(self.counts[self.counts.known < when].reset_index(drop=True),
                       self.volume[self.volume.known < when].reset_index(drop=True))


def unit_of(a: str, b: str | None = None) -> str:
    """A unit's name: 'ARM' for a country, 'ARM-AZE' (sorted) for a dyad."""
    return a if b is None else "-".join(sorted((a, b)))


def load_history(target: Store | Engine, *, level: str = "country", units: list[str] | None = None,
                 where: EventFilter | None = None, reported_within: int | None = None) -> History:
    """Daily counts per country (events it took part in) or per dyad (unordered pair) from the store.

    ``reported_within`` replaces the recorded date_added by event_date + that many days, for archives whose
    date_added is when a backfile was made, not when the news was known (GDELT 1.0 before April 2013 says
    February 2013 for events of 2011): an explicit assumption, off by default.
    """
    if level not in LEVELS:
        raise InputError(f"unknown level {level!r}; use {' or '.join(LEVELS)}")
    if reported_within is not None and reported_within < 0:
        raise InputError("--reported-within must be 0 or more days")
    where = where or EventFilter()
    engine = engine_for(target)
    known = known_sql(reported_within)
    clustered = where.unit == "clusters" and (clusters_state(target) != "none" if isinstance(target, Store)
                                              else engine.has_table("clusters"))
    cluster = "coalesce(c.cluster_id, e.event_id)" if clustered else "e.event_id"
    join = "LEFT JOIN clusters AS c ON c.event_id = e.event_id" if clustered else ""
    reports = f"""SELECT e.event_date, e.event_id, e.actor1_country, e.actor2_country, e.quad_class,
                         CAST({known} AS DATE) AS known, {cluster} AS cluster_id
                  FROM events AS e {join} WHERE {where.where()} AND e.event_date IS NOT NULL"""
    if clustered:  # one row per cluster: its earliest-known report
        reports = f"""SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY cluster_id
                                                                   ORDER BY known, event_date, event_id) AS k
                                     FROM ({reports}) AS r) AS ranked WHERE k = 1"""
    base = f"""SELECT event_date AS day, known, actor1_country AS a, actor2_country AS b, quad_class
               FROM ({reports}) AS u"""
    if level == "country":
        unit_sql = f"""SELECT day, known, a AS unit, quad_class FROM ({base}) WHERE a IS NOT NULL
                       UNION ALL
                       SELECT day, known, b, quad_class FROM ({base}) WHERE b IS NOT NULL AND b <> coalesce(a, '')"""
    else:
        unit_sql = f"""SELECT day, known, least(a, b) || '-' || greatest(a, b) AS unit, quad_class FROM ({base})
                       WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b"""
    chosen = f"WHERE unit IN {sql_in(units)}" if units else ""
    counts = engine.df(f"""SELECT unit, day, known, count(*) FILTER (WHERE quad_class = 4) AS conflict,
                                  count(*) AS events
                           FROM ({unit_sql}) {chosen} GROUP BY ALL ORDER BY day, unit""")
    volume = engine.df(f"SELECT day, known, count(*) AS events FROM ({base}) GROUP BY ALL ORDER BY day")
    if counts.empty:
        raise InputError(f"no events for {', '.join(units) if units else 'any unit'} in the store: nothing to forecast")
    for frame in (counts, volume):
        frame["day"] = pd.to_datetime(frame["day"]).astype("datetime64[ns]")
        frame["known"] = pd.to_datetime(frame["known"]).astype("datetime64[ns]")
    counts[["conflict", "events"]] = counts[["conflict", "events"]].astype(np.int64)
    return History(counts, volume)


def known_sql(reported_within: int | None) -> str:
    """A report's knowledge time: KNOWN_AT, or its event day plus ``reported_within`` days (``load_history``)."""
    return f"event_date + INTERVAL {int(reported_within)} DAY" if reported_within is not None else KNOWN_AT


def known_then(store: Store, when: pd.Timestamp, where: EventFilter, reported_within: int | None = None) -> Store:
    """``store`` itself when every report of ``where`` was known before ``when`` (a forecast as of now), else an
    in-memory store of the reports of ``where`` known before ``when``, clustered afresh: cluster membership then
    depends only on what was known, as the pool, the features and the model choice must (attacker F8)."""
    known = f"CAST({known_sql(reported_within)} AS DATE) < DATE '{when.date().isoformat()}'"
    if not store.df(f"SELECT 1 FROM events AS e WHERE {where.where()} AND NOT ({known}) LIMIT 1").shape[0]:
        return store
    copy = Store(":memory:")
    rows = store.arrow(f"SELECT * EXCLUDE (file_id) FROM events AS e WHERE {where.where()} AND {known}")
    copy.append_file(fmt=_COPY, location=f"{store.path} {_COPY} {when.date()}", checksum=_COPY, size=None,
                     batches=rows.cast(EVENT_SCHEMA).to_batches(), rejected=[])
    update_clusters(copy)
    return copy


def backfill_hint(history: History, reported_within: int | None) -> str:
    """Why a backtest found nothing to train on when most events were known long after they happened (a backfilled
    archive: GDELT 1.0 dates its 2011-13 events by the backfile of February-April 2013), and what to pass; "" else."""
    if reported_within is not None or history.counts.empty:
        return ""
    lag = (history.counts.known - history.counts.day).dt.days
    weights = history.counts.events
    late = float(weights[lag > 30].sum() / weights.sum())
    median = int(np.median(np.repeat(lag.to_numpy(), weights.to_numpy())))
    if late < 0.5:
        return ""
    return (f": {late:.0%} of these events were first known (date_added) over 30 days after they happened (median "
            f"{median} days), as in a backfilled archive (GDELT 1.0 dates its events before "
            "April 2013 by the backfile), so no origin saw enough of them; pass --reported-within N to assume each "
            "event was known N days after it happened (e.g. --reported-within 1)")
