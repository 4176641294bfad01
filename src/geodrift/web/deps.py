"""What routes depend on, each an ``Annotated`` alias (the FastAPI template's deps.py): a store session per request,
the server's settings, its response cache and work folder, API-key checks, and bounded date spans.

``create_app`` puts the shared objects on ``app.state``; routes never build them. Every dependency is ``async``
although none awaits: FastAPI runs a plain ``def`` dependency in its thread pool, a hop per dependency per request
(a route with three cost 0.8 ms of CPU against 0.5 ms; none of these blocks: a session is a DuckDB cursor).
The short reads the API serves uncached (a dyad series, a page of events) take fewer: FastAPI solves every
dependency and parameter again on each request, so they read the server from the request and their session from
``ServerState.reader`` (one kept per worker thread) instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, TypeVar

import anyio.to_thread
from fastapi import Depends, Header, HTTPException, Query, Request

from geodrift.errors import InputError
from geodrift.events import EARLIEST, LATEST
from geodrift.query import ALL_MODALITIES, EventFilter, check_day, resolve, through
from geodrift.store import Store
from geodrift.web.cache import ResponseCache
from geodrift.web.config import ServeSettings
from geodrift.web.models import Job

T = TypeVar("T")

MAX_PAGE = 1000
"""Largest page of events one request may ask for."""


@dataclass
class ServerState:
    """The objects one server shares between requests (kept on ``app.state.server``)."""

    store: Store
    settings: ServeSettings
    work: Path
    """Scratch folder for report charts."""
    cache: ResponseCache
    reads: anyio.CapacityLimiter
    """How many short reads (a dyad series, a page of events) run at once: DuckDB's threads (``reading``)."""
    jobs: dict[str, Job] = field(default_factory=dict)
    jobs_lock: threading.Lock = field(default_factory=threading.Lock)
    sessions: threading.local = field(default_factory=threading.local)
    """Each worker thread's own snapshot session (``reader``)."""

    def reader(self) -> Store:
        """This thread's session of the store, opened once and kept: the short reads (``reading``) use it instead of
        opening and closing one per request (0.24 ms). It is as consistent as one per request: each statement of
        a session without a transaction reads the store as last committed."""
        session: Store | None = getattr(self.sessions, "store", None)
        if session is None:
            session = self.sessions.store = self.store.session()
        return session

    def drop_reader(self) -> None:
        """Close this thread's kept session (after a failed read, which may leave a result open on it)."""
        session: Store | None = getattr(self.sessions, "store", None)
        self.sessions.store = None
        if session is not None:
            session.close()


async def server_state(request: Request) -> ServerState:
    state: ServerState = request.app.state.server
    return state


Server = Annotated[ServerState, Depends(server_state)]


async def get_settings(server: Server) -> ServeSettings:
    return server.settings


SettingsDep = Annotated[ServeSettings, Depends(get_settings)]


async def session(server: Server) -> AsyncIterator[Store]:
    """A snapshot session of the server's store for one request, closed after it."""
    reader = server.store.session()
    try:
        yield reader
    finally:
        reader.close()


Reader = Annotated[Store, Depends(session)]


async def reading(server: Server, work: Callable[[Store], T]) -> T:
    """Run the short read ``work`` in a worker thread on that thread's kept session (``ServerState.reader``), as many
    at once as ``server.reads`` allows. A read that fails drops the session, so the next opens a clean one.

    Why: FastAPI runs a plain route in its pool of 40 threads, so 16 clients make 16 threads take turns at 2
    cores and the interpreter lock, and the slowest answers wait longest; queued on the event loop instead, answers
    come in order. Measured with 16 clients on 2 cores over 10 million events: dyad series p95 184-213 ms with
    the pool, 114-146 ms with 2 at once, at the same or higher throughput.
    """
    def run() -> T:
        try:
            return work(server.reader())
        except BaseException:
            server.drop_reader()
            raise

    return await anyio.to_thread.run_sync(run, limiter=server.reads)


async def get_cache(server: Server) -> ResponseCache:
    return server.cache


Cache = Annotated[ResponseCache, Depends(get_cache)]


async def get_work(server: Server) -> Path:
    return server.work


Work = Annotated[Path, Depends(get_work)]


async def read_key(request: Request,
             x_api_key: Annotated[str | None, Header(description="API key (when reads are keyed)")] = None) -> None:
    """Reads need a key only when the operator asked for keyed reads. (It takes the request, not ``SettingsDep``:
    every read asks this, and each level of dependencies FastAPI solves per request costs CPU.)"""
    settings: ServeSettings = request.app.state.server.settings
    if settings.keyed_reads and not settings.accepts(x_api_key):
        raise HTTPException(401, "a valid X-API-Key header is required")


async def write_key(settings: SettingsDep,
              x_api_key: Annotated[str | None, Header(description="API key for write endpoints")] = None) -> None:
    """Writes need a key, and are off when no keys are configured."""
    if not settings.key_hashes:
        raise HTTPException(403, "write endpoints are disabled: the operator configured no API keys")
    if not settings.accepts(x_api_key):
        raise HTTPException(401, "a valid X-API-Key header is required")


def span(settings: ServeSettings, start: dt.date | None, end: dt.date | None, unit: str = "clusters") -> EventFilter:
    """A date filter from ``start`` to ``end``, both included, no longer than ``settings.max_days`` (one open side is
    closed at that distance from the other), counting ``unit`` (clusters or reports).

    Raises:
        InputError: the range given is longer than the limit, or the unit is unknown.
    """
    check_day(start, "from")
    end = through(start, end, ("from", "to"))
    limit = dt.timedelta(days=settings.max_days)
    if start and not end:
        end = min(start + limit, LATEST + dt.timedelta(days=1))  # half-open: LATEST is a day one may ask for
    elif end and not start:
        start = max(end - limit, EARLIEST)
    if start and end and (end - start) > limit:
        raise InputError(f"from/to span {(end - start).days} days; the limit is {settings.max_days}")
    return EventFilter(start=start, end=end, unit=unit)


async def listed_filter(
    start: Annotated[dt.date | None, Query(alias="from", description="first event day")] = None,
    end: Annotated[dt.date | None, Query(alias="to", description="last event day (included)")] = None,
    actor: Annotated[str | None, Query(description="ISO3 of either actor", pattern="^[A-Za-z]{3}$")] = None,
    code: Annotated[str | None, Query(description="CAMEO code prefix, e.g. 19 or 0871", pattern="^[0-9]{2,4}$")] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4)] = None,
    place: Annotated[str | None, Query(description="ISO3 of the action place", pattern="^[A-Za-z]{3}$")] = None,
    source: Annotated[str | None, Query(description="gdelt1, gdelt2, icews, curated, text", max_length=40)] = None,
) -> EventFilter:
    """Which events a listing (``/events``, ``/clusters``) shows: every modality, filtered by the query parameters."""
    check_day(start, "from")  # here, in the API's words: EventFilter would name the CLI's --from
    return EventFilter(start=start, end=through(start, end, ("from", "to")), modalities=ALL_MODALITIES,
                       actors=resolve(actor) if actor else (),
                       code_prefixes=(code,) if code else (), quad_classes=(quad_class,) if quad_class else (),
                       places=resolve(place) if place else (), sources=(source,) if source else ())


Listed = Annotated[EventFilter, Depends(listed_filter)]


def check_briefing(day: dt.date, days: int, as_of: dt.date | None = None) -> None:
    """A briefing's parameters checked in the API's words: the report layer names the CLI's options (``--date``,
    ``--known-by``) and the first day it computes from ``days``, which the client never sent.

    Raises:
        InputError: a day outside the supported dates, or ``days`` reaching back before the first of them.
    """
    check_day(day, "day")
    check_day(as_of, "as_of")
    if (day - EARLIEST).days < days - 1:
        raise InputError(f"days {days} ending on {day} start before {EARLIEST}, the earliest supported day: "
                         f"use days of at most {(day - EARLIEST).days + 1}")
