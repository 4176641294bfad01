"""Event pages read date windows over the date-ordered events: following the cursors gives exactly the rows of
one ORDER BY over everything, in both orders, with and without filters and date bounds."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from geodrift.analytics.listings import (
    EVENT_COLUMNS,
    _windows,
    cluster_reports,
    country_partners,
    event_page,
    event_records,
    unit_page,
)
from geodrift.ingest import ingest_files
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


def _unit_pages(store: Store, where: EventFilter, limit: int, sort: str) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    cursor = None
    while True:
        frame, cursor = unit_page(store, where, limit, cursor, sort)
        seen += list(zip(frame.cluster_id, frame.event_id, strict=True))
        if cursor is None:
            return seen


@pytest.mark.parametrize("sort", ["oldest", "newest"])
def test_cluster_pages_cover_every_cluster_once_as_the_measures_count_them(caucasus_store: Store, sort: str) -> None:
    """The explorer's default unit: one row per cluster (its representative report on its first day), exactly the
    clusters the measures count for the same filter, paged in either order."""
    where = EventFilter(modalities=ALL, actors=("AZE",), start=dt.date(2020, 7, 1), end=dt.date(2020, 12, 1))
    order = "" if sort == "oldest" else " DESC"
    expected = list(caucasus_store.con.execute(f"SELECT cluster_id, event_id FROM {where.rows()} AS u "
                                               f"ORDER BY event_date{order}, event_id{order}").fetchall())
    reports = caucasus_store.con.execute(f"SELECT count(*) FROM events WHERE {where.where()}").fetchall()[0][0]
    assert 100 < len(expected) < reports and len({c for c, _ in expected}) == len(expected)
    assert _unit_pages(caucasus_store, where, 37, sort) == expected
    raw = _unit_pages(caucasus_store, replace(where, unit="reports"), 97, sort)
    assert len(raw) == reports


def test_a_listed_cluster_expands_to_its_reports(caucasus_store: Store) -> None:
    """The helicopter downing of 9 November 2020: one row, eight reports behind it (best-sourced first)."""
    where = EventFilter(modalities=ALL, actors=("RUS",), code_prefixes=("19",), start=dt.date(2020, 11, 9),
                        end=dt.date(2020, 11, 10))
    frame, _ = unit_page(caucasus_store, where, 50)
    downing = frame[(frame.actor1_country == "AZE") & (frame.actor2_country == "RUS")]
    assert len(downing) == 1 and int(downing.reports.iloc[0]) == 8 and int(downing.num_sources.iloc[0]) == 7
    behind = cluster_reports(caucasus_store, list(downing.cluster_id), per_cluster=5)
    assert len(behind) == 5 and set(behind.cluster_id) == set(downing.cluster_id)
    assert len(cluster_reports(caucasus_store, list(downing.cluster_id))) == 8


def test_partners_count_events_or_reports(caucasus_store: Store) -> None:
    clusters = country_partners(caucasus_store, "AZE").set_index("partner")
    reports = country_partners(caucasus_store, "AZE", unit="reports").set_index("partner")
    assert clusters.events["ARM"] < reports.events["ARM"]
    assert reports.events["ARM"] == caucasus_store.con.execute(
        "SELECT count(*) FROM events WHERE (actor1_country = 'AZE' AND actor2_country = 'ARM') "
        "OR (actor1_country = 'ARM' AND actor2_country = 'AZE')").fetchall()[0][0]


def test_a_store_not_yet_clustered_lists_each_report_as_its_own_event(tmp_path: Path) -> None:
    from tests.test_clustering import TOVUZ, record

    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(record(i, "2020-07-12", "ARM", "AZE", "190", place=TOVUZ)) + "\n"
                            for i in ("a", "b")), encoding="utf-8")
    store = Store(":memory:")
    ingest_files(store, [path])
    assert len(unit_page(store, EventFilter(modalities=ALL), 10)[0]) == 1  # one clash, two reports
    store.con.execute("DELETE FROM clusters; DELETE FROM cluster_units; "
                      "UPDATE meta SET value = '0' WHERE key = 'clustered_file_id'")
    frame, _ = unit_page(store, EventFilter(modalities=ALL), 10)
    assert list(frame.reports) == [1, 1] and list(frame.cluster_id) == list(frame.event_id)
    assert country_partners(store, "ARM").events.tolist() == [2]


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
