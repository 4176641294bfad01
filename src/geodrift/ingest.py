"""Ingest files into the store: detect each file's format, parse, append, report.

A damaged file is recorded as failed and the run goes on with the next one; a file whose
checksum is already ingested is skipped. This module is the only place where sources and
the store meet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from geodrift.conflict_store import append_extra, append_table_file
from geodrift.errors import CorruptFileError, DownloadError, InputError
from geodrift.events import EVENT_SCHEMA
from geodrift.lake_store import update_clusters
from geodrift.sources.base import FileFormat, Rejected, detect_format, get_format, within_dates
from geodrift.sources.delimited import Scan
from geodrift.sources.files import check_file
from geodrift.sources.gdelt_remote import DEFAULT_BASE_URL, RemoteFile, list_files
from geodrift.sources.http import OnBytes, download
from geodrift.store import FileAppend, FileResult, Store

OnFile = Callable[[FileResult], None]


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


GROUP_ROWS = 500_000
"""Rows per group commit: several row groups, so DuckDB writes them straight to the file."""
GROUP_FILES = 256
READ_AHEAD = 4
"""Files read ahead of the one being written (unzipped and line-checked, or parsed to Arrow): that work
overlaps the store's, which reads a whole group of delimited files at its commit."""


@dataclass
class _Prepared:
    """A file checked and parsed, ready to append (or to record as failed)."""

    location: str
    checksum: str
    size: int
    fmt: str
    table: pa.Table | None = None
    rejected: list[Rejected] = field(default_factory=list)
    error: str | None = None
    target: str = "events"
    """Store table: "events", or a conflict-history table (its rows in ``table``, their own schema)."""
    extra: dict[str, list[pa.RecordBatch]] = field(default_factory=dict)
    file_id: int | None = None
    """Set once the file is inserted in the store's open group, with the number of rows inserted."""
    staged_rows: int = 0
    scan: Scan | None = None
    """A delimited file, read by the store itself (``Store.insert``) while ``opened`` keeps its files (until the
    group commits: a failed read of a later file rolls the group back, and its files are inserted again)."""
    opened: ExitStack = field(default_factory=ExitStack)

    @property
    def rows(self) -> int:
        """Rows waiting for the group's commit."""
        if self.scan is not None and self.file_id is None:  # not read yet: one row per data line
            return self.scan.data_lines or 0
        return self.table.num_rows if self.table is not None else self.staged_rows


DOCUMENT_SUFFIXES = frozenset({".md", ".txt", ".rst", ".pdf", ".html", ".htm", ".doc", ".docx", ".odt"})
"""Documentation a data release ships beside its files (PROVENANCE.md, a codebook PDF): skipped in a folder."""


def folder_files(targets: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """The files to ingest from ``targets`` (each folder walked, hidden files left out) and the documentation files
    of those folders, skipped with a note rather than failed: a folder of data is ingested whole without a failure
    for its README. A document named on its own is tried like any file (and fails if no format reads it)."""
    paths: list[Path] = []
    documents: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                (documents if found.suffix.lower() in DOCUMENT_SUFFIXES else paths).append(found)
        else:
            check_file(path)
            paths.append(path)
    return paths, documents


def unrecognised(path: Path, message: str) -> str:
    """``message`` (no format recognised ``path``) with what was tried and why none matched: the formats tried and,
    for a CSV header, the conflict tables closest to it with the columns each lacks."""
    from geodrift.sources.base import first_line, formats
    from geodrift.sources.tables import header_fields

    try:
        head = first_line(path)
    except (OSError, UnicodeDecodeError):
        return message
    fields = set(header_fields(head)) if "," in head else set()
    tables = [(name, [c for c in getattr(cls, "required", ()) if c not in fields]) for name, cls in formats().items()]
    closest = sorted(((len(missing), name, missing) for name, missing in tables if missing), key=lambda t: t[:2])[:3]
    shown = ", ".join(sorted(fields)[:8]) + (", ..." if len(fields) > 8 else "")
    why = (f"; its header ({len(fields)} columns: {shown}) matches no format: "
           + "; ".join(f"{name} lacks {', '.join(missing)}" for _, name, missing in closest)
           + "; the event formats need GDELT's tab-separated layout or header, ICEWS's header, JSON lines "
             "(curated) or UCDP GED's columns (id, type_of_violence, side_a, side_b, date_start, best)"
           if fields else f"; its first line is not a CSV header ({head[:60]!r})")
    return message + why


def _checked(path: Path, location: str | None) -> tuple[str, str, int]:
    check_file(path)
    try:
        return location or str(path), file_checksum(path), path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def _parse(path: Path, fmt: str | None, location: str, checksum: str, size: int) -> _Prepared:
    """Detect and parse a whole file into one Arrow table, or (a delimited file) unzip and line-check it for the
    store to read itself; a damaged file becomes an error."""
    try:
        reader: FileFormat = get_format(fmt) if fmt else detect_format(path)
    except InputError as exc:
        return _Prepared(location, checksum, size, fmt or "unknown", error=unrecognised(path, str(exc)))
    from geodrift.sources.tables import TableFormat  # pandas: not loaded by importing ingest (geodrift code)

    opened = ExitStack()
    try:
        parsed = opened.enter_context(reader.open(path))
        if parsed.scan is not None:  # read straight into the store: keep its (unzipped) file until then
            return _Prepared(location, checksum, size, reader.name, scan=parsed.scan, opened=opened.pop_all())
        with opened:
            if isinstance(reader, TableFormat):  # a conflict-history table: its own schema, no event dates to check
                rows = pa.Table.from_batches(list(parsed.batches), schema=reader.spec.schema)
                return _Prepared(location, checksum, size, reader.name, rows, list(parsed.rejected),
                                 target=reader.table)
            late: list[Rejected] = []
            table = pa.Table.from_batches(list(within_dates(parsed.batches, late)), schema=EVENT_SCHEMA)
            return _Prepared(location, checksum, size, reader.name, table, [*parsed.rejected, *late],
                             extra=parsed.extra)
    except CorruptFileError as exc:
        return _Prepared(location, checksum, size, reader.name, error=str(exc))


def ingest_file(store: Store, path: Path, fmt: str | None = None, location: str | None = None) -> FileResult:
    """Ingest one file; ``location`` (e.g. its URL) is recorded instead of the path when given."""
    return ingest_files(store, [path], fmt, locations=[location] if location else None)[0]


def ingest_files(store: Store, paths: Sequence[Path], fmt: str | None = None, on_file: OnFile | None = None,
                 *, locations: Sequence[str] | None = None, group_rows: int = GROUP_ROWS) -> list[FileResult]:
    """Ingest many files in order; returns one result per file.

    A background thread parses up to READ_AHEAD files ahead while the store writes, and
    files are appended in group commits of about ``group_rows`` rows (1 = one file per
    transaction). Files already ingested (same checksum) are skipped; damaged ones are
    recorded as failed and the run goes on.

    Raises:
        InputError: ``fmt`` names no format.
    """
    if fmt:
        get_format(fmt)  # one mistyped name for every file: an error, not a failed file recorded under that name
    results: list[FileResult] = []
    group: list[_Prepared] = []
    seen: set[str] = set()

    def emit(result: FileResult) -> None:
        results.append(result)
        if on_file:
            on_file(result)

    def flush() -> None:
        insert_waiting()
        if not group:
            return
        appends = [FileAppend(p.fmt, p.location, p.checksum, p.size, [], p.rejected, p.file_id) for p in group]
        try:
            done = store.append_files(appends)
        finally:
            close_group()
        for result in done:
            emit(result)

    def close_group() -> None:
        for prepared in group:
            prepared.opened.close()
        group.clear()

    def insert(prepared: _Prepared) -> None:
        if prepared.scan is not None:
            prepared.file_id, prepared.staged_rows, prepared.rejected = store.insert(prepared.scan)
        elif prepared.table is not None:  # its rejects came from its format, kept as they are
            prepared.file_id, prepared.staged_rows, _ = store.insert(prepared.table)

    def insert_waiting() -> None:
        """Insert the group's delimited files not in the store yet: one read of them all (geodrift.direct)."""
        waiting = [p for p in group if p.file_id is None and p.scan is not None]
        if not waiting:
            return
        try:
            inserted = store.insert_scans([p.scan for p in waiting if p.scan is not None])
        except CorruptFileError:  # one cannot be read and the group was rolled back: insert file by file to find it
            kept = store.pending()  # a lake keeps the files it staged before this read
            redo = list(group)
            group.clear()
            for prepared in redo:
                if prepared.file_id not in kept:
                    prepared.file_id = None
                take(prepared, at_once=True)
            return
        for prepared, (file_id, rows, rejected) in zip(waiting, inserted, strict=True):
            prepared.file_id, prepared.staged_rows, prepared.rejected = file_id, rows, rejected

    def take(prepared: _Prepared, at_once: bool = False) -> None:
        """Append ``prepared`` to the group (a delimited file is read with the group's others when it commits, unless
        ``at_once``), or write it on its own after the group."""
        if prepared.scan is not None and not at_once and prepared.error is None:
            group.append(prepared)
            if sum(p.rows for p in group) >= group_rows or len(group) >= GROUP_FILES:
                flush()
            return
        if prepared.scan is not None or (prepared.table is not None and prepared.target == "events"
                                         and not prepared.extra):
            insert_waiting()  # the group's files first: ids follow file order
            try:
                if prepared.file_id is None:
                    insert(prepared)  # its id now, in file order
            except CorruptFileError as exc:
                prepared.opened.close()
                prepared.error = str(exc)
                kept = store.pending()
                for earlier in group:  # a failed read rolled the group back: insert its files again
                    if earlier.file_id not in kept:
                        insert(earlier)
        if prepared.error is not None or prepared.target != "events" or prepared.extra:
            flush()  # keep file order: what came before is written first
        if prepared.error is not None:
            emit(store.record_failure(fmt=prepared.fmt, location=prepared.location, checksum=prepared.checksum,
                                      size=prepared.size, message=prepared.error))
            return
        if prepared.target != "events":
            emit(append_table_file(store, fmt=prepared.fmt, table=prepared.target, location=prepared.location,
                                   checksum=prepared.checksum, size=prepared.size,
                                   rows=prepared.table if prepared.table is not None else pa.table({}),
                                   rejected=prepared.rejected))
            return
        if prepared.extra:  # side-table rows (GED deaths) need the file's id: append this file on its own
            done = store.append_files([FileAppend(prepared.fmt, prepared.location, prepared.checksum, prepared.size,
                                                  prepared.table.to_batches() if prepared.table else [],
                                                  prepared.rejected)])[0]
            if done.file_id is not None:
                append_extra(store, done.file_id, prepared.extra)
            emit(done)
            return
        group.append(prepared)
        if sum(p.rows for p in group) >= group_rows or len(group) >= GROUP_FILES:
            flush()

    ahead: deque[Future[_Prepared]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geodrift-parse") as pool, ExitStack() as cleanup:
        cleanup.callback(close_group)
        cleanup.callback(store.rollback_group)  # an interrupted run keeps nothing of its open group
        for i, path in enumerate(paths):
            location, checksum, size = _checked(path, locations[i] if locations else None)
            done = store.done_file(checksum)
            if done is not None or checksum in seen:
                emit(FileResult(done, location, "skipped", message="already ingested (same checksum)"))
                continue
            seen.add(checksum)
            ahead.append(pool.submit(_parse, path, fmt, location, checksum, size))
            while len(ahead) > READ_AHEAD:
                take(ahead.popleft().result())
        while ahead:
            take(ahead.popleft().result())
        flush()
    update_clusters(store)  # one pass over everything this run added (docs/methods.md, "Event clusters")
    return results


def ingest_gdelt(store: Store, version: int, start: dt.datetime, end: dt.datetime, *, cache_dir: Path,
                 base_url: str = DEFAULT_BASE_URL, translingual: bool = False, keep_downloads: bool = False,
                 on_listed: Callable[[list[RemoteFile]], None] | None = None, on_file: OnFile | None = None,
                 on_bytes: OnBytes | None = None) -> list[FileResult]:
    """Download and ingest the GDELT exports covering [start, end) UTC, one file at a time.

    Files already ingested from the same URL are skipped before download, so a killed run
    resumes where it stopped. A file that fails to download or verify is recorded as failed
    and the run goes on. Memory stays bounded: one file is on disk and in flight at a time.
    """
    unplaced: list[str] = []
    files = list_files(version, start, end, base_url=base_url, translingual=translingual, unplaced=unplaced)
    if on_listed:
        on_listed(files)
    fmt = f"gdelt{version}"
    results = [FileResult(None, url, "skipped", message="the file list names no real time here; not fetched")
               for url in unplaced]
    for result in results:
        if on_file:
            on_file(result)
    for remote in files:
        done = store.done_location(remote.url)
        if done is not None:
            result = FileResult(done, remote.url, "skipped", message="already ingested from this URL")
        else:
            try:
                path = download(remote.url, cache_dir / fmt / remote.name, size=remote.size, md5=remote.md5,
                                on_bytes=on_bytes)
            except DownloadError as exc:
                result = store.record_failure(fmt=fmt, location=remote.url, checksum=remote.md5 or "",
                                              size=remote.size, message=str(exc))
            else:
                result = ingest_file(store, path, fmt, location=remote.url)
                if result.status == "done" and not keep_downloads:
                    path.unlink(missing_ok=True)
        results.append(result)
        if on_file:
            on_file(result)
    return results


def store_coded(store: Store, events: list[dict[str, Any]], evidence: pa.Table,
                location: str) -> tuple[FileResult, int]:
    """Append merged text-coded events and their evidence; the same set of events is stored once.

    The checksum is that of the sorted event ids, so coding the same texts again is skipped.
    Returns the append's result and the number of new evidence rows.
    """
    ids = "\n".join(sorted(e["event_id"] for e in events)).encode()
    checksum = "text:" + hashlib.sha256(ids).hexdigest()
    done = store.done_file(checksum)
    if done is not None:
        return FileResult(done, location, "skipped", message="these events are already stored"), 0
    rejected: list[Rejected] = []
    batches = list(within_dates([pa.RecordBatch.from_pylist(events, schema=EVENT_SCHEMA)], rejected))
    result = store.append_file(fmt="text", location=location, checksum=checksum, size=None, rejected=rejected,
                               batches=batches)
    reports = store.record_evidence(evidence)
    update_clusters(store)
    return result, reports
