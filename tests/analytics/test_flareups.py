import datetime as dt

import numpy as np
import pandas as pd
import pytest

from geodrift.analytics.flareups import detect_flareups, flareups, zinb_tail
from geodrift.errors import InputError
from geodrift.query import EventFilter
from geodrift.store import Store


def test_zinb_tail_is_a_probability_and_grows_with_exposure() -> None:
    history = np.array([0, 0, 1, 0, 3, 0, 0, 2, 0, 0] * 3, float)
    exposure = np.full(len(history), 100.0)
    low = zinb_tail(5, 100.0, history, exposure)
    high = zinb_tail(5, 400.0, history, exposure)
    assert 0 <= low[1] <= 1 and low[1] < high[1] and high[0] == pytest.approx(4 * low[0])


def test_a_planted_burst_is_flagged_first_where_it_starts() -> None:
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.0, 80)
    counts[60:63] = [15, 18, 12]
    series = pd.DataFrame({"period": pd.date_range("2019-01-07", periods=80, freq="W-MON"),
                           "conflict_events": counts, "coverage": 100.0})
    result = detect_flareups(series, baseline=26)
    assert result.first_detection.sum() == 1 and result[result.first_detection].index[0] == 60
    assert not result.flare_up.iloc[26:60].any()


def test_tovuz_is_detected_on_the_real_events(caucasus_store: Store) -> None:
    frame = flareups(caucasus_store, "ARM", "AZE", freq="week",
                     where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4), unit="reports"))
    first = frame[frame.first_detection].period
    assert any(pd.Timestamp("2020-06-29") <= d <= pd.Timestamp("2020-07-13") for d in first)
    # By clusters, the Tovuz weeks hold one and three distinct days of fighting (12 July; 13, 14 and 16 July: two
    # outlets dating a day by their text make it a day of its own). The 16 reports of the week of 29 June are records
    # dated only "2020-07" (stored on 1 July); clusters date them by the clash.
    clashes = flareups(caucasus_store, "ARM", "AZE", freq="week",
                       where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4)))
    weeks = clashes.set_index("period").conflict_events
    assert (weeks["2020-06-29"], weeks["2020-07-06"], weeks["2020-07-13"]) == (0, 1, 3)
    assert not clashes.flare_up.any()
    assert frame.set_index("period").conflict_events["2020-06-29"] == 16


def test_flareups_need_a_dyad_or_a_country(caucasus_store: Store) -> None:
    with pytest.raises(InputError, match="dyad"):
        flareups(caucasus_store)
    with pytest.raises(InputError, match="baseline"):
        flareups(caucasus_store, country="AZE", freq="month", where=EventFilter(start=dt.date(2020, 1, 1),
                                                                                end=dt.date(2020, 6, 1)))
