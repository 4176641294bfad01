"""The store's connection: opening a DuckDB file (or memory), its migrations, transactions and typed queries.

``geodrift.store.Store`` is this plus its appends (``store_appends``) and its exports (``store_export``); split so
each module holds one concern of the store.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar

import duckdb
import pyarrow as pa

from geodrift import aggregates, store_upgrade
from geodrift.errors import StoreError, StoreLockedError, StoreOutdatedError
from geodrift.store_schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:  # DuckDB's .df() and .pl() import them when asked: a command that codes text never loads them
    import pandas as pd
    import polars as pl


RECLUSTER_PENDING = "recluster_pending"
"""The ``meta`` key of a store whose clustering again whole (``_migrate``) is still to do."""


class Writes:
    """The writer sessions of one open database (``Store.session``: every session of it shares this): one at a time,
    and how many have ended.

    One at a time: two writers of one DuckDB database conflict ("Conflict on update!") and one loses its batch, so a
    second API ingest job (or a ``watch --serve`` run) waits for the first instead (attack review 6, F7). How many
    ended: the in-process half of the store's version (web/cache.py), as a write's later steps (clustering the files
    it committed, re-coding, sorting the rollups) add no file row, and an answer computed between them would
    otherwise be kept as current (F4). In the server every writer is a session of its own store (DuckDB lets one
    process write), so these cover every write."""

    def __init__(self) -> None:
        self.ended = 0
        self._turn = threading.Lock()
        self._count = threading.Lock()

    def busy(self) -> bool:
        """Whether a writer session is open now (a new one would wait)."""
        return self._turn.locked()

    def begin(self) -> None:
        self._turn.acquire()

    def end(self) -> None:
        with self._count:
            self.ended += 1
        self._turn.release()


T = TypeVar("T")


class StoreConnection:
    """One DuckDB connection to an event store, migrated to the current schema when opened for writing
    (the arguments are ``Store``'s)."""

    facts: dict[str, Any] | None = None
    """What ``fact`` read once, shared by the store and its sessions; None where the store may change while open."""

    writer = False
    """A writer session (``Store.session(read_only=False)``), holding its database's turn to write until closed."""
    upgraded_from: int | None = None
    """The schema an older store had before this open upgraded it (None: nothing was upgraded); the CLI says so."""

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False, sandboxed: bool = False,
                 memory_limit: str = "1GB", threads: int = 2, upgrade: bool = True) -> None:
        self.path = str(path)
        read_only = read_only or sandboxed
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit, "threads": threads}
        if sandboxed:
            config |= {"enable_external_access": False, "lock_configuration": True}
        if self.path != ":memory:":
            parent = Path(self.path).resolve().parent
            if read_only and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no such database; ingest something first")
            if Path(self.path).exists() and not Path(self.path).is_file():  # a FIFO would block DuckDB forever
                raise StoreError(f"{self.path}: not a regular file")
            if not read_only and not parent.is_dir():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
        try:
            self.con = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            holder = re.search(r"Conflicting lock is held in (.*) \(PID (\d+)\)", str(exc))
            if holder:
                raise StoreLockedError(f"{self.path}: {_holding(int(holder.group(2)))}") from None
            raise StoreError(f"{self.path}: cannot open the database ({first_line(exc)})") from None
        self.read_only = read_only
        self.writes = Writes()
        # A file open read-only cannot change while open: DuckDB lets no process write it meanwhile (_holding).
        self.facts = {} if read_only and self.path != ":memory:" else None
        if not read_only:
            self._migrate()
        elif not self.has_table("meta"):
            raise StoreError(f"{self.path}: not a geodrift database")
        elif (version := self._version()) < SCHEMA_VERSION or (  # a reader's SQL names the new columns
                not self._shape_checked() and store_upgrade.differences(self.con)):
            self.con.close()
            if not upgrade:
                raise StoreOutdatedError(
                    f"{self.path}: schema {version}, written by an older geodrift (this one reads schema "
                    f"{SCHEMA_VERSION}); upgrade it once, a write that may take minutes on a large store: "
                    f"geodrift db upgrade --db {self.path}")
            type(self)(self.path, memory_limit=memory_limit, threads=threads).close()
            self.upgraded_from = version
            self.con = duckdb.connect(self.path, read_only=True, config=config)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (checkpointing the WAL); a writer session's close ends its write (``Writes``)."""
        try:
            self.con.close()
        finally:
            if self.writer:
                self.writer = False
                self.writes.end()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Everything inside commits together or not at all."""
        self.con.begin()
        try:
            yield
            self.con.commit()
        except BaseException as exc:
            # A failed commit (a full disk) has already ended the transaction: rolling back again would raise.
            with suppress(duckdb.Error):
                self.con.rollback()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"{self.path}: cannot write the store, nothing of this write was kept "
                                 f"({first_line(exc)})") from None
            raise

    def has_table(self, name: str) -> bool:
        """Whether the store has a table called ``name`` (optional tables such as un_votes)."""
        return bool(self._scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))

    def _version(self) -> int:
        value = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'") if self.has_table("meta") else None
        return int(value) if value else 0

    def _shape_checked(self) -> bool:
        """Whether the store was made, or found, to have this geodrift's shape (``store_upgrade.SHAPE_CHECKED``): a
        store whose number is current but whose tables are not (a release numbered 17 without 16's columns) is not."""
        checked = self._scalar("SELECT value FROM meta WHERE key = ?", [store_upgrade.SHAPE_CHECKED])
        return bool(checked == str(SCHEMA_VERSION))

    def _migrate(self) -> None:
        """Create a new store, or bring an older one to this schema by what it holds (``store_upgrade``): its tables
        derived from the events are rebuilt, and it is clustered again whole in a write after the schema's (inside
        one, a 10-million-event store ran out of its 1 GB): the meta key ``recluster_pending`` marks it until done, so
        an interrupted upgrade finishes at the next open."""
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer geodrift (schema {version})")
        try:
            if version < SCHEMA_VERSION or not self._shape_checked():
                with self._transaction():
                    if version == 0:  # a new store, created rather than upgraded
                        for step in sorted(MIGRATIONS):
                            for statement in MIGRATIONS[step]:
                                self.con.execute(statement)
                    elif version < SCHEMA_VERSION or store_upgrade.differences(self.con):
                        self.upgraded_from = version
                        store_upgrade.upgrade(self.con)
                        from geodrift.store_precision import recheck_precision  # imported here: it imports store

                        recheck_precision(self)
                        self.con.execute(f"INSERT OR REPLACE INTO meta VALUES ('{RECLUSTER_PENDING}', '1')")
                    self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
                    self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                     [store_upgrade.SHAPE_CHECKED, str(SCHEMA_VERSION)])
                    aggregates.fold_new_files(self.con)
            if self._scalar(f"SELECT count(*) FROM meta WHERE key = '{RECLUSTER_PENDING}'"):
                from geodrift.clustering import recluster  # imported here, as above

                try:
                    with self._transaction():
                        recluster(self.con)
                        self.con.execute(f"DELETE FROM meta WHERE key = '{RECLUSTER_PENDING}'")
                except StoreError as exc:
                    if "Out of Memory" not in str(exc):
                        raise
                    limit = self._scalar("SELECT current_setting('memory_limit')")
                    raise StoreError(f"{self.path}: clustering the store again whole (its upgrade to schema "
                                     f"{SCHEMA_VERSION}) needs more than its memory limit, {limit}; the rest of the "
                                     "upgrade is done and this step waits: open the store again with a higher "
                                     "GEODRIFT_MEMORY (10 million reports need about 2GB)") from None
                with self._transaction():  # rebuilt in block order: sorted, in a write of its own
                    aggregates.sort(self.con)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot create tables ({first_line(exc)})") from None

    def fact(self, key: str, read: Callable[[], T]) -> T:
        """``read()``, read once per open of a store that cannot change while open (a file opened read-only, as the
        API's read-only workers open it), else every time.

        Why: an uncached API request asks the store's state (its clustering, its date range) before its read, a
        statement of 0.8-1.5 ms of CPU each (docs/operations.md, "Serving reads without the cache")."""
        if self.facts is None:
            return read()
        if key not in self.facts:
            self.facts[key] = read()
        found: T = self.facts[key]
        return found

    # -- queries --------------------------------------------------------------------------

    def _scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        # fetchall, not fetchone: DuckDB 2 results stream and an unfinished one blocks the connection.
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run a query and return an Arrow table."""
        with _query_errors():
            return self.con.sql(sql, params=params).to_arrow_table()

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a query and return a pandas DataFrame."""
        with _query_errors():
            frame: pd.DataFrame = self.con.sql(sql, params=params).df()
        return frame

    def pl(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run a query and return a polars DataFrame."""
        with _query_errors():
            frame: pl.DataFrame = self.con.sql(sql, params=params).pl()
        return frame

    def batches(self, sql: str, params: list[Any] | None = None, batch_size: int = 100_000) -> Iterator[pa.RecordBatch]:
        """Stream a large result as Arrow record batches."""
        with _query_errors(), self.con.sql(sql, params=params).to_arrow_reader(batch_size=batch_size) as reader:
            yield from reader

    def count_events(self) -> int:
        """Number of stored events."""
        return int(self._scalar("SELECT count(*) FROM events"))


@contextmanager
def _query_errors() -> Iterator[None]:
    """A query's failure, whether DuckDB meets it planning or running (a bad cast, error(), a refused file
    read), as one StoreError line instead of a traceback."""
    try:
        yield
    except duckdb.PermissionException as exc:
        raise StoreError(f"query refused: {first_line(exc)} (user queries read the store and nothing else)") from None
    except duckdb.Error as exc:
        raise StoreError(f"query failed: {first_line(exc)}") from None


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _holding(pid: int) -> str:
    """What the process holding a store's lock does with it, from its command line where the system shows it: a
    read-only server holds the lock as long as it runs, which a waiting writer should be told."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        args = []
    if b"--read-only" in args:
        return (f"another process (PID {pid}) reads this store read-only (until it stops); DuckDB lets no process "
                "write while another has the file open")
    return f"another process (PID {pid}) is writing this store; DuckDB allows one writing process"
