"""/api/v1 analytics: dyad series, alignment (events, affinity or UN votes), drift and flare-ups, cached per store version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Depends, Query, Request, Response

from geodrift.analytics.alignment import alignment_by_source
from geodrift.analytics.dyads import dyad_answer, undated_note
from geodrift.analytics.flareups import flareups
from geodrift.analytics.shifts import alignment_drift
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.web.config import ServeSettings
from geodrift.web.deps import Cache, Reader, ServerState, SettingsDep, read_key, reading, span
from geodrift.web.models import ChangePointOut, Drift, DyadSeries, Series, columns_json, series_json

router = APIRouter(prefix="/api/v1", tags=["analytics"], dependencies=[Depends(read_key)])

From = Annotated[dt.date | None, Query(alias="from", description="first day")]
To = Annotated[dt.date | None, Query(alias="to", description="last day (included)")]
Unit = Annotated[str, Query(description="what a count counts: clusters (one per real-world event) or reports "
                                        "(stored rows)")]


@dataclass(frozen=True)
class SeriesQuery:
    """What a dyad series request asks, parsed by one dependency (``series_query``)."""

    a: str
    b: str
    freq: str
    directed: bool
    where: EventFilter


async def series_query(request: Request, a: str, b: str,
                       freq: Annotated[Literal["day", "week", "month", "quarter", "year"], Query()] = "month",
                       start: From = None, end: To = None, directed: bool = False,
                       unit: Unit = "clusters") -> SeriesQuery:
    """The series' parameters in one dependency that reads the settings from the request: the route's former five
    dependencies (server, session, cache, settings and the key check's settings) were most of FastAPI's CPU per
    request."""
    settings: ServeSettings = request.app.state.server.settings
    return SeriesQuery(a, b, freq, directed, span(settings, start, end, unit))


@router.get("/dyads/{a}/{b}/series", response_model=DyadSeries)
async def dyad(request: Request, ask: Annotated[SeriesQuery, Depends(series_query)]) -> Response:
    """Cooperation and conflict between A and B per period (counts by quad class, Goldstein, share); events dated
    only to a month (a year) are in no day or week (month) and are counted apart under ``undated``."""
    server: ServerState = request.app.state.server

    def compute(reader: Store) -> bytes:
        columns, undated = dyad_answer(reader, ask.a, ask.b, freq=ask.freq, directed=ask.directed, where=ask.where)
        note = undated_note(undated, ask.freq, "reports" if ask.where.unit == "reports" else "events")
        return columns_json(columns, f"{ask.a}–{ask.b} per {ask.freq}" + (f"; {note}" if note else ""), undated)

    def answer(reader: Store) -> Response:
        return server.cache.answer(request, reader, lambda: compute(reader))

    return await reading(server, answer)


@router.get("/alignment/{swing}", response_model=Series)
def alignment(request: Request, reader: Reader, cache: Cache, settings: SettingsDep, swing: str, pole_a: str,
              pole_b: str, start: From = None, end: To = None,
              freq: Annotated[Literal["week", "month", "quarter", "year"], Query()] = "month",
              source: Annotated[Literal["events", "affinity", "unvotes"], Query(
                  description="events (tone, with 90% intervals), affinity (third-country portfolio) or unvotes "
                              "(UN General Assembly votes, per year)")] = "events", unit: Unit = "clusters") -> Response:
    """Alignment of SWING between POLE_A (-1) and POLE_B (+1) per period."""
    where = span(settings, start, end, unit)

    def compute() -> bytes:
        frame, _ = alignment_by_source(reader, swing, pole_a, pole_b, source=source, freq=freq, where=where,
                                       n_boot=200)
        if source == "events":
            return series_json(frame, f"{swing} between {pole_a} (-1) and {pole_b} (+1) per {freq}")
        unit = "year" if source == "unvotes" else freq
        return series_json(frame, f"{swing} between {pole_a} (-1) and {pole_b} (+1) per {unit}, from {source}")

    return cache.answer(request, reader, compute)


@router.get("/drift/{swing}", response_model=Drift)
def drift(request: Request, reader: Reader, cache: Cache, settings: SettingsDep, swing: str, pole_a: str, pole_b: str,
          start: From = None, end: To = None,
          freq: Annotated[Literal["week", "month", "quarter"], Query()] = "month", unit: Unit = "clusters") -> Response:
    """Change points in the alignment, each with the events that moved it."""
    where = span(settings, start, end, unit)

    def compute() -> Drift:
        found = alignment_drift(reader, swing, pole_a, pole_b, freq=freq, where=where)
        points = [ChangePointOut(date=p.date.date(), before=p.before, after=p.after, shift=p.shift,
                                 shift_sd=p.shift_sd, confidence=p.confidence,
                                 evidence_event_ids=list(found.evidence.get(p.date, pd.DataFrame(
                                     columns=["event_id"])).event_id)) for p in found.points]
        return Drift(swing=swing, pole_a=pole_a, pole_b=pole_b, freq=freq, change_points=points)

    return cache.answer(request, reader, compute)


@router.get("/flareups/{a}/{b}", response_model=Series)
def flare(request: Request, reader: Reader, cache: Cache, settings: SettingsDep, a: str, b: str,
          freq: Annotated[Literal["week", "month"], Query()] = "week", start: From = None, end: To = None,
          unit: Unit = "clusters") -> Response:
    """Conflict counts against their baseline (the periods before ``from``) per period, with flare-up flags."""
    where = span(settings, start, end, unit)
    return cache.answer(request, reader, lambda: series_json(flareups(reader, a, b, freq=freq, where=where),
                                                         f"flare-ups {a}–{b} per {freq}"))
