"""Measures of a few countries collapse only those countries' clusters (query.EventFilter.rows ``sides`` and
``touching``): on the curated Caucasus set and the Georgia GDELT rows they answer exactly as collapsing every
cluster of the store and then picking the countries does, for the flagship pairs, the violence family and a
GDELT-only pair; and the clustering rule keeps what makes that exact, one unordered pair per cluster."""

from __future__ import annotations

import datetime as dt
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
def collapse_all(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], Any]], Any]:
    """Runs a measure as it was before narrowing: every cluster of the store collapsed, the countries picked after."""
    def run(measure: Callable[[], Any]) -> Any:
        rows = EventFilter.rows
        with monkeypatch.context() as patch:
            patch.setattr(EventFilter, "rows", lambda self, clustered=True, sides="TRUE", touching="":
                          rows(self, clustered))
            return measure()
    return run


def _same(new: pd.DataFrame, old: pd.DataFrame, keys: list[str]) -> None:
    sort = [k for k in keys if k in new.columns]
    pd.testing.assert_frame_equal(new.sort_values(sort).reset_index(drop=True),
                                  old.sort_values(sort).reset_index(drop=True), check_exact=False, rtol=1e-12)


def test_every_cluster_holds_one_unordered_pair(caucasus_store: Store) -> None:
    """What makes narrowing by sides exact: every report of a cluster names the same two countries (either order)."""
    spanning, clusters = caucasus_store.con.execute("""
        SELECT count(*) FILTER (WHERE pairs > 1), count(*) FROM (
            SELECT c.cluster_id, count(DISTINCT least(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))
                   || greatest(coalesce(actor1_country, '-'), coalesce(actor2_country, '-'))) AS pairs
            FROM clusters AS c JOIN events USING (event_id) GROUP BY c.cluster_id)""").fetchall()[0]
    assert clusters > 10_000 and spanning == 0


def test_dyad_measures_read_as_collapsing_every_cluster(caucasus_store: Store, collapse_all: Any) -> None:
    engine = DuckDBEngine(caucasus_store)  # the engine path: the series collapses clusters on read
    compared = 0
    for a, b in PAIRS:
        for where in FILTERS:
            new = dyad_series(engine, a, b, where=where, freq="week")
            _same(new, collapse_all(lambda: dyad_series(engine, a, b, where=where, freq="week")), ["period"])
            compared += int(new.events.sum())
            directed = dyad_series(engine, a, b, where=where, directed=True)
            _same(directed, collapse_all(lambda: dyad_series(engine, a, b, where=where, directed=True)), ["period"])
            events = dyad_events(caucasus_store, a, b, where=where)
            _same(events, collapse_all(lambda: dyad_events(caucasus_store, a, b, where=where)), ["event_id"])
            cats = dyad_categories(caucasus_store, a, b, where=where)
            _same(cats, collapse_all(lambda: dyad_categories(caucasus_store, a, b, where=where)),
                  ["period", "category"])
    assert compared > 1_000  # real counts were compared, not empty frames
    countries = ["ARM", "AZE", "GEO", "RUS", "TUR", "IRN"]
    quads = dyad_quad_counts(caucasus_store, countries)
    assert len(quads) > 50
    _same(quads, collapse_all(lambda: dyad_quad_counts(caucasus_store, countries)), ["dyad", "period"])
    where = EventFilter(sources=("curated",))  # not a rollup's filter: collapsed on read
    matrix = dyad_matrix(caucasus_store, countries, where=where)
    pd.testing.assert_frame_equal(matrix, collapse_all(lambda: dyad_matrix(caucasus_store, countries, where=where)))


@pytest.mark.parametrize(("swing", "pole_a", "pole_b"), [("AZE", "RUS", "TUR"), ("GEO", "RUS", "USA"),
                                                         ("ARM", "RUS", "AZE")])
def test_alignment_and_affinity_read_as_collapsing_every_cluster(caucasus_store: Store, collapse_all: Any,
                                                                 swing: str, pole_a: str, pole_b: str) -> None:
    for where in FILTERS[:3]:
        events = alignment_events(caucasus_store, swing, pole_a, pole_b, where=where)
        _same(events, collapse_all(lambda: alignment_events(caucasus_store, swing, pole_a, pole_b, where=where)),
              ["event_id"])
        affinity = profile_affinity(caucasus_store, swing, pole_a, pole_b, where=where)
        _same(affinity, collapse_all(lambda: profile_affinity(caucasus_store, swing, pole_a, pole_b, where=where)),
              ["period"])
    assert len(alignment_events(caucasus_store, swing, pole_a, pole_b)) > 5


@pytest.mark.parametrize("country", ["AZE", "ARM", "GEO"])
def test_place_series_reads_as_collapsing_every_cluster(caucasus_store: Store, collapse_all: Any, country: str) -> None:
    """A cluster's reports can be placed in different countries (an unplaced report joins the day's largest atom),
    so a place keeps the clusters with any report there and the representative's place decides, as before."""
    for where in (EventFilter(), EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 12, 1))):
        new = place_series(caucasus_store, country, where=where)
        assert where.start or new.conflict_events.sum() > 0
        _same(new, collapse_all(lambda: place_series(caucasus_store, country, where=where)), ["period"])
