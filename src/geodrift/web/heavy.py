"""Analyses and briefings over HTTP (the API's and the dashboard's): computed in the server's read slots, with a
bounded queue.

Why: they ran as plain routes in FastAPI's pool of 40 threads, outside the read slots (``deps.reading``) that bound
every other read, so a burst of analysis requests (each seconds of CPU and a DuckDB session) ran 40 at once and
could exhaust the process's memory and starve every other request. Now each takes one of the read slots
(``ServerState.reads``, as many as ``GEODRIFT_THREADS``), at most twice that many wait or run, and one more is
answered at once with 503 and a ``Retry-After`` estimated from how long they have been taking. A cached answer takes
no slot in the queue: it is looked up first.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio.to_thread
from fastapi import HTTPException, Request, Response

from geodrift.store import Store
from geodrift.web.cache import ResponseCache
from geodrift.web.deps import ServerState

T = TypeVar("T")


@dataclass
class HeavySlots:
    """How many analyses and briefings may be in flight (running or waiting for a read slot) and how long they take.

    Attributes:
        limit: in flight at most; the next is refused (503).
        in_flight: now.
        seconds: a running mean of one's wall time, for ``Retry-After``.
    """

    limit: int
    in_flight: int = 0
    seconds: float = 5.0

    def retry_after(self, slots: float) -> int:
        """Seconds until a slot is likely free: the queue ahead, at the mean time per answer, over the slots."""
        return max(1, math.ceil(self.seconds * max(1, self.in_flight - slots + 1) / max(slots, 1)))


def heavy_slots(threads: int) -> HeavySlots:
    """The server's bound: as many waiting as running (the read slots)."""
    return HeavySlots(limit=2 * max(threads, 1))


async def bounded(request: Request, server: ServerState, cache: ResponseCache, reader: Store,
                  compute: Callable[[], Any]) -> Response:
    """The cached answer, else ``compute()`` run in a read slot (``cache.answer`` stores it).

    Raises:
        HTTPException: 503 with ``Retry-After`` when ``HeavySlots.limit`` are in flight already.
    """
    if cache.size:  # the look-up has slots of its own: behind the read slots, a burst would queue before the bound
        hit = await anyio.to_thread.run_sync(lambda: cache.cached(request, reader), limiter=request.app.state.lookups)
        if hit is not None:
            return hit
    return await in_slot(request, server, lambda: cache.answer(request, reader, compute))


async def in_slot(request: Request, server: ServerState, work: Callable[[], T]) -> T:
    """``work()`` run in a read slot, if no more than ``HeavySlots.limit`` are in flight (the dashboard's briefing and
    analysis pages, which are not cached, call this directly).

    Raises:
        HTTPException: 503 with ``Retry-After`` when the limit is reached.
    """
    slots: HeavySlots = request.app.state.heavy
    if slots.in_flight >= slots.limit:
        wait = slots.retry_after(server.reads.total_tokens)
        raise HTTPException(503, f"{slots.in_flight} analyses and briefings are being computed or waiting, the most "
                                 f"this server takes at once; try again in {wait} s",
                            headers={"Retry-After": str(wait)})
    slots.in_flight += 1  # the event loop's thread alone counts: no lock needed
    began = time.monotonic()
    try:
        return await anyio.to_thread.run_sync(work, limiter=server.reads)
    finally:
        slots.in_flight -= 1
        slots.seconds = 0.8 * slots.seconds + 0.2 * (time.monotonic() - began)
