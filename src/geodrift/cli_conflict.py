"""CLI verbs for the conflict history: ``geodrift risk`` (ranked conflict risks for a year, with drivers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from geodrift.cli_common import DbOption, FormatOption, emit, err, open_store, settings, user_errors
from geodrift.csvsafe import to_csv
from geodrift.forecast.conflict_backtest import run_conflict_backtests
from geodrift.forecast.conflict_data import load_conflict_history
from geodrift.forecast.conflict_deaths import backtest_deaths
from geodrift.forecast.conflict_risk import BEST_MODEL, FIRST_ORIGIN, STALE_YEARS, conflict_risk, risk_forecasts
from geodrift.report.conflict_backtest import conflict_sections
from geodrift.report.document import Section
from geodrift.store import Store

SHOWN = {"rank": "#", "unit": "unit", "name": "name", "p_conflict": "P(armed conflict)", "p_war": "P(war)",
         "p_dispute": "P(MID)", "in_conflict_last_known": "in conflict (last known)", "drivers": "main drivers"}


def _record_line(stored: pd.DataFrame) -> str:
    """The next-year record of the stored forecasts, for the table's title."""
    parts = []
    for task in ("conflict", "war"):
        row = stored[(stored.task == task) & (stored.horizon == 1)].iloc[0]
        if pd.notna(row.skill_climatology):
            parts.append(f"{task} {row.skill_climatology:+.2f} vs climatology, {row.skill_persistence:+.2f} vs "
                         f"persistence ({int(row.backtest_forecasts)} forecasts)")
    return f" - backtest Brier skill, next year: {'; '.join(parts)}" if parts else " - no backtest record yet"


def _unread_events(store: Store, last: int, year: int) -> str:
    """What a risk for ``year`` does not see: the years after the conflict history's last (its release lag) and the
    event store's reports of those years, which these models do not read."""
    gap = f"{last + 1}" if last + 1 == year - 1 else f"{last + 1}-{year - 1}"
    said = (f"note: the conflict history ends in {last}: a UCDP year is published the following summer, so by "
            f"1 January {year} its last year is {last}")
    if last + 1 > year - 1:
        return said
    reports = int(store.df("SELECT count(*) AS n FROM events WHERE event_date >= ? AND event_date < ?",
                           [dt.date(last + 1, 1, 1), dt.date(year, 1, 1)]).n.iloc[0]) if store.has_table("events") else 0
    return (f"{said}; nothing of {gap} is seen: these models read UCDP, COW and UN votes only, not the event store "
            f"({reports:,} reports dated {gap} there: its sources cover too few countries and years for a backtest to "
            "weigh them, issue 16 item 2)")


def risk(
    year: Annotated[int, typer.Option("--year", help="forecast year; uses data published by 1 January of it")],
    top: Annotated[int, typer.Option("--top", help="rows to show")] = 20,
    pairs: Annotated[bool, typer.Option("--pairs", help="pairs of countries with a shared history")] = False,
    model: Annotated[str | None, typer.Option(
        "--model", help="conflict model (logistic, boosted, transition, blend, ...); default: each level's best in "
                        "the backtest (logistic for countries, blend+horizon for pairs)")] = None,
    record: Annotated[bool, typer.Option(
        "--record/--no-record", help="backtest the model and store every unit's forecasts (next year and within "
                                     "five years) with that record in the forecasts table")] = True,
    origins_from: Annotated[int, typer.Option(
        "--origins-from", help="first origin year of the backtest record")] = FIRST_ORIGIN,
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Countries (or pairs) ranked by P(armed conflict) in YEAR, with P(war), P(dispute) and the main drivers;
    every unit's forecasts are stored with the model's backtest record (briefings and /risks show them)."""
    level = "pair" if pairs else "country"
    model = model or BEST_MODEL[level]
    with user_errors():
        with open_store(settings(db), read_only=True) as store:
            frame = conflict_risk(store, year, top=top, level=level, model=model, record=False)
            unread = _unread_events(store, int(frame.data_through.iloc[0]), year)
            stored = risk_forecasts(store, year, level=level, model=model, first_origin=origins_from) \
                if record else None
        if stored is not None:
            with open_store(settings(db)) as store:
                store.record_forecasts(pa.Table.from_pandas(stored, preserve_index=False))
            err.print(f"stored {len(stored)} {level} forecasts for {year} (next year and within five years)")
        err.print(unread, soft_wrap=True, highlight=False)
        if fmt != "table":
            emit(frame, fmt)
            return
        if stored is not None:  # show what was stored (coherent across the two horizons, conflict_coherence)
            next_year = stored[stored.horizon == 1].pivot(index="unit", columns="task", values="p")
            frame = frame.assign(**{f"p_{t}": frame.unit.map(next_year[t]).to_numpy() for t in next_year.columns})
        shown = frame[list(SHOWN)].round(3)
        if frame.p_dispute.isna().all():
            shown = shown.assign(p_dispute="no data")
            err.print("P(MID): no COW dispute data in the store (geodrift ingest FILE --format cow-mid-dyad-years); "
                      "the dispute task is not forecast")
        shown = shown.rename(columns=SHOWN)
        last, mid = int(frame.data_through.iloc[0]), frame.mid_through.iloc[0]
        sources = f"UCDP data through {last}" + ("" if pd.isna(mid) else f", COW MID through {int(mid)}")
        title = f"Conflict risk {year} ({model}; {sources})"
        if not pd.isna(mid) and int(mid) < last - STALE_YEARS:
            err.print(f"COW's dispute data end in {int(mid)}, {last - int(mid)} years before the UCDP data: P(MID) "
                      f"and the MID drivers (marked 'COW to {int(mid)}') describe the disputes as of {int(mid)}")
        emit(shown, fmt, title + (_record_line(stored) if stored is not None else ""))


def conflict_backtest(store: Store, out_dir: Path, origins_from: int) -> tuple[list[Section], pd.DataFrame]:
    """The conflict part of ``geodrift backtest``: every level, outcome and horizon plus battle deaths, their CSVs
    in ``out_dir``, the report sections and summary rows (best model per task, as the event tasks give them)."""
    history = load_conflict_history(store)
    results = run_conflict_backtests(history, origins_from=origins_from,
                                     progress=lambda what: err.print(f"backtesting {what}"))
    deaths = []
    for level in ("country", "pair") if history.has("deaths") else ():
        err.print(f"backtesting battle deaths per {level}")
        deaths.append(backtest_deaths(history, origins_from=origins_from, level=level))
        stem = "conflict_deaths" if level == "country" else "conflict_pair_deaths"
        to_csv(deaths[-1].scores, out_dir / f"{stem}_scores.csv")
        to_csv(deaths[-1].quantiles, out_dir / f"{stem}_forecasts.csv.gz")
    rows = []
    for result in results:
        stem = f"conflict_{result.level}_{result.outcome}_h{result.horizon}"
        to_csv(result.scores, out_dir / f"{stem}_scores.csv")
        to_csv(result.predictions, out_dir / f"{stem}_predictions.csv.gz")
        if result.periods is not None:
            to_csv(result.periods, out_dir / f"{stem}_periods.csv")
        best = result.scores.sort_values("brier").iloc[0]
        rows.append({"task": "conflict", "scope": f"{result.level} {result.outcome}", "horizon": result.horizon,
                     "best_model": best.model, "brier": best.brier, "skill_vs_climatology": best.skill_vs_climatology,
                     "skill_vs_persistence": best.skill_vs_persistence, "forecasts": best.forecasts})
    for death in deaths:
        best = death.scores.sort_values("crps").iloc[0]
        rows.append({"task": "conflict", "scope": f"{death.level} battle deaths", "horizon": 1, "best_model": best.model,
                     "crps": best.crps, "skill_vs_climatology": best.skill_vs_climatology,
                     "skill_vs_persistence": best.skill_vs_persistence, "forecasts": best.forecasts})
    return conflict_sections(results, deaths, out_dir), pd.DataFrame(rows)


def register(app: typer.Typer) -> None:
    app.command("risk")(risk)
