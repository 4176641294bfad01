"""Dashboard pages, rendered on the server with Jinja2 (autoescaped); charts are plotly figures drawn by the
local plotly.min.js, with the numbers also in tables, so every page works without scripts too.

Pages call the same library functions as the API and the CLI; an unknown region or country is a clear error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

import jinja2
import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.coverage import spans, uncovered
from geodrift.analytics.dyads import dyad_series, dyad_undated, undated_note
from geodrift.analytics.listings import (
    busiest_days,
    cluster_reports,
    country_partners,
    event_cluster,
    event_with_evidence,
    latest_day,
    pair_events,
    unit_page,
)
from geodrift.analytics.quality import SECTIONS, quality_report
from geodrift.analytics.shifts import alignment_drift
from geodrift.codebooks import briefing_regions, cameo_codes, capital, country_name, pair_name
from geodrift.errors import InputError
from geodrift.events import count_label, shown_date, shown_place
from geodrift.query import ALL_MODALITIES, EventFilter, check_day, one_country, region, resolve, through
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.charts import QUAD_COLOURS
from geodrift.report.document import Document
from geodrift.report.forecasts import analysis_units, stored_forecasts, watched_units
from geodrift.report.narrative import percent, signed
from geodrift.report.render import chart_images, numbering, safe_url
from geodrift.report.risks import record_table, risk_table, stored_risks
from geodrift.service.briefs import dashboard_line
from geodrift.store_precision import precision_note
from geodrift.web.deps import Reader, Server, SettingsDep, Work, check_briefing
from geodrift.web.heavy import in_slot
from geodrift.web.models import records

router = APIRouter(include_in_schema=False)
"""Pages need no key even with keyed reads: a browser cannot send the header (the API behind them can)."""

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'")

RegionQuery = Annotated[str, Query(alias="region", max_length=200, description="region name or comma list of countries")]
HEIGHT_HELP = "what a dyad chart's height measures: events' distinct sources summed by quad class, or events counted"
UnitQuery = Annotated[str, Query(max_length=20, description="count clusters (real-world events, default) or reports")]
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
"""CAMEO's quad classes by name: a legend or a column reads "material conflict", never "quad class 4"."""


def _templates() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("geodrift.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["day"] = lambda value: "" if value is None else str(value)[:10]
    env.filters["dated"] = shown_date
    env.filters["place"] = shown_place
    env.filters["percent"] = percent
    env.filters["signed"] = signed
    env.filters["horizon"] = lambda n, unit: f"{n} {str(unit).rstrip('s') if n == 1 else unit}"
    env.globals.update(country_name=country_name, pair_name=pair_name, plural=count_label, regions=briefing_regions(),
                       cameo=cameo_codes(), quad_names=QUAD_NAMES)
    return env


TEMPLATES = _templates()


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered page with the dashboard's security headers."""
    html = TEMPLATES.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP,
                                                           "X-Content-Type-Options": "nosniff"})


def figure_json(figure: Any) -> str:
    """A plotly figure as JSON that cannot close its <script> element (hostile labels stay data)."""
    text = str(figure.to_json())
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _line(frame: pd.DataFrame, columns: dict[str, str], title: str, changes: Sequence[pd.Timestamp] = (),
          band: tuple[str, str] | None = None, gaps: pd.Series | None = None, ylabel: str | None = None,
          colours: dict[str, str] | None = None) -> str:
    """A plotly line chart; ``gaps`` (analytics/coverage.py) blanks the periods no stored source covers and shades
    them "no data", so a blind stretch never reads as a run of zeros."""
    import plotly.graph_objects as go

    fig = go.Figure()
    if gaps is not None and gaps.any():
        frame = frame.copy()
        frame.loc[gaps.to_numpy(), list(columns)] = None
        for x0, x1 in spans(frame.period, gaps):
            fig.add_vrect(x0=x0, x1=x1, fillcolor="#d9d9d9", opacity=0.5, line_width=0, layer="below")
    if band and (frame[band[0]].notna() & frame[band[1]].notna()).any():
        # one bar per period: a filled band needs neighbouring periods with intervals and draws nothing for months
        # with none between them (the country page's alignment, months apart)
        first = next(iter(columns))
        known = frame[frame[band[0]].notna() & frame[band[1]].notna() & frame[first].notna()]
        fig.add_trace(go.Scatter(x=known.period, y=known[first], mode="markers", marker={"opacity": 0},
                                 error_y={"type": "data", "symmetric": False, "array": known[band[1]] - known[first],
                                          "arrayminus": known[first] - known[band[0]], "color": "rgba(31,119,180,0.5)",
                                          "thickness": 6, "width": 0},
                                 name="90% interval", hoverinfo="skip"))
    for column, label in columns.items():
        fig.add_trace(go.Scatter(x=frame.period, y=frame[column], mode="lines+markers", name=label,
                                 line={"color": (colours or {}).get(column)}))
    if gaps is not None and gaps.any():  # the bands' legend entry, after the series (an empty trace has no x)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=NO_DATA,
                                 marker={"symbol": "square", "size": 12, "color": "#d9d9d9"}))
    for when in changes:
        fig.add_vline(x=when, line_dash="dash", line_color="firebrick")
    fig.update_layout(title=title, template="plotly_white", margin={"l": 40, "r": 10, "t": 40, "b": 40}, height=320,
                      legend={"orientation": "h"})
    if ylabel:  # what the height measures (a count of events, or their sources summed)
        fig.update_yaxes(title_text=ylabel)
    return figure_json(fig)


NO_DATA = "no data (no stored event of either country)"


def _document_page(document: Document, title: str | None = None) -> HTMLResponse:
    numbers, ordered = numbering(document)
    return page("document.html.j2", title=title or document.title, doc=document, numbers=numbers, ordered=ordered,
                images=chart_images(document))


def _country(code: str, name: str) -> str:
    """One country (query.one_country): 404 for an unknown one, 400 naming ``name`` for a group or list."""
    try:
        resolve(code)
    except InputError:
        raise HTTPException(404, f"unknown country {code[:40]!r}") from None
    return one_country(code, name)


FALLBACK_POLES = ("RUS", "USA", "CHN")
"""The poles of a country page outside its region's poles: the first two of these that are not the country."""


@router.get("/", response_class=HTMLResponse)
def home(reader: Reader, work: Work, region_spec: RegionQuery = "caucasus") -> HTMLResponse:
    chosen = region(region_spec)
    day = latest_day(reader, chosen.countries)
    if day is None:
        return page("home.html.j2", title="geodrift", region=chosen, day=None, doc=None, numbers={},
                    service=dashboard_line(reader))
    document = build_briefing(reader, day, chosen, work / "home" / chosen.region, days=7,
                              forecasts=stored_forecasts(reader, watched_units(chosen), day))
    return page("home.html.j2", title=f"{chosen.name}: latest developments", region=chosen, day=day, doc=document,
                numbers=numbering(document)[0], images=chart_images(document), service=dashboard_line(reader))


@router.get("/country/{code}", response_class=HTMLResponse)
def country(reader: Reader, code: str, region_spec: RegionQuery = "caucasus", unit: UnitQuery = "clusters",
            ) -> HTMLResponse:
    iso3 = _country(code, "code")
    chosen = region(region_spec)
    partners = country_partners(reader, iso3, unit=EventFilter(unit=unit).unit)
    if partners.empty:
        raise HTTPException(404, f"no events with {iso3} in the store")
    poles = chosen.poles if chosen.poles and iso3 not in chosen.poles else tuple(
        p for p in FALLBACK_POLES if p != iso3)[:2]
    last = pd.Timestamp(partners["last"].max()).date()
    where = EventFilter(start=last - dt.timedelta(days=730), end=last + dt.timedelta(days=1))
    chart, points, banded = None, [], False
    try:
        drift = alignment_drift(reader, iso3, *poles, where=where)
        series, points = drift.series, drift.points
    except InputError:
        series = alignment_series(reader, iso3, *poles, where=where, n_boot=200)
    if series.alignment.notna().any():
        banded = bool((series.alignment.notna() & series.lo.notna() & series.hi.notna()).any())
        chart = _line(series, {"alignment": "alignment"}, f"{iso3} between {poles[0]} (-1) and {poles[1]} (+1)",
                      [p.date for p in points], ("lo", "hi"))
    forecasts = records(stored_forecasts(reader, [iso3, *[f"{min(iso3, p)}-{max(iso3, p)}" for p in partners.partner]],
                                         last))
    return page("country.html.j2", title=country_name(iso3), iso3=iso3, partners=records(partners), poles=poles,
                chart=chart, points=points, series=records(series), forecasts=forecasts, unit=unit, banded=banded)


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad(reader: Reader, a: str, b: str, unit: UnitQuery = "clusters",
         height: Annotated[str, Query(pattern="^(sources|events)$", description=HEIGHT_HELP)] = "sources"
         ) -> HTMLResponse:
    first, second = _country(a, "a"), _country(b, "b")
    series = dyad_series(reader, first, second, freq="month", where=EventFilter(unit=unit))
    if series.events.sum() == 0:
        raise HTTPException(404, f"no events between {first} and {second}")
    events = pair_events(reader, first, second, unit=unit)
    pair = f"{first}–{second}" if first != second else f"Within {first}"  # an internal event is not a dyad
    counted = "reports" if unit == "reports" else "events"
    apart = undated_note(dyad_undated(reader, first, second, freq="month", where=EventFilter(unit=unit)), "month",
                         counted)  # dated only to a year: in no month of the chart
    # Weighted, a month's height is its events' distinct sources summed: a skirmish told by forty outlets stands
    # over weeks of war told by a few (reader M6); counted, each event is one, however many outlets told it.
    lines, title, ylabel = (({"events": f"all {counted}", "conflict_events": f"material-conflict {counted}"},
                             f"{pair}: {counted} per month, each counted once (unweighted)", f"{counted} (count)")
                            if height == "events" else
                            ({f"q{q}": name for q, name in QUAD_NAMES.items()},
                             f"{pair}: {counted} per month by quad class, weighted by distinct sources",
                             f"distinct sources, summed over the month's {counted}"))
    chart = _line(series, lines, title + (f"<br><sup>{apart}</sup>" if apart else ""),
                  gaps=uncovered(reader, [first, second], series.period), ylabel=ylabel,
                  colours={f"q{q}": colour for q, colour in QUAD_COLOURS.items()} | {"conflict_events": QUAD_COLOURS[4]})
    return page("dyad.html.j2", title=capital(pair_name(first, second, " – ")), a=first, b=second,
                chart=chart, series=records(series), events=records(events), cameo=cameo_codes(), unit=unit,
                height=height)


@router.get("/events", response_class=HTMLResponse)
def explorer(request: Request, reader: Reader) -> HTMLResponse:
    params = dict(request.query_params)
    try:
        start, end = (dt.date.fromisoformat(params[k]) if params.get(k) else None for k in ("from", "to"))
    except ValueError:
        raise InputError("from/to: use YYYY-MM-DD") from None
    quad = params.get("quad_class")
    code = params.get("code", "")[:4]
    where = EventFilter(start=start, end=through(start, end, ("from", "to")), modalities=ALL_MODALITIES,
                        actors=(_country(params["actor"], "actor"),) if params.get("actor") else (),
                        code_prefixes=(code,) if code else (),
                        quad_classes=(int(quad),) if quad in {"1", "2", "3", "4"} else (),
                        unit=params.get("unit") or "clusters")
    params["sort"] = params.get("sort") or "newest"
    params["unit"] = where.unit
    frame, nxt = unit_page(reader, where, 100, params.get("cursor"), params["sort"])
    reports: dict[str, list[dict[str, Any]]] = {}
    if where.unit == "clusters":
        for row in records(cluster_reports(reader, list(frame.cluster_id))):
            reports.setdefault(str(row.pop("cluster_id")), []).append(row)
    query = {k: v for k, v in params.items() if k != "cursor" and v}
    if nxt:
        query["cursor"] = nxt
    located = frame.dropna(subset=["action_geo_lat", "action_geo_lon"])
    chart = None
    if not located.empty:
        import plotly.graph_objects as go

        # A scattergeo over countries; its shapes come from static/topojson (charts.js), never from a CDN.
        # One marker per listed row: a cluster (sized by its reports) or a report.
        fig = go.Figure([go.Scattergeo(lon=group.action_geo_lon, lat=group.action_geo_lat, mode="markers",
                                       name=QUAD_NAMES.get(int(quad), f"quad class {quad}"), hoverinfo="text+name",
                                       text=[f"{shown_place(place)}: {int(n)} report{'s' if n != 1 else ''}"
                                             for place, n in zip(group.action_geo_name, group.reports, strict=True)],
                                       marker={"size": [min(6 + 2 * float(n) ** 0.5, 24) for n in group.reports],
                                               "color": QUAD_COLOURS.get(int(quad), "grey")})
                         for quad, group in located.groupby(located.quad_class.astype(int), sort=True)])
        fig.update_geos(showcountries=True, countrycolor="#8a8a8a", showland=True, landcolor="#f2f0ea",
                        showlakes=False, resolution=110, fitbounds="locations", projection_type="mercator")
        fig.update_layout(title=f"Where these {'events' if where.unit == 'clusters' else 'reports'} happened",
                          template="plotly_white", height=420,
                          margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend_title_text="")
        chart = figure_json(fig)
    return page("events.html.j2", title="Event explorer", events=records(frame), params=params, chart=chart,
                next_query=query if nxt else None, reports=reports)


@router.get("/event/{event_id}", response_class=HTMLResponse)
def event(reader: Reader, event_id: str) -> HTMLResponse:
    found = event_with_evidence(reader, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    row, evidence = found
    code = cameo_codes().get(row["event_code"])
    action = code.description if code else str(row["event_code"])
    sides = " → ".join(country_name(c) for c in (row["actor1_country"], row["actor2_country"]) if isinstance(c, str))
    # the act, its sides and its day name the page (a raw id tells a reader nothing); the id stays in the address
    title = f"{action}{f': {sides}' if sides else ''}, {shown_date(row.get('event_date'), row.get('event_date_precision'))}"
    return page("event.html.j2", title=title, e=records(pd.DataFrame([row]))[0], evidence=evidence,
                action=action, cluster=event_cluster(reader, event_id))


@router.get("/quality", response_class=HTMLResponse)
def quality(reader: Reader) -> HTMLResponse:
    report = {name: records(frame) for name, frame in quality_report(reader).items()}
    return page("quality.html.j2", title="Data quality", report=report, titles=SECTIONS, note=precision_note(reader))


@router.get("/risks", response_class=HTMLResponse)
def risks(reader: Reader) -> HTMLResponse:
    """The stored conflict risks of ``geodrift risk`` (UCDP/COW), most at risk first, with their backtest record."""
    stored = stored_risks(reader)
    vintage = stored.vintage.dropna().iloc[0] if "vintage" in stored and stored.vintage.notna().any() else None
    return page("risks.html.j2", title="Conflict risks", risks=records(risk_table(stored)) if not stored.empty else [],
                record=records(record_table(stored)) if not stored.empty else [], vintage=vintage)


@router.get("/briefings", response_class=HTMLResponse)
def briefings(reader: Reader, region_spec: RegionQuery = "caucasus", before: dt.date | None = None) -> HTMLResponse:
    """The latest days with news of the region (before ``before``: older pages), each linking to its briefing."""
    chosen = region(region_spec)
    days = busiest_days(reader, chosen.members, before=before)
    older = min(days.day) if len(days) else None
    return page("briefings.html.j2", title=f"{chosen.name} briefings", region=chosen,
                days=records(days[days.events > 0]), older=older, before=before)


@router.get("/briefings/{day}", response_class=HTMLResponse)
async def briefing(request: Request, server: Server, reader: Reader, work: Work, day: dt.date,
                   region_spec: RegionQuery = "caucasus", days: Annotated[int, Query(ge=1, le=31)] = 1) -> HTMLResponse:
    """A briefing page, built in a read slot (web/heavy.py: a full queue is a 503 page with Retry-After)."""
    check_briefing(day, days)
    chosen = region(region_spec)
    return await in_slot(request, server, lambda: _document_page(build_briefing(
        reader, day, chosen, work / "briefings" / f"{chosen.region}_{day}_{days}", days=days,
        forecasts=stored_forecasts(reader, watched_units(chosen), day))))


@router.get("/analyses", response_class=HTMLResponse)
def analyses() -> HTMLResponse:
    return page("analyses.html.j2", title="Country analyses")


@router.get("/analysis", response_class=HTMLResponse)
async def analysis(request: Request, server: Server, reader: Reader, work: Work, settings: SettingsDep,
                   country: Annotated[str, Query(max_length=40)],
             pole_a: Annotated[str, Query(max_length=40)], pole_b: Annotated[str, Query(max_length=40)],
             start: Annotated[dt.date, Query(alias="from")], end: Annotated[dt.date, Query(alias="to")]) -> HTMLResponse:
    swing, a, b = _country(country, "country"), _country(pole_a, "pole_a"), _country(pole_b, "pole_b")
    check_day(start, "from")
    check_day(end, "to")
    if end < start or (end - start).days >= settings.max_days:
        raise InputError(f"from/to: give a range of 1 to {settings.max_days} days, both included")
    after = end + dt.timedelta(days=1)  # the last day is included, as everywhere
    return await in_slot(request, server, lambda: _document_page(build_analysis(
        reader, swing, a, b, start, after, work / "analyses" / f"{swing}_{a}_{b}",
        forecasts=stored_forecasts(reader, analysis_units(swing, a, b), end))))
