"""The event store: one DuckDB database holding events, ingested files and quarantined rows.

Every file is appended in one transaction (its events, its rejects and its row in ``ingested_files``), so a crash mid-file
leaves nothing of it, and a file whose checksum is already recorded as done is skipped, so re-ingest adds nothing. Events
carry the id of the file they came from: provenance down to the file, line-level for rejects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from geodrift import aggregates, direct, staging
from geodrift.direct import FileAppend as FileAppend
from geodrift.direct import FileResult as FileResult
from geodrift.errors import InputError, StoreError, StoreLockedError
from geodrift.registered import registered
from geodrift.sources import delimited
from geodrift.sources.base import Rejected
from geodrift.sources.delimited import Scan
from geodrift.store_schema import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:  # DuckDB's .df() and .pl() import them when asked: a command that codes text never loads them
    import pandas as pd
    import polars as pl


class Store:
    """A DuckDB event store; open with ``Store(path)`` or ``Store(":memory:")``.

    Args:
        path: database file (created if missing) or ":memory:".
        read_only: open without write access (web readers).
        sandboxed: also keep queries inside this file: external access off (no ATTACH, COPY, file readers, INSTALL/LOAD)
            and the configuration locked so SQL cannot turn it back on. Implies read_only. Used by :mod:`geodrift.sandbox`.
        memory_limit: DuckDB memory limit; ingest spills to disk beyond it.
        threads: DuckDB worker threads.
    """

    _group: dict[int, tuple[int, int]] | None = None
    """The open group commit: (usable, unusable) rows of each file inserted in it, by file id."""
    _scans: dict[int, Scan]  # the open group's delimited files by id: its duplicate check may read one again

    def __init__(self, path: str | Path = ":memory:", *, read_only: bool = False, sandboxed: bool = False,
                 memory_limit: str = "1GB", threads: int = 2) -> None:
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
                raise StoreLockedError(f"{self.path}: another process (PID {holder.group(2)}) is writing this store; "
                                       "DuckDB allows one writing process") from None
            raise StoreError(f"{self.path}: cannot open the database ({_first_line(exc)})") from None
        self.read_only = read_only
        if not read_only:
            self._migrate()
        elif not self.has_table("meta"):
            raise StoreError(f"{self.path}: not a geodrift database")
        elif self._version() < SCHEMA_VERSION:  # a reader's SQL names the new columns: upgrade an older store first
            self.con.close()
            Store(self.path, memory_limit=memory_limit, threads=threads).close()
            self.con = duckdb.connect(self.path, read_only=True, config=config)

    def session(self, *, read_only: bool = True) -> Store:
        """Another connection to the same open database (a DuckDB cursor) for one thread or request; close it when
        done. It sees committed data only (snapshot isolation): a web reader answers while a writer session ingests."""
        other = object.__new__(Store)
        other.path, other.con, other.read_only = self.path, self.con.cursor(), read_only or self.read_only
        return other

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.con.close()

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
                                 f"({_first_line(exc)})") from None
            raise

    def has_table(self, name: str) -> bool:
        """Whether the store has a table called ``name`` (optional tables such as un_votes)."""
        return bool(self._scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))

    def _version(self) -> int:
        value = self._scalar("SELECT value FROM meta WHERE key = 'schema_version'") if self.has_table("meta") else None
        return int(value) if value else 0

    def _migrate(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: written by a newer geodrift (schema {version})")
        if version == SCHEMA_VERSION:
            return
        try:
            with self._transaction():
                for step in range(version + 1, SCHEMA_VERSION + 1):
                    for statement in MIGRATIONS[step]:
                        self.con.execute(statement)
                self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
                aggregates.fold_new_files(self.con)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot create tables ({_first_line(exc)})") from None

    # -- ingest -------------------------------------------------------------------------

    def done_file(self, checksum: str) -> int | None:
        """file_id of a completed ingest of a file with this checksum, if any."""
        value = self._scalar("SELECT file_id FROM ingested_files WHERE checksum = ? AND status = 'done' LIMIT 1",
                             [checksum])
        return None if value is None else int(value)

    def done_location(self, location: str) -> int | None:
        """file_id of a completed ingest from this location (path or URL), if any."""
        value = self._scalar("SELECT file_id FROM ingested_files WHERE location = ? AND status = 'done' LIMIT 1",
                             [location])
        return None if value is None else int(value)

    def append_file(self, *, fmt: str, location: str, checksum: str, size: int | None,
                    batches: Iterable[pa.RecordBatch], rejected: Iterable[Rejected]) -> FileResult:
        """Append one file's events and rejects in a single transaction.

        Events whose id is already stored (from this or an earlier file) are counted as
        duplicates, not inserted. ``rejected`` is read after ``batches`` is exhausted.

        Raises:
            StoreError: the write failed; nothing of the file was kept.
        """
        return self.append_files([FileAppend(fmt, location, checksum, size, batches, rejected)])[0]

    def stage(self, rows: Scan | pa.Table) -> tuple[int, int, list[Rejected]]:
        """Stage a file in this connection's staging table (geodrift.staging), for writers that commit elsewhere (a
        lake, a Spark task); returns the file id its rows carry, the rows staged and the lines rejected.

        Raises:
            CorruptFileError: DuckDB cannot read the file; nothing of it stays staged.
        """
        file_id = int(self._scalar("SELECT nextval('file_ids')"))
        if isinstance(rows, pa.Table):
            staging.ensure(self.con)
            staging.stage_arrow(self.con, file_id, rows.to_batches())
            return file_id, rows.num_rows, []
        return file_id, *staging.stage_scan(self.con, rows, file_id)

    def insert(self, rows: Scan | pa.Table) -> tuple[int, int, list[Rejected]]:
        """``insert_scans`` of one delimited file, or canonical Arrow rows (all usable) inserted the same way."""
        if isinstance(rows, Scan):
            return self.insert_scans([rows])[0]
        return self._inserted(1, lambda ids: [(direct.insert_arrow(self.con, ids[0], rows.to_batches()), 0, [])])[0]

    def insert_scans(self, scans: Sequence[Scan]) -> list[tuple[int, int, list[Rejected]]]:
        """Insert delimited files straight from DuckDB's reader into ``events`` inside the group's transaction (opened
        here by the group's first files), one read per run of files of one layout (geodrift.direct); returns each
        file's id (taken in file order), rows inserted and lines rejected. ``append_files`` then commits the group (a
        ``FileAppend`` with that ``file_id``): duplicates are only found there.

        Raises:
            CorruptFileError: DuckDB cannot read a file; the whole group is rolled back (``pending`` is empty).
        """
        delimited.prepare(self.con)
        return self._inserted(len(scans), lambda ids: direct.insert_scans(self.con, scans, ids, self._scans))

    def _inserted(self, files: int, insert: Callable[[list[int]], list[tuple[int, int, list[Rejected]]]]
                  ) -> list[tuple[int, int, list[Rejected]]]:
        """Give ``files`` files their ids, run ``insert`` with them in the open group, and note what each gave."""
        group = self._open_group()
        ids = [int(self._scalar("SELECT nextval('file_ids')")) for _ in range(files)]
        try:
            inserted = insert(ids)
        except BaseException:
            self.rollback_group()
            raise
        group.update((file_id, (usable, unusable)) for file_id, (usable, unusable, _) in zip(ids, inserted, strict=True))
        return [(file_id, usable, rejected) for file_id, (usable, _, rejected) in zip(ids, inserted, strict=True)]

    def _open_group(self) -> dict[int, tuple[int, int]]:
        """The open group commit's files, opening its transaction first if none is open."""
        if self._group is None:
            self.con.begin()
            self._group, self._scans = {}, {}
        return self._group

    def pending(self) -> frozenset[int]:
        """Ids of the files inserted in the open group, not yet committed."""
        return frozenset(self._group or ())

    def rollback_group(self) -> None:
        """Drop the open group: nothing of its files is kept."""
        if self._group is not None:
            self._group, self._scans = None, {}
            with suppress(duckdb.Error):
                self.con.rollback()
                direct.ordered(self.con)  # a failed insert aborted the transaction before resetting its setting

    def append_files(self, files: Sequence[FileAppend]) -> list[FileResult]:
        """Append several files in one transaction (group commit): all of them, or none.

        Files come as Arrow batches or already inserted in the open group (``FileAppend.file_id``, from
        ``insert``). Why group: DuckDB writes a transaction of fewer rows than a row group (122,880) through its
        WAL and copies it again at checkpoint, while larger ones go straight to the file; and the duplicate check
        is paid once per group. A crash loses the whole group, which a resumed run redoes; nothing is ever
        half-kept.

        Raises:
            StoreError: the write failed; nothing of the group was kept.
        """
        started = _now()
        group = self._open_group()
        try:
            ids = []
            for item in files:
                if item.file_id is None:
                    file_id = int(self._scalar("SELECT nextval('file_ids')"))
                    group[file_id] = (direct.insert_arrow(self.con, file_id, item.batches), 0)
                ids.append(item.file_id or file_id)
            if set(group) - set(ids):
                raise StoreError(f"{self.path}: files {sorted(set(group) - set(ids))} were inserted but not appended")
            results = direct.record_files(self.con, dict(zip(ids, files, strict=True)), group, started, self._scans)
            aggregates.fold_new_files(self.con)
            self.con.commit()
        except BaseException as exc:
            self.rollback_group()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"{self.path}: cannot write the store, nothing of this write was kept "
                                 f"({_first_line(exc)})") from None
            raise
        self._group, self._scans = None, {}
        return results

    def refresh_aggregates(self) -> None:
        """Aggregate events written outside ``append_files`` (bulk loads), in one transaction."""
        with self._transaction():
            aggregates.fold_new_files(self.con)

    def optimize(self) -> None:
        """Rewrite the aggregates sorted by dyad and day, and the events by day and id, so zone maps skip all
        but the asked dyad or dates (and API pages, in (event_date, event_id) order, read few row groups).

        Appends leave rows in ingest order; run this after large ingests (``db optimize``).
        """
        with self._transaction():
            aggregates.sort(self.con)
            self.con.execute("CREATE TABLE events_sorted AS SELECT * FROM events ORDER BY event_date, event_id")
            self.con.execute("DROP TABLE events")
            self.con.execute("ALTER TABLE events_sorted RENAME TO events")
        self.con.execute("CHECKPOINT")

    def record_evidence(self, evidence: pa.Table) -> int:
        """Add evidence rows (new ones only) and recount mentions, articles and sources of their events.

        ``evidence`` has the columns of the ``evidence`` table. Counts become: mentions = evidence rows,
        articles = distinct article ids, sources = distinct outlets (article id when the outlet is unknown).
        Returns the number of new evidence rows.
        """
        if evidence.num_rows == 0:
            return 0
        with self._transaction(), registered(self.con, "incoming_evidence", evidence):
            rows = self.con.execute(
                "INSERT INTO evidence SELECT n.* FROM incoming_evidence n WHERE NOT EXISTS (SELECT 1 FROM evidence e "
                "WHERE e.event_id = n.event_id AND e.article_id = n.article_id "
                "AND e.start_offset IS NOT DISTINCT FROM n.start_offset)").fetchall()
            self.con.execute("""
                UPDATE events SET num_mentions = c.mentions, num_articles = c.articles, num_sources = c.sources
                FROM (SELECT event_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                             count(DISTINCT coalesce(outlet, article_id)) AS sources
                      FROM evidence WHERE event_id IN (SELECT event_id FROM incoming_evidence)
                      GROUP BY event_id) AS c
                WHERE events.event_id = c.event_id""")
        return int(rows[0][0]) if rows else 0

    def record_forecasts(self, forecasts: pa.Table) -> int:
        """Store issued forecasts (the columns of the ``forecasts`` table); returns the number of rows."""
        with self._transaction(), registered(self.con, "incoming_forecasts", forecasts):
            self.con.execute("INSERT INTO forecasts BY NAME SELECT * FROM incoming_forecasts")
        return int(forecasts.num_rows)

    def record_failure(self, *, fmt: str, location: str, checksum: str, size: int | None, message: str) -> FileResult:
        """Record a file that could not be ingested (corrupt, unreadable) so ``db info`` reports it."""
        now = _now()
        file_id = int(self._scalar("SELECT nextval('file_ids')"))
        self.con.execute(
            "INSERT INTO ingested_files (file_id, format, location, checksum, size_bytes, status, message, "
            "started_at, finished_at) VALUES (?, ?, ?, ?, ?, 'failed', ?, ?, ?)",
            [file_id, fmt, location, checksum, size, message, now, now],
        )
        return FileResult(file_id, location, "failed", message=message)

    # -- queries --------------------------------------------------------------------------

    def _scalar(self, sql: str, params: list[Any] | None = None) -> Any:
        # fetchall, not fetchone: DuckDB 2 results stream and an unfinished one blocks the connection.
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0][0] if rows else None

    def arrow(self, sql: str, params: list[Any] | None = None) -> pa.Table:
        """Run a query and return an Arrow table."""
        return self._relation(sql, params).to_arrow_table()

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a query and return a pandas DataFrame."""
        frame: pd.DataFrame = self._relation(sql, params).df()
        return frame

    def pl(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """Run a query and return a polars DataFrame."""
        frame: pl.DataFrame = self._relation(sql, params).pl()
        return frame

    def batches(self, sql: str, params: list[Any] | None = None, batch_size: int = 100_000) -> Iterator[pa.RecordBatch]:
        """Stream a large result as Arrow record batches."""
        with self._relation(sql, params).to_arrow_reader(batch_size=batch_size) as reader:
            yield from reader

    def _relation(self, sql: str, params: list[Any] | None) -> duckdb.DuckDBPyRelation:
        try:
            return self.con.sql(sql, params=params)
        except duckdb.Error as exc:
            raise StoreError(f"query failed: {_first_line(exc)}") from None

    def count_events(self) -> int:
        """Number of stored events."""
        return int(self._scalar("SELECT count(*) FROM events"))

    def summary(self) -> dict[str, pd.DataFrame]:
        """What the store holds: events by source and month, files by format and status, quarantine by reason."""
        return {
            "Events by source and month": self.df(
                "SELECT source, strftime(event_date, '%Y-%m') AS month, count(*) AS events "
                "FROM events GROUP BY ALL ORDER BY source, month"),
            "Files": self.df(
                "SELECT format, status, count(*) AS files, sum(rows_accepted)::BIGINT AS accepted, "
                "sum(rows_duplicate)::BIGINT AS duplicates, sum(rows_rejected)::BIGINT AS rejected "
                "FROM ingested_files GROUP BY ALL ORDER BY format, status"),
            "Quarantined rows by reason": self.df(
                "SELECT split_part(reason, ':', 1) AS reason, count(*) AS rows FROM quarantine "
                "GROUP BY ALL ORDER BY rows DESC"),
        }

    def export_parquet(self, directory: Path) -> int:
        """Write all events as Parquet partitioned by year=/month= of event_date; returns the row count."""
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{directory}: cannot create the export folder ({exc.strerror or exc})") from None
        try:
            self.con.execute("COPY (SELECT *, year(event_date) AS year, month(event_date) AS month FROM events) "
                             f"TO '{_sql_path(directory)}' (FORMAT parquet, PARTITION_BY (year, month), OVERWRITE_OR_IGNORE)")
        except duckdb.Error as exc:
            raise StoreError(f"export to {directory} failed: {_first_line(exc)}") from None
        return self.count_events()


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
