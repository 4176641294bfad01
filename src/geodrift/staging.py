"""The staging table where files wait for a writer that commits elsewhere (a lake, a Spark task's output).

Why: such a writer needs a file's rows back as Arrow (``staged_file``), with the rows a source flagged unusable
(``_reason``) apart. Delimited files go from DuckDB's reader straight into this temporary table (no Python rows),
Arrow-parsed files are copied into it. A DuckDB store does not stage: it inserts into ``events`` directly
(geodrift.direct). Temporary: a crash leaves nothing behind, and the resumed run redoes the group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import duckdb
import pyarrow as pa

from geodrift.events import EVENT_SCHEMA
from geodrift.registered import registered
from geodrift.sources import delimited
from geodrift.sources.base import Rejected
from geodrift.sources.delimited import Scan

STAGING = "staged_events"


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    """Create the staging table and the parse lookups on ``con`` unless they exist."""
    if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
                       [STAGING]).fetchall()[0][0]:
        delimited.prepare(con)
        con.execute(delimited.staging_ddl(STAGING))


def stage_scan(con: duckdb.DuckDBPyConnection, scan: Scan, file_id: int) -> tuple[int, list[Rejected]]:
    """Stage a delimited file under ``file_id``; returns the rows staged and the lines rejected (nothing stays
    staged on error)."""
    ensure(con)
    try:
        rows, rejected = delimited.stage(con, scan, STAGING, file_id)
        return rows, [*scan.rejected, *rejected]
    except BaseException:
        con.execute(f"DELETE FROM {STAGING} WHERE file_id = ?", [file_id])
        raise


def stage_arrow(con: duckdb.DuckDBPyConnection, file_id: int, batches: Iterable[pa.RecordBatch]) -> None:
    """Stage canonical Arrow batches under ``file_id`` (all usable: their formats checked them)."""
    incoming = pa.Table.from_batches(list(batches), schema=EVENT_SCHEMA)
    if incoming.num_rows == 0:
        return
    with registered(con, "incoming", incoming):
        con.execute(f"INSERT INTO {STAGING} SELECT *, {int(file_id)}, NULL, NULL FROM incoming")


def staged_file(con: duckdb.DuckDBPyConnection, file_id: int) -> tuple[pa.Table, list[Rejected]]:
    """A staged file's usable rows (canonical Arrow) and its unusable ones as rejects: for writers that commit
    elsewhere (a lake, a Spark task's output)."""
    where = f"FROM {STAGING} WHERE file_id = {int(file_id)}"
    rows = con.sql(f"SELECT * EXCLUDE (file_id, _reason, _raw) {where} AND _reason IS NULL").to_arrow_table()
    bad = con.execute(f"SELECT _raw, _reason {where} AND _reason IS NOT NULL").fetchall()
    return rows.cast(EVENT_SCHEMA), [Rejected(None, raw, reason) for raw, reason in bad]


def counts(con: duckdb.DuckDBPyConnection) -> dict[int, tuple[int, int]]:
    """Staged (usable, unusable) rows per file id."""
    rows = con.execute(f"SELECT file_id, count(*) FILTER (_reason IS NULL), count(_reason) FROM {STAGING} "
                       "GROUP BY ALL").fetchall()
    return {int(f): (int(n), int(bad)) for f, n, bad in rows}


def unstage(con: duckdb.DuckDBPyConnection, file_ids: Sequence[int]) -> None:
    """Drop the staged rows of ``file_ids`` (files staged together, when a later one of them cannot be read)."""
    ensure(con)
    con.execute(f"DELETE FROM {STAGING} WHERE list_contains(?, file_id)", [list(file_ids)])


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Empty the staging table (after a commit or a failed one)."""
    ensure(con)
    con.execute(f"DELETE FROM {STAGING}")
