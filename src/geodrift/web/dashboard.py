"""Dashboard pages, rendered on the server with Jinja2 (autoescaped); charts are plotly figures drawn by the
local plotly.min.js, with the numbers also in tables, so every page works without scripts too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import jinja2
import pandas as pd
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import dyad_series
from geodrift.analytics.shifts import alignment_drift
from geodrift.codebooks import briefing_regions, cameo_codes, country_name
from geodrift.errors import InputError
from geodrift.query import EventFilter, resolve, sql_in
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.document import Document
from geodrift.report.forecasts import stored_forecasts
from geodrift.report.render import numbering, safe_url
from geodrift.store import Store
from geodrift.web.config import ServeSettings
from geodrift.web.models import EVENT_COLUMNS, records
from geodrift.web.queries import EventQuery, event_page

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; frame-ancestors 'none'")


def figure_json(figure: Any) -> str:
    """A plotly figure as JSON that cannot close its <script> element (hostile labels stay data)."""
    text = str(figure.to_json())
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _line(frame: pd.DataFrame, columns: dict[str, str], title: str, changes: Sequence[pd.Timestamp] = (),
          band: tuple[str, str] | None = None) -> str:
    import plotly.graph_objects as go

    fig = go.Figure()
    if band:
        fig.add_trace(go.Scatter(x=list(frame.period) + list(frame.period[::-1]),
                                 y=list(frame[band[1]]) + list(frame[band[0]][::-1]), fill="toself",
                                 line={"width": 0}, fillcolor="rgba(31,119,180,0.2)", name="90% interval"))
    for column, label in columns.items():
        fig.add_trace(go.Scatter(x=frame.period, y=frame[column], mode="lines+markers", name=label))
    for when in changes:
        fig.add_vline(x=when, line_dash="dash", line_color="firebrick")
    fig.update_layout(title=title, template="plotly_white", margin={"l": 40, "r": 10, "t": 40, "b": 40}, height=320,
                      legend={"orientation": "h"})
    return figure_json(fig)


def build_dashboard(store: Store, settings: ServeSettings, work: Path) -> APIRouter:
    """The HTML pages."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("geodrift.web", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_url"] = safe_url
    env.filters["day"] = lambda value: "" if value is None else str(value)[:10]
    env.globals.update(country_name=country_name, regions=briefing_regions())
    router = APIRouter(include_in_schema=False)

    def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(template).render(**context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": CSP,
                                                               "X-Content-Type-Options": "nosniff"})

    def latest_day(reader: Store, countries: tuple[str, ...]) -> dt.date | None:
        value = reader.df(f"""SELECT max(event_date) AS d FROM events
                              WHERE actor1_country IN {sql_in(countries)} OR actor2_country IN {sql_in(countries)}""").d
        return None if value.isna().all() else pd.Timestamp(value.iloc[0]).date()

    def document_page(document: Document, title: str) -> HTMLResponse:
        numbers, ordered = numbering(document)
        return page("document.html.j2", title=title, doc=document, numbers=numbers, ordered=ordered)

    @router.get("/", response_class=HTMLResponse)
    def home(region: Annotated[str, Query(max_length=40)] = "caucasus") -> HTMLResponse:
        regions = briefing_regions()
        chosen = regions.get(region, regions["caucasus"])
        with store.session() as reader:
            day = latest_day(reader, chosen.countries)
            if day is None:
                return page("home.html.j2", title="geodrift", region=chosen, day=None, doc=None, numbers={})
            document = build_briefing(reader, day, chosen, work / "home" / chosen.region, days=7,
                                      forecasts=stored_forecasts(reader, list(chosen.members), day))
        return page("home.html.j2", title=f"{chosen.name}: latest developments", region=chosen, day=day, doc=document,
                    numbers=numbering(document)[0])

    @router.get("/country/{code}", response_class=HTMLResponse)
    def country(code: str, region: Annotated[str, Query(max_length=40)] = "caucasus") -> HTMLResponse:
        iso3 = _country(code)
        regions = briefing_regions()
        chosen = regions.get(region, regions["caucasus"])
        with store.session() as reader:
            partners = reader.df("""
                SELECT CASE WHEN actor1_country = ? THEN actor2_country ELSE actor1_country END AS partner,
                       count(*) AS events, count(*) FILTER (WHERE quad_class = 4) AS conflict,
                       avg(goldstein) AS goldstein, min(event_date) AS first, max(event_date) AS last
                FROM events WHERE (actor1_country = ? OR actor2_country = ?)
                GROUP BY 1 HAVING partner IS NOT NULL AND partner <> ? ORDER BY events DESC LIMIT 15""",
                                 [iso3, iso3, iso3, iso3])
            if partners.empty:
                raise HTTPException(404, f"no events with {iso3} in the store")
            poles = chosen.poles if chosen.poles and iso3 not in chosen.poles else ("RUS", "USA")
            last = pd.Timestamp(partners["last"].max()).date()
            where = EventFilter(start=last - dt.timedelta(days=730), end=last + dt.timedelta(days=1))
            chart, points = None, []
            try:
                drift = alignment_drift(reader, iso3, *poles, where=where)
                series, points = drift.series, drift.points
            except InputError:
                series = alignment_series(reader, iso3, *poles, where=where, n_boot=200)
            if series.alignment.notna().any():
                chart = _line(series, {"alignment": "alignment"}, f"{iso3} between {poles[0]} (-1) and {poles[1]} (+1)",
                              [p.date for p in points], ("lo", "hi"))
            forecasts = records(stored_forecasts(reader, [iso3, *[f"{min(iso3, p)}-{max(iso3, p)}"
                                                                   for p in partners.partner]], last))
        return page("country.html.j2", title=country_name(iso3), iso3=iso3, partners=records(partners), poles=poles,
                    chart=chart, points=points, series=records(series), forecasts=forecasts)

    @router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
    def dyad(a: str, b: str) -> HTMLResponse:
        first, second = _country(a), _country(b)
        with store.session() as reader:
            series = dyad_series(reader, first, second, freq="month")
            if series.events.sum() == 0:
                raise HTTPException(404, f"no events between {first} and {second}")
            series = series[series.events > 0] if len(series) > 120 else series
            events = reader.df(f"""SELECT {', '.join(EVENT_COLUMNS)} FROM events
                WHERE (actor1_country = ? AND actor2_country = ?) OR (actor1_country = ? AND actor2_country = ?)
                ORDER BY event_date DESC, num_sources DESC LIMIT 50""", [first, second, second, first])
        chart = _line(series, {"q1": "verbal cooperation", "q2": "material cooperation", "q3": "verbal conflict",
                               "q4": "material conflict"}, f"{first}–{second}: events per month by quad class")
        return page("dyad.html.j2", title=f"{country_name(first)} – {country_name(second)}", a=first, b=second,
                    chart=chart, series=records(series), events=records(events), cameo=cameo_codes())

    @router.get("/events", response_class=HTMLResponse)
    def explorer(request: Request) -> HTMLResponse:
        params = dict(request.query_params)
        try:
            start, end = (dt.date.fromisoformat(params[k]) if params.get(k) else None for k in ("from", "to"))
        except ValueError:
            raise InputError("from/to: use YYYY-MM-DD") from None
        quad = params.get("quad_class")
        wanted = EventQuery(start=start, end=end, actor=_country(params["actor"]) if params.get("actor") else None,
                            code=params.get("code", "")[:4] or None,
                            quad_class=int(quad) if quad in {"1", "2", "3", "4"} else None, cursor=params.get("cursor"))
        with store.session() as reader:
            frame, nxt = event_page(reader, wanted, 100)
        query = {k: v for k, v in params.items() if k != "cursor" and v}
        if nxt:
            query["cursor"] = nxt
        located = frame.dropna(subset=["action_geo_lat", "action_geo_lon"])
        chart = None
        if not located.empty:
            import plotly.express as px

            fig = px.scatter(located, x="action_geo_lon", y="action_geo_lat", color=located.quad_class.astype(str),
                             hover_name="action_geo_name", labels={"color": "quad class", "action_geo_lon": "longitude",
                                                                   "action_geo_lat": "latitude"},
                             title="Where these events happened (longitude, latitude)")
            fig.update_yaxes(scaleanchor="x")
            fig.update_layout(template="plotly_white", height=360, margin={"l": 40, "r": 10, "t": 40, "b": 40})
            chart = figure_json(fig)
        return page("events.html.j2", title="Event explorer", events=records(frame), params=params, chart=chart,
                    next_query=query if nxt else None)

    @router.get("/event/{event_id}", response_class=HTMLResponse)
    def event(event_id: str) -> HTMLResponse:
        with store.session() as reader:
            frame = reader.df(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE event_id = ?", [event_id])
            if frame.empty:
                raise HTTPException(404, f"no event {event_id}")
            evidence = records(reader.df("SELECT url, outlet, published, sentence FROM evidence WHERE event_id = ? "
                                         "ORDER BY published", [event_id])) if reader.has_table("evidence") else []
        row = records(frame)[0]
        if not evidence:
            evidence = [{"url": row["source_url"], "outlet": row["outlet"], "published": row["date_added"],
                         "sentence": row["evidence_sentence"]}]
        code = cameo_codes().get(row["event_code"])
        return page("event.html.j2", title=f"Event {event_id}", e=row, evidence=evidence,
                    action=code.description if code else row["event_code"])

    @router.get("/briefings", response_class=HTMLResponse)
    def briefings(region: Annotated[str, Query(max_length=40)] = "caucasus") -> HTMLResponse:
        regions = briefing_regions()
        chosen = regions.get(region, regions["caucasus"])
        with store.session() as reader:
            days = reader.df(f"""SELECT event_date AS day, count(*) AS events FROM events
                WHERE actor1_country IN {sql_in(chosen.members)} OR actor2_country IN {sql_in(chosen.members)}
                GROUP BY 1 ORDER BY 1 DESC LIMIT 60""")
        return page("briefings.html.j2", title=f"{chosen.name} briefings", region=chosen, days=records(days))

    @router.get("/briefings/{day}", response_class=HTMLResponse)
    def briefing(day: dt.date, region: Annotated[str, Query(max_length=40)] = "caucasus",
                 days: Annotated[int, Query(ge=1, le=31)] = 1) -> HTMLResponse:
        regions = briefing_regions()
        chosen = regions.get(region, regions["caucasus"])
        with store.session() as reader:
            document = build_briefing(reader, day, chosen, work / "briefings" / f"{chosen.region}_{day}_{days}",
                                      days=days, forecasts=stored_forecasts(reader, list(chosen.members), day))
        return document_page(document, document.title)

    @router.get("/analyses", response_class=HTMLResponse)
    def analyses() -> HTMLResponse:
        return page("analyses.html.j2", title="Country analyses")

    @router.get("/analysis", response_class=HTMLResponse)
    def analysis(country: Annotated[str, Query(max_length=40)], pole_a: Annotated[str, Query(max_length=40)],
                 pole_b: Annotated[str, Query(max_length=40)], start: Annotated[dt.date, Query(alias="from")],
                 end: Annotated[dt.date, Query(alias="to")]) -> HTMLResponse:
        swing, a, b = _country(country), _country(pole_a), _country(pole_b)
        if end <= start or (end - start).days > settings.max_days:
            raise InputError(f"from/to: give a range of 1 to {settings.max_days} days")
        with store.session() as reader:
            document = build_analysis(reader, swing, a, b, start, end, work / "analyses" / f"{swing}_{a}_{b}",
                                      forecasts=stored_forecasts(reader, [swing], end))
        return document_page(document, document.title)

    return router


def _country(code: str) -> str:
    try:
        return resolve(code)[0]
    except InputError:
        raise HTTPException(404, f"unknown country {code[:40]!r}") from None

