"""CLI verbs for reports: the daily briefing and the country analysis."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated

import typer

from geodrift.cli_common import DbOption, day, open_store, out, out_folder, settings, user_errors
from geodrift.errors import InputError
from geodrift.query import check_day, check_distinct, check_unit, one_country, region
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.forecasts import analysis_units, stored_forecasts, watched_units
from geodrift.report.render import FORMATS, write_document

OutOption = Annotated[Path, typer.Option("--out", help="folder for the report files")]
FormatsOption = Annotated[str, typer.Option("--formats", help=f"comma list of {', '.join(FORMATS)}")]
ALL_FORMATS = ",".join(FORMATS)


def _formats(spec: str) -> tuple[str, ...]:
    """The formats asked for, checked before anything is written."""
    formats = tuple(f.strip().lower() for f in spec.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise InputError(f"unknown report format {(bad or [spec])[0]!r}; use {', '.join(FORMATS)}")
    return formats


def brief(
    date: Annotated[str, typer.Option("--date", help="the day briefed, YYYY-MM-DD")],
    region_spec: Annotated[str, typer.Option("--region", help="region name or comma list of countries")] = "caucasus",
    days: Annotated[int, typer.Option("--days", help="days covered, ending on --date")] = 1,
    as_of: Annotated[str | None, typer.Option("--as-of", help="only reports known (published) by this day")] = None,
    unit: Annotated[str, typer.Option("--unit", help="count clusters (one per real-world event) or reports")] = "clusters",
    out_dir: OutOption = Path("out/briefing"), formats: FormatsOption = ALL_FORMATS, db: DbOption = None,
) -> None:
    """The daily briefing: developments ranked by salience, flare-ups, alignment shifts, what to watch."""
    with user_errors():
        when = day(date, "--date")
        assert when is not None
        known_by = day(as_of, "--as-of")
        check_unit(unit)
        chosen = region(region_spec)
        wanted = _formats(formats)
        if days < 1:
            raise InputError("--days must be at least 1")
        out_folder(out_dir, "--out")
        with open_store(settings(db), read_only=True) as store:
            document = build_briefing(store, when, chosen, out_dir, days=days, unit=unit, as_of=known_by,
                                      forecasts=stored_forecasts(store, watched_units(chosen), when, known_by))
        name = re.sub(r"[^A-Za-z0-9]+", "-", chosen.region).strip("-")
        paths = write_document(document, out_dir, f"briefing_{name}_{when}", wanted)
        out.print("wrote: " + ", ".join(str(p) for p in paths), soft_wrap=True)


def analyze(
    country: Annotated[str, typer.Argument(help="the swing state, e.g. AZE")],
    poles: Annotated[tuple[str, str], typer.Option("--poles", help="the two poles, e.g. --poles RUS TUR")],
    start: Annotated[str, typer.Option("--from", help="first day, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="last day (inclusive), YYYY-MM-DD")],
    out_dir: OutOption = Path("out/analysis"), formats: FormatsOption = ALL_FORMATS, db: DbOption = None,
) -> None:
    """A country analysis: thesis, drift, timeline, evidence for and against, UN votes, source balance."""
    with user_errors():
        first, last = day(start, "--from"), day(end, "--to")
        assert first is not None and last is not None
        check_day(first, "--from")
        check_day(last, "--to")
        if last < first:
            raise InputError(f"empty date range: --to {last} is before --from {first}")
        swing, pole_a, pole_b = (one_country(c, name) for c, name in zip((country, *poles), ("COUNTRY", "--poles",
                                                                                              "--poles"), strict=True))
        check_distinct([swing], [pole_a], [pole_b])
        wanted = _formats(formats)
        out_folder(out_dir, "--out")
        with open_store(settings(db), read_only=True) as store:
            document = build_analysis(store, swing, pole_a, pole_b, first, last + dt.timedelta(days=1), out_dir,
                                      forecasts=stored_forecasts(store, analysis_units(swing, pole_a, pole_b), last))
        paths = write_document(document, out_dir, f"analysis_{swing}_{pole_a}_{pole_b}", wanted)
        out.print("wrote: " + ", ".join(str(p) for p in paths), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the report verbs to the main app."""
    app.command()(brief)
    app.command()(analyze)
