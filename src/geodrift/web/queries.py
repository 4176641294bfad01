"""Pages of events in (event_date, event_id) order for the API and the dashboard: one query, one cursor."""

import base64
import binascii
import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geodrift.errors import InputError
from geodrift.store import Store
from geodrift.web.models import EVENT_COLUMNS


def encode_cursor(day: dt.date | pd.Timestamp, event_id: str) -> str:
    """An opaque keyset cursor: the (event_date, event_id) of the last row served."""
    return base64.urlsafe_b64encode(f"{pd.Timestamp(day).date().isoformat()}|{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, event_id = text.split("|", 1)
        return dt.date.fromisoformat(day), event_id
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise InputError("cursor: not a cursor returned by this API") from None


@dataclass(frozen=True)
class EventQuery:
    """Which events a page lists (values already checked by the caller); empty fields do not filter."""

    start: dt.date | None = None
    end: dt.date | None = None
    actor: str | None = None
    code: str | None = None
    quad_class: int | None = None
    place: str | None = None
    source: str | None = None
    cursor: str | None = None


def event_page(reader: Store, query: EventQuery, limit: int) -> tuple[pd.DataFrame, str | None]:
    """Up to ``limit`` events after the query's cursor, and the cursor of the next page (None on the last)."""
    conditions = ["TRUE"]
    params: list[object] = []
    for value, sql in ((query.start, "event_date >= ?"), (query.end, "event_date < ?"),
                       (query.code, "starts_with(event_code, ?)"), (query.quad_class, "quad_class = ?"),
                       (query.place, "action_geo_country = ?"), (query.source, "source = ?")):
        if value:
            conditions.append(sql)
            params.append(value)
    if query.actor:
        conditions.append("(actor1_country = ? OR actor2_country = ?)")
        params += [query.actor] * 2
    if query.cursor:
        conditions.append("(event_date, event_id) > (?, ?)")
        params += list(decode_cursor(query.cursor))
    frame = reader.df(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE {' AND '.join(conditions)} "
                      f"ORDER BY event_date, event_id LIMIT {int(limit) + 1}", params)
    more = len(frame) > limit
    frame = frame.head(limit)
    return frame, encode_cursor(frame.event_date.iloc[-1], frame.event_id.iloc[-1]) if more else None
