import datetime as dt

import numpy as np
import pytest

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import EventFilter
from geodrift.errors import InputError
from geodrift.store import Store


def test_flagship_azerbaijan_leans_toward_turkey_in_summer_2020(caucasus_store: Store) -> None:
    frame = alignment_series(caucasus_store, "AZE", "RUS", "TUR",
                             where=EventFilter(start=dt.date(2020, 6, 1), end=dt.date(2021, 1, 1)))
    july = frame[frame.period == "2020-07-01"].iloc[0]
    assert july.n_a > 0 and july.n_b > 0
    assert july.alignment > 0 and july.lo > 0, "July 2020: Baku's events with Ankara are warmer than with Moscow"
    known = frame.dropna(subset=["alignment"])
    assert (known.lo <= known.alignment).all() and (known.alignment <= known.hi).all()
    assert np.isnan(frame[frame.period == "2020-06-01"].alignment.iloc[0])  # no events: unknown, not neutral


def test_poles_must_differ(caucasus_store: Store) -> None:
    with pytest.raises(InputError, match="different countries"):
        alignment_series(caucasus_store, "AZE", "AZE", "TUR")
