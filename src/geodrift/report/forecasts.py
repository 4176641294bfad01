"""Forecast reports: the backtest record of every task, and the stored forecasts a briefing shows."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pandas as pd

from geodrift.codebooks import BriefingRegion
from geodrift.forecast.tasks import TaskRun
from geodrift.query import parse_day, sql_in
from geodrift.report.charts import forecast_chart, horizon_chart, reliability_chart
from geodrift.report.document import Chart, Document, Paragraph, Section, Table, now_iso
from geodrift.report.narrative import Narrator, TemplateNarrator
from geodrift.report.risks import with_vintage
from geodrift.store import Store

BASELINES = {"climatology", "persistence", "zero", "last-value"}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:.3f}"
    return str(value)


def backtest_document(runs: list[TaskRun], out_dir: Path, *, narrator: Narrator | None = None) -> Document:
    """One section per task and scope: what the best model achieved against the baselines, the scores of every
    model per horizon, a reliability diagram (probabilities) or skill by horizon (counts, alignment)."""
    narrator = narrator or TemplateNarrator()
    out_dir.mkdir(parents=True, exist_ok=True)
    sections = []
    for run in runs:
        section = Section(f"{run.task} — {run.scope}")
        if run.result is None:
            section.paragraphs.append(Paragraph(narrator.say("backtest_skipped", {"reason": run.skipped})))
            sections.append(section)
            continue
        table = run.result.scores
        score = "brier" if "brier" in table else "crps"
        for horizon, group in table.groupby("horizon"):
            best = group.sort_values(score).iloc[0]
            skills = {c.removeprefix("skill_vs_"): float(best[c]) for c in group.columns if c.startswith("skill_vs_")}
            section.paragraphs.append(Paragraph(narrator.say("backtest", {
                "horizon": horizon, "model": best.model, "score": score, "value": f"{best[score]:.3f}",
                "forecasts": int(best.forecasts), "baseline": best.model in BASELINES,
                "skills": ", ".join(f"{v:+.1%} against {k}" for k, v in skills.items() if k != best.model)})))
        section.tables.append(Table(f"Scores per model and horizon ({run.result.task}; lower {score} is better)",
                                    [str(c).replace("_", " ") for c in table.columns],
                                    [[_fmt(v) for v in row] for row in table.astype(object).to_numpy().tolist()]))
        stem = _slug(f"{run.task} {run.scope}")
        if run.result.reliability:
            path = reliability_chart(run.result.reliability, out_dir / f"{stem}_reliability.png",
                                     title=f"Reliability: {run.task}, {run.scope}")
            section.charts.append(Chart(f"Reliability diagram, {run.task} ({run.scope})", path,
                                        "Observed frequency against forecast probability for each model (bins of at least "
                                        "10 forecasts)."))
        if table.horizon.nunique() > 1:
            path = horizon_chart(table, score, out_dir / f"{stem}_{score}.png", ylabel=score,
                                 title=f"{score.upper()} by horizon: {run.task}, {run.scope}")
            section.charts.append(Chart(f"{score.upper()} by horizon, {run.task} ({run.scope})", path,
                                        f"Mean {score} of each model at each horizon."))
        sections.append(section)
    return Document(kind="backtest", title="Forecast backtests",
                    subtitle="Rolling-origin backtests over the whole stored history: every model refitted at every "
                             "origin on what was known then, scored against climatology and persistence.",
                    generated=now_iso(), sections=sections, citations={}, parameters={})


def forecast_document(forecasts: pd.DataFrame, out_dir: Path, *, title: str,
                      narrator: Narrator | None = None) -> Document:
    """Issued forecasts as a report: one sentence each with its backtest record, a chart and the table."""
    from geodrift.report.briefing import forecast_items

    narrator = narrator or TemplateNarrator()
    out_dir.mkdir(parents=True, exist_ok=True)
    section = Section("Forecasts", items=forecast_items(forecasts, narrator))
    if not section.items:  # counts: no sentence template; the table and chart carry them
        section.paragraphs.append(Paragraph(narrator.say("forecast_counts", {"n": len(forecasts)})))
    path = forecast_chart(forecasts, out_dir / f"{_slug(title)}.png", title=title)
    section.charts.append(Chart(title, path, "Each unit's forecast per horizon."))
    columns = [c for c in ("unit", "task", "horizon", "horizon_unit", "k", "p", "mean", "lo", "hi", "model",
                           "skill_climatology", "skill_persistence", "backtest_forecasts") if c in forecasts]
    section.tables.append(Table("Forecasts with the backtest record of the model that made them",
                                [c.replace("_", " ") for c in columns],
                                [[_fmt(v) for v in row] for row in forecasts[columns].astype(object).to_numpy().tolist()]))
    return Document(kind="forecast", title=title, subtitle="Probabilistic forecasts from what was known at the time, "
                    "each by the model with the best rolling backtest.", generated=now_iso(), sections=[section],
                    citations={}, parameters={"as_of": str(forecasts.as_of.max())})


def watched_units(region: BriefingRegion) -> list[str]:
    """The forecast units a briefing of ``region`` watches, the one rule of every briefing (``geodrift brief``, the
    dashboard, the API, the service, the demo): its members, every pair of them (ARM-AZE), and each member's pair with
    each of the region's two poles (ARM-RUS, AZE-TUR): a swing state's ties to both powers are what the flagship
    analysis is about. Pairs are named as forecasts name them, the two codes sorted."""
    members = list(region.members)
    pairs = {"-".join(sorted(pair)) for pair in itertools.combinations(members, 2)}
    pairs |= {"-".join(sorted((member, pole))) for member in members for pole in region.poles or () if pole != member}
    return [*members, *sorted(pairs)]


def analysis_units(swing: str, pole_a: str, pole_b: str) -> list[str]:
    """Forecast units an analysis of ``swing`` between two poles watches: the swing state and its pairs with them."""
    return [swing, *(f"{min(swing, p)}-{max(swing, p)}" for p in (pole_a, pole_b))]


def forecast_units(store: Store) -> list[str]:
    """Every unit (country or pair) with a stored forecast."""
    if not store.has_table("forecasts"):
        return []
    return sorted(store.df("SELECT DISTINCT unit FROM forecasts").unit)


WINDOW_END = """CASE horizon_unit WHEN 'days' THEN as_of + to_days(horizon) WHEN 'weeks' THEN as_of + to_weeks(horizon)
    WHEN 'months' THEN as_of + to_months(horizon) ELSE as_of + to_years(horizon) END"""
"""The last day a stored forecast speaks about: its origin plus its horizon (alignment and conflict forecasts count
years from the end of their origin year)."""


def stored_forecasts(store: Store, units: list[str], day: dt.date | str,
                     known_by: dt.date | str | None = None) -> pd.DataFrame:
    """The latest forecasts made as of ``known_by`` (default ``day``) or before for the given units whose window is
    still open on ``day`` (empty if none are stored); conflict forecasts (``geodrift risk``) carry their data's
    ``vintage``.

    Why the window: a 30-day outlook issued in July 2020 says nothing about a page dated 2024; shown there, it would
    read as today's outlook. Why ``known_by``: a briefing written as known on 20 July must not show a forecast made
    on the 24th (knowledge time), though that briefing is of the 24th."""
    if not store.has_table("forecasts") or not units:
        return pd.DataFrame()
    day = parse_day(day, "day") if isinstance(day, str) else day
    known_by = parse_day(known_by, "known_by") if isinstance(known_by, str) else known_by
    when = f"DATE '{day.isoformat()}'"
    known = f"DATE '{known_by.isoformat()}'" if known_by is not None else when
    return with_vintage(store, store.df(f"""
        SELECT * FROM forecasts WHERE unit IN {sql_in(units)} AND as_of <= {known} AND {WINDOW_END} >= {when}
        QUALIFY row_number() OVER (PARTITION BY task, unit, horizon, k ORDER BY as_of DESC, issued_at DESC) = 1
        ORDER BY task, unit, horizon"""))


def latest_forecasts(store: Store, units: list[str], *, limit: int, offset: int = 0) -> pd.DataFrame:
    """The latest stored forecast per task, unit, horizon and k, open or not, with where its window ends
    (``window_end``), newest first, one page of ``limit`` rows from ``offset``.

    Why not the open ones: a store whose forecasts were made for 2020 has none open today, and an empty answer
    would read as "no forecasts"; the caller asks for the open ones by naming a day."""
    if not store.has_table("forecasts") or not units:
        return pd.DataFrame()
    return with_vintage(store, store.df(f"""
        SELECT *, CAST({WINDOW_END} AS DATE) AS window_end FROM forecasts WHERE unit IN {sql_in(units)}
        QUALIFY row_number() OVER (PARTITION BY task, unit, horizon, k ORDER BY as_of DESC, issued_at DESC) = 1
        ORDER BY as_of DESC, task, unit, horizon LIMIT {int(limit)} OFFSET {int(offset)}"""))


def with_outcomes(store: Store, forecasts: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """``forecasts`` with the outcome of each escalation forecast whose window closed before ``day``: ``window_end``
    and ``observed``, the distinct material-conflict events (clusters, quad class 4) between its two countries
    dated in the window. A retrospective analysis shows a closed forecast with what happened, never as an outlook."""
    if forecasts.empty or "task" not in forecasts:
        return forecasts
    frame = forecasts.copy()
    frame["window_end"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    frame["observed"] = pd.Series(None, index=frame.index, dtype=object)
    for i, row in frame.iterrows():
        pair = str(row.unit).split("-")
        if row.task != "escalation" or len(pair) != 2 or row.horizon_unit != "days":
            continue
        start = pd.Timestamp(row.as_of)
        end = start + pd.Timedelta(days=int(row.horizon))
        if end.date() >= day:
            continue
        clusters = "coalesce(c.cluster_id, e.event_id)" if store.has_table("clusters") else "e.event_id"
        joined = "LEFT JOIN clusters AS c USING (event_id)" if store.has_table("clusters") else ""
        count = store.con.execute(f"""
            SELECT count(DISTINCT {clusters}) FROM events AS e {joined}
            WHERE quad_class = 4 AND event_date > ? AND event_date <= ?
              AND ((actor1_country = ? AND actor2_country = ?) OR (actor1_country = ? AND actor2_country = ?))""",
            [start.date(), end.date(), pair[0], pair[1], pair[1], pair[0]]).fetchall()
        frame.at[i, "window_end"] = end
        frame.at[i, "observed"] = int(count[0][0]) if count else 0
    return frame
