"""The event store: one DuckDB database holding events, ingested files and quarantined rows.

``Store`` joins the store's three parts: its connection, migrations and queries (``store_connection``), its
appends (``store_appends``: group commits, evidence, forecasts) and its exports (``store_export``: summary,
Parquet, optimize).
"""

from __future__ import annotations

from geodrift.direct import FileAppend as FileAppend
from geodrift.direct import FileResult as FileResult
from geodrift.store_appends import StoreAppends
from geodrift.store_export import StoreExport


class Store(StoreAppends, StoreExport):
    """A DuckDB event store; open with ``Store(path)`` or ``Store(":memory:")``.

    Args:
        path: database file (created if missing) or ":memory:".
        read_only: open without write access (web readers).
        sandboxed: also keep queries inside this file: external access off (no ATTACH, COPY, file readers, INSTALL/LOAD)
            and the configuration locked so SQL cannot turn it back on. Implies read_only. Used by :mod:`geodrift.sandbox`.
        memory_limit: DuckDB memory limit; ingest spills to disk beyond it.
        threads: DuckDB worker threads.
        upgrade: whether a read-only open of a store an older geodrift wrote upgrades it first (a write, which
            ``upgraded_from`` records for the CLI to report); False raises ``StoreOutdatedError`` instead, as a
            read-only server does. A writable open always upgrades.
    """

    def session(self, *, read_only: bool = True) -> Store:
        """Another connection to the same open database (a DuckDB cursor) for one thread or request; close it when
        done. It sees committed data only (snapshot isolation): a web reader answers while a writer session ingests.
        A writer session waits until no other is open (``Writes``: two writers conflict and one loses its batch)."""
        other = object.__new__(Store)
        other.path, other.con, other.read_only = self.path, self.con.cursor(), read_only or self.read_only
        other.writes, other.facts = self.writes, self.facts
        if not other.read_only:
            self.writes.begin()
            other.writer = True
        return other
