"""Event pages read date windows over the date-ordered events: following the cursors gives exactly the rows of
one ORDER BY over everything, in both orders, with and without filters and date bounds."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from geodrift.analytics.listings import EVENT_COLUMNS, _windows, event_page, event_records
from geodrift.query import EventFilter
from geodrift.store import Store

ALL = ("actual", "announced", "threatened", "negated", "hypothetical")


def _pages(store: Store, where: EventFilter, limit: int, sort: str) -> list[str]:
    seen: list[str] = []
    cursor = None
    while True:
        frame, cursor = event_page(store, where, limit, cursor, sort)
        seen += list(frame.event_id)
        if cursor is None:
            return seen


@pytest.mark.parametrize("sort", ["oldest", "newest"])
@pytest.mark.parametrize("where", [
    EventFilter(modalities=ALL),
    EventFilter(modalities=ALL, actors=("AZE",), start=dt.date(2012, 3, 1), end=dt.date(2013, 1, 15)),
    EventFilter(modalities=ALL, quad_classes=(4,), end=dt.date(2012, 1, 1)),
])
def test_pages_cover_every_matching_event_once_in_order(caucasus_store: Store, where: EventFilter,
                                                        sort: str) -> None:
    order = "" if sort == "oldest" else " DESC"
    expected = list(caucasus_store.df(f"SELECT event_id FROM events WHERE {where.where()} "
                                      f"ORDER BY event_date{order}, event_id{order}").event_id)
    assert len(expected) > 300
    assert _pages(caucasus_store, where, 97, sort) == expected


def test_a_page_reads_few_days_first_and_keeps_the_listing_columns(caucasus_store: Store) -> None:
    windows = _windows(caucasus_store, EventFilter(), None, oldest=False)
    assert windows[0][1] - windows[0][0] == dt.timedelta(days=8)
    assert all(b[1] == a[0] for a, b in itertools.pairwise(windows))  # back to back, newest first
    frame, cursor = event_page(caucasus_store, EventFilter(modalities=ALL), 5, None, "newest")
    assert list(frame.columns) == EVENT_COLUMNS and len(frame) == 5 and cursor
    newest = caucasus_store.con.execute("SELECT max(event_date) FROM events").fetchall()[0][0]
    assert frame.event_date.iloc[0].date() == newest


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_records_are_the_page_without_pandas(caucasus_store: Store, sort: str) -> None:
    where = EventFilter(modalities=ALL, actors=("AZE",), start=dt.date(2012, 3, 1))
    cursor: str | None = None
    for _ in range(3):
        frame, after = event_page(caucasus_store, where, 41, cursor, sort)
        rows, cursor = event_records(caucasus_store, where, 41, cursor, sort)
        assert cursor == after and len(rows) == 41 and list(rows[0]) == EVENT_COLUMNS
        for row, expected in zip(rows, frame.to_dict("records"), strict=True):
            assert isinstance(row["event_date"], dt.date)
            assert {k: None if pd.isna(v) else v for k, v in row.items()} == {
                k: None if pd.isna(v) else (v.date() if k == "event_date" else v.to_pydatetime())
                if isinstance(v, pd.Timestamp) else v for k, v in expected.items()}
    assert event_records(caucasus_store, EventFilter(start=dt.date(1990, 1, 1), end=dt.date(1990, 2, 1)), 5) == ([], None)


def test_the_first_window_holds_about_two_pages_at_the_stores_rate(caucasus_store: Store) -> None:
    first, last, count = caucasus_store.con.execute(
        "SELECT min(event_date), max(event_date), count(*) FROM events").fetchall()[0]
    per_day = count / ((last - first).days + 1)
    for limit, days in ((1, max(1, -(-4 // per_day))), (1000, 8)):  # a dense page of one; a sparse page of 1000
        windows = _windows(caucasus_store, EventFilter(), None, True, limit)
        assert windows[0][1] - windows[0][0] == dt.timedelta(days=int(min(8, days)))
        assert windows[0][0] == first and windows[-1][1] == last + dt.timedelta(days=1)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(windows))
