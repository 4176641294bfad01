"""Appending conflict-history tables (geodrift.conflict_schema) to the store, one file per transaction.

Like an event file, a table file is appended whole or not at all, together with its row in
``ingested_files`` and its quarantined rows; a file whose checksum is already done is skipped by the
caller (geodrift.ingest). Rows whose key is already stored from an earlier file of the same table and
release (``version``, where the table has one) count as duplicates. Also the reads the conflict
forecasts need: which releases are stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pyarrow as pa

from geodrift.conflict_schema import CONFLICT_TABLES
from geodrift.direct import quarantine
from geodrift.errors import InputError
from geodrift.registered import registered
from geodrift.sources.base import Rejected
from geodrift.store import FileResult, Store

TABLES = {t.name: t for t in CONFLICT_TABLES}


def _spec_of(table: str) -> str:
    if table not in TABLES:
        raise InputError(f"unknown conflict table {table!r}; known: {', '.join(TABLES)}")
    return table


def append_rows(store: Store, table: str, rows: pa.Table, file_id: int) -> int:
    """Insert ``rows`` into ``table`` under ``file_id`` (inside the caller's transaction); returns new rows."""
    spec = TABLES[_spec_of(table)]
    if rows.num_rows == 0:
        return 0
    rows = rows.append_column("file_id", pa.array([file_id] * rows.num_rows, pa.int32()))
    key = list(spec.key) + (["version"] if "version" in spec.schema.names else [])
    match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM i.{k}" for k in key)
    with registered(store.con, "incoming_rows", rows):
        before = int(store.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        store.con.execute(f"INSERT INTO {table} BY NAME SELECT i.* FROM incoming_rows AS i "
                          f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {match})")
        return int(store.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]) - before


def append_table_file(store: Store, *, fmt: str, table: str, location: str, checksum: str, size: int | None,
                      rows: pa.Table, rejected: Iterable[Rejected]) -> FileResult:
    """Append one table file's rows, its rejects and its ``ingested_files`` row in one transaction."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rejects = list(rejected)
    with store._transaction():  # the store's own all-or-nothing write (store.py keeps it private to stay small)
        file_id = int(store.con.execute("SELECT nextval('file_ids')").fetchall()[0][0])
        kept = append_rows(store, table, rows, file_id)
        quarantine(store.con, file_id, rejects)
        store.con.execute(
            "INSERT INTO ingested_files (file_id, format, location, checksum, size_bytes, rows_accepted, "
            "rows_duplicate, rows_rejected, status, message, started_at, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?, ?)",
            [file_id, fmt, location, checksum, size, kept, rows.num_rows - kept, len(rejects), f"table {table}",
             started, dt.datetime.now(dt.UTC).replace(tzinfo=None)])
    return FileResult(file_id, location, "done", kept, rows.num_rows - kept, len(rejects), unit=TABLES[table].rows)


def append_extra(store: Store, file_id: int, extra: dict[str, list[pa.RecordBatch]]) -> int:
    """Side-table rows of an event file already appended as ``file_id`` (GED deaths); returns new rows."""
    added = 0
    with store._transaction():
        for table, batches in extra.items():
            spec = TABLES[_spec_of(table)]
            added += append_rows(store, table, pa.Table.from_batches(batches, schema=spec.schema), file_id)
    return added


def table_counts(store: Store) -> dict[str, int]:
    """Rows per conflict-history table (0 for a table that is empty)."""
    return {name: int(store.con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
            for name in TABLES if store.has_table(name)}


def accepted_by_unit(results: Iterable[FileResult]) -> dict[str, int]:
    """Accepted rows per kind ({"events": 120, "conflict-years": 2752}): ingest summaries never call a
    conflict-year or a dispute an event."""
    counts: dict[str, int] = {}
    for result in results:
        counts[result.unit] = counts.get(result.unit, 0) + result.accepted
    return counts
