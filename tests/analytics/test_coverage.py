"""Periods no stored source covers are told apart from periods of zero events (analytics/coverage.py)."""

from __future__ import annotations

import pandas as pd

from geodrift.analytics.coverage import spans, uncovered
from geodrift.analytics.dyads import dyad_series
from geodrift.query import EventFilter
from geodrift.store import Store


def test_months_without_any_event_of_either_country_are_uncovered(caucasus_store: Store) -> None:
    """ARM–AZE in the GDELT Georgia extract (2011 to May 2013) and the curated 2020 events: the years between hold no
    report of either country, so they are no data; July 2020 (the Tavush fighting) is covered."""
    series = dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=EventFilter())
    gaps = uncovered(caucasus_store, ["ARM", "AZE"], series.period)
    months = pd.to_datetime(series.period).dt.strftime("%Y-%m")
    expected = {m for (m,) in caucasus_store.con.execute(
        "SELECT DISTINCT strftime(event_date, '%Y-%m') FROM events WHERE actor1_country IN ('ARM', 'AZE') "
        "OR actor2_country IN ('ARM', 'AZE')").fetchall()}
    assert set(months[~gaps.to_numpy()]) == expected & set(months)
    assert not gaps[months.eq("2020-07").to_numpy()].any() and gaps[months.eq("2016-12").to_numpy()].all()
    assert series.events[gaps.to_numpy()].sum() == 0  # nothing counted where nothing is stored
    weekly = dyad_series(caucasus_store, "ARM", "AZE", freq="week",
                         where=EventFilter(start="2020-01-20", end="2020-07-25"))
    assert uncovered(caucasus_store, ["ARM", "AZE"], weekly.period).iloc[:5].all()


def test_runs_of_uncovered_periods_are_shaded_as_one_span() -> None:
    periods = pd.Series(pd.date_range("2020-01-01", periods=6, freq="MS"))
    gaps = pd.Series([False, True, True, False, True, True])
    assert spans(periods, gaps) == [(pd.Timestamp("2020-02-01"), pd.Timestamp("2020-04-01")),
                                    (pd.Timestamp("2020-05-01"), pd.Timestamp("2020-07-01"))]
