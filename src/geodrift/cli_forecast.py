"""CLI verbs for forecasts: issue them (escalation, counts, alignment) and backtest every task."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import pyarrow as pa
import typer

from geodrift.cli_common import (
    DbOption,
    FormatOption,
    day,
    emit,
    err,
    open_store,
    out,
    out_folder,
    settings,
    user_errors,
)
from geodrift.cli_conflict import conflict_backtest
from geodrift.conflict_store import table_counts
from geodrift.csvsafe import to_csv
from geodrift.errors import InputError
from geodrift.forecast.conflict_risk import FIRST_ORIGIN
from geodrift.forecast.source_choice import SourceChoice, choose_source
from geodrift.forecast.tasks import (
    forecast_alignment,
    forecast_counts,
    forecast_escalation,
    normalise_unit,
    run_backtests,
    summary,
)
from geodrift.query import check_day
from geodrift.report.forecasts import backtest_document, forecast_document
from geodrift.report.render import FORMATS, write_document

forecast_app = typer.Typer(help="Issue probabilistic forecasts with their backtest record.", no_args_is_help=True)

AsOfOption = Annotated[str, typer.Option("--as-of", help="forecast from this day, using only what was known then")]
SourceOption = Annotated[str | None, typer.Option("--source", help=(
    "only events of this source (gdelt1, curated, ...); 'all' pools every source; default: the source with the most "
    "reports naming the units in the year before --as-of"))]
SaveOption = Annotated[bool, typer.Option("--save", help="store the forecasts (briefings show them)")]
OutOption = Annotated[Path | None, typer.Option("--out", help="also write forecasts.csv, a chart and a report here")]
ReportedOption = Annotated[int | None, typer.Option(
    "--reported-within", help="assume events were known this many days after they happened (backfilled archives)")]


SHOWN = {
    "escalation": {"unit": "unit", "horizon": "days", "k": "k", "p": "P(>= k)", "model": "model",
                   "skill_climatology": "Brier skill vs climatology", "skill_persistence": "vs persistence",
                   "backtest_forecasts": "backtest n"},
    "counts": {"unit": "unit", "horizon": "months ahead", "mean": "mean", "lo": "5%", "hi": "95%", "model": "model",
               "skill_climatology": "CRPS skill vs climatology", "backtest_forecasts": "backtest n"},
    "alignment": {"unit": "unit", "horizon": "years", "mean": "position", "lo": "5%", "hi": "95%",
                  "p": "P(> threshold)", "model": "model", "skill_climatology": "CRPS skill vs climatology",
                  "skill_persistence": "vs persistence", "backtest_forecasts": "backtest n"},
}


def _finish(frame: pd.DataFrame, fmt: str, title: str, save: bool, db: str | None, out_dir: Path | None) -> None:
    columns = SHOWN[str(frame.task.iloc[0]).split()[0]]
    shown = frame if fmt != "table" else frame[list(columns)].rename(columns=columns).round(3)
    emit(shown.drop(columns=["issued_at"], errors="ignore"), fmt, title)
    if out_dir is not None:
        out_folder(out_dir, "--out")
        to_csv(frame, out_dir / "forecasts.csv")
        paths = write_document(forecast_document(frame, out_dir, title=title), out_dir, "forecasts", FORMATS)
        err.print("wrote: " + ", ".join(str(p) for p in [out_dir / "forecasts.csv", *paths]), soft_wrap=True)
    if save:
        with open_store(settings(db)) as store:
            store.record_forecasts(pa.Table.from_pandas(frame, preserve_index=False))
        err.print(f"stored {len(frame)} forecasts")


def _explain(frame: pd.DataFrame, choice: SourceChoice, unit: str, score: str) -> None:
    """Say what a forecast read and which model made it, with its record: a probability alone cannot be trusted."""
    err.print(f"source: {choice.source or 'every source'} ({choice.reason})", soft_wrap=True, highlight=False)
    for note in frame.attrs.get("notes", []):
        err.print(f"note: {note}", soft_wrap=True, highlight=False)
    for row in frame.drop_duplicates("horizon").itertuples():
        persistence = (f", {row.skill_persistence:+.3f} vs persistence"
                       if pd.notna(getattr(row, "skill_persistence", None)) else "")
        err.print(f"model at {row.horizon} {unit}: {row.model}, the best of the backtest on {row.backtest_data}; "
                  f"{score} skill {row.skill_climatology:+.3f} vs climatology{persistence} over "
                  f"{row.backtest_forecasts:,} backtest forecasts", soft_wrap=True, highlight=False)


@forecast_app.command("escalation")
def escalation(
    units: Annotated[list[str], typer.Argument(help="countries (ARM) or dyads (ARM-AZE)")], as_of: AsOfOption,
    days: Annotated[list[int] | None, typer.Option("--days", help="window lengths (default 7 and 30)")] = None,
    k: Annotated[int, typer.Option("--k", help="at least this many material-conflict events")] = 1,
    source: SourceOption = None, reported_within: ReportedOption = None, save: SaveOption = False,
    out_dir: OutOption = None, fmt: FormatOption = "table", db: DbOption = None,
) -> None:
    """Probability of at least k material-conflict events in the next 7 and 30 days."""
    with user_errors():
        when = day(as_of, "--as-of")
        assert when is not None
        check_day(when, "--as-of")
        with open_store(settings(db), read_only=True) as store:
            choice = choose_source(store, [normalise_unit(u) for u in units], when, source)
            frame = forecast_escalation(store, units, as_of=when, days=tuple(days or (7, 30)), k=k,
                                        source=choice.source, reported_within=reported_within)
        _explain(frame, choice, "days", "Brier")
        _finish(frame, fmt, f"Escalation forecasts as of {when}", save, db, out_dir)


@forecast_app.command("counts")
def counts(
    units: Annotated[list[str], typer.Argument(help="countries")], as_of: AsOfOption, source: SourceOption = None,
    reported_within: ReportedOption = None, save: SaveOption = False, out_dir: OutOption = None,
    fmt: FormatOption = "table", db: DbOption = None,
) -> None:
    """Monthly material-conflict counts 1, 3 and 12 months ahead: mean and 90% interval."""
    with user_errors():
        when = day(as_of, "--as-of")
        assert when is not None
        check_day(when, "--as-of")
        with open_store(settings(db), read_only=True) as store:
            choice = choose_source(store, [u.upper() for u in units], when, source)
            frame = forecast_counts(store, [u.upper() for u in units], as_of=when, source=choice.source,
                                    reported_within=reported_within)
        _explain(frame, choice, "months ahead", "CRPS")
        _finish(frame, fmt, f"Monthly conflict-count forecasts as of {when}", save, db, out_dir)


@forecast_app.command("alignment")
def alignment(
    units: Annotated[list[str], typer.Argument(help="swing states")],
    poles: Annotated[tuple[str, str], typer.Option("--poles", help="the two poles, e.g. --poles RUS TUR")],
    threshold: Annotated[float, typer.Option(help="report P(position > threshold); 0 = closer to the second pole")] = 0.0,
    last_year: Annotated[int | None, typer.Option(help="use UN votes up to this year only")] = None,
    save: SaveOption = False, out_dir: OutOption = None, fmt: FormatOption = "table", db: DbOption = None,
) -> None:
    """Position between two poles 1 and 5 years ahead (UN ideal points), with intervals and P(crossing)."""
    with user_errors():
        with open_store(settings(db), read_only=True) as store:
            frame = forecast_alignment(store, [u.upper() for u in units], (poles[0].upper(), poles[1].upper()),
                                       threshold=threshold, last_year=last_year)
        _finish(frame, fmt, f"Alignment forecasts between {poles[0]} and {poles[1]}", save, db, out_dir)


def backtest(
    out_dir: Annotated[Path, typer.Option("--out", help="folder for tables, charts and the report")],
    task: Annotated[list[str] | None, typer.Option(
        "--task", help="escalation, counts, alignment, conflict (default: all; conflict when UCDP data are stored)")] = None,
    source: Annotated[list[str] | None, typer.Option("--source", help="sources to backtest (default: each stored)")] = None,
    max_units: Annotated[int, typer.Option(help="countries/dyads per source (most conflict first)")] = 30,
    poles: Annotated[tuple[str, str], typer.Option("--poles", help="poles of the alignment task")] = ("RUS", "USA"),
    origins_from: Annotated[int, typer.Option(
        "--origins-from", help="conflict: first origin year (data published by 1 January of it)")] = FIRST_ORIGIN,
    reported_within: ReportedOption = None, db: DbOption = None,
) -> None:
    """Rolling-origin backtests of every task over the whole stored history: tables, charts, an HTML report."""
    with user_errors():
        bad = [t for t in task or () if t not in ("escalation", "counts", "alignment", "conflict")]
        if bad:
            raise InputError(f"unknown task {bad[0]!r}; use escalation, counts, alignment or conflict")
        out_folder(out_dir, "--out")
        with open_store(settings(db), read_only=True) as store:
            tasks = tuple(task or ("escalation", "counts", "alignment", *(
                ("conflict",) if store.has_table("conflict_years") and table_counts(store)["conflict_years"] else ())))
            event_tasks = tuple(t for t in tasks if t != "conflict")
            runs = run_backtests(store, tasks=event_tasks, sources=source, max_units=max_units,
                                 reported_within=reported_within, poles=(poles[0].upper(), poles[1].upper()),
                                 progress=lambda what: err.print(f"backtesting {what}")) if event_tasks else []
            conflict = conflict_backtest(store, out_dir, origins_from) if "conflict" in tasks else None
        table = summary(runs) if runs else pd.DataFrame()
        if conflict is not None:
            table = pd.concat([table, conflict[1]], ignore_index=True)
        to_csv(table, out_dir / "summary.csv")
        for run in runs:
            if run.result is not None:
                stem = f"{run.task} {run.scope}".replace(",", "").replace(" ", "_")
                to_csv(run.result.scores, out_dir / f"{stem}_scores.csv")
                to_csv(run.result.predictions, out_dir / f"{stem}_predictions.csv.gz")
                to_csv(run.result.per_unit, out_dir / f"{stem}_per_unit.csv")
        document = backtest_document(runs, out_dir)
        document.sections.extend(conflict[0] if conflict is not None else [])
        paths = write_document(document, out_dir, "backtest", FORMATS)
        ran = table[table.skipped.isna()] if "skipped" in table else table
        if not ran.empty:
            shown = ran.assign(score=ran.get("brier", pd.Series(dtype=float)).fillna(ran.get("crps", pd.Series(dtype=float))),
                               skill_climatology=ran.get("skill_vs_climatology"),
                               horizon=ran.horizon.astype(int), forecasts=ran.forecasts.astype(int))
            columns = ["task", "scope", "horizon", "best_model", "score", "skill_climatology",
                       *(["skill_vs_persistence"] if "skill_vs_persistence" in ran else []), "forecasts"]
            emit(shown[columns].rename(columns={"score": "Brier / CRPS", "skill_climatology": "skill vs climatology",
                                                "skill_vs_persistence": "vs persistence"}).round(3),
                 "table", "Backtest summary: best model per task and horizon (details in the report)")
        for run in runs:
            if run.skipped:
                out.print(f"not run: {run.task} ({run.scope}): {run.skipped}", soft_wrap=True, highlight=False)
        out.print("wrote: " + ", ".join(str(p) for p in [out_dir / "summary.csv", *paths]), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the forecast verbs to the main app."""
    app.add_typer(forecast_app, name="forecast")
    app.command()(backtest)
