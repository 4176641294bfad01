"""The store's writes: files appended in group commits (their events, rejects and file records), evidence,
forecasts and failed files.

Every file is appended in one transaction (its events, its rejects and its row in ``ingested_files``), so a crash mid-file
leaves nothing of it, and a file whose checksum is already recorded as done is skipped, so re-ingest adds nothing. Events
carry the id of the file they came from: provenance down to the file, line-level for rejects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress

import duckdb
import pyarrow as pa

from geodrift import aggregates, direct, staging
from geodrift.direct import FileAppend, FileResult
from geodrift.errors import StoreError
from geodrift.registered import registered
from geodrift.sources import delimited
from geodrift.sources.base import Rejected
from geodrift.sources.delimited import Scan
from geodrift.store_connection import StoreConnection, first_line, utc_now


class StoreAppends(StoreConnection):
    """Appends to the store: group commits of files, evidence, forecasts, failures."""

    _group: dict[int, tuple[int, int]] | None = None
    """The open group commit: (usable, unusable) rows of each file inserted in it, by file id."""
    _scans: dict[int, Scan]  # the open group's delimited files by id: its duplicate check may read one again

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

    def fail_group(self, exc: BaseException) -> None:
        """Drop the open group after ``exc``; a DuckDB error becomes one StoreError line (the caller re-raises any
        other)."""
        self.rollback_group()
        if isinstance(exc, duckdb.Error):
            raise StoreError(f"{self.path}: cannot write the store, nothing of this write was kept "
                             f"({first_line(exc)})") from None

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
        started = utc_now()
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
            self.fail_group(exc)
            raise
        self._group, self._scans = None, {}
        return results

    def refresh_aggregates(self) -> None:
        """Aggregate events written outside ``append_files`` (bulk loads), in one transaction."""
        with self._transaction():
            aggregates.fold_new_files(self.con)

    def record_evidence(self, evidence: pa.Table) -> int:
        """Add evidence rows (new ones only) and recount mentions, articles and sources of their events.

        ``evidence`` has the columns of the ``evidence`` table. Counts become: mentions = evidence rows,
        articles = distinct article ids, sources = distinct outlets (article id when the outlet is unknown).
        Returns the number of new evidence rows.
        """
        if evidence.num_rows == 0:
            return 0
        with self._transaction():
            return add_evidence(self.con, evidence)

    def record_forecasts(self, forecasts: pa.Table) -> int:
        """Store issued forecasts (the columns of the ``forecasts`` table); returns the number of rows."""
        with self._transaction(), registered(self.con, "incoming_forecasts", forecasts):
            self.con.execute("INSERT INTO forecasts BY NAME SELECT * FROM incoming_forecasts")
        return int(forecasts.num_rows)

    def record_failure(self, *, fmt: str, location: str, checksum: str, size: int | None, message: str) -> FileResult:
        """Record a file that could not be ingested (corrupt, unreadable) so ``db info`` reports it."""
        stamp = utc_now()
        file_id = int(self._scalar("SELECT nextval('file_ids')"))
        self.con.execute(
            "INSERT INTO ingested_files (file_id, format, location, checksum, size_bytes, status, message, "
            "started_at, finished_at) VALUES (?, ?, ?, ?, ?, 'failed', ?, ?, ?)",
            [file_id, fmt, location, checksum, size, message, stamp, stamp],
        )
        return FileResult(file_id, location, "failed", message=message)


def add_evidence(con: duckdb.DuckDBPyConnection, evidence: pa.Table) -> int:
    """``Store.record_evidence`` inside the caller's transaction; returns the number of new evidence rows."""
    with registered(con, "incoming_evidence", evidence):
        rows = con.execute(
            "INSERT INTO evidence SELECT n.* FROM incoming_evidence n WHERE NOT EXISTS (SELECT 1 FROM evidence e "
            "WHERE e.event_id = n.event_id AND e.article_id = n.article_id "
            "AND e.start_offset IS NOT DISTINCT FROM n.start_offset)").fetchall()
        recount_evidence(con, "SELECT event_id FROM incoming_evidence")
    return int(rows[0][0]) if rows else 0


def recount_evidence(con: duckdb.DuckDBPyConnection, ids: str) -> None:
    """Mentions, articles and sources of the events whose ids ``ids`` (SQL) selects, from their evidence rows."""
    con.execute(f"""
        UPDATE events SET num_mentions = c.mentions, num_articles = c.articles, num_sources = c.sources
        FROM (SELECT event_id, count(*) AS mentions, count(DISTINCT article_id) AS articles,
                     count(DISTINCT coalesce(outlet, article_id)) AS sources
              FROM evidence WHERE event_id IN ({ids})
              GROUP BY event_id) AS c
        WHERE events.event_id = c.event_id""")
