"""Every forecasting task on the whole stored history, as `geodrift backtest` runs them.

Sources are backtested separately: mixing a daily feed with a two-day sample or a hand-curated list
would make coverage changes look like conflict. Each task reports what it could not do and why.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from geodrift.analytics.unvotes import alignment_positions
from geodrift.errors import InputError
from geodrift.forecast.backtest import BacktestResult, backtest_alignment, backtest_counts, backtest_escalation
from geodrift.forecast.base import TASKS
from geodrift.forecast.current import DATA, issue_alignment, issue_counts, issue_escalation
from geodrift.forecast.history import History, backfill_hint, known_then, load_history
from geodrift.query import EventFilter, resolve
from geodrift.store import Store
from geodrift.units_sql import KNOWN_AT


@dataclass
class TaskRun:
    """One task on one slice of the store: its result, or why it could not run."""

    task: str
    scope: str
    result: BacktestResult | None = None
    skipped: str | None = None


def top_units(history: History, n: int) -> list[str]:
    """The n units with the most conflict events (the ones a forecast is about)."""
    totals = history.counts.groupby("unit").conflict.sum().sort_values(ascending=False)
    return list(totals.head(n).index)


def stored_sources(store: Store) -> list[str]:
    return list(store.df("SELECT source, count(*) AS n FROM events GROUP BY 1 ORDER BY n DESC").source)


def run_backtests(store: Store, *, tasks: tuple[str, ...] = tuple(TASKS),
                  sources: list[str] | None = None, max_units: int = 30, reported_within: int | None = None,
                  poles: tuple[str, str] = ("RUS", "USA"), progress: Callable[[str], None] | None = None) -> list[TaskRun]:
    """Backtest each task on each source's history (and the alignment task on UN ideal points)."""
    if max_units < 1:
        raise InputError(f"--max-units {max_units}: backtest at least 1 unit per source")
    runs: list[TaskRun] = []

    def attempt(task: str, scope: str, job: Callable[[], BacktestResult]) -> None:
        if progress:
            progress(f"{task}: {scope}")
        try:
            runs.append(TaskRun(task, scope, result=job()))
        except InputError as exc:
            runs.append(TaskRun(task, scope, skipped=str(exc)))

    for source in sources or stored_sources(store):
        where = EventFilter(sources=(source,))
        for level in ("country", "dyad"):
            try:
                history = load_history(store, level=level, where=where, reported_within=reported_within)
            except InputError as exc:
                runs.append(TaskRun("escalation", f"{source}, {level}", skipped=str(exc)))
                continue
            units = top_units(history, max_units)
            if "escalation" in tasks:
                for days in (7, 30):
                    attempt(f"escalation {days}d", f"{source}, {level}",
                            partial(backtest_escalation, history, horizon_days=days, units=units,
                                    step_days=7 if days == 7 else 14))
            if "counts" in tasks and level == "country":
                attempt("counts monthly", f"{source}, {level}", partial(backtest_counts, history, units=units))
    if "alignment" in tasks:
        if store.has_table("un_votes") or store.has_table("un_idealpoints"):
            attempt(f"alignment {poles[0]}-{poles[1]}", "UN ideal points",
                    partial(backtest_alignment, alignment_positions(store, *poles)))
        else:
            runs.append(TaskRun("alignment", "UN ideal points", skipped="no UN votes in the store (geodrift unvotes load)"))
    return runs


def summary(runs: list[TaskRun]) -> pd.DataFrame:
    """One row per task, scope and horizon: the best model and its skill against the baselines."""
    rows: list[dict[str, object]] = []
    for run in runs:
        if run.result is None:
            rows.append({"task": run.task, "scope": run.scope, "skipped": run.skipped})
            continue
        table = run.result.scores
        score = "brier" if "brier" in table else "crps"
        for horizon, group in table.groupby("horizon"):
            best = group.sort_values(score).iloc[0]
            skills = {c: float(best[c]) for c in group.columns if c.startswith("skill_vs_")}
            rows.append({"task": run.task, "scope": run.scope, "horizon": horizon, "best_model": best.model,
                         score: float(best[score]), "forecasts": int(best.forecasts), **skills})
    return pd.DataFrame(rows)


def _units_history(store: Store, units: list[str], source: str | None, reported_within: int | None,
                   as_of: pd.Timestamp) -> tuple[History, list[str]]:
    """The history as known just before ``as_of`` and the reference pool: the 30 units with the most conflict in
    it, whatever was requested (the backtest that picks a model runs on this pool, so the choice does not depend on
    the request). Only reports known by ``as_of`` count, for the pool and the model choice as for the features: a
    forecast made today as of T equals the one made on T (docs/methods.md, "Knowledge time")."""
    for unit in units:  # an unknown code is a mistake to name, not a unit without history
        resolve(unit.split("-"))
    levels = {"dyad" if "-" in u else "country" for u in units}
    if len(levels) > 1:
        raise InputError("forecast either countries (ARM) or dyads (ARM-AZE) in one call, not both")
    where = EventFilter(sources=(source,) if source else (), end=as_of.date())
    history = load_history(known_then(store, as_of, where, reported_within), level=levels.pop(), where=where,
                           reported_within=reported_within).known_before(as_of)
    missing = [u for u in units if u not in set(history.units)]
    if missing:
        raise InputError(f"no events for {', '.join(missing)} before {as_of.date()}"
                         f"{f' in source {source}' if source else ''}: nothing to forecast from")
    return history, top_units(history, 30)


def training_pools(units: list[str], pool: list[str]) -> list[tuple[list[str], list[str]]]:
    """(training units, units forecast from them): the pool for its own members, the pool plus the unit for each
    other one, so a unit's forecast is the same whichever other units were asked for."""
    inside = [u for u in dict.fromkeys(units) if u in pool]
    groups = [(pool, inside)] if inside else []
    return groups + [([*pool, u], [u]) for u in dict.fromkeys(units) if u not in pool]


def forecast_escalation(store: Store, units: list[str], *, as_of: dt.date, days: tuple[int, ...] = (7, 30), k: int = 1,
                        source: str | None = None, reported_within: int | None = None,
                        backtests: dict[int, BacktestResult] | None = None) -> pd.DataFrame:
    """Escalation probabilities for countries or dyads (ARM-AZE), each from the model with the best backtest on
    the history up to ``as_of`` (backtested on the 30 most violent units, fitted on them plus the unit itself).

    ``backtests`` holds the backtest to use per horizon: a horizon missing from it is backtested and added (the
    daily service passes its last ones while the data they ran on is unchanged: service/forecasts.py).

    Windows are nested (the 30 days from ``as_of`` hold its 7 days), so a longer window's probability is at least a
    shorter one's: where the two horizons' models disagree, the longer window takes the shorter one's value.
    """
    if not days or min(days) < 1:
        raise InputError(f"--days {min(days, default=0)}: a forecast window is at least 1 day")
    if k < 1:
        raise InputError("--k must be at least 1")
    when = pd.Timestamp(as_of)
    wanted = [normalise_unit(u) for u in units]
    history, pool = _units_history(store, wanted, source, reported_within, when)
    frames: list[pd.DataFrame] = []
    used: dict[int, BacktestResult] = {} if backtests is None else backtests
    for horizon in sorted(set(days)):
        result = used.get(horizon)
        if result is None:
            try:
                result = backtest_escalation(history, horizon_days=horizon, k=k, units=pool,
                                             step_days=7 if horizon <= 7 else 14)
            except InputError as exc:
                raise InputError(f"{exc}{backfill_hint(history, reported_within)}") from None
            result.settings[DATA] = backtest_data(store, result, source, when, "dyads" if "-" in wanted[0] else
                                                  "countries")
        used[horizon] = result
        for training, members in training_pools(wanted, pool):
            frames.append(issue_escalation(history, result, as_of=when, units=members, pool=training,
                                           horizon_days=horizon, k=k))
    frame = pd.concat(frames, ignore_index=True).sort_values(["unit", "horizon"], kind="stable")
    frame["p"] = frame.groupby("unit").p.cummax()
    order = {u: i for i, u in enumerate(dict.fromkeys(wanted))}
    frame = frame.sort_values(["horizon", "unit"], key=lambda s: s.map(order) if s.name == "unit" else s,
                              kind="stable").reset_index(drop=True)
    frame.attrs["notes"] = [_trained_on(history, source, when)]
    return frame


def _trained_on(history: History, source: str | None, as_of: pd.Timestamp) -> str:
    """The history a forecast was fitted on, in one line ("trained on the curated events of 1 September 2015 to
    19 September 2020 known before 20 September 2020: 41 dyads")."""
    first, last = history.first_day, history.last_day
    return (f"trained on the {f'{source} events' if source else 'events of every source'} of {first.day} "
            f"{first:%B %Y} to {last.day} {last:%B %Y} known before {as_of.day} {as_of:%B %Y}: "
            f"{len(history.units)} {'dyads' if '-' in history.units[0] else 'countries'}")


def backtest_data(store: Store, result: BacktestResult, source: str | None, as_of: pd.Timestamp, units: str) -> str:
    """What a forecast's backtest ran on, for a reader to tell two records apart: "the curated events before
    24 July 2020: 30 dyads at 4 origins from 26 June 2020 to 17 July 2020"."""
    if source:
        what = f"the {source} events"
    else:
        names = store.df(f"SELECT DISTINCT source FROM events WHERE event_date < ? AND CAST({KNOWN_AT} AS DATE) < ? "
                         "ORDER BY 1", [as_of.date(), as_of.date()]).source
        what = f"every source's events ({', '.join(names)})"
    origins = sorted(set(pd.to_datetime(result.predictions.origin)))
    return (f"{what} before {as_of.day} {as_of:%B %Y}: {result.predictions.unit.nunique()} {units} at {len(origins)} "
            f"origins from {origins[0].day} {origins[0]:%B %Y} to {origins[-1].day} {origins[-1]:%B %Y}")


def forecast_counts(store: Store, units: list[str], *, as_of: dt.date, source: str | None = None,
                    reported_within: int | None = None, horizons: tuple[int, ...] = (1, 3, 12)) -> pd.DataFrame:
    """Monthly conflict-count forecasts (mean, 90% interval) for countries, 1, 3 and 12 months ahead; a horizon the
    history is too short to backtest is left out and said why in ``frame.attrs["notes"]``."""
    when = pd.Timestamp(as_of)
    history, pool = _units_history(store, units, source, reported_within, when)
    try:
        result = backtest_counts(history, units=pool, horizons=horizons)
    except InputError as exc:
        raise InputError(f"{exc}{backfill_hint(history, reported_within)}") from None
    result.settings[DATA] = backtest_data(store, result, source, when, "countries")
    frame = pd.concat([issue_counts(history, result, as_of=when, units=members, pool=training, horizons=horizons)
                       for training, members in training_pools(units, pool)], ignore_index=True)
    frame.attrs["notes"] = [_trained_on(history, source, when)] + [
        f"{h} months ahead: not forecast: no backtest origin in the history ({history.first_day.date()} to "
        f"{history.last_day.date()}) had 12 months before it and a month {h} months later that the store covers "
        f"(has any events in), so the skill of a {h}-month forecast cannot be measured"
        for h in horizons if h not in set(result.scores.horizon)]
    points = sorted(set(frame.loc[frame.lo.isna(), "model"])) if "lo" in frame else []
    if points:
        frame.attrs["notes"].append(f"model {', '.join(points)} won its backtest: a point forecast (the VIEWS "
                                    "benchmark), so it has no interval")
    return frame


def forecast_alignment(store: Store, units: list[str], poles: tuple[str, str], *, threshold: float = 0.0,
                       horizons: tuple[int, ...] = (1, 5), last_year: int | None = None) -> pd.DataFrame:
    """Where swing states will stand between two poles 1 and 5 years after the last UN-vote year (or after
    ``last_year``, to forecast as of an earlier date with only the votes known then)."""
    if not math.isfinite(threshold):
        raise InputError(f"--threshold {threshold}: give a finite position")
    positions = alignment_positions(store, *poles)
    if last_year is not None:
        positions = positions[positions.year <= last_year]
    missing = [u for u in units if u not in set(positions.unit)]
    if missing:
        raise InputError(f"no UN ideal points for {', '.join(missing)}")
    result = backtest_alignment(positions, horizons=horizons, threshold=threshold)
    years = result.predictions.origin
    result.settings[DATA] = (f"UN ideal points: {result.predictions.unit.nunique()} countries at origins "
                             f"{int(years.min())} to {int(years.max())}")
    frame = issue_alignment(positions, result, units=units, horizons=horizons, threshold=threshold)
    frame["task"] = f"alignment {poles[0]}-{poles[1]}"
    return frame


def normalise_unit(unit: str) -> str:
    """'azE-arm' → 'ARM-AZE'; 'aze' → 'AZE'."""
    parts = [p.strip().upper() for p in unit.split("-")]
    return "-".join(sorted(parts))
