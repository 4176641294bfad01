"""/api/v1/events: pages of events (JSON, CSV or Parquet) and one event with its evidence."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

import pyarrow as pa
import pyarrow.parquet as pq
from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from geodrift.analytics.listings import event_page, event_records, event_with_evidence
from geodrift.csvsafe import to_csv
from geodrift.query import EventFilter
from geodrift.store import Store
from geodrift.web.deps import MAX_PAGE, Listed, Reader, ServerState, read_key, reading
from geodrift.web.models import Event, EventPage, EventWithEvidence, Evidence, clean

router = APIRouter(prefix="/api/v1", tags=["events"], dependencies=[Depends(read_key)])


@router.get("/events", response_model=EventPage,
            responses={200: {"content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}})
async def events(
    request: Request,
    where: Listed,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    format: Annotated[Literal["json", "csv", "parquet"], Query()] = "json",
    sort: Annotated[Literal["oldest", "newest"], Query(
        description="oldest: (event_date, event_id) ascending; newest: descending. Keep it when passing the cursor")
    ] = "oldest",
) -> Any:
    """Events in (event_date, event_id) order (oldest first, or newest with sort=newest), a page at a time; CSV or
    Parquet downloads of the same page."""
    server: ServerState = request.app.state.server  # not a dependency: see deps.read_key
    return await reading(server, lambda reader: _page(reader, where, limit, cursor, format, sort))


def _page(reader: Store, where: EventFilter, limit: int, cursor: str | None, format: str, sort: str) -> Response:
    if format == "json":  # served straight from the rows: a frame and the response model's re-validation cost more
        rows, nxt = event_records(reader, where, limit, cursor, sort)
        body = EventPage.model_validate({"events": rows, "next_cursor": nxt}).model_dump_json()
        return Response(body, media_type="application/json", headers={"X-Next-Cursor": nxt} if nxt else {})
    frame, nxt = event_page(reader, where, limit, cursor, sort)
    headers = {"X-Next-Cursor": nxt} if nxt else {}
    if format == "csv":
        return Response(to_csv(frame), media_type="text/csv", headers=headers)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return Response(buffer.getvalue(), media_type="application/vnd.apache.parquet", headers=headers)


@router.get("/events/{event_id}", response_model=EventWithEvidence, responses={404: {"description": "no such event"}})
def event_by_id(reader: Reader, event_id: str) -> EventWithEvidence:
    """One event with every report behind it (outlet, URL, sentence, offsets)."""
    found = event_with_evidence(reader, event_id)
    if found is None:
        raise HTTPException(404, f"no event {event_id}")
    row, evidence = found
    return EventWithEvidence(event=Event(**{k: clean(v) for k, v in row.items()}),
                             evidence=[Evidence(**{k: clean(v) for k, v in e.items()}) for e in evidence])
