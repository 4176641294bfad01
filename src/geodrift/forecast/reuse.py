"""A backtest's model choice kept between runs, and the fingerprint of the data it ran on.

Why: the daily service re-issues a forecast whenever its unit's events change, and the backtest that picks the model
(every model refitted at every weekly origin of the whole history) cost 70 s of CPU on a service store, against a
second or two for the forecast itself. The choice (best model per horizon and its record) depends on the data known
before the backtest's day; reports known later are not in it. So the choice is kept with a fingerprint of that data
(``inputs_fingerprint``) and reused while the fingerprint is unchanged (docs/service.md, "Reusing the backtest").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd

from geodrift.forecast.backtest import BacktestResult
from geodrift.forecast.current import DATA, best_model
from geodrift.query import EventFilter, parse_day
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT

RECORD = ("model", "brier", "skill_vs_climatology", "skill_vs_persistence", "forecasts")
"""What a forecast takes from its backtest (forecast/current.py): the best model's row of the scores."""


def inputs_fingerprint(store: Store, day: dt.date | str, source: str | None = None) -> str:
    """Per source, the number of reports dated and known before ``day``, an order-free digest of their ids and the
    newest ``date_added``: what a backtest as of ``day`` read. A report published later leaves it unchanged; a
    back-dated ingest, a re-coded article or a deleted file changes it."""
    before = day if isinstance(day, dt.date) else parse_day(day, "day")
    where = EventFilter(sources=(source,) if source else (), end=before).where()
    rows = store.con.execute(f"""
        SELECT source, count(*), bit_xor(hash(event_id)), max(date_added) FROM events
        WHERE {where} AND CAST({KNOWN_AT} AS DATE) < ? GROUP BY source ORDER BY source""", [before]).fetchall()
    return ";".join(f"{name}:{n}:{digest}:{newest}" for name, n, digest, newest in rows)


def choice_record(result: BacktestResult, horizon: int, day: dt.date, fingerprint: str) -> str:
    """The best model of ``result`` at ``horizon`` and its record, with the backtest's day and data, as JSON."""
    row = best_model(result, horizon, "brier")
    record: dict[str, Any] = {name: row[name].item() if hasattr(row[name], "item") else row[name] for name in RECORD}
    return json.dumps({**record, "horizon": horizon, "task": result.task, "day": day.isoformat(),
                       "inputs": fingerprint, DATA: result.settings.get(DATA)})


def from_record(text: str) -> tuple[BacktestResult, dt.date, str]:
    """A stored choice as the backtest result a forecast is issued from (its one scores row), with its day and the
    fingerprint of its data.

    Raises:
        ValueError: ``text`` is not a stored choice (written by another version): the caller backtests again.
    """
    record = json.loads(text)
    if not isinstance(record, dict) or any(name not in record for name in (*RECORD, "horizon", "day", "inputs")):
        raise ValueError("not a stored backtest choice")
    scores = pd.DataFrame([{"horizon": int(record["horizon"]), **{name: record[name] for name in RECORD}}])
    result = BacktestResult(task=str(record.get("task", "escalation")), predictions=pd.DataFrame(), scores=scores,
                            per_unit=pd.DataFrame(), settings={DATA: record.get(DATA)})
    return result, dt.date.fromisoformat(record["day"]), str(record["inputs"])
