"""The dyad series from the rollups (numpy sums over two narrow reads) answers as the events themselves do, for
every period length, direction, group and range, and its period arithmetic is DuckDB's and pandas'."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest

from geodrift.analytics.dyads import dyad_series
from geodrift.analytics.engine import DuckDBEngine
from geodrift.query import PANDAS_FREQ, EventFilter, period_range, periods_of
from geodrift.store import Store

FREQS = ["day", "week", "month", "quarter", "year"]


@pytest.mark.parametrize("freq", FREQS)
def test_periods_are_duckdbs_date_trunc(freq: str) -> None:
    days = np.arange(np.datetime64("1999-11-20"), np.datetime64("2021-03-09"), 3)
    expected = duckdb.sql(f"SELECT CAST(date_trunc('{freq}', d) AS DATE) AS p FROM "
                          "unnest(generate_series(DATE '1999-11-20', DATE '2021-03-08', INTERVAL 3 DAY)) AS t(d)"
                          ).fetchnumpy()["p"]
    assert (periods_of(days, freq) == np.asarray(expected).astype("datetime64[D]")).all()


@pytest.mark.parametrize("freq", FREQS)
@pytest.mark.parametrize(("first", "last"), [("2019-12-31", "2021-02-28"), ("2020-01-01", "2020-01-01"),
                                             ("2020-03-18", "2020-03-02")])
def test_period_range_is_pandas_date_range_from_the_first_period(freq: str, first: str, last: str) -> None:
    start = pd.Timestamp(periods_of(np.array([np.datetime64(first)]), freq)[0])
    expected = pd.date_range(start, pd.Timestamp(last), freq=PANDAS_FREQ[freq]).to_numpy().astype("datetime64[D]")
    assert (period_range(np.datetime64(first), np.datetime64(last), freq) == expected).all()


@pytest.mark.parametrize("freq", FREQS)
@pytest.mark.parametrize(("a", "b", "directed"), [("ARM", "AZE", True), ("AZE", "NATO", False),
                                                  (("ARM", "GEO"), ("AZE", "GEO"), False), ("RUS", "GEO", True)])
def test_rollup_series_equal_the_events_series(caucasus_store: Store, freq: str, a: str, b: str,
                                               directed: bool) -> None:
    counted = []
    for where in (EventFilter(unit="reports"),
                  EventFilter(start=dt.date(2020, 3, 17), end=dt.date(2021, 1, 1), unit="reports",
                              modalities=("actual", "announced"))):
        fast = dyad_series(caucasus_store, a, b, freq=freq, where=where, directed=directed)
        raw = dyad_series(DuckDBEngine(caucasus_store), a, b, freq=freq, where=where, directed=directed)
        pd.testing.assert_frame_equal(fast, raw, check_exact=False, rtol=1e-9)
        counted.append(fast.events.sum())
    assert counted[0] > 0


def test_a_range_without_events_is_all_zero_periods(caucasus_store: Store) -> None:
    where = EventFilter(start=dt.date(1990, 5, 3), end=dt.date(1991, 5, 3), unit="reports")
    frame = dyad_series(caucasus_store, "ARM", "AZE", freq="quarter", where=where)
    assert list(frame.period.dt.strftime("%Y-%m-%d")) == ["1990-04-01", "1990-07-01", "1990-10-01", "1991-01-01",
                                                          "1991-04-01"]
    assert (frame.events == 0).all() and frame.share.isna().all() and frame.period.dtype == "datetime64[us]"
