import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest

from geodrift.analytics.flareups import detect_flareups, flareups, zinb_tail
from geodrift.errors import InputError
from geodrift.query import EventFilter
from geodrift.store import Store


def test_zinb_tail_is_a_probability_that_falls_with_the_count() -> None:
    history = np.array([0, 0, 1, 0, 3, 0, 0, 2, 0, 0] * 3, float)
    tails = [zinb_tail(x, history)[1] for x in range(8)]
    assert tails[0] == 1 and all(0 <= q <= p <= 1 for p, q in itertools.pairwise(tails))
    assert zinb_tail(0, history)[0] == pytest.approx(0.6, abs=0.2)
    # An all-zero baseline still leaves one event possible, three very unlikely.
    assert 0.001 < zinb_tail(1, np.zeros(26))[1] < 1 and zinb_tail(3, np.zeros(26))[1] < 1e-4


def test_a_planted_burst_is_flagged_first_where_it_starts() -> None:
    rng = np.random.default_rng(2)
    counts = rng.poisson(1.0, 80)
    counts[60:63] = [15, 18, 12]
    series = pd.DataFrame({"period": pd.date_range("2019-01-07", periods=80, freq="W-MON"),
                           "conflict_events": counts, "coverage": 100.0})
    result = detect_flareups(series, baseline=26)
    assert result.first_detection.sum() == 1 and result[result.first_detection].index[0] == 60
    assert not result.flare_up.iloc[26:60].any()


def test_tovuz_and_the_war_are_flagged_by_clusters(caucasus_store: Store) -> None:
    # By clusters, the Tovuz weeks hold one and three distinct days of fighting (12 July; 13, 14 and 16 July: two
    # outlets dating a day by their text make it a day of its own); the war's first week four. The baseline is the
    # 26 weeks with any event in the store before each week: weeks the store holds nothing for are no record.
    clashes = flareups(caucasus_store, "ARM", "AZE", freq="week",
                       where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4)))
    weeks = clashes.set_index("period")
    assert (weeks.conflict_events["2020-06-29"], weeks.conflict_events["2020-07-06"],
            weeks.conflict_events["2020-07-13"]) == (0, 1, 3)
    assert list(clashes.period[clashes.first_detection].dt.date.astype(str)) == ["2020-07-13", "2020-09-28"]
    assert weeks.p_value["2020-07-13"] < 1e-3 and weeks.p_value["2020-09-28"] < 0.01
    assert weeks.p_value[weeks.coverage == 0].isna().all()  # no data: not tested, not "no flare-up"


def test_a_short_window_reads_its_baseline_from_the_store(caucasus_store: Store) -> None:
    # The reader's case: three weeks of July 2020 used to fail with "the series has 8 periods".
    july = flareups(caucasus_store, "ARM", "AZE", freq="week",
                    where=EventFilter(start=dt.date(2020, 7, 1), end=dt.date(2020, 7, 25)))
    assert list(july.period.dt.date.astype(str)) == ["2020-06-29", "2020-07-06", "2020-07-13", "2020-07-20"]
    assert list(july.flare_up) == [False, False, True, False] and july.p_value.notna().all()


def test_by_reports_the_tovuz_weeks_are_flagged(caucasus_store: Store) -> None:
    # The 16 reports of the week of 29 June are records dated only "2020-07" (stored on 1 July).
    frame = flareups(caucasus_store, "ARM", "AZE", freq="week",
                     where=EventFilter(start=dt.date(2019, 6, 3), end=dt.date(2021, 1, 4), unit="reports"))
    assert frame.set_index("period").conflict_events["2020-06-29"] == 16
    assert list(frame.period[frame.flare_up].dt.date.astype(str)) == ["2020-06-29", "2020-07-06", "2020-07-13"]


def test_quiet_gdelt_pairs_raise_no_alarm(caucasus_store: Store) -> None:
    # Georgia GDELT extract 2011-2013 (about 75 tested weeks per pair): no dyad of the region flags by clusters.
    where = EventFilter(start=dt.date(2011, 1, 1), end=dt.date(2014, 1, 1))
    for a, b in [("ARM", "AZE"), ("GEO", "RUS"), ("ARM", "GEO"), ("AZE", "GEO"), ("GEO", "TUR"), ("AZE", "RUS")]:
        frame = flareups(caucasus_store, a, b, freq="week", where=where)
        assert frame.p_value.notna().sum() > 70 and not frame.flare_up.any(), (a, b)


def test_flareups_need_a_dyad_or_a_country(caucasus_store: Store) -> None:
    with pytest.raises(InputError, match="dyad"):
        flareups(caucasus_store)
    with pytest.raises(InputError, match=r"needs at least 8 \(use --baseline 5\)") as error:
        flareups(caucasus_store, "ARM", "AZE", freq="year", where=EventFilter(start=dt.date(2018, 1, 1),
                                                                              end=dt.date(2021, 1, 1)))
    assert "holds events in 5 years before --from" in str(error.value)
    found = flareups(caucasus_store, "ARM", "AZE", freq="year", baseline=5,
                     where=EventFilter(start=dt.date(2018, 1, 1), end=dt.date(2021, 1, 1)))
    assert found.p_value.notna().any()
