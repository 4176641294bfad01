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


def test_a_closed_forecast_is_shown_with_its_outcome(report_store: Store) -> None:
    """M13: a retrospective analysis (to 31 December 2020) showed 24 July outlooks without what happened. The store
    holds the Russian helicopter Azerbaijan shot down on 9 November (material conflict) and no AZE-RUS material
    conflict from 24 July to 23 August."""
    import pandas as pd

    from geodrift.report.briefing import forecast_items
    from geodrift.report.forecasts import with_outcomes
    from geodrift.report.narrative import TemplateNarrator

    frame = pd.DataFrame([
        {"task": "escalation", "unit": "AZE-RUS", "as_of": dt.date(2020, 7, 24), "horizon": h, "horizon_unit": "days",
         "k": 1, "p": 0.02, "model": "climatology", "skill_climatology": 0.0, "skill_persistence": 0.05,
         "backtest_forecasts": 120} for h in (7, 30)] + [
        {"task": "escalation", "unit": "AZE-RUS", "as_of": dt.date(2020, 11, 5), "horizon": 7, "horizon_unit": "days",
         "k": 1, "p": 0.03, "model": "climatology", "skill_climatology": 0.0, "skill_persistence": 0.05,
         "backtest_forecasts": 120},
        {"task": "escalation", "unit": "AZE-RUS", "as_of": dt.date(2020, 12, 28), "horizon": 7, "horizon_unit": "days",
         "k": 1, "p": 0.03, "model": "climatology", "skill_climatology": 0.0, "skill_persistence": 0.05,
         "backtest_forecasts": 120}])
    texts = [p.text for p in forecast_items(with_outcomes(report_store, frame, dt.date(2021, 1, 1)),
                                            TemplateNarrator())]
    july = [t for t in texts if "after 24 July 2020" in t]
    assert len(july) == 2 and all("it did not happen" in t for t in july), july
    assert "The window closed on 31 July 2020" in july[0] and "closed on 23 August 2020" in july[1]
    assert "the 7-day value" in july[1]  # 30-day = 7-day probability: said why
    november = next(t for t in texts if "after 05 November 2020" in t)
    assert "closed on 12 November 2020: it happened" in november
    open_window = next(t for t in texts if "after 28 December 2020" in t)
    assert "closed" not in open_window  # its window runs past the analysis: an outlook, without an outcome
    # the score named, once per horizon (with its first forecast), not in every item
    assert sum("Brier skill +0.05 against persistence" in t for t in texts) == 2


def test_a_small_probability_is_never_printed_as_zero() -> None:
    """The service stored p = 0.005 for ARM-AZE and its briefing said "0%", which reads as certainty (reader M7):
    Python rounds 0.5 to the even 0."""
    from geodrift.report.narrative import percent

    assert [percent(p) for p in (0.0, 0.003, 0.005, 0.0051, 0.42, 0.995, 0.996, 1.0)] == [
        "0%", "<1%", "<1%", "1%", "42%", ">99%", ">99%", "100%"]
