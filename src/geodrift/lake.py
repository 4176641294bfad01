"""A Parquet lake: tables as Parquet files under one folder, committed atomically through numbered manifests.

Layout (docs/lake.md)::

    PATH/_manifests/v00000007.json   the table -> files lists and the store's counters, one file per commit
    PATH/events/year=2020/month=7/source=gdelt2/part-<commit>_0.parquet
    PATH/clusters/year=2020/month=7/part-<commit>_0.parquet
    PATH/ingested_files/part-<commit>_0.parquet ...

Why a manifest and not Delta Lake or Iceberg: readers here run offline, so DuckDB cannot INSTALL its delta or
iceberg extension and Spark cannot fetch delta-spark from Maven; both read a list of Parquet files natively. A
commit writes its data files first (invisible: no manifest names them), then the next manifest to a temporary
file, and publishes it with ``os.link``, which is atomic and fails if another writer took that number. A reader
takes the highest manifest, so it sees the lake before or after a commit, never half of one. Writers also hold
an exclusive ``flock`` on ``PATH/_lock`` for the length of a write, so commits never race.
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from geodrift.errors import StoreError, StoreLockedError
from geodrift.events import EVENT_SCHEMA, PRECISION_COLUMNS
from geodrift.store_schema import OLD_ADDED_PRECISION, OLD_EVENT_PRECISION
from geodrift.units_sql import CLUSTER_ROLLUPS

MANIFESTS = "_manifests"
PARTITIONS: dict[str, tuple[str, ...]] = {
    "events": ("year(event_date)", "month(event_date)", "source"),
    "clusters": ("year(day)", "month(day)"),
    "cluster_summary": ("year(first_date)", "month(first_date)"),
    "cluster_units": ("year(event_date)", "month(event_date)"),
    **{table: ("year(event_date)", "month(event_date)") for table in CLUSTER_ROLLUPS},
}
"""How each partitioned table is laid out (event date and source; cluster day): readers that ask for a month
or a source skip the other folders. Other tables are one file per commit."""
LAKE_TABLES = ("events", "quarantine", "ingested_files", "dyad_days", "country_days", "dyad_months",
               "country_months", "clusters", "cluster_summary", "cluster_units", *CLUSTER_ROLLUPS)
"""The store's tables a lake keeps; the service's and the conflict history's stay in DuckDB stores."""
_NAME = re.compile(r"v(\d{8})\.json")


@dataclass(frozen=True)
class Snapshot:
    """One committed version of the lake: the files of each table (relative to the lake) and the counters."""

    version: int = 0
    tables: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def files(self, table: str) -> list[str]:
        return list(self.tables.get(table, []))


class Lake:
    """The folder of a lake: read its latest snapshot, write Parquet files, commit a new snapshot.

    Args:
        root: the lake's folder (created when ``create`` and missing).
        create: make the folder if it does not exist (writers); readers need an existing lake.
    """

    def __init__(self, root: str | Path, *, create: bool = False) -> None:
        self.root = Path(root)
        if create:
            try:
                (self.root / MANIFESTS).mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.root}: cannot create the lake ({exc.strerror or exc})") from None
        elif not (self.root / MANIFESTS).is_dir():
            raise StoreError(f"{self.root}: no such lake; ingest something into lake:{self.root} first")

    def snapshot(self) -> Snapshot:
        """The latest committed snapshot (version 0, empty, for a new lake)."""
        versions = sorted(int(m.group(1)) for p in (self.root / MANIFESTS).iterdir() if (m := _NAME.fullmatch(p.name)))
        if not versions:
            return Snapshot()
        path = self.root / MANIFESTS / f"v{versions[-1]:08d}.json"
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: unreadable lake manifest ({exc})") from None
        return Snapshot(int(data["version"]), {k: list(v) for k, v in data["tables"].items()},
                        {k: str(v) for k, v in data["meta"].items()})

    def paths(self, snapshot: Snapshot, table: str) -> list[str]:
        """Absolute paths of a table's files in ``snapshot``."""
        return [str(self.root / name) for name in snapshot.files(table)]

    @contextmanager
    def writing(self, wait: bool = True) -> Iterator[None]:
        """Hold the lake's writer lock (one writing process at a time, as with a DuckDB file)."""
        with (self.root / "_lock").open("a") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                raise StoreLockedError(f"lake:{self.root}: another process is writing this lake") from None
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def write(self, con: duckdb.DuckDBPyConnection, table: str, select: str, commit: str) -> list[str]:
        """Write the rows of ``select`` (run on ``con``) as the table's Parquet files of commit ``commit``.

        Returns the new files, relative to the lake; none when there are no rows. They stay invisible to readers
        until a manifest lists them.
        """
        if not con.execute(f"SELECT count(*) FROM ({select})").fetchall()[0][0]:
            return []
        folder = self.root / table
        keys = PARTITIONS.get(table)
        try:
            if keys:
                names = ("year", "month", "source")[:len(keys)]
                cols = ", ".join(f"{expr} AS {name}" for expr, name in zip(keys, names, strict=True) if expr != name)
                con.execute(f"COPY (SELECT *, {cols} FROM ({select})) TO '{_sql(folder)}' (FORMAT parquet, "
                            f"PARTITION_BY ({', '.join(names)}), WRITE_PARTITION_COLUMNS true, "
                            f"FILENAME_PATTERN 'part-{commit}_{{i}}', OVERWRITE_OR_IGNORE, COMPRESSION zstd)")
                written = sorted(folder.rglob(f"part-{commit}_*.parquet"))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"part-{commit}_0.parquet"
                con.execute(f"COPY ({select}) TO '{_sql(target)}' (FORMAT parquet, COMPRESSION zstd)")
                written = [target]
        except duckdb.Error as exc:
            raise StoreError(f"lake:{self.root}: cannot write {table}; nothing was committed ({exc})") from None
        return [str(p.relative_to(self.root)) for p in written]

    def commit(self, base: Snapshot, tables: dict[str, list[str]], meta: dict[str, str]) -> Snapshot:
        """Publish a new snapshot: ``base`` with ``tables`` replacing its lists and ``meta`` merged in.

        Raises:
            StoreError: another writer committed since ``base`` was read (nothing of this commit is visible).
        """
        new = Snapshot(base.version + 1, base.tables | tables, base.meta | meta)
        folder = self.root / MANIFESTS
        temporary = folder / f".tmp-{uuid.uuid4().hex}"
        with temporary.open("w") as fh:
            json.dump({"version": new.version, "tables": new.tables, "meta": new.meta}, fh)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(temporary, folder / f"v{new.version:08d}.json")
        except FileExistsError:
            raise StoreError(f"lake:{self.root}: another writer committed version {new.version} first; "
                             "nothing of this write was kept") from None
        finally:
            temporary.unlink(missing_ok=True)
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return new

    def vacuum(self) -> int:
        """Delete data files no manifest names (left by a killed write) and stray temporary manifests.

        Only call it while holding the writer lock: a write in progress has files no manifest names yet.
        Returns the number of files deleted.
        """
        named: set[str] = set()
        for path in (self.root / MANIFESTS).glob("v*.json"):
            named.update(f for files in json.loads(path.read_text())["tables"].values() for f in files)
        gone = 0
        tables = [p for t in LAKE_TABLES for p in (self.root / t).rglob("*.parquet")]  # not _staging: a Spark parse
        for path in [*tables, *(self.root / MANIFESTS).glob(".tmp-*")]:
            if str(path.relative_to(self.root)) not in named:
                path.unlink()
                gone += 1
        return gone


def new_commit_id() -> str:
    """A unique name for one commit's files."""
    return uuid.uuid4().hex[:16]


OLD_PRECISION = {"event_date_precision": OLD_EVENT_PRECISION, "date_added_precision": OLD_ADDED_PRECISION}
"""How a lake's events files written before the precision columns (schema 11) read them: by the rule migration 11 fills
an older DuckDB store's with (SQL that DuckDB and Spark both run)."""


def _lacks_precision(path: str) -> bool:
    """Whether an events file predates the precision columns (its footer read once per version of the file).

    Raises:
        StoreError: the file is missing or not readable Parquet.
    """
    try:
        stat = os.stat(path)
        return _footer_lacks_precision(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"{path}: unreadable lake file ({exc})") from None


@functools.lru_cache(maxsize=1 << 16)
def _footer_lacks_precision(path: str, mtime_ns: int, size: int) -> bool:
    return not set(PRECISION_COLUMNS) <= set(pq.read_schema(path).names)


ADDED_COLUMNS = {**{f"{prefix}{table}": "dated" for prefix in ("", "cluster_")
                    for table in ("dyad_days", "country_days", "dyad_months", "country_months")},
                 "cluster_units": "event_date_precision"}
"""Columns schema 16 added to a lake's rollup tables: files written before lack them (read as NULL, a day)."""


def _has_column(path: str, column: str) -> bool:
    try:
        stat = os.stat(path)
        return column in _footer_columns(path, stat.st_mtime_ns, stat.st_size)
    except (OSError, pa.ArrowInvalid) as exc:
        raise StoreError(f"{path}: unreadable lake file ({exc})") from None


@functools.lru_cache(maxsize=1 << 16)
def _footer_columns(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    return frozenset(pq.read_schema(path).names)


def events_layouts(paths: list[str]) -> tuple[list[str], list[str]]:
    """A lake's events files split into those with the precision columns and those written before them."""
    lacking = {p: _lacks_precision(p) for p in paths}
    return [p for p in paths if not lacking[p]], [p for p in paths if lacking[p]]


def read_sql(paths: list[str], table: str) -> str:
    """DuckDB SQL reading a table's files (without the partition helper columns): what a lake view selects. Events
    files written before the precision columns get them by ``OLD_PRECISION``, as an older DuckDB store does."""
    drop = " EXCLUDE (year, month)" if table in PARTITIONS else ""
    if table != "events":  # by name: rollup files written before schema 16 lack ``dated`` (NULL: read as days)
        sql = f"SELECT *{drop} FROM {_parquet(paths, by_name=True)}"
        added = ADDED_COLUMNS.get(table)
        if added and paths and not any(_has_column(p, added) for p in paths):
            sql = f"SELECT *, CAST(NULL AS VARCHAR) AS {added} FROM ({sql}) AS old"
        return sql
    current, older = events_layouts(paths)
    parts = [f"SELECT *{drop} FROM {_parquet(current)}"] if current else []
    if older:
        columns = ", ".join(f"{OLD_PRECISION[f.name]} AS {f.name}" if f.name in OLD_PRECISION else f.name
                            for f in EVENT_SCHEMA)
        parts.append(f"SELECT {columns}, file_id FROM {_parquet(older)}")
    return " UNION ALL ".join(parts)


def _parquet(paths: list[str], by_name: bool = False) -> str:
    listed = ", ".join(f"'{_sql(Path(p))}'" for p in paths)
    return f"read_parquet([{listed}], hive_partitioning = false{', union_by_name = true' if by_name else ''})"


def _sql(path: Path) -> str:
    return str(path).replace("'", "''")


def describe(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot's version and file count per table (``db info`` shows it)."""
    return {"version": snapshot.version, "files": {t: len(f) for t, f in sorted(snapshot.tables.items())}}
