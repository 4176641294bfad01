import datetime as dt

import numpy as np
import pyarrow as pa
import pytest

from geodrift.analytics.alignment import alignment_series, shift_direction
from geodrift.analytics.shifts import alignment_drift
from geodrift.errors import InputError
from geodrift.events import EVENT_SCHEMA
from geodrift.query import EventFilter
from geodrift.store import Store


def test_flagship_azerbaijan_leans_toward_turkey_in_summer_2020(caucasus_store: Store) -> None:
    frame = alignment_series(caucasus_store, "AZE", "RUS", "TUR",
                             where=EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1)))
    july = frame[frame.period == "2020-07-01"].iloc[0]
    assert july.n_a > 0 and july.n_b > 0
    assert july.alignment > 0 and july.lo > 0, "July 2020: Baku's events with Ankara are warmer than with Moscow"
    known = frame.dropna(subset=["alignment", "lo"])  # lo is NaN where a resample cannot vary ("n too small")
    assert len(known) >= 4 and (known.lo <= known.alignment).all() and (known.alignment <= known.hi).all()
    assert (known.lo < known.hi).all()  # no zero-width interval
    assert np.isnan(frame[frame.period == "2020-06-01"].alignment.iloc[0])  # no events: unknown, not neutral


def test_a_month_without_events_with_a_pole_does_not_lean_toward_it(caucasus_store: Store) -> None:
    """November 2020: Baku's events are all with Moscow (the ceasefire, the helicopter shot down and the apology),
    none with Ankara; hostility toward Russia in that month is no evidence of a lean toward Turkey."""
    frame = alignment_series(caucasus_store, "AZE", "RUS", "TUR",
                             where=EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1)))
    november = frame[frame.period == "2020-11-01"].iloc[0]
    assert november.n_a >= 5 and november.n_b == 0 and november.g_a < 0
    assert november.alignment == 0.0
    assert november.lo < 0 and november.hi == 0.0  # resamples without the shoot-down lean toward Russia, none past 0
    one_sided = frame[(frame.n_b == 0) & (frame.n_a > 0)]
    assert len(one_sided) and (one_sided.alignment <= 0).all()


def test_poles_must_differ(caucasus_store: Store) -> None:
    with pytest.raises(InputError, match="different countries"):
        alignment_series(caucasus_store, "AZE", "AZE", "TUR")


def _events(rows: list[tuple[str, str, float]]) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([
        {"event_id": f"t:{i}", "source": "t", "event_date": dt.date(2020, 3, 1), "actor1_country": x,
         "actor2_country": c, "event_code": "042", "quad_class": 1, "goldstein": g, "num_sources": 1}
        for i, (x, c, g) in enumerate(rows)], schema=EVENT_SCHEMA)


def test_profile_affinity_sees_a_portfolio_that_copies_one_pole() -> None:
    from geodrift.analytics.alignment import profile_affinity

    thirds = {"FRA": 5.0, "IRN": -6.0, "CHN": 2.0, "ISR": -3.0, "IND": 1.0}
    rows = []
    for c, g in thirds.items():
        rows += [("AZE", c, g), ("AZE", c, g), ("TUR", c, g), ("TUR", c, g + 0.5), ("RUS", c, -g), ("RUS", c, -g)]
    with Store() as store:
        store.append_file(fmt="t", location="t", checksum="t", size=None, batches=[_events(rows)], rejected=[])
        frame = profile_affinity(store, "AZE", "RUS", "TUR")
    row = frame.iloc[0]
    assert row.n_a == row.n_b == 5
    assert row.affinity_b == pytest.approx(1.0) and row.affinity_a == pytest.approx(-1.0) and row.gap > 1.9


def test_an_affinity_without_enough_shared_partners_says_why(caucasus_store: Store) -> None:
    """`geodrift alignment --source affinity` once printed a table of blanks: July 2020 has too few third countries
    that Azerbaijan and a pole both dealt with twice for a correlation."""
    from geodrift.analytics.alignment import alignment_by_source

    july = EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 8, 1))
    with pytest.raises(InputError, match=r"no month has an affinity for AZE: each needs 3 third countries .* "
                                         r"the best month has [0-2]; try --freq year"):
        alignment_by_source(caucasus_store, "AZE", "RUS", "TUR", source="affinity", where=july)


def test_a_shift_made_by_one_pole_is_told_as_a_shift_away_from_it(caucasus_store: Store) -> None:
    """Reader 7's M1: Armenia 2020-24 had "a shift of 2.0 SD toward the United States" in December 2020, made by its
    Russia events cooling, with no more than one United States event in the four years after."""
    drift = alignment_drift(caucasus_store, "ARM", "RUS", "USA",
                            where=EventFilter(start=dt.date(2020, 1, 1), end=dt.date(2025, 1, 1)))
    assert drift.points, "the December 2020 change point"
    point = drift.points[0]
    later = drift.series[drift.series.period >= point.date]
    assert point.shift > 0 and later.n_b.sum() <= 1 < later.n_a.sum()
    said = shift_direction(drift.series, point.date, point.shift, "Russia", "the United States")
    assert said.startswith("away from Russia, ") and "with the United States from then on" in said, said
