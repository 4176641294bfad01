"""Which stored forecasts a report shows: the latest issued by its day whose window is still open then."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from geodrift.report.forecasts import stored_forecasts
from geodrift.store import Store

ROWS = [  # as_of, task, unit, horizon, horizon_unit, p
    ("2020-07-24", "escalation", "ARM-AZE", 7, "days", 0.20),
    ("2020-07-24", "escalation", "ARM-AZE", 30, "days", 0.22),
    ("2019-12-31", "alignment RUS-TUR", "AZE", 1, "years", 0.01),
    ("2019-12-31", "alignment RUS-TUR", "AZE", 5, "years", 0.09),
]


def _store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "f.duckdb")
    for as_of, task, unit, horizon, horizon_unit, p in ROWS:
        store.con.execute("INSERT INTO forecasts (issued_at, as_of, task, unit, horizon, horizon_unit, k, model, p) "
                          "VALUES (TIMESTAMP '2026-12-01 10:00', ?, ?, ?, ?, ?, 1, 'climatology', ?)",
                          [as_of, task, unit, horizon, horizon_unit, p])
    return store


def _shown(store: Store, day: str) -> list[tuple[str, int]]:
    frame = stored_forecasts(store, ["ARM-AZE", "AZE"], dt.date.fromisoformat(day))
    return sorted(zip(frame.unit, frame.horizon, strict=True)) if not frame.empty else []


def test_a_forecast_is_shown_until_its_window_closes(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        assert _shown(store, "2020-07-24") == [("ARM-AZE", 7), ("ARM-AZE", 30), ("AZE", 1), ("AZE", 5)]
        assert _shown(store, "2020-07-31") == [("ARM-AZE", 7), ("ARM-AZE", 30), ("AZE", 1), ("AZE", 5)]
        assert _shown(store, "2020-08-01") == [("ARM-AZE", 30), ("AZE", 1), ("AZE", 5)]
        assert _shown(store, "2020-08-24") == [("AZE", 1), ("AZE", 5)]
        assert _shown(store, "2021-01-01") == [("AZE", 5)]
        assert _shown(store, "2024-08-19") == [("AZE", 5)], "a 5-year outlook from 2019 still speaks about 2024"
        assert _shown(store, "2025-01-01") == []
        assert _shown(store, "2020-07-23") == [("AZE", 1), ("AZE", 5)], "nothing issued after the report's day"
