"""/api/v1 reports: the briefing for a day and a country analysis, as JSON (sections, sentences, citations)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from geodrift.query import check_unit, one_country, region
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.forecasts import analysis_units, stored_forecasts, watched_units
from geodrift.web.deps import Cache, Reader, Server, SettingsDep, Work, check_briefing, read_key, span
from geodrift.web.heavy import bounded

router = APIRouter(prefix="/api/v1", tags=["reports"], dependencies=[Depends(read_key)])


@router.get("/briefings/{day}", response_model=dict[str, Any])
async def briefing(request: Request, server: Server, reader: Reader, cache: Cache, work: Work, day: dt.date,
             region_spec: Annotated[str, Query(alias="region", max_length=200,
                                               description="region name or comma list of countries")] = "caucasus",
             days: Annotated[int, Query(ge=1, le=31)] = 1,
             unit: Annotated[str, Query(description="count clusters (the default) or reports")] = "clusters",
             as_of: Annotated[dt.date | None, Query(description="only reports known (published) by this day")] = None,
             ) -> Response:
    """The briefing for a day (as JSON: sections, sentences, citations), its developments ranked by salience; computed
    in a read slot, 503 with Retry-After when too many wait (web/heavy.py)."""
    check_briefing(day, days, as_of)
    chosen = region(region_spec)
    check_unit(unit)
    folder = work / "briefings" / f"{re.sub(r'[^A-Za-z0-9]+', '-', chosen.region)}_{day}_{days}_{unit}_{as_of}"
    return await bounded(request, server, cache, reader, lambda: build_briefing(
        reader, day, chosen, folder, days=days, unit=unit, as_of=as_of,
        forecasts=stored_forecasts(reader, watched_units(chosen), day, as_of)).to_dict())


@router.get("/analyses/{country}", response_model=dict[str, Any])
async def analysis(request: Request, server: Server, reader: Reader, cache: Cache, settings: SettingsDep, work: Work,
                   country: str, pole_a: str, pole_b: str, start: Annotated[dt.date, Query(alias="from")],
                   end: Annotated[dt.date, Query(alias="to", description="last day (included)")]) -> Response:
    """A country analysis between two poles (as JSON), ``from`` to ``to``, both days included; computed in a read
    slot, 503 with Retry-After when too many wait (web/heavy.py)."""
    where = span(settings, start, end)
    after = where.end or end + dt.timedelta(days=1)
    swing, a, b = one_country(country, "country"), one_country(pole_a, "pole_a"), one_country(pole_b, "pole_b")
    return await bounded(request, server, cache, reader, lambda: build_analysis(
        reader, swing, a, b, start, after, work / "analyses" / f"{swing}_{a}_{b}",
        forecasts=stored_forecasts(reader, analysis_units(swing, a, b), end)).to_dict())
