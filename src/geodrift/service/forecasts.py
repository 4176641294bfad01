"""The forecast stage: re-issue the configured escalation forecasts whose inputs changed since they were issued.

A unit's inputs are the events of its countries; their fingerprint (count and newest ``date_added``) is kept in
``service_state``. When it moved, the unit is forecast again as of today (forecast/tasks.py: best model, issue;
earlier ones stay, and readers take the latest), and the new rows and the fingerprint commit together, so a killed
run re-issues only what it had not committed. A probability that crossed the threshold since the unit's previous
forecast is returned for the alert stage.

The best model comes from a backtest of the level's 30 most violent units, shared by every unit of the level. Its
choice is kept (forecast/reuse.py) and reused while the data known before its day is unchanged and it is younger
than ``forecasts.backtest_days``; otherwise the backtest runs again. The stage's line says which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa

from geodrift.errors import InputError
from geodrift.forecast.backtest import BacktestResult
from geodrift.forecast.reuse import choice_record, from_record, inputs_fingerprint
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


class Backtests:
    """The backtests of one run, per level (country, dyad) and horizon: the stored choices still valid, then those
    run for the first unit that needed them. Why one per level: the backtest runs on the level's 30 most violent
    units whatever the unit forecast, so every unit of the level shares it."""

    def __init__(self, ctx: RunContext) -> None:
        self.ctx = ctx
        self.levels: dict[str, dict[int, BacktestResult]] = {}
        self.said: dict[str, str] = {}
        self.fingerprints: dict[dt.date, str] = {}

    def fingerprint(self, day: dt.date) -> str:
        if day not in self.fingerprints:
            self.fingerprints[day] = inputs_fingerprint(self.ctx.store, day)
        return self.fingerprints[day]

    def of(self, level: str) -> dict[int, BacktestResult]:
        """The backtests to issue ``level``'s forecasts from: the stored choices still valid (a horizon missing is
        backtested by forecast_escalation and added)."""
        if level in self.levels:
            return self.levels[level]
        kept: dict[int, BacktestResult] = {}
        for horizon in self.ctx.config.forecast_days:
            why = self._reuse(level, horizon, kept)
            self.said[f"{level} {horizon} days"] = why
        self.levels[level] = kept
        return kept

    def _reuse(self, level: str, horizon: int, kept: dict[int, BacktestResult]) -> str:
        """Put the stored choice of ``level`` at ``horizon`` in ``kept`` if still valid; say what was done."""
        text = state.get_state(self.ctx.store, _key(level, horizon))
        if text is None:
            return "backtest run (none stored)"
        try:
            result, day, inputs = from_record(text)
        except ValueError:
            return "backtest run (the stored choice is unreadable)"
        age = (self.ctx.today - day).days
        if age >= self.ctx.config.forecast_backtest_days or age < 0:
            return f"backtest run (the last, of {day}, is {age} days old)"
        if self.fingerprint(day) != inputs:
            return f"backtest run (the data before {day} changed since)"
        kept[horizon] = result
        return f"backtest of {day} reused (its data unchanged)"

    def new_choices(self, level: str) -> dict[str, str]:
        """The service_state rows of the backtests run for ``level`` in this run (stored with the forecasts)."""
        rows = {}
        for horizon, result in self.levels.get(level, {}).items():
            if not result.predictions.empty:  # run now (a reused choice has no predictions)
                rows[_key(level, horizon)] = choice_record(result, horizon, self.ctx.today, self.fingerprint(self.ctx.today))
        return rows


def _key(level: str, horizon: int) -> str:
    return f"forecast_backtest:{level}:{horizon}"


def run_forecasts(ctx: RunContext) -> str:
    """Refresh the forecasts whose inputs changed; crossings go to ``ctx.crossings``."""
    units = [normalise_unit(u) for u in ctx.config.escalation_units]
    if not units:
        return "no forecasts configured"
    refreshed, unchanged, failed, chosen = [], 0, [], []
    backtests = Backtests(ctx)
    for unit in units:
        key = f"forecast_inputs:{unit}"
        fingerprint = _fingerprint(ctx, unit)
        if state.get_state(ctx.store, key) == fingerprint:
            unchanged += 1
            continue
        level = "dyad" if "-" in unit else "country"
        try:
            frame = forecast_escalation(ctx.store, [unit], as_of=ctx.today, days=tuple(ctx.config.forecast_days),
                                        backtests=backtests.of(level))
        except InputError as exc:
            failed.append(f"{unit}: {exc}")
            continue
        frame = frame[frame.unit == unit]
        crossings = [c for h in records(frame) if (c := _crossing(ctx, unit, int(h.horizon), float(h.p), str(h.as_of)))]
        with state.transaction(ctx.store) as con:
            with registered(con, "issued_forecasts", pa.Table.from_pandas(frame, preserve_index=False)):
                con.execute("INSERT INTO forecasts BY NAME SELECT * FROM issued_forecasts")
            state.put_state(con, key, fingerprint)
            for name, value in backtests.new_choices(level).items():
                state.put_state(con, name, value)
            for crossing in crossings:
                state.put_state(con, f"{CROSSINGS_KEY}:{unit}:{crossing.horizon}:{crossing.as_of}",
                                f"{crossing.before}|{crossing.after}|{crossing.threshold}")
        refreshed.append(unit)
        chosen.append(f"{unit} " + ", ".join(_chosen(h) for h in records(frame)))
    ctx.count("forecasts", len(refreshed))
    return (f"{len(refreshed)} refreshed ({', '.join(refreshed) or 'none'}), {unchanged} unchanged"
            + "".join(f"; {c}" for c in chosen)
            + "".join(f"; {what}: {why}" for what, why in backtests.said.items())
            + (f", {len(failed)} could not be issued: {'; '.join(failed)[:300]}" if failed else ""))


def _chosen(row: Any) -> str:
    """Which model issued a forecast and why: the best of the backtest on every source's events (the demo
    backtests the curated events to 24 July 2020 only, so its model and record differ; docs/service.md)."""
    n = row.backtest_forecasts
    data = getattr(row, "backtest_data", None)
    data = data if isinstance(data, str) else "every source's events"
    return (f"{int(row.horizon)} days {percent(float(row.p))} by {row.model}, best in its backtest on {data}"
            + ("" if n is None or pd.isna(n) else f" ({int(n)} forecasts)"))


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
