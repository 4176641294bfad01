"""A response cache for analytic endpoints, valid for one version of the store."""

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import duckdb
import pydantic_core
from fastapi import Request, Response
from pydantic import BaseModel

from geodrift.store import Store


class ResponseCache:
    """Answers of analytic endpoints, keyed by path and query and valid for one version of the store.

    Reads dominate and a series only changes when the store does: the version (files ingested, last file id,
    forecasts stored, writer sessions ended) is checked on every request, so an ingest or a saved forecast
    invalidates at once, and an answer computed while a write was under way (its files committed, their clustering
    not yet) is computed again once the write ends.

    It is bounded twice, the least recently used answer going first: by answers (``size``) and by their bytes
    (``max_bytes``). Entries alone let any client fill it: 301 distinct 10-year daily series (~0.6 MB each) grew a
    server by 190 MB (attacker review 8, F10). An answer over an eighth of ``max_bytes`` is not kept at all, so one
    large answer cannot empty the cache of the many small ones it serves.
    """

    def __init__(self, size: int, max_bytes: int = 64 << 20) -> None:
        self.size = size if max_bytes else 0
        self.max_bytes = max_bytes
        self.largest = max_bytes // 8
        """The largest answer kept, in bytes."""
        self.bytes = 0
        """Bytes of the answers kept now (their bodies and keys)."""
        self._items: OrderedDict[tuple[str, str], tuple[tuple[int, ...], bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self._read: dict[int, set[str]] = {}

    @staticmethod
    def version(reader: Store) -> tuple[int, ...]:
        """Files ingested, the last file id, forecasts stored and writes ended (``Store.writes``). Every cached
        answer asks this, so it is one statement read as a tuple: the catalog look-up for ``forecasts`` and a frame
        cost a hit 4-5 ms of CPU."""
        counts = "SELECT count(*), coalesce(max(file_id), 0), {} FROM ingested_files"
        try:  # fetchall: DuckDB keeps a result fetched by fetchone open, and the connection's next statement fails
            row = reader.con.execute(counts.format("(SELECT count(*) FROM forecasts)")).fetchall()[0]
        except duckdb.CatalogException:  # a store from before forecasts (schema 4), opened read-only
            row = reader.con.execute(counts.format("0")).fetchall()[0]
        return int(row[0]), int(row[1]), int(row[2]), reader.writes.ended

    def key(self, request: Request) -> tuple[str, str]:
        """The path and the query parameters the route reads, each name with its values in the order given.

        Why: the route reads the last value of a repeated parameter, so ``unit=clusters&unit=reports`` and its
        reverse are two answers (sorting every item gave them one key); a parameter the route does not read changes
        nothing, so it must not make a key of its own (``&junk=1`` recomputed a 5 CPU-second analysis per request)."""
        route = request.scope.get("route")
        dependant = getattr(route, "dependant", None)
        read = self._read.get(id(route)) if dependant is not None else set(request.query_params)
        if read is None:
            read = self._read[id(route)] = _query_names(dependant)
        given = request.query_params
        return request.url.path, repr(sorted((name, given.getlist(name)) for name in set(given) & read))

    def cached(self, request: Request, reader: Store) -> Response | None:
        """The answer kept for this request and the store's version, or None (a bounded route asks before it queues:
        web/heavy.py)."""
        return self._hit(self.key(request), self.version(reader)) if self.size else None

    def _hit(self, key: tuple[str, str], version: tuple[int, ...]) -> Response | None:
        with self._lock:
            hit = self._items.get(key)
            if hit and hit[0] == version:
                self._items.move_to_end(key)
                return Response(hit[1], media_type="application/json", headers={"X-Cache": "hit"})
        return None

    def answer(self, request: Request, reader: Store, compute: Callable[[], Any]) -> Response:
        key = self.key(request)
        version = self.version(reader) if self.size else ()
        if (hit := self._hit(key, version)) is not None:
            return hit
        result = compute()
        body = (result if isinstance(result, bytes) else result.model_dump_json().encode()
                if isinstance(result, BaseModel) else pydantic_core.to_json(result, fallback=str, inf_nan_mode="null"))
        if self.size and _weight(key, body) <= self.largest:
            with self._lock:
                old = self._items.pop(key, None)
                if old is not None:
                    self.bytes -= _weight(key, old[1])
                self._items[key] = (version, body)
                self.bytes += _weight(key, body)
                while len(self._items) > self.size or self.bytes > self.max_bytes:
                    gone, (_, dropped) = self._items.popitem(last=False)
                    self.bytes -= _weight(gone, dropped)
        return Response(body, media_type="application/json", headers={"X-Cache": "miss"})


def _weight(key: tuple[str, str], body: bytes) -> int:
    """What an answer kept costs, near enough: its body and its key (each object's own overhead is small beside a
    body worth bounding)."""
    return len(body) + len(key[0]) + len(key[1])


def _query_names(dependant: Any) -> set[str]:
    """The query parameter names a route and its dependencies read (FastAPI's ``Dependant`` tree)."""
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names
