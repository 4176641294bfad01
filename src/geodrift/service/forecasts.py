"""The forecast stage: re-issue the configured escalation forecasts whose inputs changed since they were issued.

A unit's inputs are the events of its countries; their fingerprint (count and newest ``date_added``) is kept in
``service_state``. When it moved, the unit is forecast again as of today (forecast/tasks.py: backtest, best
model, issue; earlier ones stay, and readers take the latest), and the new rows and the fingerprint commit
together, so a killed run re-issues only what it had not committed. A probability that crossed the threshold
since the unit's previous forecast is returned for the alert stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from geodrift.errors import InputError
from geodrift.forecast.tasks import forecast_escalation, normalise_unit
from geodrift.query import sql_in
from geodrift.registered import registered
from geodrift.report.document import records
from geodrift.report.narrative import percent
from geodrift.service import state
from geodrift.service.context import RunContext

CROSSINGS_KEY = "forecast_crossings"


@dataclass(frozen=True)
class Crossing:
    """A forecast probability that moved across the threshold."""

    unit: str
    horizon: int
    before: float | None
    after: float
    threshold: float
    as_of: str

    @property
    def direction(self) -> str:
        return "above" if self.after >= self.threshold else "below"


def _fingerprint(ctx: RunContext, unit: str) -> str:
    countries = unit.split("-")
    column = "actor1_country IN {0} OR actor2_country IN {0}".format(sql_in(countries))
    if len(countries) == 2:
        column = (f"(actor1_country = '{countries[0]}' AND actor2_country = '{countries[1]}') OR "
                  f"(actor1_country = '{countries[1]}' AND actor2_country = '{countries[0]}')")
    row = ctx.store.df(f"SELECT count(*) AS n, max(date_added) AS newest FROM events WHERE {column}").iloc[0]
    return f"{int(row.n)}|{row.newest}"


def _previous(ctx: RunContext, unit: str, horizon: int) -> float | None:
    frame = ctx.store.df("SELECT p FROM forecasts WHERE task = 'escalation' AND unit = ? AND horizon = ? "
                         "ORDER BY as_of DESC, issued_at DESC, rowid DESC LIMIT 1", [unit, horizon])
    return None if frame.empty or pd.isna(frame.p.iloc[0]) else float(frame.p.iloc[0])


def run_forecasts(ctx: RunContext) -> str:
    """Refresh the forecasts whose inputs changed; crossings go to ``ctx.crossings``."""
    units = [normalise_unit(u) for u in ctx.config.escalation_units]
    if not units:
        return "no forecasts configured"
    refreshed, unchanged, failed, chosen = [], 0, [], []
    for unit in units:
        key = f"forecast_inputs:{unit}"
        fingerprint = _fingerprint(ctx, unit)
        if state.get_state(ctx.store, key) == fingerprint:
            unchanged += 1
            continue
        try:
            frame = forecast_escalation(ctx.store, [unit], as_of=ctx.today, days=tuple(ctx.config.forecast_days))
        except InputError as exc:
            failed.append(f"{unit}: {exc}")
            continue
        frame = frame[frame.unit == unit]
        crossings = [c for h in records(frame) if (c := _crossing(ctx, unit, int(h.horizon), float(h.p), str(h.as_of)))]
        with state.transaction(ctx.store) as con:
            with registered(con, "issued_forecasts", pa.Table.from_pandas(frame, preserve_index=False)):
                con.execute("INSERT INTO forecasts BY NAME SELECT * FROM issued_forecasts")
            state.put_state(con, key, fingerprint)
            for crossing in crossings:
                state.put_state(con, f"{CROSSINGS_KEY}:{unit}:{crossing.horizon}:{crossing.as_of}",
                                f"{crossing.before}|{crossing.after}|{crossing.threshold}")
        refreshed.append(unit)
        chosen.append(f"{unit} " + ", ".join(_chosen(h) for h in records(frame)))
    ctx.count("forecasts", len(refreshed))
    return (f"{len(refreshed)} refreshed ({', '.join(refreshed) or 'none'}), {unchanged} unchanged"
            + "".join(f"; {c}" for c in chosen)
            + (f", {len(failed)} could not be issued: {'; '.join(failed)[:300]}" if failed else ""))


def _chosen(row: Any) -> str:
    """Which model issued a forecast and why: the best of the backtest on every source's events to today (the demo
    backtests the curated events to 24 July 2020 only, so its model and record differ; docs/service.md)."""
    n = row.backtest_forecasts
    return (f"{int(row.horizon)} days {percent(float(row.p))} by {row.model}, best in its rerun backtest on every "
            "source's events" + ("" if n is None or pd.isna(n) else f" ({int(n)} forecasts)"))


def _crossing(ctx: RunContext, unit: str, horizon: int, p: float, as_of: str) -> Crossing | None:
    threshold = ctx.config.forecast_threshold
    before = _previous(ctx, unit, horizon)
    if (before is None and p >= threshold) or (before is not None and (before < threshold) != (p < threshold)):
        return Crossing(unit, horizon, before, p, threshold, as_of)
    return None


def pending_crossings(ctx: RunContext) -> list[Crossing]:
    """Crossings recorded by forecast runs (kept in service_state; the alert stage turns each into one alert)."""
    rows = ctx.store.df("SELECT key, value FROM service_state WHERE key LIKE ?", [f"{CROSSINGS_KEY}:%"])
    found = []
    for key, value in zip(rows.key, rows.value, strict=True):
        _, unit, horizon, as_of = key.split(":", 3)
        before, after, threshold = value.split("|")
        found.append(Crossing(unit, int(horizon), None if before == "None" else float(before), float(after),
                              float(threshold), as_of))
    return found
