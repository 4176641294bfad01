"""The forecast stage reuses its last backtest's model choice while the data the backtest ran on is unchanged, and
runs the backtest again when reports dated and known before its day arrive or when it is too old."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geodrift.forecast import tasks
from geodrift.forecast.backtest import BacktestResult
from geodrift.ingest import ingest_files
from geodrift.service.context import RunContext
from geodrift.service.fetch import Fetcher
from geodrift.service.forecasts import run_forecasts
from geodrift.service.settings import ServiceConfig
from geodrift.store import Store


def _report(folder: Path, name: str, *, published: str, day: str) -> Path:
    """One hand-coded report of Armenian shelling of Azerbaijani positions, in the curated layout."""
    record = {"article_id": name, "url": f"https://news.example.az/{name}", "outlet": "news.example.az",
              "published": published, "language": "en", "event_date": day, "event_date_precision": "day",
              "actor1": {"name": "Armenian armed forces", "iso3": "ARM", "role": "MIL"},
              "actor2": {"name": "Azerbaijani armed forces", "iso3": "AZE", "role": "MIL"}, "cameo_code": "190",
              "plover": "ASSAULT", "quad_class": 4, "modality": "actual", "claimed_by": "AZE", "place": None,
              "fatalities": None, "summary": f"Armenian forces shelled Azerbaijani positions in Tovuz ({name}).",
              "confidence": "high", "event_id": f"{name:0>16}"[:16]}
    path = folder / f"{name}.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return path


def test_the_stage_reuses_the_backtest_until_its_data_changes(shared: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    runs: list[int] = []
    real = tasks.backtest_escalation

    def counted(*args: object, **kwargs: object) -> BacktestResult:
        runs.append(int(str(kwargs["horizon_days"])))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks, "backtest_escalation", counted)
    config = ServiceConfig(escalation_units=("AZE-ARM",), forecast_days=(7,), forecast_backtest_days=7)
    with Store(tmp_path / "s.duckdb") as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])

        def run(day: dt.datetime) -> str:
            return run_forecasts(RunContext(store, config, Fetcher(config.fetch), day, "test", tmp_path))

        first = run(dt.datetime(2020, 7, 24, 6))
        assert runs == [7] and "dyad 7 days: backtest run (none stored)" in first, first
        issued = store.df("SELECT model, backtest_forecasts, backtest_data FROM forecasts")
        assert issued.backtest_data[0] == ("every source's events (curated) before 24 July 2020: 13 dyads at 8 "
                                           "origins from 26 September 2019 to 16 July 2020")

        # A report published on the day of the backtest: the unit's events changed, the backtest's data did not.
        ingest_files(store, [_report(tmp_path, "today", published="2020-07-24", day="2020-07-23")])
        second = run(dt.datetime(2020, 7, 24, 18))
        assert second.startswith("1 refreshed (ARM-AZE)") and runs == [7], second
        assert "dyad 7 days: backtest of 2020-07-24 reused (its data unchanged)" in second
        again = store.df("SELECT model, backtest_forecasts, backtest_data FROM forecasts ORDER BY issued_at, rowid")
        assert len(again) == 2 and again.iloc[1].to_dict() == issued.iloc[0].to_dict(), "the same choice and record"

        # A report of 9 July published on the 10th, ingested late: the backtest's data changed, so it runs again.
        ingest_files(store, [_report(tmp_path, "late", published="2020-07-10", day="2020-07-09")])
        third = run(dt.datetime(2020, 7, 25, 6))
        assert runs == [7, 7] and "backtest run (the data before 2020-07-24 changed since)" in third, third

        # Unchanged data but an old choice: run again after forecasts.backtest_days.
        ingest_files(store, [_report(tmp_path, "week", published="2020-08-01", day="2020-08-01")])
        fourth = run(dt.datetime(2020, 8, 1, 6))
        assert runs == [7, 7, 7] and "backtest run (the last, of 2020-07-25, is 7 days old)" in fourth, fourth
