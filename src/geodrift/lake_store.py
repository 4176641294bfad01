"""A store whose tables live in a Parquet lake: the same ``Store`` interface, so ingest and analytics run unchanged.

``LakeStore(path)`` opens an in-memory DuckDB connection in which every lake table is a view over the files of
the latest committed snapshot (geodrift.lake), and the other tables are empty. Queries see one snapshot for the
life of the connection. A write (``append_files``, ``record_failure``, clustering) runs the DuckDB store's own
code on a scratch in-memory store, writes what it added as Parquet and commits one manifest: a batch of files is
visible whole or not at all.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pyarrow as pa

from geodrift import clustering, staging
from geodrift.errors import CorruptFileError, StoreError
from geodrift.events import EVENT_SCHEMA
from geodrift.lake import LAKE_TABLES, PARTITIONS, Lake, Snapshot, new_commit_id, read_sql
from geodrift.registered import registered
from geodrift.sources.base import Rejected
from geodrift.sources.delimited import Scan
from geodrift.store import FileAppend, FileResult, Store
from geodrift.store_connection import Writes
from geodrift.store_schema import MIGRATIONS, SCHEMA_VERSION
from geodrift.units_sql import CLUSTER_ROLLUPS, cluster_rollups_sql

LAKE_PREFIX = "lake:"
CLUSTER_TABLES = ("clusters", "cluster_summary", "cluster_units", *CLUSTER_ROLLUPS)
"""What clustering writes: each partitioned by month, so an update rewrites only the months around new events."""
_COUNTERS = ("aggregated_file_id", "clustered_file_id")


def is_lake(location: str) -> bool:
    """Whether a store location names a lake (``lake:PATH``) rather than a DuckDB file."""
    return location.startswith(LAKE_PREFIX)


def open_any(location: str, *, read_only: bool = False, memory_limit: str = "1GB", threads: int = 2) -> Store:
    """The store at ``location``: a lake for ``lake:PATH``, else a DuckDB file (or ":memory:")."""
    if is_lake(location):
        return LakeStore(location.removeprefix(LAKE_PREFIX), read_only=read_only, memory_limit=memory_limit,
                         threads=threads)
    return Store(location, read_only=read_only, memory_limit=memory_limit, threads=threads)


def _ddl(table: str) -> str:
    """The store's CREATE TABLE statement of ``table`` (from its migrations)."""
    return next(s for step in MIGRATIONS.values() for s in step if s.startswith(f"CREATE TABLE {table} "))


def _schema(con: duckdb.DuckDBPyConnection) -> None:
    for step in range(1, SCHEMA_VERSION + 1):
        for statement in MIGRATIONS.get(step, ()):
            con.execute(statement)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


class LakeStore(Store):
    """A Parquet lake behind the Store interface (``--store lake:PATH``).

    Args:
        path: the lake's folder; created by the first write.
        read_only: refuse writes (and require the lake to exist).
        memory_limit: DuckDB memory limit of the reading connection and of each write's scratch store.
        threads: DuckDB worker threads.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, memory_limit: str = "1GB",
                 threads: int = 2) -> None:
        self.lake = Lake(path, create=not read_only)
        self.path = LAKE_PREFIX + str(path)
        self.read_only = read_only
        self.writes = Writes()
        self._memory, self._threads = memory_limit, threads
        # In-memory connections spill to ./.tmp by default: spill beside the lake (writers) or in the system's temp.
        self._spill = str(self.lake.root / "_tmp" if not read_only else Path(tempfile.gettempdir()) / "geodrift-lake")
        self.con = duckdb.connect(":memory:", config={"memory_limit": memory_limit, "threads": threads,
                                                      "temp_directory": self._spill})
        _schema(self.con)
        self.snapshot = Snapshot()
        self._expose(self.lake.snapshot())

    def _expose(self, snapshot: Snapshot) -> None:
        """Point the connection's views at ``snapshot``'s files and its counters into ``meta``."""
        for table in LAKE_TABLES:
            paths = self.lake.paths(snapshot, table)
            if not paths:
                continue
            kind = "VIEW" if table in self._views() else "TABLE"
            self.con.execute(f"DROP {kind} {table}")
            self.con.execute(f"CREATE VIEW {table} AS {read_sql(paths, table)}")
        for key in _COUNTERS:
            self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, snapshot.meta.get(key, "0")])
        if _rollups_missing(snapshot):
            # Clustered before the cluster rollups existed: build them here from cluster_units, as migration 10 does
            # in a DuckDB store; the next clustering commit writes them whole (update_clusters).
            for table in CLUSTER_ROLLUPS:
                self.con.execute(f"DELETE FROM {table}")
            for statement in cluster_rollups_sql():
                self.con.execute(statement)
        self.snapshot = snapshot

    def _views(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}

    def refresh(self) -> None:
        """Move to the lake's latest snapshot (another process may have committed)."""
        latest = self.lake.snapshot()
        if latest.version != self.snapshot.version:
            self._expose(latest)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        # Writes through the DuckDB store's generic path (evidence, forecasts, conflict tables, optimize) would land
        # in the connection's empty tables and be lost: refuse them with one clear line instead.
        raise StoreError(f"{self.path}: a lake keeps events, files, quarantine, aggregates and clusters; "
                         "write forecasts, evidence and conflict tables to a DuckDB store (--store FILE.duckdb)")
        yield  # pragma: no cover  (a generator is needed for contextmanager)

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    def _scratch(self) -> Store:
        """An empty in-memory store whose next file id follows the lake's, for one write."""
        scratch = Store(":memory:", memory_limit=self._memory, threads=self._threads)
        scratch.con.execute("SET temp_directory = ?", [self._spill])
        first = int(self._scalar("SELECT coalesce(max(file_id), 0) FROM ingested_files")) + 1
        scratch.con.execute("DROP SEQUENCE file_ids")
        scratch.con.execute(f"CREATE SEQUENCE file_ids START {first}")
        scratch.con.execute("UPDATE meta SET value = ? WHERE key = 'aggregated_file_id'", [str(first - 1)])
        return scratch

    def _publish(self, scratch: Store, tables: Sequence[str], meta: dict[str, str]) -> None:
        """Write the scratch store's rows of ``tables`` as new files and commit them with ``meta`` in one manifest."""
        commit = new_commit_id()
        added = {t: self.lake.write(scratch.con, t, f"SELECT * FROM {t}", commit) for t in tables}
        self._expose(self.lake.commit(self.snapshot, {t: self.snapshot.files(t) + f for t, f in added.items()}, meta))

    def append_files(self, files: Sequence[FileAppend]) -> list[FileResult]:
        """Append several files as one lake commit: events, rejects, file records and aggregates, all or none.

        Duplicate ids are found against the committed events (the DuckDB store's rule: the first copy is kept).
        """
        self._writable()
        if not files:  # ingest's last flush is often empty: no commit for nothing
            return []
        files = self._unstaged(files)
        with self.lake.writing():
            self.refresh()
            tables = [pa.Table.from_batches(list(f.batches), schema=EVENT_SCHEMA) for f in files]
            files = [FileAppend(f.fmt, f.location, f.checksum, f.size, t.to_batches(), f.rejected)
                     for f, t in zip(files, tables, strict=True)]
            with self._scratch() as scratch:
                ids = pa.table({"event_id": pa.concat_arrays([c for t in tables for c in t["event_id"].chunks])
                                if tables and any(t.num_rows for t in tables) else pa.array([], pa.string())})
                with registered(self.con, "incoming_ids", ids):
                    known = self.con.sql("SELECT DISTINCT event_id FROM events "
                                         "WHERE event_id IN (SELECT event_id FROM incoming_ids)").to_arrow_table()
                # Stored ids stand in the scratch store as file 0, so its duplicate rule sees them; dropped after.
                with registered(scratch.con, "known_ids", known):
                    scratch.con.execute("INSERT INTO events (event_id, file_id) SELECT event_id, 0 FROM known_ids")
                results = scratch.append_files(files)
                scratch.con.execute("DELETE FROM events WHERE file_id = 0")
                newest = scratch._scalar("SELECT value FROM meta WHERE key = 'aggregated_file_id'")
                self._publish(scratch, ("events", "quarantine", "ingested_files", "dyad_days", "country_days",
                                        "dyad_months", "country_months"), {"aggregated_file_id": str(newest)})
        return results

    def insert(self, rows: Scan | pa.Table) -> tuple[int, int, list[Rejected]]:
        """Stage the file (geodrift.staging) until ``append_files`` writes the group to the lake."""
        return self.stage(rows)

    def insert_scans(self, scans: Sequence[Scan]) -> list[tuple[int, int, list[Rejected]]]:
        """Stage the files one by one (``insert``); a failed read unstages those this call staged before it."""
        staged: list[tuple[int, int, list[Rejected]]] = []
        try:
            for scan in scans:
                staged.append(self.stage(scan))
        except CorruptFileError:
            staging.unstage(self.con, [file_id for file_id, _, _ in staged])
            raise
        return staged

    def pending(self) -> frozenset[int]:
        """Ids of the files staged and not yet written (a failed read keeps the others staged)."""
        staging.ensure(self.con)
        return frozenset(staging.counts(self.con))

    def _unstaged(self, files: Sequence[FileAppend]) -> list[FileAppend]:
        """Files staged by ``stage`` (straight from DuckDB's reader into this connection) as Arrow appends, so the
        scratch store commits them like any other; the rows their source flagged unusable join their rejects."""
        if all(f.file_id is None for f in files):
            return list(files)
        try:
            plain = []
            for f in files:
                if f.file_id is None:
                    plain.append(f)
                    continue
                rows, bad = staging.staged_file(self.con, f.file_id)
                plain.append(FileAppend(f.fmt, f.location, f.checksum, f.size, rows.to_batches(), [*f.rejected, *bad]))
            return plain
        finally:
            staging.clear(self.con)

    def record_failure(self, *, fmt: str, location: str, checksum: str, size: int | None, message: str) -> FileResult:
        """Record a file that could not be ingested, as its own commit."""
        self._writable()
        with self.lake.writing():
            self.refresh()
            with self._scratch() as scratch:
                result = scratch.record_failure(fmt=fmt, location=location, checksum=checksum, size=size,
                                                message=message)
                self._publish(scratch, ("ingested_files",), {})
        return result

    def update_clusters(self) -> int:
        """Cluster the events of files not yet clustered (geodrift.clustering, unchanged), as one commit.

        Only the months around the new events are read into the connection and rewritten: clustering changes
        nothing further than a few days from a new report (clustering.REACH_DAYS), so one month either side is
        enough, and the other months' files are kept as they are.
        """
        self._writable()
        with self.lake.writing():
            self.refresh()
            done = int(self._scalar("SELECT value FROM meta WHERE key = 'clustered_file_id'") or 0)
            newest = self._scalar("SELECT max(file_id) FROM events")
            if newest is None or int(newest) <= done:
                return 0
            months = {(y, m) for y, m in self.con.execute(
                f"SELECT DISTINCT year(d), month(d) FROM (SELECT event_date + INTERVAL (k) MONTH AS d FROM events, "
                f"range(-1, 2) AS r(k) WHERE file_id > {done})").fetchall()}
            keep: dict[str, list[str]] = {}
            whole = _rollups_missing(self.snapshot)
            for table in CLUSTER_TABLES:
                old = self.snapshot.files(table)
                keep[table] = [f for f in old if _month_of(f) not in months]
                if whole and table in CLUSTER_ROLLUPS:
                    continue  # built whole by _expose: refreshed with the others and written whole
                redo = [str(self.lake.root / f) for f in old if _month_of(f) in months]
                self.con.execute(f"DROP {'VIEW' if table in self._views() else 'TABLE'} {table}")
                self.con.execute(f"CREATE TABLE {table} AS {read_sql(redo, table)}" if redo else _ddl(table))
            try:
                changed = clustering.update_clusters(self)
                commit = new_commit_id()
                added = {t: keep[t] + self.lake.write(self.con, t, f"SELECT * FROM {t}", commit)
                         for t in CLUSTER_TABLES}
                snapshot = self.lake.commit(self.snapshot, added, {"clustered_file_id": str(int(newest))})
            except BaseException:
                self._reset(self.snapshot)
                raise
            self._reset(snapshot)
        return changed

    def _reset(self, snapshot: Snapshot) -> None:
        """Rebuild the connection's views from ``snapshot`` (after clustering replaced some with tables)."""
        for table in CLUSTER_TABLES:
            self.con.execute(f"DROP {'VIEW' if table in self._views() else 'TABLE'} {table}")
            self.con.execute(_ddl(table))
        self._expose(snapshot)

    def optimize(self) -> None:
        """Lakes are written partitioned by date and source already; there is nothing to sort."""
        raise StoreError(f"{self.path}: db optimize is for DuckDB stores; a lake is partitioned as it is written")

    def export_parquet(self, directory: Path) -> int:
        """A lake is Parquet already: point readers at its files (``db info`` lists the snapshot)."""
        raise StoreError(f"{self.path}: this store is Parquet already; read {self.lake.root}/events (docs/lake.md)")


def _rollups_missing(snapshot: Snapshot) -> bool:
    """Whether the lake was clustered before the cluster rollups: files of cluster_units and none of theirs."""
    return bool(snapshot.files("cluster_units")) and not any(snapshot.files(t) for t in CLUSTER_ROLLUPS)


def _month_of(name: str) -> tuple[int, int] | None:
    parts = dict(p.split("=", 1) for p in Path(name).parts if "=" in p)
    try:
        return int(parts["year"]), int(parts["month"])
    except (KeyError, ValueError):
        return None


def update_clusters(store: Store) -> int:
    """Cluster what the last ingest added, in a DuckDB store or a lake (ingest calls this)."""
    return store.update_clusters() if isinstance(store, LakeStore) else clustering.update_clusters(store)


__all__ = ["LAKE_PREFIX", "PARTITIONS", "LakeStore", "is_lake", "open_any", "update_clusters"]
