"""Ingest files into the store: detect each file's format, parse, append, report.

A damaged file is recorded as failed and the run goes on with the next one; a file whose
checksum is already ingested is skipped. This module is the only place where sources and
the store meet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from geodrift.errors import CorruptFileError, DownloadError, InputError
from geodrift.sources.base import FileFormat, detect_format, get_format
from geodrift.sources.gdelt_remote import DEFAULT_BASE_URL, RemoteFile, list_files
from geodrift.sources.http import OnBytes, download
from geodrift.store import FileResult, Store

OnFile = Callable[[FileResult], None]


def file_checksum(path: Path) -> str:
    """SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ingest_file(store: Store, path: Path, fmt: str | None = None, location: str | None = None) -> FileResult:
    """Ingest one file; ``location`` (e.g. its URL) is recorded instead of the path when given."""
    location = location or str(path)
    try:
        checksum = file_checksum(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    size = path.stat().st_size
    done = store.done_file(checksum)
    if done is not None:
        return FileResult(done, location, "skipped", message="already ingested (same checksum)")
    try:
        reader: FileFormat = get_format(fmt) if fmt else detect_format(path)
    except InputError as exc:
        return store.record_failure(fmt=fmt or "unknown", location=location, checksum=checksum, size=size,
                                    message=str(exc))
    try:
        with reader.open(path) as parsed:
            return store.append_file(fmt=reader.name, location=location, checksum=checksum, size=size,
                                     batches=parsed.batches, rejected=parsed.rejected)
    except CorruptFileError as exc:
        return store.record_failure(fmt=reader.name, location=location, checksum=checksum, size=size,
                                    message=str(exc))


def ingest_files(store: Store, paths: Iterable[Path], fmt: str | None = None,
                 on_file: OnFile | None = None) -> list[FileResult]:
    """Ingest many files in order, one transaction each; returns one result per file."""
    results = []
    for path in paths:
        result = ingest_file(store, path, fmt)
        results.append(result)
        if on_file:
            on_file(result)
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
    files = list_files(version, start, end, base_url=base_url, translingual=translingual)
    if on_listed:
        on_listed(files)
    fmt = f"gdelt{version}"
    results = []
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
