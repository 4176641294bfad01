"""Ingest files into the store: detect each file's format, parse, append, report.

A damaged file is recorded as failed and the run goes on with the next one; a file whose
checksum is already ingested is skipped. This module is the only place where sources and
the store meet.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from geodrift.errors import CorruptFileError, InputError
from geodrift.sources.base import FileFormat, detect_format, get_format
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
