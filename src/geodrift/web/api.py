"""REST API, versioned under /api/v1: events with keyset pagination and downloads, analytics, reports,
forecasts and evidence; write endpoints (ingest, code) behind an API key.

Every request reads through its own store session (snapshot isolation), so reads keep working,
consistently, while an ingest job writes through another session of the same process.
"""

import datetime as dt
import io
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, Response

from geodrift.analytics.alignment import alignment_series
from geodrift.analytics.dyads import dyad_series
from geodrift.analytics.flareups import flareups
from geodrift.analytics.shifts import alignment_drift
from geodrift.codebooks import briefing_regions
from geodrift.errors import InputError
from geodrift.query import EventFilter, resolve
from geodrift.report.analysis import build_analysis
from geodrift.report.briefing import build_briefing
from geodrift.report.forecasts import stored_forecasts
from geodrift.store import Store
from geodrift.web.cache import ResponseCache
from geodrift.web.config import ServeSettings
from geodrift.web.models import (
    EVENT_COLUMNS,
    ChangePointOut,
    CodeRequest,
    Drift,
    Event,
    EventPage,
    EventWithEvidence,
    Evidence,
    Forecast,
    IngestRequest,
    Job,
    Series,
    clean,
    records,
    series_of,
)
from geodrift.web.queries import EventQuery, event_page


def build_router(store: Store, settings: ServeSettings, work: Path) -> APIRouter:
    """The /api/v1 routes over ``store`` (the server's one open database)."""
    jobs: dict[str, Job] = {}
    cache = ResponseCache(settings.cache_size)

    def session() -> Iterator[Store]:
        reader = store.session()
        try:
            yield reader
        finally:
            reader.close()

    def read_key(x_api_key: Annotated[str | None, Header(description="API key (when reads are keyed)")] = None) -> None:
        if settings.keyed_reads and not settings.accepts(x_api_key):
            raise HTTPException(401, "a valid X-API-Key header is required")

    def write_key(x_api_key: Annotated[str | None, Header(description="API key for write endpoints")] = None) -> None:
        if not settings.key_hashes:
            raise HTTPException(403, "write endpoints are disabled: the operator configured no API keys")
        if not settings.accepts(x_api_key):
            raise HTTPException(401, "a valid X-API-Key header is required")

    Reader = Annotated[Store, Depends(session)]
    router = APIRouter(prefix="/api/v1", dependencies=[Depends(read_key)])

    def span(start: dt.date | None, end: dt.date | None) -> EventFilter:
        where = EventFilter(start=start, end=end)
        if start and end and (end - start).days > settings.max_days:
            raise InputError(f"from/to span {(end - start).days} days; the limit is {settings.max_days}")
        return where

    @router.get("/events", response_model=EventPage, tags=["events"],
                responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
    def events(
        reader: Reader,
        start: Annotated[dt.date | None, Query(alias="from", description="first event day")] = None,
        end: Annotated[dt.date | None, Query(alias="to", description="first day not included")] = None,
        actor: Annotated[str | None, Query(description="ISO3 of either actor", pattern="^[A-Za-z]{3}$")] = None,
        code: Annotated[str | None, Query(description="CAMEO code prefix, e.g. 19 or 0871", pattern="^[0-9]{2,4}$")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
        place: Annotated[str | None, Query(description="ISO3 of the action place", pattern="^[A-Za-z]{3}$")] = None,
        source: Annotated[str | None, Query(description="gdelt1, gdelt2, icews, curated, text", max_length=40)] = None,
        limit: Annotated[int, Query(ge=1, le=settings.max_page)] = 100,
        cursor: Annotated[str | None, Query(max_length=400)] = None,
        format: Annotated[Literal["json", "csv", "parquet"], Query()] = "json",
    ) -> Any:
        """Events in (event_date, event_id) order, a page at a time; CSV or Parquet downloads of the same page."""
        frame, nxt = event_page(reader, EventQuery(
            start=start, end=end, actor=actor.upper() if actor else None, code=code, quad_class=quad_class,
            place=place.upper() if place else None, source=source, cursor=cursor), limit)
        headers = {"X-Next-Cursor": nxt} if nxt else {}
        if format == "csv":
            return Response(frame.to_csv(index=False), media_type="text/csv", headers=headers)
        if format == "parquet":
            buffer = io.BytesIO()
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
            return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)
        return EventPage(events=[Event(**r) for r in records(frame)], next_cursor=nxt)

    @router.get("/events/{event_id}", response_model=EventWithEvidence, tags=["events"],
                responses={404: {"description": "no such event"}})
    def event_by_id(reader: Reader, event_id: str) -> EventWithEvidence:
        """One event with every report behind it (outlet, URL, sentence, offsets)."""
        return _event(reader, event_id)

    @router.get("/dyads/{a}/{b}/series", response_model=Series, tags=["analytics"])
    def dyad(request: Request, reader: Reader, a: str, b: str, freq: Annotated[Literal["day", "week", "month", "quarter", "year"],
                                                              Query()] = "month",
             start: Annotated[dt.date | None, Query(alias="from")] = None,
             end: Annotated[dt.date | None, Query(alias="to")] = None, directed: bool = False) -> Response:
        """Cooperation and conflict between A and B per period (counts by quad class, Goldstein, share)."""
        where = span(start, end)
        return cache.answer(request, reader, lambda: series_of(
            dyad_series(reader, a, b, freq=freq, directed=directed, where=where), f"{a}–{b} per {freq}"))

    @router.get("/alignment/{swing}", response_model=Series, tags=["analytics"])
    def alignment(request: Request, reader: Reader, swing: str, pole_a: str, pole_b: str,
                  start: Annotated[dt.date | None, Query(alias="from")] = None,
                  end: Annotated[dt.date | None, Query(alias="to")] = None,
                  freq: Annotated[Literal["week", "month", "quarter", "year"], Query()] = "month") -> Response:
        """Alignment of SWING between POLE_A (-1) and POLE_B (+1) per period, with 90% intervals."""
        where = span(start, end)
        return cache.answer(request, reader, lambda: series_of(
            alignment_series(reader, swing, pole_a, pole_b, freq=freq, where=where, n_boot=200),
            f"{swing} between {pole_a} (-1) and {pole_b} (+1) per {freq}"))

    @router.get("/drift/{swing}", response_model=Drift, tags=["analytics"])
    def drift(request: Request, reader: Reader, swing: str, pole_a: str, pole_b: str,
              start: Annotated[dt.date | None, Query(alias="from")] = None,
              end: Annotated[dt.date | None, Query(alias="to")] = None,
              freq: Annotated[Literal["week", "month", "quarter"], Query()] = "month") -> Response:
        """Change points in the alignment, each with the events that moved it."""
        where = span(start, end)

        def compute() -> Drift:
            found = alignment_drift(reader, swing, pole_a, pole_b, freq=freq, where=where)
            points = [ChangePointOut(date=p.date.date(), before=p.before, after=p.after, shift=p.shift,
                                     shift_sd=p.shift_sd, confidence=p.confidence,
                                     evidence_event_ids=list(found.evidence.get(p.date, pd.DataFrame(
                                         columns=["event_id"])).event_id)) for p in found.points]
            return Drift(swing=swing, pole_a=pole_a, pole_b=pole_b, freq=freq, change_points=points)

        return cache.answer(request, reader, compute)

    @router.get("/flareups/{a}/{b}", response_model=Series, tags=["analytics"])
    def flare(request: Request, reader: Reader, a: str, b: str, freq: Annotated[Literal["week", "month"], Query()] = "week",
              start: Annotated[dt.date | None, Query(alias="from")] = None,
              end: Annotated[dt.date | None, Query(alias="to")] = None) -> Response:
        """Conflict counts against their baseline per period, with flare-up flags."""
        where = span(start, end)
        return cache.answer(request, reader, lambda: series_of(flareups(reader, a, b, freq=freq, where=where),
                                                             f"flare-ups {a}–{b} per {freq}"))

    @router.get("/briefings/{day}", tags=["reports"], response_model=dict[str, Any])
    def briefing(request: Request, reader: Reader, day: dt.date, region: Annotated[str, Query(max_length=40)] = "caucasus",
                 days: Annotated[int, Query(ge=1, le=31)] = 1) -> Response:
        """The briefing for a day (as JSON: sections, sentences, citations)."""
        regions = briefing_regions()
        if region not in regions:
            raise InputError(f"unknown region {region!r}; regions: {', '.join(regions)}")
        chosen = regions[region]
        return cache.answer(request, reader, lambda: build_briefing(
            reader, day, chosen, work / "briefings" / f"{region}_{day}_{days}", days=days,
            forecasts=stored_forecasts(reader, list(chosen.members), day)).to_dict())

    @router.get("/analyses/{country}", tags=["reports"], response_model=dict[str, Any])
    def analysis(request: Request, reader: Reader, country: str, pole_a: str, pole_b: str,
                 start: Annotated[dt.date, Query(alias="from")], end: Annotated[dt.date, Query(alias="to")],
                 ) -> Response:
        """A country analysis between two poles (as JSON)."""
        where = span(start, end)
        assert where.start and where.end
        swing, a, b = (resolve(c)[0] for c in (country, pole_a, pole_b))
        first, last = where.start, where.end
        return cache.answer(request, reader, lambda: build_analysis(
            reader, swing, a, b, first, last, work / "analyses" / f"{swing}_{a}_{b}",
            forecasts=stored_forecasts(reader, [swing], last)).to_dict())

    @router.get("/forecasts", response_model=list[Forecast], tags=["forecasts"])
    def forecasts(reader: Reader, unit: Annotated[list[str] | None, Query(max_length=20)] = None,
                  as_of: dt.date | None = None) -> list[Forecast]:
        """Stored forecasts (latest per task, unit and horizon), each with its backtest scores."""
        if not reader.has_table("forecasts"):
            return []
        units = [u.upper() for u in unit] if unit else list(reader.df("SELECT DISTINCT unit FROM forecasts").unit)
        frame = stored_forecasts(reader, units, as_of or dt.date.today())
        return [Forecast(**r) for r in records(frame.drop(columns=["issued_at"], errors="ignore"))]

    @router.post("/code", response_model=list[Event], tags=["write"], dependencies=[Depends(write_key)])
    def code(body: CodeRequest) -> list[Event]:
        """Code posted text into events (not stored): who did what to whom, when, where, with evidence."""
        from geodrift.coding.coder import code_text

        rows = code_text(body.text, published=body.published, url=body.url)
        return [Event(**{k: clean(r.get(k)) for k in EVENT_COLUMNS}) for r in rows]

    @router.post("/ingest", response_model=Job, status_code=202, tags=["write"], dependencies=[Depends(write_key)])
    def ingest(body: IngestRequest) -> Job:
        """Start ingesting files from the server's ingest folder; poll /jobs/{job_id}."""
        if settings.read_only or settings.data_dir is None:
            raise HTTPException(403, "ingest over HTTP is off (start the server with --ingest-dir and writable)")
        root = settings.data_dir.resolve()
        paths = [(root / p).resolve() for p in body.paths]
        outside = [p for p, q in zip(body.paths, paths, strict=True) if not q.is_relative_to(root) or not q.is_file()]
        if outside:
            raise InputError(f"paths: {outside[0]!r} is not a file in the ingest folder")
        job = Job(job_id=uuid.uuid4().hex, status="running", files=len(paths))
        jobs[job.job_id] = job
        threading.Thread(target=_run_ingest, args=(store, paths, job), daemon=True).start()
        return job

    @router.get("/jobs/{job_id}", response_model=Job, tags=["write"], dependencies=[Depends(write_key)])
    def job_status(job_id: str) -> Job:
        if job_id not in jobs:
            raise HTTPException(404, f"no job {job_id}")
        return jobs[job_id]

    def _event(reader: Store, event_id: str) -> EventWithEvidence:
        frame = reader.df(f"SELECT {', '.join(EVENT_COLUMNS)}, evidence_article_id, evidence_start, evidence_end "
                          "FROM events WHERE event_id = ?", [event_id])
        if frame.empty:
            raise HTTPException(404, f"no event {event_id}")
        row = records(frame)[0]
        evidence = []
        if reader.has_table("evidence"):
            evidence = [Evidence(**r) for r in records(reader.df(
                "SELECT article_id, url, outlet, published, sentence, start_offset, end_offset FROM evidence "
                "WHERE event_id = ? ORDER BY published, article_id", [event_id]))]
        if not evidence:
            evidence = [Evidence(article_id=row["evidence_article_id"], url=row["source_url"], outlet=row["outlet"],
                                 published=row["date_added"].date() if row["date_added"] else None,
                                 sentence=row["evidence_sentence"], start_offset=row["evidence_start"],
                                 end_offset=row["evidence_end"])]
        return EventWithEvidence(event=Event(**{k: row[k] for k in EVENT_COLUMNS}), evidence=evidence)

    return router


def _run_ingest(store: Store, paths: list[Path], job: Job) -> None:
    from geodrift.ingest import ingest_files

    writer = store.session(read_only=False)
    try:
        results = ingest_files(writer, paths)
        job.accepted = sum(r.accepted for r in results if r.status == "done")
        failed = [r for r in results if r.status == "failed"]
        job.status = "failed" if failed and len(failed) == len(results) else "done"
        job.message = "; ".join(f"{r.location}: {r.message}" for r in failed) or None
    except Exception as exc:  # the job reports any failure instead of dying silently in its thread
        job.status, job.message = "failed", str(exc).splitlines()[0]
    finally:
        writer.close()

