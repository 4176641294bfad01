"""Files inserted straight into ``events``, inside the open transaction of a group commit.

Why: copying each file from DuckDB's reader into a staging table and then again into ``events`` was most of
ingest's time (issue 19). Here the reader's usable rows go into ``events`` in one INSERT per group of files of
one layout (one ``read_csv`` over them all); what used to need the staging table is recovered cheaply:

- rows flagged unusable (``_reason``) are not inserted; the line check (geodrift.sources.lines) counts the
  file's lines for free, so when the reader rejected nothing and every data line became an inserted row, no row
  can be unusable; otherwise a second pass quarantines them (only such files pay it);
- duplicates (an id already stored, or repeated within the group) are deleted after the inserts, keeping the
  first copy (lowest file id, then the earlier row), by one check over the group's ids that finds nothing in
  the usual case, and reads only the stored files whose id range meets the group's (``event_id_ranges``);
- the insert does not keep the files' row order (``preserve_insertion_order`` off for it): DuckDB then appends
  each thread's rows as they come instead of merging the reader's small batches back into order, a seventh less
  CPU (issue 19). Order only matters for "the earlier row" of an id repeated within a file with copies that
  differ; such a file (rare) is read again in order before its duplicates are dropped (``_reorder``).

A failed statement ends DuckDB's transaction: the caller rolls the whole group back (nothing of it is kept).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from geodrift.errors import CorruptFileError
from geodrift.events import EVENT_SCHEMA
from geodrift.registered import registered
from geodrift.sources.base import Rejected
from geodrift.sources.delimited import Scan, prepare, reader_rejects, scans_sql


@dataclass(frozen=True)
class FileAppend:
    """One parsed file waiting to be appended."""

    fmt: str
    location: str
    checksum: str
    size: int | None
    batches: Iterable[pa.RecordBatch]
    rejected: Iterable[Rejected]
    file_id: int | None = None
    """Set when the rows are already in the store under this id (``Store.insert``, or ``Store.stage`` in a lake);
    ``batches`` is then empty."""


@dataclass(frozen=True)
class FileResult:
    """Outcome of appending one file."""

    file_id: int | None
    location: str
    status: str
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    message: str | None = None
    unit: str = "events"
    """What an accepted row is: events, or a conflict table's rows ("conflict-years", "disputes")."""


_NAMES = ", ".join(f.name for f in EVENT_SCHEMA)
_NO_REJECTS = "DROP TABLE IF EXISTS reject_errors; DROP TABLE IF EXISTS reject_scans"


def insert_scans(con: duckdb.DuckDBPyConnection, scans: Sequence[Scan], file_ids: Sequence[int],
                 inserted: dict[int, Scan] | None = None) -> list[tuple[int, int, list[Rejected]]]:
    """Insert the usable rows of delimited files into ``events`` (file ``scans[i]`` under ``file_ids[i]``), one
    read per run of consecutive files of one layout, and quarantine their unusable rows.

    Returns, per file, the rows inserted, the unusable rows quarantined, and the lines rejected before or by
    DuckDB's reader (for the caller to quarantine with the file's other rejects). ``inserted`` gets each file by
    its id: the rows are stored out of order, and ``drop_duplicates`` may need to read a file again.

    Raises:
        CorruptFileError: DuckDB cannot read one of the files (named when there is one); the transaction is then
            aborted.
    """
    prepare(con)
    if inserted is not None:
        inserted.update(zip(file_ids, scans, strict=True))
    results: list[tuple[int, int, list[Rejected]]] = []
    start = 0
    for end in range(1, len(scans) + 1):
        if end == len(scans) or scans[end].layout != scans[start].layout:
            results += _insert_run(con, scans[start:end], file_ids[start:end])
            start = end
    return results


def _insert_run(con: duckdb.DuckDBPyConnection, scans: Sequence[Scan],
                file_ids: Sequence[int]) -> list[tuple[int, int, list[Rejected]]]:
    """``insert_scans`` for files of one layout, in one ``read_csv``."""
    try:
        with unordered(con):
            _insert(con, scans, file_ids)
        inserted = dict(con.execute(
            f"SELECT file_id, count(*) FROM events WHERE file_id BETWEEN {min(file_ids)} AND {max(file_ids)} "
            "GROUP BY file_id").fetchall())
        rejects = dict(con.execute("SELECT s.file_path, count(*) FROM reject_errors e JOIN reject_scans s "
                                   "USING (scan_id, file_id) GROUP BY s.file_path").fetchall())
        results = []
        for scan, file_id in zip(scans, file_ids, strict=True):
            rows = int(inserted.get(file_id, 0))
            if scan.rejected or rejects.get(str(scan.readable)) or rows != scan.data_lines:
                results.append((rows, *_second_pass(con, scan, file_id)))  # some line gave no row: find why
            else:
                results.append((rows, 0, []))
        return results
    except duckdb.Error as exc:
        where = str(scans[0].path) if len(scans) == 1 else f"one of {len(scans)} files from {scans[0].path}"
        raise CorruptFileError(f"{where}: cannot be read: {str(exc).strip().splitlines()[0]}") from None


def _insert(con: duckdb.DuckDBPyConnection, scans: Sequence[Scan], file_ids: Sequence[int]) -> None:
    """The usable rows of ``scans`` (one layout) into ``events``, file ``scans[i]`` under ``file_ids[i]``."""
    con.execute(_NO_REJECTS)
    ids = "[" + ", ".join(str(int(i)) for i in file_ids) + "]"
    con.execute(f"INSERT INTO events SELECT {_NAMES}, {ids}[CAST(_file AS INTEGER) + 1] FROM ({scans_sql(scans)}) "
                "WHERE _reason IS NULL")


@contextmanager
def unordered(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Statements inside may store rows out of their input's order (this connection only).

    A statement that fails aborts the transaction, and the setting cannot be reset before the rollback: the
    caller then calls ``ordered`` after rolling back."""
    con.execute("SET SESSION preserve_insertion_order = false")
    yield
    ordered(con)


def ordered(con: duckdb.DuckDBPyConnection) -> None:
    """Back to storing rows in their input's order on ``con`` (after ``unordered``)."""
    con.execute("RESET SESSION preserve_insertion_order")


def _second_pass(con: duckdb.DuckDBPyConnection, scan: Scan, file_id: int) -> tuple[int, list[Rejected]]:
    """Quarantine a file's unusable rows; return them and its lines rejected before or by the reader.

    Over every column (the unusable rows' text needs them all), and file by file: DuckDB 2.0 names the wrong
    column in its reject records when unused columns were pruned, as they were in the insert."""
    con.execute(_NO_REJECTS)
    unusable = int(con.execute(
        f"INSERT INTO quarantine SELECT {int(file_id)}, NULL, _raw, _reason FROM ({scan.staged_sql()}) "
        "WHERE _reason IS NOT NULL").fetchall()[0][0])
    return unusable, [*scan.rejected, *reader_rejects(con, scan)]


def insert_arrow(con: duckdb.DuckDBPyConnection, file_id: int, batches: Iterable[pa.RecordBatch]) -> int:
    """Insert canonical Arrow batches (all usable: their formats checked them) under ``file_id``; returns the rows."""
    incoming = pa.Table.from_batches(list(batches), schema=EVENT_SCHEMA)
    if incoming.num_rows == 0:
        return 0
    with registered(con, "incoming", incoming):
        con.execute(f"INSERT INTO events SELECT *, {int(file_id)} FROM incoming")
    return int(incoming.num_rows)


def drop_duplicates(con: duckdb.DuckDBPyConnection, ids: Sequence[int],
                    scans: Mapping[int, Scan] | None = None) -> Counter[int]:
    """Delete the rows of files ``ids`` (the group, the newest ids in the store) whose event id is stored already
    or repeated within the group, keeping the first copy; returns the rows deleted per file, and records the
    group's id ranges (``event_id_ranges``). ``scans``: the group's files inserted out of order (``insert_scans``),
    read again in order when one repeats an id with copies that differ."""
    if not ids:
        return Counter()
    group = f"file_id BETWEEN {int(min(ids))} AND {int(max(ids))}"
    scope = _scope(con, group)
    # The ids of the group that occur twice in its scope, empty in the usual case: one aggregate over the scope's ids
    # when the scope is the group and a few files beside it (a semi-join of the group's ids and an aggregate cost twice
    # as much: two hash tables of the group's ids); the semi-join when the scope is every row (no ranges), so the
    # aggregate holds only the group's ids and their stored copies, not every stored id.
    repeated = (f"SELECT event_id FROM events WHERE {scope} AND event_id IN (SELECT event_id FROM events WHERE {group}) "
                "GROUP BY event_id HAVING count(*) > 1" if scope == "TRUE" else
                f"SELECT event_id FROM events WHERE {scope} GROUP BY event_id HAVING count(*) > 1"
                + ("" if scope == group else f" AND bool_or({group})"))
    deleted: list[tuple[int]] = []
    if con.execute(f"SELECT count(*) FROM ({repeated} LIMIT 1)").fetchall()[0][0]:
        _reorder(con, group, repeated, scans or {})
        deleted = con.execute(
            f"DELETE FROM events WHERE {group} AND rowid IN (SELECT rowid FROM (SELECT rowid, file_id, row_number() "
            "OVER (PARTITION BY event_id ORDER BY file_id, rowid) AS copy "
            f"FROM events WHERE {scope} AND event_id IN ({repeated})) WHERE copy > 1) RETURNING file_id").fetchall()
    con.execute("INSERT INTO event_id_ranges SELECT file_id, min(event_id), max(event_id), count(*) FROM events "
                f"WHERE {group} GROUP BY file_id")
    return Counter(int(f) for (f,) in deleted)


def _reorder(con: duckdb.DuckDBPyConnection, group: str, repeated: str, scans: Mapping[int, Scan]) -> None:
    """Read again, in order, the files of ``scans`` holding an id of ``repeated`` twice with copies that differ,
    so that "the earlier row" of the file is the one kept (identical copies leave the same row whichever is)."""
    differing = [int(f) for (f,) in con.execute(
        f"SELECT DISTINCT file_id FROM (SELECT file_id FROM events e WHERE {group} AND event_id IN ({repeated}) "
        "GROUP BY file_id, event_id HAVING count(DISTINCT e) > 1) ORDER BY 1").fetchall()]
    for file_id in (f for f in differing if f in scans):
        con.execute(f"DELETE FROM events WHERE file_id = {file_id}")
        _insert(con, [scans[file_id]], [file_id])


def _scope(con: duckdb.DuckDBPyConnection, group: str) -> str:
    """The rows a duplicate of the group's could be: its own and those of the files whose id range meets the
    group's (``event_id_ranges``), so the check reads a few files, not the whole ``event_id`` column.

    Every row when rows were written without their ranges (a bulk load, a lake's scratch store holding the lake's
    known ids): the ranges then do not add up to the stored rows.
    """
    low, high, new = con.execute(f"SELECT min(event_id), max(event_id), count(*) FROM events WHERE {group}").fetchall()[0]
    stored, ranged = con.execute("SELECT (SELECT count(*) FROM events), "
                                 f"(SELECT coalesce(sum(rows), 0) FROM event_id_ranges WHERE NOT {group})").fetchall()[0]
    if low is None or int(stored) - int(new) != int(ranged):
        return "TRUE"
    others = [int(f) for (f,) in con.execute(f"SELECT file_id FROM event_id_ranges WHERE NOT {group} AND last_id >= ? "
                                             "AND first_id <= ? ORDER BY file_id", [low, high]).fetchall()]
    return f"({group} OR file_id IN ({', '.join(map(str, others))}))" if others else group


def record_files(con: duckdb.DuckDBPyConnection, files: dict[int, FileAppend], group: dict[int, tuple[int, int]],
                 started: dt.datetime, scans: Mapping[int, Scan] | None = None) -> list[FileResult]:
    """Finish a group inside its transaction: drop its duplicates, quarantine each file's rejects and record the
    files in ``ingested_files``, with counts that add up (accepted + duplicate = usable rows). ``scans``: the
    group's delimited files, by id (``drop_duplicates``)."""
    deleted = drop_duplicates(con, list(files), scans)
    results = []
    for file_id, item in files.items():
        rejects = list(item.rejected)
        quarantine(con, file_id, rejects)
        usable, unusable = group[file_id]
        kept = usable - deleted[file_id]
        con.execute(
            "INSERT INTO ingested_files (file_id, format, location, checksum, size_bytes, rows_accepted, "
            "rows_duplicate, rows_rejected, status, started_at, finished_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'done', ?, ?)",
            [file_id, item.fmt, item.location, item.checksum, item.size, kept, deleted[file_id],
             len(rejects) + unusable, started, dt.datetime.now(dt.UTC).replace(tzinfo=None)],
        )
        results.append(FileResult(file_id, item.location, "done", kept, deleted[file_id], len(rejects) + unusable))
    return results


def quarantine(con: duckdb.DuckDBPyConnection, file_id: int, rejects: list[Rejected]) -> None:
    """Quarantine a file's rejected lines (with their numbers where known)."""
    if not rejects:
        return
    table = pa.table({
        "file_id": pa.array([file_id] * len(rejects), pa.int32()),
        "line": pa.array([r.line for r in rejects], pa.int64()),
        "raw": [r.raw for r in rejects],
        "reason": [r.reason for r in rejects],
    })
    with registered(con, "incoming_rejects", table):
        con.execute("INSERT INTO quarantine SELECT * FROM incoming_rejects")
