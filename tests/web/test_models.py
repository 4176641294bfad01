"""The wire format of series: what a frame's columns become in each point, whatever their dtype."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from geodrift.web.models import Series, series_json


def test_series_keep_numbers_then_flags_and_leave_out_text_but_not_nulls() -> None:
    frame = pd.DataFrame({
        "period": pd.to_datetime(["2020-01-01", "2020-02-01"]).astype("datetime64[us]"),
        "flag": [True, False], "events": np.array([3, 4], dtype=np.int64), "name": ["a", None],
        "mixed": pd.Series([1.5, True], dtype=object), "share": [np.nan, 0.25],
        "maybe": pd.array([1, None], dtype="Int64")})
    body = series_json(frame, "test")
    assert Series.model_validate_json(body).model_dump_json().encode() == body  # what the response model writes
    points = json.loads(body)["points"]
    assert points == [
        {"period": "2020-01-01", "values": {"events": 3, "mixed": 1.5, "share": None, "maybe": 1, "flag": 1}},
        {"period": "2020-02-01", "values": {"events": 4, "name": None, "share": 0.25, "maybe": None, "flag": 0,
                                            "mixed": 1}},
    ]  # a missing value is null whatever its column holds
    assert list(points[0]["values"]) == ["events", "mixed", "share", "maybe", "flag"]  # flags after the numbers


def test_a_numeric_series_is_the_models_json() -> None:
    frame = pd.DataFrame({"period": pd.date_range("2020-01-01", periods=3, freq="MS"),
                          "events": np.array([0, 2, 5]), "share": [np.nan, 1e-7, 0.5], "big": [1e300, -0.0, 3.0]})
    body = series_json(frame, "numbers")
    assert Series.model_validate_json(body).model_dump_json().encode() == body
    assert json.loads(body)["points"][1] == {"period": "2020-02-01", "values": {"events": 2, "share": 1e-7,
                                                                                "big": -0.0}}
