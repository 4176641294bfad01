"""A stored forecast names the data its model was chosen on (reader M15: the demo's and the service's sentences gave
two models for one pair and could not say why): forecast_escalation fills ``backtest_data``, the store keeps it, and
the briefing's sentence and the API say it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
from fastapi.testclient import TestClient

from geodrift.forecast.tasks import forecast_escalation
from geodrift.ingest import ingest_files
from geodrift.report.briefing import forecast_items
from geodrift.report.forecasts import stored_forecasts
from geodrift.report.narrative import TemplateNarrator
from geodrift.store import Store
from geodrift.web.app import create_app
from geodrift.web.config import ServeSettings

CURATED = ("the curated events before 24 July 2020: 13 dyads at 8 origins from 26 September 2019 to 16 July 2020")


def test_the_briefing_and_the_api_name_the_data_a_model_was_chosen_on(shared: Path, tmp_path: Path) -> None:
    db = tmp_path / "f.duckdb"
    with Store(db) as store:
        ingest_files(store, [shared / "caucasus-2020-events/events.jsonl"])
        frame = forecast_escalation(store, ["AZE-ARM"], as_of="2020-07-24", days=(7,), source="curated")  # type: ignore[arg-type]
        assert list(frame.backtest_data) == [CURATED]
        store.record_forecasts(pa.Table.from_pandas(frame, preserve_index=False))
        (item,) = forecast_items(stored_forecasts(store, ["ARM-AZE"], pd.Timestamp("2020-07-25").date()),
                                 TemplateNarrator())
        model, n = frame.model[0], int(frame.backtest_forecasts[0])
        assert f"model {model}" in item.text and f"over {n} backtest forecasts on {CURATED})." in item.text, item.text
        with TestClient(create_app(ServeSettings(db=str(db)), store)) as client:
            (served,) = client.get("/api/v1/forecasts", params={"unit": "ARM-AZE"}).json()
        assert served["backtest_data"] == CURATED and served["model"] == model


def test_a_forecast_stored_before_the_column_says_nothing_of_its_data() -> None:
    stored = pd.DataFrame([{"task": "escalation", "unit": "ARM-AZE", "k": 1, "horizon": 7, "p": 0.2,
                            "model": "climatology", "skill_climatology": 0.0, "skill_persistence": 0.1,
                            "backtest_forecasts": 120, "backtest_data": None, "as_of": pd.Timestamp("2020-07-24")}])
    (item,) = forecast_items(stored, TemplateNarrator())
    assert item.text.endswith("over 120 backtest forecasts).")


def test_the_conflict_record_names_its_data_and_origins() -> None:
    from geodrift.forecast.conflict_risk import _record_data
    from geodrift.report.risks import conflict_items

    rows = [{"task": task, "unit": "AZE", "horizon": horizon, "horizon_unit": "years", "model": "logistic",
             "p": 0.3 if task == "conflict" else 0.1, "as_of": pd.Timestamp("2020-01-01"), "skill_climatology": 0.1,
             "skill_persistence": 0.02, "backtest_forecasts": 5000,
             "backtest_data": _record_data(task, "country", {"first_origin": 1990.0,
                                                             "last_origin": 2018.0 if horizon == 1 else 2014.0})}
            for task in ("conflict", "war") for horizon in (1, 5)]
    record = conflict_items(pd.DataFrame(rows), TemplateNarrator())[-1].text
    assert record.endswith("Backtested on UCDP armed conflicts of countries, origins 1990 to 2018; UCDP armed "
                           "conflicts of countries, origins 1990 to 2014."), record
    assert _record_data("dispute", "pair", {}) is None
