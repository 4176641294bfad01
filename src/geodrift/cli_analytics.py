"""CLI verbs for analytics: dyads, alignment, drift, flare-ups, and loading UN votes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from geodrift.analytics.alignment import alignment_by_source
from geodrift.analytics.drift import detect_online
from geodrift.analytics.dyads import dyad_matrix, dyad_series, dyad_undated, undated_note
from geodrift.analytics.flareups import MIN_HISTORY
from geodrift.analytics.flareups import flareups as find_flareups
from geodrift.analytics.places import located_events
from geodrift.analytics.shifts import alignment_drift, dyad_drift
from geodrift.analytics.unvotes import load_unvotes
from geodrift.cli_common import (
    DbOption,
    FormatOption,
    day,
    emit,
    err,
    open_store,
    out,
    settings,
    spark_reader,
    user_errors,
)
from geodrift.config import Settings
from geodrift.errors import InputError
from geodrift.events import count_label
from geodrift.query import FREQS, EventFilter, through
from geodrift.report.charts import map_chart, matrix_chart, series_chart

FromOption = Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")]
ToOption = Annotated[str | None, typer.Option("--to", help="last day (inclusive), YYYY-MM-DD")]
FreqOption = Annotated[str, typer.Option("--freq", help=f"period: {', '.join(FREQS)}")]
ChartOption = Annotated[Path | None, typer.Option("--chart", help="write a chart: .png, .svg or .html")]
PolesOption = Annotated[tuple[str, str] | None, typer.Option("--poles", help="the two poles, e.g. --poles RUS TUR")]
RoleOption = Annotated[list[str] | None, typer.Option("--role", help="keep events with an actor of this role (repeatable)")]
ModalityOption = Annotated[list[str] | None, typer.Option("--modality", help="modalities counted (default: actual)")]
MAP_LIMIT = 20_000
"""The most points a map draws."""
UnitOption = Annotated[str, typer.Option("--unit", help="count clusters (one per real-world event) or reports")]


def _filter(start: str | None, end: str | None, roles: list[str] | None = None, min_sources: int = 1,
            root_only: bool = False, modality: list[str] | None = None, unit: str = "clusters") -> EventFilter:
    first = day(start, "--from")
    return EventFilter(start=first, end=through(first, day(end, "--to")), roles=tuple(roles or ()),
                       min_sources=min_sources, root_only=root_only, modalities=tuple(modality or ("actual",)),
                       unit=unit)


def dyads(
    a: Annotated[str, typer.Argument(help="country, group (NATO, EU, CSTO) or comma list")],
    b: Annotated[str, typer.Argument(help="the other side")],
    directed: Annotated[bool, typer.Option(help="only events from A to B")] = False,
    freq: FreqOption = "month", start: FromOption = None, end: ToOption = None, role: RoleOption = None,
    min_sources: Annotated[int, typer.Option(help="keep events reported by at least this many sources")] = 1,
    root_only: Annotated[bool, typer.Option(help="only events from lead paragraphs (GDELT IsRootEvent)")] = False,
    modality: ModalityOption = None, unit: UnitOption = "clusters", fmt: FormatOption = "table",
    chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Cooperation and conflict between A and B per period, source-weighted and coverage-normalised."""
    with user_errors():
        where = _filter(start, end, role, min_sources, root_only, modality, unit)
        cfg = settings(db)
        with open_store(cfg, read_only=True) as store:
            reader = spark_reader(store, cfg)
            frame = dyad_series(reader, a, b, directed=directed, freq=freq, where=where)
            apart = undated_note(dyad_undated(reader, a, b, directed=directed, freq=freq, where=where), freq,
                                 "reports" if unit == "reports" else "events")
        if frame.empty or (frame.events.sum() == 0 and not apart):
            raise InputError(f"no events between {a} and {b} in this selection")
        emit(frame, fmt, f"{a}–{b} by {freq}")
        if apart:  # beside the table; after JSON or CSV on stderr, so stdout stays one document
            (out if fmt == "table" else err).print(f"{apart} (docs/methods.md, \"Dates known to a month\")",
                                                   soft_wrap=True)
        if chart:
            series_chart(frame, "goldstein_mean", chart, title=f"{a}–{b}: mean Goldstein per {freq}",
                         ylabel="source-weighted mean Goldstein")
            out.print(f"chart: {chart}") if fmt == "table" else None


def alignment(
    swing: Annotated[str, typer.Argument(help="the swing state, e.g. AZE")],
    poles: PolesOption = None,
    source: Annotated[str, typer.Option(help="events, affinity (third-country portfolio) or unvotes")] = "events",
    freq: FreqOption = "month", start: FromOption = None, end: ToOption = None, modality: ModalityOption = None,
    unit: UnitOption = "clusters", fmt: FormatOption = "table", chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Alignment of a swing state between two poles (-1 = first pole, +1 = second), with intervals."""
    with user_errors():
        where = _filter(start, end, modality=modality, unit=unit)
        if poles is None:
            raise InputError("alignment needs --poles A B")
        with open_store(settings(db), read_only=True) as store:
            frame, interval = alignment_by_source(store, swing, *poles, source=source, freq=freq, where=where)
        lo, hi = ("lo", "hi") if interval else (None, None)
        if frame.empty:
            raise InputError(f"no data for {swing} between {poles[0]} and {poles[1]} in this selection")
        emit(frame, fmt, f"{swing} between {poles[0]} (-1) and {poles[1]} (+1), from {source}")
        if chart:
            series_chart(frame, "alignment", chart, lo=lo, hi=hi, ylabel=f"← {poles[0]}   alignment   {poles[1]} →",
                         title=f"{swing} between {poles[0]} and {poles[1]} ({source})")


def drift(
    first: Annotated[str, typer.Argument(help="swing state (with --poles) or first country of a dyad")],
    second: Annotated[str | None, typer.Argument(help="second country of a dyad")] = None,
    poles: PolesOption = None, freq: FreqOption = "month", start: FromOption = None, end: ToOption = None,
    alpha: Annotated[float, typer.Option(help="share of placebo series allowed a false change point")] = 0.02,
    online: Annotated[bool, typer.Option(help="also run the online detector and list its alarms")] = False,
    unit: UnitOption = "clusters", fmt: FormatOption = "table", chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Change points in an alignment (S --poles A B) or a dyad (A B), with the events behind each shift."""
    with user_errors():
        where = _filter(start, end, unit=unit)
        with open_store(settings(db), read_only=True) as store:
            if poles is not None and second is None:
                result = alignment_drift(store, first, *poles, freq=freq, where=where, alpha=alpha)
                title = f"drift of {first} between {poles[0]} and {poles[1]}"
            elif second is not None and poles is None:
                result = dyad_drift(store, first, second, freq=freq, where=where, alpha=alpha)
                title = f"drift of the {first}–{second} dyad ({result.column})"
            else:
                raise InputError("use 'drift S --poles A B' for an alignment or 'drift A B' for a dyad")
        table = result.table()
        if fmt != "table":
            evidence = [ev.assign(change_point=date.date()) for date, ev in result.evidence.items()]
            emit(table.merge(pd.concat(evidence), left_on="date", right_on="change_point", how="left")
                 if evidence else table, fmt)
        else:
            emit(table, fmt, title)
            if table.empty:
                values = result.series[result.column]
                span = (f"{pd.Timestamp(result.series.period.min()).date()} to "
                        f"{pd.Timestamp(result.series.period.max()).date()}" if len(result.series) else "no period")
                out.print(f"no change point: the series shows no shift beyond what placebo series produce "
                          f"({int(values.notna().sum())} of {len(values)} {freq} periods have a value, {span}; "
                          "with few, only a large shift can show)", soft_wrap=True, highlight=False)
            for date, ev in result.evidence.items():
                emit(ev[["event_date", "actor1_country", "actor2_country", "event_code", "contribution", "outlet",
                         "source_url"]].head(5), "table", f"evidence for the change on {date.date()}")
            if online:
                values = result.series.set_index("period")[result.column]
                for method in ("cusum", "bocpd"):
                    alarms = detect_online(values, method=method)
                    out.print(f"online alarms ({method}): " + (
                        ", ".join(f"{a.date()} (change near {c.date()})" for a, c in alarms) or "none"))
        if chart:
            series_chart(result.series, result.column, chart, title=title, changes=[p.date for p in result.points],
                         lo="lo" if "lo" in result.series else None, hi="hi" if "hi" in result.series else None)


def flareups(
    a: Annotated[str | None, typer.Argument(help="first country of a dyad")] = None,
    b: Annotated[str | None, typer.Argument(help="second country of a dyad")] = None,
    country: Annotated[str | None, typer.Option(help="events located in this country instead of a dyad")] = None,
    freq: FreqOption = "week", start: FromOption = None, end: ToOption = None,
    baseline: Annotated[int, typer.Option(help="periods in the trailing baseline")] = 26,
    level: Annotated[float, typer.Option(help="flag counts above this predictive quantile")] = 0.99,
    show_all: Annotated[bool, typer.Option("--all", help="list every period, not only flare-ups")] = False,
    unit: UnitOption = "clusters", fmt: FormatOption = "table", chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Material-conflict flare-ups on a dyad or in a country against their own baseline (the periods before --from)."""
    with user_errors():
        where = _filter(start, end, unit=unit)
        cfg = settings(db)
        with open_store(cfg, read_only=True) as store:
            frame = find_flareups(spark_reader(store, cfg), a, b, country=country, freq=freq, where=where,
                                  baseline=baseline, level=level)
        shown = frame if show_all else frame[frame.flare_up]
        emit(shown, fmt, f"flare-ups ({'all periods' if show_all else 'flagged periods'})")
        if fmt == "table" and shown.empty:
            out.print("no flare-up in this selection")
        untested = frame[frame.untested > 0]
        if not untested.empty:  # never a silent "no flare-up" over events the rule could not test
            (out if fmt == "table" else err).print(
                f"{count_label(int(untested.untested.sum()), 'material-conflict event')} in "
                f"{count_label(len(untested), 'period')} (from {untested.period.min():%Y-%m-%d}) not tested: their sources "
                f"have fewer than {MIN_HISTORY} periods of their own history of this subject (docs/methods.md, flare-ups)")
        if chart:
            series_chart(frame, "conflict_events", chart, title="material-conflict events and flare-ups",
                         changes=list(frame.period[frame.first_detection]), ylabel="events")


def matrix(
    countries: Annotated[str, typer.Argument(help="comma list or group, e.g. ARM,AZE,GEO,RUS,TUR")],
    start: FromOption = None, end: ToOption = None, unit: UnitOption = "clusters", fmt: FormatOption = "table",
    chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Mean Goldstein (source-weighted) of every pair of countries, as a matrix."""
    with user_errors():
        where = _filter(start, end, unit=unit)
        with open_store(settings(db), read_only=True) as store:
            grid = dyad_matrix(store, countries, where=where)
        emit(grid.reset_index(names="country"), fmt, "mean Goldstein by dyad (blank: no events)")
        if chart:
            matrix_chart(grid, chart, title=f"Dyads among {countries}: mean Goldstein")


def map_events(
    a: Annotated[str | None, typer.Argument(help="first country of a dyad")] = None,
    b: Annotated[str | None, typer.Argument(help="second country of a dyad")] = None,
    country: Annotated[str | None, typer.Option(help="events located in this country")] = None,
    start: FromOption = None, end: ToOption = None, unit: UnitOption = "clusters", fmt: FormatOption = "table",
    chart: ChartOption = None, db: DbOption = None,
) -> None:
    """Located events of a dyad or in a country (a cluster once, at its representative report's place); --chart
    draws them as a map over country borders."""
    with user_errors():
        with open_store(settings(db), read_only=True) as store:
            events = located_events(store, a, b, country=country, where=_filter(start, end, unit=unit),
                                    limit=MAP_LIMIT)
        if events.empty:
            raise InputError("no located events in this selection")
        reports = int(events.reports.sum())
        title = (f"{len(events):,} located reports" if unit == "reports" else
                 f"{len(events):,} located events ({reports:,} reports)")
        if len(events) >= MAP_LIMIT:
            title = f"the first {title} (the limit: narrow --from/--to for the rest)"
        emit(events, fmt, title)
        if chart:
            map_chart(events, chart, title=f"{title} {'in ' + country if country else f'between {a} and {b}'}")


def unvotes_load(
    directory: Annotated[Path | None, typer.Argument(help="folder with un_votes.csv.gz and un_roll_calls.csv")] = None,
    idealpoints: Annotated[Path | None, typer.Option(help="Bailey-Strezhnev-Voeten ideal points CSV")] = None,
    db: DbOption = None,
) -> None:
    """Load UN General Assembly votes (and published ideal points) into the store."""
    cfg: Settings = settings(db)
    with user_errors():
        directory = directory or cfg.data_dir / "unvotes"
        if idealpoints is None and (cfg.data_dir / "unga-idealpoints" / "IdealpointsJuly2025.csv").is_file():
            idealpoints = cfg.data_dir / "unga-idealpoints" / "IdealpointsJuly2025.csv"
        with open_store(cfg) as store:
            rows = load_unvotes(store, directory, idealpoints)
    out.print(f"loaded {rows:,} UN General Assembly votes" + (f" and ideal points from {idealpoints}" if idealpoints else ""))


def register(app: typer.Typer) -> None:
    """Add the analytics verbs to the main app."""
    for command in (dyads, alignment, drift, flareups, matrix):
        app.command()(command)
    app.command("map")(map_events)
    unvotes_app = typer.Typer(help="UN General Assembly votes.", no_args_is_help=True)
    unvotes_app.command("load")(unvotes_load)
    app.add_typer(unvotes_app, name="unvotes")
