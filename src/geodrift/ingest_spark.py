"""Ingest many files into a lake with Spark: each file is parsed by its own Spark task, the lake commits as usual.

Parsing (reading, decoding and checking every row) is the costly part of an ingest and each file's is independent,
so it runs as one task per file on the executors, which write the parsed events to a staging folder in the lake.
The driver then appends them in file order through ``LakeStore.append_files`` (duplicates, quarantine, file
records, aggregates and the manifest commit, exactly as a DuckDB-engine ingest), and clusters the new events.
The same files give the same lake on either engine (tests/test_ingest_spark.py).
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from geodrift.errors import CorruptFileError, InputError, StoreError
from geodrift.ingest import GROUP_ROWS, OnFile, _checked, _parse
from geodrift.lake import new_commit_id
from geodrift.lake_spark import spark_session
from geodrift.lake_store import LakeStore, update_clusters
from geodrift.staging import staged_file
from geodrift.store import FileAppend, FileResult, Store


def _stage(item: tuple[int, str, str | None, str, str, int], staging: str) -> dict[str, Any]:
    """Parse one file on an executor; its events go to ``staging/<n>.parquet``, the rest back to the driver."""
    number, path, fmt, location, checksum, size = item
    prepared = _parse(Path(path), fmt, location, checksum, size)
    if prepared.scan is not None:  # a delimited file: read by DuckDB on the executor, as a DuckDB-engine ingest does
        with prepared.opened, Store(":memory:") as scratch:
            try:
                file_id, _, rejected = scratch.stage(prepared.scan)
            except CorruptFileError as exc:
                prepared.error = str(exc)
            else:
                prepared.table, unusable = staged_file(scratch.con, file_id)
                prepared.rejected = [*rejected, *unusable]
    staged = None
    if prepared.error is None and prepared.target == "events" and not prepared.extra and prepared.table is not None:
        staged = str(Path(staging) / f"{number:08d}.parquet")
        pq.write_table(prepared.table, staged)
    return {"number": number, "fmt": prepared.fmt, "location": location, "checksum": checksum, "size": size,
            "error": prepared.error, "staged": staged, "rejected": pickle.dumps(prepared.rejected),
            "other": prepared.target != "events" or bool(prepared.extra)}


def ingest_files_spark(store: LakeStore, paths: Sequence[Path], fmt: str | None = None, on_file: OnFile | None = None,
                       *, master: str = "local[2]", group_rows: int = GROUP_ROWS) -> list[FileResult]:
    """Ingest files into a lake, parsing each in a Spark task on ``master``; returns one result per file.

    Files already ingested (same checksum) are skipped; damaged ones are recorded as failed. Conflict-history
    tables are not kept in lakes: such a file is an InputError before anything is parsed.
    """
    if not isinstance(store, LakeStore):
        raise InputError(f"{store.path}: --engine spark ingests into a lake; use --store lake:PATH")
    results: list[FileResult] = []
    todo, seen = [], set()
    for number, path in enumerate(paths):
        location, checksum, size = _checked(path, None)
        done = store.done_file(checksum)
        if done is not None or checksum in seen:
            results.append(FileResult(done, location, "skipped", message="already ingested (same checksum)"))
            if on_file:
                on_file(results[-1])
            continue
        seen.add(checksum)
        todo.append((number, str(path.resolve()), fmt, location, checksum, size))
    if not todo:
        return results
    staging = store.lake.root / "_staging" / new_commit_id()
    staging.mkdir(parents=True)
    try:
        spark = spark_session(master)
        folder = str(staging)
        try:
            parsed = sorted(spark.sparkContext.parallelize(todo, len(todo)).map(lambda item: _stage(item, folder))
                            .collect(), key=lambda r: r["number"])
        except Exception as exc:  # a Spark job failure arrives as a Java stack trace: keep its Python cause
            cause = [line for line in str(exc).splitlines() if "Error:" in line or "Exception:" in line]
            raise StoreError(f"Spark ingest failed, nothing was committed: {(cause or ['?'])[-1].strip()}") from None
        results += _append(store, parsed, on_file, group_rows)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    update_clusters(store)
    return results


def _append(store: LakeStore, parsed: list[dict[str, Any]], on_file: OnFile | None, group_rows: int) -> list[FileResult]:
    """Append the staged files in their order, in group commits of about ``group_rows`` rows."""
    other = [p["location"] for p in parsed if p["other"]]
    if other:
        raise InputError(f"{other[0]}: conflict-history files are kept in DuckDB stores, not lakes")
    results: list[FileResult] = []
    group: list[dict[str, Any]] = []

    def emit(result: FileResult) -> None:
        results.append(result)
        if on_file:
            on_file(result)

    def flush() -> None:
        if not group:
            return
        appends = [FileAppend(p["fmt"], p["location"], p["checksum"], p["size"],
                              pq.read_table(p["staged"]).to_batches() if p["staged"] else [],
                              pickle.loads(p["rejected"])) for p in group]
        group.clear()
        for result in store.append_files(appends):
            emit(result)

    rows = 0
    for item in parsed:
        if item["error"] is not None:
            emit(store.record_failure(fmt=item["fmt"], location=item["location"], checksum=item["checksum"],
                                      size=item["size"], message=item["error"]))
            continue
        group.append(item)
        rows += pq.ParquetFile(item["staged"]).metadata.num_rows if item["staged"] else 0
        if rows >= group_rows:
            flush()
            rows = 0
    flush()
    return results
