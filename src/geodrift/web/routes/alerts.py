"""The service's outputs on the web: alerts as JSON (/api/v1/alerts) and Atom (/alerts.atom), the alerts page, and
the daily briefings the service writes (/daily, /daily/{day}/{region}).

A user subscribes in a feed reader to ``/alerts.atom?country=AZE&pair=ARM-GEO`` (any number of each), or polls
the API with the same parameters; webhooks are configured in geodrift.toml (service/webhooks.py).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from geodrift.report.render import safe_url
from geodrift.service.alerts import list_alerts
from geodrift.service.briefs import briefing_file, written_briefings
from geodrift.web.deps import Reader, read_key
from geodrift.web.models import records
from geodrift.web.routes.pages import page

router = APIRouter()

Countries = Annotated[list[str], Query(alias="country", max_length=40, description="ISO3 code or name (repeatable)")]
Pairs = Annotated[list[str], Query(alias="pair", max_length=90, description="two countries as ARM-AZE (repeatable)")]
Kind = Annotated[str | None, Query(description="flare-up, alignment shift or forecast", max_length=40)]
Limit = Annotated[int, Query(ge=1, le=500)]
DOCUMENT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"


@router.get("/api/v1/alerts", tags=["alerts"], dependencies=[Depends(read_key)], response_model=dict[str, Any])
def alerts_json(reader: Reader, country: Countries = [], pair: Pairs = [],  # noqa: B006 (FastAPI query lists)
                kind: Kind = None, limit: Limit = 50) -> dict[str, Any]:
    """Alerts raised by the service, newest first, each with its evidence (event ids, dates, source URLs)."""
    return {"alerts": list_alerts(reader, countries=country, pairs=pair, kind=kind, limit=limit)}


@router.get("/alerts.atom", include_in_schema=False)
def alerts_atom(request: Request, reader: Reader, country: Countries = [], pair: Pairs = [],  # noqa: B006
                kind: Kind = None, limit: Limit = 50) -> Response:
    found = list_alerts(reader, countries=country, pairs=pair, kind=kind, limit=limit)
    return Response(atom(found, str(request.base_url).rstrip("/"), str(request.url)),
                    media_type="application/atom+xml; charset=utf-8")


def atom(alerts: list[dict[str, Any]], base: str, self_url: str) -> bytes:
    """An Atom 1.0 feed of alerts (RFC 4287); every text is escaped by the XML writer, only web links are links."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
        element.text = text
        return element

    sub(feed, "title", "geodrift alerts")
    sub(feed, "id", self_url)
    sub(feed, "link", rel="self", href=self_url)
    sub(feed, "link", rel="alternate", href=f"{base}/alerts")
    sub(feed, "updated", alerts[0]["created_at"] + "Z" if alerts else "1970-01-01T00:00:00Z")
    sub(sub(feed, "author"), "name", "geodrift")
    for alert in alerts:
        entry = sub(feed, "entry")
        sub(entry, "id", f"{base}/alerts#{alert['key']}")
        sub(entry, "title", alert["title"])
        sub(entry, "updated", alert["created_at"] + "Z")
        sub(entry, "category", term=alert["kind"])
        sub(entry, "link", rel="alternate", href=f"{base}/alerts#alert-{alert['id']}")
        lines = [alert["summary"] or "", "Evidence:"]
        for item in alert["evidence"]:
            sub(entry, "link", rel="related", href=f"{base}/event/{item['event_id']}", title=item["event_id"])
            if safe_url(item["url"]) and str(item["url"]).startswith("http"):
                sub(entry, "link", rel="via", href=str(item["url"]), title=item["outlet"] or "source")
            lines.append(f"- {item['event_date']} {base}/event/{item['event_id']} {item['url'] or ''}".rstrip())
        sub(entry, "content", "\n".join(lines), type="text")
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


@router.get("/alerts", response_class=HTMLResponse, include_in_schema=False)
def alerts_page(reader: Reader, country: Countries = [], pair: Pairs = [],  # noqa: B006
                kind: Kind = None) -> HTMLResponse:
    found = list_alerts(reader, countries=country, pairs=pair, kind=kind, limit=200)
    query = "&".join([f"country={c}" for c in country] + [f"pair={p}" for p in pair])
    return page("alerts.html.j2", title="Alerts", alerts=found, feed=f"/alerts.atom{'?' + query if query else ''}")


@router.get("/daily", response_class=HTMLResponse, include_in_schema=False)
def daily(reader: Reader) -> HTMLResponse:
    return page("daily.html.j2", title="Daily briefings", briefings=records(written_briefings(reader)))


@router.get("/daily/{day}/{region}", include_in_schema=False)
def daily_briefing(reader: Reader, day: dt.date, region: str, fmt: Annotated[str, Query(alias="format")] = "html") -> Response:
    path = briefing_file(reader, day, region, fmt)
    if path is None:
        raise HTTPException(404, f"no {fmt} briefing of {region[:40]!r} written for {day}")
    media = {"html": "text/html", "md": "text/markdown", "json": "application/json", "pdf": "application/pdf"}[fmt]
    return FileResponse(path, media_type=media, headers={"Content-Security-Policy": DOCUMENT_CSP,
                                                         "X-Content-Type-Options": "nosniff"})
