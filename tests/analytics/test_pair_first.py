"""Measures of a few countries collapse only those countries' clusters (query.EventFilter.rows ``sides`` and
``touching``; a coverage reads ``weights``, no representative report): on the curated Caucasus set and the Georgia
GDELT rows they answer exactly as collapsing every cluster of the store and then picking the countries does, for the
flagship pairs, the violence family and a GDELT-only pair; and the clustering rule keeps what makes that exact, one
unordered pair per cluster."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from geodrift.analytics.alignment import alignment_events, profile_affinity
from geodrift.analytics.dyads import dyad_categories, dyad_events, dyad_matrix, dyad_quad_counts, dyad_series
from geodrift.analytics.engine import DuckDBEngine
from geodrift.analytics.flareups import place_series
from geodrift.query import EventFilter
from geodrift.store import Store

PAIRS = [("AZE", "RUS"), ("AZE", "TUR"), ("ARM", "AZE"), ("GEO", "RUS"), ("RUS", "NATO")]
"""The flagship pairs, the 2020 war (violence family: 18x, 19x and 20x in either order, with non-state parties), a
pair only the Georgia GDELT rows hold, and a country against a group."""
FILTERS = [EventFilter(), EventFilter(start="2020-07-01", end="2020-11-01"),
           EventFilter(start="2011-01-01", end="2014-01-01", code_prefixes=("19", "18", "04")),
           EventFilter(modalities=("actual", "announced", "threatened"), sources=("curated", "gdelt1"))]


@pytest.fixture()
def same(monkeypatch: pytest.MonkeyPatch) -> Callable[..., pd.DataFrame]:
    """Runs a measure, and again as it was before narrowing (every cluster of the store collapsed, the countries
    picked after), asserts both answers are the same (sorted by ``keys``) and returns it."""
    def run(measure: Callable[..., pd.DataFrame], *args: Any, keys: list[str], **kwargs: Any) -> pd.DataFrame:
        new = measure(*args, **kwargs)
        rows = EventFilter.rows
        with monkeypatch.context() as patch:
            patch.setattr(EventFilter, "rows", lambda self, clustered=True, sides="TRUE", touching="":
                          rows(self, clustered))
            patch.setattr(EventFilter, "weights", lambda self, clustered=True, sides="TRUE": rows(self, clustered))
            old = measure(*args, **kwargs)
        sort = [k for k in keys if k in new.columns]
        pd.testing.assert_frame_equal(new.sort_values(sort).reset_index(drop=True),
                                      old.sort_values(sort).reset_index(drop=True), check_exact=False, rtol=1e-12)
        return new
    return run


def test_every_cluster_holds_one_unordered_pair(caucasus_store: Store) -> None:
    """What makes narrowing by sides exact: every report of a cluster names the same two countries (either order)."""
    spanning, clusters = caucasus_store.con.execute("""
        SELECT count(*) FILTER (WHERE pairs > 1), count(*) FROM (
            SELECT c.cluster_id, count(DISTINCT least(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))
                   || greatest(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))) AS pairs
            FROM clusters AS c JOIN events USING (event_id) GROUP BY c.cluster_id)""").fetchall()[0]
    assert clusters > 10_000 and spanning == 0


def _dyad_measures(store: Store, same: Any, cases: list[tuple[tuple[str, str], EventFilter]]) -> int:
    """The dyad measures of each pair under its filter, as collapsing every cluster gives them; the events compared."""
    engine = DuckDBEngine(store)  # the engine path: the series collapses clusters on read
    compared = 0
    for (a, b), where in cases:
        compared += int(same(dyad_series, engine, a, b, where=where, freq="week", keys=["period"]).events.sum())
        same(dyad_series, engine, a, b, where=where, directed=True, keys=["period"])
        same(dyad_events, store, a, b, where=where, keys=["event_id"])
        same(dyad_categories, store, a, b, where=where, keys=["period", "category"])
    return compared


@pytest.mark.long  # 20 pair-filter cases, about a minute; the test below runs each pair and each filter once
def test_dyad_measures_read_as_collapsing_every_cluster_for_every_filter(caucasus_store: Store, same: Any) -> None:
    assert _dyad_measures(caucasus_store, same, list(itertools.product(PAIRS, FILTERS))) > 1_000


def test_dyad_measures_read_as_collapsing_every_cluster(caucasus_store: Store, same: Any) -> None:
    # every pair, every filter; the country against a group twice, so that over a thousand events are compared
    cases = [*zip(PAIRS, itertools.cycle(FILTERS)), (PAIRS[-1], FILTERS[-1])]
    assert {id(where) for _, where in cases} == {id(where) for where in FILTERS}
    assert _dyad_measures(caucasus_store, same, cases) > 1_000  # real counts were compared, not empty frames
    countries = ["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"]
    assert len(same(dyad_quad_counts, caucasus_store, countries, keys=["dyad", "period"])) > 50
    # not a rollup's filter: collapsed on read
    matrix = same(dyad_matrix, caucasus_store, countries, where=EventFilter(sources=("curated",)), keys=[])
    assert matrix.notna().sum().sum() > 10


@pytest.mark.parametrize(("swing", "pole_a", "pole_b"), [("AZE", "RUS", "TUR"), ("GEO", "RUS", "USA"),
                                                         ("ARM", "RUS", "AZE")])
def test_alignment_and_affinity_read_as_collapsing_every_cluster(caucasus_store: Store, same: Any,
                                                                 swing: str, pole_a: str, pole_b: str) -> None:
    for where in FILTERS[:3]:
        same(alignment_events, caucasus_store, swing, pole_a, pole_b, where=where, keys=["event_id"])
        same(profile_affinity, caucasus_store, swing, pole_a, pole_b, where=where, keys=["period"])
    assert len(alignment_events(caucasus_store, swing, pole_a, pole_b)) > 5


@pytest.mark.parametrize("country", ["AZE", "ARM", "GEO"])
def test_place_series_reads_as_collapsing_every_cluster(caucasus_store: Store, same: Any, country: str) -> None:
    """A cluster's reports can be placed in different countries (an unplaced report joins the day's largest atom),
    so a place keeps the clusters with any report there and the representative's place decides, as before."""
    assert same(place_series, caucasus_store, country, keys=["period"]).conflict_events.sum() > 0
    same(place_series, caucasus_store, country, where=EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 12, 1)),
         keys=["period"])
