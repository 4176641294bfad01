import numpy as np
import pandas as pd
import pytest
from bench.drift_validation import evaluate

from geodrift.analytics.detectors.bocpd import bocpd
from geodrift.analytics.drift import detect, detect_online
from geodrift.analytics.shifts import dyad_drift
from geodrift.analytics.synthetic import stream
from geodrift.errors import InputError
from geodrift.store import Store


def test_planted_shift_is_found_with_its_date_and_size() -> None:
    s = stream(np.random.default_rng(3), shift_day=400, size_sd=1.0)
    points = detect(s.series)
    assert len(points) == 1
    assert abs(points[0].index - 400) <= 7 and points[0].shift > 0 and points[0].confidence > 0.95
    assert 0.5 < points[0].shift_sd < 2.0


@pytest.mark.long
def test_targets_on_synthetic_streams() -> None:
    """The drift targets over 40 planted streams (long: `make bench` runs the same validation over 200)."""
    result = evaluate(n=40, seed=11)
    assert result["offline_detection"] >= 0.9 and result["offline_false_per_year"] <= 0.1
    assert result["cusum_detection"] >= 0.9 and result["cusum_false_per_year"] <= 0.1
    assert result["cusum_median_delay_days"] <= 28


def test_online_detector_alarms_after_a_large_shift_not_before() -> None:
    rng = np.random.default_rng(0)
    values = np.r_[rng.standard_normal(200), rng.standard_normal(100) + 3]
    alarms = bocpd(values, hazard=1 / 500, threshold=0.9, window=10, start=20)
    assert alarms and 200 <= alarms[0][0] <= 210 and abs(alarms[0][1] - 200) <= 3
    series = pd.Series(values, index=pd.date_range("2020-01-01", periods=300))
    bayes = detect_online(series, method="bocpd", train=20, window=10, hazard=1 / 500, threshold=0.9)
    assert bayes[0][0] >= pd.Timestamp("2020-07-19")
    page = detect_online(series, method="cusum", train=20)
    assert page and pd.Timestamp("2020-07-19") <= page[0][0] <= pd.Timestamp("2020-07-29")
    assert abs((page[0][1] - pd.Timestamp("2020-07-19")).days) <= 3


def test_short_series_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="needs at least"):
        detect(pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2020-01-01", periods=3)))


def test_dyad_drift_carries_evidence_with_sources(caucasus_store: Store) -> None:
    result = dyad_drift(caucasus_store, "ARM", "AZE", freq="week")
    table = result.table()
    for point in result.points:
        evidence = result.evidence[point.date]
        assert (evidence.contribution * np.sign(point.shift) > 0).all()
        assert evidence.event_date.min() >= point.date
    assert list(table.columns)[:3] == ["date", "before", "after"]
