import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from geodrift.analytics.dyads import dyad_categories, dyad_series
from geodrift.errors import InputError
from geodrift.query import EventFilter, resolve
from geodrift.store import Store

SUMMER = EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1))


def test_resolve_countries_groups_and_errors() -> None:
    assert resolve("aze") == ("AZE",) and resolve("Azerbaijan,TUR") == ("AZE", "TUR")
    assert "TUR" in resolve("NATO") and "ARM" in resolve("CSTO")
    with pytest.raises(InputError, match="unknown country or group 'XYZ'"):
        resolve("XYZ")


def test_dyad_series_counts_match_a_direct_query(caucasus_store: Store) -> None:
    frame = dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=replace(SUMMER, unit="reports"))
    assert list(frame.period.dt.month) == [6, 7, 8, 9, 10, 11, 12]
    direct = caucasus_store.df(
        "SELECT count(*) AS n FROM events WHERE event_date >= '2020-07-01' AND event_date < '2020-08-01' "
        "AND coalesce(modality, 'actual') = 'actual' AND ((actor1_country = 'ARM' AND actor2_country = 'AZE') "
        "OR (actor1_country = 'AZE' AND actor2_country = 'ARM'))").n[0]
    july = frame[frame.period.dt.month == 7].iloc[0]
    assert july.events == direct and july.q4 > july.q1  # the Tovuz fighting
    assert july.q1 + july.q2 + july.q3 + july.q4 == july.weight
    assert 0 < july.share <= 1 and july.coverage >= july.weight
    clusters = dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=SUMMER)
    july_clusters = clusters[clusters.period.dt.month == 7].iloc[0]
    assert july_clusters.events == caucasus_store.df(
        "SELECT count(*) AS n FROM cluster_summary WHERE first_date >= '2020-07-01' AND first_date < '2020-08-01' "
        "AND modality = 'actual' AND least(side_a, side_b) = 'ARM' AND greatest(side_a, side_b) = 'AZE'").n[0]
    assert july_clusters.events < july.events and july_clusters.q4 > july_clusters.q1


def test_directed_and_modality_filters(caucasus_store: Store) -> None:
    both = dyad_series(caucasus_store, "AZE", "TUR", where=SUMMER).events.sum()
    one_way = dyad_series(caucasus_store, "AZE", "TUR", directed=True, where=SUMMER).events.sum()
    announced = dyad_series(caucasus_store, "AZE", "TUR", where=EventFilter(
        start=SUMMER.start, end=SUMMER.end, modalities=("announced",))).events.sum()
    assert 0 < one_way < both and announced > 0


def test_categories_and_bad_input(caucasus_store: Store) -> None:
    cats = dyad_categories(caucasus_store, "AZE", "TUR", where=SUMMER)
    assert "COOPERATE" in set(cats.category)
    with pytest.raises(InputError, match="empty date range"):
        EventFilter(start=dt.date(2021, 1, 1), end=dt.date(2020, 1, 1))
    with pytest.raises(InputError, match="unknown frequency"):
        dyad_series(caucasus_store, "AZE", "TUR", freq="fortnight")
    with pytest.raises(InputError, match="unknown actor role"):
        EventFilter(roles=("KING",))


@pytest.mark.parametrize("where", [SUMMER, EventFilter(), EventFilter(modalities=("actual", "announced"))])
@pytest.mark.parametrize("freq", ["day", "week", "month"])
def test_aggregates_answer_exactly_like_raw_events(caucasus_store: Store, where: EventFilter, freq: str) -> None:
    from geodrift.analytics.engine import DuckDBEngine

    for a, b in (("ARM", "AZE"), ("AZE", "NATO"), ("GEO", "RUS")):
        fast = dyad_series(caucasus_store, a, b, freq=freq, where=where)
        raw = dyad_series(DuckDBEngine(caucasus_store), a, b, freq=freq, where=where)
        pd.testing.assert_frame_equal(fast, raw, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize("unit", ["clusters", "reports"])
def test_goldstein_sum_is_the_weighted_sum_the_mean_divides(caucasus_store: Store, unit: str) -> None:
    """The reader's M6: ARM–AZE November 2020 showed goldstein_mean +1.1 beside goldstein_sum -17.6 over weight 24
    (the sum was unweighted, and by clusters summed the same values as by reports). One definition per unit:
    goldstein_sum = Σ Goldstein × weight = goldstein_mean × weight, on the rollups and on the filtered SQL path."""
    where = replace(SUMMER, unit=unit)
    for frame in (dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=where),
                  dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=replace(where, quad_classes=(1, 2, 3, 4))),
                  dyad_series(caucasus_store, "AZE", "RUS", freq="year", where=where)):
        has = frame.weight > 0
        assert has.any()
        assert (frame.goldstein_sum[has] - frame.goldstein_mean[has] * frame.weight[has]).abs().max() < 1e-9
    november = dyad_series(caucasus_store, "ARM", "AZE", freq="month", where=where).set_index("period").loc["2020-11-01"]
    assert november.goldstein_sum > 0 if november.goldstein_mean > 0 else november.goldstein_sum <= 0
